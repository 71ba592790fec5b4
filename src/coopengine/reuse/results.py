"""What a reuse decision returns: frozen data that :mod:`coopengine.explain_reuse` renders.

:class:`Decision` is the whole answer; the others are its parts (the licence analysis and its
components, each agreement's and each clause's status, the obligations that follow).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..engine import ObligationItem, Reason
from ..scenario import Scenario

__all__ = ["AgreementStatus", "ClauseStatus", "CombinedWork", "ComponentFinding", "DecidedObligation", "Decision",
           "Failing", "LicenceAnalysis"]


@dataclass(frozen=True)
class ComponentFinding:
    id: str
    name: str
    version: str | None
    licence: str | None
    licence_field: str
    status: str  # grants | conditional | silent | forbids
    verdict: str  # the compat verdict
    reasons: tuple[Reason, ...] = ()
    conditions: tuple[str, ...] = ()
    obligations: tuple[ObligationItem, ...] = ()
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "version": self.version,
            "licence": self.licence,
            "licence_field": self.licence_field,
            "status": self.status,
            "verdict": self.verdict,
            "conditions": list(self.conditions),
            "reasons": [r.to_dict() for r in self.reasons],
            "problem": self.problem,
        }


@dataclass(frozen=True)
class CombinedWork:
    """Whether the use makes the combined work need one licence, and which one.

    ``copyleft``: the licences whose copyleft the use triggers (none: each part keeps its
    own licence). ``licence``: the licence the whole goes under, the scenario's ``outbound``
    (``given``) or the best one found, with ``alternatives``; None when no licence carries
    ``blocking_licences`` together, with ``blocking``: the parts to blame, those whose copyleft
    cannot be met ("owner", or the licence text of components or of the recipient's code).
    """

    copyleft: tuple[str, ...] = ()
    licence: str | None = None
    given: bool = False
    alternatives: tuple[str, ...] = ()
    blocking: tuple[str, ...] = ()
    blocking_licences: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"copyleft": list(self.copyleft), "licence": self.licence, "given": self.given,
                "alternatives": list(self.alternatives), "blocking": list(self.blocking),
                "blocking_licences": list(self.blocking_licences)}


@dataclass(frozen=True)
class LicenceAnalysis:
    verdict: str  # grants | conditional | silent | forbids (worst of owner and third parties)
    expression: str | None
    target: str | None
    choice: str | None
    owner_status: str
    third_party_status: str
    reasons: tuple[Reason, ...]
    conditions: tuple[str, ...]
    obligations: tuple[ObligationItem, ...]
    components: tuple[ComponentFinding, ...]
    owner_leaves: tuple[str, ...] = ()
    granted: tuple[str, ...] = ()
    combined: CombinedWork = field(default_factory=CombinedWork)
    outbound_blocked: bool = False  # a part the use allows cannot go under the scenario's outbound
    notes: tuple[str, ...] = ()  # how ids were read: deprecated or differently cased ids

    def to_dict(self) -> dict[str, Any]:
        # "notes" only when there are some, so outputs without them keep their exact bytes.
        return ({"notes": list(self.notes)} if self.notes else {}) | {
            "verdict": self.verdict,
            "expression": self.expression,
            "granted": list(self.granted),
            "target": self.target,
            "choice": self.choice,
            "owner": self.owner_status,
            "third_party": self.third_party_status,
            "conditions": list(self.conditions),
            "reasons": [r.to_dict() for r in self.reasons],
            "components": [c.to_dict() for c in self.components],
            "combined_work": self.combined.to_dict(),
        }


@dataclass(frozen=True)
class Failing:
    text: str
    value: bool | None
    note: bool = False  # a sentence on why the clause cannot apply, not a condition with a value


@dataclass(frozen=True)
class ClauseStatus:
    id: str  # agreement.clause
    title: str
    ref: str | None
    kind: str  # clause | guardrail
    status: str  # applied | defeated | not-applicable | not-in-force | undetermined
    effect: str | None
    defeated_by: str | None
    conditions: tuple[Failing, ...]
    file: str
    line: int
    obligations: tuple[str, ...] = ()
    grants: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "ref": self.ref,
            "kind": self.kind,
            "status": self.status,
            "effect": self.effect,
            "defeated_by": self.defeated_by,
            "conditions": [{"text": c.text, "value": c.value} for c in self.conditions],
            "obligations": list(self.obligations),
            "grants": list(self.grants),
            "file": self.file,
            "line": self.line,
        }


@dataclass(frozen=True)
class AgreementStatus:
    id: str
    title: str
    status: str  # applies | not-in-force | not-a-party | out-of-scope | scope-unknown
    why: str
    file: str
    line: int
    declaration: bool

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "kind": "declaration" if self.declaration else "agreement",
                "status": self.status, "why": self.why, "file": self.file, "line": self.line}


@dataclass(frozen=True)
class DecidedObligation:
    id: str
    source: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "source": self.source, "text": self.text}


@dataclass(frozen=True)
class Decision:
    verdict: str
    scenario: Scenario
    licence: LicenceAnalysis
    agreements: tuple[AgreementStatus, ...]
    clauses: tuple[ClauseStatus, ...]
    determining: tuple[str, ...]
    obligations: tuple[DecidedObligation, ...]
    hints: tuple[str, ...]
    missing: tuple[str, ...]
    summary: str
    provenance: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        s = self.scenario
        return {
            "schema": "coopengine/reuse/v1",
            "verdict": self.verdict,
            "summary": self.summary,
            "provider": s.provider,
            "recipient": s.recipient,
            "use": s.use,
            "modified": s.modified,
            "linking": s.linking or "static",
            "date": s.date.isoformat(),
            "solution": {"name": s.solution.name, "owner": s.solution.owner,
                         "licence_from": s.solution.licence_from},
            "licence": self.licence.to_dict(),
            "agreements": [a.to_dict() for a in self.agreements],
            "clauses": [c.to_dict() for c in self.clauses],
            "determining": list(self.determining),
            "missing_facts": list(self.missing),
            "obligations": [o.to_dict() for o in self.obligations],
            "hints": list(self.hints),
            "provenance": dict(self.provenance),
        }
