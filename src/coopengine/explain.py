"""Rendering decisions for people. The engine builds the trace as data; only this module writes prose."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .engine import CompatResult, ObligationItem, OutboundOption, Reason
from .expressions import ParsedExpression, leaves
from .knowledge.model import ExceptionFacts, KnowledgeBase, LicenceFacts
from .words import USES

__all__ = [
    "compat_text",
    "expr_text",
    "expr_dict",
    "licence_text",
    "licence_dict",
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
            out.append(f"{indent}  position: {p.source.cite()} says {p.says}{mark}")
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


def licence_text(facts: LicenceFacts | ExceptionFacts, kb: KnowledgeBase) -> str:
    d = licence_dict(facts, kb)
    lines = [f"{d['id']}: {d['name']} ({d['kind']})"]
    if not facts.curated:
        lines.append("  not curated: only its identity and category are known; compatibility answers are unknown")
    if isinstance(facts, ExceptionFacts):
        if facts.curated:
            lines.append(f"  effect: {facts.effect}")
            lines.append(f"  applies to: {', '.join(facts.applies_to)}")
            lines.append(f"  {facts.text}")
        for s in facts.sources:
            lines.append(f"  source: {s.cite()} <{s.url}>")
        return "\n".join(lines) + "\n"
    lines.append(f"  category: {facts.category} (source: {facts.category_source.cite()})")
    if facts.curated:
        lines.append(f"  copyleft: {facts.copyleft}; triggered by: {', '.join(sorted(facts.triggers)) or 'nothing'}")
    lines.append(f"  OSI approved: {_yn(facts.osi_approved)}; FSF libre: {_yn(facts.fsf_libre)}")
    if facts.versions:
        lines.append(f"  versions to choose from: {', '.join(facts.versions)}")
    for use in USES:
        ids = facts.obligations.get(use, ())
        if facts.curated:
            lines.append(f"  obligations on {use}: {', '.join(ids) or 'none'}")
    if facts.terms is not None:
        lines.append(f"  asks those who pass it on: {', '.join(sorted(facts.terms)) or 'nothing'}")
    for c in facts.conditions:
        lines.append(f"  sets on the whole work: {c} [{kb.conditions[c].source.cite()}]")
    for _, path in sorted(facts.relicense.items()):
        via = " -> ".join([path.steps[0][0], *(b for _, b, _, _ in path.steps)])
        lines.append(f"  may be used under {path.to}: {via}" + (f" (if {path.condition})" if path.condition else ""))
    for _, p in sorted(facts.incompatible.items()):
        lines.append(f"  incompatible with {p.other}: {p.reason} [{p.source.cite()}]")
    for _, p in sorted(facts.compatible.items()):
        cond = f" if {p.condition}" if p.condition else ""
        lines.append(f"  compatible with {p.other}{cond}: {p.reason} [{p.source.cite()}]")
    for r in facts.restrictions:
        lines.append(f"  restriction {r.id} on {', '.join(sorted(r.uses))}: {r.text} [{r.source.cite()}]")
    for s in facts.sources:
        lines.append(f"  source: {s.cite()} <{s.url}>")
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
    ok: Sequence[OutboundOption],
    unknown: Sequence[OutboundOption],
    uncurated: int = 0,
) -> dict[str, object]:
    return {
        "schema": "coopengine/outbound/v1",
        "inbound": expr.normalised,
        "use": use,
        "linking": linking,
        "candidates": [dict(rank=i + 1, **o.to_dict()) for i, o in enumerate(ok)],
        "not_assessed": [
            {"licence": o.licence, "why": "; ".join(r.text for r in o.reasons)} for o in unknown
        ],
        "not_curated": uncurated,
    }


def outbound_text(
    expr: ParsedExpression,
    use: str,
    linking: str,
    ok: Sequence[OutboundOption],
    unknown: Sequence[OutboundOption],
    uncurated: int = 0,
) -> str:
    lines = [f"Outbound licences for a work containing {expr.normalised} (use: {use}, linking: {linking})"]
    if not ok:
        lines.append("  none of the curated licences works")
    for i, o in enumerate(ok, 1):
        first = o.reasons[0].text if o.reasons else ""
        cond = f" [if {'; '.join(o.conditions)}]" if o.conditions else ""
        lines.append(f"  {i:>3}. {o.licence} ({o.verdict}){cond}: {first}")
    if unknown:
        lines.append("Could not be assessed:")
        for o in unknown:
            lines.append(f"  - {o.licence}: {'; '.join(r.text for r in o.reasons[:1])}")
    if uncurated:
        lines.append(f"Not assessed: {uncurated} recognised SPDX licences whose terms are not curated "
                     "(source-available and proprietary licences are never proposed as outbound licences)")
    return "\n".join(lines) + "\n"
