"""``coop test``: run decision test cases written by agreement authors."""

from __future__ import annotations

import click

from .common import allow_outside_option, emit, emit_json, format_option, kb_option
from .main import run


@click.command("test")
@click.argument("cases", metavar="CASES.yaml", type=click.Path(dir_okay=False))
@click.option("--coverage", is_flag=True, help="List the clauses that no case applied or defeated.")
@click.option("--case", "only", multiple=True, metavar="ID", help="Run only this case (repeatable).")
@allow_outside_option
@format_option("text", "json")
@kb_option
def command(cases: str, coverage: bool, only: tuple[str, ...], allow_outside: bool, fmt: str,
            kb: tuple[str, ...]) -> None:
    """Run the cases: each scenario must reach its expected verdict (and determining clauses).

    Exit 0 if every case passes, 1 if one fails, 2 on bad input.
    """
    from ..casetest import run_cases

    result = run_cases(cases, kb=kb, only=only, allow_outside=allow_outside)
    if fmt == "json":
        emit_json(result.to_dict(coverage))
    else:
        lines = []
        for r in result.results:
            lines.append(f"{'PASS' if r.passed else 'FAIL'} {r.id} ({result.file}:{r.line}): {r.got}")
            for p in r.problems:
                lines.append(f"    {p}")
        if coverage:
            lines.append(f"coverage: {len(result.clauses) - len(result.uncovered)}/{len(result.clauses)} clauses "
                         "applied or defeated by some case")
            for c in result.uncovered:
                lines.append(f"    never applied or defeated: {c}")
        lines.append(f"{result.passed} passed, {result.failed} failed")
        emit("\n".join(lines))
    run(0 if result.failed == 0 else 1)
