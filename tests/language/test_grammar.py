"""The grammar: strict LALR build, named terminals, the spec's example."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import pytest

from coopengine.language import check_text, parse_text, vocab

SPEC = Path(__file__).resolve().parents[3] / "shared" / "spec" / "language.md"
GRAMMAR = (files("coopengine") / "grammars" / "coop.lark").read_text(encoding="utf-8")


def spec_examples() -> list[str]:
    if not SPEC.exists():
        pytest.skip("shared spec not available")
    return re.findall(r"```text\n(.*?)```", SPEC.read_text(encoding="utf-8"), re.S)


def test_grammar_builds_strict_to_the_same_tables() -> None:
    """No shift/reduce conflict and no two terminals matching the same text (lark's strict
    mode); the parser used at run time, built without that check, has the same tables."""
    from coopengine.language import _lark

    strict = _lark.Lark(_lark.grammar_text(), **_lark._OPTIONS, strict=True)
    assert strict.options.strict
    table, used = strict.parser.parser.parser.parse_table, _lark.parser().parser.parser.parser.parse_table
    assert len(table.states) == len(used.states)
    assert sorted(map(sorted, map(dict.keys, table.states.values()))) == sorted(
        map(sorted, map(dict.keys, used.states.values())))


def test_every_terminal_is_named_in_plain_words() -> None:
    from coopengine.language._lark import parser

    for term in parser().terminals:
        assert not term.name.startswith("__ANON"), term.name
        words = vocab.terminal_words(term.name)
        assert words and "_" not in words.strip("`"), term.name


def test_keywords_in_vocab_match_grammar() -> None:
    literals = set(re.findall(r'^_?[A-Z_]+: "([a-z-]+)"$', GRAMMAR, re.M))
    assert literals == set(vocab.KEYWORDS)


def test_spec_examples_parse_and_check_clean() -> None:
    examples = spec_examples()
    assert examples
    for text in examples:
        module, diagnostics = parse_text(text, "spec.coop")
        assert module is not None, [d.render() for d in diagnostics]
        result = check_text(text, "spec.coop")
        assert not result.errors, [d.render() for d in result.errors]


def test_spec_example_model() -> None:
    module, _ = parse_text(spec_examples()[0], "spec.coop")
    assert module is not None
    from coopengine.language.model import Agreement, Compare, In, PathTest

    pb = next(i for i in module.items if isinstance(i, Agreement) and i.id == "paris-baltimore")
    assert [c.id for c in pb.clauses] == ["art2", "art3", "art3-1", "art6", "art8", "art7"]
    assert isinstance(pb.scope, In) and pb.scope.path == "solution.owner"
    art3 = pb.clause("art3")
    assert art3 is not None and art3.exception_to is not None and art3.exception_to.clause == "art2"
    art2 = pb.clause("art2")
    assert art2 is not None and isinstance(art2.when, PathTest)
    art7 = pb.clause("art7")
    assert art7 is not None and isinstance(art7.when, Compare) and art7.when.value.value == "restricted"


def test_crlf_bom_and_tabs() -> None:
    text = '\ufeffparty a "A"\r\nparty b\t"B"\r\nagreement x "X" {\r\n\tparties a, b\r\n\teffective 2024-01-01\r\n}\r\n'  # noqa: E501
    module, diagnostics = parse_text(text, "crlf.coop")
    assert module is not None and not diagnostics
    bad = text.replace("parties a, b", "parties a b")
    _, diagnostics = parse_text(bad, "crlf.coop")
    assert diagnostics[0].line == 4


def test_keywords_are_identifiers_where_no_keyword_fits() -> None:
    text = (
        'party a "A"\nparty b "B"\nagreement x "X" {\n parties a, b\n effective 2024-01-01\n'
        ' clause c "C" ref "c" { when solution.text == deny and solution.kind then permit }\n}\n'
    )
    module, diagnostics = parse_text(text, "kw.coop")
    assert module is not None, [d.render() for d in diagnostics]


# ---- the compiled grammar -------------------------------------------------------


SAMPLE = 'party a "A"\nparty b "B"\nagreement x "X" {\n parties a, b\n effective 2024-01-01\n}\n'


def test_compiled_grammar_round_trips_through_json() -> None:
    import json

    from coopengine.language import _lark

    built = _lark.Lark(_lark.grammar_text(), **_lark._OPTIONS)
    loaded = _lark._decode(json.loads(json.dumps(_lark._encode(built))))
    assert loaded.options.parser == "lalr"
    assert [t.name for t in loaded.terminals] == [t.name for t in built.terminals]
    assert loaded.parse_interactive("party a").accepts() == built.parse_interactive("party a").accepts()
    assert loaded.parse(SAMPLE) == built.parse(SAMPLE)


def test_a_damaged_compiled_grammar_is_refused() -> None:
    from coopengine import _cache
    from coopengine.language import _lark

    for damaged in ({"data": {}, "memo": {}}, {"data": "x"}, None):
        with pytest.raises((_cache.BadEntry, TypeError, KeyError)):
            _lark._decode(damaged)


def test_the_parser_is_cached_then_loaded_not_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from coopengine import _cache
    from coopengine.language import _lark

    monkeypatch.setattr(_cache, "compiled_dir", lambda: tmp_path / "no-wheel")
    monkeypatch.setenv("COOPENGINE_CACHE_DIR", str(tmp_path / "cache"))
    built = _lark.parser.__wrapped__()
    (entry,) = (tmp_path / "cache").glob("grammar-*.json")

    class NoBuild(_lark.Lark):
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise AssertionError("built instead of loaded from the cache")

    monkeypatch.setattr(_lark, "Lark", NoBuild)
    loaded = _lark.parser.__wrapped__()
    assert loaded.parse(SAMPLE) == built.parse(SAMPLE)
    entry.write_bytes(b"not json")
    monkeypatch.undo()
    monkeypatch.setattr(_cache, "compiled_dir", lambda: tmp_path / "no-wheel")
    monkeypatch.setenv("COOPENGINE_CACHE_DIR", str(tmp_path / "cache"))
    assert _lark.parser.__wrapped__().parse(SAMPLE) == built.parse(SAMPLE)  # a damaged entry is rebuilt
