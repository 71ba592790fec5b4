"""The three-valued evaluator the decision engine uses."""

from __future__ import annotations

import datetime as dt

from coopengine.language import evaluate, parse_text
from coopengine.language.model import CompatibleWith, Condition


def cond(text: str) -> Condition:
    module, diagnostics = parse_text(
        'party a "A"\nagreement x "X" {\n parties a, a\n effective 2024-01-01\n'
        f' clause c "C" {{ when {text} }}\n}}\n',
        "e.coop",
    )
    assert module is not None, [d.render() for d in diagnostics]
    when = module.items[1].clauses[0].when  # type: ignore[union-attr]
    assert when is not None
    return when


def test_kleene_logic() -> None:
    c = cond("use == network-service and solution.source-public")
    assert evaluate(c, {"use": "network-service", "solution.source-public": True}) is True
    assert evaluate(c, {"use": "internal"}) is False  # false whatever the unknown fact
    assert evaluate(c, {"use": "network-service"}) is None
    assert evaluate(cond("modified or solution.x"), {"modified": True}) is True
    assert evaluate(cond("not solution.x"), {}) is None


def test_dates_numbers_and_sets() -> None:
    assert evaluate(cond("date >= 2025-01-01"), {"date": dt.date(2025, 6, 1)}) is True
    assert evaluate(cond("date < 2025-01-01"), {"date": "2025-06-01"}) is False
    assert evaluate(cond("solution.size > 10"), {"solution.size": 12}) is True
    assert evaluate(cond("solution.owner in {a, b}"), {"solution.owner": "b"}) is True
    assert (
        evaluate(cond('solution.classification == "restricted"'), {"solution.classification": "public"})
        is False
    )


def test_licence_oracle_answers_licence_atoms() -> None:
    c = cond('licence.osi-approved and licence compatible-with "GPL-3.0-or-later" and modified')
    asked: list[Condition] = []

    def oracle(atom: Condition) -> bool | None:
        asked.append(atom)
        return True

    assert evaluate(c, {"modified": True}, oracle) is True
    assert any(isinstance(a, CompatibleWith) for a in asked)
