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
    from ..explain import expr_dict, expr_text
    from ..expressions import parse_expression
    from ..knowledge import load_knowledge

    parsed = parse_expression(expression, source="EXPR")
    knowledge = load_knowledge(kb)
    if fmt == "json":
        emit_json(expr_dict(parsed, knowledge))
    else:
        emit(expr_text(parsed, knowledge))
    run(0)
