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
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

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
    if isinstance(cond, Or):
        seen_unknown = False
        for item in cond.items:
            value = evaluate(item, facts, licence_oracle)
            if value is True:
                return True
            seen_unknown = seen_unknown or value is None
        return None if seen_unknown else False
    if isinstance(cond, And):
        seen_unknown = False
        for item in cond.items:
            value = evaluate(item, facts, licence_oracle)
            if value is False:
                return False
            seen_unknown = seen_unknown or value is None
        return None if seen_unknown else True
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
    left, right = _comparable(fact), _comparable(value.value)
    if op == "==":
        return left == right
    if op == "!=":
        return left != right
    if type(left) is not type(right) and not (_is_number(left) and _is_number(right)):
        return None
    try:
        if op == "<":
            return bool(left < right)  # type: ignore[operator]
        if op == "<=":
            return bool(left <= right)  # type: ignore[operator]
        if op == ">":
            return bool(left > right)  # type: ignore[operator]
        return bool(left >= right)  # type: ignore[operator]
    except TypeError:
        return None


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


@dataclass(frozen=True)
class Constraint:
    condition: Condition
    allowed: frozenset[Truth]


class SearchLimit(Exception):
    """The search visited too many partial fact sets; the caller stays silent."""


def must(cond: Condition, *allowed: Truth) -> Constraint:
    return Constraint(cond, frozenset(allowed))


def search(
    variables: Sequence[Variable], constraints: Sequence[Constraint], *, limit: int = 50_000
) -> dict[str, object] | None:
    """A fact set meeting every constraint, or None if there is none."""
    budget = [limit]
    facts: dict[str, object] = {}

    def ok() -> bool:
        for c in constraints:
            value = evaluate(c.condition, facts)
            if value is not None and value not in c.allowed:
                return False
        return True

    def complete() -> bool:
        return all(evaluate(c.condition, facts) in c.allowed for c in constraints)

    def step(index: int) -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            raise SearchLimit
        if not ok():
            return False
        if index == len(variables):
            return complete()
        for choice in variables[index].choices:
            facts.update(choice)
            if step(index + 1):
                return True
            for key in choice:
                facts.pop(key, None)
        return False

    return dict(facts) if step(0) else None
