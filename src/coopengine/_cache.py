"""Compiled data that is slow to build (the knowledge base, the SPDX vocabulary, the grammar's
parse tables): shipped in the wheel, else kept in a small on-disk cache, else built.

Every entry is plain JSON data under a *version*: a fingerprint of the contents it is built
from (rules files, SPDX data). The wheel carries entries compiled at build time
(``coopengine/_compiled/``, written by ``hatch_build.py``), used when their version matches
what is installed, so a first call or a read-only cache folder costs no YAML compilation.
The on-disk cache serves everything else (``--kb`` layers, editable installs) and is keyed on
the code too (size and modification time of every module of the package), so a change to the
compiler can never give stale answers.

Nothing read back is trusted blindly: a folder or file that another user owns or can write is
ignored, the data is JSON (never code), and the caller's ``decode`` checks its shape; anything
unexpected is ignored and rebuilt. Writes are atomic and leave no temporary file behind;
entries of the same name that are older than :data:`MAX_AGE_DAYS` or beyond the
:data:`KEEP` newest are removed after each write. If the folder cannot be written, the data is
simply rebuilt each time.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import time
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

__all__ = ["cached", "fingerprint", "cache_dir", "code_stamp", "compiled_dir", "entry_bytes", "BadEntry", "COMPILED"]

_FORMAT = "4"  # the layout of an entry file; "3" and before were pickles
COMPILED = "_compiled"  # the package folder the wheel's build hook fills
KEEP = 8
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # the knowledge base is about 1 MB
MAX_AGE_DAYS = 30
_TMP_MAX_AGE = 3600.0  # a temporary file this old belongs to a process that died


class BadEntry(ValueError):
    """Raised by a ``decode`` function: the data does not have the expected shape."""


Decode = Callable[[Any], T]


def cache_dir() -> Path | None:
    """``$COOPENGINE_CACHE_DIR`` (empty: no cache), else the user's cache folder."""
    env = os.environ.get("COOPENGINE_CACHE_DIR")
    if env is not None:
        return Path(env) if env else None
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return (Path(local) if local else Path.home() / "AppData" / "Local") / "coopengine"
    base = os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "coopengine"


def fingerprint(parts: Iterable[str | bytes]) -> str:
    digest = hashlib.sha256(_FORMAT.encode())
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()[:32]


@cache
def code_stamp() -> str:
    """Size and modification time of every module of the package: an edit changes it."""
    root = Path(__file__).resolve().parent
    parts = []
    for path in sorted(root.rglob("*.py")):
        st = path.stat()
        parts.append(f"{path.relative_to(root)}|{st.st_size}|{st.st_mtime_ns}")
    return fingerprint(parts)


def compiled_dir() -> Path:
    """Where the wheel carries its compiled entries (absent in a source tree or editable install)."""
    return Path(__file__).resolve().parent / COMPILED


def entry_bytes(name: str, version: str, data: Any) -> bytes:
    """The file form of an entry (also what the build hook writes into the wheel)."""
    doc = {"format": _FORMAT, "name": name, "version": version, "data": data}
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _read_entry(path: Path, name: str, version: str, decode: Decode[T]) -> T | None:
    try:
        with open(path, "rb") as fh:
            doc = json.loads(fh.read())
        if not isinstance(doc, dict) or doc.get("format") != _FORMAT:
            return None
        if doc.get("name") != name or doc.get("version") != version:
            return None
        return decode(doc.get("data"))
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        # ValueError covers JSON errors and BadEntry: a damaged or foreign file is rebuilt.
        return None


def _private(path: Path, kind: int = stat.S_IFDIR) -> bool:
    """A folder (or regular file) owned by this user and writable by nobody else: a shared
    folder could feed us answers, and a FIFO or device in its place would hang or flood a read."""
    try:
        st = path.stat()
    except OSError:
        return False
    if stat.S_IFMT(st.st_mode) != kind or st.st_size > MAX_ENTRY_BYTES:
        return False
    if not hasattr(os, "getuid"):
        return True  # Windows: the per-user profile folder is private, and modes do not say more
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def cached(name: str, version: str, build: Callable[[], T], encode: Callable[[T], Any], decode: Decode[T]) -> T:
    """The compiled data called ``name`` at ``version``: shipped, cached, or built (and cached).

    ``encode`` turns the value into plain JSON data; ``decode`` turns it back, raising
    :class:`BadEntry` (or ``TypeError``, ``KeyError``...) for anything it did not expect.
    """
    shipped = compiled_dir() / f"{name}.json"
    if shipped.is_file():
        value = _read_entry(shipped, name, version, decode)
        if value is not None:
            return value
    folder = cache_dir()
    target = folder / f"{name}-{fingerprint([version, code_stamp()])}.json" if folder else None
    if target is not None and _private(target.parent) and _private(target, stat.S_IFREG):
        value = _read_entry(target, name, version, decode)
        if value is not None:
            return value
    value = build()
    if target is not None:
        _write(target, entry_bytes(name, version, encode(value)))
        _prune(target.parent, name, keep=target)
    return value


def _write(target: Path, payload: bytes) -> None:
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return
    if not _private(folder):
        return  # never leave data where others could replace it
    import tempfile  # only when writing: it is slow to import

    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.stem}-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, target)
    except BaseException as exc:
        # A full disk or an interrupt: the cache is only an optimisation, but leave no litter.
        _remove(Path(tmp))
        if not isinstance(exc, OSError):
            raise


def _prune(folder: Path, name: str, keep: Path) -> None:
    """Remove old entries of ``name``, the old pickle format and abandoned temporary files."""
    now = time.time()
    entries: list[tuple[float, Path]] = []
    try:
        children = list(folder.iterdir())
    except OSError:
        return
    for path in children:
        file = path.name
        try:
            mtime = path.lstat().st_mtime
        except OSError:
            continue
        if file.startswith(f".{name}-") and file.endswith(".tmp"):
            if now - mtime > _TMP_MAX_AGE:
                _remove(path)
        elif file.startswith(f"{name}-") and file.endswith(".pickle"):
            _remove(path)
        elif file.startswith(f"{name}-") and file.endswith(".json") and path != keep:
            entries.append((mtime, path))
    entries.sort(reverse=True)
    for rank, (mtime, path) in enumerate(entries, start=1):
        if rank >= KEEP or now - mtime > MAX_AGE_DAYS * 86400:
            _remove(path)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
