"""Time ``read_sbom`` on generated SPDX JSON SBOMs: ``python bench/bench_sbom_read.py [--reference]``.

Each size runs in a fresh interpreter so the peak RSS is the reader's own (plus the interpreter).
``--reference`` also times the spdx-tools reading of the same file, the path the stdlib one replaces.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"

_CHILD = """
import resource, sys, time
start = time.perf_counter()
from coopengine.sbom import read_sbom
from coopengine.sbom._reader import read
path, reference = sys.argv[1], sys.argv[2] == "1"
sbom = read(path, 10**9, reference=True) if reference else read_sbom(path)
elapsed = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{len(sbom.components)} {elapsed:.3f} {peak_mb:.0f}")
"""


def measure(path: Path, reference: bool = False) -> tuple[int, float, float]:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), "1" if reference else "0"],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(SRC)},
    )
    count, seconds, peak = out.stdout.split()
    return int(count), float(seconds), float(peak)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--reference", action="store_true", help="also time spdx-tools (slow)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = Path(tmp) / f"sbom-{n}.spdx.json"
            subprocess.run([sys.executable, str(HERE / "gen_sbom.py"), str(n), str(path)], check=True)
            size_mb = path.stat().st_size / 1e6
            wall = time.perf_counter()
            count, seconds, peak = measure(path)
            wall = time.perf_counter() - wall
            print(
                f"{n:>7} packages ({size_mb:.1f} MB): read_sbom {seconds:.2f} s (incl. imports), "
                f"process {wall:.2f} s, peak RSS {peak:.0f} MB, {count} components"
            )
            if args.reference:
                _, seconds, peak = measure(path, reference=True)
                print(f"{'':>7} spdx-tools reference: {seconds:.2f} s, peak RSS {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
