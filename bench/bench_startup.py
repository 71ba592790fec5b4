"""Start-up cost of the library and the CLI: ``import coopengine``, ``coop --version``, and a
first and a later ``coop licence MIT``.

Run by hand: ``python bench/bench_startup.py [N]``. Prints the best of N runs of each, in
milliseconds, each in a fresh interpreter (what a CI step or a shell pays). With
``PYTHONPATH`` pointing at another checkout's ``src``, the first three figures measure that one.

``coop licence MIT`` is timed (best and median) in four situations:

1. wheel, cold: the package as `pip install .` lays it out (a wheel built here with hatchling
   and unpacked), no cache folder at all (a read-only container, a CI job): the compiled
   knowledge base comes from the wheel; the target is under 0.25 s;
2. wheel, warm: the same with a cache folder (nothing is written to it);
3. source tree, cold: the package from `src/` as an editable install sees it, with an empty
   cache folder before every run: the YAML under `rules/` is validated and compiled;
4. source tree, warm: the same with the cache filled by the previous run.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMAND = ["licence", "MIT"]


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


def run(pythonpath: Path, cache: str | None, runs: int, fresh_cache: bool) -> list[float]:
    env = {**os.environ, "PYTHONPATH": str(pythonpath), "COOPENGINE_CACHE_DIR": cache or ""}
    argv = [sys.executable, "-c", "from coopengine.cli.main import main; main()", *COMMAND]
    times = []
    for _ in range(runs):
        if fresh_cache and cache:
            shutil.rmtree(cache, ignore_errors=True)
        start = time.perf_counter()
        done = subprocess.run(argv, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"coop {' '.join(COMMAND)} failed: {done.stderr.decode()}")
    return times


def show(label: str, times: list[float]) -> None:
    print(f"  {label:<28} best {min(times) * 1000:6.0f} ms   median {statistics.median(times) * 1000:6.0f} ms")


def build_wheel(into: Path) -> Path:
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(into)],
                   cwd=ROOT, check=True, capture_output=True)
    (wheel,) = into.glob("coopengine-*.whl")
    unpacked = into / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(unpacked)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(unpacked)], check=True)  # as pip does
    return unpacked


def licence_figures(n: int) -> None:
    with tempfile.TemporaryDirectory(prefix="coop-bench-") as tmp:
        base = Path(tmp)
        site = build_wheel(base / "wheel")
        cache = str(base / "cache")
        run(site, None, 1, False)  # the OS file cache, not ours
        show("wheel, cold (no cache)", run(site, None, n, False))
        show("wheel, warm", run(site, cache, n, False))
        src = ROOT / "src"
        show("source tree, cold", run(src, cache, n, True))
        run(src, cache, 1, False)
        show("source tree, warm", run(src, cache, n, False))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    print(f"best of {n} (a loaded machine makes every figure larger, never smaller)")
    print(f"python -c pass                     {best_of(n, [sys.executable, '-c', 'pass']):7.1f} ms")
    print(f"python -c 'import coopengine'      {best_of(n, [sys.executable, '-c', 'import coopengine']):7.1f} ms")
    print(f"  -X importtime, coopengine (cum.) {import_self_time(n):7.1f} ms")
    print(f"python -m coopengine --version     "
          f"{best_of(n, [sys.executable, '-m', 'coopengine', '--version']):7.1f} ms")
    print(f"coop {' '.join(COMMAND)} (load average {os.getloadavg()[0]:.2f}):")
    licence_figures(n)


if __name__ == "__main__":
    main()
