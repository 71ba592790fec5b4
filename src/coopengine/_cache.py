"""A small on-disk cache for compiled data (the knowledge base, the SPDX vocabulary).

The CLI is called in loops: validating hundreds of YAML files on every call would cost more
than the decision itself. Entries are keyed by a fingerprint of their inputs (paths, sizes,
modification times, package version), so editing ``rules/`` takes effect on the next call.
If the cache directory is not writable the data is simply rebuilt each time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

__all__ = ["cached", "fingerprint", "cache_dir"]

_FORMAT = "3"


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


def fingerprint(parts: Iterable[str]) -> str:
    digest = hashlib.sha256(_FORMAT.encode())
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def _trusted(path: Path) -> bool:
    """Unpickling runs code: only read files this user owns and nobody else can write."""
    try:
        st = path.stat()
    except OSError:
        return False
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    return not st.st_mode & 0o022


def cached(name: str, key: str, build: Callable[[], T]) -> T:
    """Return the cached value for (name, key), building and storing it when missing."""
    folder = cache_dir()
    target = folder / f"{name}-{key}.pickle" if folder else None
    if target is not None and _trusted(target):
        try:
            with open(target, "rb") as fh:
                value: T = pickle.load(fh)
            return value
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
            pass
    value = build()
    if target is not None and folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            import tempfile  # only when writing: it is slow to import

            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}-")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, target)
        except OSError:
            pass
    return value
