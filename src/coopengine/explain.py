"""Rendering decisions for people. The engine builds the trace as data; only this module writes prose."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .engine import CompatResult, ObligationItem, Reason, iea_open_source
from .expressions import ParsedExpression, leaves
from .knowledge import LicenceLookup
from .knowledge.model import ExceptionFacts, KnowledgeBase, LicenceFacts, Src
from .outbound import OutboundOption, Ranking
from .words import USES

__all__ = [
    "compat_text",
    "expr_text",
    "expr_dict",
    "licence_text",
    "licence_dict",
    "lookup_dict",
    "lookup_text",
    "outbound_text",
    "outbound_dict",
]

_HEAD = {
    "compatible": "COMPATIBLE",
    "incompatible": "INCOMPATIBLE",
    "conditional": "CONDITIONAL",
    "unknown": "UNKNOWN",
}


def _reason_lines(reasons: Iterable[Reason], indent: str = "  ") -> list[str]:
    out = []
    for r in reasons:
        out.append(f"{indent}- {r.text}")
        if r.source:
            out.append(f"{indent}  source: {r.source.cite()} <{r.source.url}>")
        for p in r.positions:
            mark = " (followed)" if r.follows == p.source.id else ""
            out.append(f"{indent}  position: {p.source.cite()} <{p.source.url}> says {p.says}{mark}")
    return out


def _obligation_lines(obligations: Sequence[ObligationItem]) -> list[str]:
    if not obligations:
        return ["  (none for this use)"]
    return [f"  - {o.id} ({o.licence}): {o.text}" for o in obligations]


def compat_text(r: CompatResult) -> str:
    lines = [
        f"{_HEAD[r.verdict]}: {r.inbound} into a work under {r.outbound}",
        f"  use: {r.use}, linking: {r.linking}",
    ]
    if r.choice:
        lines.append(f"  choice: {r.choice}")
    if r.blocking:
        lines.append(f"  blocking: {', '.join(r.blocking)}")
    if r.conditions:
        lines.append("Conditions:")
        lines += [f"  - {c}" for c in r.conditions]
    lines.append("Reasons:")
    lines += _reason_lines(r.reasons)
    if r.verdict != "unknown":
        lines.append("Obligations:")
        lines += _obligation_lines(r.obligations)
    if r.notes:
        lines.append("Notes:")
        lines += [f"  - {n}" for n in r.notes]
    return "\n".join(lines) + "\n"


def expr_dict(p: ParsedExpression, kb: KnowledgeBase | None = None) -> dict[str, object]:
    from .expressions import Or, render

    ls = leaves(p.expression)
    licences = sorted({leaf.key for leaf in ls})
    exceptions = sorted({leaf.exception for leaf in ls if leaf.exception})
    choices: list[list[str]] = []

    def walk(e: object) -> None:
        if isinstance(e, Or):
            choices.append([render(x) for x in e.parts])
        for part in getattr(e, "parts", ()):
            walk(part)

    walk(p.expression)
    out: dict[str, object] = {
        "schema": "coopengine/expr/v1",
        "input": p.text,
        "normalised": p.normalised,
        "licences": licences,
        "exceptions": exceptions,
        "choices": choices,
        "notes": list(p.notes),
    }
    if kb is not None:
        out["known"] = {
            lid: (kb.licence(lid.rstrip("+")).curated if kb.licence(lid.rstrip("+")) else False)  # type: ignore[union-attr]
            for lid in licences
        }
    return out


def expr_text(p: ParsedExpression, kb: KnowledgeBase | None = None) -> str:
    d = expr_dict(p, kb)
    lines = [f"{d['normalised']}"]
    lines.append("  licences: " + (", ".join(d["licences"]) or "-"))  # type: ignore[arg-type]
    lines.append("  exceptions: " + (", ".join(d["exceptions"]) or "-"))  # type: ignore[arg-type]
    for alts in d["choices"]:  # type: ignore[attr-defined]
        lines.append("  choice between: " + " | ".join(alts))
    known = d.get("known")
    if isinstance(known, dict):
        missing = [k for k, v in known.items() if not v]
        if missing:
            lines.append("  not curated (compatibility unknown): " + ", ".join(missing))
    for n in p.notes:
        lines.append(f"  note: {n}")
    return "\n".join(lines) + "\n"


def licence_dict(facts: LicenceFacts | ExceptionFacts, kb: KnowledgeBase) -> dict[str, object]:
    if isinstance(facts, ExceptionFacts):
        return {
            "schema": "coopengine/licence/v1",
            "id": facts.id,
            "kind": "exception",
            "name": facts.name,
            "curated": facts.curated,
            "effect": facts.effect,
            "applies_to": list(facts.applies_to),
            "removes_incompatibility_with": list(facts.removes_incompatibility_with),
            "condition": facts.condition,
            "text": facts.text,
            "sources": [s.to_dict() for s in facts.sources],
            "file": facts.file,
        }
    return {
        "schema": "coopengine/licence/v1",
        "id": facts.id,
        "kind": "licence",
        "name": facts.name,
        "curated": facts.curated,
        "category": facts.category,
        "category_source": facts.category_source.to_dict(),
        "copyleft": facts.copyleft,
        "triggers": sorted(facts.triggers),
        "osi_approved": facts.osi_approved,
        "fsf_libre": facts.fsf_libre,
        "iea_open_source": _iea(facts),
        "versions": list(facts.versions),
        "obligations": {use: [{"id": o, "text": kb.obligations.get(o, o)} for o in ids]
                        for use, ids in sorted(facts.obligations.items())},
        "relicense": [
            {
                "to": path.to,
                "condition": path.condition,
                "steps": [{"from": a, "to": b, "reason": why, "source": s.to_dict()} for a, b, why, s in path.steps],
            }
            for _, path in sorted(facts.relicense.items())
        ],
        "incompatible": [_pair(p) for _, p in sorted(facts.incompatible.items())],
        "compatible": [_pair(p) for _, p in sorted(facts.compatible.items())],
        "restrictions": [
            {"id": r.id, "text": r.text, "uses": sorted(r.uses), "effect": r.effect, "condition": r.condition,
             "source": r.source.to_dict()}
            for r in facts.restrictions
        ],
        # null: the terms were never reviewed (whole-work conditions then answer unknown)
        "terms": None if facts.terms is None else [{"id": t, "text": kb.terms.get(t, t), "source": s.to_dict()}
                                                   for t, s in sorted(facts.terms.items())],
        "conditions": [{"id": c, "text": kb.conditions[c].text, "source": kb.conditions[c].source.to_dict()}
                       for c in facts.conditions if c in kb.conditions],
        "sources": [s.to_dict() for s in facts.sources],
        "notes": facts.notes,
        "file": facts.file,
        # Listed: granted or withheld by a source; a permission not listed is unknown.
        "permissions": [{"id": p.id, "granted": p.granted, "text": p.text, "reason": p.reason,
                         "source": p.source.to_dict()} for p in facts.permissions],
    }


def _pair(p: object) -> dict[str, object]:
    from .knowledge.model import PairFact

    assert isinstance(p, PairFact)
    out: dict[str, object] = {"with": p.other, "reason": p.reason, "source": p.source.to_dict()}
    if p.condition:
        out["condition"] = p.condition
    if p.uses:
        out["uses"] = sorted(p.uses)
    if p.positions:
        out["positions"] = [{"source": x.source.to_dict(), "says": x.says} for x in p.positions]
        out["follows"] = p.follows
    return out


def _cite(src: Src) -> str:
    """A source as people read it: title, section, and the address to check it."""
    return f"{src.cite()} <{src.url}>"


def _grouped(items: Iterable[tuple[str, tuple[str, ...]]]) -> list[tuple[tuple[str, ...], list[str]]]:
    """Licences sharing one key (what is said and its source), in first-seen order."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for other, key in items:
        groups.setdefault(key, []).append(other)
    return list(groups.items())


def _licence_fact_lines(facts: LicenceFacts) -> list[str]:
    """Relicensing paths and pair facts, one line per reason and source with every licence it
    covers (the EUPL's Art. 5 once for its appendix licences, not once per licence)."""
    lines = []
    paths = []
    for _, path in sorted(facts.relicense.items()):
        through = [step[1] for step in path.steps[:-1]]
        said = "; ".join(f"{why.rstrip('.')} [{_cite(src)}]" for _, _, why, src in path.steps)
        paths.append((path.to, (" via " + ", then ".join(through) if through else "", path.condition or "", said)))
    for (via, cond, said), targets in _grouped(paths):
        lines.append(f"  may be used under {', '.join(targets)}{via}" + (f" (if {cond})" if cond else "")
                     + f": {said}")
    for word, table in (("incompatible", facts.incompatible), ("compatible", facts.compatible)):
        items = [(p.other, (p.condition or "", p.reason, _cite(p.source))) for _, p in sorted(table.items())]
        for (cond, reason, cite), others in _grouped(items):
            lines.append(f"  {word} with {', '.join(others)}" + (f" if {cond}" if cond else "")
                         + f": {reason} [{cite}]")
    return lines


def lookup_dict(found: LicenceLookup, kb: KnowledgeBase) -> dict[str, object]:
    """The JSON of ``coop licence ID``: the facts of what the id is read as, and how it was read."""
    data = licence_dict(found.shown[0], kb)
    data["input"] = found.input
    data["read_as"] = found.read_as
    data["notes"] = list(found.parsed.notes) if found.parsed else []
    data["exception"] = licence_dict(found.shown[1], kb) if len(found.shown) > 1 else None
    return data


def lookup_text(found: LicenceLookup, kb: KnowledgeBase) -> str:
    """The text of ``coop licence ID``: the licence (with the reading notes), then its exception."""
    return "".join(licence_text(f, kb, found.parsed if i == 0 else None) for i, f in enumerate(found.shown))


def licence_text(facts: LicenceFacts | ExceptionFacts, kb: KnowledgeBase,
                 read: ParsedExpression | None = None) -> str:
    """The facts on one licence or exception; ``read``: how the deciding commands read the id
    the user typed, when it is not the id itself (a deprecated id)."""
    lines = []
    for note in read.notes if read else ():
        said = re.sub(r"^deprecated id (\S+) read as ", r"\1: deprecated id, read as ", note)
        lines.append(said + (" (as coop compat, reuse, sbom and tender read it)" if said != note else ""))
    lines.append(f"{facts.id}: {facts.name} ({'exception' if isinstance(facts, ExceptionFacts) else 'licence'})")
    if not facts.curated:
        lines.append("  not curated: only its identity and category are known; compatibility answers are unknown")
    if isinstance(facts, ExceptionFacts):
        if facts.curated:
            lines.append(f"  effect: {facts.effect}")
            lines.append(f"  applies to: {', '.join(facts.applies_to)}")
            lines.append(f"  {facts.text}")
        for s in facts.sources:
            lines.append(f"  source: {_cite(s)}")
        return "\n".join(lines) + "\n"
    lines.append(f"  category: {facts.category} (source: {_cite(facts.category_source)})")
    if facts.curated:
        lines.append(f"  copyleft: {facts.copyleft}; triggered by: {', '.join(sorted(facts.triggers)) or 'nothing'}")
    lines.append(f"  OSI approved: {_yn(facts.osi_approved)}; FSF libre: {_yn(facts.fsf_libre)}; "
                 f"open source under the Interoperable Europe Act (Art. 2(12)): {_yn(_iea(facts))}")
    if facts.versions:
        lines.append(f"  versions to choose from: {', '.join(facts.versions)}")
    for use in USES:
        ids = facts.obligations.get(use, ())
        if facts.curated:
            lines.append(f"  obligations on {use}: {', '.join(ids) or 'none'}")
    if facts.terms is not None:
        lines.append(f"  asks those who pass it on: {', '.join(sorted(facts.terms)) or 'nothing'}")
    for c in facts.conditions:
        lines.append(f"  sets on the whole work: {c} [{_cite(kb.conditions[c].source)}]")
    lines += _licence_fact_lines(facts)
    for p in facts.permissions:
        lines.append(f"  {'lets you' if p.granted else 'does not let you'} {p.text} ({p.id}): {p.reason} "
                     f"[{_cite(p.source)}]")
    for r in facts.restrictions:
        lines.append(f"  restriction {r.id} on {', '.join(sorted(r.uses))}: {r.text} [{_cite(r.source)}]")
    for s in facts.sources:
        lines.append(f"  source: {_cite(s)}")
    if facts.notes:
        lines.append(f"  note: {facts.notes.strip()}")
    if facts.file:
        lines.append(f"  defined in: {facts.file}")
    return "\n".join(lines) + "\n"


def _yn(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def outbound_dict(
    expr: ParsedExpression,
    use: str,
    linking: str,
    ranking: Ranking,
    uncurated: int = 0,
) -> dict[str, object]:
    short = set(ranking.short)
    return {
        "schema": "coopengine/outbound/v1",
        "inbound": expr.normalised,
        "use": use,
        "linking": linking,
        "order": list(ORDER),
        "candidates": [dict(rank=i + 1, short_list=i in short, **o.to_dict()) for i, o in enumerate(ranking.ok)],
        "not_assessed": [
            {"licence": o.licence, "why": "; ".join(r.text for r in o.reasons)} for o in ranking.unknown
        ],
        "not_curated": uncurated,
    }


# The ranking rule in words, for the text and JSON outputs (docs/knowledge-base.md says more).
ORDER = (
    "the inbound's own licences first, when one can carry the whole work",
    "compatible before conditional",
    "keeps every permission of the inputs",
    "fewest obligations added to the inputs' own",
    "most widely used (public-sector licences such as EUPL-1.2 among the well-used)",
)


def _words(obligation_id: str) -> str:
    base, _, scope = obligation_id.partition("--")
    return base.replace("-", " ") + (f" ({scope} only)" if scope else "")


def _outbound_row(rank: int, o: OutboundOption, refs: str) -> str:
    verdict = o.verdict + (f" if {'; '.join(o.conditions)}" if o.conditions else "")
    added = ", ".join(_words(i) for i, _ in o.obligations_added)
    parts = [verdict, f"adds {added}" if added else "adds no obligation"]
    if o.permissions_lost:
        parts.append("gives up " + " and ".join(o.permissions_lost))
    return f"  {rank:>3}. {o.licence}: {'; '.join(parts)} [{refs}]"


def _reason_key(o: OutboundOption, r: Reason) -> tuple[str, str, str]:
    """A reason with the row's own id written as "the outbound licence", so that rows
    decided the same way share one reason (not when the part is the row's licence itself)."""
    text = r.text
    if r.licence != o.licence:
        text = re.sub(rf"(?<![\w.+-]){re.escape(o.licence)}(?![\w.+-])", "the outbound licence", text)
    source = f"{r.source.cite()} <{r.source.url}>" if r.source else ""
    return (r.licence or "", text, source)


def outbound_text(
    expr: ParsedExpression,
    use: str,
    linking: str,
    ranking: Ranking,
    uncurated: int = 0,
    every: bool = False,
) -> str:
    from .outbound import FAMILIES

    ok = ranking.ok
    lines = [f"Outbound licences for a work containing {expr.normalised} (use: {use}, linking: {linking})"]
    if not ok:
        lines.append("  none of the curated licences works")
    else:
        shown = range(len(ok)) if every else ranking.short
        lines.append(f"Ranked by: {'; then '.join(ORDER)}.")
        lines.append(f"Shown: all {len(ok)} that work." if every else
                     f"Shown: its own licences and the best of each family, {len(shown)} of the {len(ok)} "
                     "that work (--all lists every one).")
        refs: dict[tuple[str, str, str], str] = {}
        rows: dict[str, list[str]] = {}
        for i in shown:
            o = ok[i]
            marks = []
            for r in o.reasons:
                key = _reason_key(o, r)
                marks.append(refs.setdefault(key, f"R{len(refs) + 1}"))
            group = "Its own licences" if o.own else o.family.capitalize()
            rows.setdefault(group, []).append(_outbound_row(i + 1, o, ", ".join(dict.fromkeys(marks))))
        for group in ("Its own licences", *(f.capitalize() for f in FAMILIES)):
            if group in rows:
                lines.append(f"{group}:")
                lines += rows[group]
        lines.append("Reasons:")
        for (_, text, source), mark in refs.items():
            lines.append(f"  {mark}. {text}")
            if source:
                lines.append(f"      source: {source}")
    if ranking.unknown:
        lines.append("Could not be assessed:")
        for o in ranking.unknown:
            lines.append(f"  - {o.licence}: {'; '.join(r.text for r in o.reasons[:1])}")
    if uncurated:
        lines.append(f"Not assessed: {uncurated} recognised SPDX licences whose terms are not curated "
                     "(source-available and proprietary licences are never proposed as outbound licences)")
    return "\n".join(lines) + "\n"


def _iea(facts: LicenceFacts) -> bool | None:
    """The licence's status under the Interoperable Europe Act (see ``engine.iea_open_source``)."""
    found = iea_open_source(facts)
    return found.granted if found is not None else None
