"""SARIF 2.1.0 logs of ``coop check``, ``coop sbom`` and ``coop tender``, for code-scanning views.

A renderer like the explain modules: it turns results the engine built into the SARIF shape and
decides nothing. Choices a reader of the log should know:

* rules: one per diagnostic code (check, the whole catalogue so that help is there for every
  code), per verdict kind (sbom: ``sbom/incompatible``, ``sbom/unknown``, ``sbom/conditional``)
  and per tender requirement (``TENDER/REQUIREMENT``); notes of a result use ``coop/note``;
* levels: ``error`` for incompatible, fail and errors; ``warning`` for conditional, unknown and
  warnings; ``note`` for notes. Compatible components and passing requirements give no result;
* every result has a physical location, because code-scanning views drop results without one:
  the diagnostic's span; the SBOM line where the component's id is written (line 1 when the
  text does not show it); the tender's ``requirement`` line for the offered licence;
* ``partialFingerprints`` hash what identifies a finding across runs (the rule and the purl,
  else name@version, else the id; for diagnostics the code, file and message), never a line
  number or a time, so a finding keeps its identity when the file around it moves.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from . import __version__
from .language.diagnostics import CODES, Diagnostic
from .procurement import SbomCheck, TenderCheck
from .sbom import component_lines

__all__ = ["check_log", "sbom_log", "tender_log", "requirement_lines", "SCHEMA_URI"]

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_TENDER_VERB = {"fail": "fails", "unknown": "cannot be decided"}

_NOTE_RULE = {
    "id": "coop/note",
    "name": "Note",
    "shortDescription": {"text": "A note on the result as a whole"},
    "help": {"text": "Something a reviewer should know about the whole result (an empty SBOM, a tender "
                     "without requirements).",
             "markdown": "Something a reviewer should know about the **whole result**, such as an SBOM that "
                         "lists no components (nothing could be checked) or a tender without requirements."},
    "defaultConfiguration": {"level": "note"},
}

_SBOM_RULES = {
    "incompatible": ("IncompatibleLicence", "error",
                     "A component's licence does not allow it in a work under the outbound licence for this use",
                     "The component's licence **forbids** putting it into a work released under the outbound "
                     "licence for this use and linking (for instance a copyleft licence into a permissive or "
                     "closed work, or two copyleft licences that cannot be combined).\n\n"
                     "Fix: replace the component, choose another outbound licence (`coop outbound`), or change "
                     "the use or linking if the real use differs. The message names the licence term that decided."),
    "unknown": ("UnknownLicence", "warning",
                "A component's licence cannot be assessed",
                "The component's licence **cannot be assessed**: no licence is stated, it is `NOASSERTION`, "
                "the text is not an SPDX expression, or it is a `LicenseRef-` nobody described.\n\n"
                "Fix: correct the SBOM (state the SPDX licence), or describe the licence for the knowledge "
                "base with `--kb`."),
    "conditional": ("ConditionalLicence", "warning",
                    "A component's licence allows it only under a condition",
                    "The component's licence allows it **only if a stated condition holds** (for instance that "
                    "the combined work is used under a later version of the outbound licence).\n\n"
                    "Fix: check the condition named in the message and record the decision, or avoid it."),
}
_LEVEL_OF_SBOM = {"incompatible": "error", "unknown": "warning", "conditional": "warning"}
_LEVEL_OF_TENDER = {"fail": "error", "unknown": "warning"}


def _uri(path: str) -> str:
    """A path as a SARIF ``uri``: relative paths stay relative (code scanning resolves them)."""
    if path.startswith("<"):
        return quote(path.strip("<>"))
    if os.path.isabs(path):
        return Path(path).as_uri()
    return quote(path.replace(os.sep, "/"))


def _location(file: str, line: int, column: int | None = None, end_line: int | None = None,
              end_column: int | None = None) -> dict[str, Any]:
    region: dict[str, int] = {"startLine": max(1, line)}
    if column is not None:
        region["startColumn"] = max(1, column)
    if end_line is not None and end_line >= region["startLine"]:
        region["endLine"] = end_line
        if end_column is not None and (end_line > line or end_column > (column or 1)):
            region["endColumn"] = end_column
    return {"physicalLocation": {"artifactLocation": {"uri": _uri(file)}, "region": region}}


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _log(rules: Sequence[dict[str, Any]], results: Sequence[dict[str, Any]], files: Iterable[str]) -> dict[str, Any]:
    index = {r["id"]: i for i, r in enumerate(rules)}
    for result in results:
        result["ruleIndex"] = index[result["ruleId"]]
    artifacts = [{"location": {"uri": _uri(f)}} for f in dict.fromkeys(files)]
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "coopengine", "version": __version__, "semanticVersion": __version__,
                            "rules": list(rules)}},
        "artifacts": artifacts,
        "results": list(results),
        "columnKind": "unicodeCodePoints",
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _note_results(notes: Iterable[str], file: str) -> list[dict[str, Any]]:
    return [{"ruleId": "coop/note", "level": "note", "message": {"text": note},
             "locations": [_location(file, 1)],
             "partialFingerprints": {"coopNote/v1": _fingerprint("coop/note", file, note)}}
            for note in notes]


# ---- coop check ----------------------------------------------------------------------------


def _check_rule(code: str, description: str) -> dict[str, Any]:
    level = "error" if code.startswith("E") else "warning"
    kind = "an error: the files cannot be used until it is fixed" if level == "error" else (
        "a warning: the files can be used, but the agreement probably does not say what its authors meant")
    return {
        "id": code,
        "name": re.sub(r"[^A-Za-z0-9]+", " ", description).title().replace(" ", ""),
        "shortDescription": {"text": description[:1].upper() + description[1:]},
        "help": {"text": f"{code}: {description}. This is {kind}.",
                 "markdown": f"**{code}**: {description}.\n\nThis is {kind}. The diagnostic shows the line, "
                             f"what was expected and, where one is close, a suggestion; `docs/language.md` "
                             f"(Diagnostics) has an example of each code."},
        "defaultConfiguration": {"level": level},
    }


def check_log(diagnostics: Sequence[Diagnostic], files: Sequence[str]) -> dict[str, Any]:
    """The SARIF log of ``coop check``: one result per diagnostic, at its span."""
    rules = [_check_rule(code, text) for code, text in sorted(CODES.items())]
    results = []
    for d in diagnostics:
        message = d.message + (f" (expected: {d.expected})" if d.expected else "") + (
            f" Hint: {d.hint}" if d.hint else "")
        results.append({
            "ruleId": d.code,
            "level": "error" if d.severity == "error" else "warning",
            "message": {"text": message},
            "locations": [_location(d.file, d.line, d.column, d.end_line, d.end_column)],
            "partialFingerprints": {"coopDiagnostic/v1": _fingerprint(d.code, d.file, d.message)},
        })
    return _log(rules, results, [*files, *(d.file for d in diagnostics)])


# ---- coop sbom -----------------------------------------------------------------------------


def _sbom_rules() -> list[dict[str, Any]]:
    return [
        {"id": f"sbom/{kind}", "name": name, "shortDescription": {"text": short},
         "help": {"text": short + ".", "markdown": markdown},
         "defaultConfiguration": {"level": level}}
        for kind, (name, level, short, markdown) in _SBOM_RULES.items()
    ] + [_NOTE_RULE]


def sbom_log(checks: Sequence[tuple[SbomCheck, str]]) -> dict[str, Any]:
    """The SARIF log of ``coop sbom`` over one or more SBOMs, each given with its text (for the lines)."""
    results: list[dict[str, Any]] = []
    for check, text in checks:
        lines = component_lines(text)
        path = check.sbom.path
        for cv in check.components:
            verdict = cv.verdict
            if verdict not in _LEVEL_OF_SBOM:
                continue
            c = cv.component
            who = f"{c.name}@{c.version}" if c.version else c.name
            why = cv.finding.why
            text = (f"{who} ({c.licence or 'no licence stated'}) is {verdict} with {check.outbound} "
                    f"for {check.use}, {check.linking} linking" + (f": {why}" if why else ""))
            rule = f"sbom/{verdict}"
            results.append({
                "ruleId": rule,
                "level": _LEVEL_OF_SBOM[verdict],
                "message": {"text": text},
                "locations": [_location(path, lines.get(c.id, 1))],
                "partialFingerprints": {"coopComponent/v1": _fingerprint(rule, c.purl or who or c.id)},
                "properties": {"component": c.id, "licence": c.licence, "outbound": check.outbound},
            })
        results.extend(_note_results(check.notes, path))
    return _log(_sbom_rules(), results, [c.sbom.path for c, _ in checks])


# ---- coop tender ---------------------------------------------------------------------------


def requirement_lines(text: str, tender: str) -> dict[str, int]:
    """The line of each ``requirement ID`` inside ``tender ID { ... }`` in a tender file's text."""
    start = re.search(rf"^\s*tender\s+{re.escape(tender)}\b", text, flags=re.M)
    if start is None:
        return {}
    out: dict[str, int] = {}
    base = text.count("\n", 0, start.start()) + 1
    rest = text[start.start():]
    for m in re.finditer(r"^\s*(tender|requirement)\s+([A-Za-z0-9_-]+)", rest, flags=re.M):
        if m.group(1) == "tender" and m.start() > 0:
            break  # the next tender's requirements are not this one's
        if m.group(1) == "requirement":
            out.setdefault(m.group(2), base + rest.count("\n", 0, m.start()))
    return out


def tender_log(result: TenderCheck, tender_file: str, tender_text: str, sbom_file: str,
               sbom_text: str) -> dict[str, Any]:
    """The SARIF log of ``coop tender``: one result per failing or unknown piece of evidence.

    The texts of the tender file and the bid's SBOM give the lines results point at.
    """
    requirement_at = requirement_lines(tender_text, result.tender)
    component_at = component_lines(sbom_text)
    rules = []
    results: list[dict[str, Any]] = []
    for req in result.requirements:
        rule_id = f"{result.tender}/{req.id}"
        ref = f" (section {req.ref})" if req.ref else ""
        rule_lines = "\n".join(f"- `{r}`" for r in req.rules)
        rules.append({
            "id": rule_id,
            "name": re.sub(r"[^A-Za-z0-9]+", " ", req.title).title().replace(" ", "") or req.id,
            "shortDescription": {"text": f"{req.title}{ref}"},
            "help": {"text": f"Tender {result.tender}, requirement {req.id}{ref}: {req.title}. "
                             f"Rules: {'; '.join(req.rules)}.",
                     "markdown": f"**{req.title}**: requirement `{req.id}`{ref} of tender `{result.tender}` "
                                 f"({result.title}).\n\nThe bid must meet:\n\n{rule_lines}"},
            "defaultConfiguration": {"level": "error"},
        })
        for ev in req.evidence:
            if ev.result not in _LEVEL_OF_TENDER:
                continue
            if ev.component is None:  # the offered licence, or the SBOM as a whole
                where = _location(tender_file, requirement_at.get(req.id, 1))
                key = ev.licence or ev.name or ""
            else:
                where = _location(sbom_file, component_at.get(ev.component, 1))
                key = f"{ev.name}@{ev.version}" if ev.version else (ev.name or ev.component)
            subject = ev.name or ev.component or "the bid"
            results.append({
                "ruleId": rule_id,
                "level": _LEVEL_OF_TENDER[ev.result],
                "message": {"text": f"{req.id} {req.title}: {subject} "
                                    f"({ev.licence or 'no licence stated'}) {_TENDER_VERB[ev.result]}: {ev.why}"},
                "locations": [where],
                "partialFingerprints": {"coopEvidence/v1": _fingerprint(rule_id, key)},
            })
    rules.append(_NOTE_RULE)
    results.extend(_note_results(result.notes, sbom_file))
    return _log(rules, results, [tender_file, sbom_file])
