"""Rendered diagnostics of the invalid corpus, compared with tests/language/golden/*.txt.

Regenerate with ``COOP_UPDATE_GOLDEN=1 pytest tests/language/test_golden.py`` and review
the diff like code.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coopengine.language import check

HERE = Path(__file__).parent
CASES = sorted((HERE / "invalid").glob("*.coop"))
UPDATE = os.environ.get("COOP_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(HERE)
    result = check([Path("invalid") / path.name])
    rendered = "\n".join(d.render() for d in result.diagnostics) + "\n"
    golden = HERE / "golden" / f"{path.stem}.txt"
    if UPDATE or not golden.exists():
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")
