"""``coop fmt``: print a module in the canonical layout, keeping its comments.

Layout: 2-space indent, one statement per line, fixed order inside blocks (members,
effective, refines, scope, default, text, then clauses in source order; inside a clause
when, then, oblige, waive, grant, effective), one blank line between top-level blocks.

Comments are not in the model, so they are re-attached by line: a comment on its own
line is printed before the first statement that came after it in the source; a comment
after code stays at the end of that statement's line. Because the output's statements
appear in increasing source order, formatting twice gives the same text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import (
    Agreement,
    And,
    Boolean,
    Clause,
    Compare,
    CompatibleWith,
    Condition,
    EveryHas,
    EverySatisfies,
    In,
    Module,
    NoneSatisfies,
    Not,
    OfferedSatisfies,
    Or,
    Party,
    PathTest,
    Precedence,
    Requirement,
    Tender,
    Value,
)
from .parser import code_characters, split_lines

INDENT = "  "


@dataclass(frozen=True)
class Comment:
    line: int
    text: str
    trailing: bool
    # Blank lines around own-line comments are kept: they separate a file's header
    # or a group of statements, which the author meant.
    blank_before: bool = False
    blank_after: bool = False


def find_comments(text: str) -> list[Comment]:
    """Every ``#`` comment outside strings (strings never span lines, so per line is enough)."""
    out: list[Comment] = []
    lines = split_lines(text)
    for number, line in enumerate(lines, start=1):
        for index, _ in code_characters(line, "#"):
            code = line[:index].strip().lstrip("\ufeff")
            before = number > 1 and not lines[number - 2].strip()
            after = number < len(lines) and not lines[number].strip()
            out.append(Comment(number, line[index:].rstrip(), bool(code), before, after))
    return out


class _Writer:
    def __init__(self, comments: list[Comment]) -> None:
        self.out: list[str] = []
        self.pending = sorted((c for c in comments if not c.trailing), key=lambda c: c.line)
        self.trailing = {c.line: c.text for c in comments if c.trailing}
        self.blank_wanted = False

    def blank(self) -> None:
        if self.out:
            self.blank_wanted = True

    def _emit(self, text: str) -> None:
        if self.blank_wanted and self.out and self.out[-1] != "":
            self.out.append("")
        self.blank_wanted = False
        self.out.append(text)

    def line(self, depth: int, source_line: int, text: str) -> None:
        pad = INDENT * depth
        while self.pending and self.pending[0].line < source_line:
            comment = self.pending.pop(0)
            if comment.blank_before:
                self.blank()
            self._emit(pad + comment.text)
            if comment.blank_after:
                self.blank()
        trailing = self.trailing.pop(source_line, None)
        self._emit(pad + text + (f"  {trailing}" if trailing else ""))

    def finish(self) -> str:
        for comment in self.pending:
            if comment.blank_before:
                self.blank()
            self._emit(comment.text)
        for _, text in sorted(self.trailing.items()):
            self._emit(text)
        return "\n".join(self.out).rstrip("\n") + "\n" if self.out else ""


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def format_module(module: Module, comments: list[Comment]) -> str:
    w = _Writer(comments)
    previous: type | None = None
    for item in module.items:
        # parties and precedence lines group together; blocks stand apart
        if not (isinstance(item, Party | Precedence) and previous is type(item)):
            w.blank()
        previous = type(item)
        if isinstance(item, Party):
            _party(w, item)
        elif isinstance(item, Agreement):
            _agreement(w, item)
        elif isinstance(item, Precedence):
            w.line(0, item.span.line, f"precedence {item.winner.name} over {item.loser.name}")
        else:
            _tender(w, item)
    return w.finish()


def _party(w: _Writer, party: Party) -> None:
    text = f"party {party.id} {quote(party.name)}"
    if party.kind:
        text += f" kind {party.kind}"
    if party.jurisdiction:
        text += f" jurisdiction {party.jurisdiction}"
    w.line(0, party.span.line, text)


def _agreement(w: _Writer, a: Agreement) -> None:
    keyword = "declaration" if a.declaration else "agreement"
    w.line(0, a.span.line, f"{keyword} {a.id} {quote(a.title)} {{")
    if a.parties:
        members = "adherents" if a.declaration else "parties"
        w.line(1, a.parties[0].span.line, f"{members} " + ", ".join(r.name for r in a.parties))
    if a.effective:
        w.line(1, a.effective.span.line, _effective(a.effective.start, a.effective.until))
    if a.refines:
        w.line(1, a.refines.span.line, f"refines {a.refines.name}")
    if a.scope is not None:
        w.line(1, a.scope.span.line, f"scope {condition(a.scope)}")
    if a.default is not None:
        w.line(1, (a.default_span or a.span).line, f"default {a.default.value}")
    if a.text is not None:
        w.line(1, (a.text_span or a.span).line, f"text {quote(a.text)}")
    for clause in a.clauses:
        w.blank()
        _clause(w, clause)
    w.line(0, a.span.end_line, "}")


def _effective(start: dt.date, until: dt.date | None) -> str:
    return f"effective {start.isoformat()}" + (f" until {until.isoformat()}" if until else "")


def _clause(w: _Writer, c: Clause) -> None:
    head = f"{c.kind.value} {c.id} {quote(c.title)}"
    if c.ref is not None:
        head += f" ref {quote(c.ref)}"
    if c.exception_to is not None:
        head += f" exception to {c.exception_to}"
    if c.standalone:
        head += " standalone"
    w.line(1, c.span.line, head + " {")
    if c.when is not None:
        w.line(2, c.when.span.line, f"when {condition(c.when)}")
    if c.then is not None:
        w.line(2, (c.then_span or c.span).line, f"then {c.then.value}")
    for o in c.obligations:
        w.line(2, o.span.line, f"oblige {o.id}" + (f" {quote(o.text)}" if o.text is not None else ""))
    if c.waives:
        w.line(2, c.waives[0].span.line, "waive " + ", ".join(r.name for r in c.waives))
    for text, span in zip(c.grants, c.grant_spans or (c.span,) * len(c.grants), strict=False):
        w.line(2, span.line, f"grant {quote(text)}")
    if c.effective is not None:
        w.line(2, c.effective.span.line, _effective(c.effective.start, c.effective.until))
    w.line(1, c.span.end_line, "}")


def _tender(w: _Writer, t: Tender) -> None:
    w.line(0, t.span.line, f"tender {t.id} {quote(t.title)} {{")
    if t.buyer is not None:
        w.line(1, t.buyer.span.line, f"buyer {t.buyer.name}")
    if t.deliverable is not None:
        w.line(1, (t.deliverable_span or t.span).line, f"deliverable {quote(t.deliverable)}")
    if t.scopes_span is not None:
        w.line(1, t.scopes_span.line, "counting scopes " + ", ".join(t.scopes))
    for req in t.requirements:
        w.blank()
        _requirement(w, req)
    w.line(0, t.span.end_line, "}")


def _requirement(w: _Writer, r: Requirement) -> None:
    head = f"requirement {r.id} {quote(r.title)}" + (f" ref {quote(r.ref)}" if r.ref is not None else "")
    w.line(1, r.span.line, head + " {")
    for rule in r.rules:
        if isinstance(rule, EverySatisfies):
            text = f"every component satisfies {condition(rule.condition)}"
        elif isinstance(rule, NoneSatisfies):
            text = f"no component satisfies {condition(rule.condition)}"
        elif isinstance(rule, EveryHas):
            text = "every component has " + ", ".join(f.name for f in rule.fields)
        elif isinstance(rule, OfferedSatisfies):
            text = f"offered satisfies {condition(rule.condition)}"
        w.line(2, rule.span.line, text)
    w.line(1, r.span.end_line, "}")


# ---- conditions ------------------------------------------------------------------

_LEVEL = {Or: 1, And: 2, Not: 3}


def condition(cond: Condition) -> str:
    """A condition with only the parentheses its structure needs, so the model survives."""
    if isinstance(cond, Or | And):
        word = " or " if isinstance(cond, Or) else " and "
        # an item at the same or a looser level keeps its parentheses: (a or b) or c
        return word.join(_wrap(item, _LEVEL[type(cond)]) for item in cond.items)
    if isinstance(cond, Not):
        return "not " + _wrap(cond.operand, _LEVEL[Not])
    if isinstance(cond, Compare):
        return f"{cond.path} {cond.op} {value(cond.value)}"
    if isinstance(cond, In):
        return f"{cond.path} in {{" + ", ".join(value(v) for v in cond.values) + "}"
    if isinstance(cond, PathTest):
        return cond.path
    if isinstance(cond, CompatibleWith):
        return "licence compatible-with " + (quote(cond.target) if cond.target is not None else "deliverable")
    if isinstance(cond, Boolean):
        return "true" if cond.value else "false"
    raise TypeError(cond)  # pragma: no cover


def _wrap(cond: Condition, level: int) -> str:
    inner = _LEVEL.get(type(cond), 4)
    text = condition(cond)
    return f"({text})" if inner <= level else text


def value(v: Value) -> str:
    raw = v.value
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        text = repr(raw)
        return text if "e" not in text and "inf" not in text and "nan" not in text else format(raw, "f")
    return raw if v.bare else quote(raw)
