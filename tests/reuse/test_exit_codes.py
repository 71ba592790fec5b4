"""Exit codes of `coop reuse`: 0 permit, 1 deny, 3 require-mou, 4 undetermined, 2 bad input."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner
from reuse_helpers import SCENARIOS

from coopengine.cli.main import cli


@pytest.mark.parametrize(("name", "code"), [
    ("lutece-standing-agreement", 0),
    ("research-prototype-deny", 1),
    ("non-osi-guardrail", 3),
    ("pool-conflict", 4),
])
def test_exit_code(name: str, code: int) -> None:
    result = CliRunner().invoke(cli, ["reuse", "--allow-outside", str(SCENARIOS / f"{name}.yaml")])
    assert result.exit_code == code, result.output


def test_bad_input_is_2_as_a_subprocess() -> None:
    done = subprocess.run([sys.executable, "-m", "coopengine", "reuse", "no-such-file.yaml"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "no-such-file.yaml" in done.stderr and "Traceback" not in done.stderr


def test_date_option_overrides_the_scenario() -> None:
    path = str(SCENARIOS / "research-prototype-deny.yaml")
    assert CliRunner().invoke(cli, ["reuse", "--allow-outside", path, "--date", "2027-03-01"]).exit_code == 0
    bad = CliRunner().invoke(cli, ["reuse", "--allow-outside", path, "--date", "2027-02-30"])
    assert bad.exit_code == 2 and "not a date" in bad.output
