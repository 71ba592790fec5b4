"""Loading the knowledge base: bundled ``rules/`` plus an organisation's ``--kb`` folders.

The YAML is validated strictly (pydantic, file:line on every error) only when the compiled
form is missing or stale; otherwise one pickle is read. ``--kb`` files override bundled
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
from ..errors import InputError, Location
from .model import ExceptionFacts, KnowledgeBase, LicenceFacts

if TYPE_CHECKING:
    from ..expressions import ParsedExpression

__all__ = ["load_knowledge", "KnowledgeBase", "LicenceLookup", "rules_files", "find_facts"]


def _bundled_root() -> FsPath:
    root = importlib.resources.files("coopengine") / "rules"
    return FsPath(str(root))


def rules_files(folder: FsPath) -> list[FsPath]:
    from .._files import walk

    return walk(folder, ".yaml")[0]


def _stamp(paths: Sequence[FsPath]) -> list[str]:
    out = []
    for p in paths:
        st = p.stat()
        out.append(f"{p}|{st.st_size}|{st.st_mtime_ns}")
    return out


def load_knowledge(extra: Sequence[str | FsPath] = ()) -> KnowledgeBase:
    """The knowledge base, with ``extra`` folders (or files) layered over the bundled rules."""
    return _load(tuple(str(x) for x in extra))


@cache
def _load(extra: tuple[str, ...]) -> KnowledgeBase:
    bundled_root = _bundled_root()
    bundled = rules_files(bundled_root)
    layers: list[tuple[str, list[FsPath]]] = [("bundled", bundled)]
    for item in extra:
        p = FsPath(item)
        if p.is_dir():
            files = rules_files(p)
            if not files:
                raise InputError("no .yaml files in the --kb folder", location=Location(item))
        elif p.is_file():
            files = [p]
        else:
            raise InputError("--kb: no such file or folder", location=Location(item))
        layers.append((item, files))
    all_files = [f for _, files in layers for f in files]
    from .._spdx import data_stamp

    key = _cache.fingerprint(
        [__version__, data_stamp(), *(_stamp(all_files)), *extra]
    )

    def build() -> KnowledgeBase:
        from .compile import compile_layers

        return compile_layers(layers, bundled_root, key)

    return _cache.cached("kb", key, build)


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
