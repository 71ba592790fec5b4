"""The compiled knowledge base: frozen, plain, fast to unpickle (no pydantic at run time).

Records are NamedTuples rather than dataclasses: the CLI imports this module on every call,
and a NamedTuple class costs a tenth of a frozen dataclass to create and unpickles faster.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

__all__ = [
    "Src",
    "Position",
    "PairFact",
    "Path",
    "Restriction",
    "LicenceFacts",
    "ExceptionFacts",
    "TermRuling",
    "Condition",
    "KnowledgeBase",
    "NameMapping",
    "PROPRIETARY",
    "name_key",
]

PROPRIETARY = "LicenseRef-Proprietary"


class Src(NamedTuple):
    """A cited source: an entry of ``rules/sources*.yaml``, maybe narrowed to a section."""

    id: str
    title: str
    url: str
    section: str | None = None
    secondary: bool = False  # an index summarising licences (choosealicense.com, ScanCode), not a primary text

    def to_dict(self) -> dict[str, str | bool]:
        out: dict[str, str | bool] = {"id": self.id, "title": self.title, "url": self.url}
        if self.section:
            out["section"] = self.section
        if self.secondary:
            out["secondary"] = True
        return out

    def cite(self) -> str:
        return self.title + (f", {self.section}" if self.section else "") + (" (secondary source)" if self.secondary
                                                                             else "")


class Position(NamedTuple):
    source: Src
    says: str
    text: str | None = None
    generic: bool = False  # the source's default for a kind of licence, not a finding on the pair

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"source": self.source.to_dict(), "says": self.says}
        if self.text:
            out["text"] = self.text
        if self.generic:
            out["generic"] = True
        return out


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
    positions: tuple[Position, ...] = ()  # recorded on the steps, where sources disagree
    follows: str | None = None


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
    # term id -> its source; None: the licence's terms have not been reviewed
    terms: Mapping[str, Src] | None = None
    conditions: tuple[str, ...] = ()  # ids of the conditions this licence sets on a whole work
    # What the licence lets you do beyond copying, each with its source; a permission not listed is unknown.
    permissions: tuple[Permission, ...] = ()


class Permission(NamedTuple):
    """One thing a licence lets you do (``rules/permissions.yaml``): granted, or withheld in its text."""

    id: str
    granted: bool
    text: str  # what the permission is, stated once in rules/permissions.yaml
    reason: str  # why this licence grants or withholds it
    source: Src


class TermRuling(NamedTuple):
    """A condition's ruling on some terms: ``accepts`` (they pass) or ``refuses`` (they conflict)."""

    terms: frozenset[str]
    verdict: str  # compatible | incompatible
    reason: str
    source: Src
    positions: tuple[Position, ...] = ()
    follows: str | None = None


class Condition(NamedTuple):
    """A condition an outbound licence sets on the whole work, stated once for every licence carrying it."""

    id: str
    text: str
    source: Src
    carried_by: tuple[str, ...]
    rulings: tuple[TermRuling, ...]

    def ruling(self, term: str) -> TermRuling | None:
        return next((r for r in self.rulings if term in r.terms), None)


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
    condition: str | None = None
    admits: tuple[str, ...] = ()


class NameMapping(NamedTuple):
    """How a licence string that is not an SPDX expression is read, and on whose authority."""

    text: str
    """The string as the source writes it."""
    expression: str | None
    """The SPDX expression it stands for; None when it is ambiguous."""
    candidates: tuple[str, ...]
    """For an ambiguous string, the licences it may mean; empty otherwise."""
    source: Src


_URL_PREFIXES = ("https://", "http://")
_URL_ENDINGS = (".txt", ".html", ".htm")


def name_key(text: str) -> str:
    """The form names are matched in: case, runs of blanks, a URL's scheme, ``www.`` and a
    trailing slash or a ``.txt``/``.html`` ending carry no meaning
    (``http://www.apache.org/licenses/LICENSE-2.0.txt`` is the same text as
    ``https://apache.org/licenses/LICENSE-2.0``)."""
    key = " ".join(text.split()).casefold()
    for prefix in _URL_PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix):].removeprefix("www.").rstrip("/")
            for ending in _URL_ENDINGS:
                key = key.removesuffix(ending)
            break
    return key


@dataclass(frozen=True)
class KnowledgeBase:
    version: str
    licences: Mapping[str, LicenceFacts]
    exceptions: Mapping[str, ExceptionFacts]
    sources: Mapping[str, Src]
    obligations: Mapping[str, str]
    files: tuple[str, ...] = ()
    conditions: Mapping[str, Condition] = field(default_factory=dict)
    terms: Mapping[str, str] = field(default_factory=dict)
    names: Mapping[str, NameMapping] = field(default_factory=dict)
    """Licence names, short names and URLs (keyed by :func:`name_key`) read as SPDX expressions."""

    def name(self, text: str) -> NameMapping | None:
        """The mapping for a licence string that is not an SPDX expression, if one is known."""
        return self.names.get(name_key(text))

    def licence(self, licence_id: str) -> LicenceFacts | None:
        return self.licences.get(licence_id)

    def exception(self, exception_id: str) -> ExceptionFacts | None:
        return self.exceptions.get(exception_id)

    def source(self, source_id: str, section: str | None = None) -> Src:
        base = self.sources[source_id]
        return base if section is None else base._replace(section=section)

    @property
    def curated_count(self) -> int:
        return sum(1 for f in self.licences.values() if f.curated)
