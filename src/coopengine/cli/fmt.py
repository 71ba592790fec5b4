"""``coop fmt FILE... [--check]``: rewrite agreement files in the canonical layout."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import emit, emit_json, format_option, kb_option, say


@click.command(name="fmt")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Change nothing; list the files that would change and exit 1 if any.",
)
@format_option("text", "json")
@kb_option
def command(paths: tuple[Path, ...], check_only: bool, fmt: str, kb: tuple[str, ...]) -> None:
    """Format .coop files in place (folders are read recursively).

    Exit 0 when done (or nothing to change), 1 with --check if a file would change, 2 on errors.
    """
    if kb:
        from .. import load_knowledge

        load_knowledge(kb)
    from ..api import format_agreements

    report = format_agreements(list(paths), write=not check_only)
    for name, why in report.skipped:
        click.echo(f"coop fmt: skipped {name}: {why}", err=True)
    for err in report.errors:
        say(err.render())
    changed, failed = report.changed, bool(report.errors)
    if fmt == "json":
        emit_json(report.to_dict())
    else:
        for f in report.files:
            if f.changed:
                note = " (line endings CRLF/CR to LF)" if f.line_endings_changed else ""
                emit(f"would reformat {f.file}{note}" if check_only else f"reformatted {f.file}{note}")
    if failed:
        sys.exit(2)
    sys.exit(1 if check_only and changed else 0)
