"""Explanations of a reuse decision for people: text for the terminal, Markdown for a case file.

Verdict first, then the licence findings, the agreements, the clauses in order, the
obligations, and what would change the answer. Only renders what the engine decided.
"""

from __future__ import annotations

import os
from pathlib import Path

from .reuse import ClauseStatus, Decision

__all__ = ["reuse_text", "reuse_markdown"]

_VERDICT_LINE = {
    "permit": "PERMIT: the recipient may reuse the solution without an MOU",
    "require-mou": "REQUIRE-MOU: an MOU is needed before this reuse",
    "deny": "DENY: this reuse is not allowed",
    "undetermined": "UNDETERMINED: the inputs cannot decide; treat as require-mou",
}


def _rel(path: str, base: Path) -> str:
    # Relative to the scenario, so that a case file reads the same on every machine.
    try:
        return Path(os.path.relpath(Path(path).resolve(), base.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return path


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _why_not(c: ClauseStatus) -> str:
    if c.status not in ("not-applicable", "undetermined", "not-in-force"):
        return ""
    bad = [x.text if x.note else f"{x.text} is {'unknown' if x.value is None else str(x.value).lower()}"
           for x in c.conditions if x.value is not True]
    return "; ".join(bad)


def _split_clauses(d: Decision) -> tuple[list[ClauseStatus], list[str]]:
    """Clauses worth reading one by one, and the agreements whose clauses cannot apply at all."""
    out = {a.id for a in d.agreements if a.status not in ("applies", "scope-unknown")}
    shown = [c for c in d.clauses if c.id.split(".", 1)[0] not in out]
    hidden = [a.id for a in d.agreements if a.id in out and any(c.id.split(".", 1)[0] == a.id for c in d.clauses)]
    return shown, hidden


def _clause_line(c: ClauseStatus) -> str:
    effect = f" -> {c.effect}" if c.effect else ""
    ref = f" [{c.ref}]" if c.ref else ""
    line = f"{c.id}{ref} ({c.kind}{effect}): {c.status}"
    if c.defeated_by:
        line += f", by {c.defeated_by}"
    why = _why_not(c)
    if why:
        line += f" ({why})"
    return line


def reuse_text(d: Decision) -> str:
    s = d.scenario
    out = [_VERDICT_LINE[d.verdict], f"  {d.summary}"]
    name = s.solution.name or "the solution"
    mod = "modified" if s.modified else "as is"
    out.append(f"  {s.recipient} reusing {name} from {s.provider} for {s.use} ({mod}), on {s.date}")
    if d.determining:
        out.append("  decided by: " + ", ".join(d.determining))
    lic = d.licence
    out.append("")
    out.append(f"Licences: {lic.verdict}")
    granted = f" (+ granted by agreement: {', '.join(lic.granted)})" if lic.granted else ""
    out.append(f"  owner's code ({s.solution.owner}): {lic.expression or 'no licence'}{granted}"
               + (f", into {lic.target}" if lic.target else "") + f" -> {lic.owner_status}"
               + (f" (choice: {lic.choice})" if lic.choice else ""))
    for r in lic.reasons:
        src = f" [{r.source.cite()}]" if r.source else ""
        out.append(f"    - {r.text}{src}")
    if lic.components:
        counts: dict[str, int] = {}
        for c in lic.components:
            counts[c.status] = counts.get(c.status, 0) + 1
        out.append("  third-party components: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
        for c in lic.components:
            if c.status != "grants":
                why = c.problem or (c.reasons[0].text if c.reasons else "")
                out.append(f"    - {c.name} {c.version or ''} ({c.licence or 'no licence'}): {c.status}: {why}")
    for cond in lic.conditions:
        out.append(f"  condition: {cond}")
    for note in lic.notes:
        out.append(f"  note: {note}")
    if d.agreements:
        out.append("")
        out.append("Agreements:")
        for a in d.agreements:
            out.append(f"  {a.id} ({a.status}): {a.why}")
    shown, hidden = _split_clauses(d)
    if shown:
        out.append("")
        out.append("Clauses:")
        for cl in shown:
            out.append("  " + _clause_line(cl))
    if hidden:
        out.append(f"  (clauses of {', '.join(hidden)} not listed: the agreement does not apply)")
    out.append("")
    out.append("Obligations:")
    if not d.obligations:
        out.append("  (none)")
    for o in d.obligations:
        out.append(f"  - {o.id} ({o.source}): {o.text}")
    if d.missing:
        out.append("")
        out.append("Missing facts: " + ", ".join(d.missing))
    if d.hints:
        out.append("")
        out.append("What would change this:")
        out += [f"  - {h}" for h in d.hints]
    return "\n".join(out) + "\n"


def reuse_markdown(d: Decision) -> str:
    s = d.scenario
    base = s.folder
    name = s.solution.name or "the solution"
    out = [f"# Reuse decision: {name}, {s.provider} to {s.recipient}", ""]
    out.append(f"**Verdict: `{d.verdict}`**. {_sentence(_VERDICT_LINE[d.verdict].split(': ', 1)[1])}.")
    out.append("")
    out.append(f"{_sentence(d.summary)}.")
    out.append("")
    out += ["| | |", "| --- | --- |",
            f"| Provider | `{s.provider}` |", f"| Recipient | `{s.recipient}` |",
            f"| Use | {s.use}{' (modified)' if s.modified else ''} |",
            f"| Linking | {s.linking or 'static'} |",
            f"| Decision date | {s.date} |",
            f"| Licence of the owner's code | `{d.licence.expression or 'none'}` |"]
    if d.determining:
        out.append("| Decided by | " + ", ".join(f"`{x}`" for x in d.determining) + " |")
    out.append("")
    out.append("## Licence findings")
    out.append("")
    out.append(f"Overall: **{d.licence.verdict}** (owner's code: {d.licence.owner_status}; "
               f"third-party components: {d.licence.third_party_status}).")
    out.append("")
    for r in d.licence.reasons:
        src = f" ({r.source.cite()}, <{r.source.url}>)" if r.source else ""
        out.append(f"- {r.text}{src}")
    for note in d.licence.notes:
        out.append(f"- Note: {note}")
    if d.licence.components:
        out += ["", "| Component | Version | Licence | Field | Finding |", "| --- | --- | --- | --- | --- |"]
        for c in d.licence.components:
            out.append(f"| {c.name} | {c.version or ''} | `{c.licence or 'none'}` | {c.licence_field} | {c.status} |")
    if d.agreements:
        out += ["", "## Agreements", "", "| Agreement | Status | Why |", "| --- | --- | --- |"]
        for a in d.agreements:
            out.append(f"| `{a.id}` {a.title} | {a.status} | {a.why} |")
    shown, hidden = _split_clauses(d)
    if shown:
        out += ["", "## Clauses", "", "| Clause | Ref | Kind | Effect | Status |", "| --- | --- | --- | --- | --- |"]
        for cl in shown:
            status = cl.status + (f" by `{cl.defeated_by}`" if cl.defeated_by else "")
            why = _why_not(cl)
            if why:
                status += f": {why}"
            out.append(f"| `{cl.id}` {cl.title} | {cl.ref or ''} | {cl.kind} | {cl.effect or ''} | {status} |")
    if hidden:
        out += ["", f"Clauses of {', '.join(f'`{a}`' for a in hidden)} are not listed: the agreement does not apply."]
    out += ["", "## Obligations", ""]
    if not d.obligations:
        out.append("None.")
    for o in d.obligations:
        out.append(f"- **{o.id}** (`{o.source}`): {o.text}")
    if d.hints:
        out += ["", "## What would change this", ""]
        out += [f"- {h}" for h in d.hints]
    out += ["", "## Provenance", "", f"- coopengine {d.provenance.get('coopengine')}, knowledge base "
            f"`{d.provenance.get('knowledge_base')}`"]
    inputs = d.provenance.get("inputs", {})
    if isinstance(inputs, dict):
        for path, digest in inputs.items():
            out.append(f"- `{_rel(str(path), base)}`: `{digest}`")
    return "\n".join(out) + "\n"
