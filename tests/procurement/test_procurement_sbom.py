"""``coop sbom`` and ``check_sbom``: verdicts, exit codes, JSON shape, unreadable licences, bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from coopengine.cli.common import dump_json
from coopengine.cli.main import cli
from coopengine.errors import InputError
from coopengine.explain_procurement import sbom_json, sbom_markdown, sbom_text
from coopengine.procurement import VERDICT_ORDER, check_sbom
from coopengine.sbom import read_sbom

DATA = Path(__file__).resolve().parents[1] / "data" / "sbom"

WriteSbom = Callable[..., Path]


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["sbom", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("licences", "outbound", "verdict", "code"),
    [
        (["MIT", "Apache-2.0"], "GPL-3.0-or-later", "compatible", 0),
        (["MIT", "GPL-2.0-only"], "GPL-3.0-or-later", "incompatible", 1),
        (["MIT", "EPL-2.0"], "GPL-2.0-only", "conditional", 3),
        (["MIT", "NOASSERTION"], "GPL-3.0-or-later", "unknown", 4),
        # incompatible outranks unknown, which outranks conditional
        (["NOASSERTION", "GPL-2.0-only", "EPL-2.0"], "GPL-3.0-only", "incompatible", 1),
        (["EPL-2.0", "NOASSERTION"], "GPL-2.0-only", "unknown", 4),
    ],
)
def test_verdict_is_worst_component_and_sets_exit_code(
    write_sbom: WriteSbom, licences: list[str], outbound: str, verdict: str, code: int
) -> None:
    path = write_sbom([(f"p{i}", lic, "Acme") for i, lic in enumerate(licences)])
    status, out, _ = invoke(str(path), "--outbound", outbound, "--format", "json")
    data = json.loads(out)
    assert (data["verdict"], status) == (verdict, code)
    assert sum(data["counts"].values()) == len(licences)


def test_json_has_the_contract_keys(write_sbom: WriteSbom) -> None:
    path = write_sbom([("gpl2", "GPL-2.0-only", "Acme"), ("mit", "MIT", "Acme")])
    _, out, _ = invoke(str(path), "--outbound", "GPL-3.0-or-later", "--format", "json")
    data = json.loads(out)
    assert data["schema"] == "coopengine/sbom/v1"
    for key in ("outbound", "use", "linking", "verdict", "counts", "components", "summary", "inputs"):
        assert key in data
    assert set(data["counts"]) == set(VERDICT_ORDER)
    first = data["components"][0]
    for key in ("id", "name", "version", "licence", "licence_field", "verdict", "reasons", "obligations"):
        assert key in first
    assert first["id"] == "SPDXRef-Package-1" and first["verdict"] == "incompatible"
    assert data["reasons"][first["reasons"][0]]["source"] is not None
    assert data["summary"]["blocking"] == [
        {"id": "SPDXRef-Package-1", "name": "gpl2", "version": "1.1.0", "licence": "GPL-2.0-only"}]
    assert [g["licence"] for g in data["summary"]["obligations"]] == ["MIT"]
    assert data["inputs"][0]["sha256"].startswith("sha256:")


def test_components_keep_sbom_order(write_sbom: WriteSbom) -> None:
    names = ["zeta", "alpha", "mid", "beta"]
    path = write_sbom([(n, lic, "Acme") for n, lic in zip(names, ["MIT", "GPL-2.0-only", "MIT", "ISC"],
                                                           strict=True)])
    _, out, _ = invoke(str(path), "--outbound", "MIT", "--format", "json")
    assert [c["name"] for c in json.loads(out)["components"]] == names


def test_output_is_byte_identical_across_runs(write_sbom: WriteSbom) -> None:
    path = write_sbom([("a", "MIT OR Apache-2.0", "Acme"), ("b", "GPL v2", None), ("c", None, "X"),
                       ("d", "NOASSERTION", "Y"), ("e", "LGPL-2.1-only", "Z")])
    for fmt in ("json", "text", "markdown"):
        first = invoke(str(path), "--outbound", "GPL-3.0-only", "--format", fmt)
        second = invoke(str(path), "--outbound", "GPL-3.0-only", "--format", fmt)
        assert first == second


def test_fast_json_equals_the_plain_encoder(write_sbom: WriteSbom) -> None:
    path = write_sbom([("é-lib", "MIT", "Société Générale"), ("b", "GPL v2", None), ("c", None, None),
                       ("d", "Apache-2.0 WITH LLVM-exception", "Ünïcode \"quoted\" \\ name"),
                       ("e", "MIT", "Société Générale")])
    result = check_sbom(read_sbom(path), "GPL-3.0-or-later")
    assert sbom_json(result, full=True) == dump_json(result.to_dict(full=True))
    assert json.loads(sbom_json(result)) == result.to_dict()


def test_components_by_reference_resolve_to_the_full_form(write_sbom: WriteSbom) -> None:
    # Each id names one entry of the document's tables; resolved, a component is what --full writes.
    path = write_sbom([("a", "MIT", "Acme"), ("b", "GPL-2.0-only", None), ("c", "GPL v2", None),
                       ("d", "MIT", "Acme"), ("e", "Apache-2.0 OR MIT", None), ("f", None, None)])
    result = check_sbom(read_sbom(path), "GPL-3.0-or-later")
    short, full = result.to_dict(), result.to_dict(full=True)
    assert not {"findings", "reasons", "obligations"} & set(full)
    for ref, whole in zip(short["components"], full["components"], strict=True):
        finding = dict(short["findings"][ref["finding"]])
        assert finding.pop("licence") == whole["licence"]
        finding["reasons"] = [short["reasons"][r] for r in finding["reasons"]]
        finding["obligations"] = [short["obligations"][o] for o in finding["obligations"]]
        own = {k: v for k, v in ref.items() if k not in ("finding", "reasons", "obligations")}
        assert {**own, **finding} == whole
        assert [short["reasons"][r] for r in ref["reasons"]] == whole["reasons"]
    # Shared items are written once: six components, three distinct texts' worth of reasons.
    assert len(short["findings"]) == 5
    assert len(set(map(str, short["reasons"].values()))) == len(short["reasons"])


def test_non_spdx_licence_is_reported_and_unknown(write_sbom: WriteSbom) -> None:
    path = write_sbom([("old", "GPL v2", "Acme"), ("ok", "MIT", "Acme")])
    status, out, _ = invoke(str(path), "--outbound", "GPL-3.0-or-later", "--format", "json")
    data = json.loads(out)
    old = data["components"][0]
    assert status == 4 and old["verdict"] == "unknown"
    finding = data["findings"][old["finding"]]
    assert old["licence"] == "GPL v2" and finding["licence"] == "GPL v2" and finding["expression"] is None
    assert "not an SPDX expression" in finding["problem"]
    text = invoke(str(path), "--outbound", "GPL-3.0-or-later")[1]
    assert "GPL v2" in text and "not an SPDX expression" in text


def test_strict_refuses_non_spdx_licence_naming_component_and_text(write_sbom: WriteSbom) -> None:
    path = write_sbom([("ok", "MIT", "Acme"), ("old", "GPL v2", "Acme")])
    status, out, err = invoke(str(path), "--outbound", "GPL-3.0-or-later", "--strict")
    assert status == 2 and out == ""
    assert "SPDXRef-Package-2" in err and "old" in err and "GPL v2" in err
    assert "Traceback" not in err


def test_strict_accepts_noassertion_and_missing(write_sbom: WriteSbom) -> None:
    path = write_sbom([("a", "NOASSERTION", "Acme"), ("b", None, "Acme")])
    status, _, _ = invoke(str(path), "--outbound", "MIT", "--strict")
    assert status == 4


def test_noassertion_and_missing_licences_are_kept_and_unknown(write_sbom: WriteSbom) -> None:
    path = write_sbom([("a", "NOASSERTION", "Acme"), ("b", None, "Acme"), ("c", "NONE", "Acme")])
    result = check_sbom(read_sbom(path), "MIT")
    assert [cv.verdict for cv in result.components] == ["unknown"] * 3
    assert [cv.component.licence for cv in result.components] == ["NOASSERTION", None, "NONE"]
    assert result.components[1].finding.why == "no licence stated"
    assert "NOASSERTION" in result.components[0].finding.why
    text = sbom_text(result)
    assert "(no licence)" in text and "NOASSERTION" in text


def test_each_distinct_text_is_decided_once(write_sbom: WriteSbom) -> None:
    path = write_sbom([(f"p{i}", "MIT" if i % 2 else "GPL v2", "Acme") for i in range(50)])
    result = check_sbom(read_sbom(path), "GPL-3.0-or-later")
    assert len(result.findings) == 2
    assert len({id(cv.finding) for cv in result.components}) == 2


def test_empty_sbom_is_unknown_not_compatible(write_sbom: WriteSbom) -> None:
    path = write_sbom([])
    status, out, _ = invoke(str(path), "--outbound", "MIT", "--format", "json")
    data = json.loads(out)
    assert status == 4 and data["verdict"] == "unknown" and data["components"] == []
    assert any("no components" in n for n in data["notes"])
    assert "no components" in invoke(str(path), "--outbound", "MIT")[1]


def test_use_and_linking_reach_the_engine(write_sbom: WriteSbom) -> None:
    path = write_sbom([("lib", "LGPL-2.1-only", "Acme")])
    static = json.loads(invoke(str(path), "--outbound", "MIT", "--format", "json")[1])
    dynamic = json.loads(invoke(str(path), "--outbound", "MIT", "--linking", "dynamic", "--format", "json")[1])
    internal = json.loads(invoke(str(path), "--outbound", "MIT", "--use", "internal", "--format", "json")[1])
    assert static["linking"] == "static" and dynamic["linking"] == "dynamic"
    assert static["verdict"] != "compatible"
    assert dynamic["verdict"] == "compatible" and internal["verdict"] == "compatible"


def test_markdown_is_an_evidence_report(write_sbom: WriteSbom) -> None:
    path = write_sbom([("a", "GPL-2.0-only", "Acme"), ("b", "MIT", "Acme"), ("c", "GPL v2", "Acme")])
    status, out, _ = invoke(str(path), "--outbound", "GPL-3.0-only", "--format", "markdown")
    assert status == 1
    for heading in ("# SBOM licence check", "## Summary", "## Blocking components", "## Unknown licences",
                    "## Obligations by licence", "## Components"):
        assert heading in out
    assert "| 3 | c (`SPDXRef-Package-3`)" in out


def test_library_result_renders_in_every_format(write_sbom: WriteSbom) -> None:
    result = check_sbom(read_sbom(write_sbom([("a", "MIT", "Acme")])), "MIT")
    assert sbom_text(result).startswith("COMPATIBLE")
    assert "**Verdict: `compatible`**" in sbom_markdown(result)


def test_progress_only_when_asked(write_sbom: WriteSbom) -> None:
    path = write_sbom([(f"p{i}", "MIT", "Acme") for i in range(12)])
    calls: list[tuple[int, int]] = []
    import coopengine.procurement as procurement

    old = procurement.PROGRESS_EVERY
    procurement.PROGRESS_EVERY = 5
    try:
        check_sbom(read_sbom(path), "MIT", progress=lambda done, total: calls.append((done, total)))
    finally:
        procurement.PROGRESS_EVERY = old
    assert calls == [(5, 12), (10, 12)]
    # CliRunner's stderr is not a terminal: the command stays quiet.
    assert invoke(str(path), "--outbound", "MIT")[2] == ""


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["/no/such/sbom.json", "--outbound", "MIT"], ["not found"]),
        ([str(DATA / "broken" / "truncated.spdx.json"), "--outbound", "MIT"], ["malformed JSON"]),
        ([str(DATA / "broken" / "unknown-format.json"), "--outbound", "MIT"], ["unknown SBOM format"]),
        ([str(DATA / "broken" / "empty.spdx.json"), "--outbound", "MIT"], ["empty"]),
        ([str(DATA / "valid" / "spdx23.spdx.json"), "--outbound", "MIT OR"], ["--outbound"]),
        ([str(DATA / "valid" / "spdx23.spdx.json"), "--outbound", "MIT", "--use", "saas"], ["saas"]),
        ([str(DATA / "valid" / "spdx23.spdx.json"), "--outbound", "MIT", "--format", "yaml"], ["yaml"]),
        ([str(DATA / "valid" / "spdx23.spdx.json")], ["--outbound"]),
    ],
)
def test_bad_input_exits_2_without_traceback(args: list[str], words: list[str]) -> None:
    status, out, err = invoke(*args)
    assert status == 2, (out, err)
    assert "Traceback" not in err
    for word in words:
        assert word in err


@pytest.mark.parametrize("name", sorted(p.name for p in (DATA / "valid").iterdir()))
def test_every_valid_fixture_is_checked(name: str) -> None:
    status, out, err = invoke(str(DATA / "valid" / name), "--outbound", "GPL-3.0-or-later", "--format", "json")
    assert status in (0, 1, 3, 4), err
    data = json.loads(out)
    assert len(data["components"]) == len(read_sbom(DATA / "valid" / name).components)


def test_strict_error_is_an_input_error(write_sbom: WriteSbom) -> None:
    with pytest.raises(InputError, match="not an SPDX expression"):
        check_sbom(read_sbom(write_sbom([("x", "Apache License 2.0", None)])), "MIT", strict=True)


def test_console_entry_point_reports_errors_without_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    bad = tmp_path / "bad.cdx.json"
    bad.write_text('{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [', encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "coopengine", "sbom", str(bad), "--outbound", "MIT"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and proc.stdout == ""
    assert str(bad) in proc.stderr and "Traceback" not in proc.stderr
