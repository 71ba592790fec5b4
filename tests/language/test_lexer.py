"""The fast contextual lexer gives exactly what lark's own contextual lexer gives.

Both parsers are built from the same grammar, so they accept the same token sequences
(their LALR states may be numbered differently); each input is fed token by token and
the token streams, and the error at the end if any, compared.
The reference also checks the grammar's terminals for collisions (strict mode), which
the fast lexer does not do.
"""

from __future__ import annotations

import functools
import random
import re
from pathlib import Path
from typing import Any

import pytest
from lark import Lark, UnexpectedInput

from coopengine.language._lark import _OPTIONS, grammar_text, parser

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted({*ROOT.glob("examples/**/*.coop"), *(ROOT / "tests" / "language").glob("**/*.coop")})
NOISE = ["(", ")", "{", "}", '"', "'", "&&", "=", "!", "not ", "X_Y", "2024-13-45", "-3.5", "#c\n", "\t"]
NOISE += ["\r\n", "thenx", "inx", "nota", "FR", "deny", "text", "1", "..", "require-mou", "é"]


@functools.cache
def reference() -> Lark:
    options = {**_OPTIONS, "lexer": "contextual"}
    return Lark(grammar_text(), **options)


def stream(lark: Lark, text: str) -> list[Any]:
    interactive = lark.parse_interactive(text)
    interactive.parser_state.parse_conf.callbacks = {}  # no tree: only the tokens matter
    out: list[Any] = []
    try:
        for tok in interactive.iter_parse():
            out.append(
                (tok.type, str(tok), tok.start_pos, tok.line, tok.column, tok.end_line, tok.end_column, tok.end_pos)
            )
        interactive.feed_eof(interactive.lexer_thread.state.last_token)
    except UnexpectedInput as err:
        token = getattr(err, "token", None)
        out.append(
            (
                type(err).__name__,
                err.line,
                err.column,
                getattr(err, "char", None),
                token and (token.type, str(token), token.line, token.column, token.end_column),
                sorted(getattr(err, "allowed", None) or getattr(err, "expected", None) or ()),
            )
        )
    return out


def mutations(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in FILES if p.stat().st_size < 20_000]
    out = []
    for _ in range(count):
        parts = re.findall(r'"[^"\n]*"|\s+|[A-Za-z0-9_.-]+|.', rng.choice(texts))
        for _ in range(rng.randint(1, 3)):
            k = rng.randrange(len(parts))
            op = rng.random()
            if op < 0.3:
                del parts[k]
            elif op < 0.6:
                parts.insert(k, rng.choice(parts))
            elif op < 0.85:
                parts.insert(k, rng.choice(NOISE))
            else:
                parts[k] = parts[k].upper()
        out.append("".join(parts))
    return out


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_files_lex_the_same(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert stream(parser(), text) == stream(reference(), text)


@pytest.mark.parametrize("seed", range(4))
def test_broken_files_lex_the_same(seed: int) -> None:
    for text in mutations(150, seed):
        assert stream(parser(), text) == stream(reference(), text), text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  # only a comment",
        "party a",
        'party a "A" kind City',
        "agreement x \"X\" { parties a, b effective 2024-01-01 clause c 'C' { } }",
        'agreement x "X" { clause c "C" { thenx permit } }',
        'agreement x "X" { clause c "C" { when use inx {a} } }',
        'agreement x "X" { clause c "C" { when a.b == 2024-01-01x } }',
        'agreement x "X" { clause c "C" { when a == -1.5 and b != deny or not text } }',
        "party a \"A\" jurisdiction US-MDX",
        'party a "unterminated',
        "\ufeffparty a \"A\"\r\n",
    ],
)
def test_edge_cases_lex_the_same(text: str) -> None:
    assert stream(parser(), text) == stream(reference(), text)


def _both_ways(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    from coopengine.language import _descent, _lark
    from coopengine.language.parser import parse_text

    # FastParser against lark's own loop: the descent parser (tried first) is left out of
    # both; tests/language/test_descent.py compares it with these.
    with monkeypatch.context() as patch:
        patch.setattr(_descent, "parse", lambda text, builder: None)
        fast = parse_text(text, "t.coop")
        patch.setattr(_lark, "_fast_parser", lambda: None)
        slow = parse_text(text, "t.coop")
    return fast, slow


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_fast_parser_builds_what_lark_builds(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _both_ways(path.read_text(encoding="utf-8"), monkeypatch)
    assert fast == slow


@pytest.mark.parametrize("seed", range(2))
def test_fast_parser_on_broken_files(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    for text in mutations(100, seed):
        fast, slow = _both_ways(text, monkeypatch)
        assert fast == slow, text


def _dump(x: object) -> object:
    """A model with its spans (which ``==`` ignores): every field of every node."""
    import dataclasses

    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return (type(x).__name__, *((f.name, _dump(getattr(x, f.name))) for f in dataclasses.fields(x)))
    if isinstance(x, tuple | list):
        return (type(x).__name__, *(_dump(i) for i in x))
    return (type(x).__name__, repr(x))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_fast_parser_builds_the_same_spans(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (fast, fast_diags), (slow, slow_diags) = _both_ways(path.read_text(encoding="utf-8"), monkeypatch)  # type: ignore[misc]
    assert _dump(fast) == _dump(slow)
    assert [d.render() for d in fast_diags] == [d.render() for d in slow_diags]


def test_fast_constructors_build_what_the_dataclasses_build() -> None:
    import dataclasses

    from coopengine.language import _lark
    from coopengine.language import model as m

    span = m.Span("f", 1, 2, 3, 4)
    assert _lark._span("f", 1, 2, 3, 4).__dict__ == span.__dict__
    value = m.Value("x", True, span)
    for cls, args in [
        (m.Value, ("x",)),
        (m.Value, ("x", True, span)),
        (m.Ref, ("a", span)),
        (m.Compare, ("a.b", "==", value, span, span)),
        (m.Clause, (m.ClauseKind.CLAUSE, "c", "C")),
        (m.Agreement, ("a", "A", False, (), None)),
        (m.Party, ("p", "P", None, None, span)),
    ]:
        fast = _lark._fast_init(cls)(*args)  # type: ignore[type-var]
        slow = cls(*args)  # type: ignore[operator]
        assert type(fast) is cls
        assert fast.__dict__ == slow.__dict__ and list(fast.__dict__) == [f.name for f in dataclasses.fields(cls)]
        assert fast == slow and repr(fast) == repr(slow) and hash(fast) == hash(slow)
