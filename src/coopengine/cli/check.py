"""``coop check FILE_OR_DIR...``: static checks of agreement and tender files."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import kb_option

if TYPE_CHECKING:
    from ..api import CheckReport


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def render_text(report: CheckReport) -> str:
    parts = [d.render() for d in report.diagnostics]
    errors, warnings = len(report.errors), len(report.warnings)
    files = len(report.files)
    parts.append(f"{errors} error(s), {warnings} warning(s)" + (f" in {files} file(s)" if files else ""))
    return "\n".join(parts) + "\n"


@click.command(name="check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--strict", is_flag=True, help="Exit 1 when there are warnings.")
@click.option(
    "--date",
    "date",
    callback=_date,
    metavar="YYYY-MM-DD",
    help="Decision date for expiry warnings (default: today).",
)
@kb_option
def command(paths: tuple[Path, ...], fmt: str, strict: bool, date: dt.date | None, kb: tuple[str, ...]) -> None:
    """Check .coop files (folders are read recursively) as one program."""
    if kb:
        # The files themselves need no licence facts, but a broken --kb must still be reported.
        from ..knowledge import load_knowledge

        load_knowledge(kb)
    from ..api import check_agreements

    report = check_agreements(list(paths), date=date, strict=strict)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(render_text(report), nl=False)
    sys.exit(report.exit_code)
