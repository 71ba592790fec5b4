"""HTML for people: the self-contained dossiers (``--format html``) and the workbench's pages.

One set of Jinja2 templates (``coopengine/templates``, autoescaped) serves both: a dossier is
the page's result block inside a layout that inlines the stylesheet, so it fetches nothing
and prints cleanly. Templates read the versioned JSON (``to_dict()``), never engine objects,
so the page, the dossier and the API show the same data. This module is the Jinja2 boundary.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Mapping
from functools import cache
from typing import Any

from . import __version__

__all__ = [
    "render",
    "reuse_html",
    "sbom_html",
    "tender_html",
    "reuse_view",
    "sbom_view",
    "tender_view",
    "static_file",
    "agreements_view",
    "VERDICT_WORDS",
    "TONES",
]

# The verdict as a lawyer or a procurement officer says it.
VERDICT_WORDS = {
    "permit": "Reuse allowed without an MOU",
    "require-mou": "An MOU is needed before this reuse",
    "deny": "This reuse is not allowed",
    "undetermined": "Cannot be decided from the facts given: treat it as needing an MOU",
    "compatible": "Compatible",
    "incompatible": "Not compatible",
    "conditional": "Compatible only under a condition",
    "unknown": "Cannot be assessed",
    "pass": "The bid meets every requirement",
    "fail": "The bid fails at least one requirement",
}
_SBOM_WORDS = {
    "compatible": "Every component can go into the work",
    "incompatible": "At least one component cannot go into the work",
    "conditional": "The components can go into the work only under a condition",
    "unknown": "Some components cannot be assessed",
}
_TENDER_UNKNOWN = "Some requirements cannot be decided from the bid"
TONES = {
    "permit": "good", "compatible": "good", "pass": "good", "grants": "good", "applied": "good",
    "require-mou": "human", "conditional": "human", "undetermined": "unknown", "unknown": "unknown",
    "silent": "unknown", "deny": "bad", "incompatible": "bad", "fail": "bad", "forbids": "bad",
    "defeated": "", "not-applicable": "", "not-in-force": "",
}
_EFFECT_WORDS = {
    "permit": "allows the reuse without an MOU",
    "require-mou": "requires an MOU",
    "deny": "forbids the reuse",
}
_STATUS_WORDS = {
    "undetermined": "depends on a missing fact",
    "defeated": "set aside",
    "not-applicable": "does not apply",
    "not-in-force": "not in force",
}
_USE_WORDS = {
    "internal": "for its own staff (internal use)",
    "network-service": "as a service for outside users over a network",
    "distribution": "to give copies to others (distribution)",
}


@cache
def _env() -> Any:
    import jinja2

    folder = importlib.resources.files("coopengine") / "templates"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(version=__version__, tones=TONES)
    return env


def static_file(name: str) -> bytes:
    """A file shipped under ``templates/static`` (the stylesheet, the small script)."""
    return (importlib.resources.files("coopengine") / "templates" / "static" / name).read_bytes()


def render(template: str, **context: Any) -> str:
    """Render one template; ``standalone=True`` inlines the stylesheet (a dossier)."""
    context.setdefault("standalone", False)
    context.setdefault("root", "")
    context.setdefault("links", not context["standalone"])
    if context["standalone"]:
        context.setdefault("inline_css", static_file("coop.css").decode("utf-8"))
    return str(_env().get_template(template).render(**context))


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")) if text else ""


def _clause_effect(c: Mapping[str, Any]) -> str:
    parts = []
    if c.get("effect"):
        parts.append(_EFFECT_WORDS.get(c["effect"], c["effect"]))
    if c.get("obligations"):
        parts.append("obliges " + ", ".join(c["obligations"]))
    if c.get("grants"):
        parts.append("grants " + ", ".join(c["grants"]))
    return "; ".join(parts) or "no effect of its own"


def _why_not(c: Mapping[str, Any]) -> str:
    if c["status"] not in ("not-applicable", "undetermined", "not-in-force"):
        return ""
    bad = []
    for x in c.get("conditions", ()):
        value, text = x.get("value"), x["text"]
        if value is True:
            continue
        # Notes written by the engine are sentences ("agreement X does not apply ..."); conditions are code.
        if text.startswith(("agreement ", "the clause ", "the condition ")):
            bad.append(text)
        else:
            bad.append(f"{text}: {'unknown' if value is None else 'does not hold'}")
    return "; ".join(bad)


def reuse_view(d: Mapping[str, Any]) -> dict[str, Any]:
    """What the reuse templates show, worked out from ``coopengine/reuse/v1`` JSON."""
    clauses = {c["id"]: c for c in d["clauses"]}
    agreements = {a["id"]: a for a in d["agreements"]}
    decided: list[dict[str, Any]] = []
    reasons = list(d["licence"]["reasons"]) + [r for c in d["licence"]["components"] for r in c["reasons"]]
    for entry in d["determining"]:
        if entry.startswith("licence:"):
            lic = entry.split(":", 1)[1]
            mine = [r for r in reasons if r.get("licence") == lic] or list(d["licence"]["reasons"])
            decided.append({"kind": "licence", "licence": lic, "reasons": list({r["text"]: r for r in mine}.values())})
            continue
        c = clauses.get(entry)
        aid = entry.split(".", 1)[0]
        a = agreements.get(aid, {})
        decided.append({
            "kind": "clause", "id": entry, "anchor": entry,
            "title": c["title"] if c else entry, "ref": c.get("ref") if c else None,
            "kind_word": (c or {}).get("kind", "clause"),
            "effect_words": _sentence(("if it applies, it " if c["status"] != "applied" else "It ")
                                      + _clause_effect(c)) if c else "",
            "status": c["status"] if c else "applied",
            "status_words": _STATUS_WORDS.get(c["status"], c["status"]) if c else "",
            "agreement": a.get("title", aid),
            "where": f"{c['file']}, line {c['line']}" if c else "",
        })
    out_ids = {a["id"] for a in d["agreements"] if a["status"] not in ("applies", "scope-unknown")}
    shown = [dict(c, effect_words=_clause_effect(c), why=_why_not(c), tone=TONES.get(c["status"], ""))
             for c in d["clauses"] if c["id"].split(".", 1)[0] not in out_ids]
    hidden = sorted({c["id"].split(".", 1)[0] for c in d["clauses"]} & out_ids)
    obligations = [dict(o, source_words=_source_words(o["source"])) for o in d["obligations"]]
    name = d["solution"].get("name") or "the solution"
    mod = "modified" if d.get("modified") else "unmodified"
    situation = (f"{d['recipient']} reusing {name} ({mod}) from {d['provider']} "
                 f"{_USE_WORDS.get(d['use'], d['use'])}, on {d['date']}.")
    return {
        "words": VERDICT_WORDS[d["verdict"]], "tone": TONES[d["verdict"]], "summary": _sentence(d["summary"]),
        "situation": situation, "decided": decided, "missing": d.get("missing_facts", []),
        "obligations": obligations, "hints": d.get("hints", []), "clauses": shown, "hidden": hidden,
    }


def _source_words(source: str) -> str:
    kind, _, what = source.partition(":")
    if kind == "licence":
        return f"licence {what}"
    if kind == "clause":
        return f"clause {what}"
    return source


def sbom_view(d: Mapping[str, Any]) -> dict[str, Any]:
    """What the SBOM templates show, from ``coopengine/sbom/v1`` JSON."""
    counts = d["counts"]
    parts = [f"{n} {k}" for k, n in counts.items() if n]
    blocking_ids = {b["id"] for b in d["summary"]["blocking"]}
    blocking = [c for c in d.get("components", []) if c["id"] in blocking_ids]
    if not blocking:
        blocking = [dict(b, reasons=[]) for b in d["summary"]["blocking"]]
    return {
        "words": _SBOM_WORDS[d["verdict"]], "tone": TONES[d["verdict"]],
        "summary": f"{d['summary']['components']} components checked: " + (", ".join(parts) or "none") + ".",
        "situation": f"Into a work under {d['outbound']}, {_USE_WORDS.get(d['use'], d['use'])}, "
                     f"linking {d['linking']}.",
        "blocking": blocking,
    }


def tender_view(d: Mapping[str, Any]) -> dict[str, Any]:
    """What the tender templates show, from ``coopengine/tender/v1`` JSON."""
    results = [r["result"] for r in d["requirements"]]
    failed = sum(1 for r in results if r == "fail")
    unknown = sum(1 for r in results if r == "unknown")
    words = _TENDER_UNKNOWN if d["verdict"] == "unknown" else VERDICT_WORDS[d["verdict"]]
    buyer = d.get("buyer_name") or d.get("buyer") or "the buyer"
    source = "stated with the bid" if d.get("offered_from") == "--offered" else f"from {d.get('offered_from')}"
    offered = f"offers the licence {d['offered']} ({source})" if d.get("offered") else "offers no licence"
    return {
        "words": words, "tone": TONES[d["verdict"]],
        "summary": f"{len(results)} requirements: {len(results) - failed - unknown} met, {failed} failed, "
                   f"{unknown} undecided.",
        "situation": f"Tender {d['tender']} of {buyer}; the bid has {d['components']} components and {offered}.",
    }


def reuse_html(d: Mapping[str, Any]) -> str:
    """The reuse decision as one self-contained HTML file (``coop reuse --format html``)."""
    name = d["solution"].get("name") or "the solution"
    return render("dossier.html", standalone=True, partial="_reuse_result.html", d=d, view=reuse_view(d),
                  title=f"Reuse decision: {name}, {d['provider']} to {d['recipient']}",
                  subtitle="May the recipient reuse the solution without an MOU?",
                  kb_version=d["provenance"].get("knowledge_base"))


def sbom_html(d: Mapping[str, Any]) -> str:
    """The SBOM check as one self-contained HTML file (``coop sbom --format html``)."""
    return render("dossier.html", standalone=True, partial="_sbom_result.html", d=d, view=sbom_view(d),
                  title=f"SBOM check against {d['outbound']}",
                  subtitle="Can every component go into the work under the outbound licence?",
                  kb_version=d["provenance"].get("knowledge_base"))


def tender_html(d: Mapping[str, Any]) -> str:
    """The tender check (the annex) as one self-contained HTML file (``coop tender --format html``)."""
    return render("dossier.html", standalone=True, partial="_tender_result.html", d=d, view=tender_view(d),
                  title=f"Bid check: {d['title']}",
                  subtitle=f"Tender {d['tender']}: does the bid meet the open-source requirements?",
                  kb_version=d["provenance"].get("knowledge_base"))


def _span_text(lines: Mapping[str, tuple[str, ...]], span: Any) -> str:
    """The source text a node was written as (conditions are quoted as their authors wrote them)."""
    if span is None or span.line < 1:
        return ""
    file_lines = lines.get(span.file, ())
    if span.line > len(file_lines):
        return ""
    if span.end_line == span.line:
        return str(file_lines[span.line - 1][span.column - 1 : span.end_column - 1])
    parts = [file_lines[span.line - 1][span.column - 1 :]]
    parts += [file_lines[i].strip() for i in range(span.line, min(span.end_line - 1, len(file_lines)))]
    if span.end_line <= len(file_lines):
        parts.append(file_lines[span.end_line - 1][: span.end_column - 1].strip())
    return " ".join(p.strip() for p in parts if p.strip())


_EFFECT_SENTENCE = {
    "permit": "Reuse is allowed without an MOU",
    "require-mou": "An MOU is required",
    "deny": "Reuse is not allowed",
}


def _dates(effective: Any) -> str:
    if effective is None:
        return "no dates stated"
    return f"from {effective.start}" + (f" until {effective.until}" if effective.until else "")


def _clause_view(c: Any, agreement_id: str, lines: Mapping[str, tuple[str, ...]],
                 warnings: list[dict[str, Any]]) -> dict[str, Any]:
    span = c.span
    mine = [w for w in warnings if w["file"] == span.file and span.line <= (w["line"] or 0) <= span.end_line]
    for w in mine:
        w["shown"] = True
    target = c.exception_to
    return {
        "id": f"{agreement_id}.{c.id}", "title": c.title, "ref": c.ref, "guardrail": c.kind == "guardrail",
        "when": _span_text(lines, c.when.span) if c.when is not None else "",
        "effect": _EFFECT_SENTENCE.get(str(c.then), "") if c.then is not None else "",
        "obligations": [{"id": o.id, "text": o.text} for o in c.obligations],
        "waives": [w.name for w in c.waives], "grants": list(c.grants),
        "exception_to": (f"{target.agreement}.{target.clause}" if target and target.agreement else
                         f"{agreement_id}.{target.clause}" if target else None),
        "local_exception": bool(target and not target.agreement),
        "dates": _dates(c.effective) if c.effective else "",
        "where": f"{span.file}, line {span.line}", "warnings": mine, "children": [],
    }


def agreements_view(program: Any, lines: Mapping[str, tuple[str, ...]], check: Mapping[str, Any]) -> dict[str, Any]:
    """The loaded agreements as documents: parties, dates, scope, clauses with their exceptions
    under them, and ``coop check``'s warnings beside the clause they concern."""
    warnings = [dict(d, shown=False) for d in check.get("diagnostics", []) if d["severity"] == "warning"]
    names = {p.id: p.name for p in program.parties}
    docs = []
    for a in program.agreements:
        span = a.span
        in_agreement = [w for w in warnings
                        if w["file"] == span.file and span.line <= (w["line"] or 0) <= span.end_line]
        views = [_clause_view(c, a.id, lines, warnings) for c in a.clauses]
        by_id = {v["id"]: v for v in views}
        top: list[dict[str, Any]] = []
        for v in views:
            parent = by_id.get(v["exception_to"] or "") if v["local_exception"] else None
            (parent["children"] if parent is not None else top).append(v)
        own = [w for w in in_agreement if not w["shown"]]
        for w in own:
            w["shown"] = True
        docs.append({
            "id": a.id, "title": a.title, "kind": "declaration" if a.declaration else "agreement",
            "parties": [(p.name, names.get(p.name, p.name)) for p in a.parties],
            "dates": _dates(a.effective), "refines": a.refines.name if a.refines else None,
            "scope": _span_text(lines, a.scope.span) if a.scope is not None else "",
            "default": _EFFECT_SENTENCE.get(str(a.default), "") if a.default is not None else "",
            "text": a.text, "where": f"{span.file}, line {span.line}", "clauses": top, "warnings": own,
        })
    precedences = [(p.winner.name, p.loser.name) for p in program.precedences]
    rest = [w for w in warnings if not w["shown"]]
    return {"agreements": docs, "precedences": precedences, "other_warnings": rest}
