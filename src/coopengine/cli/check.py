"""``coop check FILE_OR_DIR...``: static checks of agreement and tender files."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import printable
from .common import Progress, date_option, dump_json, format_option, json_safe, kb_option, quiet_option

if TYPE_CHECKING:
    from ..api import CheckReport


def render_text(report: CheckReport) -> str:
    parts = [d.render() for d in report.diagnostics]
    errors, warnings = len(report.errors), len(report.warnings)
    files = len(report.files)
    parts.append(f"{errors} error(s), {warnings} warning(s)" + (f" in {files} file(s)" if files else ""))
    return "\n".join(parts) + "\n"


@click.command(name="check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@format_option("text", "json", "sarif")
@click.option("--strict", is_flag=True, help="Exit 1 when there are warnings (the same as --fail-on warning).")
@click.option("--fail-on", "fail_on", type=click.Choice(["error", "warning"]), default="error", show_default=True,
              help="error: exit 2 on errors only; warning: also exit 1 on warnings.")
@quiet_option
@date_option("Decision date for expiry warnings (default: today).")
@kb_option
def command(paths: tuple[Path, ...], fmt: str, strict: bool, fail_on: str, quiet: bool, date: dt.date | None,
            kb: tuple[str, ...]) -> None:
    """Check .coop files (folders are read recursively) as one program.

    Exit 0 clean, 2 on errors, 1 on warnings with --fail-on warning (or --strict).
    """
    if kb:
        # The files themselves need no licence facts, but a broken --kb must still be reported.
        from .. import load_knowledge

        load_knowledge(kb)
    from ..api import check_agreements

    progress = Progress(quiet)
    try:
        report = check_agreements(list(paths), date=date, strict=strict or fail_on == "warning",
                                  progress=progress.stage)
    finally:
        progress.close()
    if fmt == "json":
        click.echo(json_safe(dump_json(report.to_dict())), nl=False)
    elif fmt == "sarif":
        from ..sarif import check_log

        click.echo(json_safe(json.dumps(check_log(report.diagnostics, report.files), indent=2, ensure_ascii=False)))
    else:
        click.echo(printable(render_text(report)), nl=False)
    sys.exit(report.exit_code)
