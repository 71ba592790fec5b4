"""Bad input: exit 2, a message naming the file and line, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from reuse_helpers import AGREEMENTS

from coopengine.cli.main import cli

GOOD = {
    "provider": "paris", "recipient": "baltimore", "use": "internal", "date": "2025-06-10",
}


def scenario_text(extra: str = "", solution: str = "{licence: MIT}", agreements: bool = True) -> str:
    lines = [f"{k}: {v}" for k, v in GOOD.items()] + [f"solution: {solution}"]
    if agreements:
        lines.append(f"agreements: [{AGREEMENTS.as_posix()}]")
    return "\n".join(lines) + "\n" + extra


BROKEN_COOP = 'agreement x "X" {\n  parties paris, baltimore\n  effective 2024-01-01\n' \
              '  clause a "A" ref "1" {\n    when use == saas\n    then permit\n  }\n}\n'

# name -> (files to write, file the message must name, line it must name or None, a word it must contain)
CASES: dict[str, tuple[dict[str, str], str, int | None, str]] = {
    "unknown-key": ({"s.yaml": scenario_text("licnce: MIT\n")}, "s.yaml", 7, "did you mean"),
    "key-at-wrong-level": ({"s.yaml": scenario_text("licence: MIT\n")}, "s.yaml", 7, "under solution"),
    "unknown-solution-key": ({"s.yaml": scenario_text(solution="{licence: MIT, sbomm: x.json}")}, "s.yaml", 5,
                             "sbom"),
    "bad-date": ({"s.yaml": scenario_text().replace("2025-06-10", "10/06/2025")}, "s.yaml", 4, "date"),
    "impossible-date": ({"s.yaml": scenario_text().replace("2025-06-10", "2025-02-30")}, "s.yaml", 4, "day"),
    "bad-use": ({"s.yaml": scenario_text().replace("use: internal", "use: saas")}, "s.yaml", 3, "network-service"),
    "undeclared-party": ({"s.yaml": scenario_text().replace("recipient: baltimore", "recipient: baltimor")},
                         "s.yaml", 2, "did you mean 'baltimore'"),
    "bad-expression": ({"s.yaml": scenario_text(solution='{licence: "MIT AND"}')}, "s.yaml", 5, "AND"),
    "bad-outbound": ({"s.yaml": scenario_text("outbound: GPL-3.0-only OR\n")}, "s.yaml", 7, "OR"),
    "missing-sbom": ({"s.yaml": scenario_text(solution="{licence: MIT, sbom: nope.json}")}, "s.yaml", 5,
                     "no such file"),
    "broken-sbom": ({"s.yaml": scenario_text(solution="{licence: MIT, sbom: b.json}"),
                     "b.json": '{"spdxVersion": "SPDX-2.3",\n "packages": [\n'}, "b.json", None, "JSON"),
    "agreement-with-errors": ({"s.yaml": scenario_text(agreements=False) + "agreements: [ag]\n",
                               "ag/parties.coop": (AGREEMENTS / "parties.coop").read_text(),
                               "ag/x.coop": BROKEN_COOP}, "x.coop", 5, "saas"),
    "agreement-syntax": ({"s.yaml": scenario_text(agreements=False) + "agreements: [ag]\n",
                          "ag/parties.coop": (AGREEMENTS / "parties.coop").read_text(),
                          "ag/x.coop": 'agreement x "X" {\n  parties paris baltimore\n}\n'}, "x.coop", 2, ""),
    "no-coop-files": ({"s.yaml": scenario_text(agreements=False) + "agreements: [empty]\n", "empty/readme.txt": "x"},
                      "empty", None, ".coop"),
    "not-a-mapping": ({"s.yaml": "- provider: paris\n"}, "s.yaml", 1, "mapping"),
    "invalid-yaml": ({"s.yaml": "provider: [paris\n"}, "s.yaml", 2, "YAML"),
    "missing-key": ({"s.yaml": "provider: paris\nrecipient: baltimore\nuse: internal\n"}, "s.yaml", 1, "solution"),
    "bad-attribute": ({"s.yaml": scenario_text(solution="{licence: MIT, attributes: {Bad: 1}}")}, "s.yaml", 5,
                      "attribute"),
    "bad-publiccode": ({"s.yaml": scenario_text(solution="{publiccode: pc.yml}"),
                        "pc.yml": "name: X\nlegal:\n  license: MIT OR OR\n"}, "pc.yml", 3, "OR"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input(name: str, tmp_path: Path) -> None:
    files, named, line, word = CASES[name]
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    result = CliRunner().invoke(cli, ["reuse", "--allow-outside", str(tmp_path / "s.yaml")])
    message = result.output + (result.stderr or "")
    assert result.exit_code == 2, message
    assert "Traceback" not in message and "internal error" not in message, message
    assert named in message, message
    if line is not None:
        assert re.search(rf"{re.escape(named)}:{line}\b", message), message
    assert word.lower() in message.lower(), message


def test_missing_scenario_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["reuse", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2 and "nope.yaml" in result.output + (result.stderr or "")


def test_bad_cases_file(tmp_path: Path) -> None:
    (tmp_path / "cases.yaml").write_text("cases:\n  - id: a\n    scenaro: x.yaml\n    expect: permit\n")
    result = CliRunner().invoke(cli, ["test", str(tmp_path / "cases.yaml")])
    message = result.output + (result.stderr or "")
    assert result.exit_code == 2 and re.search(r"cases\.yaml:3\b", message) and "scenario" in message, message
    (tmp_path / "cases.yaml").write_text("cases:\n  - id: a\n    scenario: x.yaml\n    expect: allow\n")
    result = CliRunner().invoke(cli, ["test", str(tmp_path / "cases.yaml")])
    assert result.exit_code == 2 and "Traceback" not in result.output
