"""Parsing and checking a large program in two processes.

A large file's time goes to parsing it and to the agreements' warnings, and both split
in two: the text at a top-level statement near its middle (each half parses on its own,
and the items of the whole are those of the first half then those of the second), the
warnings by agreement (what one agreement gets depends on nothing but the program; see
:func:`analysis.agreement_warnings`). On a machine with a second core a forked child
takes one half, reading what the fork shares with it, and sends its result back through
a pipe; the caller gets the same value one process gives.

Only where that is safe and pays: Linux (``fork`` elsewhere is unsafe or missing), no
other thread running in the process (a fork copies only the calling thread), at least
two CPUs available to it, and enough work (the callers' thresholds). ``COOPENGINE_JOBS=1``
turns it off. If anything goes wrong in the child, the caller does the work itself.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

_T = TypeVar("_T")


def usable() -> bool:
    """Whether a child may be forked to share the work (see the module docstring)."""
    if os.environ.get("COOPENGINE_JOBS", "").strip() == "1":
        return False
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    if threading.active_count() != 1:
        return False
    try:
        return len(os.sched_getaffinity(0)) > 1
    except (AttributeError, OSError):  # pragma: no cover - Linux has it
        return False


class Child(Generic[_T]):
    """``fn()`` computed in a forked child; :meth:`result` waits for it."""

    def __init__(self, pid: int, pipe: int) -> None:
        self._pid = pid
        self._pipe = pipe
        self._done = False

    def result(self) -> tuple[bool, _T | None]:
        """(True, the value), or (False, None) if the child failed."""
        try:
            with os.fdopen(self._pipe, "rb") as pipe:
                raw = pipe.read()
        finally:
            self._done = True
            os.waitpid(self._pid, 0)
        try:
            status, value = pickle.loads(raw)  # written by our own child
        except Exception:
            return False, None
        return status == "ok", value if status == "ok" else None

    def cancel(self) -> None:
        """Stop the child if its result is not wanted (or the caller failed)."""
        if self._done:
            return
        self._done = True
        os.close(self._pipe)
        os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)


def fork(fn: Callable[[], _T]) -> Child[_T] | None:
    """Start ``fn()`` in a child; None where :func:`usable` says no or fork fails."""
    if not usable():
        return None
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        _child(fn, read_end, write_end)
    os.close(write_end)
    return Child(pid, read_end)


def _child(fn: Callable[[], object], read_end: int, write_end: int) -> None:  # pragma: no cover
    """Compute, send, and leave without running the parent's exit handlers or flushing
    its buffers (``os._exit``)."""
    code = 0
    try:
        os.close(read_end)
        try:
            data = pickle.dumps(("ok", fn()))
        except BaseException as err:  # the parent redoes the work; say why, for debugging
            data = pickle.dumps(("failed", repr(err)))
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def split(weights: Sequence[int], share: float = 0.5) -> int:
    """Where to cut so that the part before carries about ``share`` of the weight."""
    total = sum(weights)
    running = 0
    for k, weight in enumerate(weights):
        running += weight
        if running >= total * share:
            return k + 1
    return len(weights)
