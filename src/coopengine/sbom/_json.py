"""JSON decoding with errors that point at the file, line and column."""

from __future__ import annotations

import json

from ..errors import long_number_at, too_many_digits
from ._source import Source


def decode(source: Source) -> object:
    try:
        return json.loads(source.text)
    except json.JSONDecodeError as err:
        if err.msg == "Extra data":
            return _first_document(source, err)
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


def _first_document(source: Source, err: json.JSONDecodeError) -> object:
    """A complete JSON document followed by other text (a web page's footer pasted after it,
    seen in a real Microsoft SBOM): the document is read and the rest reported."""
    source.lenient(
        "text after the end of the JSON document is ignored",
        line=err.lineno,
        text=source.text[err.pos : err.pos + 40],
        expected="nothing after the JSON document",
    )
    return json.JSONDecoder().raw_decode(source.text.lstrip())[0]
