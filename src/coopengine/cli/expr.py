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
    from ..errors import InputError
    from ..explain import expr_dict, expr_text
    from ..expressions import parse_expression
    from ..knowledge import load_knowledge

    knowledge = load_knowledge(kb)
    try:
        parsed = parse_expression(expression, source="EXPR")
    except InputError as err:
        from ..knowledge.names import name_hint

        # The name table knows what licence names and short names stand for; a spelling
        # match does not (it offers Saxpath for Expat).
        err.hint = name_hint(expression, knowledge) or err.hint
        raise
    if fmt == "json":
        emit_json(expr_dict(parsed, knowledge))
    else:
        emit(expr_text(parsed, knowledge))
    run(0)
