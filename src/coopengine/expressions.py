"""SPDX licence expressions: parse, validate against the SPDX list, normalise.

license-expression builds the tree; this module checks what it accepts too readily
(``Apache-2.0 WITH MIT``, ``MIT Apache-2.0`` read as one id, unknown ids), maps ids to their
canonical spelling and deprecated ids to current ones (with a note), and keeps every choice
the user wrote: alternatives are deduplicated, never simplified away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Union

from . import _cache, _spdx
from .errors import InputError, Location, did_you_mean

__all__ = [
    "Leaf",
    "And",
    "Or",
    "Expression",
    "ParsedExpression",
    "Vocabulary",
    "parse_expression",
    "vocabulary",
    "leaves",
    "render",
]

MAX_EXPRESSION_CHARS = 100_000

# SPDX's own deprecations, as the SPDX License List's deprecation notes give them.
DEPRECATED: dict[str, str] = {
    "AGPL-1.0": "AGPL-1.0-only",
    "AGPL-3.0": "AGPL-3.0-only",
    # The SPDX list deprecates BSD-2-Clause-FreeBSD in favour of BSD-2-Clause-Views (its FreeBSD
    # variant carries the "views and conclusions" sentence), not of plain BSD-2-Clause.
    "BSD-2-Clause-FreeBSD": "BSD-2-Clause-Views",
    "BSD-2-Clause-NetBSD": "BSD-2-Clause",
    "bzip2-1.0.5": "bzip2-1.0.6",
    "eCos-2.0": "GPL-2.0-or-later WITH eCos-exception-2.0",
    "GFDL-1.1": "GFDL-1.1-only",
    "GFDL-1.2": "GFDL-1.2-only",
    "GFDL-1.3": "GFDL-1.3-only",
    "GPL-1.0": "GPL-1.0-only",
    "GPL-1.0+": "GPL-1.0-or-later",
    "GPL-2.0": "GPL-2.0-only",
    "GPL-2.0+": "GPL-2.0-or-later",
    "GPL-2.0-with-autoconf-exception": "GPL-2.0-only WITH Autoconf-exception-2.0",
    "GPL-2.0-with-bison-exception": "GPL-2.0-or-later WITH Bison-exception-2.2",
    "GPL-2.0-with-classpath-exception": "GPL-2.0-only WITH Classpath-exception-2.0",
    "GPL-2.0-with-font-exception": "GPL-2.0-only WITH Font-exception-2.0",
    "GPL-2.0-with-GCC-exception": "GPL-2.0-only WITH GCC-exception-2.0",
    "GPL-3.0": "GPL-3.0-only",
    "GPL-3.0+": "GPL-3.0-or-later",
    "GPL-3.0-with-autoconf-exception": "GPL-3.0-only WITH Autoconf-exception-3.0",
    "GPL-3.0-with-GCC-exception": "GPL-3.0-only WITH GCC-exception-3.1",
    "LGPL-2.0": "LGPL-2.0-only",
    "LGPL-2.0+": "LGPL-2.0-or-later",
    "LGPL-2.1": "LGPL-2.1-only",
    "LGPL-2.1+": "LGPL-2.1-or-later",
    "LGPL-3.0": "LGPL-3.0-only",
    "LGPL-3.0+": "LGPL-3.0-or-later",
    "Net-SNMP": "Net-SNMP",
    "Nunit": "zlib-acknowledgement",
    "StandardML-NJ": "SMLNJ",
    "wxWindows": "LGPL-2.0-or-later WITH WxWindows-exception-3.1",
}

SPECIAL = ("NONE", "NOASSERTION")
_REF = re.compile(r"^(?:DocumentRef-[A-Za-z0-9.\-]+:)?LicenseRef-[A-Za-z0-9.\-]+$", re.IGNORECASE)
_TOKEN = re.compile(r"\(|\)|[^\s()]+")
_KEYWORDS = {"AND", "OR", "WITH"}


@dataclass(frozen=True)
class Leaf:
    """One licence, possibly with an exception. ``plus`` keeps a ``+`` that has no -or-later id."""

    id: str
    exception: str | None = None
    plus: bool = False

    @property
    def key(self) -> str:
        return self.id + ("+" if self.plus else "")

    def __str__(self) -> str:
        return self.key + (f" WITH {self.exception}" if self.exception else "")


@dataclass(frozen=True)
class And:
    parts: tuple[Expression, ...]

    def __str__(self) -> str:
        return render(self)


@dataclass(frozen=True)
class Or:
    parts: tuple[Expression, ...]

    def __str__(self) -> str:
        return render(self)


Expression = Union[Leaf, And, Or]  # noqa: UP007 - used at runtime in isinstance-free code


@dataclass(frozen=True)
class ParsedExpression:
    text: str
    expression: Expression
    notes: tuple[str, ...] = ()

    @property
    def normalised(self) -> str:
        return render(self.expression)

    def __str__(self) -> str:
        return self.normalised


@dataclass(frozen=True)
class Vocabulary:
    """Canonical spellings, looked up by lower-cased id."""

    licences: dict[str, str]
    exceptions: dict[str, str]
    deprecated: dict[str, str]  # lower-cased deprecated id -> its replacement expression text
    or_later: frozenset[str]  # canonical ids that have an "-or-later" sibling

    def licence(self, word: str) -> str | None:
        return self.licences.get(word.lower())

    def exception(self, word: str) -> str | None:
        return self.exceptions.get(word.lower())


def _build_vocabulary() -> Vocabulary:
    licences, exceptions = _spdx.spdx_ids()
    lic = {k.lower(): k for k, v in licences.items() if not v["deprecated"]}
    exc = {k.lower(): k for k, v in exceptions.items() if not v["deprecated"]}
    dep = {k.lower(): v for k, v in DEPRECATED.items()}
    for k, v in licences.items():
        if v["deprecated"] and k.lower() not in dep:
            dep[k.lower()] = k
    or_later = frozenset(k[: -len("-or-later")] for k in lic.values() if k.endswith("-or-later"))
    return Vocabulary(lic, exc, dep, or_later)


def _encode_vocabulary(v: Vocabulary) -> Any:
    return [v.licences, v.exceptions, v.deprecated, sorted(v.or_later)]


def _decode_vocabulary(data: Any) -> Vocabulary:
    licences, exceptions, deprecated, or_later = data
    for table in (licences, exceptions, deprecated):
        if type(table) is not dict or not all(type(k) is str and type(x) is str for k, x in table.items()):
            raise _cache.BadEntry("expected a mapping of strings")
    if type(or_later) is not list or not all(type(x) is str for x in or_later):
        raise _cache.BadEntry("expected a list of strings")
    return Vocabulary(licences, exceptions, deprecated, frozenset(or_later))


@cache
def vocabulary() -> Vocabulary:
    return _cache.cached("vocabulary", _spdx.data_stamp(), _build_vocabulary, _encode_vocabulary, _decode_vocabulary)


def vocabulary_entry() -> tuple[str, bytes]:
    """The vocabulary's name and file form, built now (for the wheel's build hook)."""
    return "vocabulary", _cache.entry_bytes("vocabulary", _spdx.data_stamp(), _encode_vocabulary(_build_vocabulary()))


def _fail(
    text: str, source: str, message: str, start: int | None, end: int | None = None, **kw: str | None
) -> InputError:
    col = None if start is None else start + 1
    end_col = None if end is None else end + 1
    return InputError(
        message,
        location=Location(source, 1, col, end_col),
        source_line=text,
        **kw,
    )


_EXPECTED_ID = "an SPDX licence id (e.g. MIT), LicenseRef-..., NONE or NOASSERTION"


def _check_tokens(text: str, source: str, vocab: Vocabulary) -> None:
    """Catch what license-expression accepts or reports without a position."""
    depth = 0
    opened: list[int] = []
    prev: str | None = None  # "sym", "op", "with", "(", ")"
    excepted = False  # the last symbol was an exception (after WITH)
    for m in _TOKEN.finditer(text):
        tok, start, end = m.group(), m.start(), m.end()
        upper = tok.upper()
        if tok == "(":
            if prev in ("sym", ")"):
                raise _fail(text, source, "missing operator before '('", start, end, expected="AND or OR")
            if prev == "with":
                raise _fail(text, source, "expected an exception id after WITH", start, end, expected="an exception id")
            opened.append(start)
            depth += 1
            if depth > 100:
                raise _fail(text, source, "parentheses nested too deeply (more than 100)", start, end)
            prev = "("
        elif tok == ")":
            if not opened:
                raise _fail(text, source, "')' without a matching '('", start, end, expected="a licence id or AND/OR")
            if prev in ("op", "with", "("):
                raise _fail(text, source, "expected a licence id before ')'", start, end, expected=_EXPECTED_ID)
            opened.pop()
            depth -= 1
            prev = ")"
        elif upper in _KEYWORDS:
            if prev in (None, "op", "with", "("):
                raise _fail(text, source, f"{upper} needs a licence on its left", start, end, expected=_EXPECTED_ID)
            if upper == "WITH" and prev == ")":
                raise _fail(text, source, "WITH applies to one licence, not to a parenthesised group", start, end)
            if upper == "WITH" and excepted:
                raise _fail(text, source, "a licence takes at most one WITH exception", start, end,
                            expected="AND or OR", hint="to name two exceptions, write (A WITH X) AND (A WITH Y)")
            prev = "with" if upper == "WITH" else "op"
        else:
            if prev in ("sym", ")"):
                raise _fail(text, source, f"missing operator before {tok!r}", start, end,
                            expected="AND, OR or WITH between licences")
            excepted = prev == "with"
            if excepted:
                _check_exception(text, source, tok, start, end, vocab)
            else:
                _check_licence(text, source, tok, start, end, vocab)
            prev = "sym"
    if opened:
        raise _fail(text, source, "'(' is never closed", opened[-1], opened[-1] + 1, expected="')'")
    if prev in ("op", "with"):
        end = len(text.rstrip())
        raise _fail(
            text, source, "the expression ends after an operator", end, end + 1, expected=_EXPECTED_ID
        )


def _check_licence(text: str, source: str, tok: str, start: int, end: int, vocab: Vocabulary) -> None:
    if tok.upper() in SPECIAL or _REF.match(tok):
        return
    base = tok[:-1] if tok.endswith("+") else tok
    if vocab.licence(base) or tok.lower() in vocab.deprecated or base.lower() in vocab.deprecated:
        return
    if vocab.exception(tok):
        raise _fail(
            text,
            source,
            f"{vocab.exception(tok)} is an exception, not a licence",
            start,
            end,
            expected="a licence id before WITH, e.g. GPL-2.0-only WITH " + str(vocab.exception(tok)),
        )
    bad = re.search(r"[^A-Za-z0-9.+\-:]", tok)
    if bad:
        what = "a byte that is not UTF-8 text" if "\udc80" <= bad.group() <= "\udcff" else "an invalid character"
        raise _fail(text, source, f"{what} in '{tok}'", start, end, expected="letters, digits, '.', '-' and '+'")
    hits = did_you_mean(base, list(vocab.licences.values()) + list(DEPRECATED))
    raise _fail(
        text,
        source,
        f"unknown licence id {tok!r}",
        start,
        end,
        expected=_EXPECTED_ID,
        hint=("did you mean " + " or ".join(hits) + "?") if hits else "custom licences are written LicenseRef-NAME",
    )


def _check_exception(text: str, source: str, tok: str, start: int, end: int, vocab: Vocabulary) -> None:
    if vocab.exception(tok) or _REF.match(tok.replace("AdditionRef-", "LicenseRef-")):
        return
    if vocab.licence(tok) or tok.upper() in SPECIAL:
        raise _fail(
            text,
            source,
            f"{vocab.licence(tok) or tok} is a licence, not an exception: WITH must name an exception",
            start,
            end,
            expected="an SPDX exception id (e.g. Classpath-exception-2.0)",
            hint="to combine two licences use AND or OR",
        )
    hits = did_you_mean(tok, list(vocab.exceptions.values()))
    raise _fail(
        text,
        source,
        f"unknown exception id {tok!r}",
        start,
        end,
        expected="an SPDX exception id (e.g. Classpath-exception-2.0)",
        hint=("did you mean " + " or ".join(hits) + "?") if hits else None,
    )


def parse_expression(text: str, *, source: str = "<expression>") -> ParsedExpression:
    """Parse and normalise ``text``; raise :class:`InputError` with the column on any problem."""
    if not isinstance(text, str):
        raise InputError("a licence expression must be text", location=Location(source))
    if len(text) > MAX_EXPRESSION_CHARS:
        raise InputError(
            f"expression too long ({len(text)} characters; the limit is {MAX_EXPRESSION_CHARS})",
            location=Location(source),
        )
    if not text.strip():
        raise InputError("empty licence expression", location=Location(source, 1, 1), expected=_EXPECTED_ID)
    if any(ch in text for ch in "\r\n\x00"):
        pos = min(i for i, ch in enumerate(text) if ch in "\r\n\x00")
        raise _fail(text.replace("\x00", " "), source, "line breaks and control characters are not allowed", pos)
    vocab = vocabulary()
    _check_tokens(text, source, vocab)
    try:
        tree = _spdx.parse_tree(text)
    except _spdx.ParseFailure as exc:
        raise _fail(text, source, f"invalid expression: {exc.message}", exc.position) from None
    if tree is None:
        raise InputError("empty licence expression", location=Location(source, 1, 1), expected=_EXPECTED_ID)
    notes: list[str] = []
    try:
        expr = _dedupe(_build(tree, vocab, notes))
    except InputError as exc:
        if exc.location.file is None:  # raised deep in the tree: give it the expression's place
            exc.location, exc.source_line = Location(source, 1), text
        raise
    if not isinstance(expr, Leaf):
        special = sorted({leaf.id for leaf in leaves(expr)} & set(SPECIAL))
        if special:
            # SPDX lets NONE and NOASSERTION stand only alone, as the whole value of a field.
            notes.append(f"{' and '.join(special)} combined with other terms is not valid SPDX "
                         "(NONE and NOASSERTION must stand alone); each term is read as written")
    return ParsedExpression(text, expr, tuple(dict.fromkeys(notes)))


def _build(tree: _spdx.Tree, vocab: Vocabulary, notes: list[str]) -> Expression:
    kind = tree[0]
    if kind in ("and", "or"):
        parts = tuple(_build(t, vocab, notes) for t in tree[1])
        return And(parts) if kind == "and" else Or(parts)
    key: str = tree[1]
    exc_key: str | None = tree[2]
    leaf = _leaf(key, vocab, notes)
    if exc_key is None:
        return leaf
    exc = vocab.exception(exc_key) or exc_key
    if not isinstance(leaf, Leaf) or leaf.exception:
        # A deprecated id that already carries an exception cannot take a second one.
        raise InputError(f"{key} already includes an exception; WITH {exc} cannot be added")
    return Leaf(leaf.id, exc, leaf.plus)


def _leaf(key: str, vocab: Vocabulary, notes: list[str]) -> Expression:
    upper = key.upper()
    if upper in SPECIAL:
        return Leaf(upper)
    if _REF.match(key):
        return Leaf(_canonical_ref(key))
    if key.lower() in vocab.deprecated:
        replacement = vocab.deprecated[key.lower()]
        if replacement.lower() != key.lower():
            notes.append(f"deprecated id {key} read as {replacement}")
            return _leaf_from_text(replacement, vocab)
        notes.append(f"{key} is a deprecated SPDX id")
        return Leaf(key)
    plus = key.endswith("+")
    base = key[:-1] if plus else key
    canonical = vocab.licence(base)
    if canonical is None and base.lower() in vocab.deprecated:
        replaced = _leaf_from_text(vocab.deprecated[base.lower()], vocab)
        notes.append(f"deprecated id {base} read as {replaced}")
        if isinstance(replaced, Leaf):
            canonical = replaced.id
    if canonical is None:
        raise InputError(f"unknown licence id {key!r}")
    if canonical != base and canonical.lower() == base.lower():
        notes.append(f"{base} read as {canonical} (SPDX ids are matched without regard to case)")
    if plus:
        stem = canonical[: -len("-only")] if canonical.endswith("-only") else canonical
        if stem in vocab.or_later:
            notes.append(f"{key} read as {stem}-or-later")
            return Leaf(stem + "-or-later")
        return Leaf(canonical, plus=True)
    return Leaf(canonical)


def _leaf_from_text(text: str, vocab: Vocabulary) -> Leaf:
    lic, _, exc = text.partition(" WITH ")
    return Leaf(lic, exc or None)


def _canonical_ref(key: str) -> str:
    doc, sep, ref = key.rpartition(":")
    ref = "LicenseRef-" + ref[len("LicenseRef-") :]
    if sep:
        return "DocumentRef-" + doc[len("DocumentRef-") :] + ":" + ref
    return ref


def _dedupe(expr: Expression) -> Expression:
    """Flatten nested same operators and drop repeated operands, keeping the user's order."""
    if isinstance(expr, Leaf):
        return expr
    kind = type(expr)
    flat: list[Expression] = []
    for part in expr.parts:
        part = _dedupe(part)
        if type(part) is kind:
            flat.extend(part.parts)
        else:
            flat.append(part)
    unique = tuple(dict.fromkeys(flat))
    if len(unique) == 1:
        return unique[0]
    return kind(unique)


def render(expr: Expression) -> str:
    if isinstance(expr, Leaf):
        return str(expr)
    op = " AND " if isinstance(expr, And) else " OR "
    out = []
    for part in expr.parts:
        text = render(part)
        if not isinstance(part, Leaf):
            text = f"({text})"
        out.append(text)
    return op.join(out)


def leaves(expr: Expression) -> tuple[Leaf, ...]:
    """Every distinct leaf, in the order written."""
    if isinstance(expr, Leaf):
        return (expr,)
    seen: dict[Leaf, None] = {}
    for part in expr.parts:
        for leaf in leaves(part):
            seen.setdefault(leaf, None)
    return tuple(seen)
