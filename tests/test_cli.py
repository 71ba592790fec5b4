"""CLI behaviour: exit codes, JSON shapes, errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.resources import files

import jsonschema
import pytest
from click.testing import CliRunner

from coopengine.cli.main import cli


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "coopengine", *args], capture_output=True, text=True, timeout=120)


def compat_schema() -> dict[str, object]:
    return json.loads((files("coopengine") / "schemas" / "compat-v1.schema.json").read_text())


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--inbound", "MIT", "--outbound", "GPL-2.0-only"], 0),
        (["--inbound", "Apache-2.0", "--outbound", "GPL-2.0-only"], 1),
        (["--inbound", "EPL-2.0", "--outbound", "GPL-2.0-only"], 3),
        (["--inbound", "NOASSERTION", "--outbound", "MIT"], 4),
        (["--inbound", "MIT OR", "--outbound", "MIT"], 2),
        (["--inbound", "MIT", "--outbound", "MIT", "--use", "saas"], 2),
    ],
)
def test_compat_exit_codes(args: list[str], code: int) -> None:
    result = CliRunner().invoke(cli, ["compat", *args, "--format", "json"])
    assert result.exit_code == code, result.output
    if code != 2:
        data = json.loads(result.output)
        jsonschema.validate(data, compat_schema())


@pytest.mark.parametrize(
    "inbound",
    ["MIT", "MIT OR Apache-2.0", "Apache-2.0 AND GPL-2.0-or-later", "LicenseRef-Unknown-Thing",
     "GPL-2.0-only WITH Classpath-exception-2.0", "NOASSERTION", "EPL-2.0", "AGPL-3.0-only"],
)
def test_compat_json_matches_schema(inbound: str) -> None:
    result = CliRunner().invoke(cli, ["compat", "--inbound", inbound, "--outbound", "GPL-3.0-only",
                                      "--format", "json"])
    data = json.loads(result.output)
    jsonschema.validate(data, compat_schema())
    assert data["inbound"]


def test_unknown_id_gives_position_and_suggestion() -> None:
    proc = run("compat", "--inbound", "MIT AND Apache2.0", "--outbound", "GPL-3.0-only")
    assert proc.returncode == 2
    assert "--inbound:1:9" in proc.stderr
    assert "Apache-2.0" in proc.stderr  # did you mean
    assert "^" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_with_needs_an_exception() -> None:
    proc = run("compat", "--inbound", "Apache-2.0 WITH MIT", "--outbound", "MIT")
    assert proc.returncode == 2
    assert "not an exception" in proc.stderr


def test_output_is_deterministic() -> None:
    a = run("compat", "--inbound", "(MIT OR Apache-2.0) AND LGPL-2.1-only", "--outbound", "GPL-3.0-only",
            "--format", "json")
    b = run("compat", "--inbound", "(MIT OR Apache-2.0) AND LGPL-2.1-only", "--outbound", "GPL-3.0-only",
            "--format", "json")
    assert a.stdout == b.stdout and a.returncode == b.returncode == 0


def test_expr_lists_licences_and_notes() -> None:
    result = CliRunner().invoke(cli, ["expr", "GPL-2.0+ OR mit", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["normalised"] == "GPL-2.0-or-later OR MIT"
    assert data["licences"] == ["GPL-2.0-or-later", "MIT"]
    assert data["choices"] == [["GPL-2.0-or-later", "MIT"]]
    assert any("GPL-2.0+" in n for n in data["notes"])


def test_licence_shows_sources() -> None:
    result = CliRunner().invoke(cli, ["licence", "eupl-1.2", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["id"] == "EUPL-1.2" and data["curated"]
    assert data["sources"] and all(s["url"] for s in data["sources"])
    assert any(p["to"] == "GPL-3.0-only" for p in data["relicense"])


def test_licence_unknown_id() -> None:
    proc = run("licence", "Apache-2")
    assert proc.returncode == 2 and "did you mean" in proc.stderr


def test_outbound_ranks_and_never_silently_empty() -> None:
    result = CliRunner().invoke(cli, ["outbound", "MIT AND LGPL-2.1-only", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    ids = [c["licence"] for c in data["candidates"]]
    assert "GPL-3.0-only" in ids and "LGPL-2.1-only" in ids
    assert "MIT" not in ids or next(c for c in data["candidates"] if c["licence"] == "MIT")["verdict"] != "compatible"
    unknown = CliRunner().invoke(cli, ["outbound", "LicenseRef-Nobody-Knows", "--format", "json"])
    data = json.loads(unknown.output)
    assert unknown.exit_code == 4 and data["not_assessed"]


def test_unknown_command_suggests() -> None:
    proc = run("compta")
    assert proc.returncode == 2 and "compat" in proc.stderr


def test_bad_kb_file_is_reported_with_line(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "mine.yaml").write_text(
        "licences:\n  - id: LicenseRef-Mine\n    category: permissive\n    copyleft: none\n"
        "    sources: [{id: spdx-license-list}]\n    colour: blue\n",
        encoding="utf-8",
    )
    proc = run("compat", "--inbound", "LicenseRef-Mine", "--outbound", "MIT", "--kb", str(folder))
    assert proc.returncode == 2
    assert "mine.yaml:6" in proc.stderr and "colour" in proc.stderr


def test_kb_adds_an_organisations_licence(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "mine.yaml").write_text(
        "licences:\n  - id: LicenseRef-Baltimore-Internal\n    category: proprietary\n    copyleft: none\n"
        "    triggers: [distribution]\n    sources: [{id: spdx-license-list}]\n",
        encoding="utf-8",
    )
    before = run("compat", "--inbound", "MIT", "--outbound", "LicenseRef-Baltimore-Internal")
    after = run("compat", "--inbound", "MIT", "--outbound", "LicenseRef-Baltimore-Internal", "--kb", str(folder))
    assert before.returncode == 4
    assert after.returncode == 0, after.stdout + after.stderr
