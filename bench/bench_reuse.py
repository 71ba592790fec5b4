"""Benchmark (run by hand): `coop reuse` end to end on a large synthetic case.

    /work/venv/bin/python bench/bench_reuse.py [--agreements 50] [--clauses 20] [--components 2000] [--profile]

Generates 50 agreements of 20 clauses among 10 parties (conditions over the use, the licence,
dates and solution attributes; exception chains, a few guardrails, obligations, waives, grants,
precedences), an SPDX JSON SBOM of 2,000 components (bench/gen_sbom.py), and a scenario that
leaves two attributes unknown so that the engine has to try them both ways. Then times
`coop reuse --format json` as a subprocess (median of 5) and prints the figures. Target: < 1 s.
With --profile, also profiles one in-process decision and prints where the time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PARTIES = [f"p{i}" for i in range(10)]
KINDS = ["city", "region", "national", "university", "ngo"]
CONDITIONS = [
    "use == network-service and licence.copyleft == network",
    "use == distribution and licence.category in {strong-copyleft, network-copyleft}",
    "use == internal",
    "licence.osi-approved",
    "not licence.osi-approved",
    "modified and use == distribution",
    "solution.classification == \"restricted\"",
    "solution.source-public",
    "solution.budget > 100000",
    "date >= 2025-01-01",
    "recipient.kind == city",
    "solution.owner in {p0, p1, p2}",
    "solution.processes-personal-data",
    "solution.audited and use != internal",
    "linking == static and licence.copyleft in {strong, network}",
]
OBLIGATIONS = ["attribution", "notify-provider", "publish-changes", "upstream", "dpia", "catalogue"]


def agreements(n_agreements: int, n_clauses: int, rng: random.Random) -> str:
    out = []
    for i, p in enumerate(PARTIES):
        out.append(f'party {p} "Party {i}" kind {KINDS[i % len(KINDS)]} jurisdiction FR\n')
    for a in range(n_agreements):
        declaration = a % 5 == 0
        members = ["p0", "p1"] if a % 2 == 0 else []
        members += rng.sample([p for p in PARTIES if p not in members], rng.randint(2, 3))
        kind, role = ("declaration", "adherents") if declaration else ("agreement", "parties")
        out.append(f'\n{kind} a{a} "Agreement {a}" {{\n  {role} {", ".join(members)}\n'
                   f"  effective 202{rng.randint(2, 4)}-01-01 until 20{rng.randint(26, 32)}-12-31\n")
        if a % 7 == 3:
            out.append("  scope solution.owner in {p0, p1, p2, p3}\n")
        if a % 4 == 1:
            out.append(f"  default {rng.choice(['permit', 'require-mou'])}\n")
        obligation_of: dict[int, str] = {}
        for c in range(n_clauses):
            guard = c in (0, 1) and a % 3 == 0
            cond = rng.choice(CONDITIONS)
            if guard:
                out.append(f'  guardrail g{c} "Guard {c}" ref "g-{c}" {{\n    when {cond} and solution.flag-{a}\n'
                           f"    then {rng.choice(['deny', 'require-mou'])}\n  }}\n")
                continue
            exception = f" exception to c{c - 1}" if c % 3 == 2 and c - 1 in obligation_of else ""
            standalone = " standalone" if c % 9 == 8 else ""
            out.append(f'  clause c{c} "Art. {c}" ref "art-{c}"{exception}{standalone} {{\n    when {cond}\n')
            if c % 4 != 3:
                out.append(f"    then {rng.choice(['permit', 'permit', 'require-mou', 'deny'])}\n")
            ob = rng.choice(OBLIGATIONS)
            obligation_of[c] = f"{ob}-{c}"
            out.append(f'    oblige {ob}-{c} "Do {ob}"\n')
            if exception and c % 6 == 5:
                out.append(f"    waive {obligation_of[c - 1]}\n")
            if c == 10 and a % 10 == 0:
                out.append('    grant "EUPL-1.2"\n')
            out.append("  }\n")
        out.append("}\n")
    for a in range(0, n_agreements - 2, 2):
        out.append(f"precedence a{a} over a{a + 2}\n")
    return "".join(out)


SCENARIO = """\
provider: p0
recipient: p1
date: 2025-06-10
solution:
  name: Big portal
  licence: GPL-3.0-or-later
  sbom: sbom.spdx.json
  attributes: {classification: public, source-public: true, budget: 250000, audited: true, %s}
use: %s
modified: true
linking: dynamic
agreements: [agreements/]
"""


def timed(cmd: list[str], runs: int) -> tuple[float, list[float], subprocess.CompletedProcess[str]]:
    times = []
    done = None
    for _ in range(runs):
        t = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - t)
    assert done is not None
    return statistics.median(times), times, done


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agreements", type=int, default=50)
    ap.add_argument("--clauses", type=int, default=20)
    ap.add_argument("--components", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--use", default="network-service", choices=["internal", "network-service", "distribution"])
    ap.add_argument("--no-sbom-problems", action="store_true",
                    help="drop the SBOM components that forbid or condition the use (exercises the agreements' "
                    "hints, which a third-party deny skips)")
    args = ap.parse_args()
    coop = Path(sys.executable).with_name("coop")
    with tempfile.TemporaryDirectory(prefix="bench-reuse-") as tmp:
        folder = Path(tmp)
        (folder / "agreements").mkdir()
        text = agreements(args.agreements, args.clauses, random.Random(4))
        (folder / "agreements" / "bench.coop").write_text(text)
        subprocess.run([sys.executable, str(HERE / "gen_sbom.py"), str(args.components),
                        str(folder / "sbom.spdx.json")], check=True, capture_output=True)
        if args.no_sbom_problems:
            import json as _json

            doc = _json.loads((folder / "sbom.spdx.json").read_text())
            doc["packages"] = [p for p in doc["packages"]
                               if p.get("licenseConcluded", p.get("licenseDeclared")) in ("MIT", "Apache-2.0", "ISC")]
            (folder / "sbom.spdx.json").write_text(_json.dumps(doc))
        # Every guardrail flag is given but one; with processes-personal-data, two facts stay unknown.
        flags = ", ".join(f"flag-{a}: false" for a in range(1, args.agreements))
        (folder / "scenario.yaml").write_text(SCENARIO % (flags, args.use))
        check = subprocess.run([str(coop), "check", str(folder / "agreements")], capture_output=True, text=True,
                               check=False)
        print(f"agreements: {args.agreements} x {args.clauses} clauses ({len(text) // 1024} KiB); "
              f"coop check exit {check.returncode}: {check.stdout.strip().splitlines()[-1]}")
        if check.returncode == 2:
            print(check.stdout[:2000], check.stderr[:2000])
            sys.exit(2)
        median, times, done = timed([str(coop), "reuse", str(folder / "scenario.yaml"), "--format", "json"],
                                    args.runs)
        if done.returncode == 2:
            print(done.stderr[:2000])
            sys.exit(2)
        import json

        data = json.loads(done.stdout)
        print(f"components: {args.components}; verdict {data['verdict']} (exit {done.returncode}); "
              f"{len(data['clauses'])} clauses; determining {data['determining'][:4]}")
        base, _, _ = timed([str(coop), "--version"], args.runs)
        print(f"coop reuse end to end: median {median:.3f} s over {args.runs} runs "
              f"({', '.join(f'{t:.3f}' for t in times)}); interpreter + CLI start-up alone {base:.3f} s")
        print("target < 1 s: " + ("met" if median < 1.0 else "NOT met"))
        if args.profile:
            sys.path.insert(0, str(HERE.parent / "src"))
            from coopengine.reuse import decide
            from coopengine.scenario import Scenario

            scenario = Scenario.from_file(folder / "scenario.yaml")
            profiler = cProfile.Profile()
            profiler.enable()
            decide(scenario)
            profiler.disable()
            stream = io.StringIO()
            pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(25)
            print(stream.getvalue())


if __name__ == "__main__":
    main()
