"""Shared fixtures: the repository layout, the shared case files, an isolated cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


def pytest_configure(config: pytest.Config) -> None:
    # Each run builds the compiled knowledge base afresh, so a stale cache cannot hide a bad rule.
    # Text output wraps at COLUMNS when it is set; the golden files are unwrapped.
    os.environ.pop("COLUMNS", None)
    if "COOPENGINE_CACHE_DIR" not in os.environ:
        import tempfile

        os.environ["COOPENGINE_CACHE_DIR"] = tempfile.mkdtemp(prefix="coop-cache-")


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"{SHARED} is missing: the shared cases must sit beside the project")
    return SHARED
