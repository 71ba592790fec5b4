"""The JSON of `coop sbom` and `coop tender` on the examples matches its published JSON Schema."""

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


@pytest.mark.parametrize("outbound", ["EUPL-1.2", "GPL-2.0-only", "LicenseRef-Proprietary"])
def test_sbom_json(outbound: str) -> None:
    result = CliRunner().invoke(cli, ["sbom", str(ROOT / "examples/lutece/sbom.spdx.json"), "--outbound", outbound,
                                      "--format", "json"])
    assert result.exit_code in (0, 1, 3, 4), result.output
    jsonschema.validate(json.loads(result.output), schema("sbom-v1.schema.json"))


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
