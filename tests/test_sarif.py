"""``--format sarif`` on check, sbom and tender: valid SARIF 2.1.0, a place for every result, stable fingerprints."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from coopengine.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = Path(__file__).resolve().parent / "sarif" / "sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"  # see tests/sarif/README.md
TENDER = ROOT / "examples" / "tenders" / "lyon-2026-42.coop"
FAILING_BID = ROOT / "examples" / "tenders" / "bids" / "failing" / "sbom.cdx.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    raw = SCHEMA_FILE.read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SCHEMA_SHA256, "the shipped SARIF schema was changed"
    schema = json.loads(raw)
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def sarif(*args: str, code: int | None = None) -> dict[str, Any]:
    result = CliRunner().invoke(cli, [*args, "--format", "sarif"])
    assert result.exit_code != 2, result.output
    if code is not None:
        assert result.exit_code == code
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _valid(log: dict[str, Any], validator: jsonschema.Draft4Validator) -> list[dict[str, Any]]:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    for rule in rules:
        assert rule["help"]["markdown"].strip() and rule["help"]["text"].strip()
    for result in run["results"]:
        # Code-scanning views drop results without a physical location.
        (where,) = result["locations"]
        assert where["physicalLocation"]["artifactLocation"]["uri"]
        assert where["physicalLocation"]["region"]["startLine"] >= 1
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["partialFingerprints"]
    results: list[dict[str, Any]] = run["results"]
    return results


def _bom(tmp_path: Path, name: str, licences: list[str | None], lead: str = "") -> Path:
    comps = []
    for i, lic in enumerate(licences):
        comp: dict[str, Any] = {"type": "library", "bom-ref": f"pkg:generic/c{i}@1.{i}", "name": f"c{i}",
                                "version": f"1.{i}", "purl": f"pkg:generic/c{i}@1.{i}"}
        if lic is not None:
            comp["licenses"] = [{"expression": lic}]
        comps.append(comp)
    path = tmp_path / name
    path.write_text(lead + json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
                                       "components": comps}, indent=2), encoding="utf-8")
    return path


def test_check_sarif_has_a_rule_per_code_and_the_diagnostic_spans(tmp_path: Path, validator: Any) -> None:
    clean = ROOT / "examples" / "agreements"
    results = _valid(sarif("check", str(clean), "--date", "2025-06-10", code=0), validator)
    assert results == []
    f = tmp_path / "w.coop"
    f.write_text('party a "A"\nparty b "B"\nagreement x "X" {\n  parties a, b\n  effective 2024-01-01\n'
                 '  clause c "C" { then permit }\n}\n', encoding="utf-8")
    log = sarif("check", str(f), "--date", "2025-06-10", code=0)
    (result,) = _valid(log, validator)
    assert result["ruleId"] == "W406" and result["level"] == "warning"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 6
    from coopengine.language import CODES

    assert [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]] == sorted(CODES)
    bad = tmp_path / "e.coop"
    bad.write_text('party a "A"\nagreement x "X" {\n  parties a, zz\n  effective 2024-01-01\n}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(bad), "--format", "sarif"])
    assert result.exit_code == 2
    (error,) = _valid(json.loads(result.stdout), validator)
    assert error["ruleId"] == "E202" and error["level"] == "error"
    assert error["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 3, "startColumn": 14, "endLine": 3, "endColumn": 16}


def test_sbom_sarif_levels_lines_and_notes(tmp_path: Path, validator: Any) -> None:
    bom = _bom(tmp_path, "bom.json", ["MIT", "Apache-2.0", "NOASSERTION", "EPL-2.0", None])
    results = _valid(sarif("sbom", str(bom), "--outbound", "GPL-2.0-only", code=1), validator)
    by_component = {r["properties"]["component"]: (r["ruleId"], r["level"]) for r in results}
    assert by_component == {
        "pkg:generic/c1@1.1": ("sbom/incompatible", "error"),
        "pkg:generic/c2@1.2": ("sbom/unknown", "warning"),
        "pkg:generic/c3@1.3": ("sbom/conditional", "warning"),
        "pkg:generic/c4@1.4": ("sbom/unknown", "warning"),
    }
    lines = bom.read_text(encoding="utf-8").splitlines()
    for r in results:
        line = r["locations"][0]["physicalLocation"]["region"]["startLine"]
        assert r["properties"]["component"] in lines[line - 1], "the result points at the component's id"
    empty = tmp_path / "empty.json"
    empty.write_text('{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": []}', encoding="utf-8")
    (note,) = _valid(sarif("sbom", str(empty), "--outbound", "MIT", code=4), validator)
    assert note["level"] == "note" and note["ruleId"] == "coop/note"
    assert note["locations"][0]["physicalLocation"]["region"]["startLine"] == 1


def test_sbom_fingerprints_are_stable_when_lines_move(tmp_path: Path, validator: Any) -> None:
    licences: list[str | None] = ["Apache-2.0", "NOASSERTION", "AGPL-3.0-only"]
    first = _valid(sarif("sbom", str(_bom(tmp_path, "a.json", licences)), "--outbound", "GPL-2.0-only"), validator)
    again = _valid(sarif("sbom", str(_bom(tmp_path, "a.json", licences)), "--outbound", "GPL-2.0-only"), validator)
    moved = _valid(sarif("sbom", str(_bom(tmp_path, "a.json", licences, lead="\n\n\n")), "--outbound",
                         "GPL-2.0-only"), validator)
    assert first == again  # byte-identical between runs
    assert [r["partialFingerprints"] for r in moved] == [r["partialFingerprints"] for r in first]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in moved] == [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] + 3 for r in first]
    assert len({json.dumps(r["partialFingerprints"]) for r in first}) == len(first)


def test_sbom_sarif_over_several_files_and_spdx(tmp_path: Path, validator: Any) -> None:
    spdx = ROOT / "examples" / "lutece" / "sbom.spdx.json"
    bom = _bom(tmp_path, "b.json", ["AGPL-3.0-only"])
    results = _valid(sarif("sbom", str(spdx), str(bom), "--outbound", "GPL-2.0-only", code=1), validator)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert len(uris) == 2
    spdx_lines = spdx.read_text(encoding="utf-8").splitlines()
    for r in results:
        if r["properties"]["component"].startswith("SPDXRef-"):
            line = r["locations"][0]["physicalLocation"]["region"]["startLine"]
            assert r["properties"]["component"] in spdx_lines[line - 1]


def test_tender_sarif_has_a_rule_per_requirement(validator: Any) -> None:
    log = sarif("tender", str(TENDER), "--bid", str(FAILING_BID), "--date", "2026-03-15", code=1)
    results = _valid(log, validator)
    rules = [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    assert rules == [f"lyon-2026-42/r{i}" for i in range(1, 7)] + ["coop/note"]
    bid_lines = FAILING_BID.read_text(encoding="utf-8").splitlines()
    levels = {r["level"] for r in results}
    assert levels == {"error", "warning"}
    for r in results:
        where = r["locations"][0]["physicalLocation"]
        line = where["region"]["startLine"]
        if where["artifactLocation"]["uri"].endswith(".coop"):  # the offered licence: the requirement's line
            assert "requirement r5" in TENDER.read_text(encoding="utf-8").splitlines()[line - 1]
        else:
            assert '"bom-ref"' in bid_lines[line - 1]
    passing = ROOT / "examples" / "tenders" / "bids" / "passing"
    log = sarif("tender", str(TENDER), "--bid", str(passing / "sbom.spdx.json"), "--publiccode",
                str(passing / "publiccode.yml"), "--date", "2026-03-15", code=0)
    assert _valid(log, validator) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{\n "SPDXID": "SPDXRef-DOCUMENT",\n "packages": [\n  {"SPDXID": "SPDXRef-a"}]}',
         {"SPDXRef-DOCUMENT": 2, "SPDXRef-a": 4}),
        ("SPDXVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\n\nPackageName: x\nSPDXID: SPDXRef-x\n",
         {"SPDXRef-DOCUMENT": 2, "SPDXRef-x": 5}),
        ("packages:\n- name: x\n  SPDXID: 'SPDXRef-x'\n", {"SPDXRef-x": 3}),
        ('<bom>\n<component bom-ref="pkg:npm/a@1">\n</component>\n<component bom-ref=\'b\'/></bom>',
         {"pkg:npm/a@1": 2, "b": 4}),
        ('<rdf:RDF>\n<spdx:Package rdf:about="http://x/doc#SPDXRef-p">\n', {"SPDXRef-p": 2}),
        ('{"dependencies": [{"ref": "a", "dependsOn": ["b"]}], "spdxElementId": "c"}', {}),
    ],
)
def test_component_lines_in_each_syntax(text: str, expected: dict[str, int]) -> None:
    from coopengine.sbom import component_lines

    assert component_lines(text) == expected
