"""The reuse conditions statement (:mod:`coopengine.conditions`) as a Markdown letter: calm and
formal, every line followed by its source, in a fixed order so that the same inputs give the
same letter."""

from __future__ import annotations

from .conditions import Line, Statement
from .errors import printable

__all__ = ["conditions_markdown"]

_USE_WORDS = {"internal": "Internal use", "network-service": "Use as a network service",
              "distribution": "Distribution"}


def _item(line: Line) -> str:
    return f"- {_esc(line.text)} *[{_esc(line.source)}]*"


def _esc(text: str) -> str:
    return printable(text).replace("*", "\\*").replace("_", "\\_")


def conditions_markdown(s: Statement) -> str:
    name = _esc(s.solution or "the solution")
    out = [f"# Conditions applying to the reuse of {name}", "",
           f"Statement by {_esc(s.provider)}, as at {s.date.isoformat()}, under the Interoperable Europe Act "
           "(Regulation (EU) 2024/903). Each condition is followed by its source.", ""]
    if s.url:
        out += [f"Solution: {_esc(s.solution or '')} <{printable(s.url)}>; "
                f"described in `{printable(s.publiccode)}`.", ""]
    out += ["## 1. Licence", ""]
    if s.licence is None:
        out += ["No licence is stated. *[publiccode: legal.license]*", ""]
    else:
        how = " (the recipient may choose one of them)" if s.choice else ""
        out += [f"The solution is offered under `{printable(s.licence)}`{how}. *[publiccode: legal.license]*", ""]
    for t in s.licences:
        out += [f"### {_esc(t.id)}: {_esc(t.name)}", ""]
        if t.iea_open_source is None:
            out += ["- Whether this is an open-source licence in the sense of Article 2, point (12), of the Act is "
                    "not established by the sources held. *[knowledge base]*"]
        else:
            word = "is" if t.iea_open_source else "is not"
            out += [f"- This {word} an open-source licence in the sense of Article 2, point (12), of the Act."]
            if t.iea is not None:
                why = t.iea.text[:1].upper() + t.iea.text[1:]
                out += [f"  {_esc(why)}. *[{_esc(t.iea.source)}]*"]
        for use, lines in t.per_use.items():
            if lines:
                out += [f"- {_USE_WORDS[use]}: the recipient must"] + [f"  {_item(x)}" for x in lines]
            else:
                out += [f"- {_USE_WORDS[use]}: no obligation. *[licence:{_esc(t.id)}]*"]
        out += [_item(x) for x in t.restrictions]
        out += [""]
    out += ["## 2. Standing agreements", ""]
    if not s.offers:
        out += ["The solution is not offered under any standing agreement in force on this date; the licence alone "
                "applies.", ""]
    for o in s.offers:
        kind = "declaration" if o.declaration else "agreement"
        to = ", ".join(_esc(x) for x in o.to) or "no other party"
        text = f" Text: <{printable(o.text)}>." if o.text else ""
        out += [f"### {_esc(o.title)} ({kind} `{printable(o.id)}`)", "", f"Offered to: {to}.{text}", ""]
        for title, lines in (("Reuse it permits", o.permits), ("Obligations it adds", o.obligations),
                             ("Exclusions and guardrails", o.exclusions)):
            if lines:
                out += [f"{title}:", ""] + [_item(x) for x in lines] + [""]
    out += ["## 3. Support and maintenance", ""] + [_item(x) for x in s.maintenance] + [""]
    if s.notes:
        out += ["## Notes", ""] + [f"- {_esc(n)}" for n in s.notes] + [""]
    out += [f"Source of the description: `{printable(s.publiccode)}` (sha256:{s.sha256})."]
    return "\n".join(out) + "\n"
