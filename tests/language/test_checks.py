"""Warnings and cross-file name resolution."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import pytest

from coopengine.language import check, check_text, vocab

HEAD = 'party a "A" kind city\nparty b "B" kind region\nagreement x "X" {\n  parties a, b\n  effective 2024-01-01\n'  # noqa: E501
DAY = dt.date(2025, 6, 10)


def codes(text: str, day: dt.date = DAY) -> list[str]:
    return [d.code for d in check_text(text, "t.coop", date=day).diagnostics]


def test_conflict_with_example_scenario() -> None:
    text = HEAD + (
        '  clause p "P" ref "p" { when use == internal then permit }\n'
        '  clause q "Q" ref "q" { when modified then deny }\n}\n'
    )
    result = check_text(text, "t.coop", date=DAY)
    (w,) = [d for d in result.diagnostics if d.code == "W401"]
    assert w.example is not None
    assert w.example["use"] == "internal" and w.example["modified"] is True
    assert {w.example["provider"], w.example["recipient"]} == {"a", "b"}
    assert "example (scenario facts):" in w.render()


def test_exception_is_not_a_conflict() -> None:
    text = HEAD + (
        '  clause p "P" ref "p" { when use == internal then permit }\n'
        '  clause q "Q" ref "q" exception to p { when modified then deny }\n}\n'
    )
    assert "W401" not in codes(text)


def test_guardrail_silences_conflict_and_shadows() -> None:
    text = HEAD + (
        '  clause p "P" ref "p" { when modified then permit }\n'
        '  guardrail g "G" ref "g" { when modified or not modified then deny }\n}\n'
    )
    assert "W403" in codes(text)


def test_unreachable_and_defeated() -> None:
    text = HEAD + (
        '  clause p "P" ref "p" { when use == internal and use == distribution then permit }\n'
        '  clause q "Q" ref "q" { when modified then permit }\n'
        '  clause r "R" ref "r" exception to q { when true then deny }\n}\n'
    )
    found = codes(text)
    assert "W402" in found and "W408" in found


def test_unknown_free_attribute_keeps_clause_reachable() -> None:
    text = HEAD + '  clause p "P" ref "p" { when solution.secret == "x" then permit }\n}\n'
    assert "W402" not in codes(text)


def test_expiry_warnings() -> None:
    text = 'party a "A"\nparty b "B"\nagreement x "X" {\n parties a, b\n effective 2020-01-01 until 2025-08-01\n}\n'  # noqa: E501
    assert "W405" in codes(text, dt.date(2025, 6, 10))
    assert "W404" in codes(text, dt.date(2025, 9, 1))
    assert not {"W404", "W405", "W410"} & set(codes(text, dt.date(2024, 1, 1)))
    assert [c for c in codes(text, dt.date(2019, 6, 1)) if c in ("W404", "W405", "W410")] == ["W410"]


def test_missing_ref_and_unused_party() -> None:
    text = 'party c "C"\n' + HEAD + '  clause p "P" { then permit }\n}\n'
    found = codes(text)
    assert "W406" in found and "W407" in found


def test_tender_contradiction() -> None:
    text = (
        'party l "L"\ntender t "T" {\n buyer l\n deliverable "MIT"\n'
        ' requirement r1 "R1" ref "1" { every component satisfies licence.copyleft == network }\n'
        ' requirement r2 "R2" ref "2" { no component satisfies licence.category == network-copyleft }\n}\n'
    )
    assert "W409" in codes(text)


def test_names_resolve_across_files(tmp_path: Path) -> None:
    (tmp_path / "parties.coop").write_text('party a "A"\nparty b "B"\n', encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "x.coop").write_text(
        HEAD.split("agreement", 1)[0].replace("party", "# party")
        + ('agreement x "X" {\n parties a, b\n effective 2024-01-01\n}\n'),
        encoding="utf-8",
    )
    result = check([tmp_path], date=DAY)
    assert not result.errors, [d.render() for d in result.errors]
    (sub / "dup.coop").write_text('party a "A twice"\n', encoding="utf-8")
    result = check([tmp_path], date=DAY)
    (dup,) = [d for d in result.errors if d.code == "E201"]
    assert "parties.coop:1" in dup.message and dup.related


def test_cross_agreement_exception_needs_refines() -> None:
    base = (
        'party a "A"\nparty b "B"\nagreement base "B" {\n parties a, b\n effective 2024-01-01\n'
        ' clause c "C" ref "c" { oblige o "O" }\n}\n'
    )
    ok = (
        base + 'agreement y "Y" {\n parties a, b\n effective 2024-01-01\n refines base\n'
        ' clause d "D" ref "d" exception to base.c { waive o }\n}\n'
    )
    assert not check_text(ok, "t.coop", date=DAY).errors
    bad = ok.replace("waive o", "waive p")
    assert "E210" in codes(bad)


def test_several_syntax_errors_in_one_run() -> None:
    text = 'party a "A" kind\nparty b "B"\nagreement x "X" { parties a, b effective 2024-01-01 clause }\nparty c "C"\n'  # noqa: E501
    found = [d for d in check_text(text, "t.coop").diagnostics if d.code.startswith("E1")]
    assert len(found) >= 2


def test_examples_check_clean() -> None:
    root = Path(__file__).resolve().parents[2] / "examples"
    result = check([root / "agreements", root / "tenders"], date=DAY)
    assert not result.errors, [d.render() for d in result.errors]
    assert not result.warnings, [d.render() for d in result.warnings]
    assert result.program is not None and len(result.program.agreements) >= 4


def test_number_with_too_many_digits_is_an_error_not_a_crash() -> None:
    # Python refuses to convert integers of more than 4,300 digits (ValueError).
    text = HEAD + '  clause p "P" ref "p" { when solution.n == ' + "1" * 5000 + " then permit }\n}\n"
    result = check_text(text, "t.coop", date=DAY)
    (e,) = result.errors
    assert e.code == "E109" and (e.line, e.column) == (6, 45)
    assert "not a usable number" in e.message


@pytest.mark.parametrize("sample", vocab.SAMPLE_LICENCES, ids=lambda s: str(s["licence.id"]))
def test_sample_licences_have_the_knowledge_bases_facts(sample: Mapping[str, object]) -> None:
    """The examples `coop check` prints name these licences with these facts: each fact the
    knowledge base knows for the licence must be the sample's."""
    from coopengine.engine import condition_facts
    from coopengine.expressions import leaves, parse_expression
    from coopengine.knowledge import load_knowledge

    (leaf,) = leaves(parse_expression(str(sample["licence.id"])).expression)
    known = condition_facts(load_knowledge(), leaf)
    assert {k: v for k, v in known.items() if k in sample} == {k: sample[k] for k in known if k in sample}
