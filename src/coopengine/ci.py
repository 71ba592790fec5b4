"""The CI step behind the GitHub Action (``action.yml``) and the GitLab template (``ci/gitlab-ci.yml``).

``python -m coopengine.ci`` runs one ``coop check``, ``coop sbom`` or ``coop tender`` with
``--format sarif``, writes the SARIF file, prints the findings readably in the job log (as
workflow annotations on GitHub), converts them to a GitLab Code Quality report when asked,
and exits with coop's own code, so ``--fail-on`` decides whether the job fails.

It lives in the package, not beside the templates, so that a pipeline that installed
coopengine (or runs its container image) has it, whichever repository included the template.
Options fall back to ``COOP_*`` environment variables: CI systems pass inputs that way, and
it keeps user input out of shell command lines (no injection through an input's value).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["main", "build_command", "code_quality", "summary"]

_SEVERITY = {"error": "major", "warning": "minor", "note": "info"}
_MAX_LOG_RESULTS = 200


def _env(name: str, environ: Mapping[str, str]) -> str | None:
    value = environ.get(name, "").strip()
    return value or None


def _parser(environ: Mapping[str, str]) -> argparse.ArgumentParser:
    def env(name: str) -> str | None:
        return _env(name, environ)

    p = argparse.ArgumentParser(prog="python -m coopengine.ci", description=__doc__.split("\n\n")[0])
    p.add_argument("paths", nargs="*", help="files or folders (env COOP_PATHS, one per line or space-separated)")
    p.add_argument("--command", choices=("check", "sbom", "tender"), default=env("COOP_COMMAND") or "sbom")
    p.add_argument("--outbound", default=env("COOP_OUTBOUND"), help="sbom: the outbound licence (COOP_OUTBOUND)")
    p.add_argument("--use", default=env("COOP_USE"), help="sbom: internal | network-service | distribution")
    p.add_argument("--linking", default=env("COOP_LINKING"), help="sbom: static | dynamic | separate")
    p.add_argument("--bid", default=env("COOP_BID"), help="tender: the bid's SBOM (COOP_BID)")
    p.add_argument("--offered", default=env("COOP_OFFERED"), help="tender: the offered licence (COOP_OFFERED)")
    p.add_argument("--publiccode", default=env("COOP_PUBLICCODE"), help="tender: the bid's publiccode.yml")
    p.add_argument("--date", default=env("COOP_DATE"), help="check, tender: the decision date (COOP_DATE)")
    p.add_argument("--fail-on", default=env("COOP_FAIL_ON"),
                   help="sbom, tender: no | human | unknown; check: error | warning (COOP_FAIL_ON)")
    p.add_argument("--kb", action="append", default=[k for k in (env("COOP_KB") or "").split() if k],
                   help="extra knowledge-base folder (repeatable; COOP_KB)")
    p.add_argument("--sarif", default=env("COOP_SARIF") or "coopengine.sarif", help="where to write SARIF")
    p.add_argument("--codequality", default=env("COOP_CODEQUALITY"),
                   help="also write a GitLab Code Quality report here (COOP_CODEQUALITY)")
    return p


def _split_paths(text: str | None) -> list[str]:
    if not text:
        return []
    return [line.strip() for line in text.splitlines() if line.strip()] if "\n" in text.strip() else text.split()


def build_command(args: argparse.Namespace) -> list[str]:
    """The ``coop`` command line for these options (without the interpreter)."""
    cmd = [args.command, *args.paths]
    options = {
        "check": ("date",),
        "sbom": ("outbound", "use", "linking"),
        "tender": ("bid", "offered", "publiccode", "date"),
    }[args.command]
    for name in options:
        value = getattr(args, name)
        if value:
            cmd += [f"--{name}", value]
    if args.fail_on:
        cmd += ["--fail-on", args.fail_on]
    for kb in args.kb:
        cmd += ["--kb", kb]
    return [*cmd, "--format", "sarif", "--quiet"]


def _where(result: Mapping[str, Any]) -> tuple[str, int]:
    loc = result["locations"][0]["physicalLocation"]
    return loc["artifactLocation"]["uri"], int(loc["region"]["startLine"])


def summary(log: Mapping[str, Any], *, github: bool = False) -> str:
    """The findings as log lines (``file:line: level rule: message``), or as GitHub workflow commands."""
    results = [r for run in log["runs"] for r in run["results"]]
    counts = {level: sum(1 for r in results if r["level"] == level) for level in ("error", "warning", "note")}
    lines = []
    for r in results[:_MAX_LOG_RESULTS]:
        file, line = _where(r)
        text = r["message"]["text"]
        if github:
            def esc(s: str) -> str:
                return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

            prop = esc(file).replace(",", "%2C").replace(":", "%3A")
            lines.append(f"::{r['level']} file={prop},line={line},title={esc(r['ruleId'])}::{esc(text)}")
        else:
            lines.append(f"{file}:{line}: {r['level']} {r['ruleId']}: {text}")
    if len(results) > _MAX_LOG_RESULTS:
        lines.append(f"... and {len(results) - _MAX_LOG_RESULTS} more in the SARIF file")
    lines.append(f"coopengine: {counts['error']} error(s), {counts['warning']} warning(s), {counts['note']} note(s)")
    return "\n".join(lines)


def code_quality(log: Mapping[str, Any]) -> list[dict[str, Any]]:
    """GitLab Code Quality issues (a subset of the Code Climate format) for the SARIF results."""
    issues = []
    for run in log["runs"]:
        for r in run["results"]:
            file, line = _where(r)
            fingerprint = next(iter(r["partialFingerprints"].values()))
            issues.append({
                "description": r["message"]["text"],
                "check_name": r["ruleId"],
                "fingerprint": fingerprint,
                "severity": _SEVERITY[r["level"]],
                "location": {"path": file, "lines": {"begin": line}},
            })
    return issues


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    args = _parser(environ).parse_args(argv)
    if not args.paths:
        args.paths = _split_paths(environ.get("COOP_PATHS"))
    if not args.paths:
        print("coopengine.ci: no files given (arguments or COOP_PATHS)", file=sys.stderr)
        return 2
    cmd = [sys.executable, "-m", "coopengine", *build_command(args)]
    print("$ coop " + " ".join(build_command(args)), file=sys.stderr)
    done = subprocess.run(cmd, stdout=subprocess.PIPE, check=False)
    sarif_path = Path(args.sarif)
    if done.returncode == 2:  # bad input: coop said why on stderr; no report to keep
        sarif_path.unlink(missing_ok=True)
        return 2
    sarif_path.write_bytes(done.stdout)
    log = json.loads(done.stdout)
    print(summary(log, github=environ.get("GITHUB_ACTIONS") == "true"))
    if args.codequality:
        Path(args.codequality).write_text(json.dumps(code_quality(log), indent=2) + "\n", encoding="utf-8")
    output = environ.get("GITHUB_OUTPUT")
    if output:
        with open(output, "a", encoding="utf-8") as fh:
            fh.write(f"exit-code={done.returncode}\nsarif-file={sarif_path}\n")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
