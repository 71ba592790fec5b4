"""Step 1 of the reuse decision: read what the scenario points at.

The agreement files (parsed and checked as ``coop check`` does; any error stops the decision),
the SBOM's components, the facts the scenario gives, and the hashes of every input for the
provenance of the answer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..errors import InputError, Location, did_you_mean
from ..knowledge import KnowledgeBase
from ..scenario import Scenario

if TYPE_CHECKING:
    from ..language import Program

__all__ = ["Inputs", "load_program", "program_of_sources", "provenance", "read_inputs", "scenario_facts"]


@dataclass(frozen=True)
class Inputs:
    """The agreements in force for the decision (None: no agreement files), their source lines
    (for quoting conditions), the components of the solution, and the hashes of the files read."""

    program: Program | None
    lines: dict[str, tuple[str, ...]]
    components: Sequence[Any]
    hashes: dict[str, str]


def read_inputs(
    scenario: Scenario,
    agreements: Sequence[Path],
    components: Sequence[Any] | None,
    loaded: tuple[Program | None, dict[str, tuple[str, ...]], dict[str, str]] | None = None,
    sbom: Any = None,
) -> Inputs:
    """The agreement files of the scenario and of ``agreements``, and the SBOM unless ``components`` is given.

    ``loaded`` (from :func:`load_program`) stands for the agreements, read once for many
    decisions; ``sbom`` (an :class:`coopengine.sbom.Sbom`) for the scenario's SBOM file.
    """
    if loaded is not None:
        program, lines, hashes = loaded[0], loaded[1], dict(loaded[2])
    else:
        program, lines, hashes = load_program(list(dict.fromkeys([*scenario.agreements, *agreements])))
    if program is not None:
        _check_parties(scenario, program)
    if components is None:
        components = ()
        if sbom is None and scenario.solution.sbom is not None:
            from ..sbom import read_sbom

            sbom = read_sbom(scenario.solution.sbom)
        if sbom is not None:
            components = sbom.components
            hashes[str(scenario.solution.sbom or sbom.path)] = "sha256:" + sbom.sha256
    return Inputs(program, lines, components, hashes)


def load_program(paths: Sequence[Path]) -> tuple[Program | None, dict[str, tuple[str, ...]], dict[str, str]]:
    """Parse and check agreement files; any error stops the decision (exit 2) as ``coop check`` reports it."""
    from ..language.loader import load_sources

    if not paths:
        return None, {}, {}
    sources = load_sources(paths)
    if not sources:
        raise InputError("no .coop files found", location=Location(", ".join(str(p) for p in paths)),
                         expected="agreement files ending in .coop, or folders holding them")
    return program_of_sources(sources)


def program_of_sources(sources: Sequence[Any]) -> tuple[Program, dict[str, tuple[str, ...]], dict[str, str]]:
    """:func:`load_program` on sources already read (files, or texts given in memory)."""
    from ..language import LanguageError
    from ..language.checks import ERROR_CHECKS, Context
    from ..language.loader import parse_sources

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


def _check_parties(scenario: Scenario, program: Program) -> None:
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


def scenario_facts(scenario: Scenario, program: Program | None) -> dict[str, object]:
    """The facts conditions read (``use``, ``date``, ``solution.*``, ``provider.kind`` ...) that the scenario gives."""
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


def provenance(scenario: Scenario, knowledge: KnowledgeBase, inputs: Inputs) -> dict[str, Any]:
    """The engine and knowledge-base versions and a hash of every input file, sorted by path."""
    hashes = {scenario.file: "sha256:" + scenario.sha256} if scenario.sha256 else {}
    hashes.update(inputs.hashes)
    if scenario.solution.publiccode is not None:
        hashes[str(scenario.solution.publiccode)] = "sha256:" + hashlib.sha256(
            scenario.solution.publiccode.read_bytes()).hexdigest()
    return {
        "coopengine": __version__,
        "knowledge_base": knowledge.version,
        "date_given": scenario.date_given,
        "inputs": dict(sorted(hashes.items())),
    }
