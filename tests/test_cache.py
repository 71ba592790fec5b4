"""The compiled-data cache (issue 9 item 8, issue 12 start-up): reused when fresh and trusted,
ignored and rebuilt when anything is unexpected, never required, never stale, tidy on disk."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from coopengine import _cache
from coopengine.knowledge import knowledge_version, load_knowledge, plain, write_compiled


def _identity(value: Any) -> Any:
    return value


def _dict_only(value: Any) -> dict[str, int]:
    if not isinstance(value, dict) or not all(isinstance(v, int) for v in value.values()):
        raise _cache.BadEntry("expected a mapping of numbers")
    return value


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "cache"
    monkeypatch.setenv("COOPENGINE_CACHE_DIR", str(target))
    monkeypatch.setattr(_cache, "compiled_dir", lambda: tmp_path / "no-wheel")
    return target


def _counting(value: Any) -> tuple[list[int], Any]:
    calls: list[int] = []

    def build() -> Any:
        calls.append(1)
        return value

    return calls, build


def test_cache_reuses_and_distrusts_writable_files(folder: Path) -> None:
    calls, build = _counting({"answer": 42})
    assert _cache.cached("t", "v1", build, _identity, _dict_only) == {"answer": 42}
    assert _cache.cached("t", "v1", build, _identity, _dict_only) == {"answer": 42}
    assert len(calls) == 1  # the second call read the file
    (target,) = folder.glob("t-*.json")
    os.chmod(target, 0o666)  # others could have written it: never read it
    assert _cache.cached("t", "v1", build, _identity, _dict_only) == {"answer": 42}
    assert len(calls) == 2


def test_a_folder_others_can_write_is_neither_read_nor_written(folder: Path) -> None:
    calls, build = _counting({"answer": 1})
    _cache.cached("t", "v1", build, _identity, _dict_only)
    os.chmod(folder, 0o777)
    try:
        _cache.cached("t", "v1", build, _identity, _dict_only)
        assert len(calls) == 2
        for entry in folder.iterdir():
            entry.unlink()
        _cache.cached("t", "v1", build, _identity, _dict_only)
        assert list(folder.iterdir()) == []  # nothing left where others could replace it
    finally:
        os.chmod(folder, 0o700)


def test_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COOPENGINE_CACHE_DIR", "")
    assert _cache.cache_dir() is None
    assert _cache.cached("t", "v", lambda: 7, _identity, _identity) == 7


@pytest.mark.parametrize(
    "content",
    [
        b"not json",
        b"\x80\x04\x95 a pickle",
        b'{"format": "4", "name": "t", "version": "v2", "data": {"answer": "forty-two"}}',  # wrong shape
        b'{"format": "4", "name": "t", "version": "other", "data": {"answer": 1}}',  # another version
        b'{"format": "3", "name": "t", "version": "v2", "data": {"answer": 1}}',
        b"[1, 2, 3]",
    ],
)
def test_unexpected_entries_are_ignored_and_rebuilt(folder: Path, content: bytes) -> None:
    calls, build = _counting({"answer": 7})
    _cache.cached("t", "v2", build, _identity, _dict_only)
    (target,) = folder.glob("t-*.json")
    target.write_bytes(content)
    assert _cache.cached("t", "v2", build, _identity, _dict_only) == {"answer": 7}
    assert len(calls) == 2
    assert json.loads(target.read_bytes())["data"] == {"answer": 7}  # and the entry is repaired


def test_a_knowledge_base_of_the_wrong_shape_is_rebuilt(folder: Path) -> None:
    from coopengine.knowledge import _load

    version = knowledge_version()
    _load.cache_clear()
    try:
        fresh = load_knowledge()  # compiled, and written to the cache
        (entry,) = folder.glob("kb-*.json")
        good = plain.encode(fresh)
        assert plain.decode(good) == fresh
        mit = good[1]["MIT"]

        def with_licences(licences: dict[str, Any]) -> list[Any]:
            return [good[0], licences, *good[2:]]  # everything else as it should be

        for bad in (
            with_licences({"MIT": {**mit, "curated": "yes"}}),
            with_licences({"MIT": {**mit, "unknown-field": 1}}),
            with_licences({"MIT": {**mit, "category_source": ["no-such-source", None]}}),
            with_licences({"GPL-3.0-only": mit}),  # filed under another id
            {"licences": []},
            [version] * 6,
        ):
            with pytest.raises((_cache.BadEntry, KeyError, TypeError, ValueError)):
                plain.decode(bad)
            entry.write_bytes(_cache.entry_bytes("kb", version, bad))
            _load.cache_clear()
            assert load_knowledge() == fresh
    finally:
        _load.cache_clear()


def test_the_key_covers_the_code(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls, build = _counting({"answer": 3})
    _cache.cached("t", "v", build, _identity, _dict_only)
    monkeypatch.setattr(_cache, "code_stamp", lambda: "the compiler changed")
    _cache.cached("t", "v", build, _identity, _dict_only)
    assert len(calls) == 2


def test_the_version_covers_contents_not_only_size_and_time(tmp_path: Path) -> None:
    # An editable install edits rules in place: same size and time must still be a new version.
    kb = tmp_path / "kb.yaml"
    kb.write_text("obligations: []\n")
    st = kb.stat()
    before = knowledge_version([str(kb)])
    kb.write_text("obligations: ()\n")
    os.utime(kb, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert knowledge_version([str(kb)]) != before


def test_a_failed_write_leaves_no_temporary_file(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    assert _cache.cached("t", "v", lambda: {"a": 1}, _identity, _dict_only) == {"a": 1}
    assert list(folder.iterdir()) == []

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        _cache.cached("t", "v", lambda: {"a": 1}, _identity, _dict_only)
    assert list(folder.iterdir()) == []


def test_stale_entries_are_pruned(folder: Path) -> None:
    folder.mkdir(mode=0o700)
    now = time.time()
    old = now - (_cache.MAX_AGE_DAYS + 1) * 86400

    def make(name: str, age: float) -> Path:
        path = folder / name
        path.write_bytes(b"{}")
        os.utime(path, (age, age))
        return path

    recent = [make(f"t-recent{i:02}.json", now - i) for i in range(_cache.KEEP + 3)]
    expired = make("t-expired.json", old)
    pickle = make("t-abc.pickle", now)
    dead_tmp = make(".t-abc-x.tmp", now - 7200)
    live_tmp = make(".t-abc-y.tmp", now)  # another process is writing it right now
    other = make("grammar-abc.lark", old)  # not ours to remove
    _cache.cached("t", "v", lambda: {"a": 1}, _identity, _dict_only)
    left = {p.name for p in folder.iterdir()}
    assert {p.name for p in recent[: _cache.KEEP - 1]} <= left
    assert not {p.name for p in recent[_cache.KEEP - 1:]} & left
    assert len([n for n in left if n.startswith("t-") and n.endswith(".json")]) == _cache.KEEP
    for gone in (expired, pickle, dead_tmp):
        assert gone.name not in left
    for kept in (live_tmp, other):
        assert kept.name in left


def test_the_wheels_compiled_entries_are_used_without_compiling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled = tmp_path / "compiled"
    write_compiled(compiled)
    monkeypatch.setattr(_cache, "compiled_dir", lambda: compiled)
    monkeypatch.setenv("COOPENGINE_CACHE_DIR", "")  # a read-only container: no cache at all
    from coopengine.knowledge import _load, compile

    _load.cache_clear()
    monkeypatch.setattr(compile, "compile_layers", lambda *a: pytest.fail("compiled YAML at start-up"))
    try:
        kb = load_knowledge()
        assert kb.licence("MIT") is not None and kb.version == knowledge_version()
    finally:
        _load.cache_clear()


def test_compiled_entries_for_other_inputs_are_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    compiled = tmp_path / "compiled"
    compiled.mkdir()
    (compiled / "t.json").write_bytes(_cache.entry_bytes("t", "built-from-other-rules", {"answer": 0}))
    monkeypatch.setattr(_cache, "compiled_dir", lambda: compiled)
    monkeypatch.setenv("COOPENGINE_CACHE_DIR", "")
    assert _cache.cached("t", "installed-rules", lambda: {"answer": 1}, _identity, _dict_only) == {"answer": 1}
    assert _cache.cached("t", "built-from-other-rules", lambda: {}, _identity, _dict_only) == {"answer": 0}


def test_a_fifo_in_place_of_an_entry_is_not_read(folder: Path) -> None:
    calls, build = _counting({"answer": 5})
    _cache.cached("t", "v", build, _identity, _dict_only)
    (target,) = folder.glob("t-*.json")
    target.unlink()
    os.mkfifo(target, 0o600)  # opening it for reading would wait for a writer forever
    assert _cache.cached("t", "v", build, _identity, _dict_only) == {"answer": 5}
    assert len(calls) == 2
