"""A faster drop-in for lark's contextual lexer: the same tokens and the same errors.

lark's own lexer spends about a microsecond and a half per token on bookkeeping (one
regex call per ignored run, a line counter object, ``Token.__new__``), which made it the
largest single cost of parsing a large file. This one keeps lark's semantics exactly:

* the terminals tried at each point are those the LALR state accepts, ordered as lark
  orders them (priority, then longest possible match, then pattern length, then name);
* a string terminal fully matched by a regexp terminal of the same priority (a keyword
  and ``IDENT``) is folded into it, and the keyword wins only where the state accepts it;
* on a character no accepted terminal matches, it tries every terminal, as lark does, and
  raises ``UnexpectedToken`` with what it found there, else ``UnexpectedCharacters``.

but matches the ignored run (layout, comments) and the token with a single regexp call.
``tests/language/test_lexer.py`` compares its output with lark's lexer on every test file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NoReturn

from lark import Token, Tree
from lark.common import LexerConf
from lark.exceptions import UnexpectedCharacters, UnexpectedToken
from lark.lexer import Lexer, LexerState, PatternStr, TerminalDef
from lark.parsers.lalr_analysis import Shift

_new_str = str.__new__


def _make_token(type_: str, value: str, start: int, line: int, column: int, end_column: int) -> Token:
    # Token.__new__ handles deprecated keyword forms and costs three times as much.
    tok: Token = _new_str(Token, value)
    tok.type = type_
    tok.value = value
    tok.start_pos = start
    tok.line = line
    tok.column = column
    tok.end_line = line
    tok.end_column = end_column
    tok.end_pos = start + len(value)
    return tok


def _regexp_has_newline(r: str) -> bool:
    """lark's own test for terminals whose matches may span lines."""
    return "\n" in r or "\\n" in r or "\\s" in r or "[^" in r or ("(?s" in r and "." in r)


class _Table:
    """What the lexer does in one set of accepted terminals."""

    __slots__ = ("allowed", "match", "unless")

    def __init__(self, lexer: ContextualLexer, accepts: frozenset[str]) -> None:
        terms = [lexer.terminals[n] for n in accepts if n in lexer.terminals and n not in lexer.ignore]
        terms.sort(key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name))
        embedded: set[str] = set()
        self.unless: dict[str, dict[str, str]] = {}
        re_ = lexer.re
        for retok in terms:
            if isinstance(retok.pattern, PatternStr):
                continue
            regexp = retok.pattern.to_regexp()
            folded: dict[str, str] = {}
            for strtok in terms:
                if not isinstance(strtok.pattern, PatternStr) or strtok.priority != retok.priority:
                    continue
                s = strtok.pattern.value
                m = re_.match(regexp, s, lexer.flags)
                if m and m.group(0) == s:
                    if strtok.pattern.flags:  # pragma: no cover - the grammar has no "..."i
                        raise NotImplementedError(f"flags on string terminal {strtok.name}")
                    folded.setdefault(s, strtok.name)
                    embedded.add(strtok.name)
            if folded:
                self.unless[retok.name] = folded
        kept = [t for t in terms if t.name not in embedded]
        # lark's allowed set for an UnexpectedCharacters: the scanner's terminals, less ignored.
        self.allowed = {t.name for t in kept} or {"<END-OF-FILE>"}
        alternatives = "|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in kept) or "(?!)"
        self.match = re_.compile(f"{lexer.skip}(?:{alternatives})", lexer.flags).match


class ContextualLexer(Lexer):
    """Pass as ``Lark(..., lexer=ContextualLexer)`` with ``parser="lalr"``."""

    __future_interface__ = 2

    def __init__(self, conf: LexerConf) -> None:
        if conf.use_bytes or conf.postlex is not None or conf.callbacks:
            raise NotImplementedError("bytes input, postlex and lexer callbacks are not supported")
        self.re = conf.re_module
        self.flags = conf.g_regex_flags
        self.terminals: Mapping[str, TerminalDef] = {t.name: t for t in conf.terminals}
        self.terminals_by_name = conf.terminals_by_name
        self.ignore = frozenset(conf.ignore)
        ignored = "|".join(self.terminals[n].pattern.to_regexp() for n in sorted(self.ignore))
        # Possessive: an ignored run is never given back, so a failing match cannot backtrack.
        self.skip = f"(?:{ignored})*+" if ignored else ""
        self.skip_match = self.re.compile(self.skip, self.flags).match
        self.multiline = frozenset(
            t.name for t in conf.terminals if _regexp_has_newline(t.pattern.to_regexp())
        )
        self._by_accepts: dict[frozenset[str], _Table] = {}
        self._states: Mapping[Any, Mapping[str, Any]] | None = None
        self._by_state: dict[Any, _Table] = {}
        self.root = _Table(self, frozenset(self.terminals))

    def _table(self, states: Mapping[Any, Mapping[str, Any]], state: Any) -> _Table:
        if states is not self._states:  # another parse table (never, in practice)
            self._states, self._by_state = states, {}
        accepts = frozenset(k for k in states[state] if k in self.terminals)
        table = self._by_accepts.get(accepts)
        if table is None:
            table = self._by_accepts[accepts] = _Table(self, accepts)
        self._by_state[state] = table
        return table

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:
        states = parser_state.parse_conf.states
        by_state = self._by_state if states is self._states else {}
        text_slice = lexer_state.text
        text: str = text_slice.text
        end: int = text_slice.end
        ctr = lexer_state.line_ctr
        pos, line, line_start = ctr.char_pos, ctr.line, ctr.line_start_pos
        multiline = self.multiline
        count, rfind = text.count, text.rfind
        try:
            while pos < end:
                state = parser_state.position
                table = by_state.get(state)
                if table is None:
                    table = self._table(states, state)
                    by_state = self._by_state
                m = table.match(text, pos, end)
                if m is None:
                    start = self.skip_match(text, pos, end).end()
                    if count("\n", pos, start):
                        line += count("\n", pos, start)
                        line_start = rfind("\n", pos, start) + 1
                    pos = start
                    if pos >= end:
                        break
                    self._fail(lexer_state, parser_state, table, pos, line, line_start)
                type_: str = m.lastgroup
                start = m.start(type_)
                if start != pos and count("\n", pos, start):
                    line += count("\n", pos, start)
                    line_start = rfind("\n", pos, start) + 1
                value: str = m.group(type_)
                pos = m.end()
                folded = table.unless.get(type_)
                if folded is not None:
                    type_ = folded.get(value, type_)
                if type_ in multiline and "\n" in value:  # pragma: no cover - no such token here
                    tok = _make_token(type_, value, start, line, start - line_start + 1, 0)
                    line += value.count("\n")
                    line_start = start + value.rindex("\n") + 1
                    tok.end_line, tok.end_column = line, pos - line_start + 1
                else:
                    tok = _make_token(type_, value, start, line, start - line_start + 1, pos - line_start + 1)
                lexer_state.last_token = tok
                yield tok
        finally:
            ctr.char_pos, ctr.line, ctr.line_start_pos = pos, line, line_start
            ctr.column = pos - line_start + 1

    def _fail(
        self, lexer_state: LexerState, parser_state: Any, table: _Table, pos: int, line: int, line_start: int
    ) -> NoReturn:
        """No accepted terminal matches at ``pos``: raise what lark's contextual lexer raises."""
        text: str = lexer_state.text.text
        last = lexer_state.last_token
        column = pos - line_start + 1
        m = self.root.match(text, pos, lexer_state.text.end)
        if m is not None:
            type_: str = m.lastgroup or ""
            value: str = m.group(type_)
            folded = self.root.unless.get(type_)
            if folded is not None:
                type_ = folded.get(value, type_)
            tok = _make_token(type_, value, pos, line, column, column + len(value))
            raise UnexpectedToken(  # type: ignore[no-untyped-call]
                tok,
                table.allowed,
                state=parser_state,
                token_history=[last],
                terminals_by_name=self.terminals_by_name,
            )
        raise UnexpectedCharacters(  # type: ignore[no-untyped-call]
            text,
            pos,
            line,
            column,
            allowed=table.allowed,
            token_history=last and [last],
            state=parser_state,
            terminals_by_name=self.terminals_by_name,
        )


_SHIFT = -1

# How the fast loop reduces by a rule (see _Rule.kind).
_GENERAL = 0  # filter the children, then a callback, a Tree or the spliced list
_PASS = 1  # the value on the stack is the rule's value: only the state changes
_CALL = 2  # the callback on all the children, unfiltered
_WRAP = 3  # an inlined rule of one child: the list of that child, to splice into the parent
_APPEND = 4  # an inlined rule `_list ... item`: item appended to the list (a `*` repetition)
_EXTEND = 5  # an inlined rule `_list _more`: the two lists joined
_SPLICE = 6  # an inlined rule of one inlined child: that child's list


class _Rule:
    """What lark's parse-tree builder does on one reduction, spelled out for the fast loop:
    which children to keep (``include``: index, splice an inlined ``_rule``), whether a
    ``?rule`` with one child vanishes, and whose callback makes the value."""

    __slots__ = ("expand1", "include", "inline", "kept_terminals", "name", "origin", "size")

    def __init__(self, rule: Any) -> None:
        self.size: int = len(rule.expansion)
        self.origin: str = rule.origin.name
        self.name: str = rule.alias or rule.options.template_source or rule.origin.name
        self.expand1: bool = bool(rule.options.expand1 and not rule.alias)
        keep_all = rule.options.keep_all_tokens
        include = [
            (i, not sym.is_term and sym.name.startswith("_"))
            for i, sym in enumerate(rule.expansion)
            if keep_all or not (sym.is_term and sym.filter_out)
        ]
        # The terminals whose tokens this rule may hand to a callback or keep in a Tree.
        self.kept_terminals = frozenset(rule.expansion[i].name for i, _ in include if rule.expansion[i].is_term)
        filtered = len(include) < len(rule.expansion) or any(expand for _, expand in include)
        self.include: tuple[tuple[int, bool], ...] | None = tuple(include) if filtered else None
        # A `_rule` without a callback is spliced into its parent: lark makes it a Tree
        # whose children the parent takes; here it is the list of those children.
        self.inline = self.origin.startswith("_")

    def kind(self, has_callback: bool) -> int:
        """_PASS where the rule's value is its only child's (a `?rule` with one child),
        _SPLICE for an inlined rule that only splices an inlined child, _CALL where a
        callback takes all the children as they are, _WRAP for an inlined rule of one child,
        _APPEND and _EXTEND for the inlined rules of a repetition, else _GENERAL."""
        if self.size == 1 and self.include is None and self.expand1:
            return _PASS
        if self.size == 1 and self.include == ((0, True),) and self.inline and not has_callback:
            return _SPLICE
        if self.size == 1 and self.include is None and self.inline and not has_callback:
            return _WRAP
        if self.inline and not has_callback and not self.expand1 and self.include is not None:
            if len(self.include) == 2 and self.include[0] == (0, True) and self.include[1][0] == self.size - 1:
                return _EXTEND if self.include[1][1] else _APPEND
        if self.include is None and not self.expand1 and has_callback:
            return _CALL
        return _GENERAL


class FastParser:
    """lark's LALR loop, lark's parse-tree builder and the lexer above fused into one
    function, for well-formed text.

    It follows the same parse table, keeps the same children and calls the same builder
    methods in the same order as lark's ``ParserState.feed_token`` fed by
    :meth:`ContextualLexer.lex` with ``ParseTreeBuilder.create_callback(builder)``
    (``maybe_placeholders`` and ``propagate_positions`` off), so it builds the same values.
    It does not report errors: on anything unexpected it returns None and the caller
    parses the text again with lark, which raises what it always raised.

    Tokens of terminals no rule keeps (``_DOT``, ``_AND``...) are never made: None stands
    for them on the value stack, and the reductions drop them as lark's would.
    """

    def __init__(self, lexer: ContextualLexer, states: Mapping[Any, Mapping[str, Any]], start: Any, end: Any) -> None:
        self.lexer = lexer
        self.start = start
        self.end = end
        self.states = states
        self.rules: list[_Rule] = []
        index: dict[Any, int] = {}
        # Per state: token type -> (_SHIFT, new state) or (rule size, rule index); and the gotos.
        self.actions: dict[Any, dict[str, tuple[int, Any]]] = {}
        self.gotos: dict[Any, dict[str, Any]] = {}
        for state, row in states.items():
            actions: dict[str, tuple[int, Any]] = {}
            gotos: dict[str, Any] = {}
            for name, (action, arg) in row.items():
                if action is Shift:
                    if name.isupper() or name == "$END":
                        actions[name] = (_SHIFT, arg)
                    else:
                        gotos[name] = arg
                else:
                    if arg not in index:
                        index[arg] = len(self.rules)
                        self.rules.append(_Rule(arg))
                    actions[name] = (len(arg.expansion), index[arg])
            self.actions[state] = actions
            self.gotos[state] = gotos
        kept: set[str] = set()
        for r in self.rules:
            kept |= r.kept_terminals
        self.discarded = frozenset(lexer.terminals) - kept
        self.tables: dict[Any, _Table] = {}

    def parse(self, text: str, builder: object) -> Any:
        """The value lark's parser returns for ``text``, or None where lark would raise."""
        specs = []
        for r in self.rules:
            callback = getattr(builder, r.name, None)
            inline = r.inline and callback is None
            specs.append((r.kind(callback is not None), r.include, r.expand1, inline, callback, r.name, r.origin))
        actions, gotos = self.actions, self.gotos
        # Per state: the lexer's match and keyword folding, and the parse actions.
        lexing: dict[Any, tuple[Any, dict[str, dict[str, str]], dict[str, tuple[int, Any]]]] = {}
        multiline = self.lexer.multiline
        discarded = self.discarded
        state_stack = [self.start]
        value_stack: list[Any] = []
        push_state, push_value = state_stack.append, value_stack.append
        end_state = self.end
        pos, line, line_start, end = 0, 1, 0, len(text)
        count, rfind = text.count, text.rfind
        new_str = _new_str
        state = self.start
        type_ = "$END"
        tok: Token | None = None
        while True:
            if pos < end:
                here = lexing.get(state)
                if here is None:
                    table = self.tables.get(state)
                    if table is None:
                        table = self.tables[state] = self.lexer._table(self.states, state)
                    here = lexing[state] = (table.match, table.unless, actions[state])
                match, unless, row = here
                m = match(text, pos, end)
                if m is None:
                    pos = self.lexer.skip_match(text, pos, end).end()
                    if pos < end:
                        return None
                    type_ = "$END"
                else:
                    type_ = m.lastgroup
                    start, token_end = m.span(type_)  # the token is the match's last group
                    if start != pos:
                        newline = rfind("\n", pos, start)
                        if newline >= 0:
                            line += count("\n", pos, start)
                            line_start = newline + 1
                    pos = token_end
                    value: str = m.group(type_)
                    folded = unless.get(type_)
                    if folded is not None:
                        type_ = folded.get(value, type_)
                    if type_ in discarded:  # `.`, `and`, `until`...: no rule keeps them
                        tok = None
                    else:
                        if type_ in multiline and "\n" in value:  # pragma: no cover - no such token here
                            return None
                        tok = new_str(Token, value)
                        tok.type = type_
                        tok.value = value
                        tok.start_pos = start
                        tok.line = tok.end_line = line
                        tok.column = start - line_start + 1
                        tok.end_column = pos - line_start + 1
                        tok.end_pos = pos
            else:
                type_ = "$END"
                row = actions[state]
            while True:
                found = row.get(type_)
                if found is None:
                    return None
                size, arg = found
                if size == _SHIFT:
                    if type_ == "$END":
                        return None
                    push_state(arg)
                    push_value(tok)
                    state = arg
                    break
                kind, include, expand1, inline, callback, name, origin = specs[arg]
                if kind == _PASS:
                    state = gotos[state_stack[-2]][origin]
                    state_stack[-1] = state
                    row = actions[state]
                    continue
                if kind == _SPLICE:
                    only = value_stack[-1]
                    if type(only) is not list:  # a Tree, or a callback's value: lark takes its children
                        value_stack[-1] = only.children
                    state = gotos[state_stack[-2]][origin]
                    state_stack[-1] = state
                    row = actions[state]
                    continue
                if kind == _WRAP:
                    state = gotos[state_stack[-2]][origin]
                    state_stack[-1] = state
                    value_stack[-1] = [value_stack[-1]]
                    row = actions[state]
                    continue
                if kind == _CALL and size == 1:
                    result = callback([value_stack[-1]])
                    value_stack[-1] = result
                    state = gotos[state_stack[-2]][origin]
                    state_stack[-1] = state
                    if state == end_state and type_ == "$END":
                        return result
                    row = actions[state]
                    continue
                if kind == _APPEND or kind == _EXTEND:
                    # What the _GENERAL case does, without building the children's list.
                    last = value_stack[-1]
                    del value_stack[1 - size :]
                    del state_stack[1 - size :]
                    first = value_stack[-1]
                    joined: list[Any] = first if type(first) is list else first.children
                    if kind == _APPEND:
                        joined.append(last)
                    else:
                        sub = last if type(last) is list else last.children
                        if joined:
                            joined += sub
                        else:
                            joined = sub
                    value_stack[-1] = joined
                    state = gotos[state_stack[-2]][origin]
                    state_stack[-1] = state
                    row = actions[state]
                    continue
                if size:
                    children = value_stack[-size:]
                    del state_stack[-size:]
                    del value_stack[-size:]
                else:
                    children = []
                if kind == _CALL:
                    result = callback(children)
                else:
                    if include is not None:
                        kept: list[Any] = []
                        for i, expand in include:
                            if expand:
                                child = children[i]
                                sub = child if type(child) is list else child.children
                                if kept:
                                    kept += sub
                                else:
                                    kept = sub
                            else:
                                kept.append(children[i])
                        children = kept
                    if expand1 and len(children) == 1:
                        result = children[0]
                    elif inline:
                        result = children
                    elif callback is not None:
                        result = callback(children)
                    else:
                        result = Tree(name, children)
                state = gotos[state_stack[-1]][origin]
                push_state(state)
                push_value(result)
                if state == end_state and type_ == "$END":
                    return result
                row = actions[state]
