"""SBOM and tender checks for people: text for the terminal, Markdown for a procurement file.

The summary comes first (verdict, counts, what blocks, what is unknown, obligations by licence),
then the detail (every component, every requirement with its evidence). Only renders what
:mod:`coopengine.procurement` decided; JSON is ``to_dict()`` plus :func:`sbom_json`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from json.encoder import encode_basestring as _encode_str

from . import __version__
from .errors import clip, printable
from .procurement import (
    OWN_KEYS,
    ComponentVerdict,
    LicenceFinding,
    RequirementResult,
    SbomCheck,
    TenderCheck,
    own_values,
)
from .sbom import Component

__all__ = ["sbom_text", "sbom_markdown", "sbom_json", "sbom_json_chunks", "tender_text", "tender_markdown"]


# ---- coop sbom ----------------------------------------------------------------------------


# Control characters from an SBOM (an ESC in a component name) must not reach a terminal or a
# report as such: text and Markdown show them escaped (errors.printable, as everywhere); JSON
# already escapes C0 and gets the rest (DEL, C1) as \u00NN. The layout's tabs and line breaks stay.
_JSON_CONTROL_RE = re.compile(r"[\x7f-\x9f]")
_escaped = printable


def _escaped_json(text: str) -> str:
    # ASCII text without DEL, the common case, is checked in C without running the regex
    # (50 ms saved on the 29 MB report of 100,000 components).
    if text.isascii() and "\x7f" not in text:
        return text
    return _JSON_CONTROL_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _headline(r: SbomCheck) -> str:
    n = len(r.components)
    counts = r.counts
    out = r.outbound
    if n == 0 and r.not_evaluated:
        return (f"UNKNOWN: none of the SBOM's components is in the scopes that count ({', '.join(r.scopes)}); "
                f"{len(r.not_evaluated)} listed as not evaluated")
    if n == 0:
        return "UNKNOWN: the SBOM lists no components, so nothing was checked"
    if r.verdict == "incompatible":
        return f"INCOMPATIBLE: {counts['incompatible']} of {_plural(n, 'component')} cannot go into a work under {out}"
    if r.verdict == "unknown":
        return (f"UNKNOWN: for {counts['unknown']} of {_plural(n, 'component')} the licence is missing, "
                "unreadable or not described, so compatibility cannot be decided")
    if r.verdict == "conditional":
        return (f"CONDITIONAL: {counts['conditional']} of {_plural(n, 'component')} go into a work under {out} "
                "only if the conditions below are met")
    return f"COMPATIBLE: all {_plural(n, 'component')} can go into a work under {out}"


def _counts_line(r: SbomCheck) -> str:
    counts = r.counts
    return ", ".join(f"{counts[v]} {v}" for v in ("compatible", "conditional", "unknown", "incompatible"))


def _shown(text: str | None) -> str:
    return "(no licence)" if text is None else printable(clip(text), newlines=False)


def _who(cv: ComponentVerdict) -> str:
    return _who_c(cv.component)


def _who_c(c: Component) -> str:
    return printable(clip(f"{c.name} {c.version}" if c.version else c.name), newlines=False)


def _groups(r: SbomCheck, verdict: str) -> list[tuple[LicenceFinding, list[ComponentVerdict]]]:
    return sorted(((f, m) for f, m in r.by_finding() if f.verdict == verdict and m), key=lambda g: -len(g[1]))


def _read_as(r: SbomCheck) -> list[tuple[LicenceFinding, list[ComponentVerdict]]]:
    """Licence texts read through the name table or as a list, most components first."""
    return sorted(((f, m) for f, m in r.by_finding() if f.read_as and m), key=lambda g: -len(g[1]))


def sbom_text(r: SbomCheck) -> str:
    s = r.sbom
    out = [_headline(r)]
    out.append(f"  outbound {r.outbound}, {r.use} use, {r.linking} linking")
    out.append(f"  SBOM {s.path} ({s.format} {s.spec_version}), sha256:{s.sha256}")
    out.append(f"  components: {_counts_line(r)} ({_plural(len(r.findings), 'distinct licence text')})")
    blocking = _groups(r, "incompatible")
    if blocking:
        out += ["", "Blocking components (incompatible), by licence:"]
        for f, members in blocking:
            out.append(f"  - {_shown(f.text)} ({_plural(len(members), 'component')}): {f.why}")
            out.append("      " + ", ".join(_who(cv) for cv in members))
    unknown = _groups(r, "unknown")
    if unknown:
        out += ["", "Unknown licences:"]
        for f, members in unknown:
            out.append(f"  - {_shown(f.text)} ({_plural(len(members), 'component')}): {f.why}")
    conditional = _groups(r, "conditional")
    if conditional:
        out += ["", "Conditions:"]
        for f, members in conditional:
            out.append(f"  - {_shown(f.text)} ({_plural(len(members), 'component')}): only if "
                       + "; ".join(f.conditions))
    read_as = _read_as(r)
    if read_as:
        out += ["", "Licences not written as SPDX expressions, and how they were read:"]
        for f, members in read_as:
            out.append(f"  - {_shown(f.text)} ({_plural(len(members), 'component')}):")
            out += [f"      {line}" for line in f.read_as]
    groups = r.obligation_groups()
    out += ["", "Obligations by licence:"]
    if not groups:
        out.append("  (none)")
    for g in groups:
        out.append(f"  {g.licence} ({_plural(g.components, 'component')}):")
        out += [f"    - {oid}: {text}" for oid, text in g.obligations]
    if r.notes:
        out += ["", "Notes:"] + [f"  - {n}" for n in r.notes]
    if r.not_evaluated:
        out += ["", f"Not evaluated ({_plural(len(r.not_evaluated), 'component')}: outside the scopes that "
                f"count, {', '.join(r.scopes)}, or not software):"]
        out += [f"  - {_who_c(a.component)} [{a.component.licence or 'no licence'}]: {a.why}" for a in r.not_evaluated]
    if s.warnings:
        out += ["", "Warnings (read past; --strict refuses them):"]
        out += [f"  - {s.path}:{w.line or '?'}: {w.message}" for w in s.warnings]
    if r.components:
        out += ["", "Components:"]
        rows = [(c.component.id, c.component.name, c.component.version or "", _shown(c.component.licence),
                 c.verdict) for c in r.components]
        out += ["  " + line for line in _table(("ID", "NAME", "VERSION", "LICENCE", "VERDICT"), rows)]
    return _escaped("\n".join(out) + "\n")


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], cap: int = 48) -> list[str]:
    """Columns padded to their widest cell (capped: a long id must not push the verdict off screen)."""
    widths = [min(cap, max([len(h)] + [len(row[i]) for row in rows])) for i, h in enumerate(head)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True)).rstrip()

    return [line(head)] + [line(row) for row in rows]


def _sentence(text: str) -> str:
    """Capitalise the first letter only: licence ids keep their case."""
    return text[:1].upper() + text[1:]


def _cell(text: str | None) -> str:
    """Markdown table cell: pipes escaped, line breaks flattened."""
    return "" if text is None else printable(text.replace("|", "\\|").replace("\n", " "), newlines=False)


def _code(text: str | None) -> str:
    return "" if text is None else "`" + text.replace("`", "'") + "`"


def _finding_sections(r: SbomCheck) -> list[str]:
    """The Markdown sections on the licences that are unknown, conditional, or read from names."""
    out: list[str] = []
    unknown = _groups(r, "unknown")
    if unknown:
        out += ["", "## Unknown licences", "", "| Licence as written | Components | Why |", "| --- | ---: | --- |"]
        for f, members in unknown:
            out.append(f"| {_code(_shown(f.text))} | {len(members)} | {_cell(f.why)} |")
    conditional = _groups(r, "conditional")
    if conditional:
        out += ["", "## Conditions", "", "| Licence | Components | Condition |", "| --- | ---: | --- |"]
        for f, members in conditional:
            out.append(f"| {_code(_shown(f.text))} | {len(members)} | {_cell('; '.join(f.conditions))} |")
    read_as = _read_as(r)
    if read_as:
        out += ["", "## Licences read from names or lists", "",
                "| Licence as written | Components | Read as | How |", "| --- | ---: | --- | --- |"]
        for f, members in read_as:
            out.append(f"| {_code(_shown(f.text))} | {len(members)} | {_code(f.expression or '(unknown)')} "
                       f"| {_cell('; '.join(f.read_as))} |")
    return out


def sbom_markdown(r: SbomCheck) -> str:
    s = r.sbom
    title = s.name or s.path
    out = [f"# SBOM licence check: {title}", ""]
    out.append(f"**Verdict: `{r.verdict}`**. {_sentence(_headline(r).split(': ', 1)[1])}.")
    out += ["", "| | |", "| --- | --- |",
            f"| SBOM | {_code(s.path)} ({s.format} {s.spec_version}) |",
            f"| SHA-256 | `{s.sha256}` |",
            f"| Outbound licence | {_code(r.outbound)} |",
            f"| Use | {r.use} |",
            f"| Linking | {r.linking} |",
            f"| Components | {len(r.components)} ({_plural(len(r.findings), 'distinct licence text')}) |",
            f"| Knowledge base | `{r.knowledge_base}` |",
            f"| coopengine | {__version__} |"]
    counts = r.counts
    out += ["", "## Summary", "", "| Verdict | Components |", "| --- | ---: |"]
    out += [f"| {v} | {counts[v]} |" for v in ("compatible", "conditional", "unknown", "incompatible")]
    out += ["", "## Blocking components", ""]
    blocking = _groups(r, "incompatible")
    if not blocking:
        out.append("None.")
    else:
        out += ["| Licence | Components | Why |", "| --- | --- | --- |"]
        for f, members in blocking:
            out.append(f"| {_code(_shown(f.text))} | {_cell(', '.join(_who(cv) for cv in members))} "
                       f"| {_cell(f.why)} |")
    out += _finding_sections(r)
    out += ["", "## Obligations by licence", ""]
    groups = r.obligation_groups()
    if not groups:
        out.append("None.")
    for g in groups:
        out += [f"### {g.licence} ({_plural(g.components, 'component')})", ""]
        out += [f"- **{oid}**: {text}" for oid, text in g.obligations]
        out.append("")
    if groups:
        out.pop()
    if r.notes:
        out += ["", "## Notes", ""] + [f"- {n}" for n in r.notes]
    if r.not_evaluated:
        out += ["", "## Not evaluated (dev/test/build, not software)", "",
                "| Component | Licence | Why |", "| --- | --- | --- |"]
        out += [f"| {_cell(_who_c(a.component))} | {_code(a.component.licence or '(no licence)')} | {_cell(a.why)} |"
                for a in r.not_evaluated]
    if s.warnings:
        out += ["", "## Warnings", "", "Malformed parts that do not decide, read past (`--strict` refuses them):", ""]
        out += [f"- line {w.line or '?'}: {_cell(w.message)}" for w in s.warnings]
    if r.components:
        out += ["", "## Components", "", "| # | Component | Version | Licence | Field | Verdict |",
                "| ---: | --- | --- | --- | --- | --- |"]
        for i, cv in enumerate(r.components, 1):
            c = cv.component
            out.append(f"| {i} | {_cell(c.name)} (`{_cell(c.id)}`) | {_cell(c.version)} | "
                       f"{_code(_shown(c.licence))} | {c.licence_field} | {cv.verdict} |")
    return _escaped("\n".join(out) + "\n")


def sbom_json(r: SbomCheck, *, full: bool = False) -> str:
    """``r.to_dict(full=full)`` as JSON (trailing newline): indented two spaces, with each
    component on one line in the default form (the form by reference)."""
    return "".join(sbom_json_chunks(r, full=full))


def sbom_json_chunks(r: SbomCheck, *, full: bool = False) -> Iterator[str]:
    """:func:`sbom_json` in pieces, so that a caller can write 100,000 components without
    holding the whole document twice.

    The stdlib's encoder is pure Python when it indents, and even unindented each call builds a
    new encoder: on 100,000 components the writing took most of the run. So what components
    share (everything after their own fields) is encoded once per licence text and spliced in,
    and a component's own fields (flat strings or null) are each encoded by the stdlib's C string
    encoder into one format string. By reference a component is one line; ``full``: the
    ``indent=2`` layout of ``json.dumps``, byte for byte. Writing the by-reference JSON of the
    100,000-component benchmark SBOM (bench/bench_sbom.py, 29 MB) took 0.34 s with a
    ``json.dumps`` of each component's own fields and 0.13 s so (in process, 2-core machine, load 0.9).
    """
    head = json.dumps(r.to_dict(components=False, full=full), indent=2, ensure_ascii=False)
    if not r.components:
        yield _escaped_json(head[:-2] + ',\n  "components": []\n}\n')
        return
    yield _escaped_json(head[:-2] + ',\n  "components": [\n')
    shared: dict[int, str] = {}
    refs = None if full else r.tables.by_finding
    line = _FULL_LINE if refs is None else _REF_LINE
    batch: list[str] = []
    last = len(r.components) - 1
    for i, cv in enumerate(r.components):
        key = id(cv.finding)
        tail = shared.get(key)
        if tail is None:
            if refs is None:
                tail = shared[key] = _indented(cv.finding.payload(), 6)[2:]  # drop the opening "{\n"
            else:
                tail = shared[key] = json.dumps(refs[key], ensure_ascii=False)[1:]  # drop the "{"
        # Unrolled rather than a loop over the seven values (0.04 s less on 100,000 components);
        # the tests hold the result to the stdlib encoder's, so a change to OWN_KEYS shows there.
        cid, name, version, licence, field, supplier, purl = own_values(cv.component)
        batch.append(line % (
            _encode_str(cid), _encode_str(name), "null" if version is None else _encode_str(version),
            "null" if licence is None else _encode_str(licence), _encode_str(field),
            "null" if supplier is None else _encode_str(supplier), "null" if purl is None else _encode_str(purl),
            tail, ",\n" if i < last else "\n"))
        if len(batch) == 1000:
            yield _escaped_json("".join(batch))
            batch.clear()
    batch.append("  ]\n}\n")
    yield _escaped_json("".join(batch))


# One component's own fields as json.dumps writes them nested in the document (then its shared
# tail and the separator): on one line by reference, one key a line with --full. The values are
# strings or None (ComponentVerdict.own_dict); "%" in a key would need escaping, none has one.
_REF_LINE = "    {" + ", ".join(f'"{k}": %s' for k in OWN_KEYS) + ", %s%s"
_FULL_LINE = "    {\n" + ",\n".join(f'      "{k}": %s' for k in OWN_KEYS) + ",\n%s%s"


def _indented(obj: object, level: int) -> str:
    """``obj`` encoded as it appears nested ``level`` spaces deep in an ``indent=2`` document."""
    text = json.dumps(obj, indent=2, ensure_ascii=False)
    pad = " " * (level - 2)
    return "\n".join(pad + line if i else line for i, line in enumerate(text.split("\n")))


# ---- coop tender --------------------------------------------------------------------------

_RESULT_WORD = {"pass": "PASS", "fail": "FAIL", "unknown": "UNKNOWN"}


def _when(t: TenderCheck) -> str:
    return t.date.isoformat() if t.date_given else "today (no date given)"


def _tender_headline(t: TenderCheck) -> str:
    n = len(t.requirements)
    failed = sum(1 for r in t.requirements if r.result == "fail")
    unknown = sum(1 for r in t.requirements if r.result == "unknown")
    if t.verdict == "fail":
        return f"FAIL: the bid fails {failed} of {_plural(n, 'requirement')}" + (
            f" ({unknown} more undecided)" if unknown else "")
    if t.verdict == "unknown":
        return (f"UNKNOWN: {unknown} of {_plural(n, 'requirement')} cannot be decided from the bid; "
                "none fails")
    return f"PASS: the bid meets all {_plural(n, 'requirement')}"


def _evidence_who(e: object) -> str:
    name = getattr(e, "name", None)
    version = getattr(e, "version", None)
    component = getattr(e, "component", None)
    licence = getattr(e, "licence", None)
    if component is None:
        return (name or "the bid") + (f" ({licence})" if licence else "")
    who = f"{name} {version}" if version else f"{name}"
    return who + f" [{component}] ({_shown(licence)})"


def tender_text(t: TenderCheck) -> str:
    out = [_tender_headline(t)]
    out.append(f"  tender {t.tender}: {t.title}")
    buyer = f"{t.buyer_name} ({t.buyer})" if t.buyer_name else (t.buyer or "not named")
    out.append(f"  buyer {buyer}; deliverable {t.deliverable or 'not stated'}; decision date {_when(t)}")
    offered = f"{t.offered.text} (from {t.offered.source})" if t.offered else "none given"
    out.append(f"  offered licence {offered}; {_plural(t.components, 'component')} in the bid's SBOM")
    for r in t.requirements:
        out.append("")
        ref = f" [{r.ref}]" if r.ref else ""
        out.append(f"{r.id}{ref} {r.title}: {_RESULT_WORD[r.result]}")
        out += [f"  rule: {rule}" for rule in r.rules]
        out.append(f"  {r.summary}")
        for e in r.evidence:
            out.append(f"  - {e.result}: {_evidence_who(e)}: {e.why}")
    if t.notes:
        out += ["", "Notes:"] + [f"  - {n}" for n in t.notes]
    out += ["", "Inputs:"]
    out += [f"  {i.role}: {i.path} sha256:{i.sha256}" for i in t.inputs]
    return _escaped("\n".join(out) + "\n")


def _req_heading(r: RequirementResult) -> str:
    ref = f"{r.ref}: " if r.ref else ""
    return f"## {ref}{r.title} (`{r.id}`)"


def _counts_cell(r: RequirementResult) -> str:
    if r.counts is None:
        return "n/a"
    return f"{r.counts['pass']} / {r.counts['fail']} / {r.counts['unknown']}"


def tender_markdown(t: TenderCheck) -> str:
    out = [f"# Annex: open-source requirements of tender {t.tender}", "", f"*{t.title}*", ""]
    out.append(f"**Result: `{t.verdict}`**. {_sentence(_tender_headline(t).split(': ', 1)[1])}.")
    buyer = f"{t.buyer_name} (`{t.buyer}`)" if t.buyer_name else _code(t.buyer) or "not named"
    offered = f"{_code(t.offered.text)} (from {t.offered.source})" if t.offered else "none given"
    out += ["", "| | |", "| --- | --- |",
            f"| Tender | `{t.tender}` {_cell(t.title)} |",
            f"| Buyer | {_cell(buyer)} |",
            f"| Required licence of the deliverable | {_code(t.deliverable) or 'not stated'} |",
            f"| Licence offered | {offered} |",
            f"| Components in the bid's SBOM | {t.components} |",
            f"| Decision date | {_when(t)} |"]
    out += ["", "## Summary", "", "| Ref | Requirement | Result | Components pass / fail / unknown |",
            "| --- | --- | --- | --- |"]
    for r in t.requirements:
        out.append(f"| {_cell(r.ref)} | {_cell(r.title)} (`{r.id}`) | **{r.result}** | {_counts_cell(r)} |")
    for r in t.requirements:
        out += ["", _req_heading(r), ""]
        out += [f"Rule: `{rule}`" + ("  " if i < len(r.rules) - 1 else "") for i, rule in enumerate(r.rules)]
        out += ["", f"Result: **{r.result}**. {_sentence(r.summary)}."]
        if r.evidence:
            out += ["", "| Component | Version | Licence | Result | Why |", "| --- | --- | --- | --- | --- |"]
            for e in r.evidence:
                who = f"{_cell(e.name)} (`{_cell(e.component)}`)" if e.component else _cell(e.name or "the bid")
                out.append(f"| {who} | {_cell(e.version)} | {_code(e.licence)} | {e.result} | {_cell(e.why)} |")
    if t.notes:
        out += ["", "## Notes", ""] + [f"- {n}" for n in t.notes]
    out += ["", "## Inputs", "", "| Role | File | SHA-256 |", "| --- | --- | --- |"]
    out += [f"| {i.role} | {_code(i.path)} | `{i.sha256}` |" for i in t.inputs]
    out += ["", "## Provenance", "",
            f"Checked by coopengine {__version__} with knowledge base `{t.knowledge_base}`. Licence facts cite "
            "their sources in each piece of evidence; a requirement is `unknown` when a fact it needs is "
            "missing from the bid or the knowledge base."]
    return _escaped("\n".join(out) + "\n")

