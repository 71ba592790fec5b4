"""The licence finder: search by id or name, with did-you-mean, and filters over our own facts.

The filters follow the Joinup Licensing Assistant's (what a licence lets you do, what it asks,
what it limits, whether it is compatible into a chosen licence), over the knowledge base's
curated facts: category, copyleft kind, OSI and FSF status, permissions (``rules/permissions.yaml``
and what OSI or FSF status establishes), obligations, use restrictions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..errors import did_you_mean

__all__ = ["licence_rows", "obligation_choices", "permission_choices"]

_YES = {"yes": True, "no": False}


def obligation_choices(knowledge: Any) -> list[tuple[str, str]]:
    """(id, text) of every obligation some licence imposes, for the "asks you to" filter."""
    used = {o for f in knowledge.licences.values() for ids in f.obligations.values() for o in ids}
    return sorted((o, knowledge.obligations.get(o, o)) for o in used)


def permission_choices(knowledge: Any) -> list[tuple[str, str]]:
    """(value, label) for the "lets you" filter: each permission a source grants, and ``!id`` for
    each one a source withholds. Unlisted is unknown, so neither choice shows it."""
    granted: dict[str, str] = {}
    withheld: dict[str, str] = {}
    for f in knowledge.licences.values():
        for perm in f.permissions:
            (granted if perm.granted else withheld)[perm.id] = perm.text
    return ([(pid, text) for pid, text in sorted(granted.items())]
            + [(f"!{pid}", f"does not let you {text}") for pid, text in sorted(withheld.items())])


def _lets(f: Any, wanted: str) -> bool:
    pid, granted = (wanted[1:], False) if wanted.startswith("!") else (wanted, True)
    return any(perm.id == pid and perm.granted is granted for perm in f.permissions)


def _matches(f: Any, p: Mapping[str, str]) -> bool:
    q = p.get("q", "").lower()
    if q and q not in f.id.lower() and q not in f.name.lower():
        return False
    if p.get("category") and f.category != p["category"]:
        return False
    if p.get("copyleft") and (f.copyleft or "none") != p["copyleft"]:
        return False
    for key, value in (("osi", f.osi_approved), ("fsf", f.fsf_libre)):
        if p.get(key) in _YES and value is not _YES[p[key]]:
            return False
    if p.get("lets") and not _lets(f, p["lets"]):
        return False
    if p.get("obligation"):
        use = p.get("use") or "distribution"
        if p["obligation"] not in f.obligations.get(use, ()):
            return False
    if p.get("restricted") in _YES and bool(f.restrictions) is not _YES[p["restricted"]]:
        return False
    if p.get("curated") == "yes" and not f.curated:
        return False
    return not (f.deprecated and p.get("deprecated") != "yes")


def licence_rows(knowledge: Any, params: Mapping[str, str], compat: Callable[..., Any],
                 kb: Sequence[str] = ()) -> dict[str, Any]:
    """The licences matching ``params`` (sorted by id), with did-you-mean when nothing matches."""
    rows = [f for _, f in sorted(knowledge.licences.items(), key=lambda kv: kv[0].lower()) if _matches(f, params)]
    into = params.get("into", "")
    verdicts: dict[str, str] = {}
    if into:
        use = params.get("use") or "distribution"
        compat(into, into, use=use, linking="static", kb=kb)  # a bad target is reported before the loop
        kept = []
        for f in rows:
            if not f.curated:
                continue
            verdict = compat(f.id, into, use=use, linking="static", kb=kb).verdict
            if verdict in ("compatible", "conditional"):
                verdicts[f.id] = verdict
                kept.append(f)
        rows = kept
    suggestions: list[tuple[str, str]] = []
    q = params.get("q", "")
    if q and not rows:
        by_name = {f.name: f.id for f in knowledge.licences.values()}
        hits = did_you_mean(q, [*knowledge.licences, *by_name], n=5, cutoff=0.55)
        ids = list(dict.fromkeys(by_name.get(h, h) for h in hits))
        suggestions = [(i, knowledge.licences[i].name) for i in ids if i in knowledge.licences]
    return {
        "rows": [{"id": f.id, "name": f.name, "category": f.category, "copyleft": f.copyleft or "none",
                  "osi": f.osi_approved, "fsf": f.fsf_libre, "curated": f.curated,
                  "into": verdicts.get(f.id)} for f in rows],
        "suggestions": suggestions,
        "obligations": obligation_choices(knowledge),
        "permissions": permission_choices(knowledge),
    }
