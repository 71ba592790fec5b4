"""Each invalid file names, in its first line, the code and line:column it must report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coopengine.language import check

INVALID = Path(__file__).parent / "invalid"
CASES = sorted(INVALID.glob("*.coop"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_invalid_file_reports_expected_code(path: Path) -> None:
    header = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.match(r"# expect: (\w+)(?: (\d+):(\d+))?", header)
    assert match, f"{path.name}: first line must be '# expect: CODE [LINE:COL]'"
    code, line, col = match.groups()
    result = check([path])
    assert result.errors, f"{path.name}: no error reported"
    hits = [d for d in result.diagnostics if d.code == code]
    assert hits, f"{path.name}: expected {code}, got {[d.render() for d in result.diagnostics]}"
    if line:
        assert (hits[0].line, hits[0].column) == (int(line), int(col)), hits[0].render()
    for d in result.diagnostics:
        assert "__ANON" not in d.render()
