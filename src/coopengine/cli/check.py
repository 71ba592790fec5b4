"""``coop check FILE_OR_DIR...``: static checks of agreement and tender files."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import Progress, kb_option, quiet_option

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
    type=click.Choice(["text", "json", "sarif"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--strict", is_flag=True, help="Exit 1 when there are warnings (the same as --fail-on warning).")
@click.option("--fail-on", "fail_on", type=click.Choice(["error", "warning"]), default="error", show_default=True,
              help="error: exit 2 on errors only; warning: also exit 1 on warnings.")
@quiet_option
@click.option(
    "--date",
    "date",
    callback=_date,
    metavar="YYYY-MM-DD",
    help="Decision date for expiry warnings (default: today).",
)
@kb_option
def command(paths: tuple[Path, ...], fmt: str, strict: bool, fail_on: str, quiet: bool, date: dt.date | None,
            kb: tuple[str, ...]) -> None:
    """Check .coop files (folders are read recursively) as one program.

    Exit 0 clean, 2 on errors, 1 on warnings with --fail-on warning (or --strict).
    """
    if kb:
        # The files themselves need no licence facts, but a broken --kb must still be reported.
        from ..knowledge import load_knowledge

        load_knowledge(kb)
    from ..api import check_agreements

    progress = Progress(quiet)
    try:
        report = check_agreements(list(paths), date=date, strict=strict or fail_on == "warning",
                                  progress=progress.stage)
    finally:
        progress.close()
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str))
    elif fmt == "sarif":
        from ..sarif import check_log

        click.echo(json.dumps(check_log(report.diagnostics, report.files), indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(report), nl=False)
    sys.exit(report.exit_code)
