"""The boundary to lark: the only module that imports it.

It builds the parser once per process, parses one piece of text, and turns lark's tree
into model nodes (:class:`_Builder`) or lark's exceptions into :class:`SyntaxProblem`,
which the rest of the package handles without knowing lark.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from lark import (
    Lark,
    Token,
    Transformer,
    Tree,
    UnexpectedCharacters,
    UnexpectedInput,
    UnexpectedToken,
    v_args,
)
from lark.exceptions import VisitError

from . import model as m
from .diagnostics import Diagnostic, make

MAX_DEPTH = 100  # nesting of conditions; far beyond anything a lawyer writes


@dataclass(frozen=True)
class SyntaxProblem(Exception):
    """Why a piece of text did not parse, in lark-free terms."""

    kind: str  # "token", "char", "eof" or "depth"
    line: int
    column: int
    end_column: int
    text: str
    token_type: str
    expected: frozenset[str]


@functools.cache
def parser() -> Lark:
    """The LALR parser, built once (a few hundred ms) and shared; Lark objects are immutable."""
    grammar = (files("coopengine") / "grammars" / "coop.lark").read_text(encoding="utf-8")
    return Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        maybe_placeholders=False,
        strict=True,
    )


def parse_items(text: str, file: str, lines: Sequence[str]) -> tuple[tuple[m.Item, ...], list[Diagnostic]]:
    """Parse ``text`` (lines before a resync point blanked out) into model items.

    Raises :class:`SyntaxProblem` on the first syntax error; structural problems inside
    well-formed text (two ``then`` in a clause) come back as diagnostics.
    """
    try:
        tree = parser().parse(text)
    except UnexpectedToken as err:
        raise _token_problem(err) from None
    except UnexpectedCharacters as err:
        raise SyntaxProblem(
            "char", err.line, err.column, err.column + 1, err.char, "", frozenset(err.allowed or ())
        ) from None
    except UnexpectedInput as err:  # pragma: no cover - other lark input errors
        raise SyntaxProblem(
            "token", getattr(err, "line", 1), getattr(err, "column", 1), 0, "", "", frozenset()
        ) from None
    if text.count("(") > MAX_DEPTH:
        _check_depth(tree)
    builder = _Builder(file, lines)
    try:
        items = builder.transform(tree)
    except VisitError as err:
        if isinstance(err.orig_exc, SyntaxProblem):
            raise err.orig_exc from None
        raise
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
        return SyntaxProblem("eof", 0, 0, 0, "", "$END", expected)
    column = tok.column or 1
    end = tok.end_column if tok.end_line == tok.line and tok.end_column else column + len(tok.value)
    return SyntaxProblem("token", tok.line or 1, column, end, str(tok.value), tok.type, expected)


def _check_depth(tree: Tree[Token]) -> None:
    """Refuse trees deeper than lark's recursive transformer (and our own walkers) can take."""
    stack: list[tuple[Tree[Token], int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH * 2:
            meta = node.meta
            line = getattr(meta, "line", 1)
            column = getattr(meta, "column", 1)
            raise SyntaxProblem("depth", line, column, column + 1, "", "", frozenset())
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tree))


# ---- tree -> model ----------------------------------------------------------------

_ESCAPE = re.compile(r'\\(["\\])')


def _unquote(token: Token) -> str:
    return _ESCAPE.sub(r"\1", str(token)[1:-1])


Statement = tuple[str, Any, m.Span]


@v_args(meta=True)
class _Builder(Transformer[Token, Any]):
    """Builds model nodes bottom-up; records structural problems instead of raising."""

    def __init__(self, file: str, lines: Sequence[str]) -> None:
        super().__init__()
        self.file = file
        self.lines = {file: tuple(lines)}
        self.diagnostics: list[Diagnostic] = []
        self._depth: dict[int, int] = {}

    # -- helpers
    def _span(self, meta: Any) -> m.Span:
        if getattr(meta, "empty", True):
            return m.Span(self.file, 1, 1, 1, 1)
        return m.Span(self.file, meta.line, meta.column, meta.end_line, meta.end_column)

    def _tspan(self, tok: Token) -> m.Span:
        line = tok.line or 1
        column = tok.column or 1
        return m.Span(self.file, line, column, tok.end_line or line, tok.end_column or column + len(tok))

    def _error(self, code: str, message: str, span: m.Span, hint: str | None = None) -> None:
        self.diagnostics.append(make(code, message, span, lines=self.lines, hint=hint))

    def _date(self, tok: Token) -> dt.date:
        try:
            return dt.date.fromisoformat(str(tok))
        except ValueError:
            self._error(
                "E109", f"`{tok}` is not a valid date", self._tspan(tok), "write a real day as YYYY-MM-DD"
            )
            return dt.date(1970, 1, 1)

    def _cond(self, node: m.Condition, depth: int, span: m.Span) -> m.Condition:
        if depth > MAX_DEPTH:
            raise SyntaxProblem("depth", span.line, span.column, span.column + 1, "", "", frozenset())
        self._depth[id(node)] = depth
        return node

    def _depth_of(self, node: m.Condition) -> int:
        return self._depth.get(id(node), 1)

    def _single(self, stmts: list[Statement], tag: str, what: str) -> Statement | None:
        found = [s for s in stmts if s[0] == tag]
        for extra in found[1:]:
            self._error(
                "E106",
                f"`{tag}` given twice in this {what}",
                extra[2],
                f"first given at line {found[0][2].line}",
            )
        return found[0] if found else None

    # -- top level
    def start(self, meta: Any, children: list[m.Item]) -> list[m.Item]:
        return children

    def party(self, meta: Any, ch: list[Any]) -> m.Party:
        kind = juris = None
        kind_span = None
        for attr in ch[3:]:
            if attr[0] == "kind":
                if kind is not None:
                    self._error("E106", "`kind` given twice for this party", attr[2])
                kind, kind_span = attr[1], attr[2]
            else:
                if juris is not None:
                    self._error("E106", "`jurisdiction` given twice for this party", attr[2])
                juris = attr[1]
        return m.Party(str(ch[1]), _unquote(ch[2]), kind, juris, self._span(meta), kind_span)

    def party_kind(self, meta: Any, ch: list[Token]) -> Statement:
        return ("kind", str(ch[1]), self._tspan(ch[1]))

    def party_jurisdiction(self, meta: Any, ch: list[Token]) -> Statement:
        return ("jurisdiction", str(ch[1]), self._tspan(ch[1]))

    def agreement(self, meta: Any, ch: list[Any]) -> m.Agreement:
        return self._agreement(meta, ch, declaration=False)

    def declaration(self, meta: Any, ch: list[Any]) -> m.Agreement:
        return self._agreement(meta, ch, declaration=True)

    def _agreement(self, meta: Any, ch: list[Any], *, declaration: bool) -> m.Agreement:
        span = self._span(meta)
        what = "declaration" if declaration else "agreement"
        stmts: list[Statement] = [c for c in ch[3:] if isinstance(c, tuple)]
        clauses = tuple(c for c in ch[3:] if isinstance(c, m.Clause))
        members_tag, wrong_tag = ("adherents", "parties") if declaration else ("parties", "adherents")
        for wrong in (s for s in stmts if s[0] == wrong_tag):
            self._error(
                "E108",
                f"`{wrong_tag}` is not used in a{'' if declaration else 'n'} {what}",
                wrong[2],
                f"write `{members_tag}` (an agreement has `parties`, a declaration `adherents`)",
            )
        members = self._single(stmts, members_tag, what)
        if members is None and not any(s[0] == wrong_tag for s in stmts):
            self._error(
                "E107",
                f"{what} `{ch[1]}` has no `{members_tag}`",
                self._tspan(ch[1]),
                f"add `{members_tag} A, B` listing who is bound",
            )
        effective = self._single(stmts, "effective", what)
        if effective is None:
            self._error(
                "E107",
                f"{what} `{ch[1]}` has no `effective` date",
                self._tspan(ch[1]),
                "add `effective YYYY-MM-DD [until YYYY-MM-DD]`",
            )
        refines = self._single(stmts, "refines", what)
        scope = self._single(stmts, "scope", what)
        default = self._single(stmts, "default", what)
        text = self._single(stmts, "text", what)
        if members is None:
            members = next((s for s in stmts if s[0] == wrong_tag), None)
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

    def name(self, meta: Any, ch: list[Token]) -> m.Ref:
        return m.Ref(str(ch[0]), self._tspan(ch[0]))

    def parties(self, meta: Any, ch: list[Any]) -> Statement:
        return ("parties", tuple(ch[1:]), self._span(meta))

    def adherents(self, meta: Any, ch: list[Any]) -> Statement:
        return ("adherents", tuple(ch[1:]), self._span(meta))

    def effective(self, meta: Any, ch: list[Token]) -> Statement:
        start = self._date(ch[1])
        until = self._date(ch[2]) if len(ch) > 2 else None
        return ("effective", m.Effective(start, until, self._span(meta)), self._span(meta))

    def refines(self, meta: Any, ch: list[Any]) -> Statement:
        return ("refines", ch[1], self._span(meta))

    def scope(self, meta: Any, ch: list[Any]) -> Statement:
        return ("scope", ch[1], self._span(meta))

    def default(self, meta: Any, ch: list[Any]) -> Statement:
        return ("default", ch[1], self._span(meta))

    def text(self, meta: Any, ch: list[Token]) -> Statement:
        return ("text", _unquote(ch[1]), self._span(meta))

    def effect(self, meta: Any, ch: list[Token]) -> m.Effect:
        return m.Effect(str(ch[0]))

    # -- clauses
    def clause(self, meta: Any, ch: list[Any]) -> m.Clause:
        return self._clause(meta, ch, m.ClauseKind.CLAUSE)

    def guardrail(self, meta: Any, ch: list[Any]) -> m.Clause:
        return self._clause(meta, ch, m.ClauseKind.GUARDRAIL)

    def _clause(self, meta: Any, ch: list[Any], kind: m.ClauseKind) -> m.Clause:
        stmts: list[Statement] = list(ch[3:])
        what = kind.value
        ref = self._single(stmts, "ref", what)
        exc = self._single(stmts, "exception", what)
        standalone = self._single(stmts, "standalone", what)
        when = self._single(stmts, "when", what)
        then = self._single(stmts, "then", what)
        effective = self._single(stmts, "effective", what)
        obligations = tuple(o for s in stmts if s[0] == "oblige" for o in s[1])
        waives = tuple(w for s in stmts if s[0] == "waive" for w in s[1])
        grants = [s for s in stmts if s[0] == "grant"]
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
            grants=tuple(g[1] for g in grants),
            effective=effective[1] if effective else None,
            span=self._span(meta),
            then_span=then[2] if then else None,
            grant_spans=tuple(g[2] for g in grants),
        )

    def ref(self, meta: Any, ch: list[Token]) -> Statement:
        return ("ref", _unquote(ch[1]), self._span(meta))

    def exception(self, meta: Any, ch: list[Any]) -> Statement:
        span = self._span(meta)
        if len(ch) == 3:
            target = m.ExceptionTarget(ch[2].name, ch[1].name, span)
        else:
            target = m.ExceptionTarget(ch[1].name, None, span)
        return ("exception", target, span)

    def standalone(self, meta: Any, ch: list[Token]) -> Statement:
        return ("standalone", True, self._span(meta))

    def when(self, meta: Any, ch: list[Any]) -> Statement:
        return ("when", ch[1], self._span(meta))

    def then(self, meta: Any, ch: list[Any]) -> Statement:
        return ("then", ch[1], self._span(meta))

    def oblige(self, meta: Any, ch: list[Any]) -> Statement:
        return ("oblige", tuple(ch[1:]), self._span(meta))

    def obligation(self, meta: Any, ch: list[Token]) -> m.Obligation:
        return m.Obligation(str(ch[0]), _unquote(ch[1]) if len(ch) > 1 else None, self._span(meta))

    def waive(self, meta: Any, ch: list[Any]) -> Statement:
        return ("waive", tuple(ch[1:]), self._span(meta))

    def grant(self, meta: Any, ch: list[Token]) -> Statement:
        return ("grant", _unquote(ch[1]), self._tspan(ch[1]))

    def precedence(self, meta: Any, ch: list[Any]) -> m.Precedence:
        return m.Precedence(ch[1], ch[2], self._span(meta))

    # -- tenders
    def tender(self, meta: Any, ch: list[Any]) -> m.Tender:
        stmts: list[Statement] = [c for c in ch[3:] if isinstance(c, tuple)]
        requirements = tuple(c for c in ch[3:] if isinstance(c, m.Requirement))
        buyer = self._single(stmts, "buyer", "tender")
        deliverable = self._single(stmts, "deliverable", "tender")
        if buyer is None:
            self._error("E107", f"tender `{ch[1]}` has no `buyer`", self._tspan(ch[1]), "add `buyer PARTY`")
        return m.Tender(
            id=str(ch[1]),
            title=_unquote(ch[2]),
            buyer=buyer[1] if buyer else None,
            deliverable=deliverable[1] if deliverable else None,
            requirements=requirements,
            span=self._span(meta),
            deliverable_span=deliverable[2] if deliverable else None,
        )

    def buyer(self, meta: Any, ch: list[Any]) -> Statement:
        return ("buyer", ch[1], self._span(meta))

    def deliverable(self, meta: Any, ch: list[Token]) -> Statement:
        return ("deliverable", _unquote(ch[1]), self._tspan(ch[1]))

    def requirement(self, meta: Any, ch: list[Any]) -> m.Requirement:
        ref = next((c for c in ch[3:] if isinstance(c, tuple)), None)
        rules = tuple(c for c in ch[3:] if not isinstance(c, tuple))
        return m.Requirement(str(ch[1]), _unquote(ch[2]), ref[1] if ref else None, rules, self._span(meta))

    def every_satisfies(self, meta: Any, ch: list[Any]) -> m.EverySatisfies:
        return m.EverySatisfies(ch[1], self._span(meta))

    def no_satisfies(self, meta: Any, ch: list[Any]) -> m.NoneSatisfies:
        return m.NoneSatisfies(ch[1], self._span(meta))

    def every_has(self, meta: Any, ch: list[Any]) -> m.EveryHas:
        return m.EveryHas(tuple(ch[1:]), self._span(meta))

    def offered_satisfies(self, meta: Any, ch: list[Any]) -> m.OfferedSatisfies:
        return m.OfferedSatisfies(ch[1], self._span(meta))

    # -- conditions
    def or_cond(self, meta: Any, ch: list[m.Condition]) -> m.Condition:
        span = self._span(meta)
        return self._cond(m.Or(tuple(ch), span), 1 + max(map(self._depth_of, ch)), span)

    def and_cond(self, meta: Any, ch: list[m.Condition]) -> m.Condition:
        span = self._span(meta)
        return self._cond(m.And(tuple(ch), span), 1 + max(map(self._depth_of, ch)), span)

    def negation(self, meta: Any, ch: list[Any]) -> m.Condition:
        node: m.Condition = ch[-1]
        depth = self._depth_of(node)
        # Build the `not` chain from the inside out, each one spanning from its keyword.
        for tok in reversed(ch[:-1]):
            span = m.Span(self.file, tok.line, tok.column, node.span.end_line, node.span.end_column)
            depth += 1
            node = self._cond(m.Not(node, span), depth, span)
        return node

    def comparison(self, meta: Any, ch: list[Any]) -> m.Compare:
        path, path_span = ch[0]
        return m.Compare(path, str(ch[1]), ch[2], self._span(meta), path_span)

    def membership(self, meta: Any, ch: list[Any]) -> m.In:
        path, path_span = ch[0]
        return m.In(path, tuple(ch[1:]), self._span(meta), path_span)

    def path_test(self, meta: Any, ch: list[Any]) -> m.PathTest:
        return m.PathTest(ch[0][0], self._span(meta))

    def compatible(self, meta: Any, ch: list[Token]) -> m.CompatibleWith:
        target = ch[1]
        return m.CompatibleWith(None if target.type == "DELIVERABLE" else _unquote(target), self._span(meta))

    def boolean(self, meta: Any, ch: list[Token]) -> m.Boolean:
        return m.Boolean(ch[0].type == "TRUE", self._span(meta))

    def path(self, meta: Any, ch: list[Token]) -> tuple[str, m.Span]:
        return ".".join(str(t) for t in ch), self._span(meta)

    def value(self, meta: Any, ch: list[Token]) -> m.Value:
        tok = ch[0]
        span = self._tspan(tok)
        convert: dict[str, Callable[[Token], m.Scalar]] = {
            "IDENT": str,
            "STRING": _unquote,
            "DATE": self._date,
            "NUMBER": _number,
            "TRUE": lambda _t: True,
            "FALSE": lambda _t: False,
        }
        return m.Value(convert[tok.type](tok), tok.type == "IDENT", span)


def _number(tok: Token) -> int | float:
    text = str(tok)
    return float(text) if "." in text else int(text)
