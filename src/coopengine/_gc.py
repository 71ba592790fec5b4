"""Pausing Python's cyclic garbage collector while building large, acyclic structures.

Parsing agreements, reading an SBOM and checking its components allocate hundreds of
thousands of small objects that all stay alive (tokens, model nodes, components, verdicts);
each allocation burst triggers collections that walk everything allocated so far and free
nothing. Reference counting frees all of it; nothing they build needs the cycle collector.

Measured on the 2-core machine: agreements (bench/bench_language.py) 1 MB parsed and checked
in 0.86 s paused, 1.15 s not, the pathological 1 MB 1.52 s and 2.10 s; 100,000 SBOM
components (bench/bench_sbom.py) checked in 0.17 s paused, 0.29 s not.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block; a no-op if the caller already paused it.

    On the way out, what is alive is moved as it stands to the collector's oldest generation
    (``gc.freeze`` then ``gc.unfreeze``, two list splices). Otherwise the first allocation
    afterwards walks the whole new structure as "young" objects (60 ms for a 1 MB agreement
    file) only to find it all alive. Nothing is freed later or sooner: reference counting frees
    it, and a cycle among moved objects is found by the next full collection, as for any old
    object.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        gc.enable()
