"""Loading the knowledge base: bundled ``rules/`` plus an organisation's ``--kb`` folders.

The YAML is validated strictly (pydantic, file:line on every error) only when the compiled
form is missing or stale; otherwise one JSON file is read (:mod:`.plain`), from the wheel
(compiled when it was built) or from the cache. ``--kb`` files override bundled
licences with the same id and add new ones (``LicenseRef-`` licences, positions).
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path as FsPath
from typing import TYPE_CHECKING

from .. import __version__, _cache
from .._yaml import MAX_YAML_BYTES
from ..errors import InputError, Location
from .model import ExceptionFacts, KnowledgeBase, LicenceFacts

if TYPE_CHECKING:
    from ..expressions import ParsedExpression

__all__ = ["load_knowledge", "KnowledgeBase", "LicenceLookup", "rules_files", "find_facts", "knowledge_version",
           "write_compiled"]


def _bundled_root() -> FsPath:
    root = importlib.resources.files("coopengine") / "rules"
    return FsPath(str(root))


def rules_files(folder: FsPath) -> list[FsPath]:
    """The YAML files under ``folder`` (``.yaml`` or ``.yml``), sorted."""
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def _contents(layers: Sequence[tuple[str, list[FsPath]]], bundled_root: FsPath) -> list[str | bytes]:
    """What the compiled form is made of: each file's name as shown and its bytes."""
    out: list[str | bytes] = []
    for layer, files in layers:
        for f in files:
            try:
                name = str(f.relative_to(bundled_root)) if layer == "bundled" else str(f)
                if f.stat().st_size > MAX_YAML_BYTES:
                    raise ValueError("too large")  # never read whole; the compiler says so
                out += [layer, name, f.read_bytes()]
            except (OSError, ValueError):
                out += [layer, str(f), "unreadable"]  # the compiler reports it with its location
    return out


def load_knowledge(extra: Sequence[str | FsPath] = ()) -> KnowledgeBase:
    """The knowledge base, with ``extra`` folders (or files) layered over the bundled rules."""
    return _load(tuple(str(x) for x in extra))


def _layers(extra: tuple[str, ...], bundled: FsPath | None = None) -> tuple[FsPath, list[tuple[str, list[FsPath]]]]:
    bundled_root = bundled or _bundled_root()
    layers: list[tuple[str, list[FsPath]]] = [("bundled", rules_files(bundled_root))]
    for item in extra:
        p = FsPath(item)
        if p.is_dir():
            files = rules_files(p)
            if not files:
                raise InputError("no .yaml or .yml files in the --kb folder", location=Location(item))
        elif p.is_file():
            files = [p]
        elif p.exists():
            raise InputError("--kb: not a regular file or folder", location=Location(item),
                             expected="a YAML file or a folder of them")
        else:
            raise InputError("--kb: no such file or folder", location=Location(item))
        layers.append((item, files))
    return bundled_root, layers


def knowledge_version(extra: Sequence[str] = ()) -> str:
    """The fingerprint of what the knowledge base is compiled from (shown in provenance)."""
    bundled_root, layers = _layers(tuple(extra))
    return _version(layers, bundled_root)


def _version(layers: Sequence[tuple[str, list[FsPath]]], bundled_root: FsPath) -> str:
    from .._spdx import data_stamp

    return _cache.fingerprint([__version__, data_stamp(), *_contents(layers, bundled_root)])


@cache
def _load(extra: tuple[str, ...]) -> KnowledgeBase:
    from . import plain

    bundled_root, layers = _layers(extra)
    version = _version(layers, bundled_root)

    def build() -> KnowledgeBase:
        from .compile import compile_layers

        return compile_layers(layers, bundled_root, version)

    return _cache.cached("kb", version, build, plain.encode, plain.decode)


@dataclass(frozen=True)
class LicenceLookup:
    """What ``coop licence ID`` shows: the facts of what the id is read as (a licence, and its
    exception after ``WITH``), and how the deciding commands read the id (None for an exception id)."""

    input: str
    shown: tuple[LicenceFacts | ExceptionFacts, ...]
    parsed: ParsedExpression | None

    @property
    def read_as(self) -> str:
        return self.parsed.normalised if self.parsed else self.shown[0].id


def find_facts(knowledge: KnowledgeBase, wanted: str) -> LicenceLookup:
    """The facts on one licence or exception id, read exactly as ``coop compat`` reads it
    (case-insensitive; a deprecated id is shown as what it is read as, ``WITH`` included).

    Raises:
        InputError: an expression rather than one id, or an id nobody described (did-you-mean).
    """
    from ..expressions import Leaf, leaves, parse_expression, vocabulary

    wanted = wanted.strip()
    exception = vocabulary().exception(wanted) or next(
        (k for k in knowledge.exceptions if k.lower() == wanted.lower()), None)
    facts_of_exception = knowledge.exception(exception) if exception is not None else None
    if facts_of_exception is not None:
        return LicenceLookup(wanted, (facts_of_exception,), None)
    parsed = parse_expression(wanted, source="ID")
    leaf = parsed.expression
    if not isinstance(leaf, Leaf):
        ids = ", ".join(sorted({x.key for x in leaves(leaf)}))
        raise InputError(
            f"{parsed.normalised} is a licence expression, not one licence",
            location=Location("ID"),
            text=wanted,
            expected="one licence or exception id",
            hint=f"coop expr '{parsed.normalised}' takes it apart; coop licence ID shows each of {ids}",
        )
    facts = knowledge.licence(leaf.id) or next(
        (f for k, f in knowledge.licences.items() if k.lower() == leaf.id.lower()), None)
    if facts is None:
        from ..errors import did_you_mean

        hits = did_you_mean(wanted, [*knowledge.licences, *knowledge.exceptions])
        raise InputError(
            f"no facts on {leaf.id}",
            location=Location("ID"),
            text=wanted,
            expected="an SPDX licence or exception id, or a LicenseRef- described with --kb",
            hint=("did you mean " + " or ".join(hits) + "?") if hits else None,
        )
    shown: tuple[LicenceFacts | ExceptionFacts, ...] = (facts,)
    exception_facts = knowledge.exception(leaf.exception) if leaf.exception else None
    if exception_facts is not None:
        shown += (exception_facts,)
    return LicenceLookup(wanted, shown, parsed)


def write_compiled(folder: FsPath, rules: FsPath | None = None) -> list[FsPath]:
    """Write the compiled bundled knowledge base and SPDX vocabulary into ``folder``.

    Called by the wheel's build hook (``hatch_build.py``), with ``rules`` when the package's
    own ``rules`` link is missing (an unpacked sdist); :func:`coopengine._cache.cached` reads
    these files when their version matches what is installed.
    """
    from ..expressions import vocabulary_entry
    from . import plain
    from .compile import compile_layers

    bundled_root, layers = _layers((), rules)
    version = _version(layers, bundled_root)
    kb = compile_layers(layers, bundled_root, version)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, entry in (("kb", _cache.entry_bytes("kb", version, plain.encode(kb))), vocabulary_entry()):
        path = folder / f"{name}.json"
        path.write_bytes(entry)
        written.append(path)
    return written
