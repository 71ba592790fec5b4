"""JSON decoding with errors that point at the file, line and column."""

from __future__ import annotations

import json

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
    except RecursionError as err:
        raise source.error("malformed JSON: nested too deeply", expected="a JSON SBOM") from err
