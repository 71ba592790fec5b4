"""Benchmark for the publiccode.yml reader (run by hand: python bench/bench_publiccode.py). Prints figures,
asserts nothing.

Reads every real file of tests/data/publiccode (the broken one included) ROUNDS times, in one
process, and prints files per second: a catalogue of 10,000 solutions reads each file once, so
this bounds the reading part of `coop catalogue`. Also the median of one `coop publiccode check`
CLI call on all of them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted((ROOT / "tests" / "data" / "publiccode").glob("*.yml"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from coopengine.errors import InputError
    from coopengine.publiccode import load_publiccode

    raws = [(p.read_bytes(), str(p)) for p in FILES]
    start = time.perf_counter()
    for _ in range(args.rounds):
        for raw, name in raws:
            try:
                load_publiccode(raw, file=name).facts()
            except InputError:
                pass
    elapsed = time.perf_counter() - start
    n = args.rounds * len(raws)
    print(f"read+facts: {n} files in {elapsed:.2f} s = {n / elapsed:,.0f} files/s "
          f"({1000 * elapsed / n:.2f} ms each; 10,000 files = {10_000 * elapsed / n:.1f} s on one core)")
    cmd = [sys.executable, "-m", "coopengine", "publiccode", "check", *map(str, FILES)]
    times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False)
        times.append(time.perf_counter() - t)
    print(f"coop publiccode check ({len(FILES)} files): median {statistics.median(times):.2f} s over {args.runs} runs")
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
