"""``coop reuse``: may the recipient reuse the solution without an MOU?"""

from __future__ import annotations

import datetime as dt

import click

from .common import EXIT, dump_json, emit, fail_on_option, format_option, gate, kb_option
from .main import run


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (expected YYYY-MM-DD)", param_hint="--date") from None


@click.command("reuse")
@click.argument("scenario", metavar="SCENARIO.yaml", type=click.Path(dir_okay=False))
@click.option("--date", "date", metavar="YYYY-MM-DD", help="Decision date (overrides the scenario's).")
@click.option("--agreements", "agreements", multiple=True, type=click.Path(exists=True),
              help="More agreement files or folders (repeatable).")
@format_option("text", "json", "markdown", "html")
@fail_on_option
@kb_option
def command(scenario: str, date: str | None, agreements: tuple[str, ...], fmt: str, fail_on: str,
            kb: tuple[str, ...]) -> None:
    """Decide whether the recipient may reuse the solution without an MOU, and explain why.

    Exit 0 permit, 1 deny, 3 require-mou, 4 undetermined, 2 bad input; --fail-on lowers to 0
    the codes it does not cover.
    """
    from pathlib import Path

    from ..api import decide_reuse

    decision = decide_reuse(Path(scenario), date=_date(date), agreements=list(agreements), kb=kb)
    if fmt == "json":
        emit(dump_json(decision.to_dict()))
    elif fmt == "markdown":
        from ..explain_reuse import reuse_markdown

        emit(reuse_markdown(decision))
    elif fmt == "html":
        from ..explain_html import reuse_html

        emit(reuse_html(decision.to_dict()))
    else:
        from ..explain_reuse import reuse_text

        emit(reuse_text(decision))
    run(gate(EXIT[decision.verdict], fail_on))
