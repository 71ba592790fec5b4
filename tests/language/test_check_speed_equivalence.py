"""The shortcuts of the warnings' searches change nothing: every search `coop check` runs
on the examples and on a generated portfolio gives what the plain backtracking search
gives (the same fact set, or None, or :class:`SearchLimit` at the same step)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from reference_search import reference

from coopengine.language import analysis, check, check_text
from coopengine.language.logic import Constraint, SearchLimit, Variable

ROOT = Path(__file__).resolve().parents[2]


def _outcome(fn: object, *args: object, **kw: object) -> object:
    try:
        return fn(*args, **kw)  # type: ignore[operator]
    except SearchLimit:
        return "limit"


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Check every search the analyses run against :func:`reference`; counts them."""
    calls: list[int] = []
    real_search = analysis.search

    def both(variables: Sequence[Variable], constraints: Sequence[Constraint], **kw: object) -> object:
        limit = kw.get("limit", 50_000)
        expected = _outcome(reference, variables, constraints, limit=limit)
        found = _outcome(real_search, variables, constraints, **kw)
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
