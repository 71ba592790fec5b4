"""``coop expr``: parse, validate and normalise an SPDX licence expression."""

from __future__ import annotations

import click

from .common import emit, emit_json, format_option, kb_option
from .main import run


@click.command("expr")
@click.argument("expression", metavar="EXPR")
@format_option("text", "json")
@kb_option
def command(expression: str, fmt: str, kb: tuple[str, ...]) -> None:
    """Parse EXPR, list its licences, exceptions and choices, and print it normalised."""
    from ..api import describe_expression

    described = describe_expression(expression, kb=kb)
    if fmt == "json":
        emit_json(described.to_dict())
    else:
        emit(described.to_text())
    run(0)
