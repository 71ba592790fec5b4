"""``coop publiccode check FILE...``: is each publiccode.yml valid against the standard? Decides nothing.

Every file is read and reported, a broken one does not stop the others; the exit code is 0
when every file is valid (warnings allowed) and 2 when one is not.
"""

from __future__ import annotations

from typing import Any

import click

from .common import emit, emit_json, format_option
from .main import run

SCHEMA = "coopengine/publiccode-check/v1"


@click.group("publiccode")
def command() -> None:
    """Read and check publiccode.yml files."""


@command.command("check")
@click.argument("files", metavar="FILE...", nargs=-1, required=True, type=click.Path(dir_okay=False))
@format_option("text", "json")
def check(files: tuple[str, ...], fmt: str) -> None:
    """Check each publiccode.yml FILE (versions 0.2 to 0.7): required keys per version, the SPDX
    licence expression (WITH included), dates, types and values; unknown keys with did-you-mean.

    Exit 0 when every file is valid (deprecated keys are warnings), 2 when one is not.
    """
    reports = [_report(path) for path in files]
    bad = sum(1 for r in reports if not r["valid"])
    if fmt == "json":
        plain = [{k: v for k, v in r.items() if k != "rendered"} for r in reports]
        emit_json({"schema": SCHEMA, "valid": bad == 0, "exit_code": 2 if bad else 0, "files": plain})
    else:
        emit(_text(reports))
    run(2 if bad else 0)


def _report(path: str) -> dict[str, Any]:
    from ..api import load_publiccode
    from ..errors import InputError

    try:
        pc = load_publiccode(path)
    except InputError as exc:
        diag = {"severity": "error", **exc.to_dict()}
        return {"file": path, "valid": False, "version": None, "errors": 1, "warnings": 0,
                "diagnostics": [diag], "rendered": [exc.render()]}
    diags = list(pc.warnings)
    errors = sum(1 for d in diags if d.severity == "error")
    return {"file": path, "valid": errors == 0, "version": pc.version, "errors": errors,
            "warnings": len(diags) - errors, "diagnostics": [d.to_dict() for d in diags],
            "rendered": [d.render() for d in diags]}


def _text(reports: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    for r in reports:
        lines.extend(r.pop("rendered"))
        version = f"publiccode.yml {r['version']}" if r["version"] else "version unknown"
        state = "valid" if r["valid"] else f"INVALID, {r['errors']} error{'s' if r['errors'] != 1 else ''}"
        warn = f", {r['warnings']} warning{'s' if r['warnings'] != 1 else ''}" if r["warnings"] else ""
        lines.append(f"{r['file']}: {state}{warn} ({version})")
    bad = sum(1 for r in reports if not r["valid"])
    if len(reports) > 1:
        lines.append(f"{len(reports)} files: {len(reports) - bad} valid, {bad} invalid")
    return "\n".join(lines) + "\n"
