"""The pages and the dossiers without a browser: escaping, valid self-contained HTML, the CLI's --format html,
and ``coop serve``'s start-up errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from coopengine.cli.main import cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BIDS = EXAMPLES / "tenders" / "bids"
MARK = "<script>alert(1)</script>"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Checker(HTMLParser):
    """Well-formed HTML: every element closed in order; no element that would fetch from elsewhere."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.fetches: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "img", "iframe") or (tag == "link" and values.get("rel") != "icon"):
            self.fetches.append(f"<{tag} {values}>")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'} at {self.getpos()}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check_html(text: str) -> Checker:
    assert text.startswith("<!doctype html>")
    c = Checker()
    c.feed(text)
    c.close()
    assert not c.problems, c.problems
    assert c.stack == [], c.stack
    return c


def coop(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("path", ["/", "/licences?q=MIT", "/licences/MIT", "/licences/compare?ids=MIT&ids=EUPL-1.2",
                                  "/compat?inbound=MIT&outbound=GPL-3.0-only", "/compat?inbound=MIT&rank=1",
                                  "/agreements", "/sbom", "/tender", "/licences/nothing", "/nowhere"])
def test_every_page_is_well_formed(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code in (200, 404)
    assert r.headers["content-type"].startswith("text/html")
    check_html(r.text)


def test_user_strings_are_escaped(client: TestClient) -> None:
    params = {"provider": "paris", "recipient": "baltimore", "name": MARK, "licence": "MIT", "use": "internal",
              "attr_key_0": "note", "attr_value_0": MARK, "date": "2025-06-10"}
    page = client.get("/", params=params).text
    assert MARK not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for key, value in (("provider", MARK), ("licence", "LicenseRef-" + MARK), ("attr_key_0", MARK)):
        page = client.get("/", params={**params, key: value}).text
        assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    bom = (BIDS / "failing" / "sbom.cdx.json").read_text().replace('"acme-analytics"', f'"{MARK}"')
    page = client.post("/sbom", data={"outbound": "EUPL-1.2"}, files={"sbom": (f"{MARK}.json", bom.encode())}).text
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)" in page
    page = client.get("/licences", params={"q": MARK}).text
    assert "<script>alert" not in page


def test_reuse_dossier_is_self_contained(client: TestClient) -> None:
    fields = {"provider": "un-agency", "recipient": "gov-ee", "name": "Digital identity crypto module",
              "licence": "Apache-2.0", "use": "distribution", "date": "2025-09-01", "attr_key_0": "domain",
              "attr_value_0": "identity", "attr_key_1": "export-controlled", "attr_value_1": "true",
              "attr_key_2": "dpg-registered", "attr_value_2": "true", "format": "html"}
    r = client.post("/reuse/download", data=fields)
    assert r.status_code == 200 and r.headers["content-disposition"].startswith("attachment;")
    assert "unsafe-inline" in r.headers["content-security-policy"] and "script-src" not in \
        r.headers["content-security-policy"]
    c = check_html(r.text)
    assert c.fetches == []
    text = " ".join(" ".join(c.text).split())
    assert "This reuse is not allowed" in text
    assert "Art. 10 Export restrictions" in text and "Art. 9 Identity systems" in text  # the determining clauses
    assert "Keep the copyright notice and the licence text" in text  # an obligation
    assert "@media print" in r.text


@pytest.mark.parametrize("fmt", ["json", "markdown", "yaml"])
def test_reuse_downloads(client: TestClient, fmt: str) -> None:
    fields = {"provider": "paris", "recipient": "baltimore", "name": "Lutece", "licence": "BSD-3-Clause",
              "use": "network-service", "modified": "on", "date": "2025-06-10", "format": fmt}
    r = client.post("/reuse/download", data=fields)
    assert r.status_code == 200
    if fmt == "yaml":
        import yaml

        scenario = yaml.safe_load(r.text)
        assert scenario["solution"] == {"name": "Lutece", "licence": "BSD-3-Clause"}
        assert scenario["agreements"] == ["examples/agreements"]


def test_cli_html_is_the_page_download(client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`coop sbom/tender --format html` writes the same file the page offers."""
    shutil.copy(BIDS / "failing" / "sbom.cdx.json", tmp_path / "sbom.cdx.json")
    shutil.copy(EXAMPLES / "tenders" / "lyon-2026-42.coop", tmp_path / "lyon-2026-42.coop")
    monkeypatch.chdir(tmp_path)
    bom, tender = (tmp_path / "sbom.cdx.json").read_bytes(), (tmp_path / "lyon-2026-42.coop").read_bytes()
    page = client.post("/sbom/download", data={"outbound": "EUPL-1.2", "format": "html"},
                       files={"sbom": ("sbom.cdx.json", bom)})
    code, out, _ = coop("sbom", "sbom.cdx.json", "--outbound", "EUPL-1.2", "--format", "html")
    assert code == 1 and page.text == out
    check_html(out)
    page = client.post("/tender/download", data={"offered": "MIT", "date": "2026-03-15", "format": "html"},
                       files={"tender": ("lyon-2026-42.coop", tender), "bid": ("sbom.cdx.json", bom)})
    code, out, _ = coop("tender", "lyon-2026-42.coop", "--bid", "sbom.cdx.json", "--offered", "MIT",
                        "--date", "2026-03-15", "--format", "html")
    assert code == 1 and page.text == out
    assert "The bid fails at least one requirement" in out


def test_cli_reuse_html(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = coop("reuse", "--allow-outside", "examples/scenarios/lutece-standing-agreement.yaml",
                        "--format", "html")
    assert code == 0
    c = check_html(out)
    assert c.fetches == []
    text = " ".join(" ".join(c.text).split())
    assert "Reuse allowed without an MOU" in text and "Licence term: BSD-3-Clause" in text
    assert "Open a merge request on the Lutece repository" in text


def test_agreements_page_shows_clauses_and_warnings(client: TestClient) -> None:
    page = client.get("/agreements").text
    assert 'id="paris-baltimore.art3-1"' in page and "solution.source-public" in page
    assert "guardrail" in page
    warnings = [d for d in client.get("/api/v1/check").json()["diagnostics"] if d["severity"] == "warning"]
    assert warnings and all(f"Warning {d['code']}" in page for d in warnings)


def test_serve_without_the_web_extra_says_how_to_install(tmp_path: Path) -> None:
    # A module named like each web dependency that fails to import stands for a missing extra.
    for name in ("fastapi", "uvicorn"):
        (tmp_path / f"{name}.py").write_text("raise ImportError('not installed')\n")
    r = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                        "from coopengine.cli.main import main; main(['serve'])", str(tmp_path)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert "pip install 'coopengine[web]'" in r.stderr and "Traceback" not in r.stderr


def test_serve_stops_on_a_broken_agreement(tmp_path: Path) -> None:
    (tmp_path / "bad.coop").write_text('agreement a "A" {\n  parties x, y\n  clause c "C" {\n    then allow\n  }\n}\n')
    r = subprocess.run([sys.executable, "-m", "coopengine", "serve", "--agreements", str(tmp_path), "--port", "0"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    check = subprocess.run([sys.executable, "-m", "coopengine", "check", str(tmp_path)], capture_output=True,
                           text=True, timeout=120)
    errors = [line for line in check.stdout.splitlines() if ": E" in line]
    assert errors and all(e in r.stderr for e in errors)


def test_cli_start_up_does_not_import_the_web_stack() -> None:
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "coopengine", "--help"], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0
    imported = {line.split("|")[-1].strip() for line in r.stderr.splitlines() if "|" in line}
    assert not imported & {"fastapi", "starlette", "uvicorn", "jinja2", "pydantic"}


def test_links_follow_the_proxy_prefix() -> None:
    from coopengine.web.app import create_app
    from coopengine.web.library import open_workspace

    with TestClient(create_app(open_workspace([])), root_path="/workbench") as c:
        page = c.get("/licences", params={"q": "MIT"}).text
    assert 'href="/workbench/static/coop.css"' in page and 'href="/workbench/licences/MIT"' in page
    assert 'action="/workbench/licences/compare"' in page


def test_a_stalled_upload_gets_408_not_a_hung_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from web_server import running  # type: ignore[import-not-found]

    from coopengine.web import app as web_app

    monkeypatch.setattr(web_app, "BODY_TIMEOUT", 0.5)
    with running() as base:
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as s:
            s.sendall(b"POST /api/v1/compat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 100\r\n\r\n{\"inbound\": ")
            answer = s.recv(4096).decode()
    assert answer.startswith("HTTP/1.1 408") and "application/problem+json" in answer


@pytest.mark.parametrize("licence", ["Apache-2.0", "GPL-2.0-only", "EUPL-1.2"])
def test_licence_page_says_sources_disagree_only_when_they_do(client: TestClient, licence: str) -> None:
    facts = client.get(f"/api/v1/licences/{licence}").json()
    pairs = [p for key in ("incompatible", "compatible") for p in facts[key] if p.get("positions")]
    differ = sum(1 for p in pairs if len({x["says"] for x in p["positions"]}) > 1)
    page = client.get(f"/licences/{licence}").text
    assert page.count("Sources disagree.") == differ
    assert page.count("The engine follows <strong>") == differ
    for source in facts["sources"]:
        assert source["url"] in page


@pytest.mark.parametrize(("host", "warned"), [("127.0.0.1", False), ("localhost", False), ("::1", False),
                                              ("0.0.0.0", True), ("192.168.1.20", True)])
def test_serve_warns_off_loopback(monkeypatch: pytest.MonkeyPatch, host: str, warned: bool) -> None:
    import uvicorn

    started: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.update(kw))
    code, out, err = coop("serve", "--agreements", "examples/agreements", "--host", host, "--port", "9999",
                          "--max-upload", "5M")
    assert code == 0, err
    assert started["host"] == host and started["port"] == 9999
    assert ("no authentication" in err) is warned
    assert f"the workbench is at http://{'[::1]' if host == '::1' else host}:9999/" in out


def test_licence_finder_filters_on_what_a_licence_lets_you_do(client: TestClient) -> None:
    page = client.get("/licences", params={"lets": "patent-licence", "curated": "yes"}).text
    assert "Apache-2.0" in page and "EUPL-1.2" in page
    assert ">MIT<" not in page and ">CC0-1.0<" not in page  # MIT is silent on patents, CC0 withholds them
    page = client.get("/licences", params={"lets": "!patent-licence"}).text
    assert ">CC0-1.0<" in page and ">Apache-2.0<" not in page
    assert "does not let you use the contributors&#39; patents" in page


def test_licence_page_shows_each_permission_with_its_source(client: TestClient) -> None:
    page = client.get("/licences/EUPL-1.2").text
    assert "What it lets you do" in page and "EUPL-1.2 Article 2, last paragraph" in page
    assert "criteria 1, 3, 5 and 6" in page
    assert "Article 2, point (12)" in page  # the Interoperable Europe Act's open-source licence
    page = client.get("/licences/JSON").text
    assert "<strong>Does not let you</strong> reuse, redistribute and modify the code for all uses" in page
    page = client.get("/licences/SSPL-1.0").text
    assert "No source in the knowledge base says what this licence lets you do" in page


def test_catalogue_page_decides_uploaded_files(client: TestClient) -> None:
    root = Path(__file__).resolve().parents[2] / "examples" / "catalogue"
    files = [("publiccode", (f"{p.parent.name}.yml", p.read_bytes(), "application/yaml"))
             for p in sorted(root.glob("*/publiccode.yml"))]
    page = client.post("/catalogue", data={"recipient": "baltimore", "use": "network-service", "date": "2026-06-01",
                                           "parties": "Ville de Paris = paris"}, files=files).text
    assert page.count("<tr>") == len(files) + 1
    assert "lutece.yml" in page and "Could not be read" in page and "coop-catalogue-" not in page
    missing = client.post("/catalogue", data={"recipient": "baltimore"}, files=[("publiccode", ("a.yml", b"", ""))])
    assert missing.status_code == 400 and "Choose one or more publiccode.yml files" in missing.text
    odd = client.post("/catalogue", data={"recipient": "baltimore"}, files=[(
        "publiccode", ("odd.yml", b'name: "Evil\\u202e tool"\nlegal:\n  license: MIT\n', "application/yaml"))])
    assert "\u202e" not in odd.text and "Evil\\u202e tool" in odd.text
    bad = client.post("/catalogue", data={"recipient": "baltimore", "parties": "no equals sign"},
                      files=files[:1])
    assert bad.status_code == 400 and "Line 1 of the party mapping" in bad.text
