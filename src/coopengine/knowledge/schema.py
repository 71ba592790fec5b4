"""The strict schema of the YAML files in ``rules/`` (validated only when the cache is rebuilt).

Pydantic is imported here and nowhere on the CLI's hot path: the compiled knowledge base is
cached, so a call that finds a fresh cache never loads this module.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..words import Category, Copyleft, Use

ExceptionEffect = Literal[
    "linking",  # linked independent modules may be under other terms (Classpath, LGPL-like)
    "runtime",  # target code produced with the covered runtime may be under any terms (GCC)
    "gpl2-compatibility",  # removes an incompatibility with GPL-2.0 (LLVM-exception)
    "output",  # only the tool's output is freed (Autoconf, Bison, Libtool)
    "font-embedding",  # documents embedding the font are not covered
    "syscall",  # user-space programs using the kernel interface are not covered
    "additional-permission",  # any other added permission, no effect on combination
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class SourceRef(_Strict):
    """A pointer into ``rules/sources.yaml``, optionally to a section of the cited text."""

    id: str
    section: str | None = None
    note: str | None = None
    # A secondary source (an index such as choosealicense.com or ScanCode) only summarises the
    # primary one; explanations say so, and a fact that decides should also cite a primary one.
    secondary: bool = False


class Source(_Strict):
    title: str
    url: str
    publisher: str | None = None
    retrieved: str | None = None
    secondary: bool = False  # an index or summary of the licences, not a licence text or a steward


class Obligation(_Strict):
    id: str
    text: str
    choosealicense: bool = False


class Position(_Strict):
    """What one source says on a disputed pair, kept so the explanation can show both."""

    source: SourceRef
    says: Literal["compatible", "incompatible", "conditional", "unknown"]
    text: str | None = None
    # The source's default for a kind of licence, which by its own words gives way to an explicit
    # permission in the licences (OSADL: "except if it were explicitly permitted"): shown, not followed.
    generic: bool = False


Targets = str | tuple[str, ...]


def targets(value: Targets) -> tuple[str, ...]:
    """The licence ids one entry names: ``with: X`` or ``with: [X, Y, ...]`` (same for ``to``)."""
    return (value,) if isinstance(value, str) else value


class PairFact(_Strict):
    """Inbound (the licence carrying this fact) into a work under outbound ``with``.

    ``with`` may list several licences that share the reason and source, so one fact is written once.
    """

    with_: Targets = Field(alias="with")
    reason: str
    source: SourceRef
    condition: str | None = None  # for ``compatible`` entries: holds only if this is met
    uses: tuple[Use, ...] | None = None  # restrict the fact to some uses; default all triggered uses
    positions: tuple[Position, ...] = ()
    follows: str | None = None  # the source id whose position the engine follows

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True)


class Relicence(_Strict):
    """Code under this licence may be used under ``to`` (the whole combined work under ``to``; a list
    names several licences reached for the same reason)."""

    to: Targets
    reason: str
    source: SourceRef
    condition: str | None = None
    positions: tuple[Position, ...] = ()
    follows: str | None = None


class Restriction(_Strict):
    """An explicit limit on use (non-commercial, no managed service, field of use...)."""

    id: str
    text: str
    uses: tuple[Use, ...]
    effect: Literal["incompatible", "conditional"]
    condition: str | None = None
    source: SourceRef


class TermRef(_Strict):
    """One kind of term a licence imposes on those who pass the code on (``rules/conditions.yaml``)."""

    id: str
    source: SourceRef


class TermRuling(_Strict):
    """What a condition says of some terms: they pass (``accepts``) or conflict (``refuses``)."""

    terms: tuple[str, ...] = Field(min_length=1)
    reason: str
    source: SourceRef
    positions: tuple[Position, ...] = ()
    follows: str | None = None


class Term(_Strict):
    id: str
    text: str


class Condition(_Strict):
    """A condition an outbound licence sets on the whole work (GPL-2.0 s6 "no further restrictions"),
    stated once and applied to every licence that carries it."""

    id: str
    text: str
    carried_by: tuple[str, ...] = Field(min_length=1)
    source: SourceRef
    accepts: tuple[TermRuling, ...] = ()
    refuses: tuple[TermRuling, ...] = ()


class Obligations(_Strict):
    internal: tuple[str, ...] = ()
    network_service: tuple[str, ...] = Field(default=(), alias="network-service")
    distribution: tuple[str, ...] = ()

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True)


class Licence(_Strict):
    id: str
    # What the licence asks of those who pass the code on; None: not reviewed, so a target with a
    # "no further restrictions" condition cannot take it on the generic rule.
    terms: tuple[TermRef, ...] | None = None
    name: str | None = None
    category: Category
    copyleft: Copyleft
    triggers: tuple[Use, ...] = ()
    osi_approved: bool | None = None
    fsf_libre: bool | None = None
    versions: tuple[str, ...] = ()  # for an "-or-later" licence: the versions one may choose
    obligations: Obligations = Obligations()
    relicense: tuple[Relicence, ...] = ()
    incompatible: tuple[PairFact, ...] = ()
    compatible: tuple[PairFact, ...] = ()
    restrictions: tuple[Restriction, ...] = ()
    sources: tuple[SourceRef, ...] = Field(min_length=1)
    notes: str | None = None

    @field_validator("triggers")
    @classmethod
    def _distinct(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("repeated use in triggers")
        return value


class LicenceException(_Strict):
    id: str
    name: str | None = None
    effect: ExceptionEffect
    # What must hold for the permission to cover the use (GCC's "Eligible Compilation Process",
    # Bison's "output of Bison"); the engine answers conditional with it.
    condition: str | None = None
    applies_to: tuple[str, ...] = Field(min_length=1)
    removes_incompatibility_with: tuple[str, ...] = ()
    # Licences whose code a work under the base licence WITH this exception may take in, for that
    # combination only (the OpenSSL linking exceptions): read when the exception is on the outbound.
    admits: tuple[str, ...] = ()
    text: str
    sources: tuple[SourceRef, ...] = Field(min_length=1)


class LicenceFile(_Strict):
    licences: tuple[Licence, ...] = ()
    exceptions: tuple[LicenceException, ...] = ()


class SourcesFile(_Strict):
    sources: dict[str, Source]


class ObligationsFile(_Strict):
    obligations: tuple[Obligation, ...]


class NameBlock(_Strict):
    """Licence names, short names or URLs read as SPDX expressions, all from one source.

    ``map`` gives the one expression a string stands for; ``ambiguous`` the candidates of a
    string that names several licences (``BSD``, ``GPL`` without a version): those are never
    read as one of them. Keys are matched without regard to case, blanks or a URL's scheme.
    """

    source: SourceRef
    map: dict[str, str] = {}
    ambiguous: dict[str, tuple[str, ...]] = {}


class PermissionEntry(_Strict):
    """Licences that grant (or withhold) one permission, for one reason and one source."""

    licences: tuple[str, ...] = Field(min_length=1)
    reason: str
    source: SourceRef


class PermissionKind(_Strict):
    """A thing a licence may let you do beyond copying (an explicit patent licence), stated once."""

    id: str
    text: str
    granted: tuple[PermissionEntry, ...] = ()
    withheld: tuple[PermissionEntry, ...] = ()


class KbFile(_Strict):
    """Any file under ``rules/`` or a ``--kb`` folder: each top-level key is optional."""

    sources: dict[str, Source] = {}
    obligations: tuple[Obligation, ...] = ()
    terms: tuple[Term, ...] = ()
    conditions: tuple[Condition, ...] = ()
    licences: tuple[Licence, ...] = ()
    exceptions: tuple[LicenceException, ...] = ()
    names: tuple[NameBlock, ...] = ()
    permissions: tuple[PermissionKind, ...] = ()
