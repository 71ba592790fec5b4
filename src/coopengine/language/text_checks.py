"""Checks on a .coop file's text as a whole, before and beside its grammar.

The grammar lets any character through inside strings and comments, and an empty file
parses as an empty module; both deserve a word. A control character (NUL, ESC, ...) in a
party name or a clause title would be echoed into reports and terminals, and an invisible
format character (a bidi override, a zero-width space) makes a reviewer read another clause
than the one decided: both are errors naming the code point. A word mixing scripts (a
Cyrillic е in rеstricted) never equals the word it imitates: a warning. A file with nothing
in it is a warning too (a wrong path or a truncated copy is likelier than an empty file on
purpose).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping

from .diagnostics import Diagnostic, make
from .model import Module, Span

# C0 controls except tab, line feed and carriage return; DEL; C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Bidi embeddings, overrides and isolates, zero-width and other format characters.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]")
_WORD = re.compile(r"[^\W\d_]{2,}")
_ONE_SCRIPT = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "FULLWIDTH": "LATIN"}  # written together in one word


def _name(ch: str) -> str:
    """``U+0000 (NUL)``: the code point and, where Unicode has none, the control's usual name."""
    short = {"\x00": "NUL", "\x1b": "ESC", "\x7f": "DEL", "\x08": "BS", "\x0c": "FF", "\x0b": "VT"}
    label = short.get(ch) or unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" ({label})" if label else "")


def _script(ch: str) -> str:
    first = unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]
    return _ONE_SCRIPT.get(first, first)


def text_diagnostics(
    text: str, file: str, lines: tuple[str, ...], module: Module | None
) -> Iterator[Diagnostic]:
    by_file: Mapping[str, tuple[str, ...]] = {file: lines}
    controls = _CONTROL.search(text) is not None  # one scan of the whole text first
    for number, line in enumerate(lines if controls or not text.isascii() else (), start=1):
        for match in _CONTROL.finditer(line) if controls else ():
            col = match.start() + 1
            yield make("E110", f"control character {_name(match.group())} in the file",
                       Span(file, number, col, number, col + 1), lines=by_file,
                       hint="remove it; write text with printable characters only")
        if line.isascii():
            continue
        for match in _INVISIBLE.finditer(line):
            col = match.start() + 1
            name = unicodedata.name(match.group(), "FORMAT CHARACTER")
            yield make("E111", f"invisible character U+{ord(match.group()):04X} {name}",
                       Span(file, number, col, number, col + 1), lines=by_file,
                       hint="it can make the text read differently from what is decided; delete it")
        for match in _WORD.finditer(line):
            scripts = {ch: _script(ch) for ch in match.group()}
            if len(set(scripts.values())) > 1:
                odd = sorted({f"{ch} U+{ord(ch):04X} ({sc.lower()})" for ch, sc in scripts.items() if sc != "LATIN"})
                yield make("W413", f"the word {match.group()!r} mixes scripts: " + ", ".join(odd),
                           Span(file, number, match.start() + 1, number, match.end() + 1), lines=by_file,
                           hint="a look-alike letter never equals the letter it imitates; retype the word")
    if module is not None and not module.items:
        what = "is empty" if not text.strip() else "has only comments"
        yield make("W411", f"the file {what}: it declares nothing", Span(file, 1, 1, 1, 1), lines=by_file,
                   hint="check the path; a .coop file declares parties, agreements or tenders")
