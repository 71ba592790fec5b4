"""The reuse decision: may the recipient reuse the solution without an MOU?

:func:`decide` reads top-down as its steps, one module each:

1. :mod:`.inputs`: the agreement files (checked as ``coop check`` does), the SBOM, the facts the
   scenario gives;
2. :mod:`.licences`: the licence analysis of the solution for the use (its own licence, every
   SBOM component, the recipient's ``combined_with`` and ``outbound``) through the engine;
3. and 4. :mod:`.agreements`: the agreements in force between provider and recipient, and each
   clause's own condition, in three-valued logic;
5. :mod:`.settle`: with every condition fixed, guardrails first, exceptions, the clauses of
   each agreement, precedence and ``refines`` between agreements, defaults, then the licences;
6. :mod:`.explore`: conditions on facts the scenario does not give are tried both ways; if the
   verdict changes, the result is ``undetermined`` and names the missing facts;
7. :mod:`.report`: the clauses' statuses, the obligations and the hints.

Everything here builds data (:mod:`.results`); :mod:`coopengine.explain_reuse` renders it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..knowledge import KnowledgeBase, load_knowledge
from ..scenario import Scenario
from .agreements import Index, evaluate_agreements
from .explore import explore
from .inputs import Inputs, load_program, program_of_sources, provenance, read_inputs, scenario_facts
from .licences import Licences, analyse_licences, licence_oracle, parse_owner_licence
from .report import clause_statuses, hints, obligations, verified_changes
from .results import AgreementStatus, ClauseStatus, ComponentFinding, Decision, LicenceAnalysis
from .settle import Setting

__all__ = ["AgreementStatus", "ClauseStatus", "ComponentFinding", "Decision", "LicenceAnalysis",
           "analyse_licences", "decide", "load_program", "program_of_sources"]


def decide(
    scenario: Scenario,
    *,
    agreements: Sequence[Path] = (),
    kb: Sequence[str] = (),
    components: Sequence[Any] | None = None,
    loaded: tuple[Any, dict[str, tuple[str, ...]], dict[str, str]] | None = None,
    sbom: Any = None,
) -> Decision:
    """May ``scenario.recipient`` reuse the solution without an MOU? Reads only the files named.

    ``loaded`` and ``sbom`` stand for inputs already read (see :func:`.inputs.read_inputs`).
    """
    knowledge = load_knowledge(kb)
    inputs = read_inputs(scenario, agreements, components, loaded, sbom)
    decision = _decide(scenario, inputs, knowledge, kb)
    if decision.verdict == "permit":
        return decision
    # What the user could change, each tried by deciding again: only a better verdict is said.
    changes = verified_changes(decision, lambda s: _decide(s, inputs, knowledge, kb, verifying=True))
    return replace(decision, hints=tuple(dict.fromkeys([*decision.hints, *changes])))


def _decide(scenario: Scenario, inputs: Inputs, knowledge: KnowledgeBase, kb: Sequence[str],
            verifying: bool = False) -> Decision:
    """``verifying``: a decision made again only to see whether a change gives a better verdict:
    no hints, and the missing facts are tried only until the verdict is known."""
    owner_licence = parse_owner_licence(scenario)
    licences = Licences(scenario, inputs.components, kb)
    facts = scenario_facts(scenario, inputs.program)
    oracle = licence_oracle(scenario, knowledge, kb, owner_licence)
    evaluated = evaluate_agreements(inputs.program, scenario, facts, oracle, inputs.lines)
    setting = Setting(Index.of(inputs.program), evaluated, licences, scenario.solution.owner)
    explored = explore(setting, facts, oracle, verdict_only=verifying)
    outcome = explored.outcome
    agreements_in_force = tuple(evaluated.agreement_status[a.id] for a in inputs.program.agreements) \
        if inputs.program is not None else ()
    return Decision(
        verdict=outcome.verdict,
        scenario=scenario,
        licence=explored.analysis,
        agreements=agreements_in_force,
        clauses=clause_statuses(inputs.program, setting, outcome),
        determining=outcome.determining,
        obligations=obligations(setting, outcome, explored.analysis),
        hints=(() if verifying else hints(scenario, setting, explored)) + _not_evaluated(inputs.set_apart),
        missing=explored.missing,
        summary=outcome.reason,
        provenance=provenance(scenario, knowledge, inputs),
    )


def _not_evaluated(apart: Sequence[str]) -> tuple[str, ...]:
    if not apart:
        return ()
    shown = "; ".join(apart[:10]) + (f"; and {len(apart) - 10} more" if len(apart) > 10 else "")
    return (f"{len(apart)} SBOM component(s) not evaluated (outside the scenario's scopes, or not software): "
            f"{shown}",)
