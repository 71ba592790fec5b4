"""The recursive-descent parser gives exactly what FastParser gives, or gives up (None).

Both are run with a recording builder that logs every callback and its children: tokens
with all their positions, and values built by earlier callbacks by their rank in the
log (the model of a deep condition is too deep to compare with ``==``). The descent's
outcome, when it has one, must equal FastParser's in every respect.
"""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lark import Token
from lark.lexer import PatternStr
from test_lexer import NOISE, _dump, mutations
from test_properties import ALPHABET, SEEDS, SETTINGS, SPLICED, conditions

from coopengine.language import _descent, _lark, parse_text, vocab
from coopengine.language._lark import _Builder, _fast_parser, parser
from coopengine.language.fmt import condition as print_condition
from coopengine.language.parser import normalise, split_lines

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(ROOT.glob("examples/**/*.coop"))
FILES = sorted({*EXAMPLES, *(ROOT / "tests").glob("**/*.coop")})


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_language", ROOT / "bench" / "bench_language.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BENCH = _bench()
GENERATED = {
    f"{kind}-{seed}": text
    for seed in (1, 2)
    for kind, text in (
        ("realistic", BENCH.generate_realistic(50_000, seed=seed)),
        ("pathological", BENCH.generate_pathological(50_000 + 7_000 * seed)),
    )
}


# ---- recording both parsers ------------------------------------------------------------


class Recorder(_Builder):
    """A builder that logs each callback with its children, then builds as usual."""

    def __init__(self, file: str, lines: tuple[str, ...]) -> None:
        super().__init__(file, lines)
        self.log: list[tuple[str, object]] = []
        self.results: list[object] = []  # kept alive, so that no id is reused
        self.rank: dict[int, int] = {}

    def shape(self, x: object) -> object:
        """``x`` comparable across parses: a callback's value by its rank, a token with
        every attribute, lists and tuples item by item."""
        rank = self.rank.get(id(x))
        if rank is not None:
            return ("#", rank)
        if isinstance(x, Token):
            return (
                type(x),
                x.type,
                str(x),
                x.value,
                x.line,
                x.column,
                x.end_line,
                x.end_column,
                x.start_pos,
                x.end_pos,
            )
        if isinstance(x, list | tuple):
            return (type(x), *map(self.shape, x))
        return x


def _recording(name: str) -> Callable[[Recorder, list[Any]], Any]:
    build = getattr(_Builder, name)

    def callback(self: Recorder, children: list[Any]) -> Any:
        self.log.append((name, self.shape(children)))
        result = build(self, children)
        self.rank[id(result)] = len(self.results)
        self.results.append(result)
        return result

    return callback


for _name in _descent.CALLBACKS:
    setattr(Recorder, _name, _recording(_name))


def outcome(parse: Callable[[str, object], Any], text: str) -> object:
    """Everything a parse leaves behind, or None where the parser gave up."""
    builder = Recorder("t.coop", split_lines(text))
    value = parse(text, builder)
    if value is None:
        return None
    return (
        builder.shape(value),
        [builder.shape(item) for item in value],
        builder.log,
        builder.diagnostics,
        builder.shape(builder.deepest),
        builder.depth_problem,
    )


def agrees(text: str) -> bool:
    """Whether the descent parsed ``text``; where it did, FastParser must agree."""
    mine = outcome(_descent.parse, text)
    if mine is None:
        return False
    fast = _fast_parser()
    assert fast is not None
    theirs = outcome(fast.parse, text)
    assert theirs is not None, "the descent accepted text that lark rejects"
    assert mine == theirs
    return True


# ---- what the design rests on ------------------------------------------------------------


def test_terminals_are_lark_s() -> None:
    for name, regexp in _descent.TERMINALS.items():
        assert parser().get_terminal(name).pattern.to_regexp() == regexp, name
    kept = {t.name for t in parser().terminals if not isinstance(t.pattern, PatternStr)}
    assert kept == set(_descent.TERMINALS)


def test_keywords_and_identifiers_meet_only_in_atoms_and_values() -> None:
    """Where lark's table accepts IDENT, the keywords it accepts too are those the
    descent reads as keywords there: none (names), `true` and `false` (values), or
    `not`, `licence`, `true`, `false` (the start of an atom)."""
    fast = _fast_parser()
    assert fast is not None
    keywords = {t.name for t in parser().terminals if isinstance(t.pattern, PatternStr)}
    seen = set()
    for row in fast.states.values():
        accepted = {name for name in row if name.isupper()}
        if "IDENT" in accepted:
            both = frozenset(accepted & keywords)
            seen.add(both)
            if both == {"TRUE", "FALSE"}:
                assert accepted == {"IDENT", "STRING", "DATE", "NUMBER", "TRUE", "FALSE"}
            elif both:
                assert accepted == {"IDENT", "NOT", "LICENCE", "TRUE", "FALSE", "_LPAR"}
    assert seen == {frozenset(), frozenset({"TRUE", "FALSE"}), frozenset({"NOT", "LICENCE", "TRUE", "FALSE", "_LPAR"})}


def test_callbacks_are_the_grammar_s_rules() -> None:
    fast = _fast_parser()
    assert fast is not None
    inline = {r.origin for r in fast.rules if r.inline and not r.origin.startswith("__")}
    assert set(_descent.INLINE_RULES) == inline
    named = {r.name for r in fast.rules if not r.inline}
    # `condition` and `not_cond` always have a single child, so never reach a callback.
    assert set(_descent.CALLBACKS) == named - {"condition", "not_cond"}


# ---- files --------------------------------------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_files_parse_as_fast_parser_does(path: Path) -> None:
    text = normalise(path.read_text(encoding="utf-8"))
    accepted = agrees(text)
    if path in EXAMPLES:
        assert accepted, "the descent gave up on a valid example"


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_files_parse_as_fast_parser_does(name: str) -> None:
    assert agrees(GENERATED[name])


def test_spec_examples_parse_as_fast_parser_does() -> None:
    from test_grammar import spec_examples

    for text in spec_examples():
        assert agrees(text)


@pytest.mark.parametrize("seed", range(3))
def test_broken_files_parse_as_fast_parser_does_or_not_at_all(seed: int) -> None:
    accepted = sum(agrees(text) for text in mutations(150, seed))
    assert accepted > 10  # some mutations are still valid text: the comparison is not vacuous


def three_ways(text: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, list[str]]]:
    """parse_text's model (spans included) and diagnostics: descent first, as it runs;
    FastParser first; lark alone. (test_lexer's comparison of FastParser with lark
    now goes through the descent on both sides.)"""
    out = []
    for skipped in ([], [_descent], [_descent, _lark]):
        with monkeypatch.context() as patch:
            if _descent in skipped:
                patch.setattr(_descent, "parse", lambda text, builder: None)
            if _lark in skipped:
                patch.setattr(_lark, "_fast_parser", lambda: None)
            module, diagnostics = parse_text(text, "t.coop")
        out.append((_dump(module), [d.render() for d in diagnostics]))
    return out


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_parse_text_builds_what_lark_builds(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    descent, fast, slow = three_ways(path.read_text(encoding="utf-8"), monkeypatch)
    assert descent == slow
    assert fast == slow


def test_parse_text_builds_what_lark_builds_on_broken_files(monkeypatch: pytest.MonkeyPatch) -> None:
    for text in mutations(100, 7):
        descent, fast, slow = three_ways(text, monkeypatch)
        assert descent == slow, text
        assert fast == slow, text


def test_parse_items_uses_the_descent(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    parse = _descent.parse

    def spy(text: str, builder: object) -> Any:
        result = parse(text, builder)
        calls.append(result is not None)
        return result

    monkeypatch.setattr(_descent, "parse", spy)
    module, _ = parse_text(EXAMPLES[0].read_text(encoding="utf-8"), "t.coop")
    assert module is not None and calls == [True]


def test_giving_up_halfway_starts_the_builder_afresh() -> None:
    # lark lexes `whenmodified` as `when modified` (no identifier fits there, so the
    # keyword is matched as a prefix); the descent gives up on it after the bad date.
    text = 'party a "A"\nagreement x "X" {\n parties a\n effective 2024-13-45\n clause c "C" { whenmodified }\n}\n'
    assert outcome(_descent.parse, text) is None
    module, diagnostics = parse_text(text, "t.coop")
    assert module is not None
    assert [d.code for d in diagnostics] == ["E109"]


# ---- Hypothesis -------------------------------------------------------------------------


@SETTINGS
@given(st.lists(ALPHABET, max_size=80).map("".join))
def test_random_text(text: str) -> None:
    agrees(text)


@SETTINGS
@given(SPLICED)
def test_mutated_files(text: str) -> None:
    agrees(text)


WORDS = [*NOISE, "not", "licence", "true", "false", "in", "and", "or", "compatible-with", "deliverable", ".", ","]


@SETTINGS
@given(st.sampled_from(SEEDS), st.randoms(use_true_random=False))
def test_token_mutations(seed: str, rng: random.Random) -> None:
    parts = re.findall(r'"[^"\n]*"|\s+|[A-Za-z0-9_.-]+|.', seed)
    for _ in range(rng.randint(1, 3)):
        k = rng.randrange(len(parts))
        op = rng.random()
        if op < 0.3:
            del parts[k]
        elif op < 0.5:
            parts.insert(k, rng.choice(parts))
        elif op < 0.8:
            parts.insert(k, rng.choice(WORDS) + rng.choice(["", " "]))
        else:
            parts[k] = rng.choice(WORDS)
    agrees("".join(parts))


AGREEMENT = 'party a "A"\nparty b "B"\nagreement x "X" {{\n parties a, b\n effective 2024-01-01\n {body}\n}}\n'


@SETTINGS
@given(conditions())
def test_printed_conditions(cond: Any) -> None:
    text = AGREEMENT.format(body=f'clause c "C" ref "c" {{ when {print_condition(cond)} then permit }}')
    assert agrees(text)


# ---- by hand -------------------------------------------------------------------------


def clause(*lines: str) -> str:
    return AGREEMENT.format(body='clause c "C" {\n  ' + "\n  ".join(lines) + "\n }")


VALID = {
    "empty": "",
    "only comments": "# one\n  # two\n",
    "only a comment, no newline": "# one",
    "only layout": " \t\f\r\n\ufeff\n",
    "crlf and tabs": 'party a "A"\r\nparty b\t"B"\r\nagreement x "X" {\r\n\tparties a, b\r\n'
    '\teffective 2024-01-01\r\n\tclause c "C" {\twhen\ta\r\n\t}\r\n}\r\n',
    "bom as layout": '\ufeffparty a "A"\nparty\ufeffb "B"\n',
    "non-ascii strings": 'party a "Ville de Besançon — 東京 🙂" kind city\nparty b "\\"quoted\\" \\\\"',
    "party attributes": 'party a "A" kind city jurisdiction US-MD kind region jurisdiction FR\nparty b "B"',
    "keywords as identifiers": clause(
        "when use == deny and solution.text == permit and kind == none and deny == when",
        "then deny",
    ),
    "keywords as names": 'party party "P"\nparty when "W"\nprecedence when over then\n'
    'agreement agreement "A" { parties when, then refines text }',
    "keywords after a dot": clause("when licence.licence and a.not and b.true == false and c.in in {in}"),
    "licence compatible with": clause(
        'when licence compatible-with deliverable or licence compatible-with "EUPL-1.2"',
        "then permit",
    ),
    "licence as a path": clause('when licence == "MIT" or licence in {"MIT", x} or licence.copyleft'),
    "membership": clause(
        'when x in {a, "b", 2024-01-01, 3, -4.5, true, false} and y in {z}',
        "then require-mou",
    ),
    "negations": clause("when not not x and not (a or b) and (not c) and not true"),
    "nesting": clause("when ((a and (b or c)) or (((d)))) and (e == 1 or (f != g))"),
    "precedence of and over or": clause("when a or b and c or not d and e"),
    "comparisons": clause("when a == 1 and b != 2 and c <= 3 and d >= 4 and e < 5 and f > 2024-01-01"),
    "comments between tokens": clause("when a # why\n  and # more\n  b == # here\n  c", "then # so\n permit"),
    "no layout": 'party a"A"kind city\nagreement x"X"{parties a,a effective 2024-01-01until 2025-01-01'
    ' clause c"C"ref"r"{when a==12and(b)then permit oblige o"O",p}}',
    "every clause statement": AGREEMENT.format(
        body='clause c "C" ref "r" exception to d standalone {\n'
        "  when modified then permit\n"
        '  oblige notify "Notify", publish, credit "Credit"\n'
        "  waive share-back, credit\n"
        '  grant "EUPL-1.2"\n'
        "  effective 2024-01-01 until 2025-12-31\n"
        " }\n"
        ' guardrail g "G" exception to y.c ref "r2" { when a then deny }\n'
        ' clause e "E" {}'
    ),
    "every agreement statement": 'party a "A"\nagreement x "X" {\n parties a\n adherents a\n'
    " effective 2024-01-01\n refines y\n scope solution.owner in {a}\n default require-mou\n"
    ' text "https://example.org"\n}\n',
    "declaration": 'declaration d "D" {\n adherents a, b\n effective 2024-01-01 until 2026-01-01\n'
    ' scope true\n default deny\n clause c "C" { when false then permit }\n}\n',
    "precedence": "precedence a over b\nprecedence b over c",
    "tender": 'tender t "T" {\n buyer a\n deliverable "service"\n'
    ' requirement r "R" ref "art-1" {\n  every component satisfies licence.osi-approved\n'
    "  no component satisfies licence.category == proprietary\n"
    "  every component has sbom, licence-file\n"
    "  offered satisfies licence compatible-with deliverable\n }\n"
    ' requirement s "S" { }\n buyer b\n}\n',
    "structural problems": 'party a "A" kind x kind y\nagreement x "X" {\n effective 2024-13-45\n'
    ' effective 2024-01-01\n clause c "C" { then permit then deny when a when b }\n}\n',
}


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_by_hand(name: str) -> None:
    assert agrees(VALID[name])


GIVES_UP = {
    "keyword as a prefix": clause("whenx then permit"),  # lark: `when x`
    "effect as a prefix": clause("when x thenpermit"),
    "and as a prefix": clause("when a andb"),
    "lone capital": 'party a "A" jurisdiction F',
    "unterminated string": 'party a "A',
    "missing brace": AGREEMENT.format(body="")[:-2],
    "uppercase identifier": clause("when Use == x"),
    "bad character": clause("when a = b"),
    "stray token": 'party a "A" kind city x',
    "number where a date goes": clause("effective 2024"),
    "no for not": clause("when no x"),
    "capitals in a condition": clause("when AB == x"),
    "underscore": clause("when _x"),
    "lone quote as a value": clause('when a == "'),
    "lone quote as a grant": clause('grant "'),
    "compatible without with": clause("when licence compatible deliverable"),
    "compatible with an identifier": clause("when licence compatible-with x"),
    "standalone cut short": AGREEMENT.format(body='clause c "C" stand { }'),
    "unknown party attribute": 'party a "A" sort city',
    "precedence without over": "precedence a under b",
    "a stray semicolon": 'party a "A";',
    "a statement of another block": clause("scope x"),
    "two refs on a requirement": 'tender t "T" { requirement r "R" ref "a" ref "b" { } }',
}


@pytest.mark.parametrize("name", sorted(GIVES_UP))
def test_gives_up_by_hand(name: str) -> None:
    assert not agrees(GIVES_UP[name])


# Near misses: each token of these texts replaced, in turn, by each of these.
SWEPT = ["every clause statement", "every agreement statement", "declaration", "tender", "party attributes"]
SWEPT += ["membership", "licence compatible with", "licence as a path", "negations", "precedence"]
REPLACEMENTS = [*vocab.KEYWORDS, "{", "}", "(", ")", ",", ".", "==", "<", "=", '"', '"s"', "_", "A", "AB", "FR"]
REPLACEMENTS += ["1", "-2.5", "2024-01-01", "2024-01-1", "x", ""]


@pytest.mark.parametrize("name", SWEPT)
def test_single_token_near_misses(name: str) -> None:
    text = VALID[name]
    spans = [m.span(2) for m in re.finditer(_descent._SCAN.__self__.pattern, text) if m.group(2)]
    for start, end in spans:
        token = text[start:end]
        for other in [*REPLACEMENTS, token + "x", token[:-1], token.upper()]:
            agrees(text[:start] + other + text[end:])


@pytest.mark.parametrize(
    ("opening", "errors"), [("(", []), ("(a and ", ["E105"]), ("not (", ["E105"])], ids=["parens", "and", "not"]
)
def test_deep_nesting_gives_up_without_raising(
    opening: str, errors: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    deep = clause("when " + opening * 1000 + "a" + ")" * 1000)
    assert _descent.parse(deep, _Builder("t.coop", split_lines(deep))) is None
    module, diagnostics = parse_text(deep, "t.coop")
    assert [d.code for d in diagnostics] == errors
    monkeypatch.setattr(_descent, "parse", lambda text, builder: None)
    assert parse_text(deep, "t.coop")[1] == diagnostics


def test_nesting_below_the_limit_is_parsed() -> None:
    limit = _descent._MAX_NESTING
    assert agrees(clause("when " + "(" * limit + "a" + ")" * limit))
    assert not agrees(clause("when " + "(" * (limit + 1) + "a" + ")" * (limit + 1)))
    assert agrees(clause("when " + "(" * 140 + "a" + ")" * 140))
    assert agrees(clause("when " + "(a and " * 140 + "a" + ")" * 140))  # too deep: the builder records E105


def test_a_deep_caller_stack_does_not_raise() -> None:
    text = clause("when " + "(" * 140 + "a" + ")" * 140)

    def nested(depth: int) -> object:
        if depth:
            return nested(depth - 1)
        return _descent.parse(text, _Builder("t.coop", split_lines(text)))

    depth = 0
    frame = sys._getframe()
    while frame.f_back is not None:
        frame, depth = frame.f_back, depth + 1
    room = 100  # frames left for the descent: too few for 140 levels, so it gives up
    assert nested(sys.getrecursionlimit() - depth - room) is None


def test_a_builder_it_does_not_know_is_left_to_lark() -> None:
    class Inlined(_Builder):
        def _item(self, children: list[Any]) -> Any:  # lark would call it
            return children

    text = VALID["precedence"]
    assert _descent.parse(text, Inlined("t.coop", split_lines(text))) is None
    assert _descent.parse(text, object()) is None
