"""The on-disk cache: reused when fresh and trusted, rebuilt otherwise, never required."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coopengine import _cache


def test_cache_reuses_and_distrusts_writable_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COOPENGINE_CACHE_DIR", str(tmp_path))
    calls: list[int] = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"answer": 42}

    assert _cache.cached("t", "k1", build) == {"answer": 42}
    assert _cache.cached("t", "k1", build) == {"answer": 42}
    assert len(calls) == 1  # the second call read the file
    (target,) = tmp_path.glob("t-k1.pickle")
    os.chmod(target, 0o666)  # others could have written it: never unpickle it
    assert _cache.cached("t", "k1", build) == {"answer": 42}
    assert len(calls) == 2


def test_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COOPENGINE_CACHE_DIR", "")
    assert _cache.cache_dir() is None
    assert _cache.cached("t", "k", lambda: 7) == 7


def test_corrupt_cache_file_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COOPENGINE_CACHE_DIR", str(tmp_path))
    target = tmp_path / "t-k2.pickle"
    target.write_bytes(b"not a pickle")
    os.chmod(target, 0o600)
    assert _cache.cached("t", "k2", lambda: "fresh") == "fresh"
