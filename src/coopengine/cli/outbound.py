"""``coop outbound``: ranked outbound licences for a work that contains EXPR."""

from __future__ import annotations

import click

from .common import emit, emit_json, format_option, kb_option, linking_option, use_option
from .main import run


@click.command("outbound")
@click.argument("expression", metavar="EXPR")
@use_option
@linking_option
@format_option("text", "json")
@kb_option
def command(expression: str, use: str, linking: str, fmt: str, kb: tuple[str, ...]) -> None:
    """Licences the combined work can be released under, best first, each with its reason.

    Exit 0 if at least one licence works, 1 if none does, 4 if none works and some could not be assessed.
    """
    from ..engine import rank_outbound
    from ..explain import outbound_dict, outbound_text
    from ..expressions import parse_expression

    parsed = parse_expression(expression, source="EXPR")
    from ..knowledge import load_knowledge

    ok, unknown = rank_outbound(parsed, use=use, linking=linking, kb=kb)
    uncurated = sum(1 for f in load_knowledge(kb).licences.values() if not f.curated and not f.deprecated)
    if fmt == "json":
        emit_json(outbound_dict(parsed, use, linking, ok, unknown, uncurated))
    else:
        emit(outbound_text(parsed, use, linking, ok, unknown, uncurated))
    run(0 if ok else (4 if unknown else 1))
