"""``coop reuse``: may the recipient reuse the solution without an MOU?"""

from __future__ import annotations

import datetime as dt

import click

from .common import (
    EXIT,
    allow_outside_option,
    date_option,
    emit,
    emit_json,
    fail_on_option,
    format_option,
    gate,
    kb_option,
)
from .main import run


@click.command("reuse")
@click.argument("scenario", metavar="SCENARIO.yaml", type=click.Path(dir_okay=False))
@date_option("Decision date (overrides the scenario's).")
@click.option("--agreements", "agreements", multiple=True, type=click.Path(exists=True),
              help="More agreement files or folders (repeatable).")
@allow_outside_option
@format_option("text", "json", "markdown", "html")
@fail_on_option
@kb_option
def command(scenario: str, date: dt.date | None, agreements: tuple[str, ...], allow_outside: bool, fmt: str,
            fail_on: str, kb: tuple[str, ...]) -> None:
    """Decide whether the recipient may reuse the solution without an MOU, and explain why.

    Exit 0 permit, 1 deny, 3 require-mou, 4 undetermined, 2 bad input; --fail-on lowers to 0
    the codes it does not cover.
    """
    from pathlib import Path

    from ..api import decide_reuse, render

    decision = decide_reuse(Path(scenario), date=date, agreements=list(agreements), kb=kb,
                            allow_outside=allow_outside)
    if fmt == "json":
        emit_json(decision.to_dict())
    else:
        emit(render(decision, fmt), reflow=fmt == "text")
    run(gate(EXIT[decision.verdict], fail_on))
