"""Benchmark for `coop compat` (run by hand: python bench/bench_compat.py). Prints figures, asserts nothing.

1. median wall time of one `coop compat` CLI call over N runs (and `flict verify` beside it if installed);
2. warm library throughput in checks per second;
3. time to decide an AND of 200 distinct (A OR B) groups, on a fresh engine (no memo).
"""

from __future__ import annotations

import argparse
import itertools
import platform
import shutil
import statistics
import subprocess
import sys
import time


def cli_median(cmd: list[str], runs: int) -> float:
    subprocess.run(cmd, capture_output=True, check=False)  # warm the OS cache and our KB cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    print(f"machine: {platform.machine()} {platform.processor() or ''} python {platform.python_version()}, "
          f"{__import__('os').cpu_count()} cores")

    coop = [sys.executable, "-m", "coopengine"]
    script = shutil.which("coop")
    if script:
        coop = [script]
    ours = cli_median([*coop, "compat", "--inbound", "MIT", "--outbound", "GPL-2.0-only"], args.runs)
    print(f"coop compat CLI, median of {args.runs}: {ours * 1000:.0f} ms")
    flict = shutil.which("flict")
    if flict:
        theirs = cli_median([flict, "verify", "-il", "MIT", "-ol", "GPL-2.0-only"], args.runs)
        print(f"flict verify CLI, median of {args.runs}: {theirs * 1000:.0f} ms  (coop/flict = {ours / theirs:.2f})")
    else:
        print("flict not installed: no side-by-side figure")

    from coopengine.engine import Engine, check_compat
    from coopengine.expressions import parse_expression
    from coopengine.knowledge import load_knowledge

    kb = load_knowledge()
    curated = sorted(k for k, v in kb.licences.items() if v.curated and not k.startswith("LicenseRef"))
    outs = ["GPL-2.0-only", "GPL-3.0-or-later", "MIT", "Apache-2.0", "LicenseRef-Proprietary", "MPL-2.0"]
    pairs = list(itertools.product(curated[:60], outs, ["distribution", "network-service"], ["static", "dynamic"]))
    for inb, out, use, link in pairs:  # warm: parse cache and pair memo
        check_compat(inb, out, use=use, linking=link)
    n = 0
    start = time.perf_counter()
    while time.perf_counter() - start < 2.0:
        for inb, out, use, link in pairs:
            check_compat(inb, out, use=use, linking=link)
        n += len(pairs)
    rate = n / (time.perf_counter() - start)
    print(f"warm library throughput: {rate:,.0f} checks/s over {len(pairs)} distinct queries")

    combos = [c for c in itertools.combinations(curated, 2)][:200]
    text = " AND ".join(f"({a} OR {b})" for a, b in combos)
    times = []
    for _ in range(5):
        engine = Engine(kb)
        start = time.perf_counter()
        parsed = parse_expression(text)
        result = engine.check(parsed, parse_expression("GPL-3.0-or-later"), "distribution", "static")
        times.append(time.perf_counter() - start)
    print(f"AND of {len(combos)} distinct (A OR B) groups, fresh engine: "
          f"median {statistics.median(times) * 1000:.1f} ms (verdict {result.verdict})")


if __name__ == "__main__":
    main()
