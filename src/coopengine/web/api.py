"""The HTTP API under ``/api/v1/``: the CLI's commands, the CLI's words, the CLI's JSON.

Every response body is exactly what ``coop ... --format json`` prints for the same input;
a verdict is HTTP 200 whatever it says. ``reuse``, ``sbom``, ``tender`` and ``check`` take
a JSON body (files as text) or a multipart form (files as uploads).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.datastructures import UploadFile

from ..errors import InputError, Location
from . import library
from .app import cli_json
from .library import Upload

__all__ = ["router"]

_PROBLEM = {"application/problem+json": {"schema": {
    "type": "object", "description": "RFC 9457 problem details; for bad input, the CLI's message and position",
    "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                   "detail": {"type": "string", "description": "the message the CLI prints before exit 2"},
                   "code": {"type": "string"}, "message": {"type": "string"}, "file": {"type": "string"},
                   "line": {"type": "integer"}, "column": {"type": "integer"}, "text": {"type": "string"},
                   "expected": {"type": "string"}, "hint": {"type": "string"},
                   "diagnostics": {"type": "array", "items": {"type": "object"}},
                   "errors": {"type": "array", "items": {"type": "object"}}}}}}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "the verdict, whatever it is: the JSON of the matching `coop` command"},
    400: {"description": "the input could not be processed (the CLI's exit 2)", "content": _PROBLEM},
    413: {"description": "the request is larger than `--max-upload`", "content": _PROBLEM},
    422: {"description": "the body lacks or misnames a field", "content": _PROBLEM},
}

router = APIRouter(prefix="/api/v1", tags=["coopengine"], responses=_RESPONSES)

Use = Literal["internal", "network-service", "distribution"]
Linking = Literal["static", "dynamic", "separate"]
MAX_FILES = 200


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CompatIn(_In):
    inbound: str = Field(description="SPDX expression of the code put into the work", examples=["MIT OR Apache-2.0"])
    outbound: str = Field(description="SPDX expression of the combined work", examples=["GPL-2.0-only"])
    use: Use = "distribution"
    linking: Linking = "static"


class OutboundIn(_In):
    inbound: str = Field(description="SPDX expression of the code the work contains", examples=["LGPL-2.1-only"])
    use: Use = "distribution"
    linking: Linking = "static"


class ReuseIn(_In):
    scenario: dict[str, Any] | str = Field(description="the keys of a scenario file (provider, recipient, solution, "
                                           "use, ...), or the text of one; no file paths: send the SBOM and "
                                           "publiccode.yml with the request instead")
    sbom: str | None = Field(None, description="the solution's SBOM (SPDX or CycloneDX), as text")
    sbom_name: str = Field("sbom.json", description="the SBOM's file name, shown in the answer")
    publiccode: str | None = Field(None, description="the solution's publiccode.yml, as text")
    publiccode_name: str = "publiccode.yml"


class SbomIn(_In):
    sbom: str = Field(description="the SBOM (SPDX or CycloneDX), as text")
    sbom_name: str = Field("sbom.json", description="the SBOM's file name, shown in the answer")
    outbound: str = Field(description="SPDX expression of the work the components go into", examples=["EUPL-1.2"])
    use: Use = "distribution"
    linking: Linking = "static"
    strict: bool = False
    full: bool = Field(False, description="every component's reasons and obligations in full, not by reference "
                                          "(coop sbom --full)")


class TenderIn(_In):
    tender: str = Field(description="the .coop file holding the tender, as text")
    tender_name: str = "tender.coop"
    bid: str = Field(description="the bid's SBOM, as text")
    bid_name: str = "sbom.json"
    offered: str | None = Field(None, description="licence offered for the deliverable (wins over publiccode)")
    publiccode: str | None = Field(None, description="the bid's publiccode.yml, as text")
    publiccode_name: str = "publiccode.yml"
    tender_id: str | None = Field(None, description="which tender, when the file has several")
    date: dt.date | None = Field(None, description="decision date (default today)")


class CheckIn(_In):
    files: dict[str, str] = Field(description="file name -> text of each .coop file")
    date: dt.date | None = None


def _body(model: type[BaseModel]) -> dict[str, Any]:
    """OpenAPI: the endpoint takes JSON (this model) or a multipart form."""
    schema = model.model_json_schema()
    form = {"type": "object", "properties": {k: ({"type": "string", "format": "binary"}
                                                 if k in ("sbom", "publiccode", "tender", "bid", "files")
                                                 else {"type": "string"}) for k in schema["properties"]
                                             if not k.endswith("_name")}}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema},
                                                          "multipart/form-data": {"schema": form}}}}


def _json(data: Any) -> Response:
    return Response(cli_json(data), media_type="application/json")


async def _read(request: Request, model: type[BaseModel]) -> tuple[Any, dict[str, list[Upload]]]:
    """The request's fields as ``model`` and its uploads by field name, from JSON or a multipart form."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    uploads: dict[str, list[Upload]] = {}
    if kind == "multipart/form-data" or kind == "application/x-www-form-urlencoded":
        form = await request.form(max_files=MAX_FILES, max_fields=MAX_FILES + 50,
                                  max_part_size=request.app.state.max_upload)
        try:
            fields: dict[str, Any] = {}
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    uploads.setdefault(key, []).append(Upload(value.filename or key, await value.read()))
                else:
                    fields[key] = value
        finally:
            await form.close()
        for key, files in uploads.items():
            if key in model.model_fields and key != "files":
                fields[key] = files[0].data.decode("utf-8", errors="replace")
                fields.setdefault(f"{key}_name", files[0].name)
        if model is CheckIn:
            fields["files"] = {f.name: f.data.decode("utf-8", errors="replace") for f in uploads.get("files", [])}
        data: Any = fields
    else:
        raw = await request.body()
        try:
            data = json.loads(raw or b"null")
        except (ValueError, RecursionError) as err:
            pos = getattr(err, "lineno", None), getattr(err, "colno", None)
            raise InputError(f"the request body is not JSON: {getattr(err, 'msg', err)}",
                             location=Location("request body", *pos), expected="a JSON object") from None
    try:
        return model.model_validate(data), uploads
    except ValidationError as err:
        raise RequestValidationError([dict(e, loc=("body", *e["loc"])) for e in err.errors()]) from None


@router.post("/compat", summary="Can inbound code go into a work under the outbound licence?")
async def compat(body: CompatIn, request: Request) -> Response:
    """The JSON of `coop compat --format json` (schema `coopengine/compat/v1`)."""
    ws = request.app.state.ws
    result = await run_in_threadpool(library.compat, body.inbound, body.outbound, use=body.use,
                                     linking=body.linking, kb=ws.kb)
    return _json(result.to_dict())


@router.post("/outbound", summary="Ranked outbound licences for a work containing the inbound expression")
async def outbound(body: OutboundIn, request: Request) -> Response:
    """The JSON of `coop outbound EXPR --format json` (schema `coopengine/outbound/v1`)."""
    ws = request.app.state.ws
    return _json(await run_in_threadpool(library.outbound, body.inbound, use=body.use, linking=body.linking,
                                         kb=ws.kb))


@router.get("/licences/{licence_id}", summary="The knowledge base's facts on one licence or exception")
async def licence(licence_id: str, request: Request) -> Response:
    """The JSON of `coop licence ID --format json`; an unknown id is a 400 problem with a did-you-mean."""
    return _json(library.licence(licence_id, request.app.state.ws.kb))


@router.get("/expr", summary="Parse and normalise an SPDX licence expression")
async def expr(request: Request, expression: str = Query(..., max_length=10_000)) -> Response:
    """The JSON of `coop expr EXPR --format json` (used by the pages to check an expression as it is typed)."""
    return _json(library.expression(expression, request.app.state.ws.kb))


@router.post("/reuse", summary="May the recipient reuse the solution without an MOU?", openapi_extra=_body(ReuseIn))
async def reuse(request: Request) -> Response:
    """The JSON of `coop reuse --format json` (schema `coopengine/reuse/v1`), decided with the agreements
    the server was started with."""
    body, _ = await _read(request, ReuseIn)
    sbom = Upload(body.sbom_name, body.sbom.encode("utf-8")) if body.sbom is not None else None
    pc = Upload(body.publiccode_name, body.publiccode.encode("utf-8")) if body.publiccode is not None else None
    decision = await run_in_threadpool(library.reuse, request.app.state.ws, body.scenario, sbom=sbom, publiccode=pc)
    return _json(decision.to_dict())


@router.post("/sbom", summary="Check every SBOM component against the outbound licence",
             openapi_extra=_body(SbomIn))
async def sbom(request: Request) -> Response:
    """The JSON of `coop sbom --format json` (schema `coopengine/sbom/v1`)."""
    body, _ = await _read(request, SbomIn)
    ws = request.app.state.ws
    result = await run_in_threadpool(library.sbom, Upload(body.sbom_name, body.sbom.encode("utf-8")), body.outbound,
                                     use=body.use, linking=body.linking, strict=body.strict, kb=ws.kb)
    return Response(library.sbom_json(result, full=body.full), media_type="application/json")


@router.post("/tender", summary="Check a bid against a tender's requirements", openapi_extra=_body(TenderIn))
async def tender(request: Request) -> Response:
    """The JSON of `coop tender --format json` (schema `coopengine/tender/v1`)."""
    body, _ = await _read(request, TenderIn)
    ws = request.app.state.ws
    pc = Upload(body.publiccode_name, body.publiccode.encode("utf-8")) if body.publiccode is not None else None
    result = await run_in_threadpool(
        library.tender, Upload(body.tender_name, body.tender.encode("utf-8")),
        Upload(body.bid_name, body.bid.encode("utf-8")), offered=body.offered, publiccode=pc,
        tender_id=body.tender_id, date=body.date, kb=ws.kb)
    return _json(result.to_dict())


@router.get("/check", summary="The static checks of the agreements the server was started with")
async def check_loaded(request: Request) -> Response:
    """The JSON of `coop check --format json` on the server's agreements."""
    return _json(request.app.state.ws.check)


@router.post("/check", summary="Static checks of uploaded agreement and tender files", openapi_extra=_body(CheckIn))
async def check(request: Request) -> Response:
    """The JSON of `coop check --format json` on the files sent (errors are findings here, not a 400)."""
    body, _ = await _read(request, CheckIn)
    if not body.files:
        raise InputError("no .coop files were sent", location=Location("files"),
                         expected="one or more .coop files")
    files = [Upload(name, text.encode("utf-8")) for name, text in sorted(body.files.items())]
    return _json(await run_in_threadpool(library.check_files, files, date=body.date))
