"""The HTTP API: every endpoint, every verdict, the CLI's exact JSON, problem+json for bad input, limits."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from fastapi.testclient import TestClient

from coopengine.cli.main import cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SCEN = EXAMPLES / "scenarios"
LUTECE = EXAMPLES / "lutece"
BIDS = EXAMPLES / "tenders" / "bids"


def coop(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def scenario_of(path: Path) -> dict[str, Any]:
    """A scenario file's keys as a request sends them: no agreements (the server has them), no paths."""
    data = yaml.safe_load(path.read_text())
    data.pop("agreements", None)
    data["solution"].pop("sbom", None)
    data["solution"].pop("publiccode", None)
    return json.loads(json.dumps(data, default=str))


def without_inputs(d: dict[str, Any]) -> dict[str, Any]:
    out = dict(d)
    out["provenance"] = {k: v for k, v in d["provenance"].items() if k != "inputs"}
    return out


def is_problem(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


# --- the CLI's JSON, byte for byte -------------------------------------------------------------


@pytest.mark.parametrize(("inbound", "outbound", "use", "verdict"), [
    ("MIT OR Apache-2.0", "GPL-2.0-only", "distribution", "compatible"),
    ("Apache-2.0", "GPL-2.0-only", "distribution", "incompatible"),
    ("EPL-2.0", "GPL-2.0-only", "distribution", "conditional"),
    ("NOASSERTION", "MIT", "internal", "unknown"),
])
def test_compat_every_verdict_is_200_and_the_cli_json(client: TestClient, inbound: str, outbound: str, use: str,
                                                     verdict: str) -> None:
    r = client.post("/api/v1/compat", json={"inbound": inbound, "outbound": outbound, "use": use, "linking": "static"})
    assert r.status_code == 200 and r.json()["verdict"] == verdict
    _, out, _ = coop("compat", "--inbound", inbound, "--outbound", outbound, "--use", use, "--format", "json")
    assert r.text == out


def test_outbound_and_licence_equal_the_cli(client: TestClient) -> None:
    r = client.post("/api/v1/outbound", json={"inbound": "LGPL-2.1-only", "use": "network-service"})
    assert r.status_code == 200
    assert r.text == coop("outbound", "LGPL-2.1-only", "--use", "network-service", "--format", "json")[1]
    r = client.get("/api/v1/licences/eupl-1.2")
    assert r.status_code == 200 and r.json()["id"] == "EUPL-1.2"
    assert r.text == coop("licence", "eupl-1.2", "--format", "json")[1]
    r = client.get("/api/v1/expr", params={"expression": "mit or apache-2.0"})
    assert r.text == coop("expr", "mit or apache-2.0", "--format", "json")[1]


@pytest.mark.parametrize(("file", "verdict"), [
    ("dpg-export-controlled.yaml", "deny"),
    ("agpl-service-source-private.yaml", "require-mou"),
    ("lutece-classification-missing.yaml", "undetermined"),
    ("research-prototype-after-2026.yaml", "permit"),
])
def test_reuse_every_verdict_equals_the_cli(client: TestClient, file: str, verdict: str) -> None:
    path = SCEN / file
    data = yaml.safe_load(path.read_text())
    sbom = publiccode = None
    files: dict[str, Any] = {}
    if data["solution"].get("sbom"):
        sbom = (path.parent / data["solution"]["sbom"]).resolve()
    if data["solution"].get("publiccode"):
        publiccode = (path.parent / data["solution"]["publiccode"]).resolve()
    body: dict[str, Any] = {"scenario": scenario_of(path)}
    if sbom:
        shown = path.parent.relative_to(Path.cwd()) / data["solution"]["sbom"]
        body.update(sbom=sbom.read_text(), sbom_name=str(shown))
        files["sbom"] = sbom
    if publiccode:
        body["publiccode"] = publiccode.read_text()
    r = client.post("/api/v1/reuse", json=body)
    assert r.status_code == 200, r.text
    code, out, _ = coop("reuse", str(path.relative_to(Path.cwd())), "--format", "json")
    cli_json = json.loads(out)
    assert r.json()["verdict"] == cli_json["verdict"] == verdict
    assert without_inputs(r.json()) == without_inputs(cli_json)
    # Every agreement file is read from the same place and hashes the same.
    api_inputs, cli_inputs = r.json()["provenance"]["inputs"], cli_json["provenance"]["inputs"]
    assert {k: v for k, v in api_inputs.items() if k.endswith(".coop")} == \
        {k: v for k, v in cli_inputs.items() if k.endswith(".coop")}


def test_reuse_multipart_with_uploads_equals_json(client: TestClient) -> None:
    scenario = scenario_of(SCEN / "lutece-standing-agreement.yaml")
    sbom, pc = (LUTECE / "sbom.spdx.json").read_bytes(), (LUTECE / "publiccode.yml").read_bytes()
    as_json = client.post("/api/v1/reuse", json={"scenario": scenario, "sbom": sbom.decode(),
                                                 "sbom_name": "sbom.spdx.json", "publiccode": pc.decode()})
    as_form = client.post("/api/v1/reuse", data={"scenario": yaml.safe_dump(scenario)},
                          files={"sbom": ("sbom.spdx.json", sbom), "publiccode": ("publiccode.yml", pc)})
    assert as_json.status_code == as_form.status_code == 200, as_form.text
    a, b = as_json.json(), as_form.json()
    assert a["verdict"] == "permit" and a["solution"]["name"] == "Lutece"
    assert without_inputs(a) == without_inputs(b)
    assert a["provenance"]["inputs"]["sbom.spdx.json"] == b["provenance"]["inputs"]["sbom.spdx.json"]


def test_sbom_equals_the_cli_byte_for_byte(client: TestClient, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(BIDS / "failing" / "sbom.cdx.json", tmp_path / "sbom.cdx.json")
    monkeypatch.chdir(tmp_path)
    data = (tmp_path / "sbom.cdx.json").read_bytes()
    r = client.post("/api/v1/sbom", data={"outbound": "EUPL-1.2", "use": "network-service"},
                    files={"sbom": ("sbom.cdx.json", data)})
    assert r.status_code == 200 and r.json()["verdict"] == "incompatible"
    code, out, _ = coop("sbom", "sbom.cdx.json", "--outbound", "EUPL-1.2", "--use", "network-service",
                        "--format", "json")
    assert code == 1 and r.text == out
    as_json = client.post("/api/v1/sbom", json={"sbom": data.decode(), "sbom_name": "sbom.cdx.json",
                                                "outbound": "EUPL-1.2", "use": "network-service"})
    assert as_json.text == out


def test_tender_equals_the_cli_byte_for_byte(client: TestClient, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(EXAMPLES / "tenders" / "lyon-2026-42.coop", tmp_path / "lyon-2026-42.coop")
    shutil.copy(BIDS / "failing" / "sbom.cdx.json", tmp_path / "sbom.cdx.json")
    monkeypatch.chdir(tmp_path)
    tender, bid = (tmp_path / "lyon-2026-42.coop").read_bytes(), (tmp_path / "sbom.cdx.json").read_bytes()
    r = client.post("/api/v1/tender", data={"offered": "MIT", "date": "2026-03-15"},
                    files={"tender": ("lyon-2026-42.coop", tender), "bid": ("sbom.cdx.json", bid)})
    assert r.status_code == 200 and r.json()["verdict"] == "fail"
    code, out, _ = coop("tender", "lyon-2026-42.coop", "--bid", "sbom.cdx.json", "--offered", "MIT",
                        "--date", "2026-03-15", "--format", "json")
    assert code == 1 and r.text == out


def test_tender_pass(client: TestClient) -> None:
    folder = BIDS / "passing"
    body = {"tender": (EXAMPLES / "tenders" / "lyon-2026-42.coop").read_text(),
            "bid": (folder / "sbom.spdx.json").read_text(),
            "publiccode": (folder / "publiccode.yml").read_text(), "date": "2026-03-15"}
    r = client.post("/api/v1/tender", json=body)
    assert r.status_code == 200 and r.json()["verdict"] == "pass"
    assert r.json()["offered_from"] == "publiccode.yml legal.license"


def test_check_equals_the_cli(client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for f in (EXAMPLES / "agreements").glob("*.coop"):
        shutil.copy(f, tmp_path / f.name)
    monkeypatch.chdir(tmp_path)
    names = sorted(p.name for p in tmp_path.glob("*.coop"))
    r = client.post("/api/v1/check", files=[("files", (n, (tmp_path / n).read_bytes())) for n in names]
                    + [("date", (None, "2026-12-03"))])
    _, out, _ = coop("check", *names, "--date", "2026-12-03", "--format", "json")
    assert r.status_code == 200 and r.text == out
    loaded = client.get("/api/v1/check")
    assert loaded.status_code == 200 and loaded.json()["errors"] == 0
    assert loaded.json()["files"] == sorted(str(Path("examples/agreements") / n) for n in names)


def test_check_reports_errors_as_findings(client: TestClient) -> None:
    r = client.post("/api/v1/check", json={"files": {"bad.coop": 'agreement a "A" {\n  parties x\n  clause c "C" {\n'}})
    assert r.status_code == 200 and r.json()["errors"] >= 1 and r.json()["exit_code"] == 2


# --- bad input: problem+json with the CLI's message, file, line and column -----------------------


def test_bad_expression_is_the_cli_message(client: TestClient) -> None:
    body = is_problem(client.post("/api/v1/compat", json={"inbound": "MIT AND", "outbound": "MIT"}), 400)
    code, _, err = coop("compat", "--inbound", "MIT AND", "--outbound", "MIT")
    assert code == 2 and body["detail"] == err.strip()
    assert (body["file"], body["line"], body["column"], body["code"]) == ("--inbound", 1, 8, "E001")


def test_unknown_licence_has_did_you_mean(client: TestClient) -> None:
    body = is_problem(client.get("/api/v1/licences/Apahce-2.0"), 400)
    assert "Apache-2.0" in body["hint"]
    assert body["detail"] == coop("licence", "Apahce-2.0")[2].strip()


def test_bad_scenario_key_names_the_key(client: TestClient) -> None:
    scenario = scenario_of(SCEN / "dpg-export-controlled.yaml")
    scenario["licence"] = "MIT"
    body = is_problem(client.post("/api/v1/reuse", json={"scenario": scenario}), 400)
    assert body["message"] == "unknown key 'licence'" and "under solution" in body["hint"]


def test_bad_scenario_text_has_line_and_column(client: TestClient) -> None:
    text = "provider: paris\nrecipient: baltimore\nsolution: {name: X}\nuse: saas\n"
    body = is_problem(client.post("/api/v1/reuse", data={"scenario": text}), 400)
    assert (body["file"], body["line"]) == ("<scenario>", 4) and "network-service" in body["hint"]


def test_requests_cannot_name_server_files(client: TestClient) -> None:
    scenario = scenario_of(SCEN / "dpg-export-controlled.yaml")
    body = is_problem(client.post("/api/v1/reuse", json={"scenario": {**scenario, "agreements": ["/etc"]}}), 400)
    assert "cannot name agreement files" in body["message"]
    scenario["solution"]["sbom"] = "/etc/passwd"
    body = is_problem(client.post("/api/v1/reuse", json={"scenario": scenario}), 400)
    assert "cannot name a sbom file" in body["message"]
    # A one-line text is content, never a path on the server.
    body = is_problem(client.post("/api/v1/reuse", data={"scenario": "examples/lutece/scenario.yaml"}), 400)
    assert body["file"] == "<scenario>"


def test_bad_sbom_has_line_and_column(client: TestClient) -> None:
    body = is_problem(client.post("/api/v1/sbom", json={"sbom": '{"spdxVersion": "SPDX-2.3",\n "packages": [,]}',
                                                        "sbom_name": "bad.json", "outbound": "MIT"}), 400)
    assert body["file"] == "bad.json" and body["line"] == 2


def test_broken_tender_file_gives_its_diagnostics(client: TestClient) -> None:
    bid = (BIDS / "passing" / "sbom.spdx.json").read_text()
    body = is_problem(client.post("/api/v1/tender", json={"tender": "tender t {\n", "bid": bid}), 400)
    assert body["file"] == "tender.coop" and body["line"] and body["diagnostics"]


@pytest.mark.parametrize("body", [
    {"inbound": "MIT", "outbound": "MIT", "use": "saas"},
    {"inbound": "MIT"},
    {"inbound": "MIT", "outbound": "MIT", "colour": "red"},
])
def test_wrong_fields_are_422(client: TestClient, body: dict[str, Any]) -> None:
    problem = is_problem(client.post("/api/v1/compat", json=body), 422)
    assert problem["errors"]


def test_body_that_is_not_json(client: TestClient) -> None:
    body = is_problem(client.post("/api/v1/sbom", content=b'{"sbom": ', headers={"content-type": "application/json"}),
                      400)
    assert body["file"] == "request body" and body["line"] == 1


def test_unknown_path_is_a_problem(client: TestClient) -> None:
    is_problem(client.get("/api/v1/nothing"), 404)


# --- limits, headers, description ------------------------------------------------------------------


def test_over_the_upload_limit_is_413(small_client: TestClient) -> None:
    big = b"x" * 10_000
    body = is_problem(small_client.post("/api/v1/sbom", data={"outbound": "MIT"}, files={"sbom": ("a.json", big)}), 413)
    assert "4,096 bytes" in body["detail"]
    page = small_client.post("/sbom", data={"outbound": "MIT"}, files={"sbom": ("a.json", big)})
    assert page.status_code == 413 and page.headers["content-type"].startswith("text/html")
    # Without a Content-Length (a streamed body), the count stops it all the same.
    streamed = small_client.post("/api/v1/compat", content=iter([b"{" + b" " * 3000, b" " * 3000 + b"}"]),
                                 headers={"content-type": "application/json"})
    assert streamed.status_code == 413


def test_security_headers_everywhere(client: TestClient) -> None:
    for url in ("/", "/api/openapi.json", "/api/v1/licences/MIT", "/nowhere"):
        r = client.get(url)
        assert "script-src 'self'" in r.headers["content-security-policy"]
        assert "unsafe-inline" not in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"


def test_openapi_describes_every_endpoint(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/v1/compat", "/api/v1/outbound", "/api/v1/licences/{licence_id}", "/api/v1/reuse", "/api/v1/sbom",
            "/api/v1/tender", "/api/v1/check"} <= paths
    assert not any(p.startswith("/licences") or p == "/" for p in paths)
    reuse = spec["paths"]["/api/v1/reuse"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(reuse)


def test_docs_are_served_from_the_wheel(client: TestClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert "http" not in page.text.replace('href="/', "").split("<body>")[0].replace("http-equiv", "")
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        r = client.get(f"/api/docs/assets/{asset}")
        assert r.status_code == 200 and len(r.content) > 10_000
    assert client.get("/static/swagger-init.js").status_code == 200
