"""Benchmark of CLI start-up (run by hand: python bench/bench_startup.py). Prints figures, asserts nothing.

`coop licence MIT`, whole process, best and median of N runs, in four situations:

1. wheel, cold: the package as `pip install .` lays it out (a wheel built here with hatchling and
   unpacked), no cache folder at all (a read-only container, a CI job): the compiled knowledge
   base comes from the wheel; the target is under 0.25 s;
2. wheel, warm: the same with a cache folder (nothing is written to it);
3. source tree, cold: the package from `src/` as an editable install sees it, with an empty
   cache folder before every run: the YAML under `rules/` is validated and compiled;
4. source tree, warm: the same with the cache filled by the previous run.

The machine may be shared: say so when quoting the figures, and prefer the best of N.
"""

from __future__ import annotations

import argparse
import os
import platform
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
    print(f"{label:<28} best {min(times) * 1000:6.0f} ms   median {statistics.median(times) * 1000:6.0f} ms")


def build_wheel(into: Path) -> Path:
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(into)],
                   cwd=ROOT, check=True, capture_output=True)
    (wheel,) = into.glob("coopengine-*.whl")
    unpacked = into / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(unpacked)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(unpacked)], check=True)  # as pip does
    return unpacked


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=11)
    args = ap.parse_args()
    print(f"machine: {platform.machine()} python {platform.python_version()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="coop-bench-") as tmp:
        base = Path(tmp)
        site = build_wheel(base / "wheel")
        cache = str(base / "cache")
        run(site, None, 1, False)  # the OS file cache, not ours
        show("wheel, cold (no cache)", run(site, None, args.runs, False))
        show("wheel, warm", run(site, cache, args.runs, False))
        src = ROOT / "src"
        show("source tree, cold", run(src, cache, args.runs, True))
        run(src, cache, 1, False)
        show("source tree, warm", run(src, cache, args.runs, False))


if __name__ == "__main__":
    main()
