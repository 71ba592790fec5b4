"""The coop language: parse, check and format agreement and tender files.

Public API::

    load_files(paths) -> Program               # raises LanguageError with diagnostics
    parse_text(text, file) -> (Module | None, [Diagnostic])
    check(paths, *, date=None) -> CheckResult  # program + sorted diagnostics
    format_text(text, file) -> str             # raises LanguageError on a syntax error
    evaluate(cond, facts, licence_oracle=None) -> True | False | None
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from coopengine.errors import InputError, Location

from . import model as model
from .diagnostics import CODES as CODES
from .diagnostics import Diagnostic as Diagnostic
from .fmt import find_comments, format_module
from .loader import CheckResult as CheckResult
from .loader import Source, check_sources, load_sources
from .logic import LicenceOracle as LicenceOracle
from .logic import evaluate as evaluate
from .model import Module as Module
from .model import Program as Program
from .parser import normalise
from .parser import parse_text as parse_text

__all__ = [
    "CODES",
    "CheckResult",
    "Diagnostic",
    "LanguageError",
    "LicenceOracle",
    "Module",
    "Program",
    "check",
    "check_text",
    "evaluate",
    "format_text",
    "load_files",
    "model",
    "parse_text",
]


class LanguageError(InputError):
    """Coop files that cannot be used: carries every error diagnostic."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        first = diagnostics[0]
        super().__init__(
            first.message,
            location=Location(first.file, first.line, first.column, first.end_column),
            source_line=first.source_line,
            expected=first.expected,
            hint=first.hint,
            code=first.code,
        )
        self.diagnostics = tuple(diagnostics)

    def redacted(self, named_in: str) -> LanguageError:
        super().redacted(named_in)
        self.diagnostics = tuple(replace(d, source_line=None) for d in self.diagnostics)
        return self

    def diagnostics_dicts(self) -> list[dict[str, object]]:
        return [{"file": d.file, "line": d.line, "column": d.column, "code": d.code, "message": d.message,
                 "expected": d.expected, "hint": d.hint} for d in self.diagnostics]

    def render(self) -> str:
        return "\n".join(d.render() for d in self.diagnostics)


def check(paths: Sequence[str | Path], *, date: dt.date | None = None) -> CheckResult:
    """Parse every .coop file under ``paths`` as one program and run all static checks.

    Args:
        paths: files or folders (read recursively, sorted).
        date: the decision date for expiry warnings; default today.
    """
    return check_sources(load_sources(paths), date=date)


def check_text(text: str, file: str = "<string>", *, date: dt.date | None = None) -> CheckResult:
    """:func:`check` on one text, without touching the disk."""
    return check_sources([Source(file, normalise(text))], date=date)


def load_files(paths: Sequence[str | Path], *, date: dt.date | None = None) -> Program:
    """The program in ``paths``; raises :class:`LanguageError` if any file has an error."""
    result = check(paths, date=date)
    if result.errors or result.program is None:
        raise LanguageError(result.errors or result.diagnostics)
    return result.program


def format_text(text: str, file: str = "<string>") -> str:
    """The canonical layout of one file; raises :class:`LanguageError` if it does not parse."""
    text = normalise(text)
    module, diagnostics = parse_text(text, file)
    if module is None:
        raise LanguageError([d for d in diagnostics if d.severity == "error"])
    return format_module(module, find_comments(text))
