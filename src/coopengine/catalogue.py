"""The catalogue question: which solutions of a catalogue can one recipient reuse without an MOU?

A catalogue is a folder of solutions, each described by a ``publiccode.yml`` (with an SBOM next
to it when there is one), or a file listing such paths. Every solution is decided as
``coop reuse`` decides it: the provider is the solution's organisation (``organisation.uri``,
``organisation.name``, ``legal.mainCopyrightOwner`` or ``legal.repoOwner``), mapped to a party
by a parties file or by being a declared party's id. Agreements count only between declared
parties: a solution whose organisation is no party to any agreement is decided on its licence
alone, as Lutece went to Baltimore. A file that cannot be read is an entry with its diagnostic;
it never stops the run.

:func:`decide_entry` is a pure function of its inputs (a path and a :class:`Request`), so a
catalogue can be split over processes (``jobs``) or over any engine that maps a function over
a list of files (docs/catalogue.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ._files import read_input
from ._yaml import MAX_YAML_BYTES, YamlDoc, load_yaml_bytes, load_yaml_file
from .errors import CoopError, InputError, Location
from .publiccode import PublicCode
from .reuse import Decision, decide, load_program
from .scenario import Scenario, publiccode_facts
from .words import USES

__all__ = ["CATALOGUE_SCHEMA", "Catalogue", "Entry", "Request", "catalogue_of", "decide_catalogue", "decide_entries",
           "decide_entry", "find_solutions", "read_parties"]

CATALOGUE_SCHEMA = "coopengine/catalogue/v1"
PUBLICCODE_NAMES = ("publiccode.yml", "publiccode.yaml")
# An SBOM is taken from the solution's folder under one of these names, the first found.
SBOM_NAMES = ("sbom.spdx.json", "sbom.cdx.json", "bom.json", "sbom.json", "sbom.spdx", "bom.xml")
# The order of the report: what can be taken today first; "own" is the recipient's own solution
# (nothing to decide), "error" a file that could not be read.
VERDICTS = ("permit", "require-mou", "undetermined", "deny", "own", "error")
MAX_LIST_BYTES = 10_000_000
_IDENT = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Request:
    """What every solution of the catalogue is decided for."""

    recipient: str
    use: str
    modified: bool = False
    date: dt.date | None = None
    agreements: tuple[Path, ...] = ()
    parties: Mapping[str, str] = field(default_factory=dict)  # organisation URI or name -> party id
    kb: tuple[str, ...] = ()
    allow_outside: bool = False


@dataclass(frozen=True)
class Entry:
    """One solution: what its publiccode.yml says, and the decision or why there is none."""

    path: str
    name: str | None = None
    organisation: str | None = None
    provider: str | None = None
    licence: str | None = None
    software_type: str | None = None
    platforms: tuple[str, ...] = ()
    sbom: str | None = None
    decision: Decision | None = None
    error: CoopError | None = None

    own: bool = False  # the recipient's own solution: reused without asking anyone

    @property
    def verdict(self) -> str:
        if self.own:
            return "own"
        return self.decision.verdict if self.decision is not None else "error"

    def sort_key(self) -> tuple[int, str, str]:
        return VERDICTS.index(self.verdict), (self.name or "").casefold(), self.path

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "name": self.name,
            "organisation": self.organisation,
            "provider": self.provider,
            "licence": self.licence,
            "software_type": self.software_type,
            "platforms": list(self.platforms),
            "sbom": self.sbom,
            "verdict": self.verdict,
            "decision": self.decision.to_dict() if self.decision is not None else None,
            "error": self.error.to_dict() if self.error is not None else None,
        }


@dataclass(frozen=True)
class Catalogue:
    """Every solution decided, permit first, then require-mou, undetermined, deny and unreadable."""

    request: Request
    entries: tuple[Entry, ...]
    filtered_out: int = 0  # solutions left out by --software-type, --platform or --only

    @property
    def counts(self) -> dict[str, int]:
        tally = dict.fromkeys(VERDICTS, 0)
        for e in self.entries:
            tally[e.verdict] += 1
        return tally

    @property
    def exit_code(self) -> int:
        """0 when every solution was decided, whatever the verdicts (a catalogue is a report, not
        a gate); 4 when some file could not be read, so some solution could not be decided."""
        return 4 if any(e.error is not None for e in self.entries) else 0

    def to_dict(self) -> dict[str, Any]:
        r = self.request
        return {
            "schema": CATALOGUE_SCHEMA,
            "recipient": r.recipient,
            "use": r.use,
            "modified": r.modified,
            "date": r.date.isoformat() if r.date else None,
            "agreements": [str(p) for p in r.agreements],
            "summary": {"solutions": len(self.entries), "counts": self.counts, "filtered_out": self.filtered_out},
            "solutions": [e.to_dict() for e in self.entries],
        }


# ---- finding the solutions ---------------------------------------------------------------


def find_solutions(sources: Sequence[str | os.PathLike[str]], *, allow_outside: bool = False) -> list[Path]:
    """The publiccode.yml files of each source: a folder (searched through, not following links
    out of it) or a file listing paths (one per line, ``#`` for comments, relative to the list's
    folder and kept inside it unless ``allow_outside``). Sorted per source, each file once."""
    found: list[Path] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            found.extend(_in_folder(path, allow_outside))
        elif path.name in PUBLICCODE_NAMES:
            found.append(path)
        elif path.exists():
            found.extend(_listed(path, allow_outside))
        else:
            raise InputError("no such file or folder", location=Location(str(path)),
                             expected="a catalogue folder, a publiccode.yml, or a file listing them")
    return list(dict.fromkeys(found))


def _in_folder(root: Path, allow_outside: bool) -> list[Path]:
    top = root.resolve()
    out: list[Path] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name in PUBLICCODE_NAMES:
                candidate = Path(folder) / name
                if allow_outside or candidate.resolve().is_relative_to(top):
                    out.append(candidate)
    return out


def _listed(listing: Path, allow_outside: bool) -> list[Path]:
    raw = read_input(listing, limit=MAX_LIST_BYTES, what="catalogue list")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("a catalogue list must be UTF-8 text", location=Location(str(listing)),
                         expected="one path per line") from None
    top = listing.parent.resolve()
    out: list[Path] = []
    for number, line in enumerate(text.splitlines(), start=1):
        item = line.strip()
        if not item or item.startswith("#"):
            continue
        path = Path(item)
        target = (listing.parent / path) if not path.is_absolute() else path
        if not allow_outside and (path.is_absolute() or not target.resolve().is_relative_to(top)):
            raise InputError("a listed path leads outside the list's folder",
                             location=Location(str(listing), number, 1), text=item,
                             expected="a path under the list's folder",
                             hint="move the files under it, or pass --allow-outside")
        out.append(target / PUBLICCODE_NAMES[0] if target.is_dir() else target)
    return out


def read_parties(path: str | os.PathLike[str]) -> dict[str, str]:
    """A parties file: a YAML mapping from an organisation's URI or name to a party id."""
    doc = load_yaml_file(Path(path), what="parties file")
    if not isinstance(doc.data, dict):
        raise doc.error((), "a parties file maps organisation URIs or names to party ids",
                        expected='"https://www.comune.roma.it": roma')
    out: dict[str, str] = {}
    for key, value in doc.data.items():
        if not isinstance(value, str) or not _IDENT.match(value):
            raise doc.error((key,), f"the party id for {key!r} must be an identifier (lower case letters, digits, '-')",
                            text=str(value), expected="a party id declared in the agreements")
        out[str(key)] = value
    return out


# ---- one solution --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Loaded:
    """The agreements read once for the whole catalogue, and the parties they declare."""

    program: Any
    declared: frozenset[str]


def _load(request: Request) -> _Loaded:
    loaded = load_program(list(request.agreements))
    program = loaded[0]
    return _Loaded(loaded, frozenset(p.id for p in program.parties) if program is not None else frozenset())


def decide_entry(path: str | os.PathLike[str], request: Request, loaded: _Loaded | None = None) -> Entry:
    """One solution decided for ``request`` (``loaded``: the agreements, read once for many)."""
    p = Path(path)
    try:
        raw = read_input(p, limit=MAX_YAML_BYTES, what="publiccode.yml")
        doc = load_yaml_bytes(raw, str(p))
        facts = publiccode_facts(doc)
    except CoopError as err:
        return Entry(str(p), error=err)
    facts["sha256"] = hashlib.sha256(raw).hexdigest()
    loaded = loaded if loaded is not None else _load(request)
    pc: PublicCode = facts["model"]
    owners = tuple(o for o in (pc.organisation_uri, pc.organisation_name, pc.main_copyright_owner, pc.repo_owner)
                   if o)
    organisation = owners[0] if owners else None
    provider = _provider(owners, request.parties, loaded.declared)
    sbom = next((n for n in SBOM_NAMES if (p.parent / n).is_file()), None)
    entry = Entry(str(p), name=facts.get("name") if isinstance(facts.get("name"), str) else None,
                  organisation=organisation, provider=provider, licence=facts.get("licence"),
                  software_type=pc.software_type, platforms=tuple(sorted(pc.platforms)), sbom=sbom)
    if provider == request.recipient:
        return replace(entry, own=True)
    # Agreements bind declared parties only: anyone else's solution is decided on its licence.
    bound = provider in loaded.declared and request.recipient in loaded.declared
    data: dict[str, Any] = {"provider": provider, "recipient": request.recipient, "use": request.use,
                            "modified": request.modified, "solution": {}}
    if entry.name:
        data["solution"]["name"] = entry.name
    if sbom:
        data["solution"]["sbom"] = sbom
    if request.date is not None:
        data["date"] = request.date
    try:
        scenario = Scenario.from_dict(data, YamlDoc(data, str(p)), p.parent, sha256=facts["sha256"],
                                      publiccode=facts, allow_outside=request.allow_outside)
        decision = decide(scenario, kb=request.kb, loaded=loaded.program if bound else None)
    except CoopError as err:
        return replace(entry, error=err)
    return replace(entry, decision=decision)


def _provider(owners: Sequence[str], parties: Mapping[str, str], declared: frozenset[str]) -> str:
    """The party that provides the solution: the first owner the parties file maps, or that is a
    declared party's id; else an id made from the first owner (no agreement can bind it)."""
    for owner in owners:
        if owner in parties:
            return parties[owner]
        if owner in declared:
            return owner
    if not owners:
        return "unknown-provider"
    slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"^[a-z]+://", "", owners[0].casefold())).strip("-")
    return "org-" + (slug[:60].strip("-") or "unnamed")


# ---- the whole catalogue -------------------------------------------------------------------


def decide_catalogue(
    sources: Sequence[str | os.PathLike[str]],
    request: Request,
    *,
    only: Iterable[str] = (),
    software_type: str | None = None,
    platform: str | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> Catalogue:
    """Every solution of the catalogue decided for ``request`` (``jobs``: processes to use)."""
    if request.use not in USES:
        raise InputError(f"unknown use {request.use!r}", expected=" | ".join(USES))
    wanted = set(only)
    unknown = wanted - set(VERDICTS)
    if unknown:
        raise InputError(f"unknown verdict {sorted(unknown)[0]!r} for --only", expected=" | ".join(VERDICTS))
    paths = find_solutions(sources, allow_outside=request.allow_outside)
    loaded = _load(request)  # once, and any error in the agreements stops the run (exit 2)
    entries = _decide_all(paths, request, loaded, jobs, progress)
    kept = [e for e in entries
            if (software_type is None or e.software_type == software_type or e.error is not None)
            and (platform is None or platform in e.platforms or e.error is not None)
            and (not wanted or e.verdict in wanted)]
    return Catalogue(request, tuple(sorted(kept, key=Entry.sort_key)), len(entries) - len(kept))


def _decide_all(paths: Sequence[Path], request: Request, loaded: _Loaded, jobs: int,
                progress: Callable[[int, int], None] | None) -> list[Entry]:
    if jobs <= 1 or len(paths) < 2 * _CHUNK:
        out = []
        for n, path in enumerate(paths, 1):
            out.append(decide_entry(path, request, loaded))
            if progress is not None and n % _CHUNK == 0:
                progress(n, len(paths))
        return out
    from concurrent.futures import ProcessPoolExecutor

    # Each chunk reads the agreements again (tens of ms) rather than keep them in a global of
    # the worker process: a chunk is a pure function of its paths and the request.
    chunks = [(paths[i:i + _CHUNK], request) for i in range(0, len(paths), _CHUNK)]
    results: list[Entry] = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for chunk_entries in pool.map(_decide_chunk, chunks):
            results.extend(chunk_entries)
            if progress is not None:
                progress(len(results), len(paths))
    return results


_CHUNK = 500


def _decide_chunk(chunk: tuple[Sequence[Path], Request]) -> list[Entry]:
    return decide_entries(*chunk)


def decide_entries(paths: Iterable[str | os.PathLike[str]], request: Request) -> list[Entry]:
    """:func:`decide_entry` for several paths, the agreements read once: what one worker of a
    distributed run does with its share of the catalogue (docs/catalogue.md)."""
    loaded = _load(request)
    return [decide_entry(p, request, loaded) for p in paths]


def catalogue_of(entries: Iterable[Entry], request: Request) -> Catalogue:
    """The report for entries decided anywhere (sorted as :func:`decide_catalogue` sorts)."""
    return Catalogue(request, tuple(sorted(entries, key=Entry.sort_key)))
