"""Warnings (W4xx): conflicts, reachability, expiry, missing refs, unused parties, tenders.

Conflict and reachability checks enumerate the finite domains the conditions range over
(uses, linking, sample licences, booleans, party ids, the strings the files mention, and
dates around every threshold) with :func:`logic.search`, and print the fact set they
found as a scenario a lawyer can paste into a test case.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from . import vocab
from .checks import Context, bases, path_info
from .diagnostics import Diagnostic
from .logic import (
    ConditionCache,
    Constraint,
    SearchLimit,
    Variable,
    atoms,
    compat_key,
    days_around,
    must,
    search,
)
from .model import (
    Agreement,
    And,
    Boolean,
    Clause,
    ClauseKind,
    Compare,
    CompatibleWith,
    Condition,
    EverySatisfies,
    In,
    NoneSatisfies,
    OfferedSatisfies,
    PathTest,
    Program,
    Tender,
    Value,
)

EXPIRY_NOTICE = dt.timedelta(days=90)


def _date_range(start: dt.date, until: dt.date | None) -> Condition:
    items: list[Condition] = [Compare("date", ">=", Value(start))]
    if until is not None:
        items.append(Compare("date", "<=", Value(until)))
    return And(tuple(items))


class _Agreement:
    """An agreement with the derived conditions the analyses need, each computed once."""

    def __init__(self, program: Program, agreement: Agreement) -> None:
        self.program = program
        self.agreement = agreement
        self.context: list[Condition] = []
        if agreement.effective is not None:
            self.context.append(_date_range(agreement.effective.start, agreement.effective.until))
        if agreement.scope is not None:
            self.context.append(agreement.scope)
        self._applies: dict[int, Condition] = {}
        self._exceptions: dict[int, list[Clause]] = {}
        self._chains: dict[int, list[tuple[Agreement, Clause]]] = {}
        # "No guardrail applies", one constraint per guardrail.
        self.guards = [must(self.applies(c), False) for c in agreement.clauses if c.kind is ClauseKind.GUARDRAIL]

    def applies(self, clause: Clause) -> Condition:
        """When ``clause`` applies: its condition and dates, and its base's unless standalone
        (and so on down the chain of exceptions), as one conjunction."""
        found = self._applies.get(id(clause))
        if found is None:
            items: list[Condition] = []
            for _, link in [(self.agreement, clause), *self._bases(clause)]:
                if link.when is not None:
                    items.append(link.when)
                if link.effective is not None:
                    items.append(_date_range(link.effective.start, link.effective.until))
                if link.standalone:
                    break
            found = self._applies[id(clause)] = And(tuple(items)) if items else Boolean(True)
        return found

    def exceptions_of(self, clause: Clause) -> list[Clause]:
        """Clauses of this agreement that are (transitively) exceptions to ``clause``, in source order."""
        found = self._exceptions.get(id(clause))
        if found is None:
            found = self._exceptions[id(clause)] = [
                other for other in self.agreement.clauses
                if other is not clause and any(base is clause for _, base in self._bases(other))
            ]
        return found

    def _bases(self, clause: Clause) -> list[tuple[Agreement, Clause]]:
        found = self._chains.get(id(clause))
        if found is None:
            found = self._chains[id(clause)] = bases(self.program, self.agreement, clause)
        return found

    def defeaters(self, clause: Clause) -> list[Clause]:
        # Only an exception with an effect overrides the base's effect (decision documented).
        return [e for e in self.exceptions_of(clause) if e.then is not None]

    def defeated_by(self, clause: Clause) -> list[Constraint]:
        """Each exception defeating ``clause``, as "it does not apply"."""
        return [must(self.applies(e), False) for e in self.defeaters(clause)]


# ---- domains ---------------------------------------------------------------------


class _Domains:
    """The search variables for a set of conditions (see :meth:`variables`).

    A variable is built once per domain, so that what the search works out about it
    (:meth:`ConditionCache.dead`) is kept across searches.
    """

    def __init__(self, program: Program) -> None:
        self.parties = {p.id: p for p in program.parties}
        self.cache = ConditionCache()
        self._built: dict[tuple[object, ...], Variable] = {}

    def variables(self, conditions: Iterable[Condition], members: Sequence[str]) -> list[Variable]:
        """One variable per fact family the conditions read, with a small, sufficient domain."""
        values: dict[str, list[object]] = {}  # path -> the values written for it, in order
        tests: set[str] = set()
        compat: set[str | None] = set()
        dates: set[dt.date] = set()
        for cond in conditions:
            for atom in atoms(cond):
                if isinstance(atom, CompatibleWith):
                    compat.add(atom.target)
                elif isinstance(atom, PathTest):  # a bare test: the path has a domain, no value written
                    tests.add(atom.path)
                    values.setdefault(atom.path, [])
                elif isinstance(atom, Compare | In):
                    for v in (atom.value,) if isinstance(atom, Compare) else atom.values:
                        if isinstance(v.value, dt.date) and atom.path == "date":
                            dates.add(v.value)
                        else:
                            values.setdefault(atom.path, []).append(v.value)
        variables = [self._variable(("parties", *members), self._parties, members)]
        # Dates matter only relative to the thresholds written in the files.
        variables.append(self._variable(("date", frozenset(dates)), _dates_variable, dates))
        if any(path.startswith("licence.") for path in values):
            ids = tuple(dict.fromkeys(values.get("licence.id", ())))
            variables.append(self._variable(("licence", *_typed(ids)), self._licence_variable, ids))
        for path in sorted(values):
            if path != "date" and not path.startswith(("licence.", "provider", "recipient")):
                variables.append(self._path_domain(path, values[path], path in tests, members))
        for target in sorted(compat, key=str):
            variables.append(self._variable(("compat", target), _compat_variable, target))
        return variables

    def _parties(self, members: Sequence[str]) -> Variable:
        parties = self.parties
        # provider and recipient: distinct members; their kind and jurisdiction come with them
        pairs = [(a, b) for a in members for b in members if a != b] or [("provider", "recipient")]
        return Variable(
            "parties",
            tuple(
                {
                    "provider": a,
                    "recipient": b,
                    "provider.kind": getattr(parties.get(a), "kind", None),
                    "provider.jurisdiction": getattr(parties.get(a), "jurisdiction", None),
                    "recipient.kind": getattr(parties.get(b), "kind", None),
                    "recipient.jurisdiction": getattr(parties.get(b), "jurisdiction", None),
                }
                for a, b in pairs
            ),
        )

    def _path_domain(self, path: str, values: Sequence[object], tested: bool, members: Sequence[str]) -> Variable:
        info = path_info(path, path.startswith("component."))
        domain: list[object]
        if info is not None and info.type == "enum":
            domain = list(info.values)
        elif info is not None and info.type == "bool":
            domain = [True, False]
        elif path == "solution.owner":
            domain = list(dict.fromkeys([*members, *values, "another-owner"]))
        else:
            domain = list(dict.fromkeys(values))
            if tested:
                domain += [True, False]
            domain.append("something-else" if values else None)
        return self._variable((path, *_typed(domain)), _path_variable, path, domain)

    def _variable(self, key: tuple[object, ...], build: Callable[..., Variable], *args: Any) -> Variable:
        """The same domain gives the same variable: built once, with its facts listed once."""
        found = self._built.get(key)
        if found is None:
            found = self._built[key] = build(*args)
        return found

    def _licence_variable(self, ids: tuple[object, ...]) -> Variable:
        """The sample licences, and each other id the conditions name, with unknown facts."""
        samples: list[Mapping[str, object]] = list(vocab.SAMPLE_LICENCES)
        known = {s["licence.id"] for s in samples}
        for value in ids:
            if isinstance(value, str) and value not in known:
                known.add(value)
                samples.append({**dict.fromkeys(vocab.SAMPLE_FACTS), "licence.id": value})
        return Variable("licence", tuple(samples))

    def find(
        self, constraints: Sequence[Constraint], members: Sequence[str], *, likely_none: bool = False
    ) -> dict[str, object] | None:
        """A fact set meeting the constraints; raises SearchLimit when the domains are too big.

        ``likely_none``: most such searches find nothing (clause pairs), so the search's
        quick proof that there is nothing to find is worth trying first.
        """
        variables = self.variables((c.condition for c in constraints), members)
        return search(variables, constraints, cache=self.cache, shortcut=likely_none)


def _dates_variable(dates: set[dt.date]) -> Variable:
    days = sorted({n for d in dates for n in days_around(d)}) or [dt.date(2000, 1, 1)]
    return Variable("date", tuple({"date": d} for d in days))


def _compat_variable(target: str | None) -> Variable:
    return Variable(compat_key(target), ({compat_key(target): True}, {compat_key(target): False}))


def _path_variable(path: str, domain: list[object]) -> Variable:
    return Variable(path, tuple({path: v} for v in domain))


def _typed(values: Iterable[object]) -> tuple[tuple[type, object], ...]:
    """A cache key for values: ``1``, ``1.0`` and ``True`` are equal but not the same fact."""
    return tuple((type(v), v) for v in values)


def scenario(facts: dict[str, object]) -> dict[str, object]:
    """Facts in the shape of a `coop reuse` scenario, ready to paste."""
    out: dict[str, object] = {}
    for key in ("provider", "recipient", "date", "use", "modified", "linking"):
        fact = facts.get(key)
        if fact is not None:
            out[key] = fact.isoformat() if isinstance(fact, dt.date) else fact
    named = (("name", "solution.name"), ("owner", "solution.owner"), ("licence", "licence.id"))
    solution: dict[str, object] = {key: facts[fact] for key, fact in named if facts.get(fact) is not None}
    attributes = {
        k.split(".", 1)[1]: v
        for k, v in sorted(facts.items())
        if k.startswith("solution.") and k not in ("solution.name", "solution.owner") and v is not None
    }
    if attributes:
        solution["attributes"] = attributes
    if solution:
        out["solution"] = solution
    compat = {k: v for k, v in facts.items() if k.startswith("licence compatible-with")}
    if compat:
        out["assuming"] = {k.removeprefix("licence "): v for k, v in compat.items()}
    return out


# ---- per-agreement warnings ---------------------------------------------------------


def agreement_warnings(program: Program, ctx: Context, day: dt.date) -> Iterator[Diagnostic]:
    """Each agreement's warnings (what one agreement gets does not depend on the others; the
    caches shared across agreements only save work)."""
    domains = _Domains(program)
    for agreement in program.agreements:
        yield from _dates(agreement, ctx, day)
        for clause in agreement.clauses:
            if clause.ref is None:
                yield ctx.diag(
                    "W406",
                    f"{clause.kind.value} `{clause.id}` has no `ref`",
                    clause.span,
                    hint='cite the article it encodes: ref "art-2"',
                )
        try:
            yield from _logic(program, agreement, ctx, domains)
        except SearchLimit:
            continue


def _dates(agreement: Agreement, ctx: Context, day: dt.date) -> Iterator[Diagnostic]:
    eff = agreement.effective
    if eff is None:
        return
    if eff.until is not None and eff.until < day:
        yield ctx.diag(
            "W404",
            f"`{agreement.id}` expired on {eff.until} (checked for {day})",
            eff.span,
            hint="renew it or remove it; an expired agreement never applies",
        )
    elif eff.until is not None and eff.until - day <= EXPIRY_NOTICE and eff.start <= day:
        yield ctx.diag("W405", f"`{agreement.id}` expires on {eff.until}, within 90 days of {day}", eff.span)
    if eff.start > day:
        yield ctx.diag(
            "W410", f"`{agreement.id}` is not in force until {eff.start} (checked for {day})", eff.span
        )


Find = Callable[..., "dict[str, object] | None"]  # _Domains.find for one agreement's members


def _logic(program: Program, agreement: Agreement, ctx: Context, domains: _Domains) -> Iterator[Diagnostic]:
    a = _Agreement(program, agreement)
    find: Find = functools.partial(domains.find, members=[r.name for r in agreement.parties])
    reachable: set[int] = set()  # the clauses that can apply, found by the first step
    yield from _reachability(a, ctx, find, reachable)
    yield from _conflicts(a, ctx, find, reachable)


def _reachability(a: _Agreement, ctx: Context, find: Find, reachable: set[int]) -> Iterator[Diagnostic]:
    """W402 (never applies), W403 (always overridden), W408 (always defeated); adds the
    clauses that can apply to ``reachable``."""
    maybe_context = [must(c, True, None) for c in a.context]
    for clause in a.agreement.clauses:
        applies = must(a.applies(clause), True, None)
        effective = clause.kind is ClauseKind.CLAUSE and clause.then is not None
        overriding = a.guards if effective else []
        defeaters = a.defeated_by(clause) if effective else []
        # One fact set where the clause applies, no guardrail does and no exception defeats
        # it answers the three questions below at once; it is there for nearly every clause.
        if (overriding or defeaters) and find([*maybe_context, applies, *overriding, *defeaters]) is not None:
            reachable.add(id(clause))
            continue
        if find([*maybe_context, applies]) is None:
            yield ctx.diag(
                "W402",
                f"{clause.kind.value} `{clause.id}` can never apply",
                clause.span,
                hint="its condition, dates or scope rule out every case",
            )
            continue
        reachable.add(id(clause))
        if not effective:
            continue
        if overriding and find([*maybe_context, applies, *overriding]) is None:
            yield ctx.diag(
                "W403",
                f"clause `{clause.id}` is always overridden by a guardrail",
                clause.span,
                hint="whenever it applies, a guardrail of the agreement applies too",
            )
        elif defeaters and find([*maybe_context, applies, *defeaters]) is None:
            names = ", ".join(f"`{e.id}`" for e in a.defeaters(clause))
            yield ctx.diag(
                "W408",
                f"clause `{clause.id}` is defeated in every case (by {names})",
                clause.span,
                hint="the exception's condition always holds when the clause does",
            )


def _conflicts(a: _Agreement, ctx: Context, find: Find, reachable: set[int]) -> Iterator[Diagnostic]:
    """W401: two clauses with different effects that can apply to the same case, neither
    an exception to the other, with that case as the example."""
    effective = [
        c for c in a.agreement.clauses if c.kind is ClauseKind.CLAUSE and c.then is not None and id(c) in reachable
    ]
    context = [must(c, True) for c in a.context]
    holds = {id(c): must(a.applies(c), True) for c in effective}
    defeats = {id(c): a.defeated_by(c) for c in effective}
    # Clauses are told apart by identity: two clauses of a program are never the same one.
    related = {id(c): {id(e) for e in a.exceptions_of(c)} for c in effective}
    for i, first in enumerate(effective):
        for second in effective[i + 1 :]:
            if first.then == second.then or id(second) in related[id(first)] or id(first) in related[id(second)]:
                continue
            constraints = [
                *context,
                holds[id(first)],
                holds[id(second)],
                *defeats[id(first)],
                *defeats[id(second)],
                *a.guards,
            ]
            found = find(constraints, likely_none=True)
            if found is not None:
                yield ctx.diag(
                    "W401",
                    f"clauses `{first.id}` ({first.then}) and `{second.id}` ({second.then}) can both apply",
                    second.span,
                    related=(first.span,),
                    hint="make one an `exception to` the other, or narrow a condition "
                    f"(`{first.id}` is at line "
                    f"{first.span.line})",
                    example=scenario(found),
                )


# ---- program-wide warnings -----------------------------------------------------------


def unused_parties(program: Program, ctx: Context) -> Iterator[Diagnostic]:
    used = {r.name for a in program.agreements for r in a.parties}
    used |= {t.buyer.name for t in program.tenders if t.buyer}
    for agreement in program.agreements:
        conditions = [agreement.scope] + [c.when for c in agreement.clauses]
        for cond in conditions:
            for atom in atoms(cond) if cond is not None else ():
                if isinstance(atom, Compare):
                    used.add(str(atom.value.value))
                elif isinstance(atom, In):
                    used.update(str(v.value) for v in atom.values)
    for party in program.parties:
        if party.id not in used:
            yield ctx.diag(
                "W407",
                f"party `{party.id}` is declared but never used",
                party.span,
                hint="remove it, or add it to an agreement's parties",
            )


def tender_warnings(program: Program, ctx: Context) -> Iterator[Diagnostic]:
    domains = _Domains(program)
    for tender in program.tenders:
        for req in tender.requirements:
            if req.ref is None:
                yield ctx.diag(
                    "W406",
                    f"requirement `{req.id}` has no `ref`",
                    req.span,
                    hint='cite the tender section: ref "4.2"',
                )
        try:
            yield from _tender_contradictions(tender, ctx, domains)
        except SearchLimit:
            continue


def _tender_contradictions(tender: Tender, ctx: Context, domains: _Domains) -> Iterator[Diagnostic]:
    per_component: list[tuple[str, Constraint]] = []
    offered: list[tuple[str, Constraint]] = []
    for req in tender.requirements:
        for rule in req.rules:
            if isinstance(rule, EverySatisfies):
                per_component.append((req.id, must(rule.condition, True, None)))
            elif isinstance(rule, NoneSatisfies):
                per_component.append((req.id, must(rule.condition, False, None)))
            elif isinstance(rule, OfferedSatisfies):
                offered.append((req.id, must(rule.condition, True, None)))
    for group, what in ((per_component, "a component"), (offered, "the offered licence")):
        if len(group) < 2:
            continue
        if domains.find([c for _, c in group], []) is None:
            names = sorted({r for r, _ in group})
            span = next(r.span for r in tender.requirements if r.id == names[-1])
            yield ctx.diag(
                "W409",
                f"requirements {', '.join(f'`{n}`' for n in names)} cannot all be met by {what}",
                span,
                hint="no licence satisfies all of them; one of them is too strict",
            )
