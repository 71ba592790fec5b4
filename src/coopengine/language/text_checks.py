"""Checks on a .coop file's text as a whole, before and beside its grammar.

The grammar lets any character through inside strings and comments, and an empty file
parses as an empty module; both deserve a word. A control character (NUL, ESC, ...) in a
party name or a clause title would be echoed into reports and terminals, so it is an error
naming the code point; a file with nothing in it is a warning (a wrong path or a truncated
copy is likelier than an empty file on purpose).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping

from .diagnostics import Diagnostic, make
from .model import Module, Span

__all__ = ["text_diagnostics"]

# C0 controls except tab, line feed and carriage return; DEL; C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _name(ch: str) -> str:
    """``U+0000 (NUL)``: the code point and, where Unicode has none, the control's usual name."""
    short = {"\x00": "NUL", "\x1b": "ESC", "\x7f": "DEL", "\x08": "BS", "\x0c": "FF", "\x0b": "VT"}
    label = short.get(ch) or unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" ({label})" if label else "")


def text_diagnostics(
    text: str, file: str, lines: tuple[str, ...], module: Module | None
) -> Iterator[Diagnostic]:
    by_file: Mapping[str, tuple[str, ...]] = {file: lines}
    # One scan of the whole text; the line-by-line walk only for a file that has one.
    for number, line in enumerate(lines if _CONTROL.search(text) else (), start=1):
        for match in _CONTROL.finditer(line):
            col = match.start() + 1
            yield make(
                "E110",
                f"control character {_name(match.group())} in the file",
                Span(file, number, col, number, col + 1),
                lines=by_file,
                hint="remove it; write text with printable characters only",
            )
    if module is not None and not module.items:
        what = "is empty" if not text.strip() else "has only comments"
        yield make("W411", f"the file {what}: it declares nothing", Span(file, 1, 1, 1, 1), lines=by_file,
                   hint="check the path; a .coop file declares parties, agreements or tenders")
