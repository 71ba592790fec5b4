"""The example cases file, through `coop test` and through the library."""

from __future__ import annotations

import json

from click.testing import CliRunner
from reuse_helpers import SCENARIOS

from coopengine.casetest import run_cases
from coopengine.cli.main import cli

CASES = SCENARIOS / "cases.yaml"


def test_cases_pass_through_the_cli_with_full_coverage() -> None:
    result = CliRunner().invoke(cli, ["test", "--allow-outside", str(CASES), "--coverage"])
    assert result.exit_code == 0, result.output
    assert " 0 failed" in result.output
    assert "never applied or defeated" not in result.output


def test_cases_json() -> None:
    result = CliRunner().invoke(cli, ["test", "--allow-outside", str(CASES), "--coverage", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["schema"] == "coopengine/test/v1" and data["failed"] == 0
    assert data["coverage"]["uncovered"] == []


def test_cases_through_the_library_cover_every_verdict() -> None:
    run = run_cases(CASES, allow_outside=True)
    assert run.failed == 0, [r.problems for r in run.results if not r.passed]
    assert {r.got for r in run.results} == {"permit", "require-mou", "deny", "undetermined"}
    assert len(run.results) >= 14


def test_a_failing_case_exits_1_and_says_why(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "cases.yaml").write_text(
        f"agreements: [{(SCENARIOS.parent / 'agreements').as_posix()}]\n"
        "cases:\n"
        "  - id: wrong\n"
        f"    scenario: {(SCENARIOS / 'pool-default.yaml').as_posix()}\n"
        "    expect: permit\n"
        "    determining: [west-pool.internal]\n")
    result = CliRunner().invoke(cli, ["test", "--allow-outside", str(folder / "cases.yaml")])
    assert result.exit_code == 1
    assert "FAIL wrong" in result.output
    assert "verdict require-mou, expected permit" in result.output
    assert "determining ['west-pool.default'], expected ['west-pool.internal']" in result.output


def test_only_runs_the_named_case() -> None:
    result = CliRunner().invoke(cli, ["test", "--allow-outside", str(CASES), "--case", "pool-conflict"])
    assert result.exit_code == 0
    assert "1 passed, 0 failed" in result.output
