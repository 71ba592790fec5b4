"""``coop licence``: the knowledge base's facts on one licence or exception, with their sources."""

from __future__ import annotations

import click

from .common import dump_json, emit, format_option, kb_option
from .main import run


@click.command("licence")
@click.argument("licence_id", metavar="ID")
@format_option("text", "json")
@kb_option
def command(licence_id: str, fmt: str, kb: tuple[str, ...]) -> None:
    """Facts and sources for one licence or exception id, read as coop compat reads it
    (case-insensitive; a deprecated id is shown as what it is read as)."""
    from ..explain import lookup_dict, lookup_text
    from ..knowledge import find_facts, load_knowledge

    knowledge = load_knowledge(kb)
    found = find_facts(knowledge, licence_id)
    emit(dump_json(lookup_dict(found, knowledge)) if fmt == "json" else lookup_text(found, knowledge))
    run(0)
