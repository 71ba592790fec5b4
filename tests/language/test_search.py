"""The fast search visits, finds and counts exactly what the plain backtracking search does.

``reference`` is the search as first written: evaluate every constraint at every
partial fact set. The real one compiles, splits constraints, re-evaluates only what a
variable can change and skips subtrees it has already seen fail, charging their steps;
the same fact set must come back, and :class:`SearchLimit` at the same step limits.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from reference_search import reference

from coopengine.language.logic import (
    ConditionCache,
    Constraint,
    SearchLimit,
    Truth,
    Variable,
    search,
)
from coopengine.language.model import (
    And,
    Boolean,
    Compare,
    CompatibleWith,
    Condition,
    In,
    Not,
    Or,
    PathTest,
    Value,
)

DOMAINS: dict[str, list[object]] = {
    "use": ["internal", "network-service", "distribution"],
    "modified": [True, False],
    "solution.x": ["a", "b", True, None],
    "solution.n": [1, 5, 10, "something-else"],
    "date": [dt.date(2024, 1, 1), dt.date(2025, 1, 1), dt.date(2026, 1, 1)],
}
ALLOWED: list[frozenset[Truth]] = [
    frozenset({True}),
    frozenset({True, None}),
    frozenset({False}),
    frozenset({False, None}),
    frozenset({True, False}),
    frozenset({None}),
]


def atom(rng: random.Random) -> Condition:
    path = rng.choice([*DOMAINS, "licence.osi-approved"])
    kind = rng.random()
    if kind < 0.1:
        return Boolean(rng.random() < 0.5)
    if kind < 0.15:
        return CompatibleWith(rng.choice(["MIT", None]))
    if kind < 0.3 or path == "licence.osi-approved":
        return PathTest(path)
    values = DOMAINS.get(path, [True])
    if kind < 0.45:
        return In(path, tuple(Value(v) for v in rng.sample(values, min(2, len(values))) if v is not None))
    value = rng.choice([v for v in values if v is not None])
    op = rng.choice(["==", "!=", "<", ">="] if path in ("date", "solution.n") else ["==", "!="])
    return Compare(path, op, Value(value))  # type: ignore[arg-type]


def condition(rng: random.Random, depth: int = 0) -> Condition:
    roll = rng.random()
    if depth > 2 or roll < 0.35:
        return atom(rng)
    if roll < 0.5:
        return Not(condition(rng, depth + 1))
    items = tuple(condition(rng, depth + 1) for _ in range(rng.randint(2, 3)))
    return And(items) if roll < 0.75 else Or(items)


def problem(rng: random.Random) -> tuple[list[Variable], list[Constraint]]:
    paths = rng.sample(list(DOMAINS), rng.randint(2, len(DOMAINS)))
    variables = [Variable(p, tuple({p: v} for v in DOMAINS[p])) for p in paths]
    if rng.random() < 0.5:
        licences = ({"licence.osi-approved": True}, {"licence.osi-approved": False}, {"licence.osi-approved": None})
        variables.insert(rng.randrange(len(variables) + 1), Variable("licence", licences))
    if rng.random() < 0.3:
        key = "licence compatible-with MIT"
        variables.append(Variable(key, ({key: True}, {key: False})))
    shared = condition(rng)  # the same object in several constraints, as in the analyses
    constraints = [
        Constraint(shared if rng.random() < 0.3 else condition(rng), rng.choice(ALLOWED))
        for _ in range(rng.randint(1, 5))
    ]
    return variables, constraints


def outcome(
    fn: object, variables: list[Variable], constraints: list[Constraint], limit: int, **kw: object
) -> object:
    try:
        return fn(variables, constraints, limit=limit, **kw)  # type: ignore[operator]
    except SearchLimit:
        return "limit"


@pytest.mark.parametrize("shortcut", [True, False])
@pytest.mark.parametrize("seed", range(8))
def test_search_matches_reference(seed: int, shortcut: bool) -> None:
    """With ``shortcut`` the search may first prove there is nothing to find; with or
    without it, the outcome is the reference's."""
    rng = random.Random(seed)
    for _ in range(250):
        variables, constraints = problem(rng)
        for limit in (1, 3, 10, 40, 200, 50_000):
            expected = outcome(reference, variables, constraints, limit)
            found = outcome(search, variables, constraints, limit, shortcut=shortcut)
            assert found == expected, (variables, constraints, limit)


@pytest.mark.parametrize("seed", range(4))
def test_search_matches_reference_near_the_limit(seed: int) -> None:
    """Every limit around the steps the reference needs, on problems it solves: the
    search must give up (raise) exactly where the reference does."""
    rng = random.Random(100 + seed)
    checked = 0
    while checked < 100:
        variables, constraints = problem(rng)
        steps = _steps(variables, constraints)
        if steps is None:
            continue
        checked += 1
        for limit in range(max(0, steps - 2), steps + 3):
            expected = outcome(reference, variables, constraints, limit)
            assert expected == ("limit" if limit < steps else expected)
            found = outcome(search, variables, constraints, limit, shortcut=False)
            assert found == expected, (variables, constraints, limit)


def _steps(variables: list[Variable], constraints: list[Constraint]) -> int | None:
    """The fewest steps the reference needs to find a fact set, None if it finds none."""
    if outcome(reference, variables, constraints, 50_000) in (None, "limit"):
        return None
    low, high = 0, 50_000
    while low < high:
        middle = (low + high) // 2
        if outcome(reference, variables, constraints, middle) == "limit":
            low = middle + 1
        else:
            high = middle
    return low


@pytest.mark.parametrize("limit", [1, 2, 5, 9, 10, 11, 12, 30, 50_000])
def test_dead_end_shortcut_matches_reference(limit: int) -> None:
    """Constraints that rule out every choice of one variable: the search skips the walk
    only where the walk would have found nothing within ``limit``."""
    variables = [
        Variable("modified", ({"modified": True}, {"modified": False})),
        Variable("solution.x", ({"solution.x": "a"}, {"solution.x": "b"}, {"solution.x": None})),
        Variable("use", tuple({"use": u} for u in DOMAINS["use"])),
    ]
    for constraints in (
        [
            Constraint(Compare("use", "==", Value("internal")), frozenset({True})),
            Constraint(Compare("use", "==", Value("distribution")), frozenset({True})),
        ],
        [
            Constraint(Compare("solution.x", "==", Value("a")), frozenset({True})),
            Constraint(Compare("use", "==", Value("internal")), frozenset({True})),
            Constraint(Compare("use", "==", Value("distribution")), frozenset({True, None})),
        ],
        [Constraint(PathTest("modified"), frozenset({True})), Constraint(Not(PathTest("modified")), frozenset({True}))],
    ):
        assert outcome(search, variables, constraints, limit) == outcome(reference, variables, constraints, limit)


@pytest.mark.parametrize("shortcut", [True, False])
@pytest.mark.parametrize("seed", range(6))
def test_shared_cache_matches_reference(seed: int, shortcut: bool) -> None:
    """The searches of one agreement run over chosen variables of one fixed list and share
    one :class:`ConditionCache`: each must give what the plain search over those variables
    gives, limits included. Variables left out whose
    facts a constraint reads, and a variable setting two facts (or one another variable
    also sets), are in the mix."""
    rng = random.Random(1000 + seed)
    for _ in range(120):
        variables, pool = problem(rng)
        if rng.random() < 0.3:
            pair = ("use", "modified") if rng.random() < 0.5 else ("solution.y", "solution.z")
            choices = tuple({pair[0]: a, pair[1]: b} for a in ("internal", "distribution") for b in (True, False))
            variables.insert(rng.randrange(len(variables) + 1), Variable("pair", choices))
        pool += [Constraint(condition(rng), rng.choice(ALLOWED)) for _ in range(3)]
        # the same condition allowing "unknown" and not, as the clause pairs and the
        # reachability searches ask it: what the space derives from one serves the other
        pool += [Constraint(c.condition, c.allowed ^ {None}) for c in rng.sample(pool, 2)]
        cache = ConditionCache()
        for _ in range(4):
            constraints = rng.sample(pool, rng.randint(1, len(pool)))
            selected = sorted(rng.sample(range(len(variables)), rng.randint(1, len(variables))))
            subset = [variables[i] for i in selected]
            for limit in (1, 3, 10, 40, 200, 50_000):
                expected = outcome(reference, subset, constraints, limit)
                try:
                    found: object = search(subset, constraints, limit=limit, cache=cache, shortcut=shortcut)
                except SearchLimit:
                    found = "limit"
                assert found == expected, (subset, constraints, limit)
