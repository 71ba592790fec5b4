"""A recursive-descent parser for well-formed text: the fast path of ``parse_items``.

It calls the same :class:`~coopengine.language._lark._Builder` methods, in the same
order and with the same children (lark ``Token`` objects with the same positions), as
:class:`~coopengine.language._lexer.FastParser`, which follows lark's LALR table, and
returns the same value. Anything it is not sure of (a syntax error, a token it does not
expect, conditions nested very deeply) makes it give up and return None: the caller then
parses the text again, from scratch, the old way, which also reports the error.

Why it can tokenise up front, without the parser's state. lark's contextual lexer only
tries the terminals the current LALR state accepts; the text is cut here once with all of
them, and the token kinds below reproduce lark's wherever this parser goes on:

* a word is a keyword only where the state accepts that keyword. The only states that
  accept both ``IDENT`` and keywords are the start of an atom (``not``, ``licence``,
  ``true``, ``false``) and a value (``true``, ``false``): there those words are keywords
  and any other word is an ``IDENT``; where only ``IDENT`` fits, every word is one
  (``tests/language/test_descent.py`` checks this against lark's parse table);
* where no ``IDENT`` fits, lark matches a keyword as a prefix (``whenx`` lexes as
  ``when`` ``x``). Words are cut whole here, so such a word matches no keyword and this
  parser gives up: it only goes on where a word *equals* an accepted keyword, and there
  lark's lexer finds that very keyword, since a longer one would make the word longer;
* every other terminal starts with a character no other terminal starts with, except
  ``DATE`` and ``NUMBER``, which are tried in lark's order (``DATE`` has priority 2).
"""

from __future__ import annotations

import re
from itertools import accumulate, chain, repeat
from operator import add
from typing import Any

from lark import Token

# The grammar's terminals, as lark compiles them (the tests compare them with lark's).
TERMINALS = {
    "WHITESPACE": "[ \t\f\r\n\ufeff]+",
    "COMMENT": "#[^\r\n]*",
    "STRING": r'"(?:[^"\\' + "\r\n" + r']|\\["\\])*"',
    "DATE": "[0-9]{4}-[0-9]{2}-[0-9]{2}",
    "NUMBER": r"-?[0-9]+(?:\.[0-9]+)?",
    "IDENT": "[a-z][a-z0-9]*(?:-[a-z0-9]+)*",
    "JURISDICTION_CODE": "[A-Z]{2}(?:-[A-Z0-9]{1,3})?",
    "COMPARE": "(?:==|!=|<=|>=|<|>)",
}

# One match per token: the layout and comments before it, then the token. The last two
# alternatives make every position match, so findall never skips a character: a single
# character no terminal starts with (the parser gives up on it) and, once, the empty
# string at the end, the end-of-file marker.
_SCAN = re.compile(
    "((?:{WHITESPACE}|{COMMENT})*+)({STRING}|{DATE}|{NUMBER}|{IDENT}|{JURISDICTION_CODE}|{COMPARE}|[{{}}(),.]"
    "|[^ \t\f\r\n\ufeff]|\\Z)".format(**TERMINALS)
).findall

_COMPARE = frozenset(("==", "!=", "<=", ">=", "<", ">"))
_EFFECTS = {"permit": "PERMIT", "require-mou": "REQUIRE_MOU", "deny": "DENY"}
_MAX_NESTING = 150  # parentheses; deeper text goes the old way, which reports E105

# lark calls a builder method for an inlined `_rule` if the builder has one; this parser
# splices them, so it leaves any builder with such a method to the old way.
INLINE_RULES = (
    "_item",
    "_party_attr",
    "_agreement_stmt",
    "_id_list",
    "_clause_opt",
    "_clause_stmt",
    "_tender_stmt",
    "_requirement_stmt",
)
# The builder methods this parser calls; it gives up on a builder without all of them.
CALLBACKS = (
    "start",
    "party",
    "party_kind",
    "party_jurisdiction",
    "agreement",
    "declaration",
    "name",
    "parties",
    "adherents",
    "effective",
    "refines",
    "scope",
    "default",
    "text",
    "effect",
    "clause",
    "guardrail",
    "ref",
    "exception",
    "standalone",
    "when",
    "then",
    "oblige",
    "obligation",
    "waive",
    "grant",
    "precedence",
    "tender",
    "buyer",
    "deliverable",
    "requirement",
    "every_satisfies",
    "no_satisfies",
    "every_has",
    "offered_satisfies",
    "or_cond",
    "and_cond",
    "atom",
    "negation",
    "comparison",
    "membership",
    "path_test",
    "compatible",
    "boolean",
    "path",
    "value",
)

_new_str = str.__new__


class _GiveUp(Exception):
    """The text is not something this parser is sure to parse as lark would."""


def _is_string(v: str) -> bool:
    return v[:1] == '"' and len(v) > 1  # a lone `"` opens a string that never closes


def _is_date(v: str) -> bool:
    # Only a DATE starts with a digit and has a `-` further on (a NUMBER's is its first).
    return len(v) == 10 and v[4] == "-" and "0" <= v[0] <= "9"


def parse(text: str, builder: object) -> Any:
    """What ``FastParser.parse(text, builder)`` returns, or None (see the module doc)."""
    for name in INLINE_RULES:
        if hasattr(builder, name):
            return None
    for name in CALLBACKS:
        if getattr(builder, name, None) is None:
            return None
    try:
        return _Descent(text, builder).items()
    except _GiveUp:
        return None
    except RecursionError:  # the caller's stack was already deep; the old way is iterative
        return None


class _Descent:
    """One parse: the tokens, where they are, and one method per grammar construct.

    A method starts at ``self.i``, the index of the construct's first token, and leaves
    it after its last one. Methods check what they consume and raise :class:`_GiveUp`
    on anything unexpected.
    """

    __slots__ = (
        "toks",
        "starts",
        "lines",
        "line_starts",
        "i",
        "nesting",
        "b",
    )

    def __init__(self, text: str, builder: Any) -> None:
        found = _SCAN(text)
        skips, toks = zip(*found, strict=True)
        self.toks: tuple[str, ...] = toks
        # starts[k]: where token k starts (the running length of layout, token, layout...);
        # lines[k]: its line, from the newlines in the layout so far (no token spans lines).
        self.starts = list(accumulate(map(len, chain.from_iterable(found))))[::2]
        self.lines = list(accumulate(map(str.count, skips, repeat("\n")), initial=1))
        del self.lines[0]
        # line_starts[n]: the offset of line n's first character less one, so that a
        # token's (1-based) column is its offset less line_starts[its line].
        self.line_starts = list(chain((0,), accumulate(map(add, map(len, text.split("\n")), repeat(1)), initial=-1)))
        self.i = 0
        self.nesting = 0
        self.b = builder

    # -- tokens
    def shift(self, type_: str) -> Token:
        """The next token, typed ``type_``, as lark's lexer makes it (and as cheaply as
        FastParser does); the parser moves past it."""
        k = self.i
        self.i = k + 1
        value = self.toks[k]
        start = self.starts[k]
        line = self.lines[k]
        size = len(value)
        tok: Token = _new_str(Token, value)
        tok.type = type_
        tok.value = value
        tok.start_pos = start
        tok.line = tok.end_line = line
        tok.column = column = start - self.line_starts[line]
        tok.end_column = column + size
        tok.end_pos = start + size
        return tok

    def expect(self, word: str, type_: str) -> Token:
        """The next token, which must be the keyword or punctuation ``word``."""
        if self.toks[self.i] != word:
            raise _GiveUp
        return self.shift(type_)

    def skip(self, word: str) -> None:
        """Past the next token, a keyword or punctuation that no rule keeps."""
        if self.toks[self.i] != word:
            raise _GiveUp
        self.i += 1

    def ident(self) -> Token:
        """An IDENT where no keyword fits: any word."""
        if not "a" <= self.toks[self.i][:1] <= "z":
            raise _GiveUp
        return self.shift("IDENT")

    def string(self) -> Token:
        if not _is_string(self.toks[self.i]):
            raise _GiveUp
        return self.shift("STRING")

    def date(self) -> Token:
        if not _is_date(self.toks[self.i]):
            raise _GiveUp
        return self.shift("DATE")

    def name(self) -> Any:
        return self.b.name([self.ident()])

    def names(self, first: list[Any]) -> list[Any]:
        """``first`` followed by ``name (, name)*``."""
        first.append(self.name())
        while self.toks[self.i] == ",":
            self.i += 1
            first.append(self.name())
        return first

    def effect(self) -> Any:
        type_ = _EFFECTS.get(self.toks[self.i])
        if type_ is None:
            raise _GiveUp
        return self.b.effect([self.shift(type_)])

    # -- top level
    def items(self) -> Any:
        items: list[Any] = []
        toks = self.toks
        while True:
            word = toks[self.i]
            if word == "agreement":
                items.append(self.b.agreement(self.agreement("AGREEMENT")))
            elif word == "party":
                items.append(self.party())
            elif word == "declaration":
                items.append(self.b.declaration(self.agreement("DECLARATION")))
            elif word == "precedence":
                items.append(self.precedence())
            elif word == "tender":
                items.append(self.tender())
            elif word == "":  # the end of the text: the only empty token
                return self.b.start(items)
            else:
                raise _GiveUp

    def party(self) -> Any:
        ch = [self.shift("PARTY"), self.ident(), self.string()]
        toks = self.toks
        while True:
            word = toks[self.i]
            if word == "kind":
                ch.append(self.b.party_kind([self.shift("KIND"), self.ident()]))
            elif word == "jurisdiction":
                keyword = self.shift("JURISDICTION")
                code = toks[self.i]
                if not "A" <= code[:1] <= "Z" or len(code) < 2:  # a lone capital is no code
                    raise _GiveUp
                ch.append(self.b.party_jurisdiction([keyword, self.shift("JURISDICTION_CODE")]))
            else:
                return self.b.party(ch)

    def agreement(self, type_: str) -> list[Any]:
        """The children of an agreement or a declaration (`!` rules: braces kept)."""
        ch = [self.shift(type_), self.ident(), self.string(), self.expect("{", "_LBRACE")]
        toks = self.toks
        b = self.b
        while True:
            word = toks[self.i]
            if word == "clause":
                ch.append(b.clause(self.clause("CLAUSE")))
            elif word == "guardrail":
                ch.append(b.guardrail(self.clause("GUARDRAIL")))
            elif word == "parties":
                ch.append(b.parties(self.names([self.shift("PARTIES")])))
            elif word == "adherents":
                ch.append(b.adherents(self.names([self.shift("ADHERENTS")])))
            elif word == "effective":
                ch.append(self.effective())
            elif word == "refines":
                ch.append(b.refines([self.shift("REFINES"), self.name()]))
            elif word == "scope":
                ch.append(b.scope([self.shift("SCOPE"), self.condition()]))
            elif word == "default":
                ch.append(b.default([self.shift("DEFAULT"), self.effect()]))
            elif word == "text":
                ch.append(b.text([self.shift("TEXT"), self.string()]))
            else:
                ch.append(self.expect("}", "_RBRACE"))
                return ch

    def effective(self) -> Any:
        ch = [self.shift("EFFECTIVE"), self.date()]
        if self.toks[self.i] == "until":
            self.i += 1
            ch.append(self.date())
        return self.b.effective(ch)

    def clause(self, type_: str) -> list[Any]:
        """The children of a clause or a guardrail (`!` rules: braces kept)."""
        ch = [self.shift(type_), self.ident(), self.string()]
        toks = self.toks
        b = self.b
        while True:  # options, before the brace
            word = toks[self.i]
            if word == "ref":
                ch.append(b.ref([self.shift("REF"), self.string()]))
            elif word == "exception":
                exception = [self.shift("EXCEPTION")]
                self.skip("to")
                exception.append(self.name())
                if toks[self.i] == ".":
                    self.i += 1
                    exception.append(self.name())
                ch.append(b.exception(exception))
            elif word == "standalone":
                ch.append(b.standalone([self.shift("STANDALONE")]))
            else:
                break
        ch.append(self.expect("{", "_LBRACE"))
        while True:
            word = toks[self.i]
            if word == "when":
                ch.append(b.when([self.shift("WHEN"), self.condition()]))
            elif word == "then":
                ch.append(b.then([self.shift("THEN"), self.effect()]))
            elif word == "oblige":
                ch.append(self.oblige())
            elif word == "waive":
                ch.append(b.waive(self.names([self.shift("WAIVE")])))
            elif word == "grant":
                ch.append(b.grant([self.shift("GRANT"), self.string()]))
            elif word == "effective":
                ch.append(self.effective())
            else:
                ch.append(self.expect("}", "_RBRACE"))
                return ch

    def oblige(self) -> Any:
        ch = [self.shift("OBLIGE")]
        toks = self.toks
        while True:
            obligation = [self.ident()]
            if _is_string(toks[self.i]):
                obligation.append(self.shift("STRING"))
            ch.append(self.b.obligation(obligation))
            if toks[self.i] != ",":
                return self.b.oblige(ch)
            self.i += 1

    def precedence(self) -> Any:
        ch = [self.shift("PRECEDENCE"), self.name()]
        self.skip("over")
        ch.append(self.name())
        return self.b.precedence(ch)

    # -- tenders
    def tender(self) -> Any:
        ch = [self.shift("TENDER"), self.ident(), self.string(), self.expect("{", "_LBRACE")]
        toks = self.toks
        while True:
            word = toks[self.i]
            if word == "requirement":
                ch.append(self.requirement())
            elif word == "buyer":
                ch.append(self.b.buyer([self.shift("BUYER"), self.name()]))
            elif word == "deliverable":
                ch.append(self.b.deliverable([self.shift("DELIVERABLE"), self.string()]))
            else:
                ch.append(self.expect("}", "_RBRACE"))
                return self.b.tender(ch)

    def requirement(self) -> Any:
        toks = self.toks
        ch = [self.shift("REQUIREMENT"), self.ident(), self.string()]
        if toks[self.i] == "ref":
            ch.append(self.b.ref([self.shift("REF"), self.string()]))
        ch.append(self.expect("{", "_LBRACE"))
        while True:
            word = toks[self.i]
            if word == "every":
                every = self.shift("EVERY")
                self.skip("component")
                if toks[self.i] == "has":
                    self.i += 1
                    ch.append(self.b.every_has(self.names([every])))
                else:
                    self.skip("satisfies")
                    ch.append(self.b.every_satisfies([every, self.condition()]))
            elif word == "no":
                no = self.shift("NO")
                self.skip("component")
                self.skip("satisfies")
                ch.append(self.b.no_satisfies([no, self.condition()]))
            elif word == "offered":
                offered = self.shift("OFFERED")
                self.skip("satisfies")
                ch.append(self.b.offered_satisfies([offered, self.condition()]))
            else:
                ch.append(self.expect("}", "_RBRACE"))
                return self.b.requirement(ch)

    # -- conditions
    def condition(self) -> Any:
        """``or_cond``, ``and_cond`` and ``not_cond`` as loops: a `?` rule of one child
        vanishes, so a junction is built only of two or more operands."""
        toks = self.toks
        ors: list[Any] = []
        while True:
            ands: list[Any] = []
            while True:
                if toks[self.i] == "not":
                    nots = [self.shift("NOT")]
                    while toks[self.i] == "not":
                        nots.append(self.shift("NOT"))
                    nots.append(self.atom())
                    ands.append(self.b.negation(nots))
                else:
                    ands.append(self.atom())
                if toks[self.i] != "and":
                    break
                self.i += 1
            ors.append(ands[0] if len(ands) == 1 else self.b.and_cond(ands))
            if toks[self.i] != "or":
                break
            self.i += 1
        return ors[0] if len(ors) == 1 else self.b.or_cond(ors)

    def atom(self) -> Any:
        toks = self.toks
        i = self.i
        word = toks[i]
        if word == "(":
            if self.nesting >= _MAX_NESTING:
                raise _GiveUp
            self.nesting += 1
            open_ = self.shift("_LPAR")
            cond = self.condition()
            close = self.expect(")", "_RPAR")
            self.nesting -= 1
            return self.b.atom([open_, cond, close])
        if word == "true" or word == "false":
            return self.b.boolean([self.shift(word.upper())])
        if word == "licence":
            if toks[i + 1] == "compatible-with":
                target = toks[i + 2]
                if _is_string(target):
                    type_ = "STRING"
                elif target == "deliverable":
                    type_ = "DELIVERABLE"
                else:
                    raise _GiveUp
                licence = self.shift("LICENCE")
                self.i += 1
                return self.b.compatible([licence, self.shift(type_)])
            path = self.path("LICENCE")
        elif "a" <= word[:1] <= "z":  # any other word: `not` was taken by the caller
            path = self.path("IDENT")
        else:
            raise _GiveUp
        word = toks[self.i]
        if word in _COMPARE:
            compare = self.shift("COMPARE")
            return self.b.comparison([path, compare, self.value()])
        if word == "in":
            ch = [path, self.shift("_IN"), self.expect("{", "_LBRACE"), self.value()]
            while toks[self.i] == ",":
                ch.append(self.shift("_COMMA"))
                ch.append(self.value())
            ch.append(self.expect("}", "_RBRACE"))
            return self.b.membership(ch)
        return self.b.path_test([path])

    def path(self, first: str) -> Any:
        toks = self.toks
        ch = [self.shift(first)]
        while toks[self.i] == ".":
            self.i += 1
            ch.append(self.ident())
        return self.b.path(ch)

    def value(self) -> Any:
        word = self.toks[self.i]
        first = word[:1]
        if "a" <= first <= "z":
            type_ = "TRUE" if word == "true" else "FALSE" if word == "false" else "IDENT"
        elif first == '"':
            if len(word) < 2:
                raise _GiveUp
            type_ = "STRING"
        elif "0" <= first <= "9":
            type_ = "DATE" if _is_date(word) else "NUMBER"
        elif first == "-" and len(word) > 1:
            type_ = "NUMBER"
        else:
            raise _GiveUp
        return self.b.value([self.shift(type_)])
