"""coop check / coop fmt through click's CliRunner: exit codes and JSON shape."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from coopengine.cli.check import command as check_command
from coopengine.cli.fmt import command as fmt_command
from coopengine.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
CLEAN = 'party a "A"\nparty b "B"\n\nagreement x "X" {\n  parties a, b\n  effective 2024-01-01\n}\n'


def test_examples_exit_zero() -> None:
    result = CliRunner().invoke(check_command, [str(ROOT / "examples"), "--date", "2025-06-10"])
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output


def test_errors_exit_two_with_json(tmp_path: Path) -> None:
    bad = tmp_path / "bad.coop"
    bad.write_text(
        'party a "A"\nagreement x "X" {\n parties a, zz\n effective 2024-01-01\n}\n', encoding="utf-8"
    )
    result = CliRunner().invoke(check_command, [str(bad), "--format", "json"])
    assert result.exit_code == 2
    data = json.loads(result.output)
    assert data["schema"] == "coopengine/check/v1"
    assert data["errors"] >= 1
    first = data["diagnostics"][0]
    assert {"code", "severity", "message", "file", "line", "column", "hint", "example"} <= set(first)
    assert first["code"] == "E202"


def test_warnings_exit_zero_or_one_with_strict(tmp_path: Path) -> None:
    f = tmp_path / "w.coop"
    f.write_text(CLEAN.replace("}\n", '  clause c "C" { then permit }\n}\n'), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(check_command, [str(f)]).exit_code == 0
    assert runner.invoke(check_command, [str(f), "--strict"]).exit_code == 1


def test_bad_path_and_bad_date_exit_two(tmp_path: Path) -> None:
    # Through the `coop` group: it turns the library's input errors into exit 2, in one place.
    runner = CliRunner()
    missing = runner.invoke(cli, ["check", str(tmp_path / "nope.coop")])
    assert missing.exit_code == 2 and "no such file" in missing.output
    assert runner.invoke(check_command, [str(tmp_path), "--date", "tomorrow"]).exit_code == 2
    empty = runner.invoke(cli, ["check", str(tmp_path)])
    assert empty.exit_code == 2


def test_fmt_check_and_write(tmp_path: Path) -> None:
    f = tmp_path / "a.coop"
    f.write_text(CLEAN.replace("parties a, b", "parties a,b"), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(fmt_command, ["--check", str(f)])
    assert result.exit_code == 1 and "a.coop" in result.output
    assert runner.invoke(fmt_command, [str(f)]).exit_code == 0
    assert f.read_text(encoding="utf-8") == CLEAN
    assert runner.invoke(fmt_command, ["--check", str(f)]).exit_code == 0
    f.write_text("party", encoding="utf-8")
    assert runner.invoke(fmt_command, [str(f)]).exit_code == 2
