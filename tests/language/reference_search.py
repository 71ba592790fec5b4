"""The search as first written, kept as the oracle the optimised search is compared with.

Evaluate every constraint at every partial fact set, counting each one visited: slow, plain
and obviously right. Shared by test_search.py and test_check_speed_equivalence.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from coopengine.language.logic import Constraint, SearchLimit, Variable, evaluate


def reference(
    variables: Sequence[Variable], constraints: Sequence[Constraint], *, limit: int = 50_000
) -> dict[str, object] | None:
    budget = [limit]
    facts: dict[str, object] = {}

    def ok() -> bool:
        for c in constraints:
            value = evaluate(c.condition, facts)
            if value is not None and value not in c.allowed:
                return False
        return True

    def step(index: int) -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            raise SearchLimit
        if not ok():
            return False
        if index == len(variables):
            return all(evaluate(c.condition, facts) in c.allowed for c in constraints)
        for choice in variables[index].choices:
            facts.update(choice)
            if step(index + 1):
                return True
            for key in choice:
                facts.pop(key, None)
        return False

    return dict(facts) if step(0) else None
