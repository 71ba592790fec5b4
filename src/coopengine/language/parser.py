"""Text -> :class:`Module`, with several syntax errors per file and hints for common slips.

After a syntax error the parser resynchronises at the next line that starts with a
top-level keyword (``party``, ``agreement``, ...) and carries on, so one run reports one
error per broken top-level statement instead of stopping at the first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from coopengine.errors import did_you_mean

from .._gc import paused
from . import vocab
from .diagnostics import Diagnostic, make
from .model import Module, Span

_RESYNC = re.compile(r"^[ \t]*(?:" + "|".join(vocab.TOP_LEVEL_KEYWORDS) + r")\b", re.MULTILINE)
_EFFECTS = {"PERMIT", "DENY", "REQUIRE_MOU"}
_TOP_TOKENS = {k.upper() for k in vocab.TOP_LEVEL_KEYWORDS}
MAX_ERRORS_PER_FILE = 20


@dataclass(frozen=True)
class SyntaxProblem(Exception):
    """Why a piece of text did not parse, in lark-free terms."""

    kind: str  # "token", "char", "eof" or "depth"
    line: int
    column: int
    end_column: int = 0
    text: str = ""
    token_type: str = ""
    expected: frozenset[str] = frozenset()


def split_lines(text: str) -> tuple[str, ...]:
    """Source lines without their terminators (LF or CRLF)."""
    return tuple(line.rstrip("\r") for line in text.split("\n"))


def normalise(text: str) -> str:
    """Drop a BOM; keep everything else so that columns match the user's editor."""
    return text[1:] if text.startswith("\ufeff") else text





@paused()
def parse_text(
    text: str, file: str = "<string>", *, lines: tuple[str, ...] | None = None
) -> tuple[Module | None, list[Diagnostic]]:
    """Parse one file's text. The module is None if there was any syntax error.

    ``lines``: ``split_lines(text)``, if the caller already has them.
    """
    from ._lark import parse_items  # lark only when text is parsed, not for the model

    text = normalise(text)
    lines = split_lines(text) if lines is None else lines
    diagnostics: list[Diagnostic] = []
    items: list[object] = []
    offset = 0  # index in `text` where the current attempt starts
    failed = False
    while True:
        # Blank out what came before so that lark's lines and columns stay the file's own.
        attempt = "\n" * text.count("\n", 0, offset) + text[offset:]
        try:
            parsed, structural = parse_items(attempt, file, lines)
        except SyntaxProblem as problem:
            failed = True
            diagnostics.append(_syntax_diagnostic(problem, file, lines, attempt))
            resume = _resume_offset(text, lines, problem)
            if resume is None or resume <= offset or len(diagnostics) >= MAX_ERRORS_PER_FILE:
                break
            offset = resume
            continue
        diagnostics.extend(structural)
        items.extend(parsed)
        break
    if failed:
        return None, diagnostics
    module = Module(file, tuple(items))  # type: ignore[arg-type]
    return module, diagnostics


def _resume_offset(text: str, lines: Sequence[str], problem: SyntaxProblem) -> int | None:
    """The start of the next line after the error that opens a top-level statement."""
    if problem.kind == "eof":
        return None
    start = _offset(text, max(problem.line, 1) + 1, 1)  # first character of the next line
    match = _RESYNC.search(text, min(start, len(text)))
    return match.start() if match else None


def _syntax_diagnostic(problem: SyntaxProblem, file: str, lines: Sequence[str], attempt: str) -> Diagnostic:
    table = {file: tuple(lines)}
    expected = vocab.expected_words(problem.expected) if problem.expected else None
    if problem.kind == "eof":
        last = len(lines)
        while last > 1 and not lines[last - 1].strip():
            last -= 1
        col = len(lines[last - 1]) + 1 if lines else 1
        span = Span(file, last, col, last, col + 1)
        opened = _open_brace(attempt, len(attempt))
        hint = (
            f"the `{{` opened at line {opened[0]}, column {opened[1]} is never closed: add `}}`"
            if opened and "_RBRACE" in problem.expected
            else None
        )
        return make("E103", "unexpected end of file", span, lines=table, expected=expected, hint=hint)
    span = Span(file, problem.line, problem.column, problem.line, max(problem.end_column, problem.column + 1))
    if problem.kind == "depth":
        return make(
            "E105",
            f"condition nested more than {100} levels deep",
            span,
            lines=table,
            hint="split the condition into several clauses or simplify it",
        )
    if problem.kind == "char":
        return _char_diagnostic(problem, span, table, expected)
    hint = _token_hint(problem, attempt, lines)
    shown = problem.text if len(problem.text) <= 40 else problem.text[:37] + "..."
    return make("E101", f"unexpected `{shown}`", span, lines=table, expected=expected, hint=hint)


def _char_diagnostic(
    problem: SyntaxProblem, span: Span, table: dict[str, tuple[str, ...]], expected: str | None
) -> Diagnostic:
    char = problem.text
    line = table[span.file][span.line - 1] if 0 < span.line <= len(table[span.file]) else ""
    rest = line[span.column - 1 :]
    if char == '"':
        return make(
            "E104",
            "unterminated string",
            span,
            lines=table,
            hint='close the string with `"` on the same line; write \\" for a quote inside it',
        )
    hint: str | None = None
    word = re.match(r"[A-Za-z][A-Za-z0-9_-]*", rest)
    day = re.search(r"[0-9]{4}-[0-9]{2}-[0-9]{2}$", line[: span.column - 1])
    if day and re.match(r"T[0-9]", rest):
        return make("E109", f"{day.group()}{rest.split()[0]} is a date and time; a date is expected here", span,
                    lines=table, expected="a date YYYY-MM-DD", hint=f"write `{day.group()}`")
    if char == "'":
        hint = "strings use double quotes"
    elif rest.startswith("&&") or rest.startswith("||") or char == "!" and not rest.startswith("!="):
        hint = "write `and`, `or`, `not`"
    elif char == "=" and not rest.startswith("=="):
        hint = "compare with `==`"
    elif word and any(c.isupper() or c == "_" for c in word.group()):
        fixed = word.group().lower().replace("_", "-")
        if "JURISDICTION_CODE" in problem.expected:
            hint = "a jurisdiction is an ISO 3166 code in capitals, such as `FR` or `US-MD`"
        elif "STRING" in problem.expected:
            hint = "put text in double quotes"
        else:
            hint = f"identifiers are lower case with `-`: write `{fixed}`, or quote it as a string"
    shown = word.group() if word else char
    return make(
        "E102",
        f"unexpected character `{char}`" if not word else f"unexpected `{shown}`",
        span,
        lines=table,
        expected=expected,
        hint=hint,
    )


def _token_hint(problem: SyntaxProblem, attempt: str, lines: Sequence[str]) -> str | None:
    tok, expected, text = problem.token_type, problem.expected, problem.text
    if tok in _EFFECTS and "THEN" in expected:
        return f"missing `then`: write `then {text}`"
    if tok in _EFFECTS and "WHEN" in expected:
        return f"an effect needs `then`: write `then {text}`"
    if "_RBRACE" in expected and (tok in _TOP_TOKENS or tok in {"CLAUSE", "GUARDRAIL", "REQUIREMENT"}):
        offset = _offset(attempt, problem.line, problem.column)
        opened = _open_brace(attempt, offset)
        if opened:
            where = f"line {opened[0]}, column {opened[1]}"
            return f"the `{{` opened at {where} is not closed: add `}}` before this line"
    if tok == "_RBRACE" and not any(e.startswith("_R") for e in expected):
        return "this `}` closes nothing: remove it or check the braces above"
    if tok == "IDENT":
        words = [vocab.terminal_words(e).strip("`") for e in expected]
        keywords = [w for w in words if w in vocab.KEYWORDS]
        close = did_you_mean(text, keywords) or did_you_mean(text, vocab.KEYWORDS)
        if close:
            return f"did you mean `{close[0]}`?"
        if "STRING" in expected:
            return f'put text in double quotes: "{text}"'
    if tok == "COMPARE" and text == "=":
        return "compare with `==`"
    if "STRING" in expected and tok in {"IDENT", "NUMBER", "DATE"}:
        return f'put text in double quotes: "{text}"'
    if tok == "DATE" and "COMPARE" in expected:
        return "compare dates with `<`, `<=`, `>`, `>=`, `==`"
    return None


def _offset(text: str, line: int, column: int) -> int:
    pos = 0
    for _ in range(line - 1):
        nxt = text.find("\n", pos)
        if nxt < 0:
            return len(text)
        pos = nxt + 1
    return pos + column - 1


def _open_brace(text: str, end: int) -> tuple[int, int] | None:
    """Line and column of the innermost ``{`` still open at ``end`` (strings, comments skipped)."""
    stack: list[tuple[int, int]] = []
    for number, line in enumerate(text[:end].split("\n"), start=1):
        for index, ch in code_characters(line, "{}"):
            if ch == "{":
                stack.append((number, index + 1))
            elif stack:
                stack.pop()
    return stack[-1] if stack else None


def code_characters(line: str, wanted: str) -> Iterator[tuple[int, str]]:
    """Each character of ``line`` in ``wanted`` outside strings, with its index, up to the ``#``
    that starts a comment (given too if wanted). Strings never span lines."""
    in_string = escaped = False
    for index, ch in enumerate(line):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in wanted:
            yield index, ch
        if ch == "#" and not in_string:
            return
