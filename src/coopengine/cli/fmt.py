"""``coop fmt FILE... [--check]``: rewrite agreement files in the canonical layout."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from coopengine.language import LanguageError, format_text
from coopengine.language.loader import collect, read

from .common import format_option, kb_option


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
        from ..knowledge import load_knowledge

        load_knowledge(kb)
    failed = False
    changed: list[str] = []
    endings: list[str] = []
    files, skipped = _files(paths)
    for name, reason in skipped:
        click.echo(f"coop fmt: skipped {name}: {reason}", err=True)
    for path in files:
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
            if "\r" in source.text:
                endings.append(source.file)
            if not check_only:
                # newline="" keeps what format_text wrote (LF) on every platform
                path.write_text(formatted, encoding="utf-8", newline="")
    if fmt == "json":
        data = {"schema": "coopengine/fmt/v1", "check": check_only, "changed": changed, "errors": failed,
                "line_endings_changed": endings, "skipped": [{"file": f, "reason": r} for f, r in skipped]}
        click.echo(json.dumps(data, indent=2))
    else:
        for name in changed:
            note = " (line endings CRLF/CR to LF)" if name in endings else ""
            click.echo(f"would reformat {name}{note}" if check_only else f"reformatted {name}{note}")
    if failed:
        sys.exit(2)
    sys.exit(1 if check_only and changed else 0)


def _files(paths: tuple[Path, ...]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The files to format, and those skipped with the reason.

    A folder is the user's consent to rewrite what is in it, not what its symlinks point at:
    a file that resolves outside the folder is skipped, as is a second link to the same file.
    """
    files: list[Path] = []
    skipped: list[tuple[str, str]] = []
    seen: set[Path] = set()
    for given in paths:
        inside = given.resolve() if given.is_dir() else None
        found = collect([given])
        chosen: set[Path] = set()
        # The file itself before a link to it, so the name reported is the real one.
        for path in sorted(found, key=Path.is_symlink):
            real = path.resolve()
            if inside is not None and not real.is_relative_to(inside):
                skipped.append((str(path), f"a symbolic link to a file outside {given}"))
            elif real not in seen:
                seen.add(real)
                chosen.add(path)
        files.extend(p for p in found if p in chosen)
    return files, sorted(skipped)
