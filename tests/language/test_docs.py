"""Every coop example in docs/language.md parses.

Fenced blocks marked ```text (or with no language) are coop source and must parse
without an error; a block that shows a mistake on purpose is fenced ```text invalid and
must not parse cleanly. Blocks in other languages are not coop.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coopengine.language import parse_text

DOC = Path(__file__).resolve().parents[2] / "docs" / "language.md"
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", re.S | re.M)


def blocks() -> list[tuple[int, str, str]]:
    text = DOC.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 1, m.group(1).strip(), m.group(2)) for m in FENCE.finditer(text)]


BLOCKS = [(line, info, body) for line, info, body in blocks() if info.split()[:1] in ([], ["text"])]


def test_the_doc_has_examples() -> None:
    assert sum(1 for _, info, _ in BLOCKS if info in ("", "text")) >= 3


@pytest.mark.parametrize("line,info,body", BLOCKS, ids=[f"line-{line}" for line, _, _ in BLOCKS])
def test_doc_example(line: int, info: str, body: str) -> None:
    module, diagnostics = parse_text(body, f"language.md:{line}")
    errors = [d.render() for d in diagnostics if d.severity == "error"]
    if info == "text invalid":
        assert module is None or errors, "marked invalid but parses cleanly"
    else:
        assert info in ("", "text"), f"unknown marker {info!r}: use ```text or ```text invalid"
        assert module is not None and not errors, errors
