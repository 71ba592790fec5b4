"""Text and Markdown for :class:`coopengine.catalogue.Catalogue`: one row per solution, sorted
permit first (what can be taken today), then require-mou, undetermined, deny and unreadable,
with the counts, and for each solution the one line that says why."""

from __future__ import annotations

from .catalogue import VERDICTS, Catalogue, Entry
from .errors import printable

__all__ = ["catalogue_markdown", "catalogue_text"]

_WORD = {"permit": "PERMIT", "require-mou": "MOU", "undetermined": "UNDETERMINED", "deny": "DENY",
         "own": "OWN", "error": "UNREADABLE"}


def _counts(c: Catalogue) -> str:
    counts = c.counts
    parts = [f"{counts[v]} {v}" for v in VERDICTS if counts[v]]
    left = f"; {c.filtered_out} left out by the filters" if c.filtered_out else ""
    return f"{len(c.entries)} solution(s): " + (", ".join(parts) or "none") + left


def _why(e: Entry) -> str:
    if e.own:
        return "the recipient's own solution: nothing to decide"
    if e.error is not None:
        return printable(str(e.error).splitlines()[0])
    assert e.decision is not None
    summary = e.decision.summary
    return printable(summary.splitlines()[0] if summary else "")


def _owes(e: Entry) -> str:
    """What decided (licence terms and clauses), the obligations (ids, with the licence or clause
    they come from) and the first hint."""
    d = e.decision
    if d is None:
        return ""
    owed = ", ".join(f"{o.id} ({o.source})" for o in d.obligations)
    hints = d.hints
    decided = ", ".join(d.determining)
    parts = ([f"decided by: {decided}"] if decided else []) + ([f"owes: {owed}"] if owed else []) + (
        [f"would change it: {hints[0]}"] if hints else [])
    return printable("; ".join(parts))


def _head(c: Catalogue) -> str:
    r = c.request
    when = r.date.isoformat() if r.date else "today"
    modified = ", modified" if r.modified else ""
    return f"Which solutions can {printable(r.recipient)} reuse without an MOU? (use: {r.use}{modified}; date: {when})"


def catalogue_text(c: Catalogue) -> str:
    lines = [_head(c), _counts(c), ""]
    for e in c.entries:
        name = printable(e.name or "(no name)")
        who = printable(e.provider or "?")
        lic = printable(e.licence or "no licence")
        lines.append(f"{_WORD[e.verdict]:<13} {name}  [{lic}; provider {who}]")
        lines.append(f"              {printable(e.path)}")
        for line in (_why(e), _owes(e)):
            if line:
                lines.append(f"              {line}")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return printable(text).replace("|", "\\|")


def catalogue_markdown(c: Catalogue) -> str:
    lines = [f"# {_cell(_head(c))}", "", _cell(_counts(c)), "",
             "| verdict | solution | licence | provider | why | owes | file |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for e in c.entries:
        lines.append(f"| {e.verdict} | {_cell(e.name or '(no name)')} | {_cell(e.licence or 'none')} | "
                     f"{_cell(e.provider or '?')} | {_cell(_why(e))} | {_cell(_owes(e))} | `{_cell(e.path)}` |")
    return "\n".join(lines) + "\n"
