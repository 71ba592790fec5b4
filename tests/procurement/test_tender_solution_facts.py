"""A tender can ask about the bid's solution as its publiccode.yml describes it (``solution.*``,
docs/publiccode.md) in ``offered satisfies``: maintained under contract, no required
proprietary dependency. Without a publiccode.yml those facts are unknown, never false."""

from __future__ import annotations

from pathlib import Path

from coopengine import check_agreements, check_tender

ROOT = Path(__file__).resolve().parents[2]
WAI = ROOT / "examples" / "catalogue" / "wai-portal" / "publiccode.yml"  # real: AgID (ORIGIN.md)
BID = ROOT / "examples" / "tenders" / "bids" / "passing" / "sbom.spdx.json"
TENDER = {"tender.coop": '''
party city "City" kind city
tender t1 "Analytics platform" {
  buyer city
  deliverable "EUPL-1.2"
  requirement maintained "Maintained under contract" ref "4.1" {
    offered satisfies solution.maintenance.type == contract
  }
  requirement open "An open-source licence, no proprietary dependency" ref "4.2" {
    offered satisfies licence.iea-open-source and not solution.depends-on.proprietary-required
  }
}
'''}


def test_the_bids_publiccode_answers_solution_facts() -> None:
    assert not check_agreements(TENDER).errors  # solution.* paths are known in a tender
    result = check_tender(TENDER, BID, publiccode=WAI, date="2026-06-01").to_dict()
    by_id = {r["id"]: r for r in result["requirements"]}
    assert by_id["maintained"]["result"] == "pass"
    assert "solution.maintenance.type is contract" in by_id["maintained"]["evidence"][0]["why"]
    assert by_id["open"]["result"] == "pass"


def test_without_a_publiccode_the_facts_are_unknown() -> None:
    result = check_tender(TENDER, BID, offered="EUPL-1.2", date="2026-06-01").to_dict()
    by_id = {r["id"]: r for r in result["requirements"]}
    assert by_id["maintained"]["result"] == "unknown"
    assert "is not given by the bid" in by_id["maintained"]["evidence"][0]["why"]


def test_a_misspelt_solution_fact_is_an_error() -> None:
    bad = {"tender.coop": TENDER["tender.coop"].replace("solution.maintenance.type", "solution.maintenance.typ")}
    errors = check_agreements(bad).errors
    assert errors and "maintenance.type" in (errors[0].hint or "")
