"""The workbench's application: security headers, upload limits, problem+json, static files, docs.

``create_app`` wires the pages (:mod:`.pages`) and the API (:mod:`.api`) around one
:class:`~coopengine.web.library.Workspace` read at start. Nothing a request sends is kept:
uploads live in memory (or the framework's spooled temporary files) until the response.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import CoopError
from .library import Workspace

__all__ = ["create_app", "DEFAULT_MAX_UPLOAD", "BODY_TIMEOUT", "problem", "cli_json"]

DEFAULT_MAX_UPLOAD = 20 * 1024 * 1024
# A request whose body stops arriving for this long is answered 408 instead of holding a worker.
BODY_TIMEOUT = 30.0

# No inline script anywhere; styles only from our own stylesheet. Swagger UI sets style
# attributes from script, which style-src does not govern.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
# A downloaded dossier carries its stylesheet inline and nothing else.
DOSSIER_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class _TooLarge(Exception):
    pass


class _TooSlow(Exception):
    pass


def cli_json(data: Any) -> str:
    """JSON written exactly as the CLI writes it, so the API's bodies equal ``--format json``."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def problem(status: int, title: str, detail: str, **extra: Any) -> Response:
    """An RFC 9457 problem document."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return Response(cli_json(body), status_code=status, media_type="application/problem+json")


def _coop_problem(err: CoopError) -> Response:
    fields = err.to_dict()
    diagnostics = getattr(err, "diagnostics", None)
    if diagnostics:
        fields["diagnostics"] = [d.to_dict() for d in diagnostics]
    return problem(400, "The input could not be processed", err.render(), **fields)


class Guard:
    """Security headers on every response; request bodies capped in size and in time.

    Written as plain ASGI so that an oversized upload is refused while it streams in (413),
    before any form parser buffers it, and a stalled one does not hold a worker (408).
    """

    def __init__(self, app: ASGIApp, max_upload: int) -> None:
        self.app = app
        self.max_upload = max_upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        started = False
        refused: int | None = None  # set when the body broke a limit; whatever the app answers is replaced

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if refused is not None and not started:
                # The framework may have turned our exception into its own 400: answer 413/408 instead.
                if message["type"] == "http.response.start":
                    started = True
                    await self._refuse(refused, path, send_secured)
                return
            if refused is not None:
                return
            if message["type"] == "http.response.start":
                started = True
            await send_secured(message)

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-security-policy"]
                own = [(k, v) for k, v in message.get("headers", []) if k.lower() == b"content-security-policy"]
                headers += own or [(b"content-security-policy", CSP.encode())]
                headers += [h for h in _HEADERS if h[0] not in {k.lower() for k, _ in headers}]
                message["headers"] = headers
            await send(message)

        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_upload:
            await self._refuse(413, path, send_secured)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received, refused
            try:
                message = await asyncio.wait_for(receive(), BODY_TIMEOUT)
            except TimeoutError:
                refused = 408
                raise _TooSlow() from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_upload:
                    refused = 413
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except (_TooLarge, _TooSlow):
            if not started:
                await self._refuse(refused or 413, path, send_secured)

    async def _refuse(self, status: int, path: str, send: Send) -> None:
        if status == 413:
            detail = (f"the request is larger than the server's limit of {self.max_upload:,} bytes "
                      "(coop serve --max-upload)")
            title = "Upload too large"
        else:
            detail = f"the request body did not arrive within {BODY_TIMEOUT:.0f} seconds"
            title = "Request too slow"
        if path.startswith("/api/"):
            response = problem(status, title, detail)
        else:
            from .pages import error_page

            response = error_page(status, title, detail)
        await send({"type": "http.response.start", "status": response.status_code,
                    "headers": response.raw_headers})
        await send({"type": "http.response.body", "body": response.body})


def create_app(ws: Workspace, *, max_upload: int = DEFAULT_MAX_UPLOAD) -> Any:
    """The ASGI application for ``ws``: pages at ``/``, the API at ``/api/v1/``, docs at ``/api/docs``."""
    from . import api, pages

    app = FastAPI(
        title="coopengine workbench API",
        version=__version__,
        description=("Licence compatibility and reuse decisions for public bodies. Responses are the JSON "
                     "of the `coop` CLI (`coopengine/*/v1` schemas); bad input is `application/problem+json`."),
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.ws = ws
    app.state.max_upload = max_upload

    @app.exception_handler(CoopError)
    async def coop_error(request: Request, exc: CoopError) -> Response:
        return _coop_problem(exc)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"loc": [str(x) for x in e.get("loc", ())], "message": e.get("msg", ""), "type": e.get("type", "")}
                  for e in exc.errors()]
        detail = "; ".join(f"{'.'.join(e['loc'][1:]) or 'body'}: {e['message']}" for e in errors)
        return problem(422, "The request does not have the expected fields", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return problem(exc.status_code, _TITLES.get(exc.status_code, "Error"), str(exc.detail))
        return pages.error_page(exc.status_code, _TITLES.get(exc.status_code, "Error"), str(exc.detail))

    @app.exception_handler(Exception)
    async def bug(request: Request, exc: Exception) -> Response:
        # A bug, not the user's input: say so plainly, never with a traceback.
        detail = f"internal error: {type(exc).__name__}; the input was not decided (please report it)"
        if request.url.path.startswith("/api/"):
            return problem(500, "Internal error", detail)
        return pages.error_page(500, "Internal error", detail)

    app.include_router(api.router)
    app.include_router(pages.router)
    return Guard(app, max_upload)


_TITLES = {404: "Not found", 405: "Method not allowed", 400: "Bad request", 413: "Upload too large"}


def as_fastapi(app: Any) -> FastAPI:
    """The FastAPI application inside the guard (for tests and the OpenAPI description)."""
    inner = app.app if isinstance(app, Guard) else app
    assert isinstance(inner, FastAPI)
    return inner


def dossier_response(text: str, filename: str, media_type: str) -> Response:
    """A download: an attachment, with a CSP that lets a dossier's inline stylesheet work and nothing else."""
    headers = {"content-disposition": f'attachment; filename="{filename}"'}
    if media_type == "text/html":
        headers["content-security-policy"] = DOSSIER_CSP
    return Response(text, media_type=f"{media_type}; charset=utf-8", headers=headers)

