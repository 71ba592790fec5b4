"""The one place where the workbench calls the engine.

The pages and the API call only these functions, so that what the web says is what the
CLI and the library say. Inputs arrive in memory (a scenario as a mapping, uploads as
bytes with the name the user gave them); nothing is kept after the call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, Location, printable

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
    loaded: Any  # the agreements as ``load_program`` read them, for every decision


def open_workspace(agreements: Sequence[str], kb: Sequence[str] = (), *, date: dt.date | None = None) -> Workspace:
    """Load and check the agreements and the knowledge base; raises what ``coop check`` reports as errors."""
    from .. import check_agreements, load_knowledge, load_program

    load_knowledge(tuple(kb))  # a broken --kb stops the start, as it stops every command
    if not agreements:
        empty = {"schema": "coopengine/check/v1", "files": [], "errors": 0, "warnings": 0, "exit_code": 0,
                 "diagnostics": []}
        return Workspace((), tuple(kb), empty, (), None, {}, None)
    report = check_agreements([Path(a) for a in agreements], date=date)
    report.raise_errors()
    loaded = load_program([Path(a) for a in agreements])
    parties = tuple(sorted((p.id, p.name) for p in loaded.program.parties))
    return Workspace(tuple(agreements), tuple(kb), report.to_dict(), parties, loaded.program, loaded.lines, loaded)


def knowledge(kb: Sequence[str] = ()) -> Any:
    """The knowledge base, for the licence search and its filters."""
    from .. import load_knowledge

    return load_knowledge(tuple(kb))


def compat(inbound: str, outbound: str, *, use: str, linking: str, kb: Sequence[str] = ()) -> Any:
    from .. import check_compat

    return check_compat(inbound, outbound, use=use, linking=linking, kb=tuple(kb))


def outbound(inbound: str, *, use: str, linking: str, kb: Sequence[str] = ()) -> dict[str, Any]:
    """The JSON of ``coop outbound`` (shaped by the same renderer the CLI uses)."""
    from .. import outbound_licences

    return outbound_licences(inbound, use=use, linking=linking, source="inbound", kb=tuple(kb)).to_dict()


def licence(licence_id: str, kb: Sequence[str] = ()) -> dict[str, Any]:
    """The JSON of ``coop licence ID``; an unknown id raises with a did-you-mean."""
    from .. import describe_licence

    return describe_licence(licence_id, kb=tuple(kb)).to_dict()


def expression(text: str, kb: Sequence[str] = ()) -> dict[str, Any]:
    """The JSON of ``coop expr EXPR``."""
    from .. import describe_expression

    return describe_expression(text, source="expression", kb=tuple(kb)).to_dict()


def _refuse_paths(scenario: Mapping[str, Any]) -> None:
    # No request may name a file on the server: agreements come from --agreements, the rest is uploaded.
    if "agreements" in scenario:
        raise InputError("a request cannot name agreement files", location=Location("<scenario>"),
                         text="agreements", expected="no 'agreements' key: the server decides with the "
                         "agreements it was started with (coop serve --agreements)")
    solution = scenario.get("solution")
    if isinstance(solution, Mapping):
        for key in ("sbom", "publiccode"):
            if key in solution:
                raise InputError(f"a request cannot name a {key} file on the server",
                                 location=Location("<scenario>"), text=f"solution.{key}",
                                 expected=f"send the {key} file with the request instead")


def _name(upload: Upload, default: str) -> str:
    # Only the last part of what the browser sent, and never control characters: it is shown, not opened.
    base = upload.name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable())
    return base if base.strip(". ") else default


def _text(upload: Upload, name: str) -> str:
    try:
        return upload.data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = upload.data.count(b"\n", 0, err.start) + 1
        raise InputError(f"not UTF-8 text (byte {err.start + 1})", location=Location(name, line),
                         expected="a UTF-8 text file") from None


def reuse(ws: Workspace, scenario: Mapping[str, Any] | str, *, sbom: Upload | None = None,
          publiccode: Upload | None = None) -> Any:
    """Decide a scenario (the keys of a scenario file, or its YAML text) against the workspace's agreements."""
    from .. import decide_reuse, load_scenario, read_sbom, read_yaml

    pc = publiccode.data if publiccode is not None else None
    if isinstance(scenario, str):
        data = read_yaml(scenario, name="<scenario>")
        if not isinstance(data, dict):
            raise InputError("a scenario must be a mapping of keys (provider, recipient, solution, use, ...)",
                             location=Location("<scenario>", 1, 1))
        _refuse_paths(data)
        # With a line break, text is content for the library, never a path on the server.
        loaded = load_scenario(scenario if "\n" in scenario else scenario + "\n", publiccode=pc)
    else:
        _refuse_paths(scenario)
        loaded = load_scenario(scenario, publiccode=pc)
    return decide_reuse(
        loaded,
        agreements=ws.loaded if ws.loaded is not None else (),
        sbom=read_sbom(sbom.data, name=_name(sbom, "sbom.json")) if sbom is not None else None,
        kb=ws.kb,
    )


def scenario_yaml(scenario: Mapping[str, Any], agreements: Sequence[str]) -> str:
    """The scenario file that ``coop reuse`` reads for the same decision."""
    from .. import scenario_yaml as dump

    data = dict(scenario)
    if agreements:
        data["agreements"] = list(agreements)
    return dump(data)


def sbom(upload: Upload, outbound: str, *, use: str, linking: str, strict: bool = False,
         kb: Sequence[str] = ()) -> Any:
    from .. import check_sbom, read_sbom

    return check_sbom(read_sbom(upload.data, name=_name(upload, "sbom.json")), outbound, use=use, linking=linking,
                      strict=strict, kb=tuple(kb))


def sbom_json(result: Any, *, full: bool = False) -> str:
    """The SBOM check's JSON, written as ``coop sbom --format json`` writes it (``full``: ``--full``)."""
    from .. import render

    return render(result, "json", full=full)


def tender(tender_file: Upload, bid: Upload, *, offered: str | None = None, publiccode: Upload | None = None,
           tender_id: str | None = None, date: dt.date | None = None, kb: Sequence[str] = ()) -> Any:
    from .. import check_tender, read_sbom

    name = _name(tender_file, "tender.coop")
    return check_tender(
        {name: _text(tender_file, name)}, read_sbom(bid.data, name=_name(bid, "sbom.json")),
        offered=offered, publiccode=publiccode.data if publiccode is not None else None, tender_id=tender_id,
        date=date or dt.date.today(), kb=tuple(kb))


def check_files(files: Sequence[Upload], *, date: dt.date | None = None) -> dict[str, Any]:
    """The JSON of ``coop check`` on uploaded .coop files."""
    from .. import check_agreements

    named: dict[str, str] = {}
    for f in files:
        name = _name(f, "agreement.coop")
        name = name if name not in named else f"{len(named)}-{name}"
        named[name] = _text(f, name)
    return dict(check_agreements(named, date=date).to_dict())


def reuse_markdown(decision: Any) -> str:
    from .. import render

    return render(decision, "markdown")


def sbom_markdown(result: Any) -> str:
    from .. import render

    return render(result, "markdown")


def tender_markdown(result: Any) -> str:
    from .. import render

    return render(result, "markdown")


def catalogue(files: Sequence[Upload], ws: Workspace, *, recipient: str, use: str, modified: bool,
              date: dt.date | None, parties: Mapping[str, str]) -> dict[str, Any]:
    """The "What can we reuse?" page's answer: the uploaded publiccode.yml files decided as
    ``coop catalogue`` decides a folder of them, with the workspace's agreements. Each upload is
    written to its own folder of a temporary directory that is gone when the answer is; the
    answer names the files as they were uploaded, never by where they were put."""
    import tempfile

    from .. import decide_catalogue

    with tempfile.TemporaryDirectory(prefix="coop-catalogue-") as tmp:
        names: dict[str, str] = {}
        for n, up in enumerate(files):
            folder = Path(tmp) / f"{n:04d}"
            folder.mkdir()
            (folder / "publiccode.yml").write_bytes(up.data)
            names[str(folder / "publiccode.yml")] = up.name
        result = decide_catalogue([tmp], recipient=recipient, use=use, modified=modified, date=date,
                                  agreements=list(ws.agreements), parties=dict(parties), kb=tuple(ws.kb))
        d = result.to_dict()
    for s in d["solutions"]:
        shown = names.get(s["path"], "publiccode.yml")
        s["path"] = shown
        if s["error"] is not None:
            s["error"]["file"] = shown
            for key in ("message", "hint", "text"):
                if isinstance(s["error"].get(key), str):
                    s["error"][key] = printable(s["error"][key])
        # What the files say is shown as text: control and bidi characters escaped, as everywhere.
        for key in ("path", "name", "organisation", "provider", "licence"):
            if isinstance(s[key], str):
                s[key] = printable(s[key])
    d["agreements"] = [Path(a).name for a in ws.agreements]
    return d
