"""``coop check FILE_OR_DIR...``: static checks of agreement and tender files."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from coopengine.errors import InputError, Location, printable
from coopengine.language import CheckResult, check

from .common import format_option, json_safe, kb_option

SCHEMA = "coopengine/check/v1"


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def exit_code(result: CheckResult, strict: bool) -> int:
    """2 on errors; with --strict, 1 on warnings; else 0."""
    if result.errors:
        return 2
    return 1 if strict and result.warnings else 0


def render_text(result: CheckResult) -> str:
    parts = [d.render() for d in result.diagnostics]
    errors, warnings = len(result.errors), len(result.warnings)
    files = len(result.program.modules) if result.program else 0
    parts.append(f"{errors} error(s), {warnings} warning(s)" + (f" in {files} file(s)" if files else ""))
    return "\n".join(parts) + "\n"


def render_json(result: CheckResult, strict: bool) -> str:
    data = {
        "schema": SCHEMA,
        "files": [m.file for m in result.program.modules] if result.program else [],
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "exit_code": exit_code(result, strict),
        "diagnostics": [d.to_dict() for d in result.diagnostics],
    }
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


@click.command(name="check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@format_option("text", "json")
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
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise InputError("no such file or folder", location=Location(", ".join(map(str, missing))),
                         expected=".coop files or folders holding them")
    result = check(list(paths), date=date)
    if not result.diagnostics and result.program is not None and not result.program.modules:
        raise InputError("no .coop files found", location=Location(", ".join(map(str, paths))),
                         expected="files ending in .coop (symlinks leading out of a folder are not followed)")
    click.echo(json_safe(render_json(result, strict)) if fmt == "json" else printable(render_text(result)), nl=False)
    sys.exit(exit_code(result, strict))
