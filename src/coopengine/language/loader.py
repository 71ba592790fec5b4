"""Reading .coop files and folders into one program, and running every check on it.

Files are only read, never executed or followed: a .coop file has no include or import,
so the set of files is exactly what the caller named.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from coopengine._files import read_input, walk
from coopengine.errors import InputError

from .._gc import paused
from . import analysis, checks
from .diagnostics import Diagnostic
from .model import Module, Program
from .parser import normalise, parse_text, split_lines
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
    """The .coop files named, folders read recursively (not through symlinks leading out), sorted."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(walk(path, ".coop")[0])
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def read(path: Path) -> Source:
    name = str(path)
    try:
        data = read_input(path, limit=MAX_FILE_BYTES, what="coop file")
    except InputError as err:
        return Source(name, None, err.message.removeprefix("coop file "))
    try:
        return Source(name, normalise(data.decode("utf-8")))
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        return Source(name, None, f"is not UTF-8 (byte {err.start + 1}, line {line})")


_YAML_KEY = re.compile(r"\s*(?:#.*\n\s*)*[A-Za-z_][\w-]*\s*:(?:\s|$)")


def _not_coop(source: Source, found: list[Diagnostic]) -> list[Diagnostic]:
    """A YAML file (a scenario, a cases file) given where .coop files go: say so, not "did you mean"."""
    if not found or found[0].line > 2 or not _YAML_KEY.match(source.text or ""):
        return found
    first = replace(found[0], message="this looks like a YAML file (a scenario or cases file?), not a .coop file",
                    expected=None, hint="coop check reads .coop files; run a scenario with coop reuse "
                    "and a cases file with coop test")
    return [first, *found[1:]]


def parse_sources(
    sources: Sequence[Source],
) -> tuple[Program | None, list[Diagnostic], dict[str, tuple[str, ...]]]:
    diagnostics: list[Diagnostic] = []
    modules: list[Module] = []
    lines: dict[str, tuple[str, ...]] = {}
    ok = True
    for source in sources:
        if source.text is None:
            problem = f"cannot read {source.file}: {source.problem}"
            diagnostics.append(Diagnostic("E100", "error", problem, source.file, 1, 1, 1, 1))
            ok = False
            continue
        lines[source.file] = split_lines(source.text)
        module, found = parse_text(source.text, source.file, lines=lines[source.file])
        diagnostics.extend(_not_coop(source, found) if module is None else found)
        diagnostics.extend(text_diagnostics(source.text, source.file, lines[source.file], module))
        if module is None:
            ok = False
        else:
            modules.append(module)
    return (Program(tuple(modules)) if ok else None), diagnostics, lines


@paused()
def check_sources(sources: Sequence[Source], *, date: dt.date | None = None) -> CheckResult:
    program, diagnostics, lines = parse_sources(sources)
    if program is not None and not any(d.severity == "error" for d in diagnostics):
        ctx = checks.Context(lines)
        for check in checks.ERROR_CHECKS:
            diagnostics.extend(check(program, ctx))
        if not any(d.severity == "error" for d in diagnostics):
            # Warnings reason about meaning, which is only sound once names and values resolve.
            day = date or dt.date.today()
            diagnostics.extend(analysis.agreement_warnings(program, ctx, day))
            diagnostics.extend(analysis.unused_parties(program, ctx))
            diagnostics.extend(analysis.tender_warnings(program, ctx))
    unique = list(dict.fromkeys(diagnostics))
    return CheckResult(program, tuple(sorted(unique, key=lambda d: d.sort_key)))


def load_sources(paths: Sequence[str | Path]) -> list[Source]:
    return [read(p) for p in collect(paths)]
