"""Text and Markdown explanations of three scenarios, compared with files under golden/.

Regenerate after an intended change with ``COOP_UPDATE_GOLDEN=1 pytest tests/reuse/test_golden.py``
and review the diff. Digests and the knowledge-base version are masked: they change whenever
someone edits an agreement or a rule, which is not what these files are about.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from reuse_helpers import SCENARIOS

from coopengine.cli.main import cli

GOLDEN = Path(__file__).resolve().parent / "golden"
NAMES = ["lutece-standing-agreement", "third-party-agpl-service", "lutece-classification-missing",
         "third-party-agpl-service-mit-outbound", "gpl2-combined-with-apache"]


def _mask(text: str) -> str:
    text = re.sub(r"sha256:[0-9a-f]{64}", "sha256:<digest>", text)
    return re.sub(r"knowledge base `[^`]*`", "knowledge base `<version>`", text)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(("fmt", "ext"), [("text", "txt"), ("markdown", "md")])
def test_golden(name: str, fmt: str, ext: str) -> None:
    result = CliRunner().invoke(cli, ["reuse", str(SCENARIOS / f"{name}.yaml"), "--format", fmt])
    assert result.exit_code in (0, 1, 3, 4), result.output
    got = _mask(result.output)
    golden = GOLDEN / f"{name}.{ext}"
    if os.environ.get("COOP_UPDATE_GOLDEN") == "1":
        golden.write_text(got, encoding="utf-8")
    assert golden.exists(), f"{golden} is missing: run with COOP_UPDATE_GOLDEN=1"
    assert got == golden.read_text(encoding="utf-8")
