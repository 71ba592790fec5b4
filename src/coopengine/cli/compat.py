"""``coop compat``: can inbound code go into a work under the outbound licence, for this use?"""

from __future__ import annotations

import click

from .common import EXIT, emit, emit_json, format_option, kb_option, linking_option, use_option
from .main import run


@click.command("compat")
@click.option("--inbound", required=True, metavar="EXPR", help="SPDX expression of the code put into the work.")
@click.option("--outbound", required=True, metavar="EXPR",
              help="SPDX expression of the combined work (LicenseRef-Proprietary: closed source).")
@use_option
@linking_option
@format_option("text", "json")
@kb_option
def command(inbound: str, outbound: str, use: str, linking: str, fmt: str, kb: tuple[str, ...]) -> None:
    """Can code under INBOUND go into a work under OUTBOUND for this use?

    Exit 0 compatible, 1 incompatible, 3 conditional, 4 unknown, 2 bad input.
    """
    from ..engine import check_compat

    result = check_compat(inbound, outbound, use=use, linking=linking, kb=kb)
    if fmt == "json":
        emit_json(result.to_dict())
    else:
        from ..explain import compat_text

        emit(compat_text(result))
    run(EXIT[result.verdict])
