"""``coop sbom``: check every component of one or more SBOMs against the outbound licence."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..words import DEFAULT_SCOPES
from .common import (
    EXIT,
    Progress,
    emit,
    emit_json,
    fail_on_option,
    format_option,
    gate,
    json_safe,
    kb_option,
    linking_option,
    quiet_option,
    reread,
    use_option,
)
from .main import run

if TYPE_CHECKING:
    from ..procurement import SbomCheck

# Worst first, as for the components of one SBOM: the exit code of several is the worst's.
_WORST = ("incompatible", "unknown", "conditional", "compatible")


@click.command("sbom")
@click.argument("sboms", metavar="SBOM...", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--outbound", required=True, metavar="EXPR",
              help="SPDX expression of the work the components go into.")
@use_option
@linking_option
@format_option("text", "json", "markdown", "sarif", "html")
@click.option("--strict", is_flag=True,
              help="Refuse the SBOM (exit 2) if a component's licence is not an SPDX expression "
                   "(licence names are then not read through the name table), or if a part the "
                   "decision does not use is malformed (otherwise a warning).")
@click.option("--licence-list-as", "licence_list_as", type=click.Choice(["or", "and"]), default="or",
              show_default=True,
              help="How several licences listed for one CycloneDX component are read: a choice (or) "
                   "or all applying (and, the cautious reading).")
@click.option("--scope", "scopes", multiple=True, metavar="SCOPE",
              help="A dependency scope whose components count: runtime, optional, dev, test, build or "
                   "excluded (repeatable; default runtime). The others are listed as not evaluated.")
@click.option("--full", is_flag=True,
              help="With --format json, write every component's reasons and obligations out in full "
                   "instead of by reference to the document's tables.")
@fail_on_option
@quiet_option
@kb_option
def command(sboms: tuple[str, ...], outbound: str, use: str, linking: str, fmt: str, strict: bool,
            licence_list_as: str, scopes: tuple[str, ...], full: bool, fail_on: str, quiet: bool,
            kb: tuple[str, ...]) -> None:
    """Check every component of each SPDX or CycloneDX SBOM against OUTBOUND.

    The verdict of an SBOM is the worst over its components; with several SBOMs, each gets its
    own summary and the exit code is the worst's. Exit 0 compatible, 1 incompatible,
    3 conditional, 4 unknown (also for an SBOM without components), 2 bad input; --fail-on
    lowers to 0 the codes it does not cover.
    """
    from ..api import check_sbom

    progress = Progress(quiet)
    results: list[SbomCheck] = []
    try:
        for n, path in enumerate(sboms, 1):
            label = f"{path} ({n}/{len(sboms)})" if len(sboms) > 1 else path
            progress.stage(f"reading {label}")
            results.append(check_sbom(Path(path), outbound, use=use, linking=linking, strict=strict, kb=kb,
                                      progress=_reporter(progress, label), licence_list_as=licence_list_as,
                                      scopes=scopes or DEFAULT_SCOPES))
    finally:
        progress.close()
    _print(results, fmt, full)
    worst = next(v for v in _WORST if any(r.verdict == v for r in results))
    run(gate(EXIT[worst], fail_on))


def _reporter(progress: Progress, label: str) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        progress.update(done, total, label)

    return report


def _print(results: list[SbomCheck], fmt: str, full: bool) -> None:
    from ..api import render, render_chunks

    if fmt == "sarif":
        from .. import sarif

        logs = [(r, reread(r.sbom.path)) for r in results]
        emit_json(sarif.sbom_log(logs))
    elif fmt == "json":
        # One document as before; several as a JSON array of them, in the order given.
        many = len(results) > 1
        if many:
            sys.stdout.write("[\n")
        for i, result in enumerate(results):
            for chunk in render_chunks(result, "json", full=full):
                sys.stdout.write(json_safe(chunk))
            if many:
                sys.stdout.write(",\n" if i < len(results) - 1 else "]\n")
        sys.stdout.flush()
    elif fmt == "html":
        if len(results) > 1:
            # A dossier is one document to file or print; several would not be one HTML file.
            raise click.UsageError("--format html takes one SBOM; run coop sbom once per file")
        emit(render(results[0], fmt), reflow=False)
    else:
        emit(("\n" if fmt == "text" else "\n---\n\n").join(render(r, fmt) for r in results), reflow=fmt == "text")
