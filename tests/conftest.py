"""Shared fixtures: the repository layout, the shared case files, an isolated cache."""

from __future__ import annotations

import os
import shutil
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

        cache = tempfile.mkdtemp(prefix="coop-cache-")
        os.environ["COOPENGINE_CACHE_DIR"] = cache
        config.add_cleanup(lambda: shutil.rmtree(cache, ignore_errors=True))
    # tmp_path folders go under a folder of this run, removed at the end, so that no
    # pytest-of-USER folder is left behind in /tmp (pass --basetemp to keep them).
    if config.option.basetemp is None:
        import tempfile

        base = tempfile.mkdtemp(prefix="coop-tests-")
        config.option.basetemp = base
        config.add_cleanup(lambda: shutil.rmtree(base, ignore_errors=True))


@pytest.fixture(scope="session")
def shared() -> Path:
    """``../shared`` when it sits beside the project; tests that need it are skipped otherwise
    (a clone on its own reads the copy of the cases in ``tests/data/shared-cases``)."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is not beside the project")
    return SHARED
