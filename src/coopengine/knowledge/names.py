"""Reading a licence string that is not an SPDX expression through the name table.

Real SBOMs carry licence names (``Apache License, Version 2.0``), distribution short names
(Fedora's ``GPLv2+``, Debian's ``Expat``), PyPI trove classifiers and URLs where SPDX wants an
expression. The knowledge base's name table (``rules/names/``, plus any ``--kb`` layer) says
which expression each stands for and on whose authority; this module applies it to a whole
string, including the compound forms RPM and trivy write:

* Fedora's legacy ``A and B`` / ``A or B`` with parentheses (the Fedora licensing guidelines
  give ``and`` and ``or`` the meaning of SPDX's AND and OR);
* trivy's comma lists from Debian copyright files (``LGPL-2.1, GPL-2.0``): the licences of
  different files of one package, so all of them apply (AND), and the reading says so.

A string is read only when every part of it is an SPDX id or a mapped name; a part the table
calls ambiguous (``BSD``, ``GPL`` without a version) or does not know leaves the whole string
unread, with the candidates listed. Nothing is ever guessed from similarity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputError
from ..expressions import parse_expression
from .model import KnowledgeBase, NameMapping

__all__ = ["NameReading", "read_licence_name", "mapping_note", "cite", "name_hint"]

_CONNECTIVE_RE = re.compile(r"\s+(and|or)\s+|([()])", re.IGNORECASE)
_MAX_PARTS = 64


@dataclass(frozen=True)
class NameReading:
    """What the name table makes of one string."""

    text: str
    expression: str | None
    """The SPDX expression the whole string reads as; None when some part cannot be read."""
    mappings: tuple[NameMapping, ...] = ()
    """The table entries used, in the order their strings appear."""
    ambiguous: tuple[NameMapping, ...] = ()
    unknown: tuple[str, ...] = ()
    comma_list: bool = False

    @property
    def notes(self) -> tuple[str, ...]:
        """One line per mapped string, as shown to the user and kept in the JSON."""
        out = [mapping_note(m) for m in self.mappings]
        if self.comma_list and self.expression is not None:
            out.append(f"read the comma list {self.text!r} as all of its licences (AND), as a "
                       "list of the licences of a package's files is meant")
        return tuple(out)

    @property
    def problem(self) -> str | None:
        """Why the string could not be read, naming the candidates of an ambiguous part."""
        if self.expression is not None:
            return None
        parts = [f"{m.text!r} may mean any of {', '.join(m.candidates)} ({cite(m)})"
                 for m in self.ambiguous]
        return "; ".join(parts) if parts else None


def mapping_note(m: NameMapping) -> str:
    return f"read {m.text!r} as {m.expression} ({cite(m)})"


def cite(m: NameMapping) -> str:
    """The table entry's source, short enough for a table row: title without its gloss, section."""
    title = m.source.title.split(" (", 1)[0]
    return title + (f", {m.source.section}" if m.source.section else "")


def read_licence_name(text: str, kb: KnowledgeBase) -> NameReading:
    """Read ``text`` through the name table, whole first, then as a compound of names."""
    whole = kb.name(text)
    if whole is not None:
        if whole.expression is not None:
            return NameReading(text, whole.expression, mappings=(_as_written(whole, text),))
        return NameReading(text, None, ambiguous=(_as_written(whole, text),))
    state = _Parts(kb)
    expression = state.compound(text)
    comma = False
    if expression is None and not state.ambiguous and "," in text:
        state = _Parts(kb)
        pieces = [p.strip() for p in text.split(",") if p.strip()]
        read = [state.atom(p) for p in pieces[:_MAX_PARTS]]
        if len(pieces) <= _MAX_PARTS and all(r is not None for r in read):
            expression = " AND ".join(_wrap(r) for r in read if r is not None)
            comma = True
    return NameReading(text, expression, tuple(state.mappings), tuple(state.ambiguous),
                       tuple(state.unknown), comma)


def _as_written(m: NameMapping, text: str) -> NameMapping:
    # Show the string as the SBOM writes it, not as the table does.
    return m._replace(text=text.strip())


def _wrap(expression: str) -> str:
    return f"({expression})" if " " in expression else expression


class _Parts:
    """A small reader of ``A and (B or C)`` over the table, collecting what it used."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.mappings: list[NameMapping] = []
        self.ambiguous: list[NameMapping] = []
        self.unknown: list[str] = []

    def compound(self, text: str) -> str | None:
        tokens = [t for t in _CONNECTIVE_RE.split(text) if t is not None and t.strip()]
        if len(tokens) > 2 * _MAX_PARTS:
            return None
        self.tokens, self.pos = tokens, 0
        result = self.expr()
        if result is None or self.pos != len(tokens):
            return None
        return result

    def expr(self) -> str | None:
        parts, ops = [self.term()], set()
        while self.pos < len(self.tokens) and self.tokens[self.pos].lower() in ("and", "or"):
            ops.add(self.tokens[self.pos].upper())
            self.pos += 1
            parts.append(self.term())
        if any(p is None for p in parts) or len(ops) > 1:
            # Mixed and/or without parentheses has no agreed precedence in RPM fields.
            return None
        if len(parts) == 1:
            return parts[0]
        return f" {ops.pop()} ".join(_wrap(p) for p in parts if p is not None)

    def term(self) -> str | None:
        if self.pos >= len(self.tokens):
            return None
        token = self.tokens[self.pos]
        self.pos += 1
        if token == "(":
            inner = self.expr()
            if self.pos >= len(self.tokens) or self.tokens[self.pos] != ")":
                return None
            self.pos += 1
            return inner
        if token == ")" or token.lower() in ("and", "or"):
            return None
        return self.atom(token)

    def atom(self, text: str) -> str | None:
        text = text.strip()
        try:
            return parse_expression(text, source="licence").normalised
        except InputError:
            pass
        found = self.kb.name(text)
        if found is None:
            self.unknown.append(text)
            return None
        if found.expression is None:
            self.ambiguous.append(_as_written(found, text))
            return None
        self.mappings.append(_as_written(found, text))
        return found.expression


def name_hint(text: str, kb: KnowledgeBase) -> str | None:
    """A "did you mean" for a string that is not SPDX, from the name table (None if it knows nothing).

    Better than a spelling match: ``Expat`` is MIT (Debian), not the similar-looking ``Saxpath``.
    """
    reading = read_licence_name(text, kb)
    if reading.expression is not None:
        return f"did you mean {reading.expression}? ({'; '.join(reading.notes)})"
    if reading.ambiguous:
        return f"{reading.problem}: write the one that applies"
    return None
