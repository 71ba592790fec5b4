"""``coop tender`` and ``check_tender``: each kind of rule, evidence, offered licence, bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from coopengine.cli.main import cli

WriteSbom = Callable[..., Path]
WriteTender = Callable[..., Path]
DATE = "2026-03-15"


def tender(*args: str) -> tuple[int, dict[str, object], str]:
    result = CliRunner().invoke(cli, ["tender", *args, "--date", DATE, "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    data = json.loads(result.stdout) if result.exit_code != 2 else {}
    return result.exit_code, data, result.stderr


def requirement(data: dict[str, object], rid: str) -> dict[str, object]:
    reqs = data["requirements"]
    assert isinstance(reqs, list)
    found: dict[str, object] = next(r for r in reqs if r["id"] == rid)
    return found


def evidence(data: dict[str, object], rid: str) -> dict[str, tuple[str, str]]:
    """name -> (result, why) for one requirement."""
    items = requirement(data, rid)["evidence"]
    assert isinstance(items, list)
    return {e["name"]: (e["result"], e["why"]) for e in items}


def run(write_tender: WriteTender, write_sbom: WriteSbom, rule: str, packages: list[tuple[str, str | None,
        str | None]], *extra: str) -> tuple[int, dict[str, object]]:
    t = write_tender({"r1": rule})
    s = write_sbom(packages)
    code, data, err = tender(str(t), "--bid", str(s), *extra)
    assert code != 2, err
    return code, data


# ---- every component satisfies ------------------------------------------------------------


def test_every_satisfies_fails_naming_the_fact_and_its_source(write_tender: WriteTender,
                                                               write_sbom: WriteSbom) -> None:
    code, data = run(write_tender, write_sbom, "every component satisfies licence.osi-approved",
                     [("ok", "MIT", "A"), ("busl", "BUSL-1.1", "B")])
    assert code == 1 and data["verdict"] == "fail"
    ev = evidence(data, "r1")
    assert set(ev) == {"busl"}
    assert ev["busl"] == ("fail", "BUSL-1.1 is not OSI-approved (SPDX License List <https://spdx.org/licenses/>)")
    assert requirement(data, "r1")["counts"] == {"pass": 1, "fail": 1, "unknown": 0}


def test_every_satisfies_unknown_when_none_fail_but_some_unknown(write_tender: WriteTender,
                                                                  write_sbom: WriteSbom) -> None:
    code, data = run(write_tender, write_sbom, "every component satisfies licence.osi-approved",
                     [("ok", "MIT", "A"), ("na", "NOASSERTION", "B"), ("old", "GPL v2", "C"), ("none", None, "D")])
    assert code == 4 and requirement(data, "r1")["result"] == "unknown"
    ev = evidence(data, "r1")
    assert {k: v[0] for k, v in ev.items()} == {"na": "unknown", "old": "unknown", "none": "unknown"}
    assert "NOASSERTION" in ev["na"][1]
    assert "not an SPDX expression" in ev["old"][1]
    assert "no licence stated" in ev["none"][1]


def test_every_satisfies_passes(write_tender: WriteTender, write_sbom: WriteSbom) -> None:
    code, data = run(write_tender, write_sbom, "every component satisfies licence.fsf-libre",
                     [("a", "MIT", "A"), ("b", "GPL-3.0-only", "B")])
    assert code == 0 and data["verdict"] == "pass" and evidence(data, "r1") == {}


def test_or_holds_if_some_alternative_does_and_and_needs_every_part(write_tender: WriteTender,
                                                                     write_sbom: WriteSbom) -> None:
    code, data = run(write_tender, write_sbom, "every component satisfies licence.osi-approved",
                     [("either", "BUSL-1.1 OR MIT", "A"), ("both", "MIT AND BUSL-1.1", "B")])
    ev = evidence(data, "r1")
    assert set(ev) == {"both"} and "BUSL-1.1 is not OSI-approved" in ev["both"][1]


def test_none_licence_is_not_osi_approved(write_tender: WriteTender, write_sbom: WriteSbom) -> None:
    _, data = run(write_tender, write_sbom, "every component satisfies licence.osi-approved",
                  [("closed", "NONE", "A")])
    assert evidence(data, "r1")["closed"][0] == "fail"


def test_compatible_with_deliverable(write_tender: WriteTender, write_sbom: WriteSbom) -> None:
    code, data = run(write_tender, write_sbom, "every component satisfies licence compatible-with deliverable",
                     [("mit", "MIT", "A"), ("agpl", "AGPL-3.0-only", "B"), ("busl", "BUSL-1.1", "C"),
                      ("eupl11", "EUPL-1.1", "D")])
    ev = evidence(data, "r1")
    assert code == 1
    assert ev["agpl"][0] == "fail" and "cannot go into a work under EUPL-1.2" in ev["agpl"][1]
    assert ev["busl"][0] == "fail"  # its use limits cannot be carried by the EUPL
    assert ev["eupl11"][0] == "unknown" and "only if" in ev["eupl11"][1]  # conditional is not a pass
    assert "mit" not in ev


def test_compatible_with_an_explicit_expression(write_tender: WriteTender, write_sbom: WriteSbom) -> None:
    code, data = run(write_tender, write_sbom, 'every component satisfies licence compatible-with "GPL-2.0-only"',
                     [("apache", "Apache-2.0", "A")])
    assert code == 1 and evidence(data, "r1")["apache"][0] == "fail"


def test_component_paths_are_facts(write_tender: WriteTender, write_sbom: WriteSbom) -> None:
    code, data = run(write_tender, write_sbom, 'every component satisfies component.supplier != "Evil Corp"',
                     [("a", "MIT", "Evil Corp"), ("b", "MIT", "Good Co"), ("c", "MIT", None)])
    ev = evidence(data, "r1")
    assert ev["a"][0] == "fail" and ev["c"][0] == "unknown" and "b" not in ev
    assert "component.supplier is not stated" in ev["c"][1]


# ---- no component satisfies -----------------------------------------------------------------


def test_no_component_satisfies_network_copyleft(write_tender: WriteTender, write_sbom: WriteSbom) -> None:
    code, data = run(write_tender, write_sbom, "no component satisfies licence.copyleft == network",
                     [("mit", "MIT", "A"), ("agpl", "AGPL-3.0-or-later", "B"), ("na", "NOASSERTION", "C")])
    ev = evidence(data, "r1")
    assert code == 1
    assert ev["agpl"][0] == "fail" and "network copyleft" in ev["agpl"][1]
    assert ev["na"][0] == "unknown"


def test_uncurated_licence_has_unknown_copyleft(write_tender: WriteTender, write_sbom: WriteSbom) -> None:
    from coopengine.knowledge import load_knowledge

    kb = load_knowledge()
    uncurated = next(lid for lid, f in sorted(kb.licences.items()) if not f.curated and not f.deprecated)
    code, data = run(write_tender, write_sbom, "no component satisfies licence.copyleft == network",
                     [("odd", uncurated, "A")])
    ev = evidence(data, "r1")
    assert code == 4 and ev["odd"][0] == "unknown" and "not been curated" in ev["odd"][1]


def test_category_of_undescribed_licence_is_unknown(write_tender: WriteTender, write_sbom: WriteSbom) -> None:
    code, data = run(write_tender, write_sbom,
                     "no component satisfies licence.category in {source-available, proprietary}",
                     [("busl", "BUSL-1.1", "A"), ("ref", "LicenseRef-Mystery", "B"), ("mit", "MIT", "C")])
    ev = evidence(data, "r1")
    assert code == 1 and ev["busl"][0] == "fail" and "source-available" in ev["busl"][1]
    assert ev["ref"][0] == "unknown" and "not described" in ev["ref"][1]
    # ... but it certainly is in the category `unknown`
    _, data = run(write_tender, write_sbom, "no component satisfies licence.category == unknown",
                  [("ref", "LicenseRef-Mystery", "B")])
    assert evidence(data, "r1")["ref"][0] == "fail"


# ---- every component has ----------------------------------------------------------------------


def test_every_has_fields(write_tender: WriteTender, write_sbom: WriteSbom) -> None:
    code, data = run(write_tender, write_sbom, "every component has licence, supplier",
                     [("ok", "MIT", "A"), ("nosup", "MIT", None), ("na", "NOASSERTION", "B"),
                      ("none", "NONE", "C"), ("missing", None, None), ("odd", "GPL v2", "D")])
    ev = evidence(data, "r1")
    assert code == 1
    assert set(ev) == {"nosup", "na", "none", "missing"}  # a non-SPDX text still declares a licence
    assert ev["nosup"] == ("fail", "no supplier stated")
    assert ev["missing"] == ("fail", "no licence stated; no supplier stated")


def test_every_has_version(write_tender: WriteTender, write_sbom: WriteSbom, tmp_path: Path) -> None:
    code, data = run(write_tender, write_sbom, "every component has version, name", [("a", "MIT", "A")])
    assert code == 0


# ---- offered --------------------------------------------------------------------------------------


def test_offered_from_option(write_tender: WriteTender, write_sbom: WriteSbom) -> None:
    code, data = run(write_tender, write_sbom, "offered satisfies licence compatible-with deliverable",
                     [("a", "MIT", "A")], "--offered", "GPL-3.0-only")
    assert code == 1 and data["offered"] == "GPL-3.0-only" and data["offered_from"] == "--offered"
    assert evidence(data, "r1")["offered licence"][0] == "fail"


def test_offered_missing_is_unknown(write_tender: WriteTender, write_sbom: WriteSbom) -> None:
    code, data = run(write_tender, write_sbom, "offered satisfies licence compatible-with deliverable",
                     [("a", "MIT", "A")])
    assert code == 4 and data["offered"] is None
    assert "no licence is offered" in evidence(data, "r1")["offered licence"][1]


def test_offered_from_publiccode_and_option_wins(write_tender: WriteTender, write_sbom: WriteSbom,
                                                tmp_path: Path) -> None:
    pc = tmp_path / "publiccode.yml"
    pc.write_text("publiccodeYmlVersion: '0.4'\nname: x\nlegal:\n  license: EUPL-1.2\n", encoding="utf-8")
    code, data = run(write_tender, write_sbom, "offered satisfies licence.id == \"EUPL-1.2\"",
                     [("a", "MIT", "A")], "--publiccode", str(pc))
    assert code == 0 and data["offered_from"] == "publiccode.yml legal.license"
    assert [i["role"] for i in data["inputs"]] == ["tender", "sbom", "publiccode"]
    code, data = run(write_tender, write_sbom, "offered satisfies licence.id == \"EUPL-1.2\"",
                     [("a", "MIT", "A")], "--publiccode", str(pc), "--offered", "MIT")
    assert code == 1 and data["offered"] == "MIT"


def test_publiccode_licence_that_is_not_spdx_is_unknown(write_tender: WriteTender, write_sbom: WriteSbom,
                                                        tmp_path: Path) -> None:
    pc = tmp_path / "publiccode.yml"
    pc.write_text("legal:\n  license: European Union Public Licence\n", encoding="utf-8")
    code, data = run(write_tender, write_sbom, "offered satisfies licence.osi-approved",
                     [("a", "MIT", "A")], "--publiccode", str(pc))
    assert code == 4 and "not an SPDX expression" in evidence(data, "r1")["offered licence"][1]


# ---- whole tender, empty SBOM, several tenders ------------------------------------------------------


def test_verdict_fail_outranks_unknown(write_tender: WriteTender, write_sbom: WriteSbom) -> None:
    t = write_tender({"a": "every component satisfies licence.osi-approved", "b": "every component has supplier"})
    s = write_sbom([("na", "NOASSERTION", None)])
    code, data, _ = tender(str(t), "--bid", str(s))
    assert (code, data["verdict"]) == (1, "fail")
    assert [r["result"] for r in data["requirements"]] == ["unknown", "fail"]


def test_empty_sbom_makes_component_rules_unknown(write_tender: WriteTender, write_sbom: WriteSbom) -> None:
    t = write_tender({"a": "every component satisfies licence.osi-approved",
                      "b": "no component satisfies licence.copyleft == network",
                      "c": "every component has licence",
                      "d": "offered satisfies licence compatible-with deliverable"})
    code, data, _ = tender(str(t), "--bid", str(write_sbom([])), "--offered", "EUPL-1.2")
    assert code == 4 and data["verdict"] == "unknown"
    assert [r["result"] for r in data["requirements"]] == ["unknown", "unknown", "unknown", "pass"]
    why = evidence(data, "a")["the bid's SBOM"][1]
    assert "vacuously" in why and "incomplete" in why
    assert any("no components" in n for n in data["notes"])


def test_json_keys_and_date(write_tender: WriteTender, write_sbom: WriteSbom) -> None:
    code, data = run(write_tender, write_sbom, "every component has licence", [("a", "MIT", "A")])
    for key in ("schema", "tender", "verdict", "offered", "requirements", "inputs", "date", "buyer"):
        assert key in data
    assert data["schema"] == "coopengine/tender/v1" and data["tender"] == "t1" and data["date"] == DATE
    assert data["buyer"] == "buyer" and data["buyer_name"] == "Test buyer"
    req = requirement(data, "r1")
    for key in ("id", "title", "ref", "result", "evidence"):
        assert key in req
    assert all(str(i["sha256"]).startswith("sha256:") for i in data["inputs"])  # type: ignore[union-attr]


def test_several_tenders_need_tender_option(write_sbom: WriteSbom, tmp_path: Path) -> None:
    path = tmp_path / "two.coop"
    path.write_text('party lyon "Ville de Lyon" kind city jurisdiction FR\n'
                    'tender a "A" {\n  buyer lyon\n  deliverable "MIT"\n  requirement r1 "x" ref "1" {\n'
                    '    every component has licence\n  }\n}\n'
                    'tender b "B" {\n  buyer lyon\n  deliverable "MIT"\n  requirement r1 "y" ref "1" {\n'
                    '    every component has supplier\n  }\n}\n', encoding="utf-8")
    s = write_sbom([("a", "MIT", None)])
    code, _, err = tender(str(path), "--bid", str(s))
    assert code == 2 and "--tender" in err and "a | b" in err
    assert tender(str(path), "--bid", str(s), "--tender", "a")[0] == 0
    assert tender(str(path), "--bid", str(s), "--tender", "b")[0] == 1
    code, _, err = tender(str(path), "--bid", str(s), "--tender", "bb")
    assert code == 2 and "did you mean b" in err


@pytest.mark.parametrize(
    ("setup", "words"),
    [
        ("missing-tender", ["tender file not found"]),
        ("syntax", ["t.coop:"]),
        ("no-tender", ["no tender"]),
        ("missing-bid", ["not found"]),
        ("bad-bid", ["unknown SBOM format"]),
        ("bad-offered", ["--offered"]),
        ("missing-publiccode", ["publiccode"]),
        ("bad-date", ["not a date"]),
    ],
)
def test_bad_input_exits_2_without_traceback(setup: str, words: list[str], write_tender: WriteTender,
                                             write_sbom: WriteSbom, tmp_path: Path) -> None:
    t = write_tender({"r1": "every component has licence"})
    s = write_sbom([("a", "MIT", "A")])
    args = [str(t), "--bid", str(s)]
    if setup == "missing-tender":
        args[0] = str(tmp_path / "nope.coop")
    elif setup == "syntax":
        t.write_text('tender t1 "x" {\n  requirement r1 "y" {\n    every component frobs\n  }\n}\n')
    elif setup == "no-tender":
        t.write_text('party lyon "Ville de Lyon" kind city jurisdiction FR\n')
    elif setup == "missing-bid":
        args[2] = str(tmp_path / "nope.json")
    elif setup == "bad-bid":
        args[2] = str(tmp_path / "bad.json")
        Path(args[2]).write_text('{"hello": 1}')
    elif setup == "bad-offered":
        args += ["--offered", "MIT OR"]
    elif setup == "missing-publiccode":
        args += ["--publiccode", str(tmp_path / "publiccode.yml")]
    elif setup == "bad-date":
        result = CliRunner().invoke(cli, ["tender", *args, "--date", "15/03/2026"])
        assert result.exit_code == 2 and "not a date" in result.stderr
        return
    code, _, err = tender(*args)
    assert code == 2
    assert "Traceback" not in err
    for word in words:
        assert word in err


def test_text_output_lists_evidence(write_tender: WriteTender, write_sbom: WriteSbom) -> None:
    t = write_tender({"r1": "every component satisfies licence.osi-approved"})
    s = write_sbom([("busl", "BUSL-1.1", "A")])
    result = CliRunner().invoke(cli, ["tender", str(t), "--bid", str(s), "--date", DATE])
    assert result.exit_code == 1
    assert result.stdout.startswith("FAIL")
    assert "BUSL-1.1 is not OSI-approved (SPDX License List <https://spdx.org/licenses/>)" in result.stdout
