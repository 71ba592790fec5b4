"""Explanations of a reuse decision for people: text for the terminal, Markdown for a case file.

Verdict first, then the licence findings, the agreements, the clauses in order, the
obligations, and what would change the answer. Only renders what the engine decided.
"""

from __future__ import annotations

import os
from pathlib import Path

from .engine import Reason
from .errors import clip, printable
from .reuse import ClauseStatus, Decision

__all__ = ["reuse_text", "reuse_markdown"]

_VERDICT_LINE = {
    "permit": "PERMIT: the recipient may reuse the solution without an MOU",
    "require-mou": "REQUIRE-MOU: an MOU is needed before this reuse",
    "deny": "DENY: this reuse is not allowed",
    "undetermined": "UNDETERMINED: the inputs cannot decide; treat as require-mou",
}


def _rel(path: str, base: Path) -> str:
    # Relative to the scenario, so that a case file reads the same on every machine.
    try:
        return Path(os.path.relpath(Path(path).resolve(), base.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return path


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _why_not(c: ClauseStatus) -> str:
    if c.status not in ("not-applicable", "undetermined", "not-in-force"):
        return ""
    bad = [x.text if x.note else f"{x.text} is {'unknown' if x.value is None else str(x.value).lower()}"
           for x in c.conditions if x.value is not True]
    return "; ".join(bad)


def _split_clauses(d: Decision) -> tuple[list[ClauseStatus], list[str]]:
    """Clauses worth reading one by one, and the agreements whose clauses cannot apply at all."""
    out = {a.id for a in d.agreements if a.status not in ("applies", "scope-unknown")}
    shown = [c for c in d.clauses if c.id.split(".", 1)[0] not in out]
    hidden = [a.id for a in d.agreements if a.id in out and any(c.id.split(".", 1)[0] == a.id for c in d.clauses)]
    return shown, hidden


# How a licence finding, a clause's effect and its status read to people; the ids stay in JSON.
_FINDING = {
    "grants": "allowed",
    "conditional": "allowed on a condition",
    "silent": "not settled (no licence, or one that does not grant this use)",
    "forbids": "forbidden",
}
_OVERALL = {
    "grants": "they allow this use",
    "conditional": "they allow this use on a condition",
    "silent": "they do not settle this use",
    "forbids": "one of them forbids this use",
}
_COUNTED = {"grants": "allowing this use", "conditional": "allowing it on a condition",
            "silent": "not settling it", "forbids": "forbidding it"}
_EFFECT = {"permit": "permits", "require-mou": "requires an MOU", "deny": "denies"}
_STATUS = {
    "applied": "applies",
    "defeated": "set aside",
    "not-applicable": "does not apply",
    "not-in-force": "not in force",
    "undetermined": "may apply (depends on a missing fact)",
}


def _when(d: Decision) -> str:
    s = d.scenario
    return str(s.date) if s.date_given else "today (no date given)"


def _cite(r: Reason) -> str:
    return f"{r.source.cite()} <{r.source.url}>" if r.source else ""


def _in_words(d: Decision, entry: str) -> str:
    """A determining entry or an obligation's source as people say it: "the MIT licence",
    'Art. 2 Reuse of OSI-approved code, in "Standing reuse agreement Paris-Baltimore"'."""
    if entry.startswith("licence:"):
        return f"the {entry.split(':', 1)[1]} licence"
    agreement, _, part = entry.partition(".")
    titles = {a.id: a.title for a in d.agreements}
    where = f'"{titles[agreement]}"' if agreement in titles else agreement
    clause = next((c for c in d.clauses if c.id == entry), None)
    if clause is not None:
        return f"{clause.title}, in {where}"
    if part in ("default", "scope"):
        return f"the {part} of {where}"
    return entry


def _listed(words: list[str]) -> str:
    if len(words) < 2:
        return "".join(words)
    return "; ".join(words[:-1]) + "; and " + words[-1]


def _decided_by(d: Decision) -> str:
    return _listed([_in_words(d, x) for x in d.determining])


def _status_words(c: ClauseStatus, d: Decision) -> str:
    words = _STATUS.get(c.status, c.status)
    if c.defeated_by:
        words += f" by {_in_words(d, c.defeated_by)}"
    why = _why_not(c)
    return words + (f" ({why})" if why else "")


def _clause_line(c: ClauseStatus, d: Decision) -> str:
    ref = f" [{c.ref}]" if c.ref else ""
    what = ("guardrail" if c.kind == "guardrail" else "") + (
        f"{' that ' if c.kind == 'guardrail' else ''}{_EFFECT.get(c.effect, c.effect)}" if c.effect else "")
    return f"{c.id} {c.title}{ref}: " + (f"{what}; " if what else "") + _status_words(c, d)


def _combined_words(d: Decision) -> str:
    """What the use asks of the combined work as a whole, if anything."""
    work = d.licence.combined
    if not work.copyleft:
        return ""
    copyleft = ", ".join(work.copyleft)
    if work.licence is not None:
        how = "the outbound licence given" if work.given else "the licence found that carries every part"
        return f"goes under {work.licence} as a whole ({how}; this use triggers a copyleft: {copyleft})"
    return (f"no open source licence can carry {' and '.join(work.blocking_licences)} together "
            f"(this use triggers a copyleft, {copyleft}, that needs one licence for the whole)")


def reuse_text(d: Decision) -> str:
    """The decision as plain text: verdict, licences, agreements, clauses, obligations, hints."""
    s = d.scenario
    out = [_VERDICT_LINE[d.verdict], f"  {d.summary}"]
    name = s.solution.name or "the solution"
    mod = "modified" if s.modified else "as is"
    out.append(f"  {s.recipient} reusing {name} from {s.provider} for {s.use} ({mod}), on {_when(d)}")
    if d.determining:
        out.append("  decided by: " + _decided_by(d))
    out.append("")
    out += _licence_text(d)
    out += _agreements_and_after_text(d)
    return "\n".join(out) + "\n"


def _licence_text(d: Decision) -> list[str]:
    """The "Licences:" section of the text: the owner's code, the combined work, the components."""
    s = d.scenario
    lic = d.licence
    out: list[str] = []
    out.append(f"Licences: {_OVERALL.get(lic.verdict, lic.verdict)}")
    granted = f" (and, granted by agreement, {', '.join(lic.granted)})" if lic.granted else ""
    out.append(f"  owner's code ({s.solution.owner}): {lic.expression or 'no licence'}{granted}"
               + (f", into a work under {lic.target}" if lic.target else "")
               + f": {_FINDING.get(lic.owner_status, lic.owner_status)}"
               + (f" (choosing {lic.choice})" if lic.choice else ""))
    for r in lic.reasons:
        src = f" [{_cite(r)}]" if r.source else ""
        out.append(f"    - {r.text}{src}")
    whole = _combined_words(d)
    if whole:
        out.append(f"  combined work: {whole}")
    for c in lic.components:
        if c.licence_field == "combined_with":
            why = f": {c.reasons[0].text}" if c.status != "grants" and c.reasons else ""
            out.append(f"  the recipient's code: {c.licence}: {_FINDING.get(c.status, c.status).split(' (')[0]}{why}")
    third = [c for c in lic.components if c.licence_field != "combined_with"]
    if third:
        counts: dict[str, int] = {}
        for c in third:
            counts[c.status] = counts.get(c.status, 0) + 1
        out.append("  third-party components: " + ", ".join(
            f"{counts[k]} {words}" for k, words in _COUNTED.items() if k in counts))
        for c in third:
            if c.status != "grants":
                why = c.problem or (c.reasons[0].text if c.reasons else "")
                who = printable(clip(f"{c.name} {c.version or ''} ({c.licence or 'no licence'})"), newlines=False)
                out.append(f"    - {who}: {_FINDING.get(c.status, c.status).split(' (')[0]}: {why}")
    for cond in lic.conditions:
        out.append(f"  condition: {cond}")
    for note in lic.notes:
        out.append(f"  note: {note}")
    return out


def _agreements_and_after_text(d: Decision) -> list[str]:
    """The text's sections after the licences: agreements, clauses, obligations, missing facts, hints."""
    out: list[str] = []
    if d.agreements:
        out.append("")
        out.append("Agreements:")
        for a in d.agreements:
            out.append(f"  {a.id} {a.title}: {a.why}")
    shown, hidden = _split_clauses(d)
    if shown:
        out.append("")
        out.append("Clauses:")
        for cl in shown:
            out.append("  " + _clause_line(cl, d))
    if hidden:
        out.append(f"  (clauses of {', '.join(hidden)} not listed: the agreement does not apply)")
    out.append("")
    out.append("Obligations:")
    if not d.obligations:
        out.append("  (none)")
    for o in d.obligations:
        out.append(f"  - {o.text} ({o.id}, from {_in_words(d, o.source)})")
    if d.missing:
        out.append("")
        out.append("Missing facts: " + ", ".join(d.missing))
    if d.hints:
        out.append("")
        out.append("What would change this:")
        out += [f"  - {h}" for h in d.hints]
    return out


def reuse_markdown(d: Decision) -> str:
    """The decision as a Markdown document, for a file or a reply."""
    s = d.scenario
    name = s.solution.name or "the solution"
    out = [f"# Reuse decision: {name}, {s.provider} to {s.recipient}", ""]
    out.append(f"**Verdict: `{d.verdict}`**. {_sentence(_VERDICT_LINE[d.verdict].split(': ', 1)[1])}.")
    out.append("")
    out.append(f"{_sentence(d.summary)}.")
    out.append("")
    out += ["| | |", "| --- | --- |",
            f"| Provider | `{s.provider}` |", f"| Recipient | `{s.recipient}` |",
            f"| Use | {s.use}{' (modified)' if s.modified else ''} |",
            f"| Linking | {s.linking or 'static'} |",
            f"| Decision date | {_when(d)} |",
            f"| Licence of the owner's code | `{d.licence.expression or 'none'}` |"]
    if d.determining:
        out.append("| Decided by | " + _decided_by(d) + " |")
    out += _licence_markdown(d)
    out += _agreements_and_after_markdown(d)
    return "\n".join(out) + "\n"


def _licence_markdown(d: Decision) -> list[str]:
    """The "Licence findings" section: overall finding, reasons, the combined work, components."""
    out = ["", "## Licence findings", ""]
    out.append(f"Overall, **{_OVERALL.get(d.licence.verdict, d.licence.verdict)}** (the owner's code: "
               f"{_FINDING.get(d.licence.owner_status, d.licence.owner_status)}; third-party components: "
               f"{_FINDING.get(d.licence.third_party_status, d.licence.third_party_status)}).")
    out.append("")
    for r in d.licence.reasons:
        src = f" ({_cite(r)})" if r.source else ""
        out.append(f"- {r.text}{src}")
    whole = _combined_words(d)
    if whole:
        out += ["", f"The combined work {whole}."]
    for note in d.licence.notes:
        out.append(f"- Note: {note}")
    if d.licence.components:
        out += ["", "| Component | Version | Licence | Field | Finding |", "| --- | --- | --- | --- | --- |"]
        for c in d.licence.components:
            out.append(f"| {c.name} | {c.version or ''} | `{c.licence or 'none'}` | {c.licence_field} | "
                       f"{_FINDING.get(c.status, c.status).split(' (')[0]} |")
    return out


def _agreements_and_after_markdown(d: Decision) -> list[str]:
    """The Markdown sections after the licences, down to the provenance of the inputs."""
    base = d.scenario.folder
    out: list[str] = []
    if d.agreements:
        out += ["", "## Agreements", "", "| Agreement | Applies | Why |", "| --- | --- | --- |"]
        for a in d.agreements:
            out.append(f"| `{a.id}` {a.title} | {'yes' if a.status == 'applies' else 'no'} | {a.why} |")
    shown, hidden = _split_clauses(d)
    if shown:
        out += ["", "## Clauses", "", "| Clause | Ref | Kind | Effect | Status |", "| --- | --- | --- | --- | --- |"]
        for cl in shown:
            out.append(f"| `{cl.id}` {cl.title} | {cl.ref or ''} | {cl.kind} | {_EFFECT.get(cl.effect or '', '')} | "
                       f"{_status_words(cl, d)} |")
    if hidden:
        out += ["", f"Clauses of {', '.join(f'`{a}`' for a in hidden)} are not listed: the agreement does not apply."]
    out += ["", "## Obligations", ""]
    if not d.obligations:
        out.append("None.")
    for o in d.obligations:
        out.append(f"- **{o.id}** ({_in_words(d, o.source)}): {o.text}")
    if d.hints:
        out += ["", "## What would change this", ""]
        out += [f"- {h}" for h in d.hints]
    out += ["", "## Provenance", "", f"- coopengine {d.provenance.get('coopengine')}, knowledge base "
            f"`{d.provenance.get('knowledge_base')}`"]
    inputs = d.provenance.get("inputs", {})
    if isinstance(inputs, dict):
        for path, digest in inputs.items():
            out.append(f"- `{_rel(str(path), base)}`: `{digest}`")
    return out
