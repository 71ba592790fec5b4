"""The public acceptance cases, through the library and the CLI.

They are read from the copy in ``tests/data/shared-cases`` so that a clone without ``../shared``
passes; when ``../shared/cases`` is there, a test checks that the copy is identical."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from coopengine.engine import check_compat
from coopengine.errors import CoopError

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"

COPY = DATA / "shared-cases"
PUBLIC = COPY / "compat-public.yaml"


def _load(path: Path) -> list[dict[str, object]]:
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(cases, list) and cases, f"{path} holds no cases"
    return cases


def _params(paths: list[Path]) -> list[object]:
    out = []
    for path in paths:
        if not path.exists():
            continue
        for case in _load(path):
            out.append(pytest.param(case, id=f"{path.stem}:{case['id']}"))
    return out


CURATED = sorted(DATA.glob("compat-*.yaml"))


@pytest.mark.parametrize("case", _params([PUBLIC, *CURATED]))
def test_case(case: dict[str, object]) -> None:
    kwargs = {k: str(case[k]) for k in ("use", "linking") if case.get(k)}
    if case.get("error"):
        with pytest.raises(CoopError) as info:
            check_compat(str(case["inbound"]), str(case["outbound"]), **kwargs)  # type: ignore[arg-type]
        assert info.value.render().strip()
        return
    result = check_compat(str(case["inbound"]), str(case["outbound"]), **kwargs)  # type: ignore[arg-type]
    expect = case["expect"] if isinstance(case["expect"], list) else [case["expect"]]
    assert result.verdict in expect, (
        f"{case['id']}: got {result.verdict}, expected {expect} ({case.get('src')}); "
        + " | ".join(r.text for r in result.reasons)
    )
    # Every reason cites a source from the knowledge base.
    for reason in result.reasons:
        assert reason.source is not None, f"{case['id']}: reason without a source: {reason.text}"


def test_public_cases_exist() -> None:
    assert PUBLIC.exists(), f"missing {PUBLIC}"
    assert len(_load(PUBLIC)) >= 40


@pytest.mark.parametrize("case", [c for c in _load(PUBLIC) if c.get("error")] if PUBLIC.exists() else [],
                         ids=lambda c: str(c["id"]))
def test_error_cases_through_cli(case: dict[str, object]) -> None:
    cmd = [sys.executable, "-m", "coopengine", "compat", "--inbound", str(case["inbound"]),
           "--outbound", str(case["outbound"]), "--format", "json"]
    for key in ("use", "linking"):
        if case.get(key):
            cmd += [f"--{key}", str(case[key])]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip() and "Traceback" not in proc.stderr
    # With --format json the error is also on stdout, as coopengine/error/v1 (issue 9, item 11).
    data = json.loads(proc.stdout)
    assert data["schema"] == "coopengine/error/v1" and data["exit_code"] == 2 and data["diagnostics"]


def test_copy_matches_shared(shared: Path) -> None:
    """The copy of the cases in ``tests/`` is the same, file for file and byte for byte, as ``../shared/cases``."""
    theirs = {p.name: p.read_bytes() for p in sorted((shared / "cases").glob("*.yaml"))}
    ours = {p.name: p.read_bytes() for p in sorted(COPY.glob("*.yaml"))}
    assert theirs, "../shared/cases holds no case files"
    assert sorted(ours) == sorted(theirs), "refresh tests/data/shared-cases from ../shared/cases"
    for name, data in theirs.items():
        assert ours[name] == data, f"tests/data/shared-cases/{name} differs from ../shared/cases/{name}"


def test_score_cases_tool_agrees(shared: Path) -> None:
    """The shared scoring tool, run against our CLI, scores every public case."""
    tool = shared / "tools" / "score-cases"
    proc = subprocess.run(
        [sys.executable, str(tool), "-q", "--coop", f"{sys.executable} -m coopengine"],
        capture_output=True, text=True, timeout=600,
    )
    last = proc.stdout.strip().splitlines()[-1]
    got, total = last.removeprefix("score: ").split("/")
    assert got == total, proc.stdout
    json.dumps(last)
