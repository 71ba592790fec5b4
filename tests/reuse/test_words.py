"""Text and Markdown explanations speak to people (issue 10, section 5): no ids of the
JSON trace (`licence:MIT`, `-> grants`, `silent`), the deciding terms in words, the
missing date said as such, and every cited source with its address or section."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from reuse_helpers import SCENARIOS

from coopengine.cli.main import cli

ALL = sorted(p.name for p in SCENARIOS.glob("*.yaml") if p.name != "cases.yaml")


def render(path: Path, fmt: str) -> str:
    result = CliRunner().invoke(cli, ["reuse", str(path), "--format", fmt])
    assert result.exit_code in (0, 1, 3, 4), result.output
    return result.output


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_no_trace_ids_in_explanations(name: str, fmt: str) -> None:
    out = render(SCENARIOS / name, fmt)
    assert not re.search(r"licence:[A-Za-z0-9]", out)
    assert "-> " not in out
    assert not re.search(r"(?<!-)\bsilent\b(?!-)", out)  # not the file name ...-silent-licence.yaml
    # A cited source: "[title, section <url>]" in text, "(title, section <url>)" in Markdown.
    for line in out.splitlines():
        if "source:" in line or "licence data" in line:
            assert "<http" in line, line


def test_decided_by_in_words() -> None:
    out = render(SCENARIOS / "lutece-standing-agreement.yaml", "text")
    line = next(x for x in out.splitlines() if x.strip().startswith("decided by:"))
    assert line.strip() == (
        'decided by: the BSD-3-Clause licence; Sec. 3 Pooled code may be reused by any adherent, in '
        '"Open source cooperation declaration (modelled on Brno)"; and Art. 2 Reuse of OSI-approved code, '
        'in "Standing reuse agreement Paris-Baltimore"'
    )


def test_missing_date_is_today(tmp_path: Path) -> None:
    text = (SCENARIOS / "research-prototype-after-2026.yaml").read_text(encoding="utf-8")
    undated = re.sub(r"(?m)^date:.*\n", "", text).replace("agreements: [", f"agreements: [{SCENARIOS}/")
    (tmp_path / "s.yaml").write_text(undated, encoding="utf-8")
    for fmt in ("text", "markdown"):
        out = render(tmp_path / "s.yaml", fmt)
        assert "today (no date given)" in out
