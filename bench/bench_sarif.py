"""SARIF cost on large SBOMs: the component-line scan, and ``coop sbom --format sarif`` against ``json``.

Run by hand: ``python bench/bench_sarif.py [N ...]`` (default 10000 100000). Writes synthetic
SPDX JSON SBOMs with ``bench/gen_sbom.py`` into a temporary folder and prints best-of-3 times.
Figures taken on a shared, loaded machine are upper bounds.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from coopengine.sbom import component_lines

HERE = Path(__file__).resolve().parent


def best(n: int, func: object) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        func()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = Path(tmp) / f"sbom-{n}.json"
            subprocess.run([sys.executable, str(HERE / "gen_sbom.py"), str(n), str(path)], check=True)
            text = path.read_text(encoding="utf-8")
            scan = best(3, lambda text=text: component_lines(text))
            print(f"{n:>7} components  component_lines: {scan * 1000:7.1f} ms ({len(component_lines(text))} ids)")
            for fmt in ("json", "sarif"):
                argv = [sys.executable, "-m", "coopengine", "sbom", str(path), "--outbound", "EUPL-1.2",
                        "--format", fmt]
                run = best(3, lambda argv=argv: subprocess.run(argv, stdout=subprocess.DEVNULL))
                print(f"{n:>7} components  coop sbom --format {fmt:5}: {run:6.2f} s")


if __name__ == "__main__":
    main()
