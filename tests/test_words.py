"""The contract's words are defined once, in coopengine.words; the knowledge-base schema and the language read them."""

from __future__ import annotations

from typing import get_args

from coopengine.knowledge import schema
from coopengine.language import vocab
from coopengine.words import CATEGORIES, COPYLEFTS, LINKINGS, USES


def test_schema_literals_match_the_words() -> None:
    assert get_args(schema.Use) == USES
    assert get_args(schema.Category) == CATEGORIES
    assert get_args(schema.Copyleft) == COPYLEFTS


def test_language_vocabulary_uses_the_words() -> None:
    assert (vocab.USES, vocab.LINKINGS, vocab.CATEGORIES, vocab.COPYLEFTS) == (USES, LINKINGS, CATEGORIES, COPYLEFTS)
