"""coop fmt: canonical, idempotent, meaning-preserving, comments kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from coopengine.language import LanguageError, format_text, parse_text

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").rglob("*.coop"))

MESSY = """# leading comment
party   a "A"   kind city
party b "B" # trailing on b
agreement x "X" {   effective 2024-01-01 until 2026-01-01
  parties a,b
  # about the clause
  clause c "C \\"quoted\\"" ref "c" {
      then   deny
      when (use == internal or modified) and not (linking == static)   oblige o "O", p
  }
}
# the end
"""


def test_messy_layout_is_canonicalised() -> None:
    out = format_text(MESSY)
    assert out == (
        "# leading comment\n"
        'party a "A" kind city\n'
        'party b "B"  # trailing on b\n'
        "\n"
        'agreement x "X" {\n'
        "  parties a, b\n"
        "  effective 2024-01-01 until 2026-01-01\n"
        "\n"
        "  # about the clause\n"
        '  clause c "C \\"quoted\\"" ref "c" {\n'
        "    when (use == internal or modified) and not linking == static\n"
        "    then deny\n"
        '    oblige o "O"\n'
        "    oblige p\n"
        "  }\n"
        "}\n"
        "# the end\n"
    )


@pytest.mark.parametrize("text", [MESSY, *[p.read_text(encoding="utf-8") for p in EXAMPLES]])
def test_idempotent_and_meaning_preserving(text: str) -> None:
    once = format_text(text)
    assert format_text(once) == once
    assert parse_text(once)[0] == parse_text(text)[0]
    assert [line.strip() for line in text.splitlines() if line.strip().startswith("#")] == [
        line.strip() for line in once.splitlines() if line.strip().startswith("#")
    ]


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_examples_are_formatted(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert format_text(text) == text


def test_syntax_error_raises_language_error() -> None:
    with pytest.raises(LanguageError) as info:
        format_text('party a "A" kind', "bad.coop")
    assert "bad.coop:1" in info.value.render()


def test_braces_and_comments_are_found_outside_strings_only() -> None:
    from coopengine.language.parser import _open_brace, code_characters

    line = 'clause c "a { # \\" }" { # a { comment'
    assert list(code_characters(line, "{}#")) == [(22, "{"), (24, "#")]
    text = 'agreement x "X {" {\n  text "}"  # }\n  clause c "C" {\n  }\n'
    assert _open_brace(text, len(text)) == (1, 19)
    assert _open_brace(text, text.index("  }")) == (3, 16)
