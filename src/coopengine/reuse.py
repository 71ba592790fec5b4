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
from .engine import CompatResult, ObligationItem, Reason, check_compat, check_use, licence_atom_truth
from .errors import InputError, Location
from .expressions import And as ExprAnd
from .expressions import Expression, Leaf, ParsedExpression, leaves, parse_expression
from .expressions import Or as ExprOr
from .knowledge import KnowledgeBase, load_knowledge
from .scenario import Scenario
from .words import USES

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


# --- licence analysis -----------------------------------------------------------------------


def _parse_owner_licence(scenario: Scenario) -> ParsedExpression | None:
    text = scenario.solution.licence
    if text is None:
        return None
    try:
        return parse_expression(text, source="solution.licence")
    except InputError as exc:
        at = scenario.solution.licence_at
        if at is None:
            exc.location = Location(scenario.file, scenario.positions.get("solution.licence"), exc.location.column)
        else:
            # The value's own column plus the position inside the expression, when the value is on one line.
            file, line, column, source = at
            start = source.find(text) if source is not None else -1
            if start >= 0:  # the value is on its line: point inside it
                column = start + (exc.location.column or 1)
            exc.location = Location(file, line, column)
            exc.source_line = source
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
    scenario: Scenario, components: Sequence[Any], kb_extra: Sequence[str], grants: Sequence[str] = (),
    memo: dict[tuple[str, str], _Finding] | None = None,
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
    notes = [f"{what}: {n}" for what, parsed in (("licence", owner), ("outbound", outbound),
                                                  ("combined-with", combined)) if parsed for n in parsed.notes]
    if owner is None:
        owner_status = "silent"
        reasons.append(Reason("the solution's licence is not given (no licence, no publiccode.yml legal.license)",
                              "no-licence", None))
    else:
        original = owner.normalised
        expr = owner.expression
        if grants:
            # A granted licence is one more alternative for the owner's code.
            parsed_grants = [parse_expression(g, source="grant") for g in grants]
            notes = [*notes, *(f"grant {p.text!r}: {n}" for p in parsed_grants for n in p.notes)]
            expr = ExprOr(tuple(dict.fromkeys([expr, *(p.expression for p in parsed_grants)])))
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
    memo = {} if memo is None else memo
    for comp in components:
        findings.append(_component(comp, comp_target, use, linking, kb_extra, memo))
    third = max((f.status for f in findings), key=_STATUS_RANK.__getitem__, default="grants")
    for f in findings:
        # A component that forbids the use is not used: its obligations would only mislead.
        if f.status != "forbids":
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
        notes=tuple(dict.fromkeys(notes)),
    )


_Finding = tuple[str, str, tuple[Reason, ...], tuple[str, ...], tuple[ObligationItem, ...], str | None]


def _component(comp: Any, target: ParsedExpression | None, use: str, linking: str,
               kb_extra: Sequence[str], memo: dict[tuple[str, str], _Finding]) -> ComponentFinding:
    text = str(comp.licence) if comp.licence is not None else ""
    # Large SBOMs repeat a few dozen licence strings thousands of times: decide each one once.
    key = (text, target.normalised if target is not None else "")
    if key not in memo:
        memo[key] = _licence_finding(text, target, use, linking, kb_extra)
    status, verdict, reasons, conditions, obligations, problem = memo[key]
    return ComponentFinding(id=comp.id, name=comp.name, version=comp.version, licence=comp.licence,
                            licence_field=comp.licence_field, status=status, verdict=verdict, reasons=reasons,
                            conditions=conditions, obligations=obligations, problem=problem)


def _licence_finding(text: str, target: ParsedExpression | None, use: str, linking: str,
                     kb_extra: Sequence[str]) -> _Finding:
    if not text.strip():
        return "silent", "unknown", (), (), (), "no licence declared"
    try:
        parsed = parse_expression(text, source="component licence")
    except InputError as exc:
        return "silent", "unknown", (), (), (), f"not an SPDX expression: {exc.message}"
    if target is None:
        result = check_use(parsed, use=use, linking=linking, kb=kb_extra)
    else:
        result = check_compat(parsed, target, use=use, linking=linking, kb=kb_extra)
    return (_STATUS_OF[result.verdict], result.verdict, tuple(result.reasons), tuple(result.conditions),
            tuple(result.obligations), None)


# --- agreements ---------------------------------------------------------------------------


Truth = bool | None
MAX_ASSIGNMENTS = 4096
MAX_HINT_RUNS = 64
# Never equal to a literal a clause can write: stands for "some other value" of a missing fact.
_OTHER = "\x00another value"


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
    from .language.model import CompatibleWith

    def leaf_value(leaf: Leaf, atom: Any) -> Truth:
        if isinstance(atom, CompatibleWith):
            if atom.target is None:
                return None
            r = check_compat(ParsedExpression(str(leaf), leaf), atom.target, use=scenario.use,
                             linking=scenario.linking or "static", kb=kb_extra)
            return True if r.verdict == "compatible" else False if r.verdict == "incompatible" else None
        return licence_atom_truth(kb, leaf, atom)

    def over(expr: Expression, atom: Any) -> Truth:
        if isinstance(expr, Leaf):
            return leaf_value(expr, atom)
        vals = [over(p, atom) for p in expr.parts]
        if isinstance(expr, ExprAnd):
            return False if False in vals else (None if None in vals else True)
        return True if True in vals else (None if None in vals else False)

    memo: dict[Any, Truth] = {}

    def oracle(atom: Any) -> Truth:
        # A scenario without any licence leaves every licence fact unknown (not "no licence").
        if owner is None:
            return None
        if atom not in memo:
            memo[atom] = over(owner.expression, atom)
        return memo[atom]

    return oracle


def _cond_text(cond: Any, lines: Mapping[str, Sequence[str]]) -> str:
    span = getattr(cond, "span", None)
    if span is None or span.line <= 0:
        return type(cond).__name__
    file_lines = lines.get(span.file, ())
    if span.line == span.end_line and 0 < span.line <= len(file_lines):
        return str(file_lines[span.line - 1][span.column - 1 : span.end_column - 1]).strip()
    if 0 < span.line <= len(file_lines):
        return str(file_lines[span.line - 1][span.column - 1 :]).strip() + " ..."
    return type(cond).__name__


@dataclass(frozen=True)
class _Index:
    """The program's clauses, exception links and memberships, computed once per decision."""

    clause_of: Mapping[str, tuple[Any, Any]]
    base_of: Mapping[str, str]
    exceptions_of: Mapping[str, tuple[str, ...]]
    members: Mapping[str, frozenset[str]]
    beats: Mapping[str, frozenset[str]]
    defaults: tuple[tuple[str, str], ...]  # (agreement id, effect)

    @classmethod
    def of(cls, program: Any) -> _Index:
        clause_of: dict[str, tuple[Any, Any]] = {}
        base_of: dict[str, str] = {}
        for a in program.agreements:
            for c in a.clauses:
                key = f"{a.id}.{c.id}"
                clause_of[key] = (a, c)
                if c.exception_to is not None:
                    base_of[key] = f"{c.exception_to.agreement or a.id}.{c.exception_to.clause}"
        exceptions: dict[str, list[str]] = {}
        for key, base in base_of.items():
            if base in clause_of:
                exceptions.setdefault(base, []).append(key)
        beats: dict[str, set[str]] = {}
        for p in program.precedences:
            beats.setdefault(p.winner.name, set()).add(p.loser.name)
        for a in program.agreements:
            if a.refines is not None:
                beats.setdefault(a.id, set()).add(a.refines.name)
        return cls(
            clause_of=clause_of,
            base_of=base_of,
            exceptions_of={k: tuple(sorted(v)) for k, v in exceptions.items()},
            members={a.id: frozenset(r.name for r in a.parties) for a in program.agreements},
            beats={k: frozenset(v) for k, v in beats.items()},
            defaults=tuple((a.id, a.default.value) for a in program.agreements if a.default is not None),
        )

    def dominates(self, x: str, y: str) -> bool:
        """Does x's result stand over y's, through ``precedence`` and ``refines`` (transitively)?"""
        seen: set[str] = set()
        stack = [x]
        while stack:
            for m in self.beats.get(stack.pop(), ()):
                if m == y:
                    return True
                if m not in seen:
                    seen.add(m)
                    stack.append(m)
        return False


_EMPTY_INDEX = _Index({}, {}, {}, {}, {}, ())


@dataclass
class _Evaluated:
    """Evaluation of every agreement and clause against the known facts; unknowns stay open."""

    agreement_truth: dict[str, Truth]
    agreement_status: dict[str, AgreementStatus]
    clause_truth: dict[str, Truth]  # own condition and effective dates (not inherited)
    failing: dict[str, tuple[Failing, ...]]
    unknown_conds: dict[str, Any] = field(default_factory=dict)  # item key -> condition
    not_in_force: set[str] = field(default_factory=set)  # clauses whose own dates exclude the day


def _scope_key(aid: str) -> str:
    return f"{aid}.scope"


def _evaluate(program: Any, scenario: Scenario, facts: Mapping[str, object], oracle: Callable[[Any], Truth],
              lines: Mapping[str, Sequence[str]]) -> _Evaluated:
    from .language import evaluate
    from .language.logic import atoms

    ev = _Evaluated({}, {}, {}, {})
    for a in program.agreements:
        members = [r.name for r in a.parties]
        where = (a.span.file, a.span.line)
        eff = a.effective
        role = "adherents" if a.declaration else "parties"

        def status(code: str, why: str, a: Any = a, where: tuple[str, int] = where) -> AgreementStatus:
            return AgreementStatus(a.id, a.title, code, why, *where, a.declaration)

        if eff is not None and not eff.covers(scenario.date):
            until = f" until {eff.until}" if eff.until else ""
            ev.agreement_status[a.id] = status(
                "not-in-force", f"in force from {eff.start}{until}; the decision date is {scenario.date}")
            ev.agreement_truth[a.id] = False
            continue
        if scenario.provider == scenario.recipient:
            ev.agreement_status[a.id] = status("not-a-party", "provider and recipient are the same party")
            ev.agreement_truth[a.id] = False
            continue
        missing = [p for p in (scenario.provider, scenario.recipient) if p not in members]
        if missing:
            if len(missing) > 1:
                why = f"{' and '.join(missing)} are not {role} of it"
            else:
                why = f"{missing[0]} is not {'an adherent' if a.declaration else 'a party'} of it"
            ev.agreement_status[a.id] = status("not-a-party", why)
            ev.agreement_truth[a.id] = False
            continue
        if a.scope is not None:
            value = evaluate(a.scope, facts, oracle)
            text = _cond_text(a.scope, lines)
            if value is False:
                ev.agreement_status[a.id] = status("out-of-scope", f"its scope does not hold: {text}")
                ev.agreement_truth[a.id] = False
                continue
            if value is None:
                ev.agreement_truth[a.id] = None
                ev.unknown_conds[_scope_key(a.id)] = a.scope
                ev.agreement_status[a.id] = status("scope-unknown", f"its scope depends on missing facts: {text}")
                continue
        ev.agreement_truth[a.id] = True
        ev.agreement_status[a.id] = status(
            "applies",
            f"in force on {scenario.date}; {scenario.provider} and {scenario.recipient} are both {role}"
            + ("; its scope holds" if a.scope is not None else ""))
    for a in program.agreements:
        for c in a.clauses:
            key = f"{a.id}.{c.id}"
            if ev.agreement_truth.get(a.id) is False:
                # Facts that clauses of an agreement that does not apply would read cannot matter.
                ev.clause_truth[key] = False
                code = ev.agreement_status[a.id].status
                ev.failing[key] = (Failing(f"agreement {a.id} does not apply ({code})", False, note=True),)
                continue
            if c.effective is not None and not c.effective.covers(scenario.date):
                ev.clause_truth[key] = False
                ev.not_in_force.add(key)
                ev.failing[key] = (Failing(f"the clause is in force from {c.effective.start}"
                                           + (f" until {c.effective.until}" if c.effective.until else ""),
                                           False, note=True),)
                continue
            if c.when is None:
                ev.clause_truth[key] = True
                ev.failing[key] = ()
                continue
            value = evaluate(c.when, facts, oracle)
            ev.clause_truth[key] = value
            ev.failing[key] = tuple(Failing(_cond_text(atom, lines), evaluate(atom, facts, oracle))
                                    for atom in atoms(c.when))
            if value is None:
                ev.unknown_conds[key] = c.when
    return ev


@dataclass(frozen=True)
class _Domain:
    """One missing fact and the values worth trying: enough to reach every outcome of the conditions."""

    label: str
    path: str | None  # set the fact ``path``; None: the truth of ``atom`` itself is tried
    atom: Any
    values: tuple[object, ...]


def _domains(conds: Mapping[str, Any], facts: Mapping[str, object], oracle: Callable[[Any], Truth]
             ) -> tuple[list[_Domain], dict[str, frozenset[int]]]:
    """The missing facts the open conditions read, and which facts each condition reads."""
    from .language import evaluate
    from .language.logic import atoms, days_around, is_licence_atom
    from .language.model import Compare, In, PathTest

    by_path: dict[str, list[object]] = {}
    opaque: list[Any] = []
    reads: dict[str, set[tuple[str, Any]]] = {}

    def add(path: str, value: object) -> None:
        vals = by_path.setdefault(path, [])
        if not any(type(v) is type(value) and v == value for v in vals):
            vals.append(value)

    for key, cond in conds.items():
        for atom in atoms(cond):
            if evaluate(atom, facts, oracle) is not None:
                continue
            path = getattr(atom, "path", None)
            if is_licence_atom(atom) or path is None or path in facts:
                # Licence facts and given values that cannot be compared: try the test itself.
                if atom not in opaque:
                    opaque.append(atom)
                reads.setdefault(key, set()).add(("atom", atom))
                continue
            reads.setdefault(key, set()).add(("path", path))
            if isinstance(atom, PathTest):
                add(path, True)
                add(path, False)
            elif isinstance(atom, Compare):
                v = atom.value.value
                if atom.op in ("==", "!="):
                    add(path, v)
                elif isinstance(v, dt.date):
                    for day in days_around(v):
                        add(path, day)
                elif isinstance(v, int | float) and not isinstance(v, bool):
                    for d in (-1, 0, 1):
                        add(path, v + d)
                else:
                    add(path, v)
                add(path, _OTHER)
            elif isinstance(atom, In):
                for item in atom.values:
                    add(path, item.value)
                add(path, _OTHER)
    domains = [_Domain(p, p, None, tuple(vs)) for p, vs in sorted(by_path.items())]
    for atom in opaque:
        path = getattr(atom, "path", "compatible-with")
        label = f"the solution's licence ({path})" if is_licence_atom(atom) else f"{path} (given, not comparable)"
        domains.append(_Domain(label, None, atom, (False, True)))
    index_of_path = {d.path: i for i, d in enumerate(domains) if d.path is not None}
    index_of_atom = {i: d.atom for i, d in enumerate(domains) if d.atom is not None}
    uses: dict[str, frozenset[int]] = {}
    for key, items in reads.items():
        idx = set()
        for kind, x in items:
            if kind == "path":
                idx.add(index_of_path[x])
            else:
                idx.update(i for i, a in index_of_atom.items() if a == x)
        uses[key] = frozenset(idx)
    return domains, uses


@dataclass(frozen=True)
class _Outcome:
    verdict: str
    determining: tuple[str, ...]
    statuses: Mapping[str, tuple[str, str | None]]  # clause key -> (status, defeated_by)
    applied: tuple[str, ...]  # clause keys applied (undefeated), for obligations and grants
    conflict: str | None
    reason: str
    grants: tuple[str, ...] = ()


def _run(ix: _Index, ev: _Evaluated, assign: Mapping[str, bool],
         analysis_for: Callable[[tuple[str, ...]], LicenceAnalysis], owner: str,
         force: frozenset[str] = frozenset()) -> tuple[_Outcome, LicenceAnalysis]:
    """One deterministic run with every open condition fixed by ``assign`` (``force``: hold regardless)."""
    clause_of = ix.clause_of

    def agreement_applies(aid: str) -> bool:
        t = ev.agreement_truth.get(aid)
        return assign.get(_scope_key(aid), False) if t is None else t

    def own_truth(key: str) -> bool:
        if key in force:
            return True
        t = ev.clause_truth.get(key)
        return assign.get(key, False) if t is None else t

    holds_memo: dict[str, bool] = {}

    def holds(key: str) -> bool:
        """The clause's condition, with its base's folded in (transitively) unless standalone."""
        if key in holds_memo:
            return holds_memo[key]
        holds_memo[key] = False  # a cycle (the checker reports it) never holds
        a, c = clause_of[key]
        value = agreement_applies(a.id) and own_truth(key) and key not in ev.not_in_force
        base = ix.base_of.get(key)
        if value and base is not None and not c.standalone:
            value = base in clause_of and holds(base)
        holds_memo[key] = value
        return value

    defeat_memo: dict[str, str | None] = {}

    def defeated_by(key: str) -> str | None:
        if key in defeat_memo:
            return defeat_memo[key]
        defeat_memo[key] = None
        for e in ix.exceptions_of.get(key, ()):
            # Only an exception that decides something defeats; one that only obliges or waives
            # adjusts the base's obligations and leaves its effect standing.
            if clause_of[e][1].then is None:
                continue
            if holds(e) and defeated_by(e) is None:
                defeat_memo[key] = e
                break
        return defeat_memo[key]

    def set_aside_by(key: str) -> str | None:
        """What defeats the clause; an exception without ``then`` falls with its base."""
        d = defeated_by(key)
        if d is not None:
            return d
        base = ix.base_of.get(key)
        if clause_of[key][1].then is None and base is not None and base in clause_of:
            return set_aside_by(base)
        return None

    statuses: dict[str, tuple[str, str | None]] = {}
    applied: list[str] = []
    guard_hits: list[tuple[str, str]] = []
    per_agreement: dict[str, list[tuple[str, str]]] = {}
    for key, (a, c) in clause_of.items():
        if not agreement_applies(a.id):
            status = ev.agreement_status.get(a.id)
            statuses[key] = ("not-in-force" if status and status.status == "not-in-force" else "not-applicable", None)
            continue
        if key in ev.not_in_force:
            statuses[key] = ("not-in-force", None)
            continue
        if not holds(key):
            statuses[key] = ("not-applicable", None)
            continue
        d = set_aside_by(key) if c.kind.value == "clause" else None
        if d is not None:
            statuses[key] = ("defeated", d)
            continue
        statuses[key] = ("applied", None)
        applied.append(key)
        if c.then is None:
            continue
        if c.kind.value == "guardrail":
            guard_hits.append((key, c.then.value))
        else:
            per_agreement.setdefault(a.id, []).append((key, c.then.value))

    # A party can only license code it owns: grants count where the owner is a party.
    grant_clauses = [k for k in applied if clause_of[k][1].grants and owner in ix.members[clause_of[k][0].id]]
    grants = tuple(dict.fromkeys(g for k in grant_clauses for g in clause_of[k][1].grants))
    analysis = analysis_for(())
    if grants:
        # A grant is used only where it gets further than the owner's own licence.
        with_grants = analysis_for(grants)
        if _STATUS_RANK[with_grants.owner_status] < _STATUS_RANK[analysis.owner_status]:
            analysis = with_grants
        else:
            grants = ()

    def out(verdict: str, determining: Sequence[str], reason: str, conflict: str | None = None) -> _Outcome:
        return _Outcome(verdict, tuple(dict.fromkeys(determining)), statuses, tuple(applied), conflict, reason,
                        grants)

    if analysis.third_party_status == "forbids":
        comp_keys = [f"licence:{c.licence}" for c in analysis.components if c.status == "forbids"]
        denying_guards = [k for k, e in guard_hits if e == "deny"]
        return out("deny", [*comp_keys, *denying_guards],
                   "a third-party component's licence forbids this use, and no agreement between provider "
                   "and recipient can lift a third party's terms"), analysis
    if guard_hits:
        worst = max((e for _, e in guard_hits), key=_EFFECT_RANK.__getitem__)
        return out(worst, [k for k, _ in guard_hits],
                   "a guardrail applies" + (" and denies this reuse" if worst == "deny" else " and requires an MOU")
                   ), analysis

    results: dict[str, tuple[str, list[str]]] = {}
    for aid, hits in per_agreement.items():
        effects = {e for _, e in hits}
        results[aid] = (effects.pop() if len(effects) == 1 else "conflict", [k for k, _ in hits])
    agreement_effect: str | None = None
    agreement_keys: list[str] = []
    permitting: list[str] = []
    if results:
        winner = _settle(ix, results)
        if winner is None:
            conflicted = [a for a, (e, _) in results.items() if e == "conflict"]
            keys = [k for _, ks in results.values() for k in ks]
            if conflicted:
                aid = conflicted[0]
                ks = results[aid][1]
                return out("undetermined", ks,
                           f"clauses of {aid} conflict ({', '.join(ks)}) and none is an exception to the other",
                           conflict=aid), analysis
            return out("undetermined", keys,
                       "agreements disagree (" + ", ".join(f"{a}: {e}" for a, (e, _) in sorted(results.items()))
                       + ") and no precedence or refines settles it", conflict="between-agreements"), analysis
        agreement_effect = results[winner][0]
        permitting = [a for a, (e, _) in results.items() if e == agreement_effect]
        agreement_keys = [k for a in permitting for k in results[a][1]]
    else:
        defaults = [(aid, e) for aid, e in ix.defaults if agreement_applies(aid)]
        if defaults:
            agreement_effect = max((e for _, e in defaults), key=_EFFECT_RANK.__getitem__)
            permitting = [aid for aid, e in defaults if e == agreement_effect]
            agreement_keys = [f"{aid}.default" for aid in permitting]

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
    lic_status = analysis.owner_status
    stands_in = agreement_effect == "permit" and any(owner in ix.members[a] for a in permitting)
    if lic_status == "grants":
        chosen = set(analysis.owner_leaves)
        if grants:
            used = [k for k in grant_clauses
                    if any(leaf.key in chosen for g in clause_of[k][1].grants
                           for leaf in leaves(parse_expression(g).expression))]
            return out("permit", [*used, *licence_keys],
                       "the owner's licence alone does not allow this use; a licence granted by an agreement "
                       "does"), analysis
        keys = licence_keys + (agreement_keys if agreement_effect == "permit" else [])
        return out("permit", keys, "the licence allows this use"), analysis
    if lic_status in ("silent", "conditional") and stands_in:
        why = ("the licences are silent" if lic_status == "silent"
               else "the solution's licence allows this only on a condition")
        return out("permit", agreement_keys,
                   why + ", and an applicable agreement of the owner permits the reuse of its code"), analysis
    if lic_status == "conditional":
        return out("undetermined", licence_keys,
                   "the solution's licence allows this only on a condition that must be checked"), analysis
    if lic_status == "forbids":
        return out("require-mou", licence_keys,
                   "the solution's licence does not allow this use and no agreement grants a licence that "
                   "does"), analysis
    return out("require-mou", licence_keys,
               "the licences are silent and no clause supplies the missing rights"), analysis


def _settle(ix: _Index, results: Mapping[str, tuple[str, list[str]]]) -> str | None:
    """The agreement whose result stands over every agreement that disagrees with it, if any.

    An agreement whose own clauses conflict has no result; it is settled only if another
    agreement stands over it.
    """
    candidates = [
        aid for aid, (effect, _) in results.items()
        if effect != "conflict" and all(ix.dominates(aid, other) for other, (e, _) in results.items() if e != effect)
    ]
    effects = {results[c][0] for c in candidates}
    if len(effects) != 1:
        return None
    return sorted(candidates)[0]


# --- the pipeline ---------------------------------------------------------------------------


def load_program(paths: Sequence[Path]) -> tuple[Any, dict[str, tuple[str, ...]], dict[str, str]]:
    """Parse and check agreement files; any error stops the decision (exit 2) as ``coop check`` reports it."""
    from .language import LanguageError
    from .language.checks import ERROR_CHECKS, Context
    from .language.loader import load_sources, parse_sources

    if not paths:
        return None, {}, {}
    sources = load_sources(paths)
    if not sources:
        raise InputError("no .coop files found", location=Location(", ".join(str(p) for p in paths)),
                         expected="agreement files ending in .coop, or folders holding them")
    # The error checks of `coop check`, not its warnings: those search for overlapping
    # conditions across every clause pair, which costs seconds on large files and cannot
    # change a decision.
    program, diagnostics, lines = parse_sources(sources)
    if program is not None and not any(d.severity == "error" for d in diagnostics):
        ctx = Context(lines)
        for check in ERROR_CHECKS:
            diagnostics.extend(check(program, ctx))
    errors = sorted(dict.fromkeys(d for d in diagnostics if d.severity == "error"), key=lambda d: d.sort_key)
    if errors or program is None:
        raise LanguageError(errors or diagnostics)
    hashes = {s.file: "sha256:" + hashlib.sha256((s.text or "").encode("utf-8")).hexdigest() for s in sources}
    return program, lines, hashes


def decide(
    scenario: Scenario,
    *,
    agreements: Sequence[Path] = (),
    kb: Sequence[str] = (),
    components: Sequence[Any] | None = None,
) -> Decision:
    """May ``scenario.recipient`` reuse the solution without an MOU? Reads only the files named."""
    knowledge = load_knowledge(kb)
    paths = list(dict.fromkeys([*scenario.agreements, *agreements]))
    program, lines, hashes = load_program(paths)
    if program is not None:
        _check_parties(scenario, program)
    sbom = None
    if components is None:
        components = ()
        if scenario.solution.sbom is not None:
            from .sbom import read_sbom

            sbom = read_sbom(scenario.solution.sbom)
            components = sbom.components
    owner = _parse_owner_licence(scenario)
    cache: dict[tuple[str, ...], LicenceAnalysis] = {}
    memo: dict[tuple[str, str], _Finding] = {}

    def analysis_for(grants: tuple[str, ...]) -> LicenceAnalysis:
        key = tuple(sorted(set(grants)))
        if key not in cache:
            cache[key] = analyse_licences(scenario, components, kb, key, memo)
        return cache[key]

    owner_id = scenario.solution.owner
    ix = _Index.of(program) if program is not None else _EMPTY_INDEX
    if program is None:
        ev = _Evaluated({}, {}, {}, {})
        outcome, analysis = _run(ix, ev, {}, analysis_for, owner_id)
        missing: tuple[str, ...] = ()
        extra_hints: tuple[str, ...] = ()
        agreements_out: tuple[AgreementStatus, ...] = ()
        clauses_out: tuple[ClauseStatus, ...] = ()
        base_assign: Mapping[str, bool] = {}
    else:
        facts = _facts(scenario, program)
        oracle = _licence_oracle(scenario, knowledge, kb, owner)
        ev = _evaluate(program, scenario, facts, oracle, lines)
        outcome, analysis, missing, extra_hints, base_assign = _explore(ix, ev, facts, oracle, analysis_for, owner_id)
        agreements_out = tuple(ev.agreement_status[a.id] for a in program.agreements)
        clauses_out = _clause_statuses(program, ix, ev, outcome)
    obligations = _obligations(ix, outcome, analysis)
    hints = _hints(scenario, ix, ev, outcome, analysis, missing, base_assign, analysis_for, owner_id)
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
        hints=tuple(dict.fromkeys([*hints, *extra_hints])),
        missing=missing,
        summary=outcome.reason,
        provenance=provenance,
    )


def _check_parties(scenario: Scenario, program: Any) -> None:
    from .errors import did_you_mean

    declared = {p.id for p in program.parties}
    for role in ("provider", "recipient"):
        pid = getattr(scenario, role)
        if pid not in declared:
            hits = did_you_mean(pid, declared)
            raise InputError(
                f"{role} {pid!r} is not declared by any agreement file",
                location=Location(scenario.file, scenario.positions.get(role)),
                text=pid,
                expected="a party id declared with `party ID \"name\"`",
                hint=f"did you mean {hits[0]!r}?" if hits else None,
            )


def _explore(ix: _Index, ev: _Evaluated, facts: Mapping[str, object], oracle: Callable[[Any], Truth],
             analysis_for: Callable[[tuple[str, ...]], LicenceAnalysis], owner: str,
             ) -> tuple[_Outcome, LicenceAnalysis, tuple[str, ...], tuple[str, ...], Mapping[str, bool]]:
    """Run once per combination of values of the missing facts; a verdict that changes is ``undetermined``.

    Missing facts are enumerated, not the conditions that read them, so that two clauses reading
    the same fact stay consistent (``x`` and ``not x`` never both hold).
    """
    from .language import evaluate

    conds = ev.unknown_conds
    if not conds:
        outcome, analysis = _run(ix, ev, {}, analysis_for, owner)
        return outcome, analysis, (), (), {}
    domains, uses = _domains(conds, facts, oracle)
    size = 1
    for d in domains:
        size *= len(d.values)
    if size > MAX_ASSIGNMENTS:
        first, analysis = _run(ix, ev, {}, analysis_for, owner)
        labels = tuple(d.label for d in domains)
        statuses = {k: ("undetermined", None) if k in conds else s for k, s in first.statuses.items()}
        return (_Outcome("undetermined", tuple(conds), statuses, (), None,
                         f"too many missing facts to try every combination ({len(domains)}): "
                         + ", ".join(labels)), analysis, labels, (), {})
    memo: dict[tuple[bool, ...], tuple[_Outcome, LicenceAnalysis]] = {}
    keys = list(conds)
    runs: list[tuple[tuple[object, ...], _Outcome, dict[str, bool]]] = []
    for combo in itertools.product(*(d.values for d in domains)):
        known = dict(facts)
        tried: dict[Any, bool] = {}
        for d, v in zip(domains, combo, strict=True):
            if d.path is not None:
                known[d.path] = v
            else:
                tried[d.atom] = bool(v)

        def oracle2(atom: Any, tried: Mapping[Any, bool] = tried) -> Truth:
            return tried[atom] if atom in tried else oracle(atom)

        assign = {k: evaluate(conds[k], known, oracle2) is True for k in keys}
        sig = tuple(assign[k] for k in keys)
        if sig not in memo:
            memo[sig] = _run(ix, ev, assign, analysis_for, owner)
        runs.append((combo, memo[sig][0], assign))
    outcomes = [o for _, o, _ in runs]
    verdicts = sorted({o.verdict for o in outcomes}, key=_VERDICT_ORDER.index)
    statuses = _merge_statuses(outcomes)
    applied = tuple(k for k in outcomes[0].applied if all(k in o.applied for o in outcomes))
    grants = tuple(g for g in outcomes[0].grants if all(g in o.grants for o in outcomes))
    analysis = analysis_for(grants)
    base_assign = runs[0][2]
    hints: list[str] = []
    for key in dict.fromkeys(k for o in outcomes for k in o.applied):
        c = ix.clause_of[key][1]
        if key not in applied and c.obligations:
            on = ", ".join(domains[i].label for i in sorted(uses.get(key, ()))) or "missing facts"
            hints.append(f"{key} would add {', '.join(o.id for o in c.obligations)}, depending on {on}")
    if len(verdicts) == 1:
        first = outcomes[0]
        # What decided in every combination; if nothing did throughout, each combination's own.
        determining = tuple(k for k in first.determining if all(k in o.determining for o in outcomes)) or \
            tuple(dict.fromkeys(k for o in outcomes for k in o.determining))
        merged = _Outcome(first.verdict, determining, statuses, applied, first.conflict, first.reason, grants)
        return merged, analysis, (), tuple(hints), base_assign
    # A fact matters if changing it alone changes the verdict in some combination.
    matters = []
    for i in range(len(domains)):
        seen: dict[tuple[object, ...], str] = {}
        for combo, o, _ in runs:
            rest = tuple((type(x), x) for j, x in enumerate(combo) if j != i)
            if seen.setdefault(rest, o.verdict) != o.verdict:
                matters.append(i)
                break
    matters = matters or list(range(len(domains)))
    labels = tuple(dict.fromkeys(domains[i].label for i in matters))
    determining = tuple(k for k in keys if uses.get(k, frozenset()) & set(matters))
    why = ("the verdict depends on facts the scenario does not give: " + ", ".join(labels)
           + f" (it could be {' or '.join(verdicts)})")
    if len(matters) == 1:
        d = domains[matters[0]]
        by_value: dict[str, list[str]] = {}
        for combo, o, _ in runs:
            shown = "another value" if combo[matters[0]] == _OTHER else _show(combo[matters[0]])
            if shown not in by_value.setdefault(o.verdict, []):
                by_value[o.verdict].append(shown)
        for verdict in verdicts:
            hints.append(f"with {d.label} = {' or '.join(by_value[verdict])}: {verdict}")
    undetermined = _Outcome("undetermined", determining, statuses, applied, None, why, grants)
    return undetermined, analysis, labels, tuple(hints), base_assign


_VERDICT_ORDER = ["permit", "require-mou", "deny", "undetermined"]


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def _merge_statuses(outcomes: Sequence[_Outcome]) -> dict[str, tuple[str, str | None]]:
    """A clause's status where every combination agrees on it, ``undetermined`` elsewhere."""
    merged: dict[str, tuple[str, str | None]] = {}
    for key, status in outcomes[0].statuses.items():
        if all(o.statuses.get(key) == status for o in outcomes[1:]):
            merged[key] = status
        else:
            merged[key] = ("undetermined", None)
    return merged


def _clause_statuses(program: Any, ix: _Index, ev: _Evaluated, outcome: _Outcome) -> tuple[ClauseStatus, ...]:
    out = []
    for a in program.agreements:
        for c in a.clauses:
            key = f"{a.id}.{c.id}"
            status, by = outcome.statuses.get(key, ("not-applicable", None))
            conditions = ev.failing.get(key, ())
            base = ix.base_of.get(key)
            if status == "not-applicable" and base is not None and not c.standalone and \
                    all(f.value is not False for f in conditions):
                # Its own condition holds: what fails is the base's, which an exception includes.
                conditions = (*conditions, Failing(f"the condition of {base}, which this exception includes, "
                                                   "does not hold", False, note=True))
            out.append(ClauseStatus(
                id=key,
                title=c.title,
                ref=c.ref,
                kind=c.kind.value,
                status=status,
                effect=c.then.value if c.then is not None else None,
                defeated_by=by,
                conditions=conditions,
                file=c.span.file,
                line=c.span.line,
                obligations=tuple(o.id for o in c.obligations),
                grants=c.grants,
            ))
    return tuple(out)


def _obligations(ix: _Index, outcome: _Outcome, analysis: LicenceAnalysis) -> tuple[DecidedObligation, ...]:
    found: dict[tuple[str, str], DecidedObligation] = {}
    for o in analysis.obligations:
        found[(o.id, f"licence:{o.licence}")] = DecidedObligation(o.id, f"licence:{o.licence}", o.text)
    waived: set[tuple[str, str]] = set()
    for key in outcome.applied:
        base = ix.base_of.get(key)
        if base is not None:
            waived.update((w.name, base) for w in ix.clause_of[key][1].waives)
    # The same obligation from several clauses is listed once, under the first clause in file order.
    by_id: dict[str, DecidedObligation] = {}
    for key in outcome.applied:
        for ob in ix.clause_of[key][1].obligations:
            if (ob.id, key) not in waived and ob.id not in by_id:
                by_id[ob.id] = DecidedObligation(ob.id, key, ob.text or ob.id)
    for ob in by_id.values():
        found[(ob.id, ob.source)] = ob
    return tuple(sorted(found.values(), key=lambda o: (not o.source.startswith("licence:"), o.source, o.id)))


def _hints(scenario: Scenario, ix: _Index, ev: _Evaluated, outcome: _Outcome, analysis: LicenceAnalysis,
           missing: Sequence[str], base_assign: Mapping[str, bool],
           analysis_for: Callable[[tuple[str, ...]], LicenceAnalysis], owner: str) -> tuple[str, ...]:
    hints: list[str] = []
    for comp in analysis.components:
        if comp.status == "forbids":
            others = [u for u in USES if u != scenario.use]
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
            hints.append(f"give {fact} in the scenario")
    if analysis.owner_status in ("silent", "forbids") and outcome.verdict == "require-mou" and \
            all(k.startswith("licence:") for k in outcome.determining):
        if analysis.owner_status == "silent":
            hints.append("a licence for the solution, or a standing agreement clause that permits this reuse, "
                         "would avoid the MOU")
        else:
            hints.append("a standing agreement clause that grants a suitable licence for the owner's code, or "
                         f"another outbound licence (see `coop outbound \"{analysis.expression}\"`), "
                         "would avoid the MOU")
    if outcome.conflict == "between-agreements":
        involved = sorted({k.split(".", 1)[0] for k in outcome.determining})
        hints.append("a `precedence` between " + " and ".join(involved) + " (or a `refines`) would settle the "
                     "conflict: which one wins is for the parties to say")
    elif outcome.conflict is not None:
        hints.append(f"making one of {', '.join(outcome.determining)} an `exception to` the other would settle "
                     f"the conflict inside {outcome.conflict}")
    if outcome.verdict != "undetermined" and analysis.third_party_status != "forbids":
        hints.extend(_flips(ix, ev, outcome, base_assign, analysis_for, owner))
    return tuple(dict.fromkeys(hints))


def _flips(ix: _Index, ev: _Evaluated, outcome: _Outcome, base_assign: Mapping[str, bool],
           analysis_for: Callable[[tuple[str, ...]], LicenceAnalysis], owner: str) -> list[str]:
    """The nearest clauses that would change the verdict: each one not applying is tried as if its
    own condition held; those that change the verdict are reported with what failed."""
    hints = []
    tried = 0
    for key, (status, _) in outcome.statuses.items():
        if status != "not-applicable" or ev.agreement_truth.get(ix.clause_of[key][0].id) is not True:
            continue
        c = ix.clause_of[key][1]
        failing = [f.text for f in ev.failing.get(key, ()) if f.value is False]
        if not failing or (c.then is None and not c.grants):
            continue
        if tried >= MAX_HINT_RUNS:
            break
        tried += 1
        flipped, _ = _run(ix, ev, base_assign, analysis_for, owner, force=frozenset({key}))
        if flipped.verdict != outcome.verdict:
            ref = f" [{c.ref}]" if c.ref else ""
            hints.append(f"{key}{ref} would make it {flipped.verdict} if {' and '.join(failing)} held")
    return hints


def _today() -> dt.date:
    return dt.date.today()
