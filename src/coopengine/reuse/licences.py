"""Step 2 of the reuse decision: what the licences say about the use.

The owner's licence (with any licence an agreement grants), against the recipient's
``outbound`` or ``combined_with`` licence when given, and every SBOM component, through the
compatibility engine. Each status is one of ``grants``, ``conditional``, ``silent`` or
``forbids``. Also the answers to licence tests in agreement conditions (``licence.copyleft``,
``compatible-with``) for the solution's licence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..engine import CompatResult, ObligationItem, Reason, check_compat, check_use, licence_atom_truth
from ..errors import InputError, Location
from ..expressions import And as ExprAnd
from ..expressions import Expression, Leaf, ParsedExpression, leaves, parse_expression
from ..expressions import Or as ExprOr
from ..knowledge import KnowledgeBase
from ..scenario import Scenario
from .results import ComponentFinding, LicenceAnalysis

if TYPE_CHECKING:
    from ..language.logic import Truth
    from ..language.model import Condition

__all__ = ["STATUS_RANK", "Licences", "analyse_licences", "licence_oracle", "parse_owner_licence"]

_STATUS_OF = {"compatible": "grants", "conditional": "conditional", "unknown": "silent", "incompatible": "forbids"}
STATUS_RANK = {"grants": 0, "conditional": 1, "silent": 2, "forbids": 3}


class Licences:
    """The licence analysis of one scenario, computed once per set of licences granted by agreements."""

    def __init__(self, scenario: Scenario, components: Sequence[Any], kb_extra: Sequence[str]) -> None:
        self._scenario = scenario
        self._components = components
        self._kb_extra = kb_extra
        self._by_grants: dict[tuple[str, ...], LicenceAnalysis] = {}
        self._findings: dict[tuple[str, str], _Finding] = {}

    def analysis(self, grants: Sequence[str] = ()) -> LicenceAnalysis:
        key = tuple(sorted(set(grants)))
        if key not in self._by_grants:
            self._by_grants[key] = analyse_licences(self._scenario, self._components, self._kb_extra, key,
                                                    self._findings)
        return self._by_grants[key]


def parse_owner_licence(scenario: Scenario) -> ParsedExpression | None:
    """The solution's licence; a syntax error points into the scenario (or publiccode.yml) where it was given."""
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
    owner = parse_owner_licence(scenario)
    target = _parse_optional(scenario, "outbound") or _parse_optional(scenario, "combined_with")
    linking = scenario.linking or "static"
    own = _owner_finding(owner, target, grants, scenario.use, linking, kb_extra)
    comp_target = target or (own.licence if owner is not None else None)
    memo = {} if memo is None else memo
    findings = [_component(comp, comp_target, scenario.use, linking, kb_extra, memo) for comp in components]
    third = max((f.status for f in findings), key=STATUS_RANK.__getitem__, default="grants")
    # A component that forbids the use is not used: its obligations would only mislead.
    obligations = [*own.obligations, *(o for f in findings if f.status != "forbids" for o in f.obligations)]
    return LicenceAnalysis(
        verdict=max((own.status, third), key=STATUS_RANK.__getitem__),
        expression=owner.normalised if owner else None,
        target=target.normalised if target else None,
        choice=own.choice,
        owner_status=own.status,
        third_party_status=third,
        reasons=tuple(dict.fromkeys(own.reasons)),
        conditions=tuple(dict.fromkeys([*own.conditions, *(c for f in findings for c in f.conditions)])),
        obligations=tuple(sorted(set(obligations), key=lambda o: (o.licence, o.id))),
        components=tuple(findings),
        owner_leaves=own.leaves,
        granted=tuple(grants),
    )


@dataclass(frozen=True)
class _OwnerFinding:
    status: str
    licence: ParsedExpression | None  # the owner's licence, with the granted ones as alternatives
    reasons: Sequence[Reason] = ()
    conditions: Sequence[str] = ()
    obligations: Sequence[ObligationItem] = ()
    choice: str | None = None
    leaves: tuple[str, ...] = ()  # the licences of the alternative chosen


def _owner_finding(owner: ParsedExpression | None, target: ParsedExpression | None, grants: Sequence[str],
                   use: str, linking: str, kb_extra: Sequence[str]) -> _OwnerFinding:
    if owner is None:
        return _OwnerFinding("silent", None, (Reason(
            "the solution's licence is not given (no licence, no publiccode.yml legal.license)", "no-licence", None),))
    expr = owner.expression
    if grants:
        # A granted licence is one more alternative for the owner's code.
        granted = [parse_expression(g, source="grant").expression for g in grants]
        expr = ExprOr(tuple(dict.fromkeys([expr, *granted])))
        owner = ParsedExpression(owner.text, expr, owner.notes)
    result: CompatResult
    if target is not None:
        result = check_compat(owner, target, use=use, linking=linking, kb=kb_extra)
    else:
        result = check_use(owner, use=use, linking=linking, kb=kb_extra)
    chosen = parse_expression(result.choice).expression if result.choice else expr
    return _OwnerFinding(_STATUS_OF[result.verdict], owner, result.reasons, result.conditions, result.obligations,
                         result.choice, tuple(leaf.key for leaf in leaves(chosen)))


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


def licence_oracle(scenario: Scenario, kb: KnowledgeBase, kb_extra: Sequence[str],
                   owner: ParsedExpression | None) -> Callable[[Condition], Truth]:
    """Answers a licence test of a condition for the solution's licence: for ``A OR B`` true if some
    alternative makes it true, for ``A AND B`` if every part does; None when it cannot tell."""
    from ..language.model import CompatibleWith

    def leaf_value(leaf: Leaf, atom: Condition) -> Truth:
        if isinstance(atom, CompatibleWith):
            if atom.target is None:
                return None
            r = check_compat(ParsedExpression(str(leaf), leaf), atom.target, use=scenario.use,
                             linking=scenario.linking or "static", kb=kb_extra)
            return True if r.verdict == "compatible" else False if r.verdict == "incompatible" else None
        return licence_atom_truth(kb, leaf, atom)

    def over(expr: Expression, atom: Condition) -> Truth:
        if isinstance(expr, Leaf):
            return leaf_value(expr, atom)
        vals = [over(p, atom) for p in expr.parts]
        if isinstance(expr, ExprAnd):
            return False if False in vals else (None if None in vals else True)
        return True if True in vals else (None if None in vals else False)

    memo: dict[Condition, Truth] = {}

    def oracle(atom: Condition) -> Truth:
        # A scenario without any licence leaves every licence fact unknown (not "no licence").
        if owner is None:
            return None
        if atom not in memo:
            memo[atom] = over(owner.expression, atom)
        return memo[atom]

    return oracle
