"""``coop fmt FILE... [--check]``: rewrite agreement files in the canonical layout."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from coopengine.language import LanguageError, format_text
from coopengine.language.loader import collect, read


@click.command(name="fmt")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Change nothing; list the files that would change and exit 1 if any.",
)
def command(paths: tuple[Path, ...], check_only: bool) -> None:
    """Format .coop files in place (folders are read recursively)."""
    failed = False
    changed: list[str] = []
    for path in collect(list(paths)):
        source = read(path)
        if source.text is None:
            click.echo(f"coop fmt: cannot read {source.file}: {source.problem}", err=True)
            failed = True
            continue
        try:
            formatted = format_text(source.text, source.file)
        except LanguageError as err:
            click.echo(err.render(), err=True)
            failed = True
            continue
        if formatted != source.text:
            changed.append(source.file)
            if not check_only:
                # newline="" keeps what format_text wrote (LF) on every platform
                path.write_text(formatted, encoding="utf-8", newline="")
    for name in changed:
        click.echo(f"would reformat {name}" if check_only else f"reformatted {name}")
    if failed:
        sys.exit(2)
    sys.exit(1 if check_only and changed else 0)
