"""The one place where the workbench calls the engine.

The pages and the API call only these functions, so that what the web says is what the
CLI and the library say. Inputs arrive in memory (a scenario as a mapping, uploads as
bytes with the name the user gave them); nothing is kept after the call.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import CoopError, InputError, Location

__all__ = [
    "Upload",
    "Workspace",
    "open_workspace",
    "compat",
    "outbound",
    "licence",
    "knowledge",
    "reuse",
    "expression",
    "sbom_json",
    "scenario_yaml",
    "sbom",
    "tender",
    "check_files",
    "reuse_markdown",
    "sbom_markdown",
    "tender_markdown",
]


@dataclass(frozen=True)
class Upload:
    """A file the user sent: the name it had on their machine (shown, never opened) and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Workspace:
    """What ``coop serve`` reads once at start: the agreements (checked) and the knowledge base."""

    agreements: tuple[str, ...]
    kb: tuple[str, ...]
    check: Mapping[str, Any]  # the JSON of ``coop check`` on the agreements
    parties: tuple[tuple[str, str], ...]  # (id, name), sorted by id
    program: Any  # the loaded program, or None without agreements
    lines: Mapping[str, tuple[str, ...]]  # each agreement file's lines, for quoting conditions


def _check_json(result: Any) -> dict[str, Any]:
    errors, warnings = len(result.errors), len(result.warnings)
    return {
        "schema": "coopengine/check/v1",
        "files": [m.file for m in result.program.modules] if result.program else [],
        "errors": errors,
        "warnings": warnings,
        "exit_code": 2 if errors else 0,
        "diagnostics": [d.to_dict() for d in result.diagnostics],
    }


def open_workspace(agreements: Sequence[str], kb: Sequence[str] = (), *, date: dt.date | None = None) -> Workspace:
    """Load and check the agreements and the knowledge base; raises what ``coop check`` reports as errors."""
    from ..knowledge import load_knowledge
    from ..language import LanguageError, check
    from ..reuse import load_program

    load_knowledge(tuple(kb))  # a broken --kb stops the start, as it stops every command
    if not agreements:
        empty = {"schema": "coopengine/check/v1", "files": [], "errors": 0, "warnings": 0, "exit_code": 0,
                 "diagnostics": []}
        return Workspace((), tuple(kb), empty, (), None, {})
    result = check([Path(a) for a in agreements], date=date)
    if result.errors or result.program is None:
        raise LanguageError(result.errors or result.diagnostics)
    program, lines, _ = load_program([Path(a) for a in agreements])
    parties = tuple(sorted((p.id, p.name) for p in program.parties))
    return Workspace(tuple(agreements), tuple(kb), _check_json(result), parties, program, lines)


def knowledge(kb: Sequence[str] = ()) -> Any:
    """The knowledge base, for the licence search and its filters."""
    from .. import load_knowledge

    return load_knowledge(tuple(kb))


def compat(inbound: str, outbound: str, *, use: str, linking: str, kb: Sequence[str] = ()) -> Any:
    from .. import check_compat

    return check_compat(inbound, outbound, use=use, linking=linking, kb=tuple(kb))


def outbound(inbound: str, *, use: str, linking: str, kb: Sequence[str] = ()) -> dict[str, Any]:
    """The JSON of ``coop outbound``."""
    from .. import load_knowledge, parse_expression, rank_outbound
    from ..explain import outbound_dict

    parsed = parse_expression(inbound, source="inbound")
    ok, unknown = rank_outbound(parsed, use=use, linking=linking, kb=tuple(kb))
    uncurated = sum(1 for f in load_knowledge(tuple(kb)).licences.values() if not f.curated and not f.deprecated)
    return outbound_dict(parsed, use, linking, ok, unknown, uncurated)


def licence(licence_id: str, kb: Sequence[str] = ()) -> dict[str, Any]:
    """The JSON of ``coop licence ID``; an unknown id raises with a did-you-mean."""
    from .. import load_knowledge
    from ..explain import licence_dict
    from ..knowledge import find_facts

    kb_ = load_knowledge(tuple(kb))
    return licence_dict(find_facts(kb_, licence_id), kb_)


def _refuse_paths(scenario: Mapping[str, Any]) -> None:
    # No request may name a file on the server: agreements come from --agreements, the rest is uploaded.
    if "agreements" in scenario:
        raise InputError("a request cannot name agreement files", location=Location("scenario"),
                         text="agreements", expected="no 'agreements' key: the server decides with the "
                         "agreements it was started with (coop serve --agreements)")
    solution = scenario.get("solution")
    if isinstance(solution, Mapping):
        for key in ("sbom", "publiccode"):
            if key in solution:
                raise InputError(f"a request cannot name a {key} file on the server",
                                 location=Location("scenario"), text=f"solution.{key}",
                                 expected=f"upload the {key} file with the request instead")


def _safe_name(name: str, default: str) -> str:
    base = Path(name.replace("\\", "/")).name
    return base if base and base not in (".", "..") else default


def reuse(ws: Workspace, scenario: Mapping[str, Any] | str, *, sbom: Upload | None = None,
          publiccode: Upload | None = None) -> Any:
    """Decide a scenario (the keys of a scenario file, or its YAML text) against the workspace's agreements."""
    from .._yaml import load_yaml_text
    from ..reuse import decide
    from ..scenario import Scenario

    if isinstance(scenario, str):
        text = scenario
        doc = load_yaml_text(text, "scenario")
        data: Any = doc.data
    else:
        data = json.loads(json.dumps(scenario, default=str))
        text = json.dumps(data, indent=2, ensure_ascii=False)
    if not isinstance(data, dict):
        raise InputError("a scenario must be a mapping of keys (provider, recipient, solution, use, ...)",
                         location=Location("scenario", 1, 1))
    _refuse_paths(data)
    with tempfile.TemporaryDirectory(prefix="coop-web-") as tmp:
        folder = Path(tmp)
        solution = data.get("solution")
        for key, upload, default in (("sbom", sbom, "sbom.json"), ("publiccode", publiccode, "publiccode.yml")):
            if upload is None or not isinstance(solution, dict):
                continue
            name = _safe_name(upload.name, default)
            (folder / name).write_bytes(upload.data)
            solution[key] = name
        if sbom is not None or publiccode is not None:
            text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
        try:
            loaded = Scenario.from_text(text, "scenario", folder)
            decision = decide(loaded, kb=ws.kb, agreements=[Path(a) for a in ws.agreements])
        except CoopError as err:
            _strip_folder(err, folder)
            raise
    return decision


def expression(text: str, kb: Sequence[str] = ()) -> dict[str, Any]:
    """The JSON of ``coop expr EXPR``."""
    from .. import load_knowledge, parse_expression
    from ..explain import expr_dict

    return expr_dict(parse_expression(text, source="expression"), load_knowledge(tuple(kb)))


def sbom_json(result: Any) -> str:
    """The SBOM check's JSON, written as ``coop sbom --format json`` writes it."""
    from ..explain_procurement import sbom_json_chunks

    return "".join(sbom_json_chunks(result))


def _strip_folder(err: CoopError, folder: Path) -> None:
    loc = err.location
    if loc.file and loc.file.startswith(str(folder)):
        err.location = Location(Path(loc.file).name, loc.line, loc.column, loc.end_column)


def scenario_yaml(scenario: Mapping[str, Any], agreements: Sequence[str]) -> str:
    """The scenario file that ``coop reuse`` reads for the same decision."""
    from .._yaml import dump_yaml

    data = dict(scenario)
    if agreements:
        data["agreements"] = list(agreements)
    return dump_yaml(data)


def sbom(upload: Upload, outbound: str, *, use: str, linking: str, strict: bool = False,
         kb: Sequence[str] = ()) -> Any:
    from ..procurement import check_sbom
    from ..sbom import read_sbom

    with tempfile.TemporaryDirectory(prefix="coop-web-") as tmp:
        path = Path(tmp) / _safe_name(upload.name, "sbom.json")
        path.write_bytes(upload.data)
        try:
            read = read_sbom(path)
        except CoopError as err:
            _strip_folder(err, Path(tmp))
            raise
        read = replace(read, path=path.name)
    return check_sbom(read, outbound, use=use, linking=linking, strict=strict, kb=tuple(kb))


def tender(tender_file: Upload, bid: Upload, *, offered: str | None = None, publiccode: Upload | None = None,
           tender_id: str | None = None, date: dt.date | None = None, kb: Sequence[str] = ()) -> Any:
    from ..procurement import check_tender_files

    with tempfile.TemporaryDirectory(prefix="coop-web-") as tmp:
        folder = Path(tmp)
        names: list[str] = []
        for upload, default in ((tender_file, "tender.coop"), (bid, "sbom.json"), (publiccode, "publiccode.yml")):
            if upload is None:
                names.append("")
                continue
            name = _safe_name(upload.name, default)
            if name in names:
                name = f"{len(names)}-{name}"
            (folder / name).write_bytes(upload.data)
            names.append(name)
        try:
            result = check_tender_files(str(folder / names[0]), str(folder / names[1]), offered=offered,
                                        publiccode=str(folder / names[2]) if names[2] else None,
                                        tender_id=tender_id, date=date or dt.date.today(), kb=tuple(kb))
        except CoopError as err:
            _strip_folder(err, folder)
            raise
    return replace(result, inputs=tuple(replace(i, path=Path(i.path).name) for i in result.inputs))


def check_files(files: Sequence[Upload], *, date: dt.date | None = None) -> dict[str, Any]:
    """The JSON of ``coop check`` on uploaded .coop files."""
    from ..language.loader import Source, check_sources
    from ..language.parser import normalise

    sources = []
    for f in files:
        try:
            sources.append(Source(_safe_name(f.name, "agreement.coop"), normalise(f.data.decode("utf-8"))))
        except UnicodeDecodeError as err:
            sources.append(Source(_safe_name(f.name, "agreement.coop"), None, f"is not UTF-8 (byte {err.start + 1})"))
    return _check_json(check_sources(sources, date=date))


def reuse_markdown(decision: Any) -> str:
    from ..explain_reuse import reuse_markdown as render

    return render(decision)


def sbom_markdown(result: Any) -> str:
    from ..explain_procurement import sbom_markdown as render

    return render(result)


def tender_markdown(result: Any) -> str:
    from ..explain_procurement import tender_markdown as render

    return render(result)
