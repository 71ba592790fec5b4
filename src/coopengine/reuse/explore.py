"""Step 6 of the reuse decision: conditions that depend on facts the scenario does not give.

Each missing fact is tried with the values that reach every outcome of the conditions reading it;
if the verdict is the same for every combination it stands, otherwise the answer is
``undetermined`` and names the facts that change it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .agreements import Oracle
from .results import LicenceAnalysis
from .settle import Outcome, Setting, settle

if TYPE_CHECKING:
    from ..language.logic import Truth
    from ..language.model import Condition

__all__ = ["Explored", "explore"]

MAX_ASSIGNMENTS = 4096  # up to here every combination's run is kept, for the facts that matter
# Beyond MAX_ASSIGNMENTS the runs are streamed: only each distinct outcome is kept, and the first
# two combinations with different verdicts end the search. 2**20 is 20 yes/no facts.
MAX_STREAMED = 1 << 20
_MAX_GRANT_SETS = 64  # subsets of granted licences tried when looking for a settled deny
# Never equal to a literal a clause can write: stands for "some other value" of a missing fact.
_OTHER = "\x00another value"
_VERDICT_ORDER = ["permit", "require-mou", "deny", "undetermined"]


@dataclass(frozen=True)
class Explored:
    """The outcome over every combination of the missing facts, and what to tell the user about them."""

    outcome: Outcome
    analysis: LicenceAnalysis
    missing: tuple[str, ...]  # the facts the verdict depends on
    hints: tuple[str, ...]
    base_assign: Mapping[str, bool]  # the open conditions in the first combination, for the hints


@dataclass(frozen=True)
class _Domain:
    """One missing fact and the values worth trying: enough to reach every outcome of the conditions."""

    label: str
    path: str | None  # set the fact ``path``; None: the truth of ``atom`` itself is tried
    atom: Condition | None
    values: tuple[object, ...]


@dataclass(frozen=True)
class _Run:
    combo: tuple[object, ...]  # one value per domain
    outcome: Outcome


def explore(setting: Setting, facts: Mapping[str, object], oracle: Oracle, *, verdict_only: bool = False) -> Explored:
    """Run once per combination of values of the missing facts; a verdict that changes is ``undetermined``.

    Missing facts are enumerated, not the conditions that read them, so that two clauses reading
    the same fact stay consistent (``x`` and ``not x`` never both hold). What decides whatever they
    are (a third-party licence that forbids the use, a deny guardrail that surely applies) is
    settled first, without trying any. ``verdict_only``: the search that keeps outcomes, not
    runs, and ends at the first two verdicts that differ, as for many facts (the verdict is the
    same; what is said about the missing facts is shorter).
    """
    conds = setting.evaluated.open_conditions
    if not conds:
        outcome, analysis = settle(setting, {})
        return Explored(outcome, analysis, (), (), {})
    settled = _settled_deny(setting)
    if settled is not None:
        first, analysis = settle(setting, {})
        statuses = {k: ("undetermined", None) if k in conds else s for k, s in first.statuses.items()}
        return Explored(Outcome("deny", settled[0], statuses, (), None, settled[1]), analysis, (), (), {})
    domains, uses = _domains(conds, facts, oracle)
    trials = _Trials(setting, domains, uses, facts, oracle)
    size = 1
    for d in domains:
        size *= len(d.values)
    if size > MAX_ASSIGNMENTS or verdict_only:
        return _explore_large(trials, uses, size)
    runs, summary = _runs(trials)
    verdicts = sorted(summary.verdicts, key=_VERDICT_ORDER.index)
    merged = summary.outcome()
    analysis = setting.licences.analysis(merged.grants)
    hints = summary.obligations_depending(domains, uses)
    base_assign = trials.assign(runs[0].combo)
    if len(verdicts) == 1:
        return Explored(merged, analysis, (), tuple(hints), base_assign)
    matters = _facts_that_matter(runs, len(domains))
    labels = tuple(dict.fromkeys(domains[i].label for i in matters))
    determining = tuple(k for k in conds if uses.get(k, frozenset()) & set(matters))
    why = ("the verdict depends on facts the scenario does not give: " + ", ".join(labels)
           + f" (it could be {' or '.join(verdicts)})")
    if len(matters) == 1:
        hints.extend(_verdict_by_value(runs, domains, matters[0], verdicts))
    undetermined = Outcome("undetermined", determining, merged.statuses, merged.applied, None, why, merged.grants)
    return Explored(undetermined, analysis, labels, tuple(hints), base_assign)


class _Summary:
    """What every combination's outcome has in common, gathered one distinct outcome at a time
    (each fold is idempotent, so an outcome seen twice changes nothing)."""

    def __init__(self, setting: Setting, first: Outcome) -> None:
        self.setting, self.first = setting, first
        self.verdicts = {first.verdict}
        self.statuses = dict(first.statuses)
        self.applied, self.grants, self.determining = set(first.applied), set(first.grants), set(first.determining)
        self.any_applied = dict.fromkeys(first.applied)
        self.any_determining = dict.fromkeys(first.determining)

    def add(self, o: Outcome) -> None:
        self.verdicts.add(o.verdict)
        # Only a clause an open condition can change may differ (see Setting.fixed).
        for key in self.setting.fixed.dynamic:
            if o.statuses[key] != self.statuses[key]:
                self.statuses[key] = ("undetermined", None)
        self.applied.intersection_update(o.applied)
        self.grants.intersection_update(o.grants)
        self.determining.intersection_update(o.determining)
        self.any_applied.update(dict.fromkeys(o.applied))
        self.any_determining.update(dict.fromkeys(o.determining))

    def outcome(self) -> Outcome:
        """One outcome for them all: the first's verdict, what every one applied and granted, what
        decided in every one (if nothing did throughout, each one's own)."""
        first = self.first
        applied = tuple(k for k in first.applied if k in self.applied)
        grants = tuple(g for g in first.grants if g in self.grants)
        determining = tuple(k for k in first.determining if k in self.determining) or tuple(self.any_determining)
        return Outcome(first.verdict, determining, self.statuses, applied, first.conflict, first.reason, grants)

    def obligations_depending(self, domains: Sequence[_Domain], uses: Mapping[str, frozenset[int]]) -> list[str]:
        """Clauses with obligations that apply in some combinations only, and the facts they depend on."""
        hints: list[str] = []
        for key in self.any_applied:
            c = self.setting.index.clause_of[key][1]
            if key not in self.applied and c.obligations:
                on = ", ".join(domains[i].label for i in sorted(uses.get(key, ()))) or "missing facts"
                hints.append(f"{key} would add {', '.join(o.id for o in c.obligations)}, depending on {on}")
        return hints


def _explore_large(trials: _Trials, uses: Mapping[str, frozenset[int]], size: int) -> Explored:
    """More combinations than are kept: first the two opposite corners and each fact changed alone
    from either, and only then every combination, keeping each distinct outcome once (outcomes, not
    runs). The first two combinations with different verdicts end it (the verdict is then
    ``undetermined``)."""
    setting, domains = trials.setting, trials.domains
    conds = setting.evaluated.open_conditions
    labels = tuple(d.label for d in domains)
    if size > MAX_STREAMED:
        first, analysis = settle(setting, {})
        statuses = {k: ("undetermined", None) if k in conds else s for k, s in first.statuses.items()}
        return Explored(Outcome("undetermined", tuple(conds), statuses, (), None,
                                f"too many missing facts to try every combination ({len(domains)}): "
                                + ", ".join(labels)), analysis, labels, (), {})
    memo: dict[tuple[bool, ...], Outcome] = {}
    base = tuple(d.values[0] for d in domains)
    summary = _Summary(setting, trials.outcome(base, memo)[0])
    # Where the verdict changes, it usually does at the opposite corner (every fact the other way)
    # or by one fact changed from either corner: tried before the exhaustive enumeration.
    corner = tuple(d.values[-1] for d in domains)
    near = itertools.chain(
        [corner],
        (c[:i] + (v,) + c[i + 1:] for c in (base, corner) for i, d in enumerate(domains) for v in d.values),
    )
    for combo in itertools.chain(near, itertools.product(*(d.values for d in domains))):
        if len(memo) > MAX_ASSIGNMENTS:  # keep memory flat: the summary holds what is needed
            memo.clear()
        outcome, new = trials.outcome(combo, memo)
        if outcome.verdict != summary.first.verdict:
            return _differing(trials, uses, base, combo)
        if new:
            summary.add(outcome)
    merged = summary.outcome()
    hints = tuple(summary.obligations_depending(domains, uses))
    return Explored(merged, setting.licences.analysis(merged.grants), (), hints, trials.assign(base))


def _differing(trials: _Trials, uses: Mapping[str, frozenset[int]], a: tuple[object, ...], b: tuple[object, ...]
               ) -> Explored:
    """Two combinations with different verdicts: walk from one to the other a fact at a time; the
    step where the verdict changes names a fact whose value alone changes it."""
    setting, domains = trials.setting, trials.domains
    conds = setting.evaluated.open_conditions
    memo: dict[tuple[bool, ...], Outcome] = {}
    current = list(a)
    before = trials.outcome(tuple(current), memo)[0]
    matters: list[int] = []
    verdicts = {before.verdict}
    for i, value in enumerate(b):
        if current[i] == value and type(current[i]) is type(value):
            continue
        current[i] = value
        after = trials.outcome(tuple(current), memo)[0]
        verdicts.add(after.verdict)
        if after.verdict != before.verdict:
            matters.append(i)
        before = after
    ordered = sorted(verdicts, key=_VERDICT_ORDER.index)
    labels = tuple(dict.fromkeys(domains[i].label for i in matters))
    assign = trials.assign(a)
    first, analysis = settle(setting, assign)
    statuses = {k: ("undetermined", None) if k in conds else s for k, s in first.statuses.items()}
    determining = tuple(k for k in conds if uses.get(k, frozenset()) & set(matters))
    why = ("the verdict depends on facts the scenario does not give: " + ", ".join(labels)
           + f" (it could be {' or '.join(ordered)}; more than {MAX_ASSIGNMENTS} combinations, so the search "
           "stopped at the first two that differ)")
    return Explored(Outcome("undetermined", determining, statuses, (), None, why), analysis, labels, (), assign)


def _settled_deny(setting: Setting) -> tuple[tuple[str, ...], str] | None:
    """What denies in every combination of the missing facts, if anything, and why.

    A component whose licence forbids the use denies whatever the agreements say, unless a
    licence some clause may grant changes the combined work's licence: every set of grantable
    licences is tried. A deny guardrail denies when it applies for sure: its agreement, its own
    condition and (unless standalone) its base's are decided true by the known facts.
    """
    ix, ev = setting.index, setting.evaluated
    grantable = sorted({g for a, c in ix.clause_of.values() if c.grants and setting.owner in ix.members[a.id]
                        for g in c.grants})
    if 2 ** len(grantable) <= _MAX_GRANT_SETS:
        sets = [tuple(g for j, g in enumerate(grantable) if mask >> j & 1) for mask in range(2 ** len(grantable))]
        analyses = [setting.licences.analysis(gs) for gs in sets]
        if all(x.third_party_status == "forbids" for x in analyses):
            keys = tuple(dict.fromkeys(f"licence:{c.licence}" for x in analyses for c in x.components
                                       if c.status == "forbids"))
            return keys, ("a third-party component's licence forbids this use, whatever the missing facts are, "
                          "and no agreement between provider and recipient can lift a third party's terms")

    def surely(key: str, depth: int = 0) -> bool:
        a, c = ix.clause_of[key]
        if depth > len(ix.clause_of) or ev.agreement_truth.get(a.id) is not True:
            return False
        if ev.clause_truth.get(key) is not True or key in ev.not_in_force:
            return False
        base = ix.base_of.get(key)
        return c.standalone or base is None or (base in ix.clause_of and surely(base, depth + 1))

    guards = tuple(k for k, (_a, c) in ix.clause_of.items()
                   if c.kind.value == "guardrail" and c.then is not None and c.then.value == "deny" and surely(k))
    if guards:
        return guards, "a deny guardrail applies whatever the missing facts are"
    return None


def _runs(trials: _Trials) -> tuple[list[_Run], _Summary]:
    """One run per combination (combinations giving every open condition the same values share
    an outcome), and what their outcomes have in common."""
    memo: dict[tuple[bool, ...], Outcome] = {}
    runs: list[_Run] = []
    summary: _Summary | None = None
    for combo in itertools.product(*(d.values for d in trials.domains)):
        outcome, new = trials.outcome(combo, memo)
        runs.append(_Run(combo, outcome))
        if summary is None:
            summary = _Summary(trials.setting, outcome)
        elif new:
            summary.add(outcome)
    assert summary is not None
    return runs, summary


class _Trials:
    """The open conditions' values for a combination of missing facts, and its outcome.

    Conditions reading the same missing facts are evaluated together, once per combination of
    those facts' values: a combination's signature (every open condition's value) is put
    together from a few cached pieces, not evaluated afresh.
    """

    def __init__(self, setting: Setting, domains: Sequence[_Domain], uses: Mapping[str, frozenset[int]],
                 facts: Mapping[str, object], oracle: Oracle) -> None:
        self.setting, self.domains, self.facts, self.oracle = setting, domains, facts, oracle
        groups: dict[tuple[int, ...], list[str]] = {}
        for key in setting.evaluated.open_conditions:
            groups.setdefault(tuple(sorted(uses.get(key, ()))), []).append(key)
        self.groups = list(groups.items())
        self._values: dict[tuple[object, ...], tuple[bool, ...]] = {}

    def assign(self, combo: tuple[object, ...]) -> dict[str, bool]:
        """Each open condition's value, in the order of the open conditions."""
        values = dict(zip((k for _, keys in self.groups for k in keys), self.signature(combo), strict=True))
        return {k: values[k] for k in self.setting.evaluated.open_conditions}

    def signature(self, combo: tuple[object, ...]) -> tuple[bool, ...]:
        out: tuple[bool, ...] = ()
        for group, (indices, keys) in enumerate(self.groups):
            projected = (group, *[(type(combo[i]), combo[i]) for i in indices])
            found = self._values.get(projected)
            if found is None:
                found = self._values[projected] = self._evaluate(keys, indices, combo)
            out += found
        return out

    def _evaluate(self, keys: Sequence[str], indices: Sequence[int], combo: tuple[object, ...]) -> tuple[bool, ...]:
        from ..language import evaluate

        known = dict(self.facts)
        tried: dict[Condition, bool] = {}
        for i in indices:
            d, v = self.domains[i], combo[i]
            if d.path is not None:
                known[d.path] = v
            elif d.atom is not None:
                tried[d.atom] = bool(v)

        def oracle(atom: Condition) -> Truth:
            return tried[atom] if atom in tried else self.oracle(atom)

        conds = self.setting.evaluated.open_conditions
        return tuple(evaluate(conds[k], known, oracle) is True for k in keys)

    def outcome(self, combo: tuple[object, ...], memo: dict[tuple[bool, ...], Outcome]) -> tuple[Outcome, bool]:
        """The combination's outcome, and whether it was worked out now (not found in ``memo``)."""
        sig = self.signature(combo)
        found = memo.get(sig)
        if found is not None:
            return found, False
        found = memo[sig] = settle(self.setting, self.assign(combo))[0]
        return found, True


def _facts_that_matter(runs: Sequence[_Run], n_domains: int) -> list[int]:
    """The facts whose value alone changes the verdict in some combination (all of them if none does)."""
    matters = []
    for i in range(n_domains):
        seen: dict[tuple[object, ...], str] = {}
        for run in runs:
            rest = tuple((type(x), x) for j, x in enumerate(run.combo) if j != i)
            if seen.setdefault(rest, run.outcome.verdict) != run.outcome.verdict:
                matters.append(i)
                break
    return matters or list(range(n_domains))


def _verdict_by_value(runs: Sequence[_Run], domains: Sequence[_Domain], i: int, verdicts: Sequence[str]
                      ) -> list[str]:
    """With one fact deciding: which of its values leads to which verdict."""
    by_value: dict[str, list[str]] = {}
    for run in runs:
        shown = "another value" if run.combo[i] == _OTHER else _show(run.combo[i])
        if shown not in by_value.setdefault(run.outcome.verdict, []):
            by_value[run.outcome.verdict].append(shown)
    return [f"with {domains[i].label} = {' or '.join(by_value[verdict])}: {verdict}" for verdict in verdicts]


def _domains(conds: Mapping[str, Condition], facts: Mapping[str, object], oracle: Oracle
             ) -> tuple[list[_Domain], dict[str, frozenset[int]]]:
    """The missing facts the open conditions read, and which facts each condition reads."""
    from ..language import evaluate
    from ..language.logic import atoms, is_licence_atom

    by_path: dict[str, list[object]] = {}
    opaque: list[Condition] = []
    reads: dict[str, set[tuple[str, object]]] = {}
    for key, cond in conds.items():
        for atom in atoms(cond):
            if evaluate(atom, facts, oracle) is not None:
                continue
            path = getattr(atom, "path", None)
            if is_licence_atom(atom) or path is None or path in facts:
                # Licence facts and given values that cannot be compared: try the test itself.
                if atom not in opaque:
                    opaque.append(atom)
                reads.setdefault(key, set()).add(("atom", atom))
                continue
            reads.setdefault(key, set()).add(("path", path))
            for value in _values_to_try(atom):
                values = by_path.setdefault(path, [])
                if not any(type(v) is type(value) and v == value for v in values):
                    values.append(value)
    domains = [_Domain(p, p, None, tuple(vs)) for p, vs in sorted(by_path.items())]
    for atom in opaque:
        path = getattr(atom, "path", "compatible-with")
        label = f"the solution's licence ({path})" if is_licence_atom(atom) else f"{path} (given, not comparable)"
        domains.append(_Domain(label, None, atom, (False, True)))
    index_of_path = {d.path: i for i, d in enumerate(domains) if d.path is not None}
    index_of_atom = {i: d.atom for i, d in enumerate(domains) if d.atom is not None}
    uses: dict[str, frozenset[int]] = {}
    for key, items in reads.items():
        idx = set()
        for kind, x in items:
            if kind == "path":
                idx.add(index_of_path[str(x)])
            else:
                idx.update(i for i, a in index_of_atom.items() if a == x)
        uses[key] = frozenset(idx)
    return domains, uses


def _values_to_try(atom: Condition) -> Sequence[object]:
    """Values of the fact an atom reads that reach each of its outcomes (and "another value")."""
    from ..language.logic import days_around
    from ..language.model import Compare, In, PathTest

    if isinstance(atom, PathTest):
        return [True, False]
    if isinstance(atom, Compare):
        v = atom.value.value
        if atom.op in ("==", "!="):
            return [v, _OTHER]
        if isinstance(v, dt.date):
            return [*days_around(v), _OTHER]
        if isinstance(v, int | float) and not isinstance(v, bool):
            return [v + d for d in (-1, 0, 1)] + [_OTHER]
        return [v, _OTHER]
    if isinstance(atom, In):
        return [item.value for item in atom.values] + [_OTHER]
    return []


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)
