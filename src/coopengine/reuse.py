"""The reuse decision: may the recipient reuse the solution without an MOU?

The pipeline reads in one function, :func:`decide`:

1. licence analysis of the solution for the use (its own licence, every SBOM component, the
   recipient's ``combined_with`` and ``outbound``) through the compatibility engine;
2. the agreements in force between provider and recipient, evaluated as ``language.md`` says
   (guardrails first, defeasible clauses, precedence and ``refines``, defaults), in
   three-valued logic;
3. the verdict. Conditions whose value is unknown are tried both ways: if the verdict changes,
   the result is ``undetermined`` and names the missing facts.

Everything here builds data (:class:`Decision`); :mod:`coopengine.explain_reuse` renders it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .engine import CompatResult, ObligationItem, Reason, check_compat, check_use
from .errors import InputError, Location
from .expressions import And as ExprAnd
from .expressions import Expression, Leaf, ParsedExpression, leaves, parse_expression
from .knowledge import KnowledgeBase, load_knowledge
from .scenario import Scenario

__all__ = ["Decision", "decide", "ClauseStatus", "AgreementStatus", "LicenceAnalysis", "ComponentFinding"]

MAX_UNKNOWN_ITEMS = 12
_STATUS_OF = {"compatible": "grants", "conditional": "conditional", "unknown": "silent", "incompatible": "forbids"}
_STATUS_RANK = {"grants": 0, "conditional": 1, "silent": 2, "forbids": 3}
_EFFECT_RANK = {"permit": 0, "require-mou": 1, "deny": 2}


# --- results ----------------------------------------------------------------------------


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

    def to_dict(self) -> dict[str, Any]:
        return {
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
        }


@dataclass(frozen=True)
class Failing:
    text: str
    value: bool | None


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


# --- licence analysis -----------------------------------------------------------------------


def _parse_owner_licence(scenario: Scenario) -> ParsedExpression | None:
    text = scenario.solution.licence
    if text is None:
        return None
    line = scenario.positions.get("solution.licence")
    try:
        return parse_expression(text, source="solution.licence")
    except InputError as exc:
        where = "publiccode.yml legal.license" if scenario.solution.licence_from == "publiccode" else scenario.file
        exc.location = Location(where, line if scenario.solution.licence_from == "scenario" else None,
                                exc.location.column)
        raise


def _parse_optional(scenario: Scenario, key: str) -> ParsedExpression | None:
    text = getattr(scenario, key)
    if text is None:
        return None
    try:
        return parse_expression(text, source=key)
    except InputError as exc:
        exc.location = Location(scenario.file, scenario.positions.get(key), exc.location.column)
        raise


def analyse_licences(
    scenario: Scenario, components: Sequence[Any], kb_extra: Sequence[str], grants: Sequence[str] = ()
) -> LicenceAnalysis:
    """Licences of the owner's code (with any licence granted by an agreement) and of each component."""
    owner = _parse_owner_licence(scenario)
    outbound = _parse_optional(scenario, "outbound")
    combined = _parse_optional(scenario, "combined_with")
    linking = scenario.linking or "static"
    use = scenario.use
    target = outbound or combined
    reasons: list[Reason] = []
    conditions: list[str] = []
    obligations: list[ObligationItem] = []
    choice = None
    original: str | None = None
    owner_leaves: tuple[str, ...] = ()
    if owner is None:
        owner_status = "silent"
        reasons.append(Reason("the solution's licence is not given (no licence, no publiccode.yml legal.license)",
                              "no-licence", None))
    else:
        original = owner.normalised
        expr = owner.expression
        if grants:
            # A granted licence is one more alternative for the owner's code.
            granted = [parse_expression(g, source="grant").expression for g in grants]
            from .expressions import Or

            expr = Or(tuple(dict.fromkeys([expr, *granted])))
            owner = ParsedExpression(owner.text, expr, owner.notes)
        result: CompatResult
        if target is not None:
            result = check_compat(owner, target, use=use, linking=linking, kb=kb_extra)
        else:
            result = check_use(owner, use=use, linking=linking, kb=kb_extra)
        owner_status = _STATUS_OF[result.verdict]
        reasons.extend(result.reasons)
        conditions.extend(result.conditions)
        obligations.extend(result.obligations)
        choice = result.choice
        chosen = parse_expression(choice).expression if choice else expr
        owner_leaves = tuple(leaf.key for leaf in leaves(chosen))
    findings = []
    comp_target = target or owner
    for comp in components:
        findings.append(_component(comp, comp_target, use, linking, kb_extra))
    third = max((f.status for f in findings), key=_STATUS_RANK.__getitem__, default="grants")
    for f in findings:
        obligations.extend(f.obligations)
    overall = max((owner_status, third), key=_STATUS_RANK.__getitem__)
    return LicenceAnalysis(
        verdict=overall,
        expression=original if owner else None,
        target=target.normalised if target else None,
        choice=choice,
        owner_status=owner_status,
        third_party_status=third,
        reasons=tuple(dict.fromkeys(reasons)),
        conditions=tuple(dict.fromkeys(conditions + [c for f in findings for c in f.conditions])),
        obligations=tuple(sorted(set(obligations), key=lambda o: (o.licence, o.id))),
        components=tuple(findings),
        owner_leaves=owner_leaves,
        granted=tuple(grants),
    )


def _component(comp: Any, target: ParsedExpression | None, use: str, linking: str,
               kb_extra: Sequence[str]) -> ComponentFinding:
    text = comp.licence
    base = dict(id=comp.id, name=comp.name, version=comp.version, licence=text, licence_field=comp.licence_field)
    if not text or not str(text).strip():
        return ComponentFinding(**base, status="silent", verdict="unknown",  # type: ignore[arg-type]
                                problem="no licence declared")
    try:
        parsed = parse_expression(str(text), source=f"component {comp.id}")
    except InputError as exc:
        return ComponentFinding(**base, status="silent", verdict="unknown",  # type: ignore[arg-type]
                                problem=f"not an SPDX expression: {exc.message}")
    if target is None:
        result = check_use(parsed, use=use, linking=linking, kb=kb_extra)
    else:
        result = check_compat(parsed, target, use=use, linking=linking, kb=kb_extra)
    return ComponentFinding(
        **base,  # type: ignore[arg-type]
        status=_STATUS_OF[result.verdict],
        verdict=result.verdict,
        reasons=result.reasons,
        conditions=result.conditions,
        obligations=result.obligations,
    )


# --- agreements ---------------------------------------------------------------------------


Truth = bool | None


@dataclass
class _Item:
    """A condition whose value the scenario leaves unknown: tried both ways."""

    key: str
    facts: tuple[str, ...]


def _facts(scenario: Scenario, program: Any) -> dict[str, object]:
    s = scenario
    facts: dict[str, object] = {
        "use": s.use,
        "modified": s.modified,
        "linking": s.linking or "static",
        "date": s.date,
        "provider": s.provider,
        "recipient": s.recipient,
        "solution.owner": s.solution.owner,
    }
    if s.solution.name is not None:
        facts["solution.name"] = s.solution.name
    for role in ("provider", "recipient"):
        party = program.party(getattr(s, role)) if program is not None else None
        if party is not None:
            if party.kind:
                facts[f"{role}.kind"] = party.kind
            if party.jurisdiction:
                facts[f"{role}.jurisdiction"] = party.jurisdiction
    for k, v in s.solution.attributes.items():
        facts[f"solution.{k}"] = v
    return facts


def _licence_oracle(scenario: Scenario, kb: KnowledgeBase, kb_extra: Sequence[str],
                    owner: ParsedExpression | None) -> Callable[[Any], Truth]:
    from .language import evaluate
    from .language.model import CompatibleWith

    def leaf_value(leaf: Leaf, atom: Any) -> Truth:
        facts = kb.licence(leaf.id)
        special = leaf.id in ("NONE", "NOASSERTION") or facts is None
        values: dict[str, object] = {"licence.id": leaf.key}
        if not special and facts is not None:
            if facts.osi_approved is not None:
                values["licence.osi-approved"] = facts.osi_approved
            if facts.fsf_libre is not None:
                values["licence.fsf-libre"] = facts.fsf_libre
            values["licence.category"] = facts.category
            if facts.curated and facts.copyleft:
                values["licence.copyleft"] = facts.copyleft
        else:
            values["licence.category"] = "unknown"
        if isinstance(atom, CompatibleWith):
            if atom.target is None:
                return None
            r = check_compat(ParsedExpression(str(leaf), leaf), atom.target, use=scenario.use,
                             linking=scenario.linking or "static", kb=kb_extra)
            return True if r.verdict == "compatible" else False if r.verdict == "incompatible" else None
        return evaluate(atom, values)

    def over(expr: Expression, atom: Any) -> Truth:
        if isinstance(expr, Leaf):
            return leaf_value(expr, atom)
        vals = [over(p, atom) for p in expr.parts]
        if isinstance(expr, ExprAnd):
            return False if False in vals else (None if None in vals else True)
        return True if True in vals else (None if None in vals else False)

    def oracle(atom: Any) -> Truth:
        if owner is None:
            return None
        return over(owner.expression, atom)

    return oracle


def _cond_text(cond: Any, lines: Mapping[str, Sequence[str]]) -> str:
    span = getattr(cond, "span", None)
    if span is None or span.line <= 0:
        return type(cond).__name__
    file_lines = lines.get(span.file, ())
    if span.line == span.end_line and 0 < span.line <= len(file_lines):
        return file_lines[span.line - 1][span.column - 1 : span.end_column - 1].strip()
    if 0 < span.line <= len(file_lines):
        return file_lines[span.line - 1][span.column - 1 :].strip() + " ..."
    return type(cond).__name__


@dataclass
class _Evaluated:
    """Per-run evaluation of every agreement and clause (with the unknowns still open)."""

    agreement_truth: dict[str, Truth]
    agreement_status: dict[str, AgreementStatus]
    clause_truth: dict[str, Truth]  # own condition and effective dates (not inherited)
    failing: dict[str, tuple[Failing, ...]]
    unknown_facts: dict[str, tuple[str, ...]]  # item key -> fact names


def _atoms_unknown(cond: Any, facts: Mapping[str, object], oracle: Callable[[Any], Truth]) -> tuple[str, ...]:
    from .language.logic import atoms, evaluate, is_licence_atom

    out = []
    for atom in atoms(cond):
        if evaluate(atom, facts, oracle) is None:
            if is_licence_atom(atom):
                out.append("the solution's licence (" + getattr(atom, "path", "compatible-with") + ")")
            else:
                out.append(getattr(atom, "path", "?"))
    return tuple(dict.fromkeys(out))


def _evaluate(program: Any, scenario: Scenario, facts: Mapping[str, object], oracle: Callable[[Any], Truth],
              lines: Mapping[str, Sequence[str]]) -> _Evaluated:
    from .language import evaluate
    from .language.logic import atoms

    ev = _Evaluated({}, {}, {}, {}, {})
    for a in program.agreements:
        members = [r.name for r in a.parties]
        where = (a.span.file, a.span.line)
        eff = a.effective
        if eff is not None and not eff.covers(scenario.date):
            until = f" until {eff.until}" if eff.until else ""
            why = f"in force from {eff.start}{until}; the decision date is {scenario.date}"
            ev.agreement_status[a.id] = AgreementStatus(a.id, a.title, "not-in-force", why, *where, a.declaration)
            ev.agreement_truth[a.id] = False
            continue
        if scenario.provider == scenario.recipient:
            ev.agreement_status[a.id] = AgreementStatus(a.id, a.title, "not-a-party",
                                                        "provider and recipient are the same party", *where,
                                                        a.declaration)
            ev.agreement_truth[a.id] = False
            continue
        missing = [p for p in (scenario.provider, scenario.recipient) if p not in members]
        if missing:
            if len(missing) > 1:
                why = f"{' and '.join(missing)} are not {'adherents' if a.declaration else 'parties'} of it"
            else:
                why = f"{missing[0]} is not {'an adherent' if a.declaration else 'a party'} of it"
            ev.agreement_status[a.id] = AgreementStatus(a.id, a.title, "not-a-party", why, *where, a.declaration)
            ev.agreement_truth[a.id] = False
            continue
        if a.scope is not None:
            value = evaluate(a.scope, facts, oracle)
            text = _cond_text(a.scope, lines)
            if value is False:
                ev.agreement_status[a.id] = AgreementStatus(a.id, a.title, "out-of-scope",
                                                            f"its scope does not hold: {text}", *where, a.declaration)
                ev.agreement_truth[a.id] = False
                continue
            if value is None:
                ev.agreement_truth[a.id] = None
                ev.unknown_facts[f"scope:{a.id}"] = _atoms_unknown(a.scope, facts, oracle)
                ev.agreement_status[a.id] = AgreementStatus(
                    a.id, a.title, "scope-unknown", f"its scope depends on missing facts: {text}", *where,
                    a.declaration)
                continue
        ev.agreement_truth[a.id] = True
        ev.agreement_status[a.id] = AgreementStatus(
            a.id, a.title, "applies",
            f"in force on {scenario.date}; {scenario.provider} and {scenario.recipient} are both "
            f"{'adherents' if a.declaration else 'parties'}" + ("; its scope holds" if a.scope is not None else ""),
            *where, a.declaration)
    for a in program.agreements:
        for c in a.clauses:
            key = f"{a.id}.{c.id}"
            if ev.agreement_truth.get(a.id) is False:
                # Facts that clauses of an agreement that does not apply would read cannot matter.
                ev.clause_truth[key] = False
                ev.failing[key] = ()
                continue
            if c.effective is not None and not c.effective.covers(scenario.date):
                ev.clause_truth[key] = False
                ev.failing[key] = (Failing(f"effective {c.effective.start}"
                                           + (f" until {c.effective.until}" if c.effective.until else ""), False),)
                continue
            if c.when is None:
                ev.clause_truth[key] = True
                ev.failing[key] = ()
                continue
            value = evaluate(c.when, facts, oracle)
            ev.clause_truth[key] = value
            shown = []
            for atom in atoms(c.when):
                shown.append(Failing(_cond_text(atom, lines), evaluate(atom, facts, oracle)))
            ev.failing[key] = tuple(shown)
            if value is None:
                ev.unknown_facts[key] = _atoms_unknown(c.when, facts, oracle)
    return ev


@dataclass(frozen=True)
class _Outcome:
    verdict: str
    determining: tuple[str, ...]
    statuses: Mapping[str, tuple[str, str | None]]  # clause key -> (status, defeated_by)
    applied: tuple[str, ...]  # clause keys applied (undefeated), for obligations and grants
    conflict: str | None
    reason: str


def _run(program: Any, ev: _Evaluated, assign: Mapping[str, bool], analysis_for: Callable[[tuple[str, ...]],
         LicenceAnalysis]) -> tuple[_Outcome, LicenceAnalysis]:
    """One deterministic run with every unknown item fixed by ``assign``."""

    def agreement_applies(aid: str) -> bool:
        t = ev.agreement_truth.get(aid)
        return assign.get(f"scope:{aid}", False) if t is None else bool(t)

    clause_of: dict[str, tuple[Any, Any]] = {}
    for a in program.agreements:
        for c in a.clauses:
            clause_of[f"{a.id}.{c.id}"] = (a, c)

    def own_truth(key: str) -> bool:
        t = ev.clause_truth.get(key)
        return assign.get(key, False) if t is None else bool(t)

    def base_key(a: Any, c: Any) -> str | None:
        if c.exception_to is None:
            return None
        return f"{c.exception_to.agreement or a.id}.{c.exception_to.clause}"

    holds_memo: dict[str, bool] = {}

    def holds(key: str, depth: int = 0) -> bool:
        if key in holds_memo:
            return holds_memo[key]
        a, c = clause_of[key]
        value = agreement_applies(a.id) and own_truth(key)
        base = base_key(a, c)
        if value and base is not None and not c.standalone and base in clause_of and depth < 64:
            value = holds(base, depth + 1)
        holds_memo[key] = value
        return value

    exceptions_of: dict[str, list[str]] = {}
    for key, (a, c) in clause_of.items():
        b = base_key(a, c)
        if b is not None:
            exceptions_of.setdefault(b, []).append(key)

    defeat_memo: dict[str, str | None] = {}

    def defeated_by(key: str, depth: int = 0) -> str | None:
        if key in defeat_memo:
            return defeat_memo[key]
        defeat_memo[key] = None  # guards against cycles (the checker reports them)
        for e in sorted(exceptions_of.get(key, [])):
            # Only an exception that decides something defeats; one that only obliges or waives
            # adjusts the base's obligations and leaves its effect standing.
            if clause_of[e][1].then is None:
                continue
            if holds(e) and (depth > 64 or defeated_by(e, depth + 1) is None):
                defeat_memo[key] = e
                break
        return defeat_memo[key]

    statuses: dict[str, tuple[str, str | None]] = {}
    applied: list[str] = []
    guard_hits: list[tuple[str, str]] = []
    per_agreement: dict[str, list[tuple[str, str]]] = {}
    for key, (a, c) in clause_of.items():
        if not agreement_applies(a.id):
            status = ev.agreement_status.get(a.id)
            in_force = status is not None and status.status != "not-in-force"
            statuses[key] = ("not-applicable" if in_force else "not-in-force", None)
            continue
        if not holds(key):
            statuses[key] = ("not-applicable", None)
            continue
        d = defeated_by(key) if c.kind.value == "clause" else None
        if d is not None:
            statuses[key] = ("defeated", d)
            continue
        statuses[key] = ("applied", None)
        applied.append(key)
        effect = c.then.value if c.then is not None else None
        if effect is None:
            continue
        if c.kind.value == "guardrail":
            guard_hits.append((key, effect))
        else:
            per_agreement.setdefault(a.id, []).append((key, effect))

    grants = tuple(g for key in applied for g in clause_of[key][1].grants)
    analysis = analysis_for(grants)
    third_forbids = analysis.third_party_status == "forbids"
    comp_keys = tuple(dict.fromkeys(
        f"licence:{c.licence}" for c in analysis.components if c.status == "forbids"))

    def out(verdict: str, determining: Sequence[str], reason: str, conflict: str | None = None) -> _Outcome:
        return _Outcome(verdict, tuple(dict.fromkeys(determining)), statuses, tuple(applied), conflict, reason)

    if third_forbids:
        denying_guards = [k for k, e in guard_hits if e == "deny"]
        return out("deny", [*comp_keys, *denying_guards],
                   "a third-party component's licence forbids this use"), analysis
    if guard_hits:
        worst = max(e for _, e in guard_hits) if False else max((e for _, e in guard_hits), key=_EFFECT_RANK.get)
        return out(worst, [k for k, _ in guard_hits], "a guardrail applies"), analysis

    results: dict[str, tuple[str, list[str]]] = {}
    for aid, hits in per_agreement.items():
        effects = {e for _, e in hits}
        if len(effects) > 1:
            keys = [k for k, _ in hits]
            return out("undetermined", keys,
                       f"clauses of {aid} conflict ({', '.join(keys)}) and none is an exception to the other",
                       conflict=aid), analysis
        results[aid] = (effects.pop(), [k for k, _ in hits])
    agreement_effect: str | None = None
    agreement_keys: list[str] = []
    if results:
        effects = {e for e, _ in results.values()}
        if len(effects) == 1:
            agreement_effect = effects.pop()
            agreement_keys = [k for _, ks in results.values() for k in ks]
        else:
            winner = _settle(program, results)
            if winner is None:
                keys = [k for _, ks in results.values() for k in ks]
                return out("undetermined", keys,
                           "agreements disagree (" + ", ".join(f"{a}: {e}" for a, (e, _) in sorted(results.items()))
                           + ") and no precedence or refines settles it", conflict="between-agreements"), analysis
            agreement_effect = results[winner][0]
            agreement_keys = [k for a, (e, ks) in results.items() if e == agreement_effect for k in ks]
    else:
        defaults = [(a.default.value, a.id) for a in program.agreements
                    if a.default is not None and agreement_applies(a.id)]
        if defaults:
            agreement_effect = max((e for e, _ in defaults), key=_EFFECT_RANK.get)
            agreement_keys = [f"{aid}.default" for e, aid in defaults if e == agreement_effect]

    grant_keys = [k for k in applied if clause_of[k][1].grants]
    if agreement_effect == "deny":
        return out("deny", agreement_keys, "an applicable clause denies this reuse"), analysis
    if agreement_effect == "require-mou":
        return out("require-mou", agreement_keys, "an applicable clause requires an MOU"), analysis
    licence_keys = [f"licence:{x}" for x in analysis.owner_leaves] or ["licence:none"]
    if analysis.third_party_status == "silent":
        keys = [f"licence:{c.licence or 'none'}" for c in analysis.components if c.status == "silent"]
        return out("undetermined", keys,
                   "a third-party component has no usable licence information; an agreement cannot supply "
                   "a third party's rights"), analysis
    if analysis.third_party_status == "conditional":
        keys = [f"licence:{c.licence}" for c in analysis.components if c.status == "conditional"]
        return out("undetermined", keys,
                   "a third-party component's licence allows this only on a condition that must be checked"), analysis
    owner = analysis.owner_status
    if owner == "grants":
        used_grant = any(g in (analysis.choice or "") for k in grant_keys for g in clause_of[k][1].grants)
        keys = (grant_keys if used_grant else licence_keys) + (agreement_keys if agreement_effect == "permit" else [])
        why = "a licence granted by an agreement allows it" if used_grant else "the licence allows this use"
        return out("permit", keys, why), analysis
    if owner == "silent" and agreement_effect == "permit":
        return out("permit", agreement_keys,
                   "the licences are silent, and an applicable clause permits the reuse of the owner's code"), analysis
    if owner == "conditional":
        return out("undetermined", licence_keys,
                   "the solution's licence allows this only on a condition that must be checked"), analysis
    if owner == "forbids":
        return out("require-mou", licence_keys,
                   "the solution's licence does not allow this use and no agreement grants another licence"), analysis
    return out("require-mou", licence_keys,
               "the licences are silent and no clause supplies the missing rights"), analysis


def _settle(program: Any, results: Mapping[str, tuple[str, list[str]]]) -> str | None:
    """The one agreement whose result stands over every agreement that disagrees, if any."""
    beats: dict[str, set[str]] = {}
    for p in program.precedences:
        beats.setdefault(p.winner.name, set()).add(p.loser.name)
    for a in program.agreements:
        if a.refines is not None:
            beats.setdefault(a.id, set()).add(a.refines.name)

    def dominates(x: str, y: str) -> bool:
        seen, stack = set(), [x]
        while stack:
            n = stack.pop()
            for m in beats.get(n, ()):
                if m == y:
                    return True
                if m not in seen:
                    seen.add(m)
                    stack.append(m)
        return False

    candidates = []
    for aid, (effect, _) in results.items():
        if all(dominates(aid, other) for other, (e, _) in results.items() if e != effect):
            candidates.append(aid)
    effects = {results[c][0] for c in candidates}
    if len(effects) != 1:
        return None
    return sorted(candidates)[0]


# --- the pipeline ---------------------------------------------------------------------------


def load_program(paths: Sequence[Path]) -> tuple[Any, dict[str, tuple[str, ...]], dict[str, str]]:
    """Parse and check agreement files; any error stops the decision (exit 2) as ``coop check`` reports it."""
    from .language import LanguageError
    from .language.loader import check_sources, load_sources
    from .language.parser import split_lines

    if not paths:
        return None, {}, {}
    sources = load_sources(paths)
    if not sources:
        raise InputError("no .coop files found", location=Location(", ".join(str(p) for p in paths)))
    result = check_sources(sources)
    if result.errors or result.program is None:
        raise LanguageError(result.errors or result.diagnostics)
    lines = {s.file: split_lines(s.text) for s in sources if s.text is not None}
    hashes = {s.file: "sha256:" + hashlib.sha256((s.text or "").encode("utf-8")).hexdigest() for s in sources}
    return result.program, lines, hashes


def decide(
    scenario: Scenario,
    *,
    agreements: Sequence[Path] = (),
    kb: Sequence[str] = (),
    components: Sequence[Any] | None = None,
) -> Decision:
    """May ``scenario.recipient`` reuse the solution without an MOU? Reads only the files named."""
    knowledge = load_knowledge(kb)
    paths = [*scenario.agreements, *agreements]
    program, lines, hashes = load_program(paths)
    if program is not None:
        declared = {p.id for p in program.parties}
        for role in ("provider", "recipient"):
            pid = getattr(scenario, role)
            if pid not in declared:
                from .errors import did_you_mean

                hits = did_you_mean(pid, declared)
                raise InputError(
                    f"{role} {pid!r} is not declared by any agreement file",
                    location=Location(scenario.file, scenario.positions.get(role)),
                    text=pid,
                    expected="a party id declared with `party ID \"name\"`",
                    hint=f"did you mean {hits[0]!r}?" if hits else None,
                )
    sbom = None
    if components is None:
        components = ()
        if scenario.solution.sbom is not None:
            from .sbom import read_sbom

            sbom = read_sbom(scenario.solution.sbom)
            components = sbom.components
    owner = _parse_owner_licence(scenario)
    cache: dict[tuple[str, ...], LicenceAnalysis] = {}

    def analysis_for(grants: tuple[str, ...]) -> LicenceAnalysis:
        key = tuple(sorted(set(grants)))
        if key not in cache:
            cache[key] = analyse_licences(scenario, components, kb, key)
        return cache[key]

    if program is None:
        outcome, analysis = _licence_only(analysis_for)
        ev = None
        agreements_out: tuple[AgreementStatus, ...] = ()
        clauses_out: tuple[ClauseStatus, ...] = ()
        missing: tuple[str, ...] = ()
    else:
        facts = _facts(scenario, program)
        oracle = _licence_oracle(scenario, knowledge, kb, owner)
        ev = _evaluate(program, scenario, facts, oracle, lines)
        items = sorted(ev.unknown_facts)
        outcome, analysis, missing = _explore(program, ev, items, analysis_for)
        agreements_out = tuple(ev.agreement_status[a.id] for a in program.agreements)
        clauses_out = _clause_statuses(program, ev, outcome)
    obligations = _obligations(program, outcome, analysis)
    hints = _hints(scenario, program, ev, outcome, analysis, missing, lines)
    inputs = {scenario.file: "sha256:" + scenario.sha256} if scenario.sha256 else {}
    inputs.update(hashes)
    if sbom is not None:
        inputs[str(scenario.solution.sbom)] = "sha256:" + sbom.sha256
    if scenario.solution.publiccode is not None:
        inputs[str(scenario.solution.publiccode)] = "sha256:" + hashlib.sha256(
            scenario.solution.publiccode.read_bytes()).hexdigest()
    provenance = {
        "coopengine": __version__,
        "knowledge_base": knowledge.version,
        "date_given": scenario.date_given,
        "inputs": dict(sorted(inputs.items())),
    }
    return Decision(
        verdict=outcome.verdict,
        scenario=scenario,
        licence=analysis,
        agreements=agreements_out,
        clauses=clauses_out,
        determining=outcome.determining,
        obligations=obligations,
        hints=hints,
        missing=missing,
        summary=outcome.reason,
        provenance=provenance,
    )


class _NoProgram:
    agreements: tuple[Any, ...] = ()
    precedences: tuple[Any, ...] = ()


def _licence_only(analysis_for: Callable[[tuple[str, ...]], LicenceAnalysis]) -> tuple[_Outcome, LicenceAnalysis]:
    ev = _Evaluated({}, {}, {}, {}, {})
    return _run(_NoProgram(), ev, {}, analysis_for)


def _explore(program: Any, ev: _Evaluated, items: Sequence[str],
             analysis_for: Callable[[tuple[str, ...]], LicenceAnalysis]
             ) -> tuple[_Outcome, LicenceAnalysis, tuple[str, ...]]:
    """Try every value of the unknown items; a verdict that changes means ``undetermined``."""
    base_assign = {k: False for k in items}
    first, analysis = _run(program, ev, base_assign, analysis_for)
    if not items:
        return first, analysis, ()
    if len(items) > MAX_UNKNOWN_ITEMS:
        facts = tuple(dict.fromkeys(f for k in items for f in ev.unknown_facts[k]))
        return (_Outcome("undetermined", tuple(items), first.statuses, first.applied, None,
                         f"too many conditions depend on missing facts ({len(items)})"), analysis, facts)
    outcomes: dict[tuple[bool, ...], str] = {}
    for values in itertools.product((False, True), repeat=len(items)):
        o, _ = _run(program, ev, dict(zip(items, values, strict=True)), analysis_for)
        outcomes[values] = o.verdict
    verdicts = set(outcomes.values())
    if len(verdicts) == 1:
        return first, analysis, ()
    # An unknown matters if flipping it alone changes the verdict in some combination.
    matters = [
        item for i, item in enumerate(items)
        if any(v != outcomes[values[:i] + (not values[i],) + values[i + 1 :]] for values, v in outcomes.items())
    ] or list(items)
    facts = tuple(dict.fromkeys(f for k in matters for f in ev.unknown_facts[k]))
    why = ("the verdict depends on facts the scenario does not give: " + ", ".join(facts)
           + f" (it could be {' or '.join(sorted(verdicts))})")
    return (_Outcome("undetermined", tuple(matters), first.statuses, first.applied, None, why), analysis, facts)


def _clause_statuses(program: Any, ev: _Evaluated, outcome: _Outcome) -> tuple[ClauseStatus, ...]:
    out = []
    for a in program.agreements:
        for c in a.clauses:
            key = f"{a.id}.{c.id}"
            status, by = outcome.statuses.get(key, ("not-in-force", None))
            if status == "not-applicable" and ev.clause_truth.get(key) is None and ev.agreement_truth.get(a.id):
                status = "undetermined"
            if status == "not-in-force" and ev.agreement_truth.get(a.id) is None:
                status = "undetermined"
            out.append(ClauseStatus(
                id=key,
                title=c.title,
                ref=c.ref,
                kind=c.kind.value,
                status=status,
                effect=c.then.value if c.then is not None else None,
                defeated_by=by,
                conditions=ev.failing.get(key, ()),
                file=c.span.file,
                line=c.span.line,
                obligations=tuple(o.id for o in c.obligations),
                grants=c.grants,
            ))
    return tuple(out)


def _obligations(program: Any, outcome: _Outcome, analysis: LicenceAnalysis) -> tuple[DecidedObligation, ...]:
    found: dict[tuple[str, str], DecidedObligation] = {}
    for o in analysis.obligations:
        found[(o.id, f"licence:{o.licence}")] = DecidedObligation(o.id, f"licence:{o.licence}", o.text)
    if program is not None:
        clause_of = {f"{a.id}.{c.id}": (a, c) for a in program.agreements for c in a.clauses}
        waived: set[tuple[str, str]] = set()
        for key in outcome.applied:
            a, c = clause_of[key]
            if c.exception_to is not None and c.waives:
                base = f"{c.exception_to.agreement or a.id}.{c.exception_to.clause}"
                waived.update((w.name, base) for w in c.waives)
        for key in outcome.applied:
            _a, c = clause_of[key]
            for ob in c.obligations:
                if (ob.id, key) in waived:
                    continue
                found.setdefault((ob.id, key), DecidedObligation(ob.id, key, ob.text or ob.id))
    return tuple(sorted(found.values(), key=lambda o: (o.source, o.id)))


def _hints(scenario: Scenario, program: Any, ev: _Evaluated | None, outcome: _Outcome, analysis: LicenceAnalysis,
           missing: Sequence[str], lines: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    hints: list[str] = []
    for comp in analysis.components:
        if comp.status == "forbids":
            others = [u for u in ("internal", "network-service", "distribution") if u != scenario.use]
            hints.append(
                f"component {comp.name} ({comp.licence}) forbids {scenario.use}: replace it, or choose a use "
                f"its licence allows (e.g. {' or '.join(others)}); an agreement between provider and recipient "
                "cannot lift a third party's terms")
        elif comp.status == "silent":
            hints.append(f"component {comp.name}: {comp.problem or 'its licence is not known'}; "
                         "establish its licence (SBOM concluded licence) to decide")
        elif comp.status == "conditional":
            hints.append(f"component {comp.name} ({comp.licence}): check that "
                         + "; ".join(comp.conditions or ("its condition",)) + " holds")
    for fact in missing:
        if fact.startswith("solution."):
            hints.append(f"give {fact} (solution.attributes.{fact.removeprefix('solution.')}) in the scenario")
        else:
            hints.append(f"the fact {fact} is missing")
    if analysis.owner_status in ("silent", "forbids") and outcome.verdict == "require-mou":
        if analysis.owner_status == "silent":
            hints.append("a licence for the solution, or a standing agreement clause that permits this reuse, "
                         "would avoid the MOU")
        else:
            hints.append("a standing agreement clause that grants a suitable licence for the owner's code, or "
                         f"another outbound licence (see `coop outbound \"{analysis.expression}\"`), would avoid the MOU")
    if program is not None and ev is not None:
        clause_of = {f"{a.id}.{c.id}": c for a in program.agreements for c in a.clauses}
        for key, (status, by) in sorted(outcome.statuses.items()):
            c = clause_of[key]
            effect = c.then.value if c.then is not None else None
            if status == "not-applicable" and effect is not None and effect != outcome.verdict:
                failing = [f.text for f in ev.failing.get(key, ()) if f.value is False]
                if failing:
                    hints.append(f"{key} would {effect} if {' and '.join(failing)} held")
            if status == "applied" and effect is not None and effect != "permit" and key in outcome.determining:
                for e_key, e in clause_of.items():
                    if e.exception_to is not None and key.endswith("." + e.exception_to.clause) and \
                            outcome.statuses.get(e_key, ("",))[0] == "not-applicable":
                        failing = [f.text for f in ev.failing.get(e_key, ()) if f.value is False]
                        if failing:
                            hints.append(f"{e_key} (an exception to {key}) would apply if {' and '.join(failing)} held")
        del lines
    return tuple(dict.fromkeys(hints))


def _today() -> dt.date:
    return dt.date.today()
