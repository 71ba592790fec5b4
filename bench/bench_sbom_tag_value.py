"""Time reading SPDX tag-value with many files: ``python bench/bench_sbom_tag_value.py [--reference] [FILE...]``.

spdx-tools checks every relationship against every file (quadratic), so a source SBOM with a few
thousand files took 30-43 s (bom-shelter ``istio-source.spdx``: 3,873 files). This benchmark
generates documents shaped like it (one package, N files, N CONTAINS relationships) and times
the stdlib reader (the production path), and with ``--reference`` spdx-tools (``--strict``).
Real files given as arguments are timed too. Each run is a fresh interpreter.
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
sbom = read_sbom(sys.argv[1], strict=sys.argv[2] == "1")
elapsed = time.perf_counter() - start
print(f"{len(sbom.components)} {elapsed:.3f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
"""


def generate(n_files: int, path: Path) -> None:
    lines = ["SPDXVersion: SPDX-2.3", "DataLicense: CC0-1.0", "SPDXID: SPDXRef-DOCUMENT",
             "DocumentName: bench", "DocumentNamespace: https://example.org/bench",
             "Creator: Tool: bench", "Created: 2026-01-01T00:00:00Z",
             "Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-Package-main", "",
             "PackageName: main", "SPDXID: SPDXRef-Package-main", "PackageVersion: 1.0",
             "PackageDownloadLocation: NOASSERTION", "FilesAnalyzed: true",
             "PackageVerificationCode: d6a770ba38583ed4bb4525bd96e50461655d2758",
             "PackageLicenseConcluded: Apache-2.0", "PackageLicenseDeclared: Apache-2.0",
             "PackageLicenseInfoFromFiles: Apache-2.0", "PackageCopyrightText: NOASSERTION", "",
             "PackageName: dep", "SPDXID: SPDXRef-Package-dep", "PackageDownloadLocation: NOASSERTION",
             "FilesAnalyzed: false", "PackageLicenseConcluded: MIT", "PackageCopyrightText: NOASSERTION", ""]
    for i in range(n_files):
        lines += [f"FileName: ./src/f{i}.go", f"SPDXID: SPDXRef-File-{i}",
                  "FileChecksum: SHA1: 85ed0817af83a24ad8da68c2b5094de69833983c",
                  "LicenseConcluded: Apache-2.0", "LicenseInfoInFile: Apache-2.0",
                  "FileCopyrightText: NOASSERTION", ""]
    lines += [f"Relationship: SPDXRef-Package-main CONTAINS SPDXRef-File-{i}" for i in range(n_files)]
    lines.append("Relationship: SPDXRef-Package-main DEPENDS_ON SPDXRef-Package-dep")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def measure(path: Path, strict: bool) -> tuple[int, float, float]:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(path), "1" if strict else "0"],
                         capture_output=True, text=True, check=True, env={"PYTHONPATH": str(SRC)})
    count, seconds, peak = out.stdout.split()
    return int(count), float(seconds), float(peak)


def report(label: str, path: Path, reference: bool, repeat: int) -> None:
    best = min((measure(path, False) for _ in range(repeat)), key=lambda r: r[1])
    print(f"{label}: stdlib reader {best[1]:.2f} s (best of {repeat}, incl. imports), "
          f"peak RSS {best[2]:.0f} MB, {best[0]} components")
    if reference:
        start = time.perf_counter()
        count, seconds, peak = measure(path, True)
        print(f"{'':>{len(label)}}  spdx-tools (--strict): {seconds:.2f} s, peak RSS {peak:.0f} MB, "
              f"{count} components (process {time.perf_counter() - start:.1f} s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="real tag-value SBOMs to time as well")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 4_000])
    parser.add_argument("--reference", action="store_true", help="also time spdx-tools (slow)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = Path(tmp) / f"bench-{n}.spdx"
            generate(n, path)
            report(f"{n:>6} files", path, args.reference, args.repeat)
    for path in args.files:
        report(path.name, path, args.reference, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
