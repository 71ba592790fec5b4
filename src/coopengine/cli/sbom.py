"""``coop sbom``: check every component of an SBOM against the outbound licence."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import EXIT, emit, format_option, kb_option, linking_option, use_option
from .main import run


def _progress(done: int, total: int) -> None:
    click.echo(f"coop sbom: {done:,} of {total:,} components checked", err=True)


@click.command("sbom")
@click.argument("sbom", metavar="SBOM", type=click.Path(dir_okay=False))
@click.option("--outbound", required=True, metavar="EXPR",
              help="SPDX expression of the work the components go into.")
@use_option
@linking_option
@format_option("text", "json", "markdown")
@click.option("--strict", is_flag=True,
              help="Refuse the SBOM (exit 2) if a component's licence is not an SPDX expression.")
@kb_option
def command(sbom: str, outbound: str, use: str, linking: str, fmt: str, strict: bool, kb: tuple[str, ...]) -> None:
    """Check every component of an SPDX or CycloneDX SBOM against OUTBOUND.

    The verdict is the worst over the components. Exit 0 compatible, 1 incompatible,
    3 conditional, 4 unknown (also for an SBOM without components), 2 bad input.
    """
    from ..api import check_sbom

    # Progress is for someone watching; in a pipeline or CI log it would only be noise.
    progress = _progress if sys.stderr.isatty() else None
    result = check_sbom(Path(sbom), outbound, use=use, linking=linking, strict=strict, kb=kb, progress=progress)
    from .. import explain_procurement as explain

    if fmt == "json":
        for chunk in explain.sbom_json_chunks(result):
            sys.stdout.write(chunk)
        sys.stdout.flush()
    elif fmt == "markdown":
        emit(explain.sbom_markdown(result))
    else:
        emit(explain.sbom_text(result))
    run(EXIT[result.verdict])
