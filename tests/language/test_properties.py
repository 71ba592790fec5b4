"""Hypothesis: no input raises anything but a diagnostic; fmt round-trips."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopengine.language import LanguageError, check_text, format_text, parse_text
from coopengine.language.fmt import condition
from coopengine.language.model import And, Boolean, Compare, Condition, In, Not, Or, PathTest, Value

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").rglob("*.coop"))
SEEDS = [p.read_text(encoding="utf-8") for p in EXAMPLES]
ALPHABET = st.sampled_from(
    list('abcdefgh{}()"#.,=!<> \n\t-_0123456789ABZ\\')
    + [
        "party ",
        "agreement ",
        "clause ",
        "then ",
        "when ",
        "not ",
        "and ",
        "or ",
        "permit",
        "deny",
        "}",
        "{",
    ]
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.lists(ALPHABET, max_size=80).map("".join))
def test_random_text_only_gives_diagnostics(text: str) -> None:
    result = check_text(text, "r.coop")
    for d in result.diagnostics:
        assert d.render().startswith("r.coop:")


def _splice(seed: str, where: int, cut: int, insert: str) -> str:
    pos = where % (len(seed) + 1)
    return seed[:pos] + insert + seed[pos + cut :]


# An example file with a few characters cut out somewhere and a few others put in.
SPLICED = st.builds(
    _splice,
    st.sampled_from(SEEDS),
    st.integers(min_value=0),
    st.integers(min_value=0, max_value=30),
    st.text(alphabet='{}()"#\n abz=-.', max_size=6),
)


@SETTINGS
@given(SPLICED)
def test_mutated_files_only_give_diagnostics(text: str) -> None:
    check_text(text, "m.coop")
    try:
        once = format_text(text, "m.coop")
    except LanguageError:
        return
    assert format_text(once) == once
    assert parse_text(once)[0] == parse_text(text)[0]


PATHS = st.sampled_from(["use", "modified", "licence.osi-approved", "solution.x", "linking"])
VALUES = st.sampled_from(
    [Value("internal", True), Value("static", True), Value("x y"), Value(True), Value(3)]
)


def conditions() -> st.SearchStrategy[Condition]:
    leaf: st.SearchStrategy[Condition] = st.one_of(
        PATHS.map(PathTest),
        st.builds(Compare, PATHS, st.sampled_from(["==", "!="]), VALUES),
        st.builds(lambda p, vs: In(p, tuple(vs)), PATHS, st.lists(VALUES, min_size=1, max_size=3)),
        st.booleans().map(Boolean),
    )
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            inner.map(Not),
            st.lists(inner, min_size=2, max_size=3).map(lambda xs: Or(tuple(xs))),
            st.lists(inner, min_size=2, max_size=3).map(lambda xs: And(tuple(xs))),
        ),
        max_leaves=12,
    )


@SETTINGS
@given(conditions())
def test_condition_printing_round_trips(cond: Condition) -> None:
    text = (
        'party a "A"\nparty b "B"\nagreement x "X" {\n parties a, b\n effective 2024-01-01\n'
        f' clause c "C" ref "c" {{ when {condition(cond)} then permit }}\n}}\n'
    )
    module, diagnostics = parse_text(text, "c.coop")
    assert module is not None, [d.render() for d in diagnostics]
    clause = module.items[2].clauses[0]  # type: ignore[union-attr]
    assert clause.when == cond
