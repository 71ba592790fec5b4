"""Benchmark (run by hand): ``coop catalogue`` over a generated catalogue.

    .venv/bin/python bench/bench_catalogue.py [--solutions 10000] [--jobs 2] [--runs 1]

Writes SOLUTIONS folders, each with a publiccode.yml (licences drawn from those public bodies
publish under, organisations among the example agreements' parties and others; every tenth
with a small SPDX SBOM next to it) into a temporary folder (removed afterwards), then times
``coop catalogue FOLDER --recipient baltimore --use network-service --agreements
examples/agreements --parties ... --format json`` as a subprocess and prints the wall time
and the peak memory of the run. Target (issue 15): 10,000 solutions under 60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LICENCES = ["EUPL-1.2", "AGPL-3.0-or-later", "GPL-3.0-or-later", "MIT", "Apache-2.0", "BSD-3-Clause",
            "MPL-2.0", "LGPL-2.1-or-later", "GPL-2.0-only", "CECILL-2.1", "AGPL-3.0-only", "EUPL-1.1"]
ORGANISATIONS = ["Ville de Paris", "Statutarni mesto Brno", "Ajuntament de Barcelona", "Comune di Roma",
                 "Gemeente Amsterdam", "Stadt Wien", "Region Ile-de-France (model)", "Code for Baltimore"]
PARTIES = {"Ville de Paris": "paris", "Statutarni mesto Brno": "brno", "Ajuntament de Barcelona": "barcelona",
           "Region Ile-de-France (model)": "idf", "Code for Baltimore": "baltimore"}


def publiccode(n: int, rng: random.Random) -> str:
    org = rng.choice(ORGANISATIONS)
    return (f'publiccodeYmlVersion: "0.4"\nname: "Solution {n}"\nurl: "https://example.org/s{n}"\n'
            f"platforms: [{rng.choice(['web', 'linux', 'windows'])}]\nsoftwareType: standalone/web\n"
            f'legal:\n  license: {rng.choice(LICENCES)}\n  mainCopyrightOwner: "{org}"\n'
            f'organisation:\n  name: "{org}"\nmaintenance:\n  type: internal\n')


def sbom(n: int) -> str:
    packages = [{"SPDXID": f"SPDXRef-P{i}", "name": f"lib{i}", "downloadLocation": "NOASSERTION",
                 "licenseConcluded": lic} for i, lic in enumerate(["MIT", "Apache-2.0", "BSD-2-Clause"])]
    return json.dumps({"spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
                       "name": f"s{n}", "documentNamespace": f"https://example.org/s{n}",
                       "creationInfo": {"created": "2026-01-01T00:00:00Z", "creators": ["Tool: bench"]},
                       "packages": packages})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--solutions", type=int, default=10_000)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(15)
    with tempfile.TemporaryDirectory(prefix="bench-catalogue-") as tmp:
        folder = Path(tmp) / "catalogue"
        for n in range(args.solutions):
            d = folder / f"s{n:05d}"
            d.mkdir(parents=True)
            (d / "publiccode.yml").write_text(publiccode(n, rng), encoding="utf-8")
            if n % 10 == 0:
                (d / "sbom.spdx.json").write_text(sbom(n), encoding="utf-8")
        parties = Path(tmp) / "parties.yaml"
        parties.write_text("".join(f'"{k}": {v}\n' for k, v in PARTIES.items()), encoding="utf-8")
        cmd = [sys.executable, "-m", "coopengine", "catalogue", str(folder), "--recipient", "baltimore",
               "--use", "network-service", "--agreements", str(ROOT / "examples" / "agreements"),
               "--parties", str(parties), "--date", "2026-06-01", "--jobs", str(args.jobs), "--format", "json",
               "--quiet"]
        for _ in range(args.runs):
            with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
                start = time.perf_counter()
                proc = subprocess.Popen(cmd, stdout=out, stderr=err)
                _, status, usage = os.wait4(proc.pid, 0)
                elapsed = time.perf_counter() - start
                code = os.waitstatus_to_exitcode(status)
                if code == 2:
                    err.seek(0)
                    raise SystemExit(err.read()[:2000])
                out.seek(0)
                counts = json.load(out)["summary"]["counts"]
            # ru_maxrss of the main process; the workers' own peaks are not included.
            print(f"{args.solutions} solutions, --jobs {args.jobs}: {elapsed:.1f} s, main process peak "
                  f"{usage.ru_maxrss / 1024:.0f} MB, exit {code}; {counts}")
        print("target: 10,000 solutions under 60 s on 2 cores")


if __name__ == "__main__":
    main()
