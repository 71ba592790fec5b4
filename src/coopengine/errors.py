"""Errors for input that cannot be processed (exit 2) and the shared rendering of positions.

Every error a user can trigger derives from :class:`CoopError`. The CLI turns each one
into exit code 2 with :meth:`CoopError.render`; nothing else reaches the terminal.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "CoopError",
    "InputError",
    "Location",
    "did_you_mean",
    "caret_excerpt",
    "printable",
    "clip",
    "too_many_digits",
    "long_number_at",
]


@dataclass(frozen=True)
class Location:
    """Where something is: a file (or ``<expression>``, ``<option --inbound>``), 1-based line and column."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    end_column: int | None = None

    def prefix(self) -> str:
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


class CoopError(Exception):
    """Base class: the input could not be processed; nothing was decided."""

    code = "E000"

    def __init__(
        self,
        message: str,
        *,
        location: Location | None = None,
        text: str | None = None,
        expected: str | None = None,
        hint: str | None = None,
        source_line: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location or Location()
        self.text = text
        self.expected = expected
        self.hint = hint
        self.source_line = source_line
        if code:
            self.code = code

    def with_file(self, file: str, line_offset: int = 0) -> CoopError:
        """Attach the file name (and shift lines) as an error climbs from text to file."""
        loc = self.location
        line = loc.line + line_offset if loc.line is not None else None
        self.location = Location(file, line, loc.column, loc.end_column)
        return self

    def redacted(self, named_in: str) -> CoopError:
        """This error without the file's content, for a file named inside ``named_in`` rather than by the user.

        A scenario from someone else may name any file under its folder; what that file holds
        is not theirs to see through our messages, so only the place is shown.
        """
        if self.source_line is None and self.text is None:
            return self
        self.source_line = None
        self.text = None
        note = f"its content is not shown because {named_in} named it; give the file itself to coop to see it"
        self.hint = f"{self.hint}; {note}" if self.hint else note
        return self

    def render(self) -> str:
        lines = [f"{clip(self.location.prefix())}: {self.code} {clip(self.message)}"]
        if self.source_line is not None:
            lines.append(caret_excerpt(self.source_line, self.location.column, self.location.end_column))
        if self.expected:
            lines.append(f"  expected: {clip(self.expected)}")
        if self.hint:
            lines.append(f"  hint: {clip(self.hint)}")
        # Inputs may carry control characters (an ESC in an SBOM field): shown, never obeyed.
        return printable("\n".join(lines))

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message,
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column,
            "text": self.text,
            "expected": self.expected,
            "hint": self.hint,
        }

    def diagnostics_dicts(self) -> list[dict[str, object]]:
        """The error as ``coopengine/error/v1`` diagnostics (several for a file with several errors)."""
        loc = self.location
        return [{"file": loc.file, "line": loc.line, "column": loc.column, "code": self.code,
                 "message": self.message, "expected": self.expected, "hint": self.hint}]

    def __str__(self) -> str:
        return self.render()


class InputError(CoopError):
    """A file, option or expression that is malformed."""

    code = "E001"


def caret_excerpt(line: str, column: int | None, end_column: int | None = None) -> str:
    """The source line, indented, with a caret (or a run of carets) under the columns.

    A long line is cut to a window around the column and the carets to that window, so a
    one-megabyte line costs 160 characters, not two megabytes.
    """
    shown = line.rstrip("\r\n").replace("\t", " ")
    if len(shown) > 200:
        start = max(0, (column or 1) - 80)
        shown = shown[start : start + 160]
        column = (column or 1) - start
        end_column = end_column - start if end_column else None
    out = f"    {printable(shown, newlines=False)}"
    if column is not None and column >= 1:
        width = max(1, min((end_column or column + 1) - column, len(shown) + 1 - column))
        # Measured on the escaped text, so the carets stay under an escaped character.
        before = len(printable(shown[: column - 1], newlines=False))
        under = max(1, len(printable(shown[column - 1 : column - 1 + width], newlines=False)))
        out += "\n    " + " " * before + "^" * under
    return out


def clip(text: str, limit: int = 300) -> str:
    """``text`` cut in the middle when longer than ``limit``: an echoed input is shown once, and short."""
    if len(text) <= limit:
        return text
    keep = limit // 2
    return f"{text[:keep]}...({len(text) - 2 * keep:,} characters not shown)...{text[-keep:]}"
def too_many_digits(exc: ValueError) -> str | None:
    """Our words for Python's refusal to convert a very long number (else None).

    int() stops at ``sys.get_int_max_str_digits()`` digits (4,300 by default) and its message
    tells the reader to call a Python function; every reader turns it into this instead.
    """
    import sys

    text = str(exc)
    if "integer string conversion" not in text:
        return None
    return f"number too long (more than {sys.get_int_max_str_digits():,} digits)"


def long_number_at(text: str) -> tuple[int, int]:
    """Line and column of the first number longer than Python converts (1, 1 if none is found).

    Parsers that stop on such a number (json, PyYAML) do not say where it was.
    """
    import re
    import sys

    match = re.search(f"[0-9]{{{sys.get_int_max_str_digits() + 1},}}", text)
    start = match.start() if match else 0
    return text.count("\n", 0, start) + 1, start - text.rfind("\n", 0, start)


def did_you_mean(word: str, choices: Iterable[str], *, n: int = 3, cutoff: float = 0.6) -> list[str]:
    """Close matches, compared case-insensitively, returned in their own spelling."""
    import difflib  # only on the error path

    by_lower: dict[str, str] = {}
    for choice in choices:
        by_lower.setdefault(choice.lower(), choice)
    hits = difflib.get_close_matches(word.lower(), sorted(by_lower), n=n, cutoff=cutoff)
    return [by_lower[h] for h in hits]


# C0 and C1 controls and DEL, which a terminal obeys (cursor moves, erasing, retitling), and the
# invisible characters that reorder, hide or break text (format characters such as bidi
# overrides, isolates, zero-width and tag characters; line and paragraph separators; lone
# surrogates): shown from inputs as escapes, never as themselves. Only these candidates are
# looked at, so ASCII text costs one regex scan.
_CANDIDATE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]|[^\x00-\x7f]")
_CANDIDATE_OR_NEWLINE = re.compile("[\x00-\x1f\x7f-\x9f]|[^\x00-\x7f]")
_HIDDEN = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if code >= 0x80 and code not in range(0x80, 0xA0) and unicodedata.category(ch) not in _HIDDEN:
        return ch
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, carried as a surrogate escape
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: str, *, newlines: bool = True) -> str:
    """``text`` with every control or invisible format character shown as ``\\xNN`` or ``\\uNNNN``.

    Used on all text and Markdown output, so nothing an input holds can drive the terminal;
    ``newlines=False`` for one value inside a line (a name with a line break would forge a line).
    """
    pattern = _CANDIDATE if newlines else _CANDIDATE_OR_NEWLINE
    return pattern.sub(_escape, text) if pattern.search(text) else text
