"""Inputs a careful tool would question (issue 9, item 16): each gets a clear message, and the
notes on how licence ids were read reach `reuse` and `check`, not only `expr` and `sbom`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from coopengine.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
PARTIES = 'party a "A" kind city\nparty b "B" kind city\n'
AGREEMENT = PARTIES + 'agreement x "X" {{\n  parties a, b\n  effective {effective}\n{body}}}\n'


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def scenario(tmp_path: Path, text: str | None = None, **changes: object) -> Path:
    data: dict[str, object] = {"provider": "a", "recipient": "b", "date": "2025-06-10", "use": "internal",
                               "solution": {"name": "s", "licence": "MIT"}}
    for key, value in changes.items():
        if key in ("licence", "attributes"):
            data["solution"][key] = value  # type: ignore[index]
        else:
            data[key] = value
    path = tmp_path / "scenario.yaml"
    path.write_text(text if text is not None else yaml.safe_dump(data, sort_keys=False))
    return path


def coop_file(tmp_path: Path, name: str = "x.coop", effective: str = "2024-01-01", body: str = "") -> Path:
    path = tmp_path / name
    path.write_text(AGREEMENT.format(effective=effective, body=body))
    return path


def test_provider_equal_to_recipient(tmp_path: Path) -> None:
    code, out = run("reuse", str(scenario(tmp_path, recipient="a")))
    assert code == 2
    assert "scenario.yaml:2:1" in out and "the provider and the recipient are the same party ('a')" in out


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("provider: a\nrecipient: b\ndate: 2025-06-10T10:00:00\nuse: internal\nsolution: {licence: MIT}\n", ":3:1"),
        ("provider: a\nrecipient: b\nuse: internal\nsolution:\n  licence: MIT\n  attributes:\n"
         "    released: 2020-01-01 12:00:00\n", ":7:5"),
    ],
)
def test_a_date_and_time_where_a_date_is_expected(tmp_path: Path, text: str, where: str) -> None:
    code, out = run("reuse", str(scenario(tmp_path, text)))
    assert code == 2, out
    assert where in out and "is a date and time; a date is expected here" in out and "hint: write 20" in out


def test_a_date_and_time_in_a_cases_file(tmp_path: Path) -> None:
    scenario(tmp_path)
    cases = tmp_path / "cases.yaml"
    cases.write_text("cases:\n  - id: c\n    scenario: scenario.yaml\n    expect: permit\n"
                     "    date: 2025-06-10T00:00:00Z\n")
    code, out = run("test", str(cases))
    assert code == 2 and "cases.yaml:5:5" in out and "is a date and time" in out


def test_a_date_and_time_in_a_coop_file(tmp_path: Path) -> None:
    code, out = run("check", str(coop_file(tmp_path, effective="2024-01-01T10:00:00")))
    assert code == 2
    assert "x.coop:5:23: E109 2024-01-01T10:00:00 is a date and time" in out and "write `2024-01-01`" in out


@pytest.mark.parametrize(("char", "name"), [("\x00", "U+0000 (NUL)"), ("\x1b", "U+001B (ESC)"), ("\x85", "U+0085")])
def test_control_characters_in_a_coop_string(tmp_path: Path, char: str, name: str) -> None:
    path = tmp_path / "nul.coop"
    path.write_text(PARTIES.replace('"A"', f'"A{char}B"'))
    code, out = run("check", str(path))
    assert code == 2, out
    assert f"nul.coop:1:11: E110 control character {name} in the file" in out


@pytest.mark.parametrize(("text", "what"), [("", "is empty"), ("# nothing yet\n\n", "has only comments")])
def test_an_empty_coop_file(tmp_path: Path, text: str, what: str) -> None:
    path = tmp_path / "empty.coop"
    path.write_text(text)
    code, out = run("check", str(path))
    assert code == 0
    assert f"empty.coop:1:1: W411 the file {what}: it declares nothing" in out


def test_none_or_noassertion(tmp_path: Path) -> None:
    code, out = run("expr", "NONE OR NOASSERTION")
    assert code == 0 and "not valid SPDX (NONE and NOASSERTION must stand alone)" in out
    code, out = run("reuse", str(scenario(tmp_path, licence="NONE OR NOASSERTION")))
    assert "note: licence: NOASSERTION and NONE combined with other terms is not valid SPDX" in out


@pytest.mark.parametrize(
    ("licence", "note"),
    [
        ("mit", "licence: mit read as MIT (SPDX ids are matched without regard to case)"),
        ("GPL-2.0+", "licence: deprecated id GPL-2.0+ read as GPL-2.0-or-later"),
    ],
)
def test_scenario_licence_notes_reach_reuse(tmp_path: Path, licence: str, note: str) -> None:
    path = scenario(tmp_path, licence=licence)
    code, out = run("reuse", str(path))
    assert code == 0 and f"note: {note}" in out
    code, out = run("reuse", str(path), "--format", "json")
    assert json.loads(out)["licence"]["notes"] == [note]
    code, out = run("reuse", str(path), "--format", "markdown")
    assert f"- Note: {note}" in out


def test_a_plain_scenario_has_no_notes_key(tmp_path: Path) -> None:
    code, out = run("reuse", str(scenario(tmp_path)), "--format", "json")
    assert "notes" not in json.loads(out)["licence"]  # outputs without notes keep their bytes


def check_agreements(tmp_path: Path, body: str) -> str:
    """`coop check` on one agreement with ``body``, in tmp_path/agreements; its output."""
    folder = tmp_path / "agreements"
    folder.mkdir()
    coop_file(folder, body=body)
    code, out = run("check", str(folder))
    assert code == 0, out
    return out


def test_grant_notes_reach_check_and_reuse(tmp_path: Path) -> None:
    out = check_agreements(tmp_path, '  clause c "C" ref "1" {\n    grant "mit"\n  }\n')
    assert 'x.coop:7:11: W412 licence expression "mit": mit read as MIT' in out and 'write "MIT"' in out
    # EUPL code into an MIT work needs the grant, so the decision uses it and says how it read it.
    path = scenario(tmp_path, agreements=["agreements"], licence="EUPL-1.2", use="distribution", outbound="MIT")
    code, out = run("reuse", str(path), "--format", "json")
    licence = json.loads(out)["licence"]
    assert licence["granted"] == ["mit"]
    assert licence["notes"] == ["grant 'mit': mit read as MIT (SPDX ids are matched without regard to case)"]


def test_licence_id_compared_with_a_non_canonical_id(tmp_path: Path) -> None:
    # `licence.id` is compared as written: "mit" would never match, so the guardrail never fires.
    out = check_agreements(tmp_path, '  guardrail g "G" ref "1" {\n    when licence.id == "mit"\n    then deny\n  }\n')
    assert 'x.coop:7:24: W412 `licence.id` is compared with "mit" as written, so it never matches' in out
    assert 'write "MIT"' in out
    code, out = run("reuse", str(scenario(tmp_path, agreements=["agreements"])))
    assert code == 0  # it indeed does not fire: the warning is the only protection
