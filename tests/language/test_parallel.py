"""Large programs: the agreements' warnings shared with a forked child give exactly what
one process gives, and anything going wrong in the child falls back to one process."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pytest

from coopengine.language import _parallel, analysis, check_text, loader

ROOT = Path(__file__).resolve().parents[2]
DAY = dt.date(2025, 6, 1)


def _portfolio(agreements: int) -> str:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import bench_language
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return str(bench_language.generate_realistic(agreements=agreements, seed=7))


@pytest.fixture(scope="module")
def big() -> str:
    return _portfolio(loader.PARALLEL_AGREEMENTS + 10)


def _rendered(text: str) -> list[str]:
    return [repr(d) for d in check_text(text, "big.coop", date=DAY).diagnostics]


needs_fork = pytest.mark.skipif(not _parallel.usable(), reason="no second CPU, or not Linux")


@needs_fork
def test_two_processes_give_what_one_gives(big: str, monkeypatch: pytest.MonkeyPatch) -> None:
    forks: list[int] = []
    real = _parallel.fork

    def counted(fn):  # type: ignore[no-untyped-def]
        forks.append(1)
        return real(fn)

    monkeypatch.setattr(_parallel, "fork", counted)
    shared = _rendered(big)
    assert forks, "the child was not used"
    monkeypatch.setenv("COOPENGINE_JOBS", "1")
    alone = _rendered(big)
    assert shared == alone
    assert any("W401" in d for d in shared)  # the portfolio has real conflicts to find


@needs_fork
def test_a_failing_child_is_redone_here(big: str, monkeypatch: pytest.MonkeyPatch) -> None:
    parent = os.getpid()
    real = analysis.agreement_warnings

    def only_here(*args, **kwargs):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return real(*args, **kwargs)

    monkeypatch.setenv("COOPENGINE_JOBS", "1")
    expected = _rendered(big)
    monkeypatch.delenv("COOPENGINE_JOBS")
    monkeypatch.setattr(analysis, "agreement_warnings", only_here)
    assert _rendered(big) == expected


@needs_fork
def test_child_is_stopped_when_there_are_errors(big: str) -> None:
    broken = big + '\nagreement broken "Broken" {\n  parties nobody\n  effective 2024-01-01\n}\n'
    result = check_text(broken, "big.coop", date=DAY)
    assert [d.code for d in result.errors] == ["E202", "E208"]  # unknown party; no other party
    assert not result.warnings  # warnings only once names resolve
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left behind


def test_small_programs_stay_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(fn):  # type: ignore[no-untyped-def]
        raise AssertionError("forked for a small program")

    monkeypatch.setattr(_parallel, "fork", refuse)
    assert _rendered(_portfolio(5))


def test_jobs_1_turns_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COOPENGINE_JOBS", "1")
    assert not _parallel.usable()
    assert _parallel.fork(lambda: 1) is None


@pytest.mark.parametrize(
    ("weights", "share", "cut"),
    [([1, 1, 1, 1], 0.5, 2), ([10, 1, 1, 1], 0.5, 1), ([1, 1, 1, 10], 0.5, 4), ([1] * 10, 0.4, 4), ([], 0.5, 0)],
)
def test_split_balances_by_weight(weights: list[int], share: float, cut: int) -> None:
    assert _parallel.split(weights, share) == cut
