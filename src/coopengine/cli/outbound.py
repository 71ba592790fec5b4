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
@click.option("--all", "every", is_flag=True, help="List every licence that works, not only the best of each family.")
def command(expression: str, use: str, linking: str, fmt: str, kb: tuple[str, ...], every: bool) -> None:
    """Licences the combined work can be released under, best first, each with its reason.

    By default the inbound's own licences and the best of each family (10 rows); --all lists
    every one. JSON always holds every candidate, each marked short_list or not.

    Exit 0 if at least one licence works, 1 if none does, 4 if none works and some could not be assessed.
    """
    from ..api import outbound_licences

    found = outbound_licences(expression, use=use, linking=linking, kb=kb)
    if fmt == "json":
        emit_json(found.to_dict())
    else:
        emit(found.to_text(every=every))
    run(found.exit_code)
