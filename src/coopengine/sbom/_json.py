"""JSON decoding with errors that point at the file, line and column."""

from __future__ import annotations

import json

from ..errors import long_number_at, too_many_digits
from ._source import Source


def decode(source: Source) -> object:
    try:
        return json.loads(source.text)
    except json.JSONDecodeError as err:
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
