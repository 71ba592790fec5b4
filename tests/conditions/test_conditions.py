"""``coop conditions``: the statement of the conditions applying to reuse of a solution
(Interoperable Europe Act), every line with its source. Golden letters in tests/conditions/golden
(regenerate with ``COOP_UPDATE_GOLDEN=1``); the JSON against its schema."""

from __future__ import annotations

import json
import os
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from coopengine import conditions_statement
from coopengine.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
CASES = {
    "lutece.md": ["examples/lutece/publiccode.yml", "--provider", "paris", "--agreements", "examples/agreements"],
    # a real publiccode.yml (examples/catalogue/ORIGIN.md) with a maintenance contractor, no agreement
    "wai-portal.md": ["examples/catalogue/wai-portal/publiccode.yml", "--provider", "agid"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_letters(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["conditions", *CASES[name], "--date", "2026-06-01", "--format", "markdown"])
    assert result.exit_code == 0, result.output
    path = GOLDEN / name
    if os.environ.get("COOP_UPDATE_GOLDEN") == "1":
        path.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(CASES))
def test_json_matches_its_schema_and_every_line_has_a_source(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["conditions", *CASES[name], "--date", "2026-06-01", "--format", "json"])
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, json.loads((files("coopengine") / "schemas" / "conditions-v1.schema.json").read_text()))

    def lines(node: object) -> list[dict[str, str]]:
        if isinstance(node, dict):
            found = [node] if set(node) == {"text", "source"} else []
            return found + [x for v in node.values() for x in lines(v)]
        return [x for v in node for x in lines(v)] if isinstance(node, list) else []

    found = lines(doc)
    assert found and all(x["source"].strip() for x in found)


def test_what_the_agreements_add(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    s = conditions_statement("examples/lutece/publiccode.yml", provider="paris", agreements=["examples/agreements"],
                             date="2026-06-01")
    offers = {o.id: o for o in s.offers}
    assert "paris-baltimore" in offers and offers["paris-baltimore"].to == ("baltimore",)
    exclusions = [x.source for x in offers["paris-baltimore"].exclusions]
    assert "paris-baltimore.art7 (ref art-7)" in exclusions  # the deny guardrail on restricted systems
    assert s.licences[0].iea_open_source is True
    # Before the agreement came into force, it offers nothing.
    early = conditions_statement("examples/lutece/publiccode.yml", provider="paris",
                                 agreements=["examples/agreements"], date="2000-01-01")
    assert early.offers == () and any("no agreement in force" in n for n in early.notes)


def test_a_non_open_licence_is_said_so(tmp_path: Path) -> None:
    pc = tmp_path / "publiccode.yml"
    pc.write_text("name: Tool\nlegal:\n  license: BUSL-1.1\n", encoding="utf-8")
    s = conditions_statement(pc, provider="someone", date="2026-06-01")
    (terms,) = s.licences
    assert terms.iea_open_source is False and terms.restrictions
    assert s.maintenance[0].source == "publiccode: maintenance"


def test_bad_input_is_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["conditions", "examples/lutece/publiccode.yml", "--provider", "nobody",
                                      "--agreements", "examples/agreements"])
    assert result.exit_code == 2 and "not declared" in result.stderr
    result = CliRunner().invoke(cli, ["conditions", "examples/catalogue/broken/publiccode.yml", "--provider", "x"])
    assert result.exit_code == 2 and ":5:" in result.stderr
