"""``coop sbom``: check every component of one or more SBOMs against the outbound licence."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import (
    EXIT,
    Progress,
    emit,
    fail_on_option,
    format_option,
    gate,
    kb_option,
    linking_option,
    quiet_option,
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
              help="Refuse the SBOM (exit 2) if a component's licence is not an SPDX expression.")
@fail_on_option
@quiet_option
@kb_option
def command(sboms: tuple[str, ...], outbound: str, use: str, linking: str, fmt: str, strict: bool, fail_on: str,
            quiet: bool, kb: tuple[str, ...]) -> None:
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
                                      progress=_reporter(progress, label)))
    finally:
        progress.close()
    _print(results, fmt)
    worst = next(v for v in _WORST if any(r.verdict == v for r in results))
    run(gate(EXIT[worst], fail_on))


def _reporter(progress: Progress, label: str) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        progress.update(done, total, label)

    return report


def _print(results: list[SbomCheck], fmt: str) -> None:
    from .. import explain_procurement as explain

    if fmt == "sarif":
        from .. import sarif

        logs = [(r, _text(r.sbom.path)) for r in results]
        emit(_dump(sarif.sbom_log(logs)))
    elif fmt == "json":
        # One document as before; several as a JSON array of them, in the order given.
        many = len(results) > 1
        if many:
            sys.stdout.write("[\n")
        for i, result in enumerate(results):
            for chunk in explain.sbom_json_chunks(result):
                sys.stdout.write(chunk)
            if many:
                sys.stdout.write(",\n" if i < len(results) - 1 else "]\n")
        sys.stdout.flush()
    elif fmt == "html":
        from ..explain_html import sbom_html

        if len(results) > 1:
            # A dossier is one document to file or print; several would not be one HTML file.
            raise click.UsageError("--format html takes one SBOM; run coop sbom once per file")
        emit(sbom_html(results[0].to_dict()))
    else:
        render = explain.sbom_markdown if fmt == "markdown" else explain.sbom_text
        emit(("\n" if fmt == "text" else "\n---\n\n").join(render(r) for r in results))


def _text(path: str) -> str:
    """The SBOM's text again, for the lines of its components (it was read and size-checked already)."""
    return Path(path).read_bytes().decode("utf-8", errors="replace")


def _dump(data: object) -> str:
    import json

    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
