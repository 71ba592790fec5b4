"""Rendered reports compared with tests/procurement/golden/.

Regenerate with ``COOP_UPDATE_GOLDEN=1 pytest tests/procurement/test_procurement_golden.py``
and review the diff like code. The knowledge base's version hash depends on file times, so
it is masked.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from coopengine.cli.main import cli

HERE = Path(__file__).parent
EXAMPLES = HERE.parents[1] / "examples" / "tenders"
UPDATE = os.environ.get("COOP_UPDATE_GOLDEN") == "1"

CASES = {
    "tender-failing.md": ["tender", "lyon-2026-42.coop", "--bid", "bids/failing/sbom.cdx.json", "--offered", "MIT",
                          "--date", "2026-03-15", "--format", "markdown"],
    "sbom-failing.md": ["sbom", "bids/failing/sbom.cdx.json", "--outbound", "EUPL-1.2", "--format", "markdown"],
}


def _masked(text: str) -> str:
    return re.sub(r"knowledge base `[0-9a-f]+`", "knowledge base `<kb>`",
                  re.sub(r"\| Knowledge base \| `[0-9a-f]+` \|", "| Knowledge base | `<kb>` |", text))


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLES)
    result = CliRunner().invoke(cli, CASES[name])
    assert result.exit_code == 1, result.stderr
    rendered = _masked(result.stdout)
    golden = HERE / "golden" / name
    if UPDATE or not golden.exists():
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")
