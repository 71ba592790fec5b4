"""``coop serve``: the workbench, a local web page and HTTP API over the library."""

from __future__ import annotations

import ipaddress
import sys

import click

from .common import kb_option

_SIZE_UNITS = {"k": 1024, "m": 1024**2, "g": 1024**3}


def _size(ctx: click.Context, param: click.Parameter, value: str) -> int:
    text = value.strip().lower().removesuffix("b")
    factor = _SIZE_UNITS.get(text[-1:], 1)
    number = text[:-1] if text[-1:] in _SIZE_UNITS else text
    try:
        size = int(float(number) * factor)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a size (e.g. 20M, 500k, 1048576)") from None
    if size < 1024:
        raise click.BadParameter("at least 1k")
    return size


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command("serve")
@click.option("--agreements", "agreements", multiple=True, type=click.Path(exists=True),
              help="Agreement files or folders the decisions use (repeatable); checked once at start.")
@kb_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--max-upload", "max_upload", default="20M", show_default=True, callback=_size,
              help="Largest request accepted (uploads included), e.g. 20M.")
@click.option("--root-path", "root_path", default="", metavar="PREFIX",
              help="The path prefix a reverse proxy serves the workbench under, e.g. /workbench.")
def command(agreements: tuple[str, ...], kb: tuple[str, ...], host: str, port: int, max_upload: int,
            root_path: str) -> None:
    """Start the workbench: web pages for reuse decisions, licences, agreements, SBOMs and tenders,
    and the HTTP API under /api/v1/. Exit 2 if an agreement file has an error (as coop check reports it).
    """
    from ..web import MISSING_EXTRA

    try:
        import fastapi  # noqa: F401
        import fastapi_offline  # noqa: F401  (Swagger UI's files for /api/docs)
        import multipart  # noqa: F401
        import uvicorn
    except ImportError:
        click.echo(f"error: {MISSING_EXTRA}", err=True)
        sys.exit(2)
    from ..web.app import create_app
    from ..web.library import open_workspace

    ws = open_workspace(list(agreements), kb)
    app = create_app(ws, max_upload=max_upload)
    if not _loopback(host):
        click.echo(f"warning: listening on {host}: the workbench has no authentication; anyone who can reach "
                   "this address can use it (put it behind a reverse proxy that authenticates, see docs/web.md)",
                   err=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"coop serve: the workbench is at http://{shown}:{port}/ (API docs at /api/docs); "
               f"{len(ws.check['files'])} agreement file(s), {ws.check['warnings']} warning(s). Ctrl-C stops it.")
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_keep_alive=5, server_header=False,
                root_path=root_path.rstrip("/"))
