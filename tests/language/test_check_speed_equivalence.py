"""The shortcuts of the warnings' searches change nothing: every search `coop check` runs
on the examples and on a generated portfolio gives what the plain backtracking search
gives (the same fact set, or None, or :class:`SearchLimit` at the same step)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from coopengine.language import analysis, check, check_text
from coopengine.language.logic import Constraint, SearchLimit, Variable, evaluate

ROOT = Path(__file__).resolve().parents[2]


def reference(
    variables: Sequence[Variable], constraints: Sequence[Constraint], *, limit: int = 50_000
) -> dict[str, object] | None:
    """Evaluate every constraint at every partial fact set, counting each one visited."""
    budget = [limit]
    facts: dict[str, object] = {}

    def ok() -> bool:
        for c in constraints:
            value = evaluate(c.condition, facts)
            if value is not None and value not in c.allowed:
                return False
        return True

    def step(index: int) -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            raise SearchLimit
        if not ok():
            return False
        if index == len(variables):
            return all(evaluate(c.condition, facts) in c.allowed for c in constraints)
        for choice in variables[index].choices:
            facts.update(choice)
            if step(index + 1):
                return True
            for key in choice:
                facts.pop(key, None)
        return False

    return dict(facts) if step(0) else None


def _outcome(fn: object, *args: object, **kw: object) -> object:
    try:
        return fn(*args, **kw)  # type: ignore[operator]
    except SearchLimit:
        return "limit"


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Check every search the analyses run against :func:`reference`; counts them."""
    calls: list[int] = []
    real = analysis.search

    def both(variables: Sequence[Variable], constraints: Sequence[Constraint], **kw: object) -> object:
        limit = kw.get("limit", 50_000)
        expected = _outcome(reference, variables, constraints, limit=limit)
        found = _outcome(real, variables, constraints, **kw)
        assert found == expected, (variables, constraints, kw)
        calls.append(1)
        if found == "limit":
            raise SearchLimit
        return found

    monkeypatch.setattr(analysis, "search", both)
    return calls


def test_examples_searches_match_reference(compared: list[int]) -> None:
    check([ROOT / "examples"], date=dt.date(2025, 6, 1))
    assert compared


def test_generated_portfolio_searches_match_reference(compared: list[int]) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import bench_language
    finally:
        sys.path.remove(str(ROOT / "bench"))
    text = bench_language.generate_realistic(agreements=8, seed=5)
    check_text(text, "bench.coop", date=dt.date(2025, 6, 1))
    assert len(compared) > 100
