"""JSON decoding with errors that point at the file, line and column."""

from __future__ import annotations

import json
import re
import sys

from ..errors import too_many_digits
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
        # json does not say where: the first run of digits long enough is the culprit.
        match = re.search(f"[0-9]{{{sys.get_int_max_str_digits() + 1},}}", source.text)
        start = match.start() if match else 0
        line = source.text.count("\n", 0, start) + 1
        column = start - source.text.rfind("\n", 0, start)
        raise source.error(digits, line=line, column=column) from None
    except RecursionError as err:
        raise source.error("malformed JSON: nested too deeply", expected="a JSON SBOM") from err
