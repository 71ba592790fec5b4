"""The example bids of examples/tenders/ against their expected results (expected.yaml)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from coopengine.cli.main import cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "tenders"
EXPECTED: dict[str, Any] = yaml.safe_load((EXAMPLES / "expected.yaml").read_text(encoding="utf-8"))


def args_for(bid: dict[str, Any]) -> list[str]:
    args = [EXPECTED["tender"], "--bid", bid["sbom"], "--date", str(EXPECTED["date"])]
    if "offered" in bid:
        args += ["--offered", bid["offered"]]
    if "publiccode" in bid:
        args += ["--publiccode", bid["publiccode"]]
    return args


@pytest.fixture(params=sorted(EXPECTED["bids"]))
def case(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], Any]:
    monkeypatch.chdir(EXAMPLES)
    bid = EXPECTED["bids"][request.param]
    result = CliRunner().invoke(cli, ["tender", *args_for(bid), "--format", "json"])
    return bid, result


def test_verdict_and_exit_code(case: tuple[dict[str, Any], Any]) -> None:
    bid, result = case
    assert result.exit_code == bid["exit"], result.stderr
    data = json.loads(result.stdout)
    assert data["verdict"] == bid["verdict"]
    assert data["offered_from"] == bid["offered_from"]


def test_each_requirement(case: tuple[dict[str, Any], Any]) -> None:
    bid, result = case
    data = json.loads(result.stdout)
    assert {r["id"]: r["result"] for r in data["requirements"]} == bid["requirements"]


def test_evidence_names_exactly_the_expected_components(case: tuple[dict[str, Any], Any]) -> None:
    bid, result = case
    data = json.loads(result.stdout)
    for req in data["requirements"]:
        got = {e["name"]: e["result"] for e in req["evidence"]}
        assert got == bid.get("evidence", {}).get(req["id"], {}), req["id"]
        assert all(e["why"] for e in req["evidence"])


def test_example_tender_passes_coop_check() -> None:
    result = CliRunner().invoke(cli, ["check", str(EXAMPLES / EXPECTED["tender"])])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("name", sorted(EXPECTED["bids"]))
def test_bid_formats_are_the_ones_the_brief_asks_for(name: str) -> None:
    from coopengine.sbom import read_sbom

    sbom = read_sbom(EXAMPLES / EXPECTED["bids"][name]["sbom"])
    assert (sbom.format, sbom.spec_version) == {"passing": ("spdx-json", "2.3"),
                                                "failing": ("cyclonedx-json", "1.5")}[name]
