"""Every JSON output matches its published JSON Schema (``src/coopengine/schemas``).

Each command is run with ``--format json`` on every example (and a spread of licences and
expressions); the schema is the one its ``schema`` key names, so a new output without a
schema fails here. Error documents are checked on the bad-input corpus (tests/hostile).
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from coopengine.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
TENDERS = ROOT / "examples" / "tenders"


def schema(name: str) -> dict[str, object]:
    return json.loads((files("coopengine") / "schemas" / name).read_text())


@pytest.mark.parametrize("full", [[], ["--full"]])
@pytest.mark.parametrize("outbound", ["EUPL-1.2", "GPL-2.0-only", "LicenseRef-Proprietary"])
def test_sbom_json(outbound: str, full: list[str]) -> None:
    result = CliRunner().invoke(cli, ["sbom", str(ROOT / "examples/lutece/sbom.spdx.json"), "--outbound", outbound,
                                      "--format", "json", *full])
    assert result.exit_code in (0, 1, 3, 4), result.output
    doc = json.loads(result.output)
    jsonschema.validate(doc, schema("sbom-v1.schema.json"))
    assert ("findings" in doc) is not bool(full)


@pytest.mark.parametrize(("bid", "extra"), [("passing/sbom.spdx.json", ["--publiccode",
                                                                        str(TENDERS / "bids/passing/publiccode.yml")]),
                                             ("failing/sbom.cdx.json", ["--offered", "MIT"])])
def test_tender_json(bid: str, extra: list[str]) -> None:
    args = ["tender", str(TENDERS / "lyon-2026-42.coop"), "--bid", str(TENDERS / "bids" / bid), *extra]
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert result.exit_code in (0, 1, 4), result.output
    data = json.loads(result.output)
    jsonschema.validate(data, schema("tender-v1.schema.json"))
    # every failing or unknown requirement names its evidence
    for req in data["requirements"]:
        if req["result"] != "pass":
            assert req["evidence"], req


SCENARIOS = sorted((ROOT / "examples").rglob("*.yaml"))
EXPRESSIONS = ["MIT", "MIT OR (Apache-2.0 WITH LLVM-exception)", "GPL-2.0+ AND BSD-3-Clause", "LicenseRef-X",
               "NOASSERTION", "gpl-2.0"]


def validate(output: str) -> dict[str, object]:
    data = json.loads(output)
    name = str(data["schema"]).split("/")[1]
    jsonschema.validate(data, schema(f"{name}-v1.schema.json"))
    return data


def json_runs() -> list[list[str]]:
    runs: list[list[str]] = []
    for expr in EXPRESSIONS:
        runs.append(["expr", expr])
        runs.append(["outbound", expr, "--use", "network-service"])
        runs.append(["compat", "--inbound", expr, "--outbound", "GPL-3.0-or-later"])
    for lid in ["MIT", "GPL-2.0-only", "EUPL-1.2", "AGPL-3.0-only", "Classpath-exception-2.0", "BUSL-1.1"]:
        runs.append(["licence", lid])
    for path in SCENARIOS:
        text = path.read_text(encoding="utf-8")
        if "cases:" in text:
            runs.append(["test", "--allow-outside", "--coverage", str(path)])
        elif "provider:" in text:
            runs.append(["reuse", "--allow-outside", str(path)])
    runs.append(["check", str(ROOT / "examples")])
    runs.append(["check", str(ROOT / "tests" / "language" / "invalid")])
    runs.append(["fmt", "--check", str(ROOT / "examples" / "agreements")])
    real = sorted(str(p) for p in (ROOT / "tests" / "data" / "publiccode").glob("*.yml"))
    runs.append(["publiccode", "check", *real])  # valid, invalid and broken-YAML files in one run
    runs.append(["publiccode", "check", str(ROOT / "examples" / "lutece" / "publiccode.yml")])
    return runs


@pytest.mark.parametrize("args", json_runs(), ids=lambda a: " ".join(Path(x).name for x in a[:3]))
def test_every_json_output_has_its_schema(args: list[str]) -> None:
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert result.exit_code in (0, 1, 2, 3, 4), result.output
    data = validate(result.stdout)
    if result.exit_code == 2 and data["schema"] not in ("coopengine/check/v1", "coopengine/publiccode-check/v1"):
        assert data["schema"] == "coopengine/error/v1"
