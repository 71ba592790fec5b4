"""Errors for input that cannot be processed (exit 2) and the shared rendering of positions.

Every error a user can trigger derives from :class:`CoopError`. The CLI turns each one
into exit code 2 with :meth:`CoopError.render`; nothing else reaches the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "CoopError",
    "InputError",
    "Location",
    "did_you_mean",
    "caret_excerpt",
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

    def render(self) -> str:
        lines = [f"{self.location.prefix()}: {self.code} {self.message}"]
        if self.source_line is not None:
            lines.append(caret_excerpt(self.source_line, self.location.column, self.location.end_column))
        if self.expected:
            lines.append(f"  expected: {self.expected}")
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)

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

    def __str__(self) -> str:
        return self.render()


class InputError(CoopError):
    """A file, option or expression that is malformed."""

    code = "E001"


def caret_excerpt(line: str, column: int | None, end_column: int | None = None) -> str:
    """The source line, indented, with a caret (or a run of carets) under the columns."""
    shown = line.rstrip("\r\n").replace("\t", " ")
    if len(shown) > 200:
        start = max(0, (column or 1) - 80)
        shown = shown[start : start + 160]
        column = (column or 1) - start
        end_column = end_column - start if end_column else None
    out = f"    {shown}"
    if column is not None and column >= 1:
        width = max(1, (end_column or column + 1) - column)
        out += "\n    " + " " * (column - 1) + "^" * width
    return out


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
