"""Step 5 of the reuse decision: one verdict once every condition has a value.

With every open condition fixed (by :mod:`.explore`), :func:`settle` decides which clauses apply
and which an exception defeats, which licences the applied clauses grant, and then the verdict,
in the order ``language.md`` gives: a third party's licence that forbids the use, guardrails,
the clauses of each agreement (conflicts inside one agreement, then between agreements, settled
by ``precedence`` and ``refines``), the agreements' defaults, and last the licences.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from ..expressions import leaves, parse_expression
from ..language.model import EFFECT_RANK
from .agreements import Evaluated, Index, scope_key
from .licences import STATUS_RANK, Licences
from .results import LicenceAnalysis

__all__ = ["Outcome", "Setting", "settle"]


@dataclass(frozen=True)
class Setting:
    """What one decision fixes before any missing fact is tried."""

    index: Index
    evaluated: Evaluated
    licences: Licences
    owner: str  # the party that owns the solution's code: only its agreements can grant a licence for it

    @cached_property
    def fixed(self) -> _Fixed:
        """What no open condition can change, worked out once for every combination explored."""
        return _fixed(self.index, self.evaluated)


@dataclass(frozen=True)
class Outcome:
    verdict: str
    determining: tuple[str, ...]
    statuses: Mapping[str, tuple[str, str | None]]  # clause key -> (status, defeated_by)
    applied: tuple[str, ...]  # clause keys applied (undefeated), for obligations and grants
    conflict: str | None
    reason: str
    grants: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Verdict:
    verdict: str
    determining: Sequence[str]
    reason: str
    conflict: str | None = None


@dataclass(frozen=True)
class _Applied:
    """Every clause's status, the applied ones in file order, and the effects they decide."""

    statuses: Mapping[str, tuple[str, str | None]]
    applied: list[str]
    guardrails: list[tuple[str, str]]  # (clause key, effect)
    per_agreement: dict[str, list[tuple[str, str]]]  # agreement -> (clause key, effect)


@dataclass(frozen=True)
class _Fixed:
    """The clauses whose status no open condition can change, and those it can (``dynamic``).

    A clause's status reads its agreement's scope, its own condition, its base's (transitively)
    and its exceptions' (transitively): a clause is dynamic when anything in its family (the
    clauses linked to it by ``exception to``, in either direction) or its family's agreements
    is open. ``statuses`` holds every clause, in file order, the dynamic ones with a placeholder;
    ``candidates`` the clauses that are applied or dynamic, in file order.
    """

    statuses: dict[str, tuple[str, str | None]]
    dynamic: tuple[str, ...]
    # Each open family: its clauses (file order), and the open conditions their statuses read.
    families: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]
    # (family, the values of those conditions) -> the family's statuses: a family's statuses are
    # a function of those values alone, and the combinations explored repeat them.
    known: dict[tuple[str, tuple[bool, ...]], tuple[tuple[str, str | None], ...]]
    # (clause, dynamic?, agreement, guardrail?, effect): what _record_applied reads, looked up once
    candidates: tuple[tuple[str, bool, str, bool, str | None], ...]


def _fixed(ix: Index, ev: Evaluated) -> _Fixed:
    family: dict[str, str] = {}  # clause -> a representative of its family (union-find)

    def root(key: str) -> str:
        while family.get(key, key) != key:
            key = family[key]
        return key

    for key, base in ix.base_of.items():
        if base in ix.clause_of:
            family[root(key)] = root(base)
    open_families = {root(k) for k, (a, _c) in ix.clause_of.items()
                     if ev.agreement_truth.get(a.id) is None or ev.clause_truth.get(k) is None}
    dynamic = tuple(k for k in ix.clause_of if root(k) in open_families)
    members: dict[str, list[str]] = {}
    for k in dynamic:
        members.setdefault(root(k), []).append(k)
    families = tuple(
        (tuple(keys), tuple(dict.fromkeys(
            o for k in keys for o in (scope_key(ix.clause_of[k][0].id), k) if o in ev.open_conditions)))
        for keys in members.values()
    )
    clauses = _Defeasible(ix, ev, {}, frozenset())
    statuses = {key: _status(ix, ev, {}, clauses, key) for key in ix.clause_of}
    candidates = tuple(
        (k, root(k) in open_families, a.id, c.kind.value == "guardrail", c.then.value if c.then else None)
        for k, (a, c) in ix.clause_of.items()
        if root(k) in open_families or statuses[k][0] == "applied"
    )
    return _Fixed(statuses, dynamic, families, {}, candidates)


def settle(setting: Setting, assign: Mapping[str, bool], force: frozenset[str] = frozenset()
           ) -> tuple[Outcome, LicenceAnalysis]:
    """One deterministic run with every open condition fixed by ``assign`` (``force``: hold regardless)."""
    if force or not setting.evaluated.open_conditions:
        applied = _apply_clauses(setting.index, setting.evaluated, assign, force)
    else:
        applied = _apply_dynamic(setting.index, setting.evaluated, assign, setting.fixed)
    grant_clauses, grants, analysis = _grants(setting, applied.applied)
    verdict = _verdict(setting, assign, applied, analysis, grant_clauses, grants)
    return Outcome(verdict.verdict, tuple(dict.fromkeys(verdict.determining)), applied.statuses,
                   tuple(applied.applied), verdict.conflict, verdict.reason, grants), analysis


def applies(ev: Evaluated, assign: Mapping[str, bool], aid: str) -> bool:
    """Does the agreement apply, with its scope fixed by ``assign`` when the facts left it open?"""
    t = ev.agreement_truth.get(aid)
    return assign.get(scope_key(aid), False) if t is None else t


def _apply_clauses(ix: Index, ev: Evaluated, assign: Mapping[str, bool], force: frozenset[str]) -> _Applied:
    clauses = _Defeasible(ix, ev, assign, force)
    statuses = {key: _status(ix, ev, assign, clauses, key) for key in ix.clause_of}
    result = _Applied(statuses, [], [], {})
    for key, status in statuses.items():
        if status[0] == "applied":
            _record_applied(result, ix, key)
    return result


def _apply_dynamic(ix: Index, ev: Evaluated, assign: Mapping[str, bool], fixed: _Fixed) -> _Applied:
    """:func:`_apply_clauses` working out only the clauses an open condition can change; the
    statuses are those over the fixed ones (a ChainMap: iterated in the fixed ones' file order)."""
    clauses = _Defeasible(ix, ev, assign, frozenset())
    changed: dict[str, tuple[str, str | None]] = {}
    for keys, reads in fixed.families:
        values = tuple(assign.get(k, False) for k in reads)
        found = fixed.known.get((keys[0], values))
        if found is None:
            found = fixed.known[(keys[0], values)] = tuple(_status(ix, ev, assign, clauses, k) for k in keys)
        changed.update(zip(keys, found, strict=True))
    statuses = ChainMap(changed, fixed.statuses)
    result = _Applied(statuses, [], [], {})
    for key, dynamic, aid, guardrail, effect in fixed.candidates:
        if dynamic and changed[key][0] != "applied":
            continue
        result.applied.append(key)
        if effect is None:
            continue
        if guardrail:
            result.guardrails.append((key, effect))
        else:
            result.per_agreement.setdefault(aid, []).append((key, effect))
    return result


def _status(ix: Index, ev: Evaluated, assign: Mapping[str, bool], clauses: _Defeasible, key: str
            ) -> tuple[str, str | None]:
    a, c = ix.clause_of[key]
    if not applies(ev, assign, a.id):
        status = ev.agreement_status.get(a.id)
        return ("not-in-force" if status and status.status == "not-in-force" else "not-applicable", None)
    if key in ev.not_in_force:
        return ("not-in-force", None)
    if not clauses.holds(key):
        return ("not-applicable", None)
    d = clauses.set_aside_by(key) if c.kind.value == "clause" else None
    return ("defeated", d) if d is not None else ("applied", None)


def _record_applied(result: _Applied, ix: Index, key: str) -> None:
    a, c = ix.clause_of[key]
    result.applied.append(key)
    if c.then is None:
        return
    if c.kind.value == "guardrail":
        result.guardrails.append((key, c.then.value))
    else:
        result.per_agreement.setdefault(a.id, []).append((key, c.then.value))


class _Defeasible:
    """Which clauses hold (their base's condition folded in) and which exceptions defeat, memoised."""

    def __init__(self, ix: Index, ev: Evaluated, assign: Mapping[str, bool], force: frozenset[str]) -> None:
        self._ix, self._ev, self._assign, self._force = ix, ev, assign, force
        self._holds: dict[str, bool] = {}
        self._defeated: dict[str, str | None] = {}

    def _own_truth(self, key: str) -> bool:
        if key in self._force:
            return True
        t = self._ev.clause_truth.get(key)
        return self._assign.get(key, False) if t is None else t

    def holds(self, key: str) -> bool:
        """The clause's condition, with its base's folded in (transitively) unless standalone."""
        if key in self._holds:
            return self._holds[key]
        self._holds[key] = False  # a cycle (the checker reports it) never holds
        a, c = self._ix.clause_of[key]
        value = applies(self._ev, self._assign, a.id) and self._own_truth(key) and key not in self._ev.not_in_force
        base = self._ix.base_of.get(key)
        if value and base is not None and not c.standalone:
            value = base in self._ix.clause_of and self.holds(base)
        self._holds[key] = value
        return value

    def defeated_by(self, key: str) -> str | None:
        """The nearest applicable exception with an effect among the clause's exceptions,
        their exceptions, and so on (language.md: "defeated by an applicable exception to it
        (transitively)"). An exception defeated in turn still defeats its base: art3-1 setting
        art3 aside does not bring art2 back. Only an exception that decides something defeats;
        one that only obliges or waives adjusts its base's obligations."""
        if key in self._defeated:
            return self._defeated[key]
        seen = {key}
        frontier = list(self._ix.exceptions_of.get(key, ()))
        found = None
        while frontier and found is None:
            following: list[str] = []
            for e in frontier:
                if e in seen:  # a cycle (the checker reports it)
                    continue
                seen.add(e)
                if self._ix.clause_of[e][1].then is not None and self.holds(e):
                    found = e
                    break
                following.extend(self._ix.exceptions_of.get(e, ()))
            frontier = following
        self._defeated[key] = found
        return found

    def set_aside_by(self, key: str) -> str | None:
        """What defeats the clause; an exception without ``then`` falls with its base."""
        d = self.defeated_by(key)
        if d is not None:
            return d
        base = self._ix.base_of.get(key)
        if self._ix.clause_of[key][1].then is None and base is not None and base in self._ix.clause_of:
            return self.set_aside_by(base)
        return None


def _grants(setting: Setting, applied: Sequence[str]) -> tuple[list[str], tuple[str, ...], LicenceAnalysis]:
    """The applied clauses that grant a licence, the licences, and the licence analysis they lead to."""
    ix = setting.index
    # A party can only license code it owns: grants count where the owner is a party.
    grant_clauses = [k for k in applied
                     if ix.clause_of[k][1].grants and setting.owner in ix.members[ix.clause_of[k][0].id]]
    grants = tuple(dict.fromkeys(g for k in grant_clauses for g in ix.clause_of[k][1].grants))
    analysis = setting.licences.analysis()
    if grants:
        # A grant is used only where it gets further than the owner's own licence.
        with_grants = setting.licences.analysis(grants)
        if STATUS_RANK[with_grants.owner_status] < STATUS_RANK[analysis.owner_status]:
            analysis = with_grants
        else:
            grants = ()
    return grant_clauses, grants, analysis


def _verdict(setting: Setting, assign: Mapping[str, bool], applied: _Applied, analysis: LicenceAnalysis,
             grant_clauses: Sequence[str], grants: tuple[str, ...]) -> _Verdict:
    if analysis.third_party_status == "forbids":
        comp_keys = [f"licence:{c.licence}" for c in analysis.components if c.status == "forbids"]
        denying_guards = [k for k, e in applied.guardrails if e == "deny"]
        return _Verdict("deny", [*comp_keys, *denying_guards],
                        "a third-party component's licence forbids this use, and no agreement between provider "
                        "and recipient can lift a third party's terms")
    if applied.guardrails:
        worst = max((e for _, e in applied.guardrails), key=EFFECT_RANK.__getitem__)
        return _Verdict(worst, [k for k, _ in applied.guardrails],
                        "a guardrail applies" + (" and denies this reuse" if worst == "deny"
                                                 else " and requires an MOU"))
    agreed = _between_agreements(setting, assign, applied)
    if isinstance(agreed, _Verdict):
        return agreed
    effect, permitting, agreement_keys = agreed
    if effect == "deny":
        return _Verdict("deny", agreement_keys, "an applicable clause denies this reuse")
    if effect == "require-mou":
        return _Verdict("require-mou", agreement_keys, "an applicable clause requires an MOU")
    return _licence_verdict(setting, analysis, effect, permitting, agreement_keys, grant_clauses, grants)


def _between_agreements(setting: Setting, assign: Mapping[str, bool], applied: _Applied
                        ) -> _Verdict | tuple[str | None, list[str], list[str]]:
    """What the agreements decide: (effect, the agreements deciding it, the clauses or defaults that do),
    or an ``undetermined`` verdict when clauses conflict and nothing settles it."""
    results: dict[str, tuple[str, list[str]]] = {}
    for aid, hits in applied.per_agreement.items():
        effects = {e for _, e in hits}
        results[aid] = (effects.pop() if len(effects) == 1 else "conflict", [k for k, _ in hits])
    if not results:
        defaults = [(aid, e) for aid, e in setting.index.defaults if applies(setting.evaluated, assign, aid)]
        if not defaults:
            return None, [], []
        effect = max((e for _, e in defaults), key=EFFECT_RANK.__getitem__)
        permitting = [aid for aid, e in defaults if e == effect]
        return effect, permitting, [f"{aid}.default" for aid in permitting]
    winner = _settle_agreements(setting.index, results)
    if winner is None:
        conflicted = [a for a, (e, _) in results.items() if e == "conflict"]
        if conflicted:
            aid = conflicted[0]
            ks = results[aid][1]
            return _Verdict("undetermined", ks,
                            f"clauses of {aid} conflict ({', '.join(ks)}) and none is an exception to the other",
                            conflict=aid)
        keys = [k for _, ks in results.values() for k in ks]
        return _Verdict("undetermined", keys,
                        "agreements disagree (" + ", ".join(f"{a}: {e}" for a, (e, _) in sorted(results.items()))
                        + ") and no precedence or refines settles it", conflict="between-agreements")
    effect = results[winner][0]
    permitting = [a for a, (e, _) in results.items() if e == effect]
    return effect, permitting, [k for a in permitting for k in results[a][1]]


def _settle_agreements(ix: Index, results: Mapping[str, tuple[str, list[str]]]) -> str | None:
    """The agreement whose result stands over every agreement that disagrees with it, if any.

    An agreement whose own clauses conflict has no result; it is settled only if another
    agreement stands over it.
    """
    candidates = [
        aid for aid, (effect, _) in results.items()
        if effect != "conflict" and all(ix.dominates(aid, other) for other, (e, _) in results.items() if e != effect)
    ]
    effects = {results[c][0] for c in candidates}
    if len(effects) != 1:
        return None
    return sorted(candidates)[0]


def _licence_verdict(setting: Setting, analysis: LicenceAnalysis, effect: str | None, permitting: Sequence[str],
                     agreement_keys: Sequence[str], grant_clauses: Sequence[str], grants: tuple[str, ...]
                     ) -> _Verdict:
    """No clause denies or requires an MOU: the licences decide, or an owner's agreement that permits."""
    licence_keys = [f"licence:{x}" for x in analysis.owner_leaves] or ["licence:none"]
    work = analysis.combined
    if work.licence is not None and not work.given:
        # The licence the whole goes under decides the terms of the reuse too.
        licence_keys.append(f"licence:{work.licence}")
    if analysis.third_party_status == "silent":
        keys = [f"licence:{c.licence or 'none'}" for c in analysis.components if c.status == "silent"]
        return _Verdict("undetermined", keys,
                        "a third-party component has no usable licence information; an agreement cannot supply "
                        "a third party's rights")
    if analysis.third_party_status == "conditional":
        keys = [f"licence:{c.licence}" for c in analysis.components if c.status == "conditional"]
        return _Verdict("undetermined", keys,
                        "a third-party component's licence allows this only on a condition that must be checked")
    lic_status = analysis.owner_status
    stands_in = effect == "permit" and any(setting.owner in setting.index.members[a] for a in permitting)
    if lic_status == "grants":
        chosen = set(analysis.owner_leaves)
        if grants:
            used = [k for k in grant_clauses
                    if any(leaf.key in chosen for g in setting.index.clause_of[k][1].grants
                           for leaf in leaves(parse_expression(g).expression))]
            return _Verdict("permit", [*used, *licence_keys],
                            "the owner's licence alone does not allow this use; a licence granted by an agreement "
                            "does")
        keys = licence_keys + (list(agreement_keys) if effect == "permit" else [])
        whole = f", with the combined work under {work.licence}" if work.licence and not work.given else ""
        return _Verdict("permit", keys, f"the licence allows this use{whole}")
    if lic_status in ("silent", "conditional") and stands_in:
        why = ("the licences do not settle this use" if lic_status == "silent"
               else "the solution's licence allows this only on a condition")
        return _Verdict("permit", agreement_keys,
                        why + ", and an applicable agreement of the owner permits the reuse of its code")
    if lic_status == "conditional":
        return _Verdict("undetermined", licence_keys,
                        "the solution's licence allows this only on a condition that must be checked")
    if lic_status == "forbids":
        return _Verdict("require-mou", licence_keys,
                        "the solution's licence does not allow this use and no agreement grants a licence that "
                        "does")
    return _Verdict("require-mou", licence_keys,
                    "the licences do not settle this use and no clause supplies the missing rights")
