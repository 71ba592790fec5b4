"""``coop tender``: check a bid (SBOM, offered licence) against a tender's requirements."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .common import (
    EXIT,
    Progress,
    date_option,
    emit,
    emit_json,
    fail_on_option,
    format_option,
    gate,
    kb_option,
    quiet_option,
    reread,
)
from .main import run


@click.command("tender")
@click.argument("tender_file", metavar="TENDER.coop", type=click.Path(dir_okay=False))
@click.option("--bid", "bid", required=True, metavar="SBOM", type=click.Path(dir_okay=False),
              help="The bid's SBOM (SPDX or CycloneDX).")
@click.option("--offered", metavar="EXPR", help="Licence offered for the deliverable (wins over --publiccode).")
@click.option("--publiccode", metavar="FILE", type=click.Path(dir_okay=False),
              help="The bid's publiccode.yml; its legal.license is the offered licence.")
@click.option("--tender", "tender_id", metavar="ID", help="Which tender, when the file has several.")
@date_option("Decision date (default: today).")
@format_option("text", "json", "markdown", "sarif", "html")
@fail_on_option
@quiet_option
@kb_option
def command(tender_file: str, bid: str, offered: str | None, publiccode: str | None, tender_id: str | None,
            date: dt.date | None, fmt: str, fail_on: str, quiet: bool, kb: tuple[str, ...]) -> None:
    """Check the bid against every requirement of the tender in TENDER.coop, with evidence.

    Exit 0 pass, 1 fail, 4 unknown (a requirement cannot be decided from the bid), 2 bad input;
    --fail-on lowers to 0 the codes it does not cover.
    """
    from ..api import check_tender

    progress = Progress(quiet)
    progress.stage(f"checking {bid} against {tender_file}")
    try:
        # No --date: check_tender takes today's and the report says "today (no date given)".
        result = check_tender(Path(tender_file), Path(bid), offered=offered, tender_id=tender_id, kb=kb,
                              publiccode=Path(publiccode) if publiccode else None, date=date,
                              progress=lambda done, total: progress.update(done, total, "requirements"))
    finally:
        progress.close()
    if fmt == "json":
        emit_json(result.to_dict())
    elif fmt == "sarif":
        from .. import sarif

        emit_json(sarif.tender_log(result, tender_file, reread(tender_file), bid, reread(bid)))
    else:
        from ..api import render

        emit(render(result, fmt), reflow=fmt == "text")
    run(gate(EXIT[result.verdict], fail_on))
