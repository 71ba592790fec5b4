"""What CI pipelines rely on: --fail-on thresholds, several SBOMs at once, progress only on a terminal."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from coopengine.cli.common import Progress, gate
from coopengine.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "examples" / "scenarios"


def _bom(tmp_path: Path, name: str, licences: list[str]) -> Path:
    comps = [{"type": "library", "bom-ref": f"c{i}", "name": f"c{i}", "version": "1",
              "licenses": [{"expression": lic}]} for i, lic in enumerate(licences)]
    path = tmp_path / name
    path.write_text(json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": comps}),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("code", "expected"),
    [(0, {"no": 0, "human": 0, "unknown": 0}), (1, {"no": 1, "human": 1, "unknown": 1}),
     (2, {"no": 2, "human": 2, "unknown": 2}), (3, {"no": 0, "human": 3, "unknown": 3}),
     (4, {"no": 0, "human": 0, "unknown": 4})],
)
def test_gate_is_the_readme_table(code: int, expected: dict[str, int]) -> None:
    assert {t: gate(code, t) for t in expected} == expected
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith(f"| {code} |"))
    cells = [c.strip().strip("*") for c in row.strip("|").split("|")]
    assert [int(c) for c in cells[2:5]] == [expected["no"], expected["human"], expected["unknown"]]


@pytest.mark.parametrize(
    ("licences", "contract"),
    [(["MIT"], 0), (["MIT", "Apache-2.0"], 1), (["EPL-2.0"], 3), (["NOASSERTION", "EPL-2.0"], 4)],
)
def test_sbom_fail_on(tmp_path: Path, licences: list[str], contract: int) -> None:
    bom = _bom(tmp_path, "bom.json", licences)
    runner = CliRunner()
    base = runner.invoke(cli, ["sbom", str(bom), "--outbound", "GPL-2.0-only"])
    assert base.exit_code == contract, base.output
    for threshold in ("no", "human", "unknown"):
        got = runner.invoke(cli, ["sbom", str(bom), "--outbound", "GPL-2.0-only", "--fail-on", threshold])
        assert got.exit_code == gate(contract, threshold)
        assert got.stdout == base.stdout  # the threshold changes the exit code, never the report


def test_reuse_and_tender_fail_on() -> None:
    runner = CliRunner()
    undetermined = str(SCENARIOS / "lutece-classification-missing.yaml")
    assert runner.invoke(cli, ["reuse", undetermined]).exit_code == 4
    assert runner.invoke(cli, ["reuse", undetermined, "--fail-on", "human"]).exit_code == 0
    deny = str(SCENARIOS / "research-prototype-deny.yaml")
    assert runner.invoke(cli, ["reuse", deny, "--fail-on", "no"]).exit_code == 1
    tender = ROOT / "examples" / "tenders"
    args = ["tender", str(tender / "lyon-2026-42.coop"), "--bid", str(tender / "bids" / "failing" / "sbom.cdx.json"),
            "--date", "2026-03-15"]
    assert runner.invoke(cli, args).exit_code == 1
    assert runner.invoke(cli, [*args, "--fail-on", "no"]).exit_code == 1
    bad = runner.invoke(cli, ["reuse", str(tender / "nope.yaml"), "--fail-on", "no"])
    assert bad.exit_code == 2


def test_check_fail_on_warning(tmp_path: Path) -> None:
    f = tmp_path / "w.coop"
    f.write_text('party a "A"\nparty b "B"\nagreement x "X" {\n  parties a, b\n  effective 2024-01-01\n'
                 '  clause c "C" { then permit }\n}\n', encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["check", str(f)]).exit_code == 0
    assert runner.invoke(cli, ["check", str(f), "--fail-on", "warning"]).exit_code == 1
    data = json.loads(runner.invoke(cli, ["check", str(f), "--fail-on", "warning", "--format", "json"]).stdout)
    assert data["exit_code"] == 1


def test_several_sboms_one_summary_each_and_the_worst_exit(tmp_path: Path) -> None:
    ok = _bom(tmp_path, "ok.json", ["MIT"])
    human = _bom(tmp_path, "human.json", ["EPL-2.0"])
    bad = _bom(tmp_path, "bad.json", ["Apache-2.0"])
    runner = CliRunner()
    text = runner.invoke(cli, ["sbom", str(ok), str(human), "--outbound", "GPL-2.0-only"])
    assert text.exit_code == 3
    assert text.stdout.count("SBOM ") == 2 and str(ok) in text.stdout and str(human) in text.stdout
    assert text.stdout.index(str(ok)) < text.stdout.index(str(human))
    result = runner.invoke(cli, ["sbom", str(human), str(bad), str(ok), "--outbound", "GPL-2.0-only",
                                 "--format", "json"])
    assert result.exit_code == 1
    docs = json.loads(result.stdout)
    assert [d["verdict"] for d in docs] == ["conditional", "incompatible", "compatible"]
    assert all(d["schema"] == "coopengine/sbom/v1" for d in docs)
    from importlib.resources import files

    import jsonschema

    schema = json.loads((files("coopengine") / "schemas" / "sbom-v1.schema.json").read_text(encoding="utf-8"))
    for doc in docs:
        jsonschema.validate(doc, schema)
    single = json.loads(runner.invoke(cli, ["sbom", str(bad), "--outbound", "GPL-2.0-only", "--format",
                                            "json"]).stdout)
    assert single == docs[1]
    md = runner.invoke(cli, ["sbom", str(ok), str(bad), "--outbound", "GPL-2.0-only", "--format", "markdown"])
    assert md.stdout.count("\n---\n") == 1
    missing = runner.invoke(cli, ["sbom", str(ok), str(tmp_path / "nope.json"), "--outbound", "MIT"])
    assert missing.exit_code == 2 and "nope.json" in missing.stderr


def test_no_progress_when_piped(tmp_path: Path) -> None:
    bom = _bom(tmp_path, "bom.json", ["MIT"] * 12)
    result = CliRunner().invoke(cli, ["sbom", str(bom), "--outbound", "MIT"])
    assert result.exit_code == 0 and result.stderr == ""


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_on_a_terminal_and_cleans_up(monkeypatch: pytest.MonkeyPatch) -> None:
    err = _Tty()
    monkeypatch.setattr("sys.stderr", err)
    bar = Progress()
    bar.stage("reading bom\x1b[31m.json")
    bar.update(5, 10, "bom.json")
    bar.update(10, 10, "bom.json")
    bar.close()
    shown = err.getvalue()
    assert "[########################] 10/10 bom.json" in shown
    assert "\x1b" not in shown  # control characters from inputs never reach the terminal
    assert shown.endswith("\r")
    quiet = _Tty()
    monkeypatch.setattr("sys.stderr", quiet)
    silent = Progress(quiet=True)
    silent.stage("x")
    silent.update(1, 1)
    silent.close()
    assert quiet.getvalue() == ""


def test_sbom_progress_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real command with stderr on a terminal: the bar reaches the end, on stderr only."""
    import coopengine.procurement as procurement

    monkeypatch.setattr(procurement, "PROGRESS_EVERY", 4)
    bom = _bom(tmp_path, "bom.json", ["MIT"] * 12)
    err, out = _Tty(), io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    monkeypatch.setattr("sys.stdout", out)
    with pytest.raises(SystemExit) as done:
        from coopengine.cli.main import main

        main(["sbom", str(bom), "--outbound", "MIT"])
    assert done.value.code == 0
    assert re.search(r"\] 12/12 ", err.getvalue())
    assert "12/12" not in out.getvalue()
    err2: Any = _Tty()
    monkeypatch.setattr("sys.stderr", err2)
    with pytest.raises(SystemExit):
        main(["sbom", str(bom), "--outbound", "MIT", "--quiet"])
    assert err2.getvalue() == ""
