"""Reuse scenarios (``coop reuse SCENARIO.yaml``): strict YAML into a frozen model.

Built through ``from_file`` → ``from_text`` → ``from_dict``, each rung adding what it knows
to errors (file, then line and column). Unknown keys and wrong types are errors, never
ignored: a misspelt ``licence`` silently dropped would change the answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._files import read_input, resolve_inside
from ._yaml import MAX_YAML_BYTES, YamlDoc, load_yaml_bytes, load_yaml_text
from .errors import InputError, Location, did_you_mean

__all__ = ["Scenario", "Solution", "read_publiccode", "publiccode_facts", "USES", "LINKINGS"]

from .words import COMPONENT_SCOPES, DEFAULT_SCOPES, LINKINGS, USES  # noqa: E402

_IDENT = re.compile(r"^[a-z][a-z0-9-]*$")
# Attribute names may be dotted, as the publiccode.yml facts are (maintenance.type, depends-on.open).
_ATTRIBUTE = re.compile(r"^[a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)*$")

_SCENARIO_KEYS = {
    "provider": "party id of the organisation that owns and shares the solution",
    "recipient": "party id of the organisation that wants to reuse it",
    "date": "decision date, YYYY-MM-DD (default today)",
    "solution": "the software being reused",
    "use": "internal | network-service | distribution",
    "modified": "true if the recipient modifies it",
    "linking": "static | dynamic | separate",
    "combined_with": "licence of the recipient's code combined with it",
    "outbound": "licence under which the recipient would distribute the result",
    "agreements": "files or folders of .coop agreement files",
    "scopes": "dependency scopes of SBOM components that count (default [runtime])",
}
_SOLUTION_KEYS = {
    "name": "the solution's name",
    "owner": "party id of the owner of the code (default: the provider)",
    "licence": "SPDX expression for the code the owner holds",
    "publiccode": "path to a publiccode.yml",
    "sbom": "path to an SPDX or CycloneDX SBOM of third-party components",
    "attributes": "free facts, read by clauses as solution.NAME",
}

Scalar = str | int | float | bool | dt.date


@dataclass(frozen=True)
class Solution:
    name: str | None
    owner: str
    licence: str | None
    licence_from: str  # "scenario" | "publiccode" | "none"
    publiccode: Path | None = None
    sbom: Path | None = None
    attributes: Mapping[str, Scalar] = field(default_factory=dict)
    # Where the licence text was written (file, line, column), for errors in the expression.
    licence_at: tuple[str, int, int, str | None] | None = None
    publiccode_sha256: str = ""


@dataclass(frozen=True)
class Scenario:
    file: str
    folder: Path
    provider: str
    recipient: str
    date: dt.date
    date_given: bool
    solution: Solution
    use: str
    modified: bool
    linking: str | None
    combined_with: str | None
    outbound: str | None
    agreements: tuple[Path, ...]
    sha256: str = ""
    scopes: tuple[str, ...] = DEFAULT_SCOPES
    """Which SBOM components count (``scopes:``); the others are listed apart, not decided."""
    positions: Mapping[str, int] = field(default_factory=dict)  # key path -> line, for explanations

    @classmethod
    def from_file(cls, path: str | Path, *, today: dt.date | None = None,
                  publiccode: Mapping[str, Any] | None = None, allow_outside: bool = False) -> Scenario:
        """The scenario in ``path``; the files it names must sit under its folder unless ``allow_outside``."""
        p = Path(path)
        raw = read_input(p, limit=MAX_YAML_BYTES, what="scenario")
        doc = load_yaml_bytes(raw, str(p))
        digest = hashlib.sha256(raw).hexdigest()
        return cls.from_doc(doc, p.parent, today=today, sha256=digest, publiccode=publiccode,
                            allow_outside=allow_outside)

    @classmethod
    def from_text(cls, text: str, file: str, folder: Path, *, today: dt.date | None = None,
                  publiccode: Mapping[str, Any] | None = None, allow_outside: bool = False) -> Scenario:
        doc = load_yaml_text(text, file)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return cls.from_doc(doc, folder, today=today, sha256=digest, publiccode=publiccode,
                            allow_outside=allow_outside)

    @classmethod
    def from_doc(cls, doc: YamlDoc, folder: Path, *, today: dt.date | None = None, sha256: str = "",
                 publiccode: Mapping[str, Any] | None = None, allow_outside: bool = False) -> Scenario:
        data = doc.data
        if not isinstance(data, dict):
            raise doc.error((), "a scenario must be a mapping of keys (provider, recipient, solution, use, ...)")
        return cls.from_dict(data, doc, folder, today=today, sha256=sha256, publiccode=publiccode,
                             allow_outside=allow_outside)

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], doc: YamlDoc, folder: Path, *, today: dt.date | None = None, sha256: str = "",
        publiccode: Mapping[str, Any] | None = None, allow_outside: bool = False,
    ) -> Scenario:
        """``publiccode``: the facts of a publiccode.yml given in memory (:func:`publiccode_facts`),
        used instead of reading the file the scenario names."""
        _check_keys(doc, (), data, _SCENARIO_KEYS)
        for required in ("provider", "recipient", "solution", "use"):
            if required not in data:
                raise doc.error((), f"missing key {required!r}", expected=f"{required}: {_SCENARIO_KEYS[required]}")
        provider, recipient = _parties(doc, data)
        use = _choice(doc, ("use",), data["use"], USES)
        linking = _choice(doc, ("linking",), data["linking"], LINKINGS) if data.get("linking") is not None else None
        modified = _flag(doc, data)
        date_given = data.get("date") is not None
        day = read_date(doc, ("date",), data["date"]) if date_given else (today or dt.date.today())
        solution = _solution(doc, data["solution"], provider, folder, allow_outside, publiccode)
        agreements = _agreement_paths(doc, data.get("agreements", []), folder, allow_outside)
        scopes = _scopes(doc, data.get("scopes", list(DEFAULT_SCOPES)))
        positions = {".".join(str(x) for x in k): v[0] for k, v in doc.positions.items()}
        return cls(
            file=doc.file,
            folder=folder,
            provider=provider,
            recipient=recipient,
            date=day,
            date_given=date_given,
            solution=solution,
            use=use,
            modified=modified,
            linking=linking,
            combined_with=_text(doc, ("combined_with",), data.get("combined_with")),
            outbound=_text(doc, ("outbound",), data.get("outbound")),
            agreements=agreements,
            scopes=scopes,
            sha256=sha256,
            positions=positions,
        )


def _solution(
    doc: YamlDoc, sol: Any, provider: str, folder: Path, allow_outside: bool,
    publiccode: Mapping[str, Any] | None,
) -> Solution:
    """``solution:``, with what its publiccode.yml says where the scenario is silent."""
    if not isinstance(sol, dict):
        raise doc.error(("solution",), "solution must be a mapping", expected="name:, licence:, sbom:, ...")
    _check_keys(doc, ("solution",), sol, _SOLUTION_KEYS)
    owner = _ident(doc, ("solution", "owner"), sol["owner"]) if sol.get("owner") is not None else provider
    pc_path = _path(doc, ("solution", "publiccode"), sol.get("publiccode"), folder, allow_outside)
    sbom = _path(doc, ("solution", "sbom"), sol.get("sbom"), folder, allow_outside)
    attributes = _attributes(doc, sol.get("attributes"))
    licence = _text(doc, ("solution", "licence"), sol.get("licence"))
    name = _text(doc, ("solution", "name"), sol.get("name"))
    licence_from = "scenario" if licence else "none"
    where = doc.locate(("solution", "licence"))
    licence_at = _at(doc, where) if licence else None
    pc = dict(publiccode) if publiccode is not None else (
        read_publiccode(pc_path, named_in=doc.file) if pc_path else None)
    if pc is not None:
        if licence is None and pc.get("licence"):
            licence, licence_from = str(pc["licence"]), "publiccode"
            licence_at = pc.get("licence_at")
        elif licence and pc.get("licence") and str(pc["licence"]).strip() != licence.strip():
            raise doc.error(
                ("solution", "licence"),
                f"the scenario's licence {licence!r} differs from publiccode.yml's legal.license "
                f"{pc['licence']!r}",
                hint="remove one of them, or correct the one that is wrong",
            )
        name = name or (str(pc["name"]) if pc.get("name") else None)
        _add_publiccode_attributes(attributes, pc)
    return Solution(name, owner, licence, licence_from, pc_path, sbom, attributes, licence_at,
                    str(pc.get("sha256", "")) if pc is not None else "")


def _flag(doc: YamlDoc, data: Mapping[str, Any]) -> bool:
    modified = data.get("modified", False)
    if not isinstance(modified, bool):
        raise doc.error(("modified",), "modified must be true or false", text=str(modified))
    return modified


def _add_publiccode_attributes(attributes: dict[str, Any], pc: Mapping[str, Any]) -> None:
    """The publiccode.yml's facts (docs/publiccode.md) as attributes; the scenario's own win."""
    for key in ("main-copyright-owner", "repo-owner"):
        if pc.get(key) and key not in attributes:
            attributes[key] = str(pc[key])
    for fact, value in (pc.get("facts") or {}).items():
        key = fact.removeprefix("solution.")
        if key not in attributes and key != "name":
            attributes[key] = value


def _parties(doc: YamlDoc, data: Mapping[str, Any]) -> tuple[str, str]:
    provider = _ident(doc, ("provider",), data["provider"])
    recipient = _ident(doc, ("recipient",), data["recipient"])
    if recipient == provider:
        raise doc.error(("recipient",), f"the provider and the recipient are the same party ({provider!r})",
                        text=recipient, expected="the party that wants to reuse the solution, not its owner",
                        hint="a body reusing its own solution needs no decision")
    return provider, recipient


def _agreement_paths(doc: YamlDoc, raw: Any, folder: Path, allow_outside: bool) -> tuple[Path, ...]:
    """``agreements:``, one path or a list, each confined to the scenario's folder."""
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        raise doc.error(("agreements",), "agreements must be a list of paths")
    return tuple(
        p for i, a in enumerate(raw) if (p := _path(doc, ("agreements", i), a, folder, allow_outside)) is not None
    )


def _scopes(doc: YamlDoc, raw: Any) -> tuple[str, ...]:
    """``scopes:``, the SBOM component scopes that count, in the order given, without repeats."""
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw:
        raise doc.error(("scopes",), "scopes must be a non-empty list", expected="[runtime, optional, ...]")
    for n, value in enumerate(raw):
        if value not in COMPONENT_SCOPES:
            hits = did_you_mean(str(value), COMPONENT_SCOPES)
            raise doc.error(("scopes", n), f"invalid scope {value!r}", text=str(value),
                            expected=" | ".join(COMPONENT_SCOPES),
                            hint=f"did you mean {hits[0]!r}?" if hits else None)
    return tuple(dict.fromkeys(str(v) for v in raw))


def _check_keys(doc: YamlDoc, path: tuple[str, ...], data: Mapping[str, Any], allowed: Mapping[str, str]) -> None:
    # A key written at the wrong level is the commonest slip (`licence:` beside `use:`).
    other, where = (_SCENARIO_KEYS, "at the top level") if path else (_SOLUTION_KEYS, "under solution:")
    for key in data:
        if key not in allowed:
            key_text = str(key)
            hits = did_you_mean(key_text, allowed, cutoff=0.5)
            moved = did_you_mean(key_text, other, cutoff=0.8) if key_text not in other else [key_text]
            if hits:
                hint: str | None = f"did you mean {hits[0]!r}?"
            elif moved:
                hint = f"did you mean {moved[0]!r} {where}?"
            else:
                hint = None
            raise doc.error(
                (*path, key),
                f"unknown key {key_text!r}" + (f" in {'.'.join(path)}" if path else ""),
                text=key_text,
                expected="one of " + ", ".join(allowed),
                hint=hint,
            )


def _ident(doc: YamlDoc, path: tuple[str, ...], value: Any) -> str:
    if not isinstance(value, str) or not _IDENT.match(value):
        raise doc.error(path, f"{'.'.join(path)} must be an identifier (lower case letters, digits, '-')",
                        text=str(value))
    return value


def _text(doc: YamlDoc, path: tuple[str, ...], value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise doc.error(path, f"{'.'.join(path)} must be a non-empty text", text=str(value))
    return value


def _choice(doc: YamlDoc, path: tuple[str, ...], value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        hits = did_you_mean(str(value), choices, cutoff=0.4)
        if str(value).lower() in ("saas", "service", "web", "online", "hosted"):
            hits = ["network-service"]
        raise doc.error(path, f"invalid {path[-1]} {value!r}", text=str(value), expected=" | ".join(choices),
                        hint=f"did you mean {hits[0]!r}?" if hits else None)
    return str(value)


def read_date(doc: YamlDoc, path: tuple[Any, ...], value: Any) -> dt.date:
    """A day from YAML; a date and time is refused, since the day it means depends on the time zone."""
    if isinstance(value, dt.datetime):
        raise _datetime_error(doc, path, value)
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise doc.error(path, f"{value!r} is not a date", text=str(value), expected="a date YYYY-MM-DD") from None


def _datetime_error(doc: YamlDoc, path: tuple[Any, ...], value: dt.datetime) -> InputError:
    return doc.error(path, f"{value.isoformat(sep=' ')} is a date and time; a date is expected here",
                     text=str(value), expected="a date YYYY-MM-DD", hint=f"write {value.date().isoformat()}")


def _path(doc: YamlDoc, path: tuple[Any, ...], value: Any, folder: Path, allow_outside: bool) -> Path | None:
    if value is None:
        return None
    return inside_path(doc, path, value, folder, allow_outside)


def inside_path(doc: YamlDoc, path: tuple[Any, ...], value: Any, folder: Path, allow_outside: bool) -> Path:
    """A path written at ``path`` in ``doc``: it must exist and, unless ``allow_outside``, stay under ``folder``."""
    if not isinstance(value, str) or not value.strip() or "\x00" in value:
        raise doc.error(path, "expected a file path", text=str(value))
    p, problem = resolve_inside(value, folder, allow_outside=allow_outside)
    if problem is not None:
        raise doc.error(
            path,
            f"{problem} leads outside the folder of {doc.file}",
            text=value,
            expected=f"a path under {folder.as_posix() or '.'}",
            hint="files named in a file must sit in its folder or below; "
            "pass --allow-outside if you trust this file",
        )
    try:
        exists = p.exists()
    except (OSError, ValueError):
        exists = False
    if not exists:
        raise doc.error(path, f"no such file or folder: {value}", text=value)
    return p


def _attributes(doc: YamlDoc, value: Any) -> dict[str, Scalar]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise doc.error(("solution", "attributes"), "attributes must be a mapping of name: value")
    out: dict[str, Scalar] = {}
    for k, v in value.items():
        path = ("solution", "attributes", k)
        if not _ATTRIBUTE.match(k):
            raise doc.error(path, f"attribute name {k!r} must be lower case letters, digits and '-' "
                                  "(dotted parts allowed, as in maintenance.type)", text=k)
        if isinstance(v, dt.datetime):
            raise _datetime_error(doc, path, v)
        if not isinstance(v, str | int | float | bool | dt.date):
            raise doc.error(path, f"attribute {k!r} must be a string, number, boolean or date", text=str(v))
        out[k] = v
    return out


def _at(doc: YamlDoc, where: Location) -> tuple[str, int, int, str | None]:
    line = where.line or 1
    return doc.file, line, where.column or 1, doc.lines[line - 1] if line <= len(doc.lines) else None


def read_publiccode(path: Path, *, named_in: str | None = None) -> dict[str, Any]:
    """The publiccode.yml fields a decision reads (:func:`publiccode_facts`), and the file's sha256.

    ``named_in``: the file that named this one (its errors then show the place, not the content).
    """
    try:
        raw = read_input(path, limit=MAX_YAML_BYTES, what="publiccode.yml")
        out = publiccode_facts(load_yaml_bytes(raw, str(path)))
    except InputError as exc:
        raise (exc.redacted(named_in) if named_in else exc) from None
    out["sha256"] = hashlib.sha256(raw).hexdigest()
    return out


def publiccode_facts(doc: YamlDoc) -> dict[str, Any]:
    """A loaded publiccode.yml (a file, or text given in memory) as the scenario reads it, through
    :mod:`coopengine.publiccode`: name, licence (and where it was written), the owners, and every
    ``solution.*`` fact under ``"facts"``."""
    from .publiccode import PublicCode

    pc = PublicCode.from_doc(doc)
    # What a decision reads (the name, legal) must be readable: refused as before, with the
    # reader's diagnostic. The other keys' type errors only make their facts unknown.
    read = {"name", "legal", "legal.license", "legal.mainCopyrightOwner", "legal.repoOwner"}
    for diag in pc.errors:
        if diag.key in read and diag.key in pc.unreadable:
            raise diag.error
    legal = doc.data.get("legal") if isinstance(doc.data, dict) else None
    if isinstance(legal, dict) and "license" in legal and pc.licence is None:
        # Written but empty: a decision without the licence it names would be a guess.
        raise doc.error(("legal", "license"), "legal.license must be an SPDX expression", text=str(legal["license"]))
    out: dict[str, Any] = {"name": pc.name, "facts": pc.facts(), "model": pc}
    if pc.licence is not None:
        out["licence"] = pc.licence
        out["licence_at"] = pc.licence_at
    if pc.main_copyright_owner:
        out["main-copyright-owner"] = pc.main_copyright_owner
    if pc.repo_owner:
        out["repo-owner"] = pc.repo_owner
    return out
