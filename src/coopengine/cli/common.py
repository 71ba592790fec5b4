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


def allow_outside_option(func: F) -> F:
    return click.option(
        "--allow-outside",
        is_flag=True,
        help="Let the file name files outside its own folder ('..', absolute paths, symlinks leading out). "
        "Only for files you trust.",
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
