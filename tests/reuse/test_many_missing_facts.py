"""Many missing facts (issue 12): what decides whatever they are is settled before any
exploration; beyond 4,096 combinations the search is streamed and stops at the first two that
differ; 20 missing facts are answered, not refused. The streamed search must agree with the
search that keeps every run (checked on random programs with the threshold lowered)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reuse_helpers import make_decider

explore = importlib.import_module("coopengine.reuse.explore")


def _clauses(n: int, effect: str = "permit") -> str:
    """One clause per missing fact (solution.f0 ... solution.f{n-1}), all with the same effect."""
    return "\n".join(f'  clause c{i} "C{i}" ref "{i}" {{ when solution.f{i} then {effect} }}' for i in range(n))


def _agreement(body: str) -> str:
    return f"""
agreement many "Many facts" {{
  parties a-city, b-city
  effective 2020-01-01
{body}
}}
"""


def test_a_forbidding_component_denies_with_13_missing_facts(tmp_path: Path) -> None:
    # A component's licence that forbids distribution decides, however the 13 facts fall.
    sbom = tmp_path / "sbom.cdx.json"
    sbom.write_text('{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": ['
                    '{"type": "library", "name": "nc-lib", "version": "1", '
                    '"licenses": [{"license": {"id": "SSPL-1.0"}}]}]}')
    decision = make_decider(tmp_path)(_agreement(_clauses(13)), use="distribution", sbom=str(sbom))
    d = decision.to_dict()
    assert d["verdict"] == "deny"
    assert "licence:SSPL-1.0" in d["determining"]
    assert "whatever the missing facts are" in d["summary"]


def test_a_deny_guardrail_that_surely_applies_denies_with_13_missing_facts(tmp_path: Path) -> None:
    body = _clauses(13) + '\n  guardrail stop "Stop" ref "G" { then deny }'
    d = make_decider(tmp_path)(_agreement(body)).to_dict()
    assert (d["verdict"], d["determining"]) == ("deny", ["many.stop"])


def test_a_guardrail_on_a_missing_fact_does_not_settle(tmp_path: Path) -> None:
    # The guardrail reads f0: it denies in some combinations only, so the verdict depends on f0.
    body = _clauses(13) + '\n  guardrail stop "Stop" ref "G" { when solution.f0 then deny }'
    d = make_decider(tmp_path)(_agreement(body)).to_dict()
    assert d["verdict"] == "undetermined"
    assert "solution.f0" in d["missing_facts"]


def test_14_missing_facts_with_one_verdict_are_answered(tmp_path: Path) -> None:
    # Every clause permits: whatever the 14 facts (16,384 combinations, streamed), nothing denies.
    # (20 such facts are answered too, in about a minute: bench/bench_reuse.py.)
    d = make_decider(tmp_path)(_agreement(_clauses(14))).to_dict()
    assert d["verdict"] == "permit"
    assert "too many" not in d["summary"]


def test_20_missing_facts_and_a_settled_deny(tmp_path: Path) -> None:
    body = _clauses(20) + '\n  guardrail stop "Stop" ref "G" { then deny }'
    d = make_decider(tmp_path)(_agreement(body)).to_dict()
    assert (d["verdict"], d["determining"]) == ("deny", ["many.stop"])


def test_20_missing_facts_that_change_the_verdict_name_one_that_does(tmp_path: Path) -> None:
    body = _clauses(19) + '\n  clause no "No" ref "N" { when solution.f19 then deny }'
    d = make_decider(tmp_path)(_agreement(body)).to_dict()
    assert d["verdict"] == "undetermined"
    assert d["missing_facts"] and set(d["missing_facts"]) <= {f"solution.f{i}" for i in range(20)}


EFFECTS = st.sampled_from(["permit", "deny", "require-mou"])
CLAUSE = st.tuples(st.lists(st.integers(0, 4), min_size=1, max_size=2), st.booleans(), EFFECTS)


def _program(clauses: list[tuple[list[int], bool, str]], guard: tuple[int, bool] | None) -> str:
    lines = []
    for i, (facts, negate, effect) in enumerate(clauses):
        cond = " and ".join(f"solution.f{f}" for f in dict.fromkeys(facts))
        cond = f"not ({cond})" if negate else cond
        lines.append(f'  clause c{i} "C{i}" ref "{i}" {{ when {cond} then {effect} }}')
    if guard is not None:
        fact, sure = guard
        when = "" if sure else f"when solution.f{fact} "
        lines.append(f'  guardrail g "G" ref "G" {{ {when}then deny }}')
    return _agreement("\n".join(lines))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(clauses=st.lists(CLAUSE, min_size=1, max_size=4),
       guard=st.none() | st.tuples(st.integers(0, 4), st.booleans()),
       given_facts=st.dictionaries(st.sampled_from([f"f{i}" for i in range(5)]), st.booleans(), max_size=2))
def test_the_streamed_search_agrees_with_the_kept_runs(clauses: list[Any], guard: Any, given_facts: dict[str, bool],
                                                      tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    decide = make_decider(tmp_path)
    program = _program(clauses, guard)
    kept = decide(program, attributes=dict(given_facts)).to_dict()
    with monkeypatch.context() as m:
        m.setattr(explore, "MAX_ASSIGNMENTS", 0)
        streamed = decide(program, attributes=dict(given_facts)).to_dict()
    assert streamed["verdict"] == kept["verdict"]
    # A fact the streamed search names is one the full search names too (it finds one, not all).
    assert set(streamed["missing_facts"]) <= set(kept["missing_facts"])
    assert bool(streamed["missing_facts"]) == bool(kept["missing_facts"])


def test_a_forbidding_component_is_settled_with_few_missing_facts_too(tmp_path: Path) -> None:
    # Three facts (8 combinations, few enough to keep every run): the component's licence still
    # decides before any is tried, and the decision says so; given every combination, it denies.
    sbom = tmp_path / "sbom.cdx.json"
    sbom.write_text('{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": ['
                    '{"type": "library", "name": "nc-lib", "version": "1", '
                    '"licenses": [{"license": {"id": "SSPL-1.0"}}]}]}')
    decide = make_decider(tmp_path)
    program = _agreement(_clauses(3))
    d = decide(program, use="distribution", sbom=str(sbom)).to_dict()
    assert (d["verdict"], d["missing_facts"]) == ("deny", [])
    assert "licence:SSPL-1.0" in d["determining"] and "whatever the missing facts are" in d["summary"]
    for bits in range(8):
        given = {f"f{i}": bool(bits >> i & 1) for i in range(3)}
        assert decide(program, use="distribution", sbom=str(sbom), attributes=given).verdict == "deny"
    # What would change it is still found (and verified by deciding again): another use.
    assert any(h.startswith("use ") for h in d["hints"]), d["hints"]
