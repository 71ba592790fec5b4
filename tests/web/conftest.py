"""Fixtures for the workbench: the application over the example agreements, from the repository root."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The server runner shared by the browser tests lives beside them.
HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

pytest.importorskip("fastapi", reason="the web extra is part of the test extra")

from fastapi.testclient import TestClient  # noqa: E402

from coopengine.web.app import create_app  # noqa: E402
from coopengine.web.library import open_workspace  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module", autouse=True)
def _at_root() -> Iterator[None]:
    # Paths in answers are as named, relative to the working folder: the CLI's and the server's agree from here.
    before = os.getcwd()
    os.chdir(ROOT)
    yield
    os.chdir(before)


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    app = create_app(open_workspace(["examples/agreements"]))
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def small_client() -> Iterator[TestClient]:
    """A server that accepts at most 4 kB per request."""
    app = create_app(open_workspace(["examples/agreements"]), max_upload=4096)
    with TestClient(app) as c:
        yield c
