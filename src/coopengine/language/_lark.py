"""The boundary to lark: the only module that imports it.

It builds the parser once per process (or loads its compiled tables), parses one
piece of text, and builds model nodes *while parsing*: lark calls :class:`_Builder` on
every reduction, so no parse tree is ever built. lark's exceptions become
:class:`SyntaxProblem`, which the rest of the package handles without knowing lark.

Positions come from tokens: a node spans from the first to the last token it covers
(the grammar keeps closing braces with ``!`` for that), which is what lark's
``propagate_positions`` computed when this module still built a tree.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import sys
from collections.abc import Callable, Sequence
from importlib.resources import files
from typing import Any

import lark
from lark import Lark, Token, Tree, UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.grammar import Rule
from lark.lexer import TerminalDef
from lark.parse_tree_builder import ParseTreeBuilder

from .. import _cache
from ..words import COMPONENT_SCOPES, DEFAULT_SCOPES
from . import model as m
from .diagnostics import Diagnostic, make
from .parser import SyntaxProblem

MAX_DEPTH = 100  # nesting of conditions; far beyond anything a lawyer writes
_TREE_LIMIT = MAX_DEPTH * 2  # depth of the (former) parse tree refused before building

_OPTIONS: dict[str, Any] = {
    "parser": "lalr",
    "lexer": "contextual",
    "propagate_positions": False,
    "maybe_placeholders": False,
}
# lark's strict mode (no shift/reduce conflict, no two terminals matching the same text) is
# checked by the tests (tests/language/test_grammar.py), where `interegular`, which it needs,
# is installed; a grammar that passes it gives the same tables without it.


# ---- building the parser, cached per user ----------------------------------------


def grammar_text() -> str:
    return (files("coopengine") / "grammars" / "coop.lark").read_text(encoding="utf-8")


def _version(grammar: str) -> str:
    options = ";".join(f"{k}={v}" for k, v in sorted(_OPTIONS.items()))
    return _cache.fingerprint([grammar, options, lark.__version__, sys.version.split()[0]])


@functools.cache
def parser() -> Lark:
    """The LALR parser, built once per process and shared; Lark objects are immutable.

    Building it takes about 150 ms, so its tables are kept in the user's cache
    (:func:`coopengine._cache.cached`, keyed by the grammar, the options and the lark and
    Python versions); loading them takes a few ms. They are not compiled into the wheel:
    lark numbers its parse states differently on every build, and the wheel is reproducible.
    """
    grammar = grammar_text()
    return _cache.cached("grammar", _version(grammar), lambda: Lark(grammar, **_OPTIONS), _encode, _decode)


def _encode(built: Lark) -> dict[str, Any]:
    data, memo = built.memo_serialize([TerminalDef, Rule])
    return {"data": data, "memo": memo}


def _decode(entry: Any) -> Lark:
    try:
        # JSON keys are strings; lark's tables are keyed by state and token numbers.
        loaded = Lark._load_from_dict(_int_keys(entry["data"]), _int_keys(entry["memo"]))  # type: ignore[no-untyped-call]
    except Exception as err:  # anything lark cannot read back is rebuilt
        raise _cache.BadEntry("not a compiled grammar") from err
    if not isinstance(loaded, Lark):
        raise _cache.BadEntry("not a compiled grammar")
    return loaded


def _int_keys(value: Any) -> Any:
    if isinstance(value, dict):
        numbered = bool(value) and all(isinstance(k, str) and k.isdigit() for k in value)
        return {int(k) if numbered else k: _int_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_int_keys(v) for v in value]
    return value


@functools.cache
def _tree_builder() -> ParseTreeBuilder:
    """lark's mapping from grammar rules to callbacks (child filtering, `?` and `_` rules)."""
    return ParseTreeBuilder(parser().rules, Tree)  # type: ignore[no-untyped-call]


# ---- parsing ---------------------------------------------------------------------


def parse_items(text: str, file: str, lines: Sequence[str]) -> tuple[tuple[m.Item, ...], list[Diagnostic]]:
    """Parse ``text`` (lines before a resync point blanked out) into model items.

    Raises :class:`SyntaxProblem` on the first syntax error; structural problems inside
    well-formed text (two ``then`` in a clause) come back as diagnostics.
    """
    builder = _Builder(file, lines)
    interactive = parser().parse_interactive(text)
    # The callbacks carry this parse's state (file name, diagnostics), so they are made
    # per parse and given to this parse only; the shared parser is never modified.
    interactive.parser_state.parse_conf.callbacks = _tree_builder().create_callback(  # type: ignore[no-untyped-call]
        builder
    )
    try:
        items = interactive.resume_parse()  # type: ignore[no-untyped-call]
    except UnexpectedToken as err:
        raise _token_problem(err) from None
    except UnexpectedCharacters as err:
        raise SyntaxProblem(
            "char", err.line, err.column, err.column + 1, err.char, "", frozenset(err.allowed or ())
        ) from None
    except UnexpectedInput as err:  # pragma: no cover - other lark input errors
        raise SyntaxProblem("token", getattr(err, "line", 1), getattr(err, "column", 1)) from None
    problem = (builder.tree_depth_problem() if text.count("(") > MAX_DEPTH else None) or builder.depth_problem
    if problem is not None:
        raise problem
    return tuple(items), builder.diagnostics


def _token_problem(err: UnexpectedToken) -> SyntaxProblem:
    tok: Token = err.token
    try:
        # What the parser really accepts here; err.expected is the LALR lookahead set, which
        # merges the follow sets of every context and lists tokens that could never fit.
        accepted: set[str] = set(err.interactive_parser.accepts())  # type: ignore[no-untyped-call]
        expected = frozenset(accepted)
    except Exception:  # pragma: no cover - accepts() replays the parser; never fatal
        expected = frozenset(err.expected or ())
    if tok.type == "$END":
        return SyntaxProblem("eof", 0, 0, token_type="$END", expected=expected)
    column = tok.column or 1
    end = tok.end_column if tok.end_line == tok.line and tok.end_column else column + len(tok.value)
    return SyntaxProblem("token", tok.line or 1, column, end, str(tok.value), tok.type, expected)


# ---- the model builder ------------------------------------------------------------

_ESCAPE = re.compile(r'\\(["\\])')


def _unquote(token: str) -> str:
    text = token[1:-1]
    return _ESCAPE.sub(r"\1", text) if "\\" in text else text


Statement = tuple[str, Any, m.Span]


def _by_tag(stmts: list[Any]) -> dict[str, list[Statement]]:
    """The statements among ``stmts`` (tuples), by tag, in order."""
    found: dict[str, list[Statement]] = {}
    for s in stmts:
        if type(s) is tuple:
            found.setdefault(s[0], []).append(s)
    return found


def _joined(stmts: list[Statement] | None) -> tuple[Any, ...]:
    """The items of statements that list several (``oblige a, b``), in order."""
    return tuple(item for s in stmts or () for item in s[1])


Box = tuple[int, int, int, int]  # line, column, end line, end column

# Depth, in lark's former parse tree, of the condition under each statement kind.
_ROOT_DEPTH = {"scope": 4, "when": 5, "every_satisfies": 5, "no_satisfies": 5, "offered_satisfies": 5}


class _Builder:
    """lark callbacks, one per rule: build model nodes bottom-up as the parser reduces.

    Each method gets the rule's children (tokens and the values built for sub-rules).
    Structural problems are recorded as diagnostics; conditions nested too deeply are
    recorded and raised after the parse, as a syntax problem, as the tree walk did.
    """

    def __init__(self, file: str, lines: Sequence[str]) -> None:
        self.file = file
        self.lines = {file: tuple(lines)}
        self.diagnostics: list[Diagnostic] = []
        self._depth: dict[int, int] = {}  # id(condition) -> nesting in the model
        self._outer: dict[int, Box] = {}  # id(condition) -> extent with parentheses / `not`
        self._operand: dict[int, m.Condition] = {}  # id(outermost Not of a chain) -> its atom
        self.depth_problem: SyntaxProblem | None = None
        self._roots: list[tuple[m.Condition, int]] = []  # each statement's condition, its tree depth

    # -- helpers
    # Tokens from the lexer always carry positions; typed Any because lark types them Optional.
    def _between(self, first: Any, last: Any) -> m.Span:
        return m.Span(self.file, first.line, first.column, last.end_line, last.end_column)

    def _tspan(self, tok: Token) -> m.Span:
        return self._between(tok, tok)

    def _to(self, first: Any, last: m.Span) -> m.Span:
        return m.Span(self.file, first.line, first.column, last.end_line, last.end_column)

    def _box(self, cond: m.Condition) -> Box:
        box = self._outer.get(id(cond))
        if box is not None:
            return box
        s = cond.span
        return (s.line, s.column, s.end_line, s.end_column)

    def _to_cond(self, first: Any, cond: m.Condition) -> m.Span:
        box = self._box(cond)
        return m.Span(self.file, first.line, first.column, box[2], box[3])

    def _error(self, code: str, message: str, span: m.Span, hint: str | None = None) -> None:
        self.diagnostics.append(make(code, message, span, lines=self.lines, hint=hint))

    def _date(self, tok: Token) -> dt.date:
        try:
            return dt.date.fromisoformat(tok)
        except ValueError:
            self._error(
                "E109", f"`{tok}` is not a valid date", self._tspan(tok), "write a real day as YYYY-MM-DD"
            )
            return dt.date(1970, 1, 1)

    def _number(self, tok: Token) -> int | float:
        try:
            return float(tok) if "." in tok else int(tok)
        except ValueError:  # more digits than Python converts (4,300)
            shown = tok if len(tok) <= 20 else tok[:17] + "..."
            self._error("E109", f"`{shown}` is not a usable number", self._tspan(tok), "write at most 4,300 digits")
            return 0

    def _first(self, by_tag: dict[str, list[Statement]], tag: str, what: str) -> Statement | None:
        """The first ``tag`` statement; E106 on each further one."""
        found = by_tag.get(tag)
        if found is None:
            return None
        for extra in found[1:]:
            self._error(
                "E106",
                f"`{tag}` given twice in this {what}",
                extra[2],
                f"first given at line {found[0][2].line}",
            )
        return found[0]

    # -- nesting limits
    def _cond(self, node: m.Condition, depth: int, span: m.Span) -> m.Condition:
        if depth > MAX_DEPTH and self.depth_problem is None:
            self.depth_problem = SyntaxProblem("depth", span.line, span.column, span.column + 1)
        self._depth[id(node)] = depth
        return node

    def _depth_of(self, node: m.Condition) -> int:
        return self._depth.get(id(node), 1)

    def _root(self, cond: m.Condition, kind: str) -> None:
        self._roots.append((cond, _ROOT_DEPTH[kind]))

    def _tree_children(self, cond: m.Condition) -> list[m.Condition | tuple[int, int]]:
        """The children lark's tree had under ``cond``: conditions, or positions of leaves."""
        children: list[m.Condition | tuple[int, int]] = []
        if isinstance(cond, m.Or | m.And):
            children.extend(cond.items)
        elif isinstance(cond, m.Not):
            children.append(self._operand[id(cond)])
        elif isinstance(cond, m.Compare):
            children.append((cond.path_span.line, cond.path_span.column))
            children.append((cond.value.span.line, cond.value.span.column))
        elif isinstance(cond, m.In):
            children.append((cond.path_span.line, cond.path_span.column))
            children.extend((v.span.line, v.span.column) for v in cond.values)
        elif isinstance(cond, m.PathTest):
            children.append((cond.span.line, cond.span.column))
        return children

    def tree_depth_problem(self) -> SyntaxProblem | None:
        """Where the walk over lark's former parse tree (``?`` rules inlined, a chain of
        ``not`` one node) first went past its depth limit, last child first, from the last
        condition that did: the place E105 has always been reported."""
        for cond, depth in reversed(self._roots):
            if depth + self._depth_of(cond) <= _TREE_LIMIT:
                continue  # that tree was at most one level taller than the model is deep
            stack: list[tuple[m.Condition | tuple[int, int], int]] = [(cond, depth)]
            while stack:
                node, level = stack.pop()
                if level > _TREE_LIMIT:
                    line, column = node if isinstance(node, tuple) else (node.span.line, node.span.column)
                    return SyntaxProblem("depth", line, column, column + 1)
                if not isinstance(node, tuple):
                    stack.extend((child, level + 1) for child in self._tree_children(node))
        return None

    # -- top level
    def start(self, ch: list[m.Item]) -> list[m.Item]:
        return ch

    def party(self, ch: list[Any]) -> m.Party:
        by_tag = _by_tag(ch[3:])
        kind = self._first(by_tag, "kind", "party")
        juris = self._first(by_tag, "jurisdiction", "party")
        span = self._to(ch[0], ch[-1][2]) if len(ch) > 3 else self._between(ch[0], ch[2])
        return m.Party(str(ch[1]), _unquote(ch[2]), kind[1] if kind else None, juris[1] if juris else None, span,
                       kind[2] if kind else None)

    def party_kind(self, ch: list[Token]) -> Statement:
        return ("kind", str(ch[1]), self._tspan(ch[1]))

    def party_jurisdiction(self, ch: list[Token]) -> Statement:
        return ("jurisdiction", str(ch[1]), self._tspan(ch[1]))

    def agreement(self, ch: list[Any]) -> m.Agreement:
        return self._agreement(ch, declaration=False)

    def declaration(self, ch: list[Any]) -> m.Agreement:
        return self._agreement(ch, declaration=True)

    def _agreement(self, ch: list[Any], *, declaration: bool) -> m.Agreement:
        # AGREEMENT IDENT STRING { statements and clauses }
        span = self._between(ch[0], ch[-1])
        what = "declaration" if declaration else "agreement"
        body = ch[4:-1]
        by_tag = _by_tag(body)
        clauses = tuple(c for c in body if type(c) is m.Clause)
        members_tag, wrong_tag = ("adherents", "parties") if declaration else ("parties", "adherents")
        for wrong in by_tag.get(wrong_tag, ()):
            self._error(
                "E108",
                f"`{wrong_tag}` is not used in a{'' if declaration else 'n'} {what}",
                wrong[2],
                f"write `{members_tag}` (an agreement has `parties`, a declaration `adherents`)",
            )
        first = self._first
        members = first(by_tag, members_tag, what)
        if members is None and wrong_tag not in by_tag:
            self._error(
                "E107",
                f"{what} `{ch[1]}` has no `{members_tag}`",
                self._tspan(ch[1]),
                f"add `{members_tag} A, B` listing who is bound",
            )
        effective = first(by_tag, "effective", what)
        if effective is None:
            self._error(
                "E107",
                f"{what} `{ch[1]}` has no `effective` date",
                self._tspan(ch[1]),
                "add `effective YYYY-MM-DD [until YYYY-MM-DD]`",
            )
        refines = first(by_tag, "refines", what)
        scope = first(by_tag, "scope", what)
        default = first(by_tag, "default", what)
        text = first(by_tag, "text", what)
        if members is None:
            wrong_stmts = by_tag.get(wrong_tag)
            members = wrong_stmts[0] if wrong_stmts else None
        return m.Agreement(
            id=str(ch[1]),
            title=_unquote(ch[2]),
            declaration=declaration,
            parties=tuple(members[1]) if members else (),
            effective=effective[1] if effective else None,
            refines=refines[1] if refines else None,
            scope=scope[1] if scope else None,
            default=default[1] if default else None,
            text=text[1] if text else None,
            clauses=clauses,
            span=span,
            default_span=default[2] if default else None,
            text_span=text[2] if text else None,
        )

    def name(self, ch: list[Token]) -> m.Ref:
        return m.Ref(str(ch[0]), self._tspan(ch[0]))

    def parties(self, ch: list[Any]) -> Statement:
        # `parties A, B` or `adherents A, B`: the keyword's token type is the tag
        return (ch[0].type.lower(), tuple(ch[1:]), self._to(ch[0], ch[-1].span))

    adherents = parties

    def effective(self, ch: list[Token]) -> Statement:
        start = self._date(ch[1])
        until = self._date(ch[2]) if len(ch) > 2 else None
        span = self._between(ch[0], ch[-1])
        return ("effective", m.Effective(start, until, span), span)

    def refines(self, ch: list[Any]) -> Statement:
        return ("refines", ch[1], self._to(ch[0], ch[1].span))

    def scope(self, ch: list[Any]) -> Statement:
        self._root(ch[1], "scope")
        return ("scope", ch[1], self._to_cond(ch[0], ch[1]))

    def default(self, ch: list[Token]) -> Statement:
        return ("default", m.Effect(ch[1]), self._between(ch[0], ch[1]))

    def text(self, ch: list[Token]) -> Statement:
        return ("text", _unquote(ch[1]), self._between(ch[0], ch[1]))

    def effect(self, ch: list[Token]) -> Token:
        return ch[0]  # `default` and `then` make the Effect and need the token's position

    # -- clauses
    def clause(self, ch: list[Any]) -> m.Clause:
        return self._clause(ch, m.ClauseKind.CLAUSE)

    def guardrail(self, ch: list[Any]) -> m.Clause:
        return self._clause(ch, m.ClauseKind.GUARDRAIL)

    def _clause(self, ch: list[Any], kind: m.ClauseKind) -> m.Clause:
        # CLAUSE IDENT STRING options { statements }
        by_tag = _by_tag(ch[3:-1])
        what = kind.value
        first = self._first
        ref = first(by_tag, "ref", what)
        exc = first(by_tag, "exception", what)
        standalone = first(by_tag, "standalone", what)
        when = first(by_tag, "when", what)
        then = first(by_tag, "then", what)
        effective = first(by_tag, "effective", what)
        obligations = _joined(by_tag.get("oblige"))
        waives = _joined(by_tag.get("waive"))
        grants = by_tag.get("grant")
        return m.Clause(
            kind=kind,
            id=str(ch[1]),
            title=_unquote(ch[2]),
            ref=ref[1] if ref else None,
            exception_to=exc[1] if exc else None,
            standalone=standalone is not None,
            when=when[1] if when else None,
            then=then[1] if then else None,
            obligations=obligations,
            waives=waives,
            grants=tuple(g[1] for g in grants) if grants else (),
            effective=effective[1] if effective else None,
            span=self._between(ch[0], ch[-1]),
            then_span=then[2] if then else None,
            grant_spans=tuple(g[2] for g in grants) if grants else (),
        )

    def ref(self, ch: list[Token]) -> Statement:
        return ("ref", _unquote(ch[1]), self._between(ch[0], ch[1]))

    def exception(self, ch: list[Any]) -> Statement:
        span = self._to(ch[0], ch[-1].span)
        if len(ch) == 3:
            target = m.ExceptionTarget(ch[2].name, ch[1].name, span)
        else:
            target = m.ExceptionTarget(ch[1].name, None, span)
        return ("exception", target, span)

    def standalone(self, ch: list[Token]) -> Statement:
        return ("standalone", True, self._tspan(ch[0]))

    def when(self, ch: list[Any]) -> Statement:
        self._root(ch[1], "when")
        return ("when", ch[1], self._to_cond(ch[0], ch[1]))

    def then(self, ch: list[Token]) -> Statement:
        return ("then", m.Effect(ch[1]), self._between(ch[0], ch[1]))

    def oblige(self, ch: list[Any]) -> Statement:
        return ("oblige", tuple(ch[1:]), self._to(ch[0], ch[-1].span))

    def obligation(self, ch: list[Token]) -> m.Obligation:
        text = _unquote(ch[1]) if len(ch) > 1 else None
        return m.Obligation(str(ch[0]), text, self._between(ch[0], ch[-1]))

    def waive(self, ch: list[Any]) -> Statement:
        return ("waive", tuple(ch[1:]), self._to(ch[0], ch[-1].span))

    def grant(self, ch: list[Token]) -> Statement:
        return ("grant", _unquote(ch[1]), self._tspan(ch[1]))

    def precedence(self, ch: list[Any]) -> m.Precedence:
        return m.Precedence(ch[1], ch[2], self._to(ch[0], ch[2].span))

    # -- tenders
    def tender(self, ch: list[Any]) -> m.Tender:
        # TENDER IDENT STRING { statements and requirements }
        body = ch[4:-1]
        requirements = tuple(c for c in body if type(c) is m.Requirement)
        by_tag = _by_tag(body)
        buyer = self._first(by_tag, "buyer", "tender")
        deliverable = self._first(by_tag, "deliverable", "tender")
        counting = self._first(by_tag, "counting", "tender")
        if buyer is None:
            self._error("E107", f"tender `{ch[1]}` has no `buyer`", self._tspan(ch[1]), "add `buyer PARTY`")
        return m.Tender(
            id=str(ch[1]),
            title=_unquote(ch[2]),
            buyer=buyer[1] if buyer else None,
            deliverable=deliverable[1] if deliverable else None,
            requirements=requirements,
            span=self._between(ch[0], ch[-1]),
            deliverable_span=deliverable[2] if deliverable else None,
            scopes=counting[1] if counting else DEFAULT_SCOPES,
            scopes_span=counting[2] if counting else None,
        )

    def counting(self, ch: list[Token]) -> Statement:
        # COUNTING IDENT, IDENT...: the dependency scopes whose components the requirements judge
        for tok in ch[1:]:
            if str(tok) not in COMPONENT_SCOPES:
                self._error("E108", f"`{tok}` is not a dependency scope", self._tspan(tok),
                            "one of " + ", ".join(COMPONENT_SCOPES))
        return ("counting", tuple(dict.fromkeys(map(str, ch[1:]))), self._between(ch[0], ch[-1]))

    def buyer(self, ch: list[Any]) -> Statement:
        return ("buyer", ch[1], self._to(ch[0], ch[1].span))

    def deliverable(self, ch: list[Token]) -> Statement:
        return ("deliverable", _unquote(ch[1]), self._tspan(ch[1]))

    def requirement(self, ch: list[Any]) -> m.Requirement:
        # REQUIREMENT IDENT STRING ref? { rules }
        body = ch[3:-1]
        ref = next((c for c in body if type(c) is tuple), None)
        rules = tuple(c for c in body if type(c) is not tuple and not isinstance(c, Token))
        span = self._between(ch[0], ch[-1])
        return m.Requirement(str(ch[1]), _unquote(ch[2]), ref[1] if ref else None, rules, span)

    def every_satisfies(self, ch: list[Any]) -> m.EverySatisfies:
        self._root(ch[1], "every_satisfies")
        return m.EverySatisfies(ch[1], self._to_cond(ch[0], ch[1]))

    def no_satisfies(self, ch: list[Any]) -> m.NoneSatisfies:
        self._root(ch[1], "no_satisfies")
        return m.NoneSatisfies(ch[1], self._to_cond(ch[0], ch[1]))

    def every_has(self, ch: list[Any]) -> m.EveryHas:
        return m.EveryHas(tuple(ch[1:]), self._to(ch[0], ch[-1].span))

    def offered_satisfies(self, ch: list[Any]) -> m.OfferedSatisfies:
        self._root(ch[1], "offered_satisfies")
        return m.OfferedSatisfies(ch[1], self._to_cond(ch[0], ch[1]))

    # -- conditions
    def _junction(self, ch: list[m.Condition], cls: Callable[..., m.Or | m.And]) -> m.Condition:
        first, last = self._box(ch[0]), self._box(ch[-1])
        span = m.Span(self.file, first[0], first[1], last[2], last[3])
        node = cls(tuple(ch), span)
        return self._cond(node, 1 + max(map(self._depth_of, ch)), span)

    def or_cond(self, ch: list[m.Condition]) -> m.Condition:
        return self._junction(ch, m.Or)

    def and_cond(self, ch: list[m.Condition]) -> m.Condition:
        return self._junction(ch, m.And)

    def atom(self, ch: list[Any]) -> m.Condition:
        # ( condition ): the node keeps its own span; its parent's extends to the parentheses.
        open_, cond, close = ch
        self._outer[id(cond)] = (open_.line, open_.column, close.end_line, close.end_column)
        return cond  # type: ignore[no-any-return]

    def negation(self, ch: list[Any]) -> m.Condition:
        atom: m.Condition = ch[-1]
        node = atom
        depth = self._depth_of(node)
        # Build the `not` chain from the inside out, each one spanning from its keyword.
        for tok in reversed(ch[:-1]):
            span = m.Span(self.file, tok.line, tok.column, node.span.end_line, node.span.end_column)
            depth += 1
            node = self._cond(m.Not(node, span), depth, span)
        box = self._box(atom)
        self._outer[id(node)] = (ch[0].line, ch[0].column, box[2], box[3])
        self._operand[id(node)] = atom
        return node

    def comparison(self, ch: list[Any]) -> m.Compare:
        path, path_span = ch[0]
        value: m.Value = ch[2]
        span = m.Span(self.file, path_span.line, path_span.column, value.span.end_line, value.span.end_column)
        return m.Compare(path, str(ch[1]), value, span, path_span)

    def membership(self, ch: list[Any]) -> m.In:
        # path in { value, ... }
        path, path_span = ch[0]
        values = tuple(c for c in ch[3:-1] if type(c) is m.Value)
        close = ch[-1]
        span = m.Span(self.file, path_span.line, path_span.column, close.end_line, close.end_column)
        return m.In(path, values, span, path_span)

    def path_test(self, ch: list[Any]) -> m.PathTest:
        return m.PathTest(ch[0][0], ch[0][1])

    def compatible(self, ch: list[Token]) -> m.CompatibleWith:
        target = ch[1]
        if target.type == "DELIVERABLE":
            return m.CompatibleWith(None, self._between(ch[0], target))
        return m.CompatibleWith(_unquote(target), self._between(ch[0], target), self._tspan(target))

    def boolean(self, ch: list[Token]) -> m.Boolean:
        return m.Boolean(ch[0].type == "TRUE", self._tspan(ch[0]))

    def path(self, ch: list[Token]) -> tuple[str, m.Span]:
        return ".".join(ch), self._between(ch[0], ch[-1])

    def value(self, ch: list[Token]) -> m.Value:
        tok = ch[0]
        convert = self._convert.get(tok.type)
        scalar: m.Scalar = convert(self, tok) if convert is not None else str(tok)
        return m.Value(scalar, tok.type == "IDENT", self._tspan(tok))

    _convert: dict[str, Callable[[_Builder, Token], m.Scalar]] = {
        "STRING": lambda _b, t: _unquote(t),
        "DATE": lambda b, t: b._date(t),
        "NUMBER": lambda b, t: b._number(t),
        "TRUE": lambda _b, _t: True,
        "FALSE": lambda _b, _t: False,
    }
