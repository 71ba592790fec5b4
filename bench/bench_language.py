"""Benchmark (run by hand): parse and check generated agreement files.

PYTHONPATH=src python bench/bench_language.py [SIZE_MB]

Three inputs:

* realistic, SIZE_MB (default 1): many agreements of 20 clauses each, written the way
  the examples are (exceptions, guardrails, obligations, dated clauses, a few real
  conflicts), so that checking it gives a handful of warnings, as a real file would;
* realistic, 50 agreements x 20 clauses (about 200 KB), a large real-world portfolio;
* pathological, SIZE_MB: eight clauses per agreement that all share one condition, so
  every pair of effects conflicts (thousands of W401). It measures the worst case of the
  conflict search, not what users write.

Each figure is the best of ``--repeat`` runs (default 3) in one process, after the
grammar is built (or loaded from the user's cache: see ``grammar load``), in one process
(docs/language.md, Performance).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from coopengine.language import check_text, parse_text  # noqa: E402
from coopengine.language._lark import parser  # noqa: E402

CODES = ("FR", "DE", "IT", "ES", "NL", "BE", "US-MD", "EE", "RW")


def generate_pathological(size: int) -> str:
    """The original benchmark file: every clause of an agreement has the same condition."""
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


# Backwards-compatible name: the figure published before the realistic generator existed.
generate = generate_pathological


def _agreement(n: int, rng: random.Random, parties: dict[str, tuple[str, str]]) -> str:
    a, b, *more = rng.sample(sorted(parties), rng.choice((2, 2, 2, 3)))
    members = [a, b, *more]
    start = 2023 + rng.randrange(3)
    until = start + 6 + rng.randrange(4)
    category = rng.choice(("permissive", "public-domain"))
    art = 1 + rng.randrange(3)
    lines = [
        f"# Standing reuse agreement {n}: {', '.join(members)}.",
        f'agreement ag-{n} "Standing reuse agreement {n}" {{',
        f"  parties {', '.join(members)}",
        f"  effective {start}-0{1 + rng.randrange(9)}-01 until {until}-12-31",
        f"  scope solution.owner in {{{', '.join(members)}}}",
        f'  text "https://example.org/agreements/{n}.pdf"',
        "",
        f'  clause osi "Art. {art} Reuse of OSI-approved code" ref "art-{art}" {{',
        "    when licence.osi-approved",
        "    then permit",
        '    oblige share-back "Offer improvements to the provider within 90 days"',
        "  }",
        "",
        "  # Network copyleft offered as a service needs a case-by-case review...",
        f'  clause saas "Art. {art}.1 Network copyleft as a service" ref "art-{art}-1" exception to osi {{',
        "    when use == network-service and licence.copyleft == network",
        "    then require-mou",
        "  }",
        "",
        "  # ...unless the source is already public.",
        f'  clause public "Art. {art}.2 Source already public" ref "art-{art}-2" exception to saas {{',
        "    when solution.source-public",
        "    then permit",
        '    oblige upstream "Offer improvements upstream within 90 days"',
        "  }",
        "",
        f'  clause static "Art. {art}.3 Static linking of strong copyleft" ref "art-{art}-3" exception to osi {{',
        "    when use == distribution and linking == static and licence.copyleft == strong",
        "    then require-mou",
        "  }",
        "",
        f'  clause lutece "Art. {art}.4 Changes go upstream instead" ref "art-{art}-4" exception to osi {{',
        '    when solution.name == "Lutece"',
        '    oblige merge-request "Open a merge request on the upstream repository"',
        "    waive share-back",
        "  }",
        "",
        '  clause notify "Art. 4 Notify deployments" ref "art-4" {',
        "    when use == network-service",
        f'    oblige notify-{a} "Tell the provider\'s OSPO within {rng.choice((15, 30, 60))} days"',
        "  }",
        "",
        '  clause publish "Art. 5 Publish changes" ref "art-5" {',
        "    when modified and use == distribution",
        '    oblige publish-changes "Publish the modified source"',
        "  }",
        "",
        '  clause attribution "Art. 5.1 Attribution" ref "art-5-1" {',
        "    when use == distribution or (use == network-service and not solution.internal-only)",
        '    oblige attribution "Credit the provider in the about page"',
        "  }",
        "",
        '  clause source-available "Art. 6 Source-available code" ref "art-6" {',
        "    when not licence.osi-approved and licence.category == source-available",
        "    then require-mou",
        "  }",
        "",
        '  clause proprietary "Art. 6.1 Proprietary code" ref "art-6-1" {',
        "    when licence.category == proprietary",
        "    then deny",
        "  }",
        "",
        f'  clause peers "Art. 7 Reuse between {parties[a][0]} peers" ref "art-7" {{',
        f"    when provider.kind == {parties[a][0]} and licence.category == {category}",
        "    then permit",
        "  }",
        "",
        '  clause pilot "Art. 8 Pilot of weak-copyleft components" ref "art-8" {',
        "    when use == internal and licence.category == weak-copyleft",
        "    then permit",
        f"    effective {start + 1}-01-01 until {start + 3}-12-31",
        "  }",
        "",
        '  clause internal "Art. 9 Unmodified internal use" ref "art-9" {',
        "    when use == internal and not modified and licence.osi-approved",
        "    then permit",
        "  }",
        "",
        '  clause credit "Art. 10 Credit the owner" ref "art-10" {',
        f"    when solution.owner == {a}",
        f'    oblige credit-{a} "Name {a} as the original author"',
        "  }",
        "",
        '  clause eupl "Art. 11 Additional licence" ref "art-11" {',
        f"    when solution.owner == {b}",
        '    grant "EUPL-1.2"',
        "  }",
        "",
        '  clause report "Art. 12 Yearly report" ref "art-12" {',
        f"    when date >= {start + 1}-01-01 and use == network-service",
        '    oblige yearly-report "Report usage figures every January"',
        "  }",
        "",
        '  clause security "Art. 13 Security fixes" ref "art-13" {',
        "    when solution.security-fix and (modified or use == distribution)",
        '    oblige private-disclosure "Disclose the fix privately to the owner first"',
        "  }",
        "",
        '  clause jurisdiction "Art. 14 Same jurisdiction" ref "art-14" {',
        f"    when recipient.jurisdiction == \"{parties[b][1]}\" and use == distribution",
        '    oblige local-notice "Add the local legal notice"',
        "  }",
        "",
        '  guardrail restricted "Art. 15 Restricted systems are never pooled" ref "art-15" {',
        '    when solution.classification == "restricted"',
        "    then deny",
        "  }",
        "",
        '  guardrail personal-data "Art. 16 Personal data needs an impact assessment" ref "art-16" {',
        "    when solution.personal-data and not solution.dpia-done",
        "    then require-mou",
        "  }",
    ]
    if n % 25 == 3:
        # A real mistake, as found in practice: a restriction written as a clause rather
        # than a guardrail or an exception, so it conflicts with the permits it overlaps.
        lines += [
            "",
            '  clause export "Art. 17 Export control" ref "art-17" {',
            "    when solution.export-controlled and use == distribution",
            "    then require-mou",
            "  }",
        ]
    else:
        lines += [
            "",
            '  clause training "Art. 17 Training material" ref "art-17" {',
            "    when solution.training-material",
            '    oblige cc-by "Publish the training material under CC-BY-4.0"',
            "  }",
        ]
    lines.append("}")
    return "\n".join(lines) + "\n"


def generate_realistic(size: int | None = None, agreements: int | None = None, seed: int = 1) -> str:
    """Agreements of 20 clauses in the style of examples/, up to ``size`` characters
    or ``agreements`` agreements."""
    rng = random.Random(seed)
    kinds = {"city": "city", "region": "region", "univ": "university"}
    names = {
        f"{short}-{k}": (kind, rng.choice(CODES)) for k in range(8) for short, kind in kinds.items()
    }
    parts = ["# Parties of the cooperation network.\n"]
    for name, (kind, code) in names.items():
        parts.append(f'party {name} "{name.title()}" kind {kind} jurisdiction {code}\n')
    n = 0
    total = sum(map(len, parts))
    while (agreements is None or n < agreements) and (size is None or total < size):
        text = "\n" + _agreement(n, rng, names)
        parts.append(text)
        total += len(text)
        n += 1
    return "".join(parts)


def _best(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        result = None  # free the previous run's objects outside the timed window
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def _report(label: str, text: str, repeat: int) -> None:
    t_parse, parsed = _best(lambda: parse_text(text, "bench.coop"), repeat)
    module = parsed[0]  # type: ignore[index]
    assert module is not None, parsed
    t_all, result = _best(lambda: check_text(text, "bench.coop"), repeat)
    diagnostics = result.diagnostics  # type: ignore[attr-defined]
    codes: dict[str, int] = {}
    for d in diagnostics:
        codes[d.code] = codes.get(d.code, 0) + 1
    agreements = sum(1 for i in module.items if type(i).__name__ == "Agreement")
    print(f"{label}: {len(text) / 1024 / 1024:.2f} MB, {agreements} agreements, {len(module.items)} items")
    print(f"  parse: {t_parse:.3f} s")
    print(f"  parse + check: {t_all:.3f} s  ({len(diagnostics)} diagnostics: {codes})")


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("size_mb", nargs="?", type=float, default=1.0)
    args.add_argument("--repeat", type=int, default=3)
    opts = args.parse_args()
    size = int(opts.size_mb * 1024 * 1024)
    t0 = time.perf_counter()
    parser()
    print(f"grammar load (once per process; built and cached on first use): {time.perf_counter() - t0:.3f} s")
    _report("realistic", generate_realistic(size), opts.repeat)
    _report("realistic, 50 agreements x 20 clauses", generate_realistic(agreements=50), opts.repeat)
    _report("pathological", generate_pathological(size), opts.repeat)


if __name__ == "__main__":
    main()
