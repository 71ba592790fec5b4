"""Diagnostics: problems found in coop files, returned as data (never raised).

Codes are stable: E1xx syntax and structure, E2xx names, E3xx values, W4xx warnings.
docs/language.md lists each with an example; ``CODES`` is the source of truth.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from coopengine.errors import caret_excerpt, clip

from .model import Span

Severity = Literal["error", "warning"]

CODES: Mapping[str, str] = {
    # syntax and structure
    "E100": "the file cannot be read (missing, too large, not UTF-8)",
    "E101": "unexpected token",
    "E102": "unexpected character",
    "E103": "unexpected end of file (a block is not closed)",
    "E104": "unterminated string",
    "E105": "condition nested too deeply",
    "E106": "statement given twice in one block",
    "E107": "required statement missing",
    "E108": "statement not allowed here",
    "E109": "invalid date or number",
    "E110": "control character (NUL, ESC, DEL...) in the file",
    "E111": "invisible or bidirectional control character",
    # names
    "E201": "duplicate id",
    "E202": "undefined party",
    "E203": "undefined agreement",
    "E204": "undefined clause",
    "E205": "`exception to` cycle",
    "E206": "`exception to` a guardrail",
    "E207": "`exception to` a clause of an agreement that is not refined",
    "E208": "party listed twice, or fewer than two parties",
    "E209": "precedence or refines cycle, or contradicting precedence",
    "E210": "`waive` of an obligation the base clause does not have",
    # values
    "E301": "unknown path",
    "E302": "unknown value",
    "E303": "comparison that does not fit the path's type",
    "E304": "invalid SPDX licence expression",
    "E305": "`until` before `effective`",
    "E306": "guardrail that does not deny or require an MOU",
    "E307": "unknown party kind or jurisdiction",
    "E308": "unknown component field",
    # warnings
    "W401": "clauses that can both apply with different effects",
    "W402": "clause that can never apply",
    "W403": "clause always shadowed by a guardrail",
    "W404": "agreement expired on the decision date",
    "W405": "agreement expiring within 90 days",
    "W406": "clause without `ref`",
    "W407": "party declared but never used",
    "W408": "clause defeated by an exception in every case",
    "W409": "tender requirements that contradict each other",
    "W410": "agreement not yet in force on the decision date",
    "W411": "the file declares nothing (empty, or comments only)",
    "W412": "licence id read differently (deprecated, or spelled in another case)",
    "W413": "word that mixes scripts (look-alike letters)",
}


@dataclass(frozen=True)
class Diagnostic:
    """One finding at one place. ``example`` is a fact set that shows a warning happening."""

    code: str
    severity: Severity
    message: str
    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    source_line: str | None = None
    expected: str | None = None
    hint: str | None = None
    example: dict[str, object] | None = field(default=None, compare=False)
    related: tuple[tuple[str, int, int], ...] = ()

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.code)

    def render(self) -> str:
        """``file:line:col: CODE message``, the line with a caret, expected, hint, example."""
        out = [f"{clip(self.file)}:{self.line}:{self.column}: {self.code} {clip(self.message)}"]
        if self.source_line is not None:
            end = self.end_column if self.end_line == self.line and self.end_column > self.column else None
            out.append(caret_excerpt(self.source_line, self.column, end))
        if self.expected:
            out.append(f"  expected: {self.expected}")
        if self.hint:
            out.append(f"  hint: {self.hint}")
        if self.example is not None:
            out.append("  example (scenario facts):")
            out.extend("    " + line for line in to_yaml(self.example).splitlines())
        return "\n".join(out)

    def to_dict(self) -> dict[str, object]:
        out = dataclasses.asdict(self)  # every field, in order
        out["related"] = [{"file": f, "line": ln, "column": c} for f, ln, c in self.related]
        return out


def make(
    code: str,
    message: str,
    span: Span,
    *,
    lines: Mapping[str, tuple[str, ...]] | None = None,
    expected: str | None = None,
    hint: str | None = None,
    example: dict[str, object] | None = None,
    related: tuple[Span, ...] = (),
) -> Diagnostic:
    """Build a diagnostic at ``span``; ``lines`` (file -> source lines) fills the excerpt."""
    source_line = None
    if lines is not None and span.file in lines:
        file_lines = lines[span.file]
        if 1 <= span.line <= len(file_lines):
            source_line = file_lines[span.line - 1]
    return Diagnostic(
        code=code,
        severity="warning" if code.startswith("W") else "error",
        message=message,
        file=span.file,
        line=span.line,
        column=span.column,
        end_line=span.end_line,
        end_column=span.end_column,
        source_line=source_line,
        expected=expected,
        hint=hint,
        example=example,
        related=tuple((s.file, s.line, s.column) for s in related),
    )


def to_yaml(data: Mapping[str, object], indent: int = 0) -> str:
    """A tiny, dependency-free YAML writer for example fact sets (strings, bools, maps)."""
    pad = "  " * indent
    out: list[str] = []
    for key, value in data.items():
        if isinstance(value, Mapping):
            out.append(f"{pad}{key}:")
            out.append(to_yaml(value, indent + 1))
        else:
            out.append(f"{pad}{key}: {_scalar(value)}")
    return "\n".join(line for line in out if line)


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    text = str(value)
    plain = text.replace("-", "").replace(".", "").replace("_", "").isalnum()
    if plain and text not in {"true", "false", "null", "yes", "no", "on", "off"} and not text[0].isdigit():
        return text
    if isinstance(value, int | float) or _is_date(text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _is_date(text: str) -> bool:
    return len(text) == 10 and text[4] == "-" and text[7] == "-" and text.replace("-", "").isdigit()
