"""Options and output helpers shared by the subcommands."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..errors import CoopError, printable
from ..words import LINKINGS, USES

F = TypeVar("F", bound=Callable[..., Any])

EXIT = {
    "compatible": 0,
    "incompatible": 1,
    "conditional": 3,
    "unknown": 4,
    "permit": 0,
    "deny": 1,
    "require-mou": 3,
    "undetermined": 4,
    "pass": 0,
    "fail": 1,
}


# Where the chosen --format is kept for the error path (ctx.meta is shared by the command and its group).
FORMAT_KEY = "coopengine.format"


def _remember_format(ctx: click.Context, param: click.Parameter, value: str) -> str:
    ctx.meta[FORMAT_KEY] = value
    return value


def format_option(*choices: str) -> Callable[[F], F]:
    # Eager, so that an error in any other option is already reported in the chosen format.
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices or ("text", "json")),
        default="text",
        show_default=True,
        is_eager=True,
        callback=_remember_format,
        help="Output format.",
    )


def kb_option(func: F) -> F:
    return click.option(
        "--kb",
        "kb",
        multiple=True,
        type=click.Path(exists=True, file_okay=True, dir_okay=True),
        help="Add or override knowledge-base files from this folder (repeatable).",
    )(func)


def allow_outside_option(func: F) -> F:
    return click.option(
        "--allow-outside",
        is_flag=True,
        help="Let the file name files outside its own folder ('..', absolute paths, symlinks leading out). "
        "Only for files you trust.",
    )(func)


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (expected YYYY-MM-DD)") from None


def date_option(help_text: str) -> Callable[[F], F]:
    """``--date YYYY-MM-DD``, read as a date (None when not given)."""
    def decorate(func: F) -> F:
        return click.option("--date", "date", callback=_date, metavar="YYYY-MM-DD", help=help_text)(func)
    return decorate


def use_option(func: F) -> F:
    return click.option(
        "--use",
        type=click.Choice(USES),
        default="distribution",
        show_default=True,
        help="What the recipient does with the work.",
    )(func)


def linking_option(func: F) -> F:
    return click.option(
        "--linking",
        type=click.Choice(LINKINGS),
        default="static",
        show_default=True,
        help="How the code is combined.",
    )(func)


def dump_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def emit_json(data: Any) -> None:
    """JSON on stdout: the encoder escapes what must be; the bytes are data, not for a terminal."""
    _write(json_safe(dump_json(data)))


_SURROGATE = re.compile("[\ud800-\udfff]")


def json_safe(text: str) -> str:
    """JSON text whose lone surrogates (bytes that were not UTF-8) are ``\\uXXXX`` escapes, so it can be written.

    They can only stand inside strings, where the escape is valid JSON.
    """
    if text.isascii():  # checked in C; the search below took 50 ms on a 29 MB report
        return text
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) if _SURROGATE.search(text) else text


def emit(text: str, *, reflow: bool = True) -> None:
    """Text, Markdown or HTML on stdout, every control character from an input escaped.

    With ``reflow`` (plain text), lines longer than the terminal are wrapped; Markdown and HTML
    are left to their renderers.
    """
    text = printable(text)
    width = output_width() if reflow else None
    _write(wrap(text, width) if width else text)


def output_width() -> int | None:
    """``COLUMNS`` if set, else the terminal's width; None when writing to a pipe or file (no wrapping)."""
    import os
    import shutil

    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return max(40, int(columns))
    if not sys.stdout.isatty():
        return None
    return max(40, shutil.get_terminal_size().columns)


def wrap(text: str, width: int) -> str:
    """Each line longer than ``width`` broken at spaces, continued under its own indent plus four."""
    import textwrap

    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip(" "))]
        out.extend(textwrap.wrap(line, width, subsequent_indent=indent + "    ", break_long_words=False,
                                 break_on_hyphens=False) or [line])
    return "\n".join(out)


def _write(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


def reread(path: str) -> str:
    """A file already read and checked by a command, read again the same way for its lines (SARIF)."""
    from .._files import read_input

    # The largest limit of any input (an SBOM's); the first read applied the file's own.
    return read_input(path, limit=200_000_000, what="file").decode("utf-8", errors="replace")


def say(text: str) -> None:
    """A message on stderr, escaped like :func:`emit`."""
    click.echo(printable(text), err=True)


def error_json(exc: CoopError) -> dict[str, Any]:
    """An input error as ``coopengine/error/v1``, for ``--format json`` (scripts never scrape stderr)."""
    return {"schema": "coopengine/error/v1", "exit_code": 2, "diagnostics": exc.diagnostics_dicts()}


# --fail-on: how strict a CI gate is. The contract's codes stay as they are (1 no, 3 a human
# step, 4 unknown); a code the threshold does not cover becomes 0. Exit 2 is never lowered.
FAIL_ON = ("no", "human", "unknown")
_FAILS = {"no": {1}, "human": {1, 3}, "unknown": {1, 3, 4}}


def fail_on_option(func: F) -> F:
    return click.option(
        "--fail-on",
        "fail_on",
        type=click.Choice(FAIL_ON),
        default="unknown",
        show_default=True,
        help="Which outcomes exit non-zero: no (only a no: 1), human (also a human step: 3), "
        "unknown (also unknown: 4).",
    )(func)


def gate(code: int, fail_on: str) -> int:
    """The exit code under ``--fail-on``: the contract's code if the threshold covers it, else 0."""
    return code if code == 2 or code in _FAILS[fail_on] else 0


def quiet_option(func: F) -> F:
    return click.option("--quiet", "-q", is_flag=True, help="No progress display on the terminal.")(func)


class Progress:
    """A one-line progress display on stderr, only when stderr is a terminal and not --quiet.

    Pipes and CI logs get nothing: a bar redrawn with carriage returns is noise in a file.
    Redraws are limited to ten a second, so a fast run pays nothing for it.
    """

    def __init__(self, quiet: bool = False) -> None:
        self.enabled = not quiet and sys.stderr.isatty()
        self._last = 0.0
        self._width = 0

    def update(self, done: int, total: int, label: str = "") -> None:
        if not self.enabled or not self._due(done >= total):
            return
        share = done / total if total else 1.0
        filled = int(share * 24)
        self._draw(f"[{'#' * filled}{'.' * (24 - filled)}] {done:,}/{total:,} {label}")

    def stage(self, label: str) -> None:
        if self.enabled:
            self._draw(label)

    def close(self) -> None:
        if self.enabled and self._width:
            sys.stderr.write("\r" + " " * self._width + "\r")
            sys.stderr.flush()
            self._width = 0

    def _due(self, last: bool) -> bool:
        import time

        now = time.monotonic()
        if not last and now - self._last < 0.1:
            return False
        self._last = now
        return True

    def _draw(self, text: str) -> None:
        text = "".join(ch if ch.isprintable() else "?" for ch in text[:100])
        pad = max(0, self._width - len(text))
        sys.stderr.write("\r" + text + " " * pad)
        sys.stderr.flush()
        self._width = len(text)
