"""The workbench's pages: server-rendered HTML forms that work without JavaScript.

One URL per page; small inputs travel as GET parameters so that a result can be bookmarked.
Files are uploaded with the form; the result page carries them back (base64, hidden) in its
download form, so downloads work without the server keeping anything.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from ..errors import CoopError
from ..explain_html import (
    TONES,
    VERDICT_WORDS,
    agreements_view,
    render,
    reuse_html,
    reuse_view,
    sbom_html,
    sbom_view,
    static_file,
    tender_html,
    tender_view,
)
from ..words import CATEGORIES, COPYLEFTS, LINKINGS, USES
from . import library
from .app import cli_json, dossier_response
from .forms import reuse_form
from .library import Upload
from .licences import licence_rows

__all__ = ["router", "error_page"]

router = APIRouter(include_in_schema=False)

NAV = (
    ("/", "Reuse decision", "reuse"),
    ("/licences", "Licences", "licences"),
    ("/compat", "Compatibility", "compat"),
    ("/agreements", "Agreements", "agreements"),
    ("/sbom", "SBOM check", "sbom"),
    ("/tender", "Tender check", "tender"),
    ("/catalogue", "What can we reuse?", "catalogue"),
)
MAX_COMPARE = 5
MAX_ROWS = 120
_STATIC = {"coop.css": "text/css", "coop.js": "text/javascript", "swagger-init.js": "text/javascript"}
_DOWNLOADS = {"json": ("application/json", "json"), "markdown": ("text/markdown", "md"),
              "html": ("text/html", "html"), "yaml": ("application/yaml", "yaml")}


def _page(request: Request | None, template: str, page: str, status: int = 200, **context: Any) -> HTMLResponse:
    root = request.scope.get("root_path", "") if request is not None else ""
    kb_version = None
    if request is not None:
        kb_version = library.knowledge(request.app.state.ws.kb).version
    html = render(template, nav=NAV, page=page, root=root, kb_version=kb_version, uses=USES, linkings=LINKINGS,
                  **context)
    return HTMLResponse(html, status_code=status)


def error_page(status: int, title: str, detail: str) -> HTMLResponse:
    return _page(None, "error.html", "", status, title=title, detail=detail)


def _error_text(err: CoopError) -> str:
    if err.location.file == "<scenario>" and err.source_line is None:
        # Typed into the form, not read from a file: a position in "<scenario>" would only be noise.
        lines = [err.message[:1].upper() + err.message[1:] + "."]
        lines += [f"Expected: {err.expected}"] if err.expected else []
        lines += [f"Hint: {err.hint}"] if err.hint else []
        lines += [f"Offending text: {err.text}"] if err.text and err.text not in err.message else []
        return "\n".join(lines)
    text = err.render()
    # Fields typed into a form have no source line to quote: name the offending text instead.
    if err.text and err.text not in text:
        text += f"\n  offending text: {err.text}"
    return text


async def _form(request: Request) -> tuple[dict[str, str], dict[str, Upload]]:
    form = await request.form(max_files=8, max_fields=300, max_part_size=request.app.state.max_upload)
    fields: dict[str, str] = {}
    uploads: dict[str, Upload] = {}
    try:
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                data = await value.read()
                if value.filename and data:
                    uploads[key] = Upload(value.filename, data)
            else:
                fields[key] = value
    finally:
        await form.close()
    # Files carried back by a result page's download form.
    for key in ("sbom", "publiccode", "tender", "bid"):
        encoded = fields.pop(f"{key}_b64", "")
        if encoded and key not in uploads:
            try:
                uploads[key] = Upload(fields.get(f"{key}_name") or key, base64.b64decode(encoded, validate=True))
            except (binascii.Error, ValueError):
                pass
    return fields, uploads


def _carried(uploads: Mapping[str, Upload]) -> list[tuple[str, str]]:
    """Hidden fields that carry the uploads back with a download request."""
    out = []
    for key, up in sorted(uploads.items()):
        out += [(f"{key}_b64", base64.b64encode(up.data).decode("ascii")), (f"{key}_name", up.name)]
    return out


def _stem(text: str) -> str:
    keep = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in text.strip())
    return keep.strip("-.")[:60] or "coopengine"


# --- reuse ----------------------------------------------------------------------------------


async def _decide(request: Request, fields: Mapping[str, str], uploads: Mapping[str, Upload]) -> tuple[Any, Any]:
    form = reuse_form(fields)
    ws = request.app.state.ws
    decision = await run_in_threadpool(library.reuse, ws, form.scenario(), sbom=uploads.get("sbom"),
                                       publiccode=uploads.get("publiccode"))
    return form, decision


async def _reuse_page(request: Request, fields: dict[str, str], uploads: dict[str, Upload]) -> HTMLResponse:
    form = reuse_form(fields)
    ws = request.app.state.ws
    context: dict[str, Any] = {"form": form, "parties": ws.parties, "today": dt.date.today().isoformat(),
                               "error": None, "d": None, "carried": _carried(uploads), "link": None,
                               "uploaded": sorted((k, u.name) for k, u in uploads.items())}
    if not form.submitted:
        return _page(request, "reuse.html", "reuse", **context)
    try:
        _, decision = await _decide(request, fields, uploads)
    except CoopError as err:
        context["error"] = _error_text(err)
        return _page(request, "reuse.html", "reuse", 400, **context)
    d = decision.to_dict()
    if not uploads:
        context["link"] = "/?" + urlencode([(k, v) for k, v in sorted(fields.items()) if v])
    context.update(d=d, view=reuse_view(d), fields=sorted((k, v) for k, v in fields.items() if v))
    return _page(request, "reuse.html", "reuse", **context)


@router.get("/", response_class=HTMLResponse)
async def reuse_get(request: Request) -> HTMLResponse:
    return await _reuse_page(request, dict(request.query_params), {})


@router.post("/", response_class=HTMLResponse)
async def reuse_post(request: Request) -> HTMLResponse:
    fields, uploads = await _form(request)
    return await _reuse_page(request, fields, uploads)


@router.post("/reuse/download")
async def reuse_download(request: Request) -> Response:
    fields, uploads = await _form(request)
    fmt = fields.pop("format", "json")
    if fmt not in _DOWNLOADS:
        return error_page(400, "Unknown format", f"cannot download {fmt!r}: choose " + ", ".join(_DOWNLOADS))
    try:
        form, decision = await _decide(request, fields, uploads)
    except CoopError as err:
        return error_page(400, "The input could not be processed", _error_text(err))
    d = decision.to_dict()
    name = f"reuse-{_stem(d['solution'].get('name') or 'solution')}-{d['provider']}-{d['recipient']}"
    media, ext = _DOWNLOADS[fmt]
    if fmt == "json":
        text = cli_json(d)
    elif fmt == "markdown":
        text = library.reuse_markdown(decision)
    elif fmt == "html":
        text = reuse_html(d)
    else:
        scenario = form.scenario()
        for key in ("sbom", "publiccode"):
            if key in uploads:
                scenario.setdefault("solution", {})[key] = uploads[key].name
        text = library.scenario_yaml(scenario, request.app.state.ws.agreements)
        name = f"scenario-{_stem(d['solution'].get('name') or 'solution')}"
    return dossier_response(text, f"{name}.{ext}", media)


# --- licences -------------------------------------------------------------------------------


@router.get("/licences", response_class=HTMLResponse)
async def licences(request: Request) -> HTMLResponse:
    params = {k: v.strip() for k, v in request.query_params.items()}
    ws = request.app.state.ws
    try:
        found = await run_in_threadpool(licence_rows, library.knowledge(ws.kb), params, library.compat, ws.kb)
    except CoopError as err:
        return _page(request, "licences.html", "licences", 400, params=params, error=_error_text(err), found=None,
                     categories=CATEGORIES, copylefts=COPYLEFTS, max_rows=MAX_ROWS, max_compare=MAX_COMPARE)
    return _page(request, "licences.html", "licences", params=params, error=None, found=found,
                 categories=CATEGORIES, copylefts=COPYLEFTS, max_rows=MAX_ROWS, max_compare=MAX_COMPARE)


@router.get("/licences/compare", response_class=HTMLResponse)
async def compare(request: Request) -> HTMLResponse:
    ids = [i for i in dict.fromkeys(x.strip() for x in request.query_params.getlist("ids")) if i]
    ws = request.app.state.ws
    error = None
    if not ids:
        error = "Pick two to five licences to compare (tick them in the licence list)."
    elif len(ids) > MAX_COMPARE:
        error = f"At most {MAX_COMPARE} licences can be compared side by side; {len(ids)} were picked."
    facts: list[dict[str, Any]] = []
    if error is None:
        try:
            facts = [library.licence(i, ws.kb) for i in ids]
        except CoopError as err:
            error = _error_text(err)
    return _page(request, "compare.html", "licences", 400 if error else 200, facts=facts, error=error, ids=ids)


@router.get("/licences/{licence_id}", response_class=HTMLResponse)
async def licence_page(licence_id: str, request: Request) -> HTMLResponse:
    try:
        facts = library.licence(licence_id, request.app.state.ws.kb)
    except CoopError as err:
        return _page(request, "licence.html", "licences", 404, facts=None, error=_error_text(err), wanted=licence_id)
    return _page(request, "licence.html", "licences", facts=facts, error=None, wanted=licence_id)


# --- compatibility --------------------------------------------------------------------------


def _choice(value: str, choices: tuple[str, ...], default: str) -> str:
    return value if value in choices else default


@router.get("/compat", response_class=HTMLResponse)
async def compat(request: Request) -> HTMLResponse:
    q = request.query_params
    ws = request.app.state.ws
    inbound, outbound = q.get("inbound", "").strip(), q.get("outbound", "").strip()
    use = _choice(q.get("use", ""), USES, "distribution")
    linking = _choice(q.get("linking", ""), LINKINGS, "static")
    result, ranked, error = None, None, None
    try:
        if inbound and q.get("rank"):
            ranked = await run_in_threadpool(library.outbound, inbound, use=use, linking=linking, kb=ws.kb)
        elif inbound and outbound:
            result = (await run_in_threadpool(library.compat, inbound, outbound, use=use, linking=linking,
                                              kb=ws.kb)).to_dict()
    except CoopError as err:
        error = _error_text(err)
    words = VERDICT_WORDS.get(result["verdict"], "") if result else ""
    return _page(request, "compat.html", "compat", 400 if error else 200, inbound=inbound, outbound=outbound,
                 use=use, linking=linking, result=result, ranked=ranked, error=error, words=words, tones=TONES)


# --- agreements -----------------------------------------------------------------------------


@router.get("/agreements", response_class=HTMLResponse)
async def agreements(request: Request) -> HTMLResponse:
    ws = request.app.state.ws
    view = agreements_view(ws.program, ws.lines, ws.check) if ws.program is not None else None
    return _page(request, "agreements.html", "agreements", view=view, files=ws.agreements, check=ws.check)


# --- SBOM and tender ------------------------------------------------------------------------


async def _sbom(request: Request, fields: Mapping[str, str], uploads: Mapping[str, Upload]) -> Any:
    ws = request.app.state.ws
    if "sbom" not in uploads:
        raise _Missing("Choose the SBOM file to check.")
    return await run_in_threadpool(
        library.sbom, uploads["sbom"], fields.get("outbound", "").strip() or "",
        use=_choice(fields.get("use", ""), USES, "distribution"),
        linking=_choice(fields.get("linking", ""), LINKINGS, "static"), kb=ws.kb)


class _Missing(Exception):
    pass


@router.get("/sbom", response_class=HTMLResponse)
async def sbom_form(request: Request) -> HTMLResponse:
    return _page(request, "sbom.html", "sbom", fields={}, d=None, error=None, carried=[])


@router.post("/sbom", response_class=HTMLResponse)
async def sbom_post(request: Request) -> HTMLResponse:
    return await _check_page(request, "sbom")


@router.post("/sbom/download")
async def sbom_download(request: Request) -> Response:
    return await _check_download(request, "sbom")


def _annex(fmt: str, name: str, text: str) -> Response:
    media, ext = _DOWNLOADS.get(fmt, _DOWNLOADS["html"])
    return dossier_response(text, f"{name}.{ext}", media)


async def _tender(request: Request, fields: Mapping[str, str], uploads: Mapping[str, Upload]) -> Any:
    ws = request.app.state.ws
    if "tender" not in uploads or "bid" not in uploads:
        raise _Missing("Choose the tender file (.coop) and the bid's SBOM.")
    day = None
    if fields.get("date"):
        try:
            day = dt.date.fromisoformat(fields["date"])
        except ValueError:
            raise _Missing(f"{fields['date']!r} is not a date (expected YYYY-MM-DD)") from None
    return await run_in_threadpool(
        library.tender, uploads["tender"], uploads["bid"], offered=fields.get("offered", "").strip() or None,
        publiccode=uploads.get("publiccode"), tender_id=fields.get("tender_id", "").strip() or None, date=day,
        kb=ws.kb)


@router.get("/tender", response_class=HTMLResponse)
async def tender_form(request: Request) -> HTMLResponse:
    return _page(request, "tender.html", "tender", fields={"date": dt.date.today().isoformat()}, d=None, error=None,
                 carried=[])


@router.post("/tender", response_class=HTMLResponse)
async def tender_post(request: Request) -> HTMLResponse:
    return await _check_page(request, "tender")


@router.post("/tender/download")
async def tender_download(request: Request) -> Response:
    return await _check_download(request, "tender")


def _why(err: Exception) -> str:
    return _error_text(err) if isinstance(err, CoopError) else str(err)


async def _run_check(request: Request, kind: str, fields: Mapping[str, str], uploads: Mapping[str, Upload]) -> Any:
    return await (_sbom if kind == "sbom" else _tender)(request, fields, uploads)


async def _check_page(request: Request, kind: str) -> HTMLResponse:
    """The SBOM or tender page after its form was sent: the findings and the annex's download form."""
    fields, uploads = await _form(request)
    try:
        result = await _run_check(request, kind, fields, uploads)
    except (CoopError, _Missing) as err:
        return _page(request, f"{kind}.html", kind, 400, fields=fields, d=None, error=_why(err), carried=[])
    d = result.to_dict(full=True) if kind == "sbom" else result.to_dict()
    view = sbom_view(d) if kind == "sbom" else tender_view(d)
    return _page(request, f"{kind}.html", kind, fields=fields, d=d, view=view, error=None, carried=_carried(uploads))


async def _check_download(request: Request, kind: str) -> Response:
    """The annex of an SBOM or tender check, decided again from the inputs the page carried back."""
    fields, uploads = await _form(request)
    fmt = fields.pop("format", "html")
    try:
        result = await _run_check(request, kind, fields, uploads)
    except (CoopError, _Missing) as err:
        return error_page(400, "The input could not be processed", _why(err))
    d = result.to_dict(full=True) if kind == "sbom" else result.to_dict()
    markdown: Callable[[Any], str]
    as_json: Callable[[Any], str]
    html: Callable[[Mapping[str, Any]], str]
    if kind == "sbom":
        name = f"sbom-check-{_stem(uploads['sbom'].name)}"
        markdown, as_json, html = library.sbom_markdown, library.sbom_json, sbom_html
    else:
        name = f"annex-{_stem(result.tender)}"
        markdown, as_json, html = library.tender_markdown, (lambda r: cli_json(r.to_dict())), tender_html
    if fmt == "markdown":
        text = markdown(result)
    elif fmt == "json":
        text = as_json(result)
    else:
        text = html(d)
    return _annex(fmt, name, text)


# --- the catalogue question -----------------------------------------------------------------

MAX_CATALOGUE_FILES = 200


@router.get("/catalogue", response_class=HTMLResponse)
async def catalogue_form(request: Request) -> HTMLResponse:
    return _catalogue_page(request, {}, None, None)


@router.post("/catalogue", response_class=HTMLResponse)
async def catalogue(request: Request) -> HTMLResponse:
    """Several publiccode.yml files at once, each decided as the reuse page decides one."""
    form = await request.form(max_files=MAX_CATALOGUE_FILES, max_fields=50,
                              max_part_size=request.app.state.max_upload)
    fields: dict[str, str] = {}
    files: list[Upload] = []
    try:
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                data = await value.read()
                if key == "publiccode" and value.filename and data:
                    files.append(Upload(value.filename, data))
            else:
                fields[key] = value
    finally:
        await form.close()
    ws = request.app.state.ws
    try:
        if not files:
            raise _Missing("Choose one or more publiccode.yml files.")
        recipient = fields.get("recipient", "").strip()
        if not recipient:
            raise _Missing("Name the body that wants to reuse the solutions.")
        d = await run_in_threadpool(
            library.catalogue, files, ws, recipient=recipient, use=_choice(fields.get("use", ""), USES, "distribution"),
            modified=fields.get("modified") == "on", date=_date(fields.get("date", "")),
            parties=_parties(fields.get("parties", "")))
    except (CoopError, _Missing) as err:
        return _catalogue_page(request, fields, None, _why(err), 400)
    return _catalogue_page(request, fields, d, None)


def _catalogue_page(request: Request, fields: Mapping[str, str], d: Mapping[str, Any] | None, error: str | None,
                    status: int = 200) -> HTMLResponse:
    return _page(request, "catalogue.html", "catalogue", status, fields=fields, d=d, error=error,
                 parties=request.app.state.ws.parties, tones=TONES, words=VERDICT_WORDS)


def _parties(text: str) -> dict[str, str]:
    """``Organisation = party`` lines (the page's mapping; the CLI's is a YAML file)."""
    out = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, party = line.rpartition("=")
        if not sep or not name.strip() or not party.strip():
            raise _Missing(f"Line {number} of the party mapping should read: Organisation name = party-id")
        out[name.strip()] = party.strip()
    return out


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        raise _Missing(f"The date {text.strip()!r} is not a date (YYYY-MM-DD).") from None


# --- static files and API docs --------------------------------------------------------------


@router.get("/static/{name}")
async def static(name: str) -> Response:
    if name not in _STATIC:
        return error_page(404, "Not found", "no such file")
    return Response(static_file(name), media_type=_STATIC[name], headers={"cache-control": "max-age=3600"})


@router.get("/api/docs", response_class=HTMLResponse)
async def api_docs(request: Request) -> HTMLResponse:
    return _page(request, "api_docs.html", "")


@router.get("/api/docs/assets/{name}")
async def api_docs_asset(name: str) -> Response:
    """Swagger UI's files, from the installed fastapi-offline wheel: nothing comes from a CDN."""
    import importlib.resources

    kinds = {"swagger-ui-bundle.js": "text/javascript", "swagger-ui.css": "text/css", "favicon.png": "image/png"}
    if name not in kinds:
        return error_page(404, "Not found", "no such file")
    data = (importlib.resources.files("fastapi_offline") / "static" / name).read_bytes()
    return Response(data, media_type=kinds[name], headers={"cache-control": "max-age=86400"})
