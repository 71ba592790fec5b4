"""The workbench in a real headless Chromium (Playwright, the system's browser): what a lawyer does.

Each test saves screenshots of the pages it visits at 1280 and 400 px under its temporary
folder (and into ``$COOP_SCREENSHOTS`` when set, to look at them by hand).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web_server import CHROMIUM, CHROMIUM_ARGS, running  # type: ignore[import-not-found]

sync_api = pytest.importorskip("playwright.sync_api")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
LUTECE = EXAMPLES / "lutece"
BIDS = EXAMPLES / "tenders" / "bids"
WIDTHS = (1280, 400)


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with running(["examples/agreements"]) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing (.ci/run installs the chromium package)")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Visit:
    """One browser page on the workbench that records every request it makes and every dialog."""

    def __init__(self, browser: Any, base: str, tmp: Path, name: str, *, js: bool = True) -> None:
        self.base, self.tmp, self.name = base, tmp, name
        self.context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900}, java_script_enabled=js,
                                           accept_downloads=True)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("console", self._console)

    def _console(self, message: Any) -> None:
        # A 400 for bad input is an answer, not a fault; anything else (a CSP violation, a script error) is.
        if message.type == "error" and "status of 400" not in message.text:
            self.errors.append(message.text)

    def go(self, path: str) -> Any:
        self.page.goto(self.base + path)
        return self.page

    def shoot(self, label: str) -> None:
        """Screenshots at each width, whole page."""
        for width in WIDTHS:
            self.page.set_viewport_size({"width": width, "height": 900})
            target = self.tmp / f"{self.name}-{label}-{width}.png"
            self.page.screenshot(path=str(target), full_page=True)
            extra = os.environ.get("COOP_SCREENSHOTS")
            if extra:
                Path(extra).mkdir(parents=True, exist_ok=True)
                shutil.copy(target, Path(extra) / target.name)
        self.page.set_viewport_size({"width": WIDTHS[0], "height": 900})

    def close(self) -> None:
        # Nothing leaves the machine: every request went to the workbench itself.
        outside = [u for u in self.requests if not u.startswith(self.base) and not u.startswith("data:")]
        assert not outside, outside
        assert not self.dialogs, self.dialogs
        assert not self.errors, self.errors
        self.context.close()


@pytest.fixture()
def visit(browser: Any, base: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Any]:
    opened: list[Visit] = []

    def make(js: bool = True) -> Visit:
        v = Visit(browser, base, tmp_path, request.node.name.removeprefix("test_"), js=js)
        opened.append(v)
        return v

    yield make
    for v in opened:
        v.close()


def fill_reuse(page: Any, provider: str, recipient: str, *, name: str = "", licence: str = "", use: str,
               modified: bool = False, date: str = "", attributes: dict[str, str] | None = None) -> None:
    page.fill("#provider", provider)
    page.fill("#recipient", recipient)
    if name:
        page.fill("#name", name)
    if licence:
        page.fill("#licence", licence)
    if date:
        page.fill("#date", date)
    page.check(f"input[name=use][value={use}]")
    if modified:
        page.check("input[name=modified]")
    for i, (k, v) in enumerate((attributes or {}).items()):
        page.fill(f"input[name=attr_key_{i}]", k)
        page.fill(f"input[name=attr_value_{i}]", v)


def test_lutece_from_the_form(visit: Any) -> None:
    v = visit()
    page = v.go("/")
    v.shoot("form")
    fill_reuse(page, "paris", "baltimore", use="network-service", modified=True, date="2025-06-10",
               attributes={"source-public": "true", "classification": "public"})
    page.set_input_files("#sbom", str(LUTECE / "sbom.spdx.json"))
    page.set_input_files("#publiccode", str(LUTECE / "publiccode.yml"))
    page.click("button[type=submit]")
    assert page.text_content("#verdict-word") == "Reuse allowed without an MOU"
    decided = page.text_content("ul.decided") or ""
    assert "BSD-3-Clause" in decided
    assert "Lutece" in (page.text_content(".verdict") or "")
    checklist = page.text_content("ul.checklist") or ""
    assert "merge request" in checklist
    v.shoot("result")
    # The dossier downloads, and opened on its own it fetches nothing.
    with page.expect_download() as info:
        page.click("button[name=format][value=html]")
    dossier = Path(info.value.path())
    text = dossier.read_text()
    assert "Reuse allowed without an MOU" in text and "<script" not in text
    seen: list[str] = []
    other = v.context.new_page()
    other.on("request", lambda r: seen.append(r.url))
    other.goto(dossier.as_uri())
    assert seen == [dossier.as_uri()]
    other.close()
    with page.expect_download() as info:
        page.click("button[name=format][value=yaml]")
    scenario = Path(info.value.path()).read_text()
    assert "sbom: sbom.spdx.json" in scenario and "agreements:" in scenario


def test_undetermined_shows_the_missing_fact(visit: Any) -> None:
    v = visit()
    page = v.go("/")
    fill_reuse(page, "paris", "baltimore", name="Lutece", licence="BSD-3-Clause", use="network-service",
               modified=True, date="2025-06-10", attributes={"source-public": "true"})
    page.click("button[type=submit]")
    assert "Cannot be decided" in (page.text_content("#verdict-word") or "")
    assert "solution.classification" in (page.text_content("main") or "")
    v.shoot("result")


def test_deny_guardrail(visit: Any) -> None:
    v = visit()
    page = v.go("/")
    fill_reuse(page, "un-agency", "gov-ee", name="Digital identity crypto module", licence="Apache-2.0",
               use="distribution", date="2025-09-01",
               attributes={"dpg-registered": "true", "processes-personal-data": "false", "domain": "identity",
                           "export-controlled": "true"})
    page.click("button[type=submit]")
    assert page.text_content("#verdict-word") == "This reuse is not allowed"
    decided = page.text_content("ul.decided") or ""
    assert "guardrail" in decided and "Export restrictions" in decided
    v.shoot("result")
    page.click("ul.decided a:has-text('Read the clause')")
    assert "/agreements#un-dpg." in page.url
    v.shoot("agreements")


def test_licence_search_with_a_typo(visit: Any) -> None:
    v = visit()
    page = v.go("/licences")
    page.fill("#q", "Apahce-2.0")
    page.click("button:has-text('Search')")
    assert "Did you mean" in (page.text_content("main") or "")
    v.shoot("did-you-mean")
    page.click("a:has-text('Apache-2.0')")
    assert page.text_content("h1") == "Apache License 2.0"
    assert "Obligations by use" in (page.text_content("main") or "")
    v.shoot("licence")


def test_compare_three_licences(visit: Any) -> None:
    v = visit()
    page = v.go("/licences?q=GPL-3.0")
    for lid in ("GPL-3.0-only", "AGPL-3.0-only", "LGPL-3.0-only"):
        page.check(f"input[name=ids][value='{lid}']")
    page.click("button:has-text('Compare')")
    heads = page.locator("table.compare thead th").all_text_contents()
    assert len(heads) == 4 and all(any(lid in h for h in heads) for lid in ("GPL-3.0-only", "AGPL-3.0-only"))
    v.shoot("compare")


def test_sbom_upload_shows_the_blocking_component(visit: Any) -> None:
    v = visit()
    page = v.go("/sbom")
    page.set_input_files("#sbom", str(BIDS / "failing" / "sbom.cdx.json"))
    page.fill("#outbound", "EUPL-1.2")
    page.click("button[type=submit]")
    assert page.text_content("#verdict-word") == "At least one component cannot go into the work"
    assert "acme-analytics" in (page.text_content("ul.decided") or "")
    v.shoot("result")


def test_tender_with_a_failing_bid_and_its_annex(visit: Any) -> None:
    v = visit()
    page = v.go("/tender")
    page.set_input_files("#tender", str(EXAMPLES / "tenders" / "lyon-2026-42.coop"))
    page.set_input_files("#bid", str(BIDS / "failing" / "sbom.cdx.json"))
    page.fill("#offered", "MIT")
    page.fill("#date", "2026-03-15")
    page.click("button[type=submit]")
    assert page.text_content("#verdict-word") == "The bid fails at least one requirement"
    v.shoot("result")
    with page.expect_download() as info:
        page.click("button[name=format][value=markdown]")
    annex = Path(info.value.path()).read_text()
    assert info.value.suggested_filename == "annex-lyon-2026-42.md"
    assert "acme-analytics" in annex and "fail" in annex.lower()


def test_compat_page_names_the_choice(visit: Any) -> None:
    v = visit()
    page = v.go("/compat")
    page.fill("#inbound", "MIT OR Apache-2.0")
    page.fill("#outbound", "GPL-2.0-only")
    page.click("button:has-text('Check compatibility')")
    assert page.text_content("#verdict-word") == "Compatible"
    assert "MIT" in (page.text_content(".verdict .facts") or "")
    v.shoot("result")


def test_the_form_works_without_javascript(visit: Any) -> None:
    v = visit(js=False)
    page = v.go("/")
    fill_reuse(page, "paris", "baltimore", name="Lutece", licence="BSD-3-Clause", use="network-service",
               modified=True, date="2025-06-10", attributes={"source-public": "true", "classification": "public"})
    page.click("button[type=submit]")
    assert page.text_content("#verdict-word") == "Reuse allowed without an MOU"
    details = page.locator("details").first
    details.locator("summary").click()
    v.shoot("result")


def test_live_expression_check(visit: Any) -> None:
    v = visit()
    page = v.go("/")
    page.fill("#licence", "MIT OR")
    page.wait_for_selector("#licence-live.bad")
    page.fill("#licence", "mit or apache-2.0")
    page.wait_for_selector("#licence-live.ok")
    assert "MIT OR Apache-2.0" in (page.text_content("#licence-live") or "")


MARK = "<script>alert(1)</script>"


def test_user_strings_show_as_text(visit: Any, tmp_path: Path) -> None:
    v = visit()
    page = v.go("/")
    fill_reuse(page, "paris", "baltimore", name=MARK, licence="BSD-3-Clause", use="internal",
               attributes={"note": MARK})
    page.click("button[type=submit]")
    assert MARK in (page.text_content(".verdict") or "")
    assert page.input_value("input[name=attr_value_0]") == MARK
    v.shoot("solution-name")
    # A party name, an attribute name and a LicenseRef- come back in error messages.
    for field, value, shown in (("#provider", MARK, MARK), ("#licence", "LicenseRef-" + MARK, "<script>alert")):
        page = v.go("/")
        fill_reuse(page, "paris", "baltimore", licence="MIT", use="internal")
        page.fill(field, value)
        page.click("button[type=submit]")
        assert shown in (page.text_content(".error") or "")
    page = v.go("/")
    fill_reuse(page, "paris", "baltimore", licence="MIT", use="internal", attributes={MARK: "1"})
    page.click("button[type=submit]")
    assert MARK in (page.text_content(".error") or "")
    v.shoot("error")
    bom = (BIDS / "failing" / "sbom.cdx.json").read_text().replace('"acme-analytics"', f'"{MARK}"')
    (tmp_path / "bom.cdx.json").write_text(bom)
    page = v.go("/sbom")
    page.set_input_files("#sbom", str(tmp_path / "bom.cdx.json"))
    page.fill("#outbound", "EUPL-1.2")
    page.click("button[type=submit]")
    assert MARK in (page.text_content("ul.decided") or "")
    v.shoot("sbom-component")


def test_every_page_at_both_widths(visit: Any) -> None:
    v = visit()
    for path, label in (("/licences?q=EUPL", "licences"), ("/licences/EUPL-1.2", "licence"),
                        ("/agreements", "agreements"), ("/compat?inbound=LGPL-2.1-only&rank=1", "outbound"),
                        ("/sbom", "sbom"), ("/tender", "tender")):
        v.go(path)
        v.shoot(label)
    page = v.go("/api/docs")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() >= 8
    v.shoot("api-docs")


def test_what_can_we_reuse(visit: Any) -> None:
    # The catalogue page: several real publiccode.yml files at once (examples/catalogue/ORIGIN.md).
    v = visit()
    page = v.go("/catalogue")
    v.shoot("form")
    files = sorted(str(p) for p in (EXAMPLES / "catalogue").glob("*/publiccode.yml"))
    page.set_input_files("#publiccode", files)
    page.fill("#recipient", "baltimore")
    page.select_option("#use", "network-service")
    page.fill("#date", "2026-06-01")
    page.fill("#parties", "Ville de Paris = paris")
    page.click("button[type=submit]")
    rows = page.locator("#catalogue-results tbody tr")
    assert rows.count() == len(files)
    first = rows.nth(0).text_content() or ""
    assert "Reuse allowed without an MOU" in first
    text = page.text_content("#catalogue-results") or ""
    assert "Could not be read" in text and "Line 5" in text  # the broken file, by its uploaded name
    assert "/tmp/" not in (page.content())  # where the server put the uploads is never shown
    v.shoot("result")
