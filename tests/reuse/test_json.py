"""`coop reuse --format json`: the documented shape, and the same bytes on every run."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from reuse_helpers import EXAMPLES, SCENARIOS

from coopengine.cli.main import cli

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "src/coopengine/schemas/reuse-v1.schema.json").read_text())
ALL = sorted(p for p in SCENARIOS.glob("*.yaml") if p.name != "cases.yaml") + [EXAMPLES / "lutece/scenario.yaml"]


def reuse(path: Path, fmt: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["reuse", "--allow-outside", str(path), "--format", fmt])
    return result.exit_code, result.output


def test_schema_is_valid() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_every_example_matches_the_schema(path: Path) -> None:
    code, out = reuse(path, "json")
    assert code in (0, 1, 3, 4), out
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA)
    assert {"permit": 0, "deny": 1, "require-mou": 3, "undetermined": 4}[data["verdict"]] == code
    ids = {c["id"] for c in data["clauses"]}
    for entry in data["determining"]:
        agreement = entry.split(".", 1)[0]
        assert entry.startswith("licence:") or entry in ids or entry in (f"{agreement}.default",
                                                                         f"{agreement}.scope"), entry


def test_contract_example_keys() -> None:
    _, out = reuse(EXAMPLES / "lutece/scenario.yaml", "json")
    data = json.loads(out)
    assert data["schema"] == "coopengine/reuse/v1"
    assert data["verdict"] == "permit" and data["determining"] == ["licence:BSD-3-Clause"]
    assert data["licence"]["verdict"] == "grants" and data["licence"]["expression"] == "BSD-3-Clause"
    assert data["date"] == "2025-06-10" and data["use"] == "network-service"
    assert all(v.startswith("sha256:") for v in data["provenance"]["inputs"].values())


@pytest.mark.parametrize("name", ["lutece-classification-missing", "pool-precedence-waive", "third-party-agpl-service"])
@pytest.mark.parametrize("fmt", ["json", "text", "markdown"])
def test_output_is_byte_identical_across_runs(name: str, fmt: str) -> None:
    path = SCENARIOS / f"{name}.yaml"
    assert reuse(path, fmt) == reuse(path, fmt)


def test_clause_statuses_and_failing_conditions() -> None:
    _, out = reuse(SCENARIOS / "agpl-service-source-private.yaml", "json")
    clauses = {c["id"]: c for c in json.loads(out)["clauses"]}
    assert clauses["paris-baltimore.art3"]["status"] == "applied"
    assert clauses["paris-baltimore.art3-1"]["status"] == "not-applicable"
    assert {"text": "solution.source-public", "value": False} in clauses["paris-baltimore.art3-1"]["conditions"]
    _, out = reuse(SCENARIOS / "agpl-service-source-public.yaml", "json")
    clauses = {c["id"]: c for c in json.loads(out)["clauses"]}
    assert clauses["paris-baltimore.art3"]["status"] == "defeated"
    assert clauses["paris-baltimore.art3"]["defeated_by"] == "paris-baltimore.art3-1"
    _, out = reuse(SCENARIOS / "research-prototype-after-2026.yaml", "json")
    clauses = {c["id"]: c for c in json.loads(out)["clauses"]}
    assert clauses["ospo-fr.research"]["status"] == "not-in-force"
    _, out = reuse(SCENARIOS / "agpl-service-after-expiry.yaml", "json")
    clauses = {c["id"]: c for c in json.loads(out)["clauses"]}
    assert clauses["paris-baltimore.art2"]["status"] == "not-in-force"
    _, out = reuse(SCENARIOS / "lutece-classification-missing.yaml", "json")
    data = json.loads(out)
    assert {c["id"]: c for c in data["clauses"]}["paris-baltimore.art7"]["status"] == "undetermined"
    assert data["missing_facts"] == ["solution.classification"]


def test_waived_obligation_is_gone_and_each_has_its_clause() -> None:
    _, out = reuse(SCENARIOS / "lutece-standing-agreement.yaml", "json")
    obligations = {o["id"]: o["source"] for o in json.loads(out)["obligations"]}
    assert "publish-changes" not in obligations
    assert obligations["merge-request"] == "paris-baltimore.art9"
    assert obligations["attribution"] == "brno-decl.credit"
