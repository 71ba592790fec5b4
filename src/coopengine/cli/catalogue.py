"""``coop catalogue``: which solutions of a catalogue can the recipient reuse without an MOU?"""

from __future__ import annotations

import datetime as dt
import os

import click

from .common import (
    Progress,
    allow_outside_option,
    date_option,
    emit,
    emit_json,
    format_option,
    kb_option,
    quiet_option,
    use_option,
)
from .main import run

_VERDICTS = ("permit", "require-mou", "undetermined", "deny", "own", "error")


@click.command("catalogue")
@click.argument("sources", metavar="SOURCE...", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--recipient", required=True, metavar="PARTY", help="The party that wants to reuse the solutions.")
@use_option
@click.option("--modified", is_flag=True, help="The recipient modifies the solutions.")
@click.option("--agreements", "agreements", multiple=True, type=click.Path(exists=True),
              help="Agreement files or folders (repeatable).")
@click.option("--parties", "parties", type=click.Path(exists=True, dir_okay=False),
              help="YAML mapping an organisation's URI or name (publiccode.yml) to a party id.")
@date_option("Decision date (default today).")
@click.option("--only", "only", multiple=True, type=click.Choice(_VERDICTS),
              help="Show only the solutions with this verdict (repeatable).")
@click.option("--software-type", "software_type", metavar="TYPE",
              help="Only solutions of this publiccode.yml softwareType (e.g. standalone/web).")
@click.option("--platform", metavar="PLATFORM", help="Only solutions listing this platform (e.g. web).")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Processes to use (default: the number of CPUs).")
@allow_outside_option
@format_option("text", "json", "markdown")
@quiet_option
@kb_option
def command(sources: tuple[str, ...], recipient: str, use: str, modified: bool, agreements: tuple[str, ...],
            parties: str | None, date: dt.date | None, only: tuple[str, ...], software_type: str | None,
            platform: str | None, jobs: int | None, allow_outside: bool, fmt: str, quiet: bool,
            kb: tuple[str, ...]) -> None:
    """Decide, for every solution of a catalogue, whether RECIPIENT may reuse it without an MOU.

    SOURCE is a folder (searched for publiccode.yml / publiccode.yaml, with an SBOM next to it
    when there is one) or a file listing paths. Exit 0 when every solution was decided (whatever
    the verdicts), 4 when a file could not be read (it is listed with its diagnostic), 2 bad input.
    """
    from pathlib import Path

    from ..api import decide_catalogue, render

    progress = Progress(quiet)
    try:
        result = decide_catalogue(
            list(sources), recipient=recipient, use=use, modified=modified, agreements=list(agreements),
            parties=Path(parties) if parties else None, date=date, only=only, software_type=software_type,
            platform=platform, jobs=jobs or os.cpu_count() or 1, kb=kb, allow_outside=allow_outside,
            progress=lambda done, total: progress.update(done, total, "solutions"))
    finally:
        progress.close()
    if fmt == "json":
        emit_json(result.to_dict())
    else:
        emit(render(result, fmt), reflow=False)
    run(result.exit_code)
