"""Start-up cost of the library and the CLI: ``import coopengine`` and ``coop --version``.

Run by hand: ``python bench/bench_startup.py [N]``. Prints the best of N runs of each, in
milliseconds, each in a fresh interpreter (what a CI step or a shell pays). With
``PYTHONPATH`` pointing at another checkout's ``src``, it measures that one instead.
"""

from __future__ import annotations

import subprocess
import sys
import time


def best_of(n: int, argv: list[str]) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def import_self_time(n: int) -> float:
    """Best cumulative ``-X importtime`` figure for the ``coopengine`` package itself, in ms."""
    best = float("inf")
    for _ in range(n):
        err = subprocess.run([sys.executable, "-X", "importtime", "-c", "import coopengine"],
                             check=True, capture_output=True, text=True).stderr
        for line in err.splitlines():
            parts = [p.strip() for p in line.split("|")]
            if len(parts) == 3 and parts[2] == "coopengine":
                best = min(best, int(parts[1]) / 1000)
    return best


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    print(f"best of {n} (a loaded machine makes every figure larger, never smaller)")
    print(f"python -c pass                     {best_of(n, [sys.executable, '-c', 'pass']):7.1f} ms")
    print(f"python -c 'import coopengine'      {best_of(n, [sys.executable, '-c', 'import coopengine']):7.1f} ms")
    print(f"  -X importtime, coopengine (cum.) {import_self_time(n):7.1f} ms")
    print(f"python -m coopengine --version     "
          f"{best_of(n, [sys.executable, '-m', 'coopengine', '--version']):7.1f} ms")


if __name__ == "__main__":
    main()
