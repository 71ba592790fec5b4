"""Benchmark (run by hand): parse + check a generated ~1 MB agreement file.

PYTHONPATH=src python bench/bench_language.py [SIZE_MB]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from coopengine.language import check_text, parse_text  # noqa: E402
from coopengine.language._lark import parser  # noqa: E402


def generate(size: int) -> str:
    parts = ['party p0 "P0" kind city jurisdiction FR\n', 'party p1 "P1" kind region jurisdiction DE\n']
    n = 0
    while sum(map(len, parts)) < size:
        parts.append(
            f'\nagreement a{n} "Agreement {n}" {{\n  parties p0, p1\n'
            "  effective 2024-01-01 until 2030-12-31\n"
            f"  scope solution.owner in {{p0, p1}}\n"
        )
        for k in range(8):
            parts.append(
                f'  clause c{k} "Art. {k}" ref "art-{k}"'
                + (f" exception to c{k - 1}" if k % 2 else "")
                + " {\n"
                f"    when use == network-service and licence.copyleft == network or solution.flag-{k}\n"
                f"    then {'permit' if k % 2 == 0 else 'require-mou'}\n"
                f'    oblige notify-{k} "Notify within 30 days"\n  }}\n'
            )
        parts.append("}\n")
        n += 1
    return "".join(parts)


def main() -> None:
    size = int(float(sys.argv[1]) * 1024 * 1024) if len(sys.argv) > 1 else 1024 * 1024
    text = generate(size)
    t0 = time.perf_counter()
    parser()
    t1 = time.perf_counter()
    module, _ = parse_text(text, "bench.coop")
    t2 = time.perf_counter()
    result = check_text(text, "bench.coop")
    t3 = time.perf_counter()
    assert module is not None
    print(f"size: {len(text) / 1024 / 1024:.2f} MB, {len(module.items)} items")
    print(f"grammar build (once per process): {t1 - t0:.3f} s")
    print(f"parse: {t2 - t1:.3f} s")
    print(f"parse + check: {t3 - t2:.3f} s  ({len(result.diagnostics)} diagnostics)")


if __name__ == "__main__":
    main()
