"""``coop conditions``: the statement of the conditions applying to reuse of a solution."""

from __future__ import annotations

import datetime as dt

import click

from .common import date_option, emit, emit_json, format_option, kb_option


@click.command("conditions")
@click.argument("solution", metavar="PUBLICCODE.yml", type=click.Path(dir_okay=False))
@click.option("--provider", required=True, metavar="PARTY", help="The party that shares the solution.")
@click.option("--agreements", "agreements", multiple=True, type=click.Path(exists=True),
              help="Agreement files or folders (repeatable).")
@date_option("The date the statement speaks for (default today).")
@format_option("text", "markdown", "json")
@kb_option
def command(solution: str, provider: str, agreements: tuple[str, ...], date: dt.date | None, fmt: str,
            kb: tuple[str, ...]) -> None:
    """Write the conditions applying to reuse of the solution PUBLICCODE.yml describes (Interoperable
    Europe Act): its licence and what it asks per use, the standing agreements it is offered under
    and what they add, its maintenance. Every line cites its source. The letter is Markdown (text
    and markdown are the same), or JSON. Exit 0, or 2 on bad input."""
    from ..api import conditions_statement, render

    statement = conditions_statement(solution, provider=provider, agreements=list(agreements), date=date, kb=kb)
    if fmt == "json":
        emit_json(statement.to_dict())
    else:
        emit(render(statement, "markdown"), reflow=False)
