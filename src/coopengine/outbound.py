"""Ranking the licences a combined work can be released under (``coop outbound``).

The engine says, for each curated licence, whether a work containing the inbound code can
be offered under it; this module orders the ones that can, by a rule people can check
(docs/knowledge-base.md, "Ranking outbound licences"):

1. the inbound's own licences first, when one can carry the whole work;
2. then by verdict (compatible before conditional);
3. then by the permissions of the inputs the outbound licence does not keep (fewest first):
   combining the work with code under other terms as freely as the inputs allow (lost when
   the outbound's copyleft reaches further than every input's), and an express patent
   licence (lost when an input grants one and the outbound does not);
4. then by the obligations it adds to those the inputs already impose for this use;
5. then by how widely the licence is used (:data:`USAGE`), then by id.

The short list shown by default takes the inbound's own licences, then the best of each
family in turn (permissive, weak copyleft, strong copyleft, network copyleft), so that a
public-sector copyleft licence such as EUPL-1.2 stays in view when permissive licences
rank above it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .engine import _RANK, Engine, ObligationItem, Reason, _engine, _parse, _sort_obligations
from .expressions import Expression, Leaf, Or, ParsedExpression, leaves
from .knowledge.model import KnowledgeBase, LicenceFacts

__all__ = ["FAMILIES", "USAGE", "PATENT_LICENCE", "SHORT_LIST", "OutboundOption", "Ranking", "rank_outbound"]

# Display families, in order; public-domain dedications are shown with the permissive licences.
FAMILIES = ("permissive", "weak copyleft", "strong copyleft", "network copyleft")
_FAMILY_OF = {
    "public-domain": "permissive",
    "permissive": "permissive",
    "weak-copyleft": "weak copyleft",
    "strong-copyleft": "strong copyleft",
    "network-copyleft": "network copyleft",
}
SHORT_LIST = 10
_WORKS = ("compatible", "conditional")

# How far a licence's copyleft reaches; an outbound reaching further than every input
# takes away the recipients' freedom to combine the work with code under other terms.
_REACH = {None: 0, "none": 0, "file": 1, "library": 2, "strong": 3, "network": 4}

# How widely used, best first. Tier 0: the ten most used licences of licensed GitHub
# repositories, in that order ("Open source license usage on GitHub.com", GitHub blog,
# 2015-03-09, https://github.blog/2015-03-09-open-source-license-usage-on-github-com/;
# "GPLv2"/"GPLv3"/"LGPLv3"/"AGPLv3" do not say -only or -or-later, so both forms share
# the place). Tier 1, alphabetical: the licences of the OSI licence list's "Popular / Strong
# Community" category not already in tier 0 (https://opensource.org/licenses), and the
# EUPL-1.2, the licence the European Commission publishes its own software under
# (Commission Decision C(2021) 8759 on the open source licensing and reuse of Commission
# software) and a common choice of public bodies across the EU.
# Everything else comes after, by id.
USAGE: tuple[tuple[str, ...], ...] = (
    ("MIT",),
    ("GPL-2.0-only", "GPL-2.0-or-later"),
    ("Apache-2.0",),
    ("GPL-3.0-only", "GPL-3.0-or-later"),
    ("BSD-3-Clause",),
    ("Unlicense",),
    ("BSD-2-Clause",),
    ("LGPL-3.0-only", "LGPL-3.0-or-later"),
    ("AGPL-3.0-only", "AGPL-3.0-or-later"),
    ("CDDL-1.0", "EPL-2.0", "EUPL-1.2", "LGPL-2.1-only", "LGPL-2.1-or-later", "MPL-2.0"),
)
_USAGE_RANK = {lid: i for i, tier in enumerate(USAGE) for lid in tier}

_PATENT_MARK = "patent-retaliation"
# Licences whose text grants an express patent licence, with the section that does. A
# licence with the patent-retaliation obligation grants one too (it ends that licence on
# suit); this list adds those whose grant has no such clause in the knowledge base.
# Ranking data only: it never changes a verdict.
PATENT_LICENCE = {
    "Apache-2.0": "s3", "ECL-2.0": "s3", "AFL-2.1": "s2", "AFL-3.0": "s2",
    "OSL-2.0": "s2", "OSL-2.1": "s2", "OSL-3.0": "s2",
    "GPL-3.0-only": "s11", "GPL-3.0-or-later": "s11", "AGPL-3.0-only": "s11", "AGPL-3.0-or-later": "s11",
    "LGPL-3.0-only": "GPL-3.0 s11, which it incorporates", "LGPL-3.0-or-later": "GPL-3.0 s11, which it incorporates",
    "MPL-1.1": "s2.1(b), s2.2(b)", "MPL-2.0": "s2.1(b)", "EPL-1.0": "s2(b)", "EPL-2.0": "s2(b)",
    "CPL-1.0": "s2(b)", "IPL-1.0": "s2(b)", "CDDL-1.0": "s2.1(b), s2.2(b)", "CDDL-1.1": "s2.1(b), s2.2(b)",
    "MS-PL": "s2(B)", "MS-RL": "s2(B)", "EUPL-1.1": "art. 2, last paragraph", "EUPL-1.2": "art. 2, last paragraph",
    "BSD-2-Clause-Patent": "the patent licence paragraph", "BlueOak-1.0.0": "Patent", "UPL-1.0": "the grant paragraph",
    "Artistic-2.0": "s10", "MulanPSL-2.0": "s2",
}
_PERMISSIONS = {
    "combine": "combining the work with code under other terms as freely as the inputs allow",
    "patent": "an express patent licence",
}


@dataclass(frozen=True)
class OutboundOption:
    """One candidate outbound licence, with what the ranking weighed."""

    licence: str
    verdict: str
    score: int
    reasons: tuple[Reason, ...]
    conditions: tuple[str, ...]
    obligations: tuple[ObligationItem, ...]
    family: str = "permissive"
    own: bool = False
    permissions_lost: tuple[str, ...] = ()
    obligations_added: tuple[tuple[str, str], ...] = ()  # (id, text)

    def to_dict(self) -> dict[str, Any]:
        return {
            "licence": self.licence,
            "verdict": self.verdict,
            "family": self.family,
            "own": self.own,
            "conditions": list(self.conditions),
            "permissions_lost": list(self.permissions_lost),
            "obligations_added": [{"id": i, "text": t} for i, t in self.obligations_added],
            "reasons": [r.to_dict() for r in self.reasons],
            "obligations": [o.to_dict() for o in self.obligations],
        }


@dataclass(frozen=True)
class Ranking:
    """Every candidate, best first; ``short`` is the default short list (indices into ``ok``)."""

    ok: tuple[OutboundOption, ...]
    unknown: tuple[OutboundOption, ...]
    short: tuple[int, ...]

    def shown(self, every: bool) -> tuple[OutboundOption, ...]:
        return self.ok if every else tuple(self.ok[i] for i in self.short)


def _has_patent_licence(facts: LicenceFacts | None) -> bool:
    # A licence that ends its patent licence when the licensee sues grants one; the knowledge
    # base records that clause as the patent-retaliation obligation.
    return facts is not None and (
        facts.id in PATENT_LICENCE or any(_PATENT_MARK in ids for ids in facts.obligations.values())
    )


def _covered(obligation: str, have: set[str]) -> bool:
    # "same-license--file" is a narrower form of "same-license": either inbound form covers it.
    base = obligation.split("--", 1)[0]
    return obligation in have or base in have


def _reach(kb: KnowledgeBase, expr: Expression) -> int:
    """How far the inputs' copyleft reaches: the furthest part of an AND, the nearest
    alternative of an OR (the recipient may choose it)."""
    if isinstance(expr, Leaf):
        facts = kb.licence(expr.id)
        return _REACH.get(facts.copyleft if facts else None, 0)
    values = [_reach(kb, p) for p in expr.parts]
    return min(values) if isinstance(expr, Or) else max(values)


def _patent(kb: KnowledgeBase, expr: Expression) -> bool:
    return any(_has_patent_licence(kb.licence(leaf.id)) for leaf in leaves(expr))


def _one_version_carries(engine: Engine, expr: Expression, facts: LicenceFacts, use: str, linking: str) -> bool:
    """An "-or-later" outbound judged conditional part by part ("GPL-2.0-only code: under
    v2 only"; "Apache-2.0 code: under v3 only") carries the whole only if one version
    carries every part at once."""
    versions = [v for v in facts.versions if v != facts.id]
    return not versions or any(
        engine.inbound(expr, Leaf(v), use, linking).verdict in _WORKS for v in versions
    )


def _option(kb: KnowledgeBase, lid: str, facts: LicenceFacts, finding: Any, use: str,
            own: bool, reach: int, patent: bool) -> OutboundOption:
    lost = []
    if _REACH.get(facts.copyleft, 0) > reach:
        lost.append("combine")
    if patent and not _has_patent_licence(facts):
        lost.append("patent")
    have = {o.id for o in finding.obligations}
    added = tuple(o for o in facts.obligations.get(use, ()) if not _covered(o, have))
    return OutboundOption(
        lid, finding.verdict, _RANK[finding.verdict], finding.reasons, finding.conditions,
        _sort_obligations(finding.obligations), family=_FAMILY_OF.get(facts.category, "permissive"),
        own=own, permissions_lost=tuple(_PERMISSIONS[p] for p in lost),
        obligations_added=tuple((o, kb.obligations.get(o, o)) for o in added),
    )


def _key(o: OutboundOption) -> tuple[Any, ...]:
    return (not o.own, o.score, len(o.permissions_lost), len(o.obligations_added),
            _USAGE_RANK.get(o.licence, len(USAGE)), o.licence)


def _short_list(ok: Sequence[OutboundOption]) -> tuple[int, ...]:
    """The inbound's own licences, then the best of each family in turn, up to SHORT_LIST rows."""
    chosen = [i for i, o in enumerate(ok) if o.own]
    queues = {f: [i for i, o in enumerate(ok) if not o.own and o.family == f] for f in FAMILIES}
    while len(chosen) < SHORT_LIST and any(queues.values()):
        for f in FAMILIES:
            if queues[f] and len(chosen) < SHORT_LIST:
                chosen.append(queues[f].pop(0))
    return tuple(sorted(chosen))


def rank_outbound(
    inbound: str | ParsedExpression,
    *,
    use: str = "distribution",
    linking: str = "static",
    kb: Sequence[str] = (),
) -> Ranking:
    """Outbound licences a work containing ``inbound`` can be released under, best first.

    Candidates are every curated licence that is not source-available or deprecated; the
    order is the module's rule. ``unknown`` holds the candidates that could not be assessed
    (never silently dropped).
    """
    engine = _engine(tuple(kb))
    inb = inbound if isinstance(inbound, ParsedExpression) else _parse(inbound, "EXPR")
    own_ids = {leaf.id for leaf in leaves(inb.expression)}
    reach, patent = _reach(engine.kb, inb.expression), _patent(engine.kb, inb.expression)
    ok: list[OutboundOption] = []
    unknown: list[OutboundOption] = []
    for lid, facts in sorted(engine.kb.licences.items()):
        if not facts.curated or facts.category in ("source-available",) or facts.deprecated:
            continue
        f = engine.inbound(inb.expression, Leaf(lid), use, linking)
        opt = _option(engine.kb, lid, facts, f, use, lid in own_ids, reach, patent)
        if f.verdict == "compatible" or (
            f.verdict == "conditional" and _one_version_carries(engine, inb.expression, facts, use, linking)
        ):
            ok.append(opt)
        elif f.verdict == "unknown":
            unknown.append(opt)
    ok.sort(key=_key)
    return Ranking(tuple(ok), tuple(unknown), _short_list(ok))



# --- one licence for a combined work (coop reuse) ----------------------------------------


@dataclass(frozen=True)
class Carrying:
    """Can the parts of a combined work go under one licence, for this use?

    ``copyleft``: the licences whose copyleft the use triggers (none: no single licence is
    needed, each part keeps its own). ``options``: licences that carry every part, best first
    (at most the few asked for). ``blocking``: when none does, two parts (indices into the
    parts given) that no curated licence carries together, or every part when each pair can
    be carried but not the whole; ``demanding``: those of them whose copyleft the use
    triggers (the terms that ask for one licence).
    """

    copyleft: tuple[str, ...]
    options: tuple[OutboundOption, ...]
    blocking: tuple[int, ...] = ()
    demanding: tuple[int, ...] = ()  # the blocking parts whose copyleft asks for one licence


def _copyleft_triggered(kb: KnowledgeBase, expr: Expression, use: str) -> tuple[str, ...]:
    """The licences whose copyleft this use triggers: every part of an AND; an OR only when
    every alternative does (the recipient may choose one that does not)."""
    if isinstance(expr, Leaf):
        facts = kb.licence(expr.id)
        hit = facts is not None and facts.copyleft not in (None, "none") and use in facts.triggers
        return (expr.id,) if hit else ()
    found = [_copyleft_triggered(kb, p, use) for p in expr.parts]
    if isinstance(expr, Or) and not all(found):
        return ()
    return tuple(dict.fromkeys(x for f in found for x in f))


def _together(parts: Sequence[ParsedExpression]) -> ParsedExpression:
    from .expressions import And, render

    exprs = tuple(dict.fromkeys(p.expression for p in parts))
    expr = exprs[0] if len(exprs) == 1 else And(exprs)
    return ParsedExpression(render(expr), expr)


def carry(parts: Sequence[ParsedExpression], *, use: str, linking: str = "static", kb: Sequence[str] = (),
          limit: int = 3) -> Carrying:
    """Whether the combined work made of ``parts`` needs one licence for this use, and which
    licences can be it (the ranking of :func:`rank_outbound` on all the parts together)."""
    knowledge = _engine(tuple(kb)).kb
    copyleft = tuple(dict.fromkeys(x for p in parts for x in _copyleft_triggered(knowledge, p.expression, use)))
    if not copyleft or not parts:
        return Carrying((), ())
    ranking = rank_outbound(_together(parts), use=use, linking=linking, kb=kb)
    if ranking.ok:
        return Carrying(copyleft, ranking.ok[:limit])
    triggers = [bool(_copyleft_triggered(knowledge, p.expression, use)) for p in parts]
    for i in range(len(parts)):
        for j in range(i + 1, len(parts)):
            pair = [parts[i], parts[j]]
            if (triggers[i] or triggers[j]) and not rank_outbound(_together(pair), use=use, linking=linking,
                                                                  kb=kb).ok:
                return Carrying(copyleft, (), (i, j), tuple(k for k in (i, j) if triggers[k]))
    every = tuple(range(len(parts)))
    return Carrying(copyleft, (), every, tuple(k for k in every if triggers[k]))
