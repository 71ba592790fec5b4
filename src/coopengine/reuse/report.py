"""Step 7 of the reuse decision: what the answer says besides the verdict.

Each clause's status with the conditions that failed, the obligations that follow (the
licences' and the applied clauses', less what an exception waives), and the hints: what
to check, what to give, and which clause would change the verdict if its condition held.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ..scenario import Scenario
from ..words import USES
from .explore import Explored
from .results import ClauseStatus, DecidedObligation, Decision, Failing, LicenceAnalysis
from .settle import Outcome, Setting, settle

if TYPE_CHECKING:
    from ..language import Program

__all__ = ["clause_statuses", "hints", "obligations", "verified_changes"]

MAX_HINT_RUNS = 64


def clause_statuses(program: Program | None, setting: Setting, outcome: Outcome) -> tuple[ClauseStatus, ...]:
    """Every clause in file order, with its status and the conditions that did not hold."""
    if program is None:
        return ()
    out = []
    for a in program.agreements:
        for c in a.clauses:
            key = f"{a.id}.{c.id}"
            status, by = outcome.statuses.get(key, ("not-applicable", None))
            conditions = setting.evaluated.failing.get(key, ())
            base = setting.index.base_of.get(key)
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


def obligations(setting: Setting, outcome: Outcome, analysis: LicenceAnalysis) -> tuple[DecidedObligation, ...]:
    """The licences' obligations, then the applied clauses' (once each, less what an exception waives)."""
    ix = setting.index
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
        for clause_ob in ix.clause_of[key][1].obligations:
            if (clause_ob.id, key) not in waived and clause_ob.id not in by_id:
                by_id[clause_ob.id] = DecidedObligation(clause_ob.id, key, clause_ob.text or clause_ob.id)
    for ob in by_id.values():
        found[(ob.id, ob.source)] = ob
    return tuple(sorted(found.values(), key=lambda o: (not o.source.startswith("licence:"), o.source, o.id)))


def hints(scenario: Scenario, setting: Setting, explored: Explored) -> tuple[str, ...]:
    """What the user could check, give or change, most specific first, each once."""
    outcome, analysis = explored.outcome, explored.analysis
    found = [*_component_hints(scenario, analysis)]
    for fact in explored.missing:
        if fact.startswith("solution."):
            found.append(f"give {fact} (solution.attributes.{fact.removeprefix('solution.')}) in the scenario")
        else:
            found.append(f"give {fact} in the scenario")
    if analysis.owner_status in ("silent", "forbids") and outcome.verdict == "require-mou" and \
            all(k.startswith("licence:") for k in outcome.determining):
        if analysis.owner_status == "silent":
            found.append("a licence for the solution, or a standing agreement clause that permits this reuse, "
                         "would avoid the MOU")
        else:
            found.append("a standing agreement clause that grants a suitable licence for the owner's code "
                         "would avoid the MOU")
    if outcome.conflict == "between-agreements":
        involved = sorted({k.split(".", 1)[0] for k in outcome.determining})
        found.append("a `precedence` between " + " and ".join(involved) + " (or a `refines`) would settle the "
                     "conflict: which one wins is for the parties to say")
    elif outcome.conflict is not None:
        found.append(f"making one of {', '.join(outcome.determining)} an `exception to` the other would settle "
                     f"the conflict inside {outcome.conflict}")
    if outcome.verdict != "undetermined" and analysis.third_party_status != "forbids":
        found.extend(_flips(setting, outcome, explored.base_assign))
    return tuple(dict.fromkeys([*found, *explored.hints]))


# Better is lower; undetermined is treated as require-mou (contract.md), so it is no better.
_VERDICT_RANK = {"permit": 0, "require-mou": 1, "undetermined": 1, "deny": 2}


def verified_changes(decision: Decision, rerun: Callable[[Scenario], Decision]) -> list[str]:
    """Changes of the scenario that give a better verdict, each found by deciding again: another
    use when a licence forbids this one, another outbound licence (the one the combined work can
    go under) when a part cannot go under the one given. A change that gives the same or a
    worse verdict is never suggested."""
    scenario, analysis = decision.scenario, decision.licence
    rank = _VERDICT_RANK[decision.verdict]
    found = []
    if analysis.outbound_blocked:
        free = rerun(replace(scenario, outbound=None)).licence.combined
        for candidate in [free.licence, *free.alternatives] if free.licence else []:
            if candidate == scenario.outbound:
                continue
            tried = rerun(replace(scenario, outbound=candidate))
            if _VERDICT_RANK[tried.verdict] < rank:
                found.append(f"outbound {candidate} instead of {scenario.outbound}: the combined work can go under "
                             f"it, and the decision would be {tried.verdict}")
    if "forbids" in (analysis.owner_status, analysis.third_party_status):
        for use in USES:
            if use != scenario.use:
                tried = rerun(replace(scenario, use=use))
                if _VERDICT_RANK[tried.verdict] < rank:
                    found.append(f"use {use} instead of {scenario.use} would make it {tried.verdict}")
    return found


def _component_hints(scenario: Scenario, analysis: LicenceAnalysis) -> list[str]:
    found = []
    for comp in analysis.components:
        if comp.status == "forbids":
            found.append(
                f"component {comp.name} ({comp.licence}) forbids {scenario.use}: replace it (an agreement "
                "between provider and recipient cannot lift a third party's terms)")
        elif comp.status == "silent":
            found.append(f"component {comp.name}: {comp.problem or 'its licence is not known'}; "
                         "establish its licence (SBOM concluded licence) to decide")
        elif comp.status == "conditional":
            found.append(f"component {comp.name} ({comp.licence}): check that "
                         + "; ".join(comp.conditions or ("its condition",)) + " holds")
    return found


def _flips(setting: Setting, outcome: Outcome, base_assign: Mapping[str, bool]) -> Sequence[str]:
    """The nearest clauses that would change the verdict: each one not applying is tried as if its
    own condition held; those that change the verdict are reported with what failed."""
    ix, ev = setting.index, setting.evaluated
    found = []
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
        flipped, _ = settle(setting, base_assign, force=frozenset({key}))
        if flipped.verdict != outcome.verdict:
            ref = f" [{c.ref}]" if c.ref else ""
            found.append(f"{key}{ref} would make it {flipped.verdict} if {' and '.join(failing)} held")
    return found
