"""Three-valued evaluation of conditions, and a small search over finite fact domains.

``evaluate`` is the pure evaluator the decision engine uses: a fact the scenario does not
give is unknown (``None``), and ``and``/``or``/``not`` follow Kleene's strong logic so
that an unknown fact only matters when it could change the result.

``search`` finds one fact set meeting constraints ("this condition is true, that one
false") by backtracking; it prunes a branch as soon as a partly assigned condition is
already decided the wrong way, which is sound because Kleene logic is monotonic.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .model import And, Boolean, Compare, CompatibleWith, Condition, In, Not, Or, PathTest, Value
from .vocab import AGREEMENT_PATHS, TENDER_PATHS

Truth = bool | None
LicenceOracle = Callable[[Condition], Truth]
"""Answers a licence atom (a test on ``licence.*`` or ``compatible-with``) for the
solution's licence expression: for ``A OR B`` the engine says True if some alternative
makes the atom true, for ``A AND B`` if every part does; None when it cannot tell."""


def compat_key(target: str | None) -> str:
    """The fact name under which a ``compatible-with`` answer can be given directly."""
    return f"licence compatible-with {target if target is not None else 'deliverable'}"


def is_licence_atom(cond: Condition) -> bool:
    if isinstance(cond, CompatibleWith):
        return True
    if isinstance(cond, Compare | In | PathTest):
        info = AGREEMENT_PATHS.get(cond.path) or TENDER_PATHS.get(cond.path)
        return info is not None and info.licence
    return False


def evaluate(
    cond: Condition, facts: Mapping[str, object], licence_oracle: LicenceOracle | None = None
) -> Truth:
    """True, False, or None when the result depends on a fact that is not given."""
    if licence_oracle is not None and is_licence_atom(cond):
        return licence_oracle(cond)
    if isinstance(cond, Boolean):
        return cond.value
    if isinstance(cond, Or | And):
        decisive = isinstance(cond, Or)  # one true item makes an `or` true, one false an `and` false
        seen_unknown = False
        for item in cond.items:
            value = evaluate(item, facts, licence_oracle)
            if value is decisive:
                return decisive
            seen_unknown = seen_unknown or value is None
        return None if seen_unknown else not decisive
    if isinstance(cond, Not):
        value = evaluate(cond.operand, facts, licence_oracle)
        return None if value is None else not value
    if isinstance(cond, PathTest):
        fact = facts.get(cond.path)
        return fact if isinstance(fact, bool) else None
    if isinstance(cond, CompatibleWith):
        fact = facts.get(compat_key(cond.target))
        return fact if isinstance(fact, bool) else None
    if isinstance(cond, Compare):
        if cond.path not in facts or facts[cond.path] is None:
            return None
        return _compare(facts[cond.path], cond.op, cond.value)
    if isinstance(cond, In):
        if cond.path not in facts or facts[cond.path] is None:
            return None
        results = [_compare(facts[cond.path], "==", v) for v in cond.values]
        if True in results:
            return True
        return None if None in results else False
    raise TypeError(f"not a condition: {cond!r}")  # pragma: no cover


def _compare(fact: object, op: str, value: Value) -> Truth:
    return _compare_values(_comparable(fact), op, _comparable(value.value))


def _compare_values(left: object, op: str, right: object) -> Truth:
    if op == "==":
        return left == right
    if op == "!=":
        return left != right
    if type(left) is not type(right) and not (_is_number(left) and _is_number(right)):
        return None
    try:
        return bool(_ORDERING[op](left, right))
    except TypeError:
        return None


_ORDERING: dict[str, Callable[[Any, Any], object]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _comparable(value: object) -> object:
    """Dates given as ISO text compare as dates; everything else as written."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def days_around(day: dt.date) -> tuple[dt.date, ...]:
    """The day before, the day itself and the day after, clipped to the calendar.

    Searches try the neighbours of every date a condition names; ``9999-12-31`` (the usual
    "indefinitely") and ``0001-01-01`` have only one neighbour.
    """
    return tuple(
        day + dt.timedelta(days=k)
        for k in (-1, 0, 1)
        if (k >= 0 or day > dt.date.min) and (k <= 0 or day < dt.date.max)
    )


def atoms(cond: Condition) -> Iterator[Condition]:
    """The leaves of a condition (comparisons, tests), left to right."""
    stack: list[Condition] = [cond]
    while stack:
        node = stack.pop()
        if isinstance(node, Or | And):
            stack.extend(reversed(node.items))
        elif isinstance(node, Not):
            stack.append(node.operand)
        else:
            yield node


# ---- search ----------------------------------------------------------------------


@dataclass(frozen=True)
class Variable:
    """One dimension of the search: each choice sets one or more facts at once."""

    name: str
    choices: tuple[Mapping[str, object], ...]

    @cached_property
    def keys(self) -> tuple[str, ...]:
        """Every fact some choice sets, in first-seen order."""
        return tuple(dict.fromkeys(k for choice in self.choices for k in choice))


@dataclass(frozen=True)
class Constraint:
    condition: Condition
    allowed: frozenset[Truth]


class SearchLimit(Exception):
    """The search visited too many partial fact sets; the caller stays silent."""


def must(cond: Condition, *allowed: Truth) -> Constraint:
    return Constraint(cond, frozenset(allowed))


Evaluator = Callable[[Mapping[str, object]], Truth]
# A constraint taken apart (see :func:`_split`): a condition, its evaluator, the values it
# may take and the facts it reads.
Part = tuple[Condition, Evaluator, frozenset[Truth], frozenset[str]]


class ConditionCache:
    """What :func:`search` derives from a condition (each part's evaluator and the facts it
    reads, what it rules out of a variable), kept across the searches of one analysis. Keyed
    by identity; holds the conditions, so an id is never reused while the cache lives."""

    def __init__(self) -> None:
        self._evaluators: dict[int, tuple[Condition, Evaluator, frozenset[str]]] = {}
        self._dead: dict[tuple[int, int, frozenset[Truth]], tuple[Variable, Condition, int]] = {}

    def parts(self, cond: Condition, allowed: frozenset[Truth]) -> list[Part]:
        out = []
        for part, ok in _split(cond, allowed):
            known = self._evaluators.get(id(part))
            if known is None:
                known = self._evaluators[id(part)] = (part, functools.partial(evaluate, part), frozenset(_reads(part)))
            out.append((part, known[1], ok, known[2]))
        return out

    def dead(self, variable: Variable, cond: Condition, allowed: frozenset[Truth], evaluator: Evaluator) -> int:
        """The choices of ``variable`` (a bit each) that decide ``cond`` outside ``allowed``,
        for a condition that reads only facts the variable sets."""
        key = (id(variable), id(cond), allowed)
        found = self._dead.get(key)
        if found is None:
            mask = 0
            for i, choice in enumerate(variable.choices):
                value = evaluator(choice)
                if value is not None and value not in allowed:
                    mask |= 1 << i
            found = self._dead[key] = (variable, cond, mask)
        return found[2]


def search(
    variables: Sequence[Variable],
    constraints: Sequence[Constraint],
    *,
    limit: int = 50_000,
    cache: ConditionCache | None = None,
    shortcut: bool = True,
) -> dict[str, object] | None:
    """A fact set meeting every constraint, or None if there is none.

    Depth-first over ``variables`` in order, each variable's choices in order; a branch is
    pruned as soon as some constraint is decided outside what it allows. Every visited
    partial fact set costs one step of ``limit``; past it, :class:`SearchLimit`.

    Constraints are split where that changes nothing (``a and b`` must hold: each must),
    and after a variable is set only the parts that read one of its facts are evaluated
    again. With ``shortcut`` (worth its cost where the caller expects "nothing" often),
    :func:`_dead_end` may first prove there is nothing to find within ``limit``.
    """
    cache = cache or ConditionCache()
    if shortcut and _dead_end(variables, constraints, cache, limit):
        return None
    return walk(variables, constraints, limit=limit, cache=cache)


def walk(
    variables: Sequence[Variable],
    constraints: Sequence[Constraint],
    *,
    limit: int = 50_000,
    cache: ConditionCache | None = None,
) -> dict[str, object] | None:
    """:func:`search` without its shortcuts: the depth-first walk itself."""
    evaluators, allowed, dependents = _prepared(variables, constraints, cache or ConditionCache())
    last = len(variables)
    budget = limit - 1  # the root's step
    if budget < 0:
        raise SearchLimit
    facts: dict[str, object] = {}
    root = [ev(facts) for ev in evaluators]
    if any(value is not None and value not in ok for value, ok in zip(root, allowed, strict=True)):
        return None

    def step(index: int, values: list[Truth]) -> bool:
        """Visit a partial fact set that passed the prune test (its step is already paid)."""
        nonlocal budget
        if index == last:
            return all(value in ok for value, ok in zip(values, allowed, strict=True))
        deps = dependents[index]
        for choice in variables[index].choices:
            facts.update(choice)
            after = values.copy()
            pruned = False
            for j in deps:
                value = after[j] = evaluators[j](facts)
                if value is not None and value not in allowed[j]:
                    pruned = True  # only these can have changed; the others passed above
            budget -= 1  # the child's step, pruned or not
            if budget < 0:
                raise SearchLimit
            if not pruned and step(index + 1, after):
                return True
            for name in choice:
                facts.pop(name, None)
        return False

    try:
        return dict(facts) if step(0, root) else None
    finally:
        # `step` calls itself through its closure: a reference cycle that would keep this
        # search's state alive until the cycle collector runs (paused during a check).
        step = _finished


def _finished(index: int, values: list[Truth]) -> bool:  # pragma: no cover - never called
    raise AssertionError("the search is over")


def _prepared(
    variables: Sequence[Variable], constraints: Sequence[Constraint], cache: ConditionCache
) -> tuple[list[Evaluator], list[frozenset[Truth]], list[list[int]]]:
    """The constraints' distinct parts (their evaluators and allowed values) and, for each
    variable, the parts to evaluate again once it is set."""
    parts: dict[tuple[int, frozenset[Truth]], Part] = {}
    for constraint in constraints:
        for part in cache.parts(constraint.condition, constraint.allowed):
            parts.setdefault((id(part[0]), part[2]), part)
    evaluators = [ev for _, ev, _, _ in parts.values()]
    allowed = [ok for _, _, ok, _ in parts.values()]
    reads = [r for _, _, _, r in parts.values()]
    keys = [key for variable in variables for key in variable.keys]
    if len(set(keys)) == len(keys):
        # Setting a variable can only change the parts that read one of its facts.
        return evaluators, allowed, [[j for j, r in enumerate(reads) if not r.isdisjoint(v.keys)] for v in variables]
    # Two variables set the same fact: evaluate every part again.
    return evaluators, allowed, [list(range(len(allowed)))] * len(variables)


def _dead_end(
    variables: Sequence[Variable], constraints: Sequence[Constraint], cache: ConditionCache, limit: int
) -> bool:
    """True if :func:`search` is sure to return None without reaching ``limit``.

    A part that reads only the facts of one variable rules out some of its choices
    wherever they are made. If every choice of some variable is ruled out so, no fact set
    passes it; and the search visits at most, above it, the root, then at each level the
    choices of the variable below every partial fact set still alive, and a partial fact
    set is alive only if no part local to a variable set so far rules it out. When that
    count is within ``limit`` the search would have found nothing, and raised nothing.
    Only for distinct facts per variable (the search's incremental mode): False otherwise.
    Computed before the search sets anything up (a part listed twice rules out the same
    choices twice, so parts are not deduplicated here).
    """
    owner: dict[str, int] = {}
    count = 0
    for i, variable in enumerate(variables):
        for key in variable.keys:
            owner[key] = i
            count += 1
    if len(owner) != count:
        return False
    masks = [0] * len(variables)
    for constraint in constraints:
        for cond, evaluator, ok, reads in cache.parts(constraint.condition, constraint.allowed):
            owners = {owner.get(key, -1) for key in reads}
            if len(owners) == 1 and (i := owners.pop()) >= 0:
                masks[i] |= cache.dead(variables[i], cond, ok, evaluator)
    steps = 1
    alive = 1
    for i, variable in enumerate(variables):
        size = len(variable.choices)
        steps += alive * size
        if steps > limit:
            return False
        alive *= size - masks[i].bit_count()
        if alive == 0:
            return True
    return False


def _split(cond: Condition, allowed: frozenset[Truth]) -> Iterator[tuple[Condition, frozenset[Truth]]]:
    """Constraints equivalent to ``cond`` in ``allowed``, at every partial fact set.

    ``a and b`` true (or unknown) iff each is; ``a or b`` false (or unknown) iff each is;
    ``not a`` in a set iff ``a`` in the negated set.
    """
    if isinstance(cond, And) and True in allowed and False not in allowed:
        for item in cond.items:
            yield from _split(item, allowed)
    elif isinstance(cond, Or) and False in allowed and True not in allowed:
        for item in cond.items:
            yield from _split(item, allowed)
    elif isinstance(cond, Not):
        yield from _split(cond.operand, frozenset(None if v is None else not v for v in allowed))
    else:
        yield cond, allowed


def _reads(cond: Condition) -> Iterator[str]:
    """The facts :func:`evaluate` looks at for ``cond`` (without a licence oracle)."""
    for atom in atoms(cond):
        if isinstance(atom, Compare | In | PathTest):
            yield atom.path
        elif isinstance(atom, CompatibleWith):
            yield compat_key(atom.target)
