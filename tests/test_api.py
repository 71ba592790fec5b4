"""The public library API: docs/api.md runs as written, in-memory inputs equal files, results equal the CLI's JSON."""

from __future__ import annotations

import ast
import doctest
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import coopengine
from coopengine.cli.main import cli
from coopengine.errors import CoopError

ROOT = Path(__file__).resolve().parents[1]
API_MD = ROOT / "docs" / "api.md"
LUTECE = ROOT / "examples" / "lutece"
TENDERS = ROOT / "examples" / "tenders"


def _cli_json(*args: str) -> Any:
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert result.exit_code != 2, result.output
    return json.loads(result.stdout)


def test_api_md_examples_run_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ```pycon block of docs/api.md, in order and sharing names, gives the output shown."""
    monkeypatch.chdir(ROOT)
    text = API_MD.read_text(encoding="utf-8")
    blocks = re.findall(r"```pycon\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 12
    parser = doctest.DocTestParser()
    test = parser.get_doctest("\n".join(blocks), {}, "docs/api.md", str(API_MD), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    out: list[str] = []
    runner.run(test, out=out.append)
    assert runner.failures == 0, "".join(out)
    assert runner.tries >= 40


def test_every_public_name_is_documented() -> None:
    text = API_MD.read_text(encoding="utf-8")
    for name in coopengine.__all__:
        assert f"`{name}`" in text, f"{name} is in coopengine.__all__ but not documented in docs/api.md"
    functions = [n for n in coopengine.__all__ if callable(getattr(coopengine, n)) and n[0].islower()]
    for name in functions:
        section = text.split(f"### `{name}`", 1)
        assert len(section) == 2, f"docs/api.md has no section for {name}"
        assert f"coopengine.{name}(" in section[1].split("\n### ", 1)[0], f"the {name} section has no example"


def test_every_public_name_resolves_and_is_typed() -> None:
    for name in coopengine.__all__:
        assert getattr(coopengine, name) is not None
    assert (ROOT / "src" / "coopengine" / "py.typed").is_file()
    assert set(dir(coopengine)) >= set(coopengine.__all__)


def test_the_cli_does_its_jobs_through_the_public_api() -> None:
    """The commands that have a public function call it, not the modules behind it."""
    private = {"reuse", "procurement", "sbom", "scenario", "language", "knowledge", "expressions", "outbound",
               "explain", "explain_reuse", "explain_procurement", "explain_html"}
    for name in ("reuse", "sbom", "tender", "check", "fmt", "licence", "outbound", "expr"):
        tree = ast.parse((ROOT / "src" / "coopengine" / "cli" / f"{name}.py").read_text(encoding="utf-8"))
        typing_only = [n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING"]
        for block in typing_only:  # names for annotations, not calls
            tree.body.remove(block)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                top = node.module.removeprefix("coopengine.").split(".")[0]
                assert top not in private, f"cli/{name}.py imports {node.module}: use coopengine.api"


# ---- in memory equals on disk, and equals the CLI -------------------------------------------


@pytest.mark.parametrize("licence_id", ["MIT", "gpl-2.0+", "GPL-2.0-only WITH Classpath-exception-2.0",
                                        "Classpath-exception-2.0", "LGPL-2.1"])
def test_describe_licence_equals_cli(licence_id: str) -> None:
    described = coopengine.describe_licence(licence_id)
    assert described.to_dict() == _cli_json("licence", licence_id)
    assert described.to_text() == CliRunner().invoke(cli, ["licence", licence_id]).stdout


@pytest.mark.parametrize("expression", ["MIT OR Apache-2.0", "(mit AND bsd-3-clause) or GPL-2.0+",
                                        "LicenseRef-acme"])
def test_describe_expression_equals_cli(expression: str) -> None:
    described = coopengine.describe_expression(expression)
    assert described.to_dict() == _cli_json("expr", expression)
    assert described.to_text() == CliRunner().invoke(cli, ["expr", expression]).stdout


@pytest.mark.parametrize(("inbound", "use"), [("GPL-3.0-only", "distribution"), ("AGPL-3.0-only", "network-service"),
                                              ("MIT AND Apache-2.0", "internal"), ("LicenseRef-acme", "distribution")])
def test_outbound_licences_equals_cli(inbound: str, use: str) -> None:
    found = coopengine.outbound_licences(inbound, use=use)
    cli_run = CliRunner().invoke(cli, ["outbound", inbound, "--use", use])
    assert found.to_dict() == _cli_json("outbound", inbound, "--use", use)
    assert (found.to_text(), found.exit_code) == (cli_run.stdout, cli_run.exit_code)
    assert found.to_text(every=True) == CliRunner().invoke(cli, ["outbound", inbound, "--use", use, "--all"]).stdout


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_render_equals_the_cli_for_every_result(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    decision = coopengine.decide_reuse("examples/lutece/scenario.yaml", date="2025-06-10")
    cli_out = CliRunner().invoke(cli, ["reuse", "examples/lutece/scenario.yaml", "--date", "2025-06-10",
                                       "--format", fmt]).stdout
    assert coopengine.render(decision, fmt) == cli_out
    sbom = "examples/lutece/sbom.spdx.json"
    checked = coopengine.check_sbom(sbom, "EUPL-1.2")
    cli_out = CliRunner().invoke(cli, ["sbom", sbom, "--outbound", "EUPL-1.2", "--format", fmt]).stdout
    assert coopengine.render(checked, fmt) == cli_out
    assert "".join(coopengine.render_chunks(checked, "json")) == coopengine.render(checked, "json")
    assert json.loads(coopengine.render(checked, "json")) == checked.to_dict()


def test_render_refuses_an_unknown_format(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    with pytest.raises(coopengine.InputError, match="unknown format 'pdf'"):
        coopengine.render(coopengine.decide_reuse("examples/lutece/scenario.yaml"), "pdf")


def test_decide_reuse_equals_cli_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert coopengine.decide_reuse("examples/lutece/scenario.yaml").to_dict() == _cli_json(
        "reuse", "examples/lutece/scenario.yaml")
    # This one names files beside its folder (../lutece, ../agreements): both must opt in.
    standing = "examples/scenarios/lutece-standing-agreement.yaml"
    assert coopengine.decide_reuse(standing, allow_outside=True).to_dict() == _cli_json(
        "reuse", standing, "--allow-outside")
    assert coopengine.decide_reuse(
        "examples/lutece/scenario.yaml", date="2025-01-02", agreements=["examples/agreements"]
    ).to_dict() == _cli_json("reuse", "examples/lutece/scenario.yaml", "--date", "2025-01-02",
                             "--agreements", "examples/agreements")


def _without_inputs(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    out["provenance"] = {k: v for k, v in data["provenance"].items() if k != "inputs"}
    return out


def test_scenario_as_dict_and_text_decide_as_the_file() -> None:
    base = coopengine.decide_reuse(ROOT / "examples" / "scenarios" / "lutece-standing-agreement.yaml",
                                   allow_outside=True)
    folder = ROOT / "examples" / "scenarios"
    text = (folder / "lutece-standing-agreement.yaml").read_text(encoding="utf-8")
    import yaml

    data = json.loads(json.dumps(yaml.safe_load(text), default=str))  # as JSON would carry it
    assert isinstance(data["date"], str)
    from_dict = coopengine.decide_reuse(data, base_dir=folder, allow_outside=True)
    from_text = coopengine.decide_reuse(text, base_dir=folder, allow_outside=True)
    expected = _without_inputs(base.to_dict())
    for got in (from_dict, from_text):
        assert _without_inputs(got.to_dict()) == expected


def test_in_memory_agreements_sbom_and_publiccode_decide_as_files() -> None:
    base = coopengine.decide_reuse(LUTECE / "scenario.yaml", agreements=[ROOT / "examples" / "agreements"])
    scenario = {"provider": "paris", "recipient": "baltimore", "date": "2025-06-10",
                "solution": {"attributes": {"source-public": True}},
                "use": "network-service", "modified": True, "linking": "dynamic"}
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "agreements").glob("*.coop"))}
    loaded = coopengine.load_program(ROOT / "examples" / "agreements")
    for agreements in (texts, loaded):
        got = coopengine.decide_reuse(
            scenario, agreements=agreements,
            sbom=(LUTECE / "sbom.spdx.json").read_bytes(),
            publiccode=(LUTECE / "publiccode.yml").read_text(encoding="utf-8"),
        )
        a, b = got.to_dict(), base.to_dict()
        assert a["verdict"] == b["verdict"] and a["determining"] == b["determining"]
        assert a["licence"] == b["licence"] and a["obligations"] == b["obligations"]
        assert [c["id"] for c in a["clauses"]] == [c["id"] for c in b["clauses"]]
        assert [c["status"] for c in a["clauses"]] == [c["status"] for c in b["clauses"]]


def test_iso_date_attributes_in_a_dict_are_dates() -> None:
    s = coopengine.load_scenario({"provider": "a", "recipient": "b", "use": "internal",
                                  "solution": {"licence": "MIT", "attributes": {"audited": "2024-05-01",
                                                                                "note": "2024-13-45"}}})
    import datetime as dt

    assert s.solution.attributes["audited"] == dt.date(2024, 5, 1)
    assert s.solution.attributes["note"] == "2024-13-45"


def test_check_sbom_equals_cli_json_for_path_bytes_and_text() -> None:
    path = LUTECE / "sbom.spdx.json"
    cli_json = _cli_json("sbom", str(path), "--outbound", "GPL-2.0-only")
    assert coopengine.check_sbom(str(path), "GPL-2.0-only").to_dict() == cli_json
    for data in (path.read_bytes(), path.read_text(encoding="utf-8")):
        got = coopengine.check_sbom(data, "GPL-2.0-only").to_dict()
        assert got["components"] == cli_json["components"] and got["verdict"] == cli_json["verdict"]
        assert got["inputs"][0]["path"] == "<sbom>"
        assert got["inputs"][0]["sha256"] == cli_json["inputs"][0]["sha256"]


def test_check_tender_equals_cli_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    tender, bid = "examples/tenders/lyon-2026-42.coop", "examples/tenders/bids/failing/sbom.cdx.json"
    got = coopengine.check_tender(tender, bid, offered="EUPL-1.2", date="2026-03-15").to_dict()
    assert got == _cli_json("tender", tender, "--bid", bid, "--offered", "EUPL-1.2", "--date", "2026-03-15")
    in_memory = coopengine.check_tender(
        {"lyon.coop": Path(tender).read_text(encoding="utf-8")}, Path(bid).read_bytes(), offered="EUPL-1.2",
        date="2026-03-15").to_dict()
    assert in_memory["requirements"] == got["requirements"] and in_memory["verdict"] == got["verdict"]


def test_check_and_fmt_equal_cli_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    for args in (["examples/agreements"], ["examples/agreements", "examples/tenders"]):
        got = coopengine.check_agreements(args, date="2025-06-10").to_dict()
        assert got == _cli_json("check", *args, "--date", "2025-06-10")
    f = tmp_path / "a.coop"
    f.write_text('party a "A"\nparty b "B"\nagreement x "X" {\n parties a,b\n}\n', encoding="utf-8")
    report = coopengine.format_agreements([f])
    result = CliRunner().invoke(cli, ["fmt", "--check", "--format", "json", str(f)])
    assert report.to_dict() == json.loads(result.stdout)
    written = coopengine.format_agreements([f], write=True)
    assert written.changed == (str(f),) and f.read_text(encoding="utf-8") == report.files[0].formatted


# ---- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "where"),
    [
        (lambda: coopengine.decide_reuse({"provider": "a"}), "<scenario>"),
        (lambda: coopengine.load_scenario("provider: a\nrecipient: [\n"), "<scenario>:3"),
        (lambda: coopengine.read_sbom(b'{"spdxVersion": "SPDX-2.3", '), "<sbom>:1"),
        (lambda: coopengine.read_sbom(b"\xff\xfe{}"), "<sbom>"),
        (lambda: coopengine.check_sbom(b"{}", "MIT"), "<sbom>:1"),
        (lambda: coopengine.check_sbom(LUTECE / "sbom.spdx.json", "MIT AND"), "--outbound"),
        (lambda: coopengine.load_program({"x.coop": "agreement {"}), "x.coop:1"),
        (lambda: coopengine.check_agreements(ROOT / "nope"), str(ROOT / "nope")),
        (lambda: coopengine.check_tender((TENDERS / "lyon-2026-42.coop").read_text(encoding="utf-8"), b"{}"),
         "<bid>:1"),
        (lambda: coopengine.check_tender('tender t "T" {\n}\n', b"{}"), "<string>:1:8: E107"),
        (lambda: coopengine.decide_reuse(LUTECE / "scenario.yaml", date="10/06/2025"), "<date>"),
        (lambda: coopengine.read_sbom(42), ""),  # type: ignore[arg-type]
    ],
)
def test_errors_are_coop_errors_with_a_place(call: Any, where: str) -> None:
    with pytest.raises(CoopError) as info:
        call()
    assert info.value.render().startswith(where)


@settings(max_examples=60, deadline=None)
@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
))
def test_any_json_scenario_raises_only_coop_errors(data: Any) -> None:
    if not isinstance(data, dict):
        data = {"provider": "a", "recipient": "b", "use": "internal", "solution": data}
    try:
        coopengine.load_scenario(data)
    except CoopError as err:
        assert err.location.file == "<scenario>"


# ---- from a fresh interpreter ---------------------------------------------------------------


def test_the_library_from_a_fresh_interpreter(tmp_path: Path) -> None:
    """What another tool does: import, decide from in-memory inputs, read JSON; imports stay lazy."""
    program = textwrap.dedent(
        """
        import json, sys
        import coopengine
        heavy = sorted(m for m in ("coopengine.reuse", "coopengine.api", "lark", "yaml", "license_expression")
                       if m in sys.modules)
        decision = coopengine.decide_reuse(
            {"provider": "paris", "recipient": "baltimore", "date": "2025-06-10", "use": "network-service",
             "modified": True, "solution": {"name": "Lutece", "licence": "BSD-3-Clause"}})
        sbom = coopengine.check_sbom(SBOM, "EUPL-1.2")
        try:
            coopengine.check_compat("MIT", "GPL-2.0-only", use="saas")
        except coopengine.CoopError as err:
            error = err.to_dict()
        print(json.dumps({"heavy": heavy, "reuse": decision.to_dict()["verdict"],
                          "sbom": sbom.to_dict()["verdict"], "error": error["message"]}))
        """
    ).replace("SBOM", repr(str(LUTECE / "sbom.spdx.json")))
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=300,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["heavy"] == []
    # conditional: the Classpath-exception component keeps its GPL terms (its exception's condition)
    assert out["reuse"] == "permit" and out["sbom"] == "conditional"
    assert "saas" in out["error"]


def test_check_agreements_says_what_it_does_on_a_large_program() -> None:
    from coopengine.api import LARGE_PROGRAM_FILES

    texts = {f"p{i}.coop": f'party p{i} "P{i}"\n' for i in range(LARGE_PROGRAM_FILES)}
    told: list[str] = []
    report = coopengine.check_agreements(texts, progress=told.append)
    assert told == [f"checking {LARGE_PROGRAM_FILES} files (0.0 MB) as one program"]
    assert len(report.files) == LARGE_PROGRAM_FILES
    told.clear()
    coopengine.check_agreements(dict(list(texts.items())[:3]), progress=told.append)
    assert told == []
