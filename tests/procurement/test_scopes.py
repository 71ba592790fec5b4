"""Dependency scopes and non-software components: listed apart, never dropped, never passing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from coopengine.cli.main import cli
from coopengine.errors import InputError
from coopengine.procurement import check_sbom
from coopengine.sbom import read_sbom


def _cdx(tmp_path: Path) -> Path:
    components = [
        {"type": "library", "name": "runtime-lib", "licenses": [{"license": {"id": "MIT"}}]},
        {"type": "library", "name": "test-lib", "scope": "excluded", "licenses": [{"license": {"id": "GPL-3.0-only"}}]},
        {"type": "library", "name": "opt-lib", "scope": "optional", "licenses": [{"license": {"id": "AGPL-3.0-only"}}]},
        {"type": "operating-system", "name": "debian", "version": "12",
         "licenses": [{"license": {"id": "GPL-2.0-only"}}]},
    ]
    path = tmp_path / "bom.cdx.json"
    path.write_text(json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
                                "components": components}), encoding="utf-8")
    return path


def test_only_runtime_counts_by_default_and_the_rest_is_listed(tmp_path: Path) -> None:
    result = check_sbom(read_sbom(_cdx(tmp_path)), "Apache-2.0")
    assert result.verdict == "compatible"
    assert [cv.component.name for cv in result.components] == ["runtime-lib"]
    apart = {a.component.name: a.why for a in result.not_evaluated}
    assert set(apart) == {"test-lib", "opt-lib", "debian"}
    assert "excluded scope" in apart["test-lib"]
    assert "operating-system" in apart["debian"]
    doc = result.to_dict()
    assert doc["summary"]["not_evaluated"] == {"excluded": 1, "operating-system": 1, "optional": 1}
    assert [x["name"] for x in doc["not_evaluated"]] == ["test-lib", "opt-lib", "debian"]


def test_counting_optional_brings_it_into_the_verdict(tmp_path: Path) -> None:
    result = check_sbom(read_sbom(_cdx(tmp_path)), "Apache-2.0", scopes=("runtime", "optional"))
    assert result.verdict == "incompatible"
    # Not software is never counted, whatever the scopes.
    assert [a.component.name for a in result.not_evaluated] == ["test-lib", "debian"]


def test_spdx_dev_and_test_dependencies(write_sbom: Callable[..., Path]) -> None:
    path = write_sbom([("app-dep", "MIT", None), ("pytest", "GPL-2.0-or-later", None), ("both", "LGPL-2.1-only", None)])
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["relationships"] = [
        {"spdxElementId": "SPDXRef-Package-2", "relationshipType": "TEST_DEPENDENCY_OF",
         "relatedSpdxElement": "SPDXRef-Package-1"},
        # Needed at run time by one relationship: it counts, whatever another one says.
        {"spdxElementId": "SPDXRef-Package-3", "relationshipType": "DEV_DEPENDENCY_OF",
         "relatedSpdxElement": "SPDXRef-Package-1"},
        {"spdxElementId": "SPDXRef-Package-1", "relationshipType": "DEPENDS_ON",
         "relatedSpdxElement": "SPDXRef-Package-3"},
    ]
    path.write_text(json.dumps(doc), encoding="utf-8")
    sbom = read_sbom(path)
    assert [c.scope for c in sbom.components] == ["runtime", "test", "runtime"]
    result = check_sbom(sbom, "Apache-2.0")
    assert [a.component.name for a in result.not_evaluated] == ["pytest"]


def test_all_set_apart_is_unknown_not_compatible(tmp_path: Path) -> None:
    path = tmp_path / "bom.cdx.json"
    path.write_text(json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": [
        {"type": "library", "name": "t", "scope": "excluded", "licenses": [{"license": {"id": "MIT"}}]}]}))
    result = check_sbom(read_sbom(path), "MIT")
    assert result.verdict == "unknown"
    assert len(result.not_evaluated) == 1


def test_an_unknown_scope_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="scope"):
        check_sbom(read_sbom(_cdx(tmp_path)), "MIT", scopes=("runtime", "prod"))


def test_cli_scope_option(tmp_path: Path) -> None:
    path = _cdx(tmp_path)
    default = CliRunner().invoke(cli, ["sbom", str(path), "--outbound", "Apache-2.0"])
    assert default.exit_code == 0, default.output
    assert "Not evaluated (3 components" in default.output
    wider = CliRunner().invoke(cli, ["sbom", str(path), "--outbound", "Apache-2.0", "--scope", "runtime",
                                     "--scope", "optional"])
    assert wider.exit_code == 1


def test_a_tender_judges_only_the_components_in_its_counting_scopes(tmp_path: Path,
                                                                      write_tender: Callable[..., Path]) -> None:
    import dataclasses
    import datetime as dt

    from coopengine.api import load_program
    from coopengine.procurement import check_tender

    path = write_tender({"r1": "no component satisfies licence.copyleft in {strong, network}"})
    tender = load_program(path).program.tenders[0]
    sbom = read_sbom(_cdx(tmp_path))
    # runtime only (the default): the AGPL optional component is listed apart, the rule passes.
    day = dt.date(2026, 1, 1)
    default = check_tender(tender, sbom, date=day)
    assert default.verdict == "pass"
    assert {a.component.name for a in default.not_evaluated} == {"test-lib", "opt-lib", "debian"}
    wider = check_tender(dataclasses.replace(tender, scopes=("runtime", "optional")), sbom, date=day)
    assert wider.verdict == "fail"
    assert wider.to_dict()["not_evaluated"][0]["name"] == "test-lib"


def test_a_scenario_counts_only_its_scopes(tmp_path: Path) -> None:
    from coopengine.api import decide_reuse

    _cdx(tmp_path)
    scenario = tmp_path / "scenario.yaml"
    text = ("provider: lyon\nrecipient: brno\nuse: distribution\n"
            "solution:\n  licence: Apache-2.0\n  sbom: bom.cdx.json\n")
    scenario.write_text(text, encoding="utf-8")
    default = decide_reuse(scenario)
    assert [c.id for c in default.licence.components] == ["component-1"]
    [hint] = [h for h in default.hints if "not evaluated" in h]
    assert "opt-lib: optional scope" in hint and "debian: a operating-system" in hint
    scenario.write_text(text + "scopes: [runtime, optional]\n", encoding="utf-8")
    wider = decide_reuse(scenario)
    assert len(wider.licence.components) == 2


def test_a_scenario_with_an_unknown_scope_is_refused(tmp_path: Path) -> None:
    from coopengine.api import decide_reuse

    scenario = tmp_path / "scenario.yaml"
    scenario.write_text("provider: lyon\nrecipient: brno\nuse: distribution\nsolution:\n  licence: MIT\n"
                        "scopes: [runtime, devel]\n", encoding="utf-8")
    with pytest.raises(InputError, match="invalid scope 'devel'") as caught:
        decide_reuse(scenario)
    assert caught.value.hint == "did you mean 'dev'?"


TENDER = """party buyer "Test buyer" kind city jurisdiction FR

tender t1 "Test tender" {
  buyer buyer
  deliverable "Apache-2.0"
  counting scopes runtime, optional

  requirement r1 "No strong or network copyleft" ref "1" {
    no component satisfies licence.copyleft in {strong, network}
  }
}
"""


def test_counting_scopes_in_a_tender_file(tmp_path: Path) -> None:
    from coopengine.api import check_tender, format_agreements, load_program

    path = tmp_path / "t.coop"
    path.write_text(TENDER, encoding="utf-8")
    assert load_program(path).program.tenders[0].scopes == ("runtime", "optional")
    # The AGPL optional component now counts: the requirement fails.
    assert check_tender(path, _cdx(tmp_path), date="2026-01-01").verdict == "fail"
    assert "  counting scopes runtime, optional\n" in (format_agreements(TENDER).files[0].formatted or "")


def test_an_unknown_scope_in_a_tender_is_e108(tmp_path: Path) -> None:
    path = tmp_path / "t.coop"
    path.write_text(TENDER.replace("optional", "prod"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 2
    assert "E108 `prod` is not a dependency scope" in result.output
    assert "hint: one of runtime, optional, dev, test, build, excluded" in result.output
