"""Loading the knowledge base: bundled ``rules/`` plus an organisation's ``--kb`` folders.

The YAML is validated strictly (pydantic, file:line on every error) only when the compiled
form is missing or stale; otherwise one pickle is read. ``--kb`` files override bundled
licences with the same id and add new ones (``LicenseRef-`` licences, positions).
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Sequence
from functools import cache
from pathlib import Path as FsPath

from .. import __version__, _cache
from ..errors import InputError, Location
from .model import ExceptionFacts, KnowledgeBase, LicenceFacts

__all__ = ["load_knowledge", "KnowledgeBase", "rules_files", "find_facts"]


def _bundled_root() -> FsPath:
    root = importlib.resources.files("coopengine") / "rules"
    return FsPath(str(root))


def rules_files(folder: FsPath) -> list[FsPath]:
    return sorted(p for p in folder.rglob("*.yaml") if p.is_file())


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


def find_facts(knowledge: KnowledgeBase, wanted: str) -> LicenceFacts | ExceptionFacts:
    """The facts on one licence or exception id: case-insensitive, deprecated ids mapped.

    Raises:
        InputError: an id nobody described, with the closest ids as a did-you-mean.
    """
    from ..errors import did_you_mean
    from ..expressions import DEPRECATED, vocabulary

    vocab = vocabulary()
    wanted = wanted.strip()
    canonical = (
        vocab.licence(wanted)
        or vocab.exception(wanted)
        or next((k for k in knowledge.licences if k.lower() == wanted.lower()), None)
        or next((k for k in knowledge.exceptions if k.lower() == wanted.lower()), None)
    )
    if canonical is None and wanted.lower() in vocab.deprecated:
        canonical = vocab.deprecated[wanted.lower()].partition(" WITH ")[0]
    facts: LicenceFacts | ExceptionFacts | None = knowledge.licence(canonical) if canonical else None
    facts = facts or (knowledge.exception(canonical) if canonical else None)
    if facts is None:
        hits = did_you_mean(wanted, [*knowledge.licences, *knowledge.exceptions, *DEPRECATED])
        raise InputError(
            f"unknown licence or exception id {wanted!r}",
            location=Location("ID"),
            text=wanted,
            expected="an SPDX licence or exception id, or a LicenseRef- described with --kb",
            hint=("did you mean " + " or ".join(hits) + "?") if hits else None,
        )
    return facts
