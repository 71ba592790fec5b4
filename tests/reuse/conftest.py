"""Make the package and this folder's helpers importable (tests run with --import-mode=importlib)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
for path in (HERE.parents[1] / "src", HERE):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from reuse_helpers import Decider, make_decider  # noqa: E402


@pytest.fixture
def decide_with(tmp_path: Path) -> Decider:
    """decide_with(coop_text, **scenario) -> Decision, with parties a-city, b-city, c-city, vendor."""
    return make_decider(tmp_path)
