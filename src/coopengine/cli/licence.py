"""``coop licence``: the knowledge base's facts on one licence or exception, with their sources."""

from __future__ import annotations

import click

from .common import emit, emit_json, format_option, kb_option
from .main import run


@click.command("licence")
@click.argument("licence_id", metavar="ID")
@format_option("text", "json")
@kb_option
def command(licence_id: str, fmt: str, kb: tuple[str, ...]) -> None:
    """Facts and sources for one licence or exception id, read as coop compat reads it
    (case-insensitive; a deprecated id is shown as what it is read as)."""
    from ..api import describe_licence

    described = describe_licence(licence_id, kb=kb)
    if fmt == "json":
        emit_json(described.to_dict())
    else:
        emit(described.to_text())
    run(0)
