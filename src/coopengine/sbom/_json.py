"""JSON decoding with errors that point at the file, line and column; duplicate keys and non-finite numbers refused.

The standard library keeps the last of two equal keys, so an SBOM could show Apache-2.0 to a
viewer that keeps the first and be decided here as AGPL-3.0-only: a duplicate is an error,
named at the second key's line. ``NaN``, ``Infinity`` and numbers that overflow to infinity
are not JSON (RFC 8259) and are refused; integers too long to convert are refused below.

The duplicate check is a hook on every object. On a 100,000-package SPDX document
(``bench/gen_sbom.py``, 61 MB), ``json.loads`` takes 0.31-0.35 s with it against 0.21-0.24 s
plain, and 0.32 s with ``dict`` itself as the hook: the cost is the list of pairs the decoder
builds for any hook, not the check (issue 16, 2-core machine, load 0.9). Checks made after a
plain decode cost more than that: counting the keys of the decoded objects and the ``":``
of the text took 0.06 + 0.055 s, and the ``"`` followed by blanks and ``:`` that such a count
misses another 0.07 s. So the hook stays. Positions are only looked for on the error path, by
:func:`_locate`.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from ..errors import long_number_at, too_many_digits
from ._source import Source


class _Refused(ValueError):
    def __init__(self, what: str, token: str) -> None:
        super().__init__(what)
        self.what = what
        self.token = token


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        key = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise _Refused("duplicate key", key)
    return out


def _float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _Refused("a number too large to represent", text)
    return value


def _constant(text: str) -> Any:
    raise _Refused(f"{text} (not a JSON number)", text)


def decode(source: Source) -> object:
    try:
        return json.loads(source.text, object_pairs_hook=_object, parse_float=_float,
                          parse_constant=_constant)
    except _Refused as err:
        raise _refused(source, err) from None
    except json.JSONDecodeError as err:
        if err.msg == "Extra data":
            try:
                return _first_document(source, err)
            except _Refused as refused:
                raise _refused(source, refused) from None
        # An unterminated string runs to the end of the file, so it is truncation too.
        truncated = err.pos >= len(source.text.rstrip()) or err.msg.startswith("Unterminated string")
        raise source.error(
            f"malformed JSON: {err.msg}" + (" (the file looks truncated)" if truncated else ""),
            line=err.lineno,
            column=err.colno,
            expected="a complete JSON document",
        ) from err
    except ValueError as err:
        digits = too_many_digits(err)
        if digits is None:
            raise
        line, column = long_number_at(source.text)
        raise source.error(digits, line=line, column=column) from None
    except RecursionError as err:
        raise source.error("malformed JSON: nested too deeply", expected="a JSON SBOM") from err


def _refused(source: Source, err: _Refused) -> Exception:
    at, first = _locate(source.text, err)
    line, column = _line_column(source.text, at)
    shown = err.token if len(err.token) <= 40 else err.token[:37] + "..."
    if err.what == "duplicate key":
        before = f" (first at line {_line_column(source.text, first)[0]})" if first is not None else ""
        message, expected = f"duplicate key {shown!r}{before}", "each key once in an object"
    else:
        message, expected = err.what, "a finite JSON number"
    return source.error(f"malformed JSON: {message}", line=line, column=column, text=shown, expected=expected)


_TOKEN_RE = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s"{}\[\]:,]+')


def _locate(text: str, err: _Refused) -> tuple[int | None, int | None]:
    """Offsets of the refused token and, for a duplicate key, of its first use in the same object."""
    stack: list[dict[str, int] | None] = []  # per open object its keys and their offsets; None per array
    previous = ""
    for match in _TOKEN_RE.finditer(text):
        token = match.group()
        if token == "{" or token == "[":
            stack.append({} if token == "{" else None)
        elif token == "}" or token == "]":
            if stack:
                stack.pop()
        elif token.startswith('"'):
            keys = stack[-1] if stack else None
            if keys is not None and previous in ("{", ","):  # a key, not a value
                try:
                    key = json.loads(token)
                except ValueError:
                    key = token
                if err.what == "duplicate key" and key == err.token and key in keys:
                    return match.start(), keys[key]
                keys.setdefault(key, match.start())
        elif err.what != "duplicate key" and token == err.token:
            return match.start(), None
        previous = token
    return None, None


def _line_column(text: str, offset: int | None) -> tuple[int | None, int | None]:
    if offset is None:
        return None, None
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1
def _first_document(source: Source, err: json.JSONDecodeError) -> object:
    """A complete JSON document followed by other text (a web page's footer pasted after it,
    seen in a real Microsoft SBOM): the document is read and the rest reported."""
    source.lenient(
        "text after the end of the JSON document is ignored",
        line=err.lineno,
        text=source.text[err.pos : err.pos + 40],
        expected="nothing after the JSON document",
    )
    strict = json.JSONDecoder(object_pairs_hook=_object, parse_float=_float, parse_constant=_constant)
    return strict.raw_decode(source.text.lstrip())[0]
