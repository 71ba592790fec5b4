"""The typed, frozen model of a coop program (every name here is public).

Every node carries a :class:`Span`. Spans are excluded from equality (``compare=False``)
so that two models that mean the same thing compare equal wherever they were written:
this is what makes "fmt preserves meaning" a plain ``==``.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import TypeAlias

from ..words import DEFAULT_SCOPES


@dataclass(frozen=True, order=True)
class Span:
    """Where a node was written: 1-based lines and columns, end exclusive."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


NOWHERE = Span("<none>", 0, 0, 0, 0)


def _span() -> Span:
    return field(default=NOWHERE, compare=False, repr=False)


class Effect(StrEnum):
    """What a clause decides; ordered from least to most restrictive."""

    PERMIT = "permit"
    REQUIRE_MOU = "require-mou"
    DENY = "deny"


EFFECT_RANK: dict[str, int] = {effect: rank for rank, effect in enumerate(Effect)}  # by Effect or plain word


class ClauseKind(StrEnum):
    CLAUSE = "clause"
    GUARDRAIL = "guardrail"


# ---- values and conditions ---------------------------------------------------------

Scalar: TypeAlias = str | bool | int | float | _dt.date


@dataclass(frozen=True)
class Value:
    """A literal on the right of a comparison. ``bare`` is True for an unquoted identifier."""

    value: Scalar
    bare: bool = False
    span: Span = _span()


@dataclass(frozen=True)
class Or:
    items: tuple[Condition, ...]
    span: Span = _span()


@dataclass(frozen=True)
class And:
    items: tuple[Condition, ...]
    span: Span = _span()


@dataclass(frozen=True)
class Not:
    operand: Condition
    span: Span = _span()


@dataclass(frozen=True)
class Compare:
    path: str
    op: str  # one of == != < <= > >=
    value: Value
    span: Span = _span()
    path_span: Span = _span()


@dataclass(frozen=True)
class In:
    path: str
    values: tuple[Value, ...]
    span: Span = _span()
    path_span: Span = _span()


@dataclass(frozen=True)
class PathTest:
    """A bare path used as a boolean."""

    path: str
    span: Span = _span()


@dataclass(frozen=True)
class CompatibleWith:
    """``licence compatible-with "EXPR"``; ``target`` None means the tender's deliverable."""

    target: str | None
    span: Span = _span()
    target_span: Span | None = field(default=None, compare=False, repr=False)  # the string's, quotes included


@dataclass(frozen=True)
class Boolean:
    value: bool
    span: Span = _span()


Condition: TypeAlias = Or | And | Not | Compare | In | PathTest | CompatibleWith | Boolean


# ---- declarations ----------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """An identifier used to name something declared elsewhere."""

    name: str
    span: Span = _span()


@dataclass(frozen=True)
class Party:
    id: str
    name: str
    kind: str | None = None
    jurisdiction: str | None = None
    span: Span = _span()
    kind_span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Effective:
    start: _dt.date
    until: _dt.date | None = None
    span: Span = _span()

    def covers(self, day: _dt.date) -> bool:
        return self.start <= day and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class Obligation:
    id: str
    text: str | None = None
    span: Span = _span()


@dataclass(frozen=True)
class ExceptionTarget:
    """``exception to ID`` (agreement None) or ``exception to AGREEMENT.ID``."""

    clause: str
    agreement: str | None = None
    span: Span = _span()

    def __str__(self) -> str:
        return f"{self.agreement}.{self.clause}" if self.agreement else self.clause


@dataclass(frozen=True)
class Clause:
    kind: ClauseKind
    id: str
    title: str
    ref: str | None = None
    exception_to: ExceptionTarget | None = None
    standalone: bool = False
    when: Condition | None = None
    then: Effect | None = None
    obligations: tuple[Obligation, ...] = ()
    waives: tuple[Ref, ...] = ()
    grants: tuple[str, ...] = ()
    effective: Effective | None = None
    span: Span = _span()
    # Positions of single statements, for diagnostics only.
    then_span: Span | None = field(default=None, compare=False, repr=False)
    grant_spans: tuple[Span, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Agreement:
    """An agreement (``parties``) or a multilateral declaration (``adherents``)."""

    id: str
    title: str
    declaration: bool
    parties: tuple[Ref, ...]
    effective: Effective | None
    refines: Ref | None = None
    scope: Condition | None = None
    default: Effect | None = None
    text: str | None = None
    clauses: tuple[Clause, ...] = ()
    span: Span = _span()
    default_span: Span | None = field(default=None, compare=False, repr=False)
    text_span: Span | None = field(default=None, compare=False, repr=False)

    def clause(self, clause_id: str) -> Clause | None:
        return next((clause for clause in self.clauses if clause.id == clause_id), None)


@dataclass(frozen=True)
class Precedence:
    winner: Ref
    loser: Ref
    span: Span = _span()


@dataclass(frozen=True)
class EverySatisfies:
    condition: Condition
    span: Span = _span()


@dataclass(frozen=True)
class NoneSatisfies:
    condition: Condition
    span: Span = _span()


@dataclass(frozen=True)
class EveryHas:
    fields: tuple[Ref, ...]
    span: Span = _span()


@dataclass(frozen=True)
class OfferedSatisfies:
    condition: Condition
    span: Span = _span()


RequirementRule: TypeAlias = EverySatisfies | NoneSatisfies | EveryHas | OfferedSatisfies


@dataclass(frozen=True)
class Requirement:
    id: str
    title: str
    ref: str | None
    rules: tuple[RequirementRule, ...]
    span: Span = _span()


@dataclass(frozen=True)
class Tender:
    id: str
    title: str
    buyer: Ref | None
    deliverable: str | None
    requirements: tuple[Requirement, ...]
    span: Span = _span()
    deliverable_span: Span | None = field(default=None, compare=False, repr=False)
    scopes: tuple[str, ...] = DEFAULT_SCOPES
    """The dependency scopes whose components the requirements judge (``counting scopes ...``)."""
    scopes_span: Span | None = field(default=None, compare=False, repr=False)


Item: TypeAlias = Party | Agreement | Precedence | Tender


@dataclass(frozen=True)
class Module:
    """One parsed file, items in source order."""

    # The file name is where, not what: two files with the same items mean the same.
    file: str = field(compare=False)
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Program:
    """Every module given together: one namespace of parties, agreements and tenders.

    The item lists and the lookups by id are computed once (a program is immutable):
    the checks look agreements up by id inside loops over every agreement.
    """

    modules: tuple[Module, ...]

    @cached_property
    def parties(self) -> tuple[Party, ...]:
        return tuple(i for m in self.modules for i in m.items if isinstance(i, Party))

    @cached_property
    def agreements(self) -> tuple[Agreement, ...]:
        return tuple(i for m in self.modules for i in m.items if isinstance(i, Agreement))

    @cached_property
    def precedences(self) -> tuple[Precedence, ...]:
        return tuple(i for m in self.modules for i in m.items if isinstance(i, Precedence))

    @cached_property
    def tenders(self) -> tuple[Tender, ...]:
        return tuple(i for m in self.modules for i in m.items if isinstance(i, Tender))

    @cached_property
    def _index(self) -> dict[tuple[type, str], Party | Agreement | Tender]:
        index: dict[tuple[type, str], Party | Agreement | Tender] = {}
        items: list[Party | Agreement | Tender] = [*self.parties, *self.agreements, *self.tenders]
        for item in items:
            index.setdefault((type(item), item.id), item)  # the first one, as a scan finds
        return index

    def party(self, party_id: str) -> Party | None:
        found = self._index.get((Party, party_id))
        return found if isinstance(found, Party) else None

    def agreement(self, agreement_id: str) -> Agreement | None:
        found = self._index.get((Agreement, agreement_id))
        return found if isinstance(found, Agreement) else None

    def tender(self, tender_id: str) -> Tender | None:
        found = self._index.get((Tender, tender_id))
        return found if isinstance(found, Tender) else None
