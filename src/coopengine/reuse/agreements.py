"""Steps 3 and 4 of the reuse decision: the agreements in force, and each clause's own condition.

An agreement applies when it is in force on the decision date, provider and recipient are both
parties (or adherents) and its scope holds. A clause's own condition (and its own dates) is
evaluated against the known facts in three-valued logic; conditions that depend on missing facts
stay open (:attr:`Evaluated.open_conditions`) for :mod:`.explore`. :class:`Index` holds the
program's links (exceptions, precedence, memberships) that :mod:`.settle` follows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..scenario import Scenario
from .results import AgreementStatus, Failing

if TYPE_CHECKING:
    from ..language import Program
    from ..language.logic import Truth
    from ..language.model import Agreement, Clause, Condition

__all__ = ["EMPTY_INDEX", "Evaluated", "Index", "evaluate_agreements", "scope_key"]

Oracle = Callable[["Condition"], "Truth"]


@dataclass(frozen=True)
class Index:
    """The program's clauses, exception links and memberships, computed once per decision."""

    clause_of: Mapping[str, tuple[Agreement, Clause]]  # "agreement.clause" -> both, in file order
    base_of: Mapping[str, str]  # exception -> the clause it is an exception to
    exceptions_of: Mapping[str, tuple[str, ...]]
    members: Mapping[str, frozenset[str]]
    beats: Mapping[str, frozenset[str]]  # agreement -> agreements it takes precedence over (or refines)
    defaults: tuple[tuple[str, str], ...]  # (agreement id, effect)

    @classmethod
    def of(cls, program: Program | None) -> Index:
        if program is None:
            return EMPTY_INDEX
        clause_of: dict[str, tuple[Agreement, Clause]] = {}
        base_of: dict[str, str] = {}
        for a in program.agreements:
            for c in a.clauses:
                key = f"{a.id}.{c.id}"
                clause_of[key] = (a, c)
                if c.exception_to is not None:
                    base_of[key] = f"{c.exception_to.agreement or a.id}.{c.exception_to.clause}"
        exceptions: dict[str, list[str]] = {}
        for key, base in base_of.items():
            if base in clause_of:
                exceptions.setdefault(base, []).append(key)
        beats: dict[str, set[str]] = {}
        for p in program.precedences:
            beats.setdefault(p.winner.name, set()).add(p.loser.name)
        for a in program.agreements:
            if a.refines is not None:
                beats.setdefault(a.id, set()).add(a.refines.name)
        return cls(
            clause_of=clause_of,
            base_of=base_of,
            exceptions_of={k: tuple(sorted(v)) for k, v in exceptions.items()},
            members={a.id: frozenset(r.name for r in a.parties) for a in program.agreements},
            beats={k: frozenset(v) for k, v in beats.items()},
            defaults=tuple((a.id, a.default.value) for a in program.agreements if a.default is not None),
        )

    def dominates(self, x: str, y: str) -> bool:
        """Does x's result stand over y's, through ``precedence`` and ``refines`` (transitively)?"""
        seen: set[str] = set()
        stack = [x]
        while stack:
            for m in self.beats.get(stack.pop(), ()):
                if m == y:
                    return True
                if m not in seen:
                    seen.add(m)
                    stack.append(m)
        return False


EMPTY_INDEX = Index({}, {}, {}, {}, {}, ())


@dataclass
class Evaluated:
    """Evaluation of every agreement and clause against the known facts; unknowns stay open."""

    agreement_truth: dict[str, Truth] = field(default_factory=dict)
    agreement_status: dict[str, AgreementStatus] = field(default_factory=dict)
    clause_truth: dict[str, Truth] = field(default_factory=dict)  # own condition and dates (not inherited)
    failing: dict[str, tuple[Failing, ...]] = field(default_factory=dict)
    # "agreement.clause" (or "agreement.scope") -> its condition, where missing facts decide it
    open_conditions: dict[str, Condition] = field(default_factory=dict)
    not_in_force: set[str] = field(default_factory=set)  # clauses whose own dates exclude the day


def scope_key(aid: str) -> str:
    """The key of an agreement's scope among the open conditions."""
    return f"{aid}.scope"


def evaluate_agreements(program: Program | None, scenario: Scenario, facts: Mapping[str, object], oracle: Oracle,
                        lines: Mapping[str, tuple[str, ...]]) -> Evaluated:
    """Which agreements apply, and each clause's own condition, as far as the known facts tell."""
    ev = Evaluated()
    if program is None:
        return ev
    for a in program.agreements:
        _agreement(ev, a, scenario, facts, oracle, lines)
    for a in program.agreements:
        for c in a.clauses:
            _clause(ev, a, c, scenario, facts, oracle, lines)
    return ev


def _agreement(ev: Evaluated, a: Agreement, scenario: Scenario, facts: Mapping[str, object], oracle: Oracle,
               lines: Mapping[str, tuple[str, ...]]) -> None:
    from ..language import evaluate

    role = "adherents" if a.declaration else "parties"

    def record(truth: Truth, code: str, why: str) -> None:
        ev.agreement_truth[a.id] = truth
        ev.agreement_status[a.id] = AgreementStatus(a.id, a.title, code, why, a.span.file, a.span.line,
                                                    a.declaration)

    eff = a.effective
    if eff is not None and not eff.covers(scenario.date):
        until = f" until {eff.until}" if eff.until else ""
        return record(False, "not-in-force", f"in force from {eff.start}{until}; the decision date is {scenario.date}")
    if scenario.provider == scenario.recipient:
        return record(False, "not-a-party", "provider and recipient are the same party")
    members = [r.name for r in a.parties]
    missing = [p for p in (scenario.provider, scenario.recipient) if p not in members]
    if len(missing) > 1:
        return record(False, "not-a-party", f"{' and '.join(missing)} are not {role} of it")
    if missing:
        return record(False, "not-a-party",
                      f"{missing[0]} is not {'an adherent' if a.declaration else 'a party'} of it")
    if a.scope is not None:
        value = evaluate(a.scope, facts, oracle)
        text = condition_text(a.scope, lines)
        if value is False:
            return record(False, "out-of-scope", f"its scope does not hold: {text}")
        if value is None:
            ev.open_conditions[scope_key(a.id)] = a.scope
            return record(None, "scope-unknown", f"its scope depends on missing facts: {text}")
    return record(True, "applies",
                  f"in force on {scenario.date}; {scenario.provider} and {scenario.recipient} are both {role}"
                  + ("; its scope holds" if a.scope is not None else ""))


def _clause(ev: Evaluated, a: Agreement, c: Clause, scenario: Scenario, facts: Mapping[str, object], oracle: Oracle,
            lines: Mapping[str, tuple[str, ...]]) -> None:
    from ..language import evaluate
    from ..language.logic import atoms

    key = f"{a.id}.{c.id}"
    if ev.agreement_truth.get(a.id) is False:
        # Facts that clauses of an agreement that does not apply would read cannot matter.
        ev.clause_truth[key] = False
        code = ev.agreement_status[a.id].status
        ev.failing[key] = (Failing(f"agreement {a.id} does not apply ({code})", False, note=True),)
    elif c.effective is not None and not c.effective.covers(scenario.date):
        ev.clause_truth[key] = False
        ev.not_in_force.add(key)
        ev.failing[key] = (Failing(f"the clause is in force from {c.effective.start}"
                                   + (f" until {c.effective.until}" if c.effective.until else ""),
                                   False, note=True),)
    elif c.when is None:
        ev.clause_truth[key] = True
        ev.failing[key] = ()
    else:
        value = evaluate(c.when, facts, oracle)
        ev.clause_truth[key] = value
        ev.failing[key] = tuple(Failing(condition_text(atom, lines), evaluate(atom, facts, oracle))
                                for atom in atoms(c.when))
        if value is None:
            ev.open_conditions[key] = c.when


def condition_text(cond: Condition, lines: Mapping[str, tuple[str, ...]]) -> str:
    """A condition as written in its file (first line and `...` when it spans several)."""
    span = getattr(cond, "span", None)
    if span is None or span.line <= 0:
        return type(cond).__name__
    file_lines = lines.get(span.file, ())
    if span.line == span.end_line and 0 < span.line <= len(file_lines):
        return str(file_lines[span.line - 1][span.column - 1 : span.end_column - 1]).strip()
    if 0 < span.line <= len(file_lines):
        return str(file_lines[span.line - 1][span.column - 1 :]).strip() + " ..."
    return type(cond).__name__
