"""The compiled knowledge base: frozen, plain, fast to unpickle (no pydantic at run time).

Records are NamedTuples rather than dataclasses: the CLI imports this module on every call,
and a NamedTuple class costs a tenth of a frozen dataclass to create and unpickles faster.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

__all__ = [
    "Src",
    "Position",
    "PairFact",
    "Path",
    "Restriction",
    "LicenceFacts",
    "ExceptionFacts",
    "KnowledgeBase",
    "PROPRIETARY",
]

PROPRIETARY = "LicenseRef-Proprietary"


class Src(NamedTuple):
    """A cited source: an entry of ``rules/sources*.yaml``, maybe narrowed to a section."""

    id: str
    title: str
    url: str
    section: str | None = None

    def to_dict(self) -> dict[str, str]:
        out = {"id": self.id, "title": self.title, "url": self.url}
        if self.section:
            out["section"] = self.section
        return out

    def cite(self) -> str:
        return self.title + (f", {self.section}" if self.section else "")


class Position(NamedTuple):
    source: Src
    says: str
    text: str | None = None


class PairFact(NamedTuple):
    other: str
    reason: str
    source: Src
    condition: str | None = None
    uses: frozenset[str] | None = None
    positions: tuple[Position, ...] = ()
    follows: str | None = None
    file: str = ""


class Path(NamedTuple):
    """A relicensing path from a licence to ``to``; ``steps`` are the edges taken, in order."""

    to: str
    steps: tuple[tuple[str, str, str, Src], ...]  # (from, to, reason, source)
    condition: str | None = None


class Restriction(NamedTuple):
    id: str
    text: str
    uses: frozenset[str]
    effect: str
    condition: str | None
    source: Src


class LicenceFacts(NamedTuple):
    id: str
    name: str
    category: str
    category_source: Src
    curated: bool
    copyleft: str | None = None
    triggers: frozenset[str] = frozenset()
    osi_approved: bool | None = None
    fsf_libre: bool | None = None
    versions: tuple[str, ...] = ()
    # Never mutated after compilation; the shared empty default is safe for that reason.
    obligations: Mapping[str, tuple[str, ...]] = {}
    relicense: Mapping[str, Path] = {}
    incompatible: Mapping[str, PairFact] = {}
    compatible: Mapping[str, PairFact] = {}
    restrictions: tuple[Restriction, ...] = ()
    sources: tuple[Src, ...] = ()
    notes: str | None = None
    file: str | None = None
    deprecated: bool = False


class ExceptionFacts(NamedTuple):
    id: str
    name: str
    curated: bool
    effect: str | None = None
    applies_to: tuple[str, ...] = ()
    removes_incompatibility_with: tuple[str, ...] = ()
    text: str = ""
    sources: tuple[Src, ...] = ()
    file: str | None = None


@dataclass(frozen=True)
class KnowledgeBase:
    version: str
    licences: Mapping[str, LicenceFacts]
    exceptions: Mapping[str, ExceptionFacts]
    sources: Mapping[str, Src]
    obligations: Mapping[str, str]
    files: tuple[str, ...] = ()

    def licence(self, licence_id: str) -> LicenceFacts | None:
        return self.licences.get(licence_id)

    def exception(self, exception_id: str) -> ExceptionFacts | None:
        return self.exceptions.get(exception_id)

    def source(self, source_id: str, section: str | None = None) -> Src:
        base = self.sources[source_id]
        return base if section is None else Src(base.id, base.title, base.url, section)

    @property
    def curated_count(self) -> int:
        return sum(1 for f in self.licences.values() if f.curated)
