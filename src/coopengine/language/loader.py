"""Reading .coop files and folders into one program, and running every check on it.

Files are only read, never executed or followed: a .coop file has no include or import,
so the set of files is exactly what the caller named.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import _parallel, analysis, checks
from .diagnostics import Diagnostic
from .model import Module, Program, Span
from .parser import gc_paused, normalise, parse_text, split_lines
from .text_checks import text_diagnostics

MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Source:
    """A file's name as shown in diagnostics and its text (None if it could not be read)."""

    file: str
    text: str | None
    problem: str | None = None


@dataclass(frozen=True)
class CheckResult:
    """A program (None if a file did not parse) and every diagnostic, sorted by place."""

    program: Program | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "warning")


def collect(paths: Sequence[str | Path]) -> list[Path]:
    """The .coop files named, folders read recursively, each folder's files sorted."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.coop") if p.is_file()))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def read(path: Path) -> Source:
    name = str(path)
    try:
        if not path.is_file():
            return Source(name, None, "no such file" if not path.exists() else "not a regular file")
        if path.stat().st_size > MAX_FILE_BYTES:
            return Source(name, None, f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        data = path.read_bytes()
    except OSError as err:
        return Source(name, None, err.strerror or "cannot be read")
    try:
        return Source(name, normalise(data.decode("utf-8")))
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        return Source(name, None, f"is not UTF-8 (byte {err.start + 1}, line {line})")


def unreadable(source: Source) -> Diagnostic:
    return Diagnostic(
        "E100", "error", f"cannot read {source.file}: {source.problem}", source.file, 1, 1, 1, 1
    )


def parse_sources(
    sources: Sequence[Source],
) -> tuple[Program | None, list[Diagnostic], dict[str, tuple[str, ...]]]:
    diagnostics: list[Diagnostic] = []
    modules: list[Module] = []
    lines: dict[str, tuple[str, ...]] = {}
    ok = True
    for source in sources:
        if source.text is None:
            diagnostics.append(unreadable(source))
            ok = False
            continue
        lines[source.file] = split_lines(source.text)
        module, found = parse_text(source.text, source.file, lines=lines[source.file])
        diagnostics.extend(found)
        diagnostics.extend(text_diagnostics(source.text, source.file, lines[source.file], module))
        if module is None:
            ok = False
        else:
            modules.append(module)
    return (Program(tuple(modules)) if ok else None), diagnostics, lines


def check_sources(sources: Sequence[Source], *, date: dt.date | None = None) -> CheckResult:
    with gc_paused():
        return _check_sources(sources, date=date)


# From this many agreements on, the warnings are shared with a second process (see
# `_parallel`); below it, forking costs more than it saves.
PARALLEL_AGREEMENTS = 100
# The part of the agreements (by clauses) this process keeps: less than half, as it
# also runs the error checks meanwhile.
PARALLEL_SHARE = 0.45


def _check_sources(sources: Sequence[Source], *, date: dt.date | None) -> CheckResult:
    program, diagnostics, lines = parse_sources(sources)
    if program is not None and not any(d.severity == "error" for d in diagnostics):
        ctx = checks.Context(lines)
        day = date or dt.date.today()
        checked = program  # narrowed to Program for the closures below
        count = len(program.agreements)
        child: _parallel.Child[list[Diagnostic]] | None = None
        cut = count
        if count >= PARALLEL_AGREEMENTS:
            # A child starts on the last agreements' warnings while this process runs the
            # error checks (its result is dropped if there is an error), then the others.
            cut = _parallel.split([len(a.clauses) + 1 for a in program.agreements], share=PARALLEL_SHARE)
            rest = range(cut, count)
            child = _parallel.fork(lambda: list(analysis.agreement_warnings(checked, ctx, day, rest)))
            if child is None:
                cut = count
        try:
            for check in checks.ERROR_CHECKS:
                diagnostics.extend(check(program, ctx))
            if not any(d.severity == "error" for d in diagnostics):
                # Warnings reason about meaning, which is only sound once names and values resolve.
                diagnostics.extend(analysis.agreement_warnings(program, ctx, day, range(cut)))
                if child is not None:
                    ok, theirs = child.result()
                    if not ok or theirs is None:
                        theirs = list(analysis.agreement_warnings(program, ctx, day, range(cut, count)))
                    diagnostics.extend(theirs)
                diagnostics.extend(analysis.unused_parties(program, ctx))
                diagnostics.extend(analysis.tender_warnings(program, ctx))
        finally:
            if child is not None:
                child.cancel()
    unique = list(dict.fromkeys(diagnostics))
    return CheckResult(program, tuple(sorted(unique, key=lambda d: d.sort_key)))


def load_sources(paths: Sequence[str | Path]) -> list[Source]:
    return [read(p) for p in collect(paths)]


def span_text(lines: dict[str, tuple[str, ...]], span: Span) -> str:
    file_lines = lines.get(span.file, ())
    return file_lines[span.line - 1] if 0 < span.line <= len(file_lines) else ""
