"""Bad ``--kb`` files and numbers too long for Python (issue 9, items 14 and 15): our words,
with the file and line, never pydantic's paths, Python's advice or "no such file"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from coopengine.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
LONG = "9" * 5001

ACME = """\
licences:
  - id: LicenseRef-Acme
    name: Acme licence
    category: permissive
{extra}    sources:
      - id: spdx-license-list
"""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("name", "extra", "fragments"),
    [
        ("missing.yaml", "", ["missing.yaml:2:5", "licence 'LicenseRef-Acme': the key 'copyleft' is required"]),
        ("typo.yaml", "    copyleft: none\n    copylft: none\n",
         ["typo.yaml:6:5", "unknown key 'copylft'", "did you mean 'copyleft'?"]),
        ("choice.yaml", "    copyleft: nne\n",
         ["choice.yaml:5:5", "'nne' is not a valid copyleft", "one of none, file", "did you mean 'none'?"]),
        ("kind.yaml", "    copyleft: none\n    osi_approved: maybe\n",
         ["kind.yaml:6:5", "'osi_approved' must be true or false, not text"]),
        ("digits.yaml", f"    copyleft: none\n    osi_approved: {LONG}\n",
         ["digits.yaml:6:19", "number too long (more than 4,300 digits)"]),
        ("tab.yaml", "\tcopyleft: none\n", ["tab.yaml:5:1", "a tab character at column 1", "spaces"]),
    ],
)
def test_kb_file_errors_in_our_words(tmp_path: Path, name: str, extra: str, fragments: list[str]) -> None:
    path = tmp_path / name
    path.write_text(ACME.format(extra=extra))
    code, out = run("licence", "MIT", "--kb", str(path))
    assert code == 2, out
    for fragment in fragments:
        assert fragment in out
    for leak in ("licences.0", "Field required", "Input should be", "set_int_max_str_digits", "Traceback"):
        assert leak not in out


def test_kb_reads_yml_files_and_folders(tmp_path: Path) -> None:
    (tmp_path / "acme.yml").write_text(ACME.format(extra="    copyleft: none\n"))
    for target in (tmp_path / "acme.yml", tmp_path):
        code, out = run("licence", "LicenseRef-Acme", "--kb", str(target))
        assert code == 0, out
        assert "Acme licence" in out


def test_kb_on_a_special_file_is_not_called_missing() -> None:
    code, out = run("licence", "MIT", "--kb", "/dev/null")
    assert code == 2
    assert "not a regular file" in out and "no such file" not in out


def test_kb_folder_without_yaml(tmp_path: Path) -> None:
    code, out = run("licence", "MIT", "--kb", str(tmp_path))
    assert code == 2 and "no .yaml or .yml files" in out


def test_a_tab_in_a_scenario_gets_the_hint(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("provider: a\nsolution:\n\tlicence: MIT\n")
    code, out = run("reuse", str(path))
    assert code == 2 and "s.yaml:3:1" in out and "YAML indents with spaces only" in out


def test_long_number_in_a_scenario(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(f"provider: a\nrecipient: b\nmodified: {LONG}\n")
    code, out = run("reuse", str(path))
    assert code == 2 and "s.yaml:3:11" in out and "number too long" in out
    assert "set_int_max_str_digits" not in out


def test_long_number_in_a_json_sbom(tmp_path: Path) -> None:
    doc = json.loads((ROOT / "examples/lutece/sbom.spdx.json").read_text())
    text = json.dumps(doc, indent=1).replace('"spdxVersion"', f'"x": {LONG},\n "spdxVersion"', 1)
    path = tmp_path / "big.spdx.json"
    path.write_text(text)
    code, out = run("sbom", str(path), "--outbound", "MIT")
    assert code == 2, out
    assert "big.spdx.json:2:7" in out and "number too long (more than 4,300 digits)" in out
    assert "internal error" not in out and "set_int_max_str_digits" not in out


def test_long_number_in_a_coop_file(tmp_path: Path) -> None:
    path = tmp_path / "big.coop"
    path.write_text('party a "A" kind city\nparty b "B" kind city\nagreement x "X" {\n  parties a, b\n'
                    f'  effective 2024-01-01\n  clause c "C" ref "1" {{\n    when solution.size > {LONG}\n'
                    "    then permit\n  }\n}\n")
    code, out = run("check", str(path))
    assert code == 2 and "big.coop:7:26" in out and "4,300 digits" in out


def test_long_number_and_tab_in_a_yaml_sbom(tmp_path: Path) -> None:
    big = tmp_path / "big.spdx.yaml"
    big.write_text(f"spdxVersion: SPDX-2.3\nx: {LONG}\n")
    code, out = run("sbom", str(big), "--outbound", "MIT")
    assert code == 2 and "big.spdx.yaml:2:4" in out and "number too long (more than 4,300 digits)" in out
    assert "set_int_max_str_digits" not in out
    tab = tmp_path / "tab.spdx.yaml"
    tab.write_text("spdxVersion: SPDX-2.3\npackages:\n\t- name: x\n")
    code, out = run("sbom", str(tab), "--outbound", "MIT")
    assert code == 2 and "tab.spdx.yaml:3:1" in out and "YAML indents with spaces only" in out
