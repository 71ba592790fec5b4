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


def test_grammar_builds_strict() -> None:
    from coopengine.language._lark import parser

    assert parser().options.strict


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


# ---- the compiled grammar cache -------------------------------------------------


def test_grammar_cache_is_written_then_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from coopengine.language import _lark

    directory = tmp_path / "cache"
    built = _lark.load_or_build(directory)
    (cached,) = directory.glob("grammar-*.lark")
    assert directory.stat().st_mode & 0o077 == 0
    assert cached.stat().st_mode & 0o022 == 0

    class NoBuild(_lark.Lark):
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise AssertionError("built instead of loaded from the cache")

    monkeypatch.setattr(_lark, "Lark", NoBuild)
    loaded = _lark.load_or_build(directory)
    assert loaded.options.strict
    assert [t.name for t in loaded.terminals] == [t.name for t in built.terminals]
    assert loaded.parse_interactive("party a \"A\"").accepts() == built.parse_interactive("party a \"A\"").accepts()


def test_grammar_cache_ignores_bad_or_foreign_files(tmp_path: Path) -> None:
    import os

    from coopengine.language import _lark

    directory = tmp_path / "cache"
    _lark.load_or_build(directory)
    (cached,) = directory.glob("grammar-*.lark")
    cached.write_bytes(b"not a pickle")
    assert _lark.load_or_build(directory).options.strict  # rebuilt, and the file repaired
    assert _lark._load_cached(cached) is not None
    if hasattr(os, "getuid"):
        cached.chmod(0o666)  # writable by others: never unpickled
        assert _lark._load_cached(cached) is None


def test_grammar_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from coopengine.language import _lark

    monkeypatch.setenv("COOPENGINE_CACHE_DIR", "")
    assert _lark.cache_dir() is None
    monkeypatch.setenv("COOPENGINE_CACHE_DIR", str(tmp_path))
    assert _lark.cache_dir() == tmp_path
    monkeypatch.delenv("COOPENGINE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert _lark.cache_dir() == tmp_path / "xdg" / "coopengine"
