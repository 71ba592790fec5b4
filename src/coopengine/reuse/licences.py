"""Step 2 of the reuse decision: what the licences say about the use.

The owner's licence (with any licence an agreement grants), against the recipient's
``outbound`` or ``combined_with`` licence when given, and every SBOM component, through the
compatibility engine. Each status is one of ``grants``, ``conditional``, ``silent`` or
``forbids``. Also the answers to licence tests in agreement conditions (``licence.copyleft``,
``compatible-with``) for the solution's licence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..engine import CompatResult, ObligationItem, Reason, check_compat, check_use, licence_atom_truth
from ..errors import InputError, Location
from ..expressions import And as ExprAnd
from ..expressions import Expression, Leaf, ParsedExpression, leaves, parse_expression
from ..expressions import Or as ExprOr
from ..knowledge import KnowledgeBase
from ..scenario import Scenario
from .results import CombinedWork, ComponentFinding, LicenceAnalysis

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
    """The two questions a lawyer asks of the combined work (the owner's code with any licence
    granted by an agreement, every SBOM component, the recipient's ``combined_with`` code):

    1. does each licence in play allow this use at all (``check_use``)?
    2. where the use triggers a copyleft, can the combined work go under one licence that
       carries every part: the ``outbound`` when given, otherwise one found by the outbound
       ranking (named in the obligations), or none, naming the two parts that block.

    A component is not judged "into the owner's licence": MIT code with an AGPL component,
    offered as a service, is allowed on AGPL's terms for the whole.
    """
    owner = parse_owner_licence(scenario)
    outbound = _parse_optional(scenario, "outbound")
    combined = _parse_optional(scenario, "combined_with")
    use, linking = scenario.use, scenario.linking or "static"
    memo = {} if memo is None else memo

    def judged(target: ParsedExpression | None) -> tuple[_OwnerFinding, list[ComponentFinding]]:
        parts = [*components, *([_RecipientCode(combined.normalised)] if combined is not None else [])]
        return (_owner_finding(owner, target, grants, use, linking, kb_extra),
                [_component(part, target, use, linking, kb_extra, memo) for part in parts])

    own, findings = judged(outbound)
    work = _combined_work(own, findings, outbound, use, linking, kb_extra)
    if work.licence is not None and not work.given:
        # Each part is then judged into the licence found, as into an outbound: the owner's
        # alternative, the reasons and the obligations are those of the combined work.
        own, findings = judged(parse_expression(work.licence, source="combined work"))
    if work.blocking:
        own, findings = _blocked(work, own, findings)
    blocked = outbound is not None and _worse_under(outbound, own, findings, use, linking, kb_extra)
    third = max((f.status for f in findings), key=STATUS_RANK.__getitem__, default="grants")
    # A component that forbids the use is not used: its obligations would only mislead.
    obligations = [*own.obligations, *(o for f in findings if f.status != "forbids" for o in f.obligations)]
    if work.licence and not work.given:
        obligations.append(_carrier_obligation(work, use))
    return LicenceAnalysis(
        verdict=max((own.status, third), key=STATUS_RANK.__getitem__),
        expression=owner.normalised if owner else None,
        target=outbound.normalised if outbound else None,
        choice=own.choice,
        owner_status=own.status,
        third_party_status=third,
        reasons=tuple(dict.fromkeys(own.reasons)),
        conditions=tuple(dict.fromkeys([*own.conditions, *(c for f in findings for c in f.conditions)])),
        obligations=tuple(sorted(set(obligations), key=lambda o: (o.licence, o.id))),
        components=tuple(findings),
        owner_leaves=own.leaves,
        granted=tuple(grants),
        combined=work,
        outbound_blocked=blocked,
        notes=tuple(dict.fromkeys([*(f"{what}: {n}" for what, parsed in (("licence", owner), ("outbound", outbound),
                                   ("combined-with", combined)) if parsed for n in parsed.notes), *own.notes])),
    )


def _worse_under(outbound: ParsedExpression, own: _OwnerFinding, findings: Sequence[ComponentFinding], use: str,
                 linking: str, kb_extra: Sequence[str]) -> bool:
    """Whether some part fares worse under the outbound than its licence alone allows."""
    judged = [(own.licence, own.status)] if own.licence is not None else []
    texts = {f.licence: f.status for f in findings if f.licence and f.status in ("silent", "forbids")}
    for text, status in texts.items():
        try:
            judged.append((parse_expression(text, source="component licence"), status))
        except InputError:
            continue
    return any(STATUS_RANK[status] > STATUS_RANK[_STATUS_OF[check_use(p, use=use, linking=linking,
                                                                        kb=kb_extra).verdict]]
               for p, status in judged)


@dataclass(frozen=True)
class _RecipientCode:
    """The recipient's own code (``combined_with``), judged like a component of the combined work."""

    licence: str
    id: str = "combined_with"
    name: str = "the recipient's code"
    version: str | None = None
    licence_field: str = "combined_with"


_USE_WORDS = {"distribution": "distributed", "network-service": "offered over the network",
              "internal": "used internally"}


def _combined_work(own: _OwnerFinding, findings: Sequence[ComponentFinding], outbound: ParsedExpression | None,
                   use: str, linking: str, kb_extra: Sequence[str]) -> CombinedWork:
    """Question 2: whether the use triggers a copyleft, and the one licence for the whole."""
    from ..outbound import carry

    # Only the parts whose licence allows the use are combined; the others already decide.
    labels: list[str] = []
    parts: list[ParsedExpression] = []
    if own.licence is not None and own.status in ("grants", "conditional"):
        labels.append("owner")
        parts.append(own.licence)
    seen: set[str] = set()
    for f in findings:
        # Components under the same licence text are one part (SBOMs repeat a few texts many times).
        if f.status in ("grants", "conditional") and f.licence and f.licence not in seen:
            seen.add(f.licence)
            parsed = parse_expression(f.licence, source="component licence")
            if parsed.expression not in (p.expression for p in parts):
                labels.append(f.licence)
                parts.append(parsed)
    if outbound is not None:
        # The outbound is the licence of the whole: each part was checked into it above.
        found = carry(parts, use=use, linking=linking, kb=kb_extra, limit=0)
        return CombinedWork(found.copyleft, outbound.normalised, True)
    found = carry(parts, use=use, linking=linking, kb=kb_extra)
    if not found.copyleft:
        return CombinedWork((), None, False)
    if found.options:
        # Other choices are named only among the parts' own licences: a licence foreign to every
        # part is a choice for the recipient to make with the ranking (coop outbound), not a duty.
        return CombinedWork(found.copyleft, found.options[0].licence, False,
                            tuple(o.licence for o in found.options[1:] if o.own))
    # The parts whose copyleft cannot be met are to blame; the owner's code first, since its
    # owner could grant another licence, whereas a third party's terms cannot be changed.
    demanding = [labels[i] for i in found.demanding]
    return CombinedWork(found.copyleft, None, False,
                        blocking=("owner",) if "owner" in demanding else tuple(demanding),
                        blocking_licences=tuple(parts[i].normalised for i in found.blocking))


def _blocked(work: CombinedWork, own: _OwnerFinding, findings: Sequence[ComponentFinding]
             ) -> tuple[_OwnerFinding, list[ComponentFinding]]:
    """No licence carries the whole: the parts that block are forbidden for this use. The owner's
    code first (its owner could grant another licence); a third party's terms cannot be changed."""
    pair = " and ".join(work.blocking_licences)
    text = (f"no open source licence can carry {pair} together, and this use triggers a copyleft "
            f"({', '.join(work.copyleft)}) that needs one licence for the combined work")
    reason = Reason(text, "combined-work", None)
    if "owner" in work.blocking:
        own = _OwnerFinding("forbids", own.licence, (*own.reasons, reason), own.conditions, (), own.choice,
                            own.leaves)
        return own, list(findings)
    out = [replace(f, status="forbids", verdict="incompatible", reasons=(reason, *f.reasons), obligations=())
           if f.licence in work.blocking else f for f in findings]
    return own, out


def _carrier_obligation(work: CombinedWork, use: str) -> ObligationItem:
    assert work.licence is not None
    others = f" ({' or '.join(work.alternatives)} would do too)" if work.alternatives else ""
    text = (f"The combined work, when {_USE_WORDS.get(use, use)}, goes under {work.licence} as a whole{others}: "
            f"this use triggers a copyleft ({', '.join(work.copyleft)}), and {work.licence} can carry the licence "
            "of every part.")
    return ObligationItem("combined-work-licence", work.licence, text)


@dataclass(frozen=True)
class _OwnerFinding:
    status: str
    licence: ParsedExpression | None  # the owner's licence, with the granted ones as alternatives
    reasons: Sequence[Reason] = ()
    conditions: Sequence[str] = ()
    obligations: Sequence[ObligationItem] = ()
    choice: str | None = None
    leaves: tuple[str, ...] = ()  # the licences of the alternative chosen
    notes: tuple[str, ...] = ()  # how the granted licences' ids were read


def _owner_finding(owner: ParsedExpression | None, target: ParsedExpression | None, grants: Sequence[str],
                   use: str, linking: str, kb_extra: Sequence[str]) -> _OwnerFinding:
    if owner is None:
        return _OwnerFinding("silent", None, (Reason(
            "the solution's licence is not given (no licence, no publiccode.yml legal.license)", "no-licence", None),))
    expr = owner.expression
    notes: tuple[str, ...] = ()
    if grants:
        # A granted licence is one more alternative for the owner's code.
        granted = [parse_expression(g, source="grant") for g in grants]
        notes = tuple(f"grant {p.text!r}: {n}" for p in granted for n in p.notes)
        expr = ExprOr(tuple(dict.fromkeys([expr, *(p.expression for p in granted)])))
        owner = ParsedExpression(owner.text, expr, owner.notes)
    result = _judged(owner, target, use, linking, kb_extra)
    chosen = parse_expression(result.choice).expression if result.choice else expr
    return _OwnerFinding(_STATUS_OF[result.verdict], owner, result.reasons, result.conditions, result.obligations,
                         result.choice, tuple(leaf.key for leaf in leaves(chosen)), notes)


def _judged(parsed: ParsedExpression, target: ParsedExpression | None, use: str, linking: str,
            kb_extra: Sequence[str]) -> CompatResult:
    """Does the licence allow the use at all; then, with an outbound, can the part go under it?"""
    allowed = check_use(parsed, use=use, linking=linking, kb=kb_extra)
    if target is None or allowed.verdict not in ("compatible", "conditional"):
        return allowed
    into = check_compat(parsed, target, use=use, linking=linking, kb=kb_extra)
    return into if STATUS_RANK[_STATUS_OF[into.verdict]] >= STATUS_RANK[_STATUS_OF[allowed.verdict]] else allowed


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
    result = _judged(parsed, target, use, linking, kb_extra)
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
