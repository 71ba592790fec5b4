"""Nothing from an input reaches the terminal as a control or invisible character; long text is kept short."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopengine.cli.common import wrap
from coopengine.cli.main import main
from coopengine.errors import caret_excerpt, clip, printable


@settings(max_examples=500)
@given(st.text(alphabet=st.characters(codec=None)) | st.text())
def test_printable_leaves_no_control_or_format_character(text: str) -> None:
    shown = printable(text)
    for ch in shown:
        assert ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Zl", "Zp"), (text, shown)
    assert "\n" not in printable(text, newlines=False)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp"))))
def test_printable_keeps_ordinary_text(text: str) -> None:
    assert printable(text) == text


def test_escapes_are_readable() -> None:
    assert printable("a\x1b[2K\rb\x00\x7f\x85\u202e") == "a\\x1b[2K\\x0db\\x00\\x7f\\x85\\u202e"
    assert printable("MIT\udcff") == "MIT\\xff"  # a byte that was not UTF-8
    assert printable("tag\U000e0041 x\u2028y") == "tag\\U000e0041 x\\u2028y"


def test_long_text_is_clipped_and_carets_stay_in_the_window() -> None:
    assert len(clip("x" * 1_000_000)) < 400
    excerpt = caret_excerpt("y" * 1_000_000, 10, 1_000_000)
    assert len(excerpt) < 400


def test_wrap_keeps_the_indent_and_the_width() -> None:
    line = "  - " + " ".join(["word"] * 40)
    out = wrap(line, 50).split("\n")
    assert len(out) > 1 and all(len(x) <= 50 for x in out)
    assert all(x.startswith("      ") for x in out[1:])


@pytest.mark.parametrize("argv", [["ex\x1b[2Jpr"],
                                  ["compat", "--inbound", "MIT", "--outbound", "MIT", "--use", "\x1b]0;t\x07"]])
def test_usage_errors_quote_arguments_escaped(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        main(argv)
    assert ended.value.code == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b" in err


def test_html_pages_escape_what_they_show() -> None:
    from coopengine.explain_html import _env

    page = _env().from_string("<p>{{ name }}</p>").render(name="agpl\u202e<b>\x1b[2K")
    assert page == "<p>agpl\\u202e&lt;b&gt;\\x1b[2K</p>"
