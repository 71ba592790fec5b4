"""Options and output helpers shared by the subcommands."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

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


def format_option(*choices: str) -> Callable[[F], F]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices or ("text", "json")),
        default="text",
        show_default=True,
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


def emit(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


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
