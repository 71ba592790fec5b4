"""Procurement checks: every SBOM component against an outbound licence, and a bid against a tender.

``check_sbom(sbom, outbound)`` runs each component's licence through the compatibility engine;
``check_tender(tender, sbom, offered=...)`` evaluates a tender's requirements over the bid's
components and the licence offered for the deliverable. Both return frozen results with
``to_dict()``; nothing here prints, reads the clock or exits.

Decisions a reader of the results should know:

* A licence text that is not an SPDX expression (``GPL v2``) is kept, reported with the parser's
  complaint, and treated as an unknown licence; ``strict=True`` refuses the SBOM instead.
* A missing licence and ``NOASSERTION`` are unknown, never dropped.
* An SBOM without components decides nothing: ``check_sbom`` says ``unknown`` and every
  component requirement of a tender is ``unknown``. Over no components ``every component
  satisfies C`` holds vacuously, but an empty SBOM cannot be told apart from an incomplete one,
  so a procurement officer must look; the evidence says so.
* Licence facts on ``NOASSERTION``, ``NONE``, an undescribed ``LicenseRef-`` or a text that is not
  an SPDX expression are unknown (a category comparison is true only against ``unknown``), except
  that ``NONE`` (no licence granted) is neither OSI-approved nor FSF free.
* Each distinct licence text is parsed and decided once: large SBOMs repeat a few dozen texts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from . import __version__
from ._gc import paused
from .engine import LINKINGS, USES, CompatResult, check_compat, iea_open_source, licence_atom_truth
from .errors import InputError, Location, did_you_mean
from .expressions import And as ExprAnd
from .expressions import Expression, Leaf, ParsedExpression, parse_expression
from .knowledge import KnowledgeBase, load_knowledge
from .knowledge.model import LicenceFacts, Src
from .sbom import Component, LicenceRef, Sbom
from .words import COMPONENT_SCOPES, DEFAULT_SCOPES, NOT_SOFTWARE

if TYPE_CHECKING:
    # The agreement language (its package loads the parser and lark) is needed by tenders only;
    # the tender functions import what they use, so `coop sbom` starts without it (60 ms).
    from .language.logic import Truth
    from .language.model import Condition, OfferedSatisfies, Program, Requirement, RequirementRule, Tender

__all__ = [
    "SBOM_SCHEMA",
    "TENDER_SCHEMA",
    "VERDICT_ORDER",
    "LicenceFinding",
    "ComponentVerdict",
    "SbomCheck",
    "Evidence",
    "RequirementResult",
    "InputFile",
    "Offered",
    "TenderCheck",
    "check_sbom",
    "check_tender",
    "select_tender",
]

SBOM_SCHEMA = "coopengine/sbom/v1"
TENDER_SCHEMA = "coopengine/tender/v1"

VERDICT_ORDER = ("incompatible", "unknown", "conditional", "compatible")
"""Worst first: the SBOM's verdict is the first of these that any component has."""

_SPECIAL = ("NONE", "NOASSERTION")
_ABSENT = {"", "NOASSERTION", "NONE"}
PROGRESS_EVERY = 5_000

Progress = Callable[[int, int], None]


# ---- reading one licence text ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Reading:
    """One distinct licence text as the engine can use it: parsed, or why it cannot be."""

    text: str | None
    parsed: ParsedExpression | None
    problem: str | None
    read_as: tuple[str, ...] = ()
    """How a text that is not an SPDX expression was read (name table, list of licences)."""
    mapped: bool = False
    """Some part was read through the name table rather than as SPDX."""


LIST_AS = ("or", "and")
LIST_NOTE = {
    "or": ("several licences listed; read as a choice, as is usual for Maven and Black Duck "
           "output; `--licence-list-as and` for the cautious reading"),
    "and": "several licences listed; read as all applying (--licence-list-as and)",
}


class _Refs:
    """The ``LicenseRef-``s the SBOM describes, each read once through the name table.

    tern writes RPM names there (``LicenseRef-d953b10`` named ``GPLv3+``): a described ref whose
    name, URL or short text the table knows is read as that expression, and the reading says so;
    one it does not know keeps its id and its description is shown, never "not described".
    """

    _REF_RE = re.compile(r"LicenseRef-[A-Za-z0-9.\-]+")

    def __init__(self, refs: Iterable[LicenceRef], kb: KnowledgeBase) -> None:
        from .knowledge.names import read_licence_name

        self.read: dict[str, tuple[str | None, str]] = {}
        for ref in refs:
            if ref.id in self.read:
                continue
            said = [x for x in (ref.name, ref.url, ref.text) if x and len(x) <= 200]
            found = next((r for r in (read_licence_name(x, kb) for x in said) if r.expression), None)
            shown = _excerpt(ref.name or ref.url or ref.text or "")
            if found is not None:
                self.read[ref.id] = (found.expression,
                                     f"read {ref.id} (described in the SBOM as {shown!r}) as {found.expression}"
                                     f" ({'; '.join(n.split(' (', 1)[1].rstrip(')') for n in found.notes)})")
            else:
                self.read[ref.id] = (None, f"{ref.id} is described in the SBOM as {shown!r}")

    def apply(self, text: str) -> tuple[str, tuple[str, ...]]:
        """``text`` with described refs the table reads replaced by their expressions, and the notes."""
        if not self.read or "LicenseRef-" not in text:
            return text, ()
        notes: list[str] = []

        def swap(match: re.Match[str]) -> str:
            expression, note = self.read.get(match.group(0), (None, ""))
            if note and note not in notes:
                notes.append(note)
            return f"({expression})" if expression else match.group(0)

        return self._REF_RE.sub(swap, text), tuple(notes)


def _excerpt(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _read_licence(text: str | None, source: str, kb: KnowledgeBase, refs: _Refs | None = None) -> _Reading:
    if text is None or not text.strip():
        return _Reading(text, None, "no licence stated")
    described: tuple[str, ...] = ()
    written = text
    if refs is not None:
        written, described = refs.apply(text)
    try:
        parsed = parse_expression(written, source=source)
        return _Reading(text, parsed, None, described, written != text)
    except InputError as exc:
        complaint = exc.message
    from .knowledge.names import read_licence_name

    name = read_licence_name(text, kb)
    if name.expression is None:
        why = name.problem or complaint
        return _Reading(text, None, f"{text!r} is not an SPDX expression ({why})", described)
    return _Reading(text, parse_expression(name.expression, source=source), None, name.notes, True)


def _read_component(comp: Component, source: str, kb: KnowledgeBase, list_as: str,
                    refs: _Refs | None = None) -> _Reading:
    """The licence of one component; several listed licences are read one by one, then joined."""
    if not comp.licence_list:
        return _read_licence(comp.licence, source, kb, refs)
    parts = [_read_licence(t, source, kb, refs) for t in comp.licence_list]
    bad = [p for p in parts if p.parsed is None]
    note = LIST_NOTE[list_as]
    if bad:
        return _Reading(comp.licence, None, f"{note}; " + "; ".join(p.problem or "" for p in bad),
                        tuple(n for p in parts for n in p.read_as), any(p.mapped for p in parts))
    joined = f" {list_as.upper()} ".join(f"({p.parsed.normalised})" for p in parts if p.parsed)
    return _Reading(comp.licence, parse_expression(joined, source=source), None,
                    (note, *(n for p in parts for n in p.read_as)), any(p.mapped for p in parts))


# ---- which components count ----------------------------------------------------------------



@dataclass(frozen=True, slots=True)
class SetApart:
    """A component listed but not evaluated: outside the scopes that count, or not software."""

    component: Component
    why: str

    def to_dict(self) -> dict[str, Any]:
        c = self.component
        return {"id": c.id, "name": c.name, "version": c.version, "licence": c.licence,
                "scope": c.scope, "kind": c.kind, "why": self.why}


def check_scopes(scopes: Sequence[str], where: str) -> tuple[str, ...]:
    for scope in scopes:
        _check_choice(scope, COMPONENT_SCOPES, f"scope in {where}")
    return tuple(dict.fromkeys(scopes)) or DEFAULT_SCOPES


def split_components(components: Sequence[Component], scopes: Sequence[str]
                     ) -> tuple[tuple[Component, ...], tuple[SetApart, ...]]:
    """The components that count, and the rest with why: never dropped, never passing."""
    counted: list[Component] = []
    apart: list[SetApart] = []
    wanted = ", ".join(scopes)
    for c in components:
        if c.kind in NOT_SOFTWARE:
            apart.append(SetApart(c, f"a {c.kind}, not software in the work: listed apart from the licence verdict"))
        elif c.scope not in scopes:
            apart.append(SetApart(c, f"{c.scope} scope, not counted (counting scopes: {wanted})"))
        else:
            counted.append(c)
    return tuple(counted), tuple(apart)


def _apart_summary(apart: Sequence[SetApart]) -> dict[str, int]:
    tally: dict[str, int] = {}
    for a in apart:
        key = a.component.kind if a.component.kind in NOT_SOFTWARE else a.component.scope
        tally[str(key)] = tally.get(str(key), 0) + 1
    return dict(sorted(tally.items()))


# ---- coop sbom ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LicenceFinding:
    """The engine's answer for one distinct licence text; every component stating it shares it."""

    text: str | None
    expression: str | None
    """The normalised expression, or None when the text is missing or not SPDX."""
    verdict: str
    problem: str | None
    result: CompatResult | None
    read_as: tuple[str, ...] = ()
    """How a text that is not an SPDX expression was read: the name-table entries used and
    how a list of several licences was joined. Empty for an SPDX expression."""
    _dict: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def reasons(self) -> tuple[Any, ...]:
        return self.result.reasons if self.result else ()

    @property
    def obligations(self) -> tuple[Any, ...]:
        return self.result.obligations if self.result else ()

    @property
    def conditions(self) -> tuple[str, ...]:
        return self.result.conditions if self.result else ()

    @property
    def blocking(self) -> tuple[str, ...]:
        return self.result.blocking if self.result else ()

    @property
    def why(self) -> str:
        """One line on why: the problem, or the reason that decided (with what the SBOM says
        about a LicenseRef it describes, when that is what left the licence unknown)."""
        if self.problem:
            return self.problem
        why = _deciding_reason(self.result) if self.result else ""
        described = [n for n in self.read_as if " is described in the SBOM as " in n]
        if self.verdict == "unknown" and described:
            why = "; ".join([why, *described]) if why else "; ".join(described)
        return why

    def payload(self) -> dict[str, Any]:
        """The JSON keys every component with this text shares; built once, shared read-only."""
        if not self._dict:
            self._dict.update(
                {
                    "expression": self.expression,
                    **({"read_as": list(self.read_as)} if self.read_as else {}),
                    "verdict": self.verdict,
                    "problem": self.problem,
                    "choice": self.result.choice if self.result else None,
                    "blocking": list(self.blocking),
                    "conditions": list(self.conditions),
                    "reasons": [r.to_dict() for r in self.reasons]
                    or ([{"text": self.problem, "rule": "unreadable-licence", "source": None}]
                        if self.problem else []),
                    "obligations": [o.to_dict() for o in self.obligations],
                }
            )
        return self._dict


def _deciding_reason(result: CompatResult) -> str:
    reasons = result.reasons
    if not reasons:
        return ""
    chosen = next((r for r in reasons if r.licence in result.blocking), reasons[0])
    cite = f" ({_short(chosen.source)})" if chosen.source else ""
    return chosen.text + cite


def _short(src: Src) -> str:
    """A source's title without its parenthesised gloss, plus the section, or its address when
    it has no section (a reader must be able to find what is cited)."""
    title = src.title.split(" (", 1)[0]
    return title + (f", {src.section}" if src.section else f" <{src.url}>")


OWN_KEYS = ("id", "name", "version", "licence", "licence_field", "supplier", "purl")
"""The keys of a component's JSON entry that are its own, not its licence text's: each names the
:class:`Component` attribute it shows (a string or None)."""
own_values = attrgetter(*OWN_KEYS)
"""The values of :data:`OWN_KEYS` for a component, as a tuple (the report writer encodes them)."""


@dataclass(frozen=True, slots=True)
class ComponentVerdict:
    """One component with the finding for its licence text."""

    component: Component
    finding: LicenceFinding

    @property
    def verdict(self) -> str:
        return self.finding.verdict

    def own_dict(self) -> dict[str, Any]:
        """The keys that belong to this component, not to its licence text."""
        return dict(zip(OWN_KEYS, own_values(self.component), strict=True))

    def to_dict(self) -> dict[str, Any]:
        return {**self.own_dict(), **self.finding.payload()}


@dataclass(frozen=True)
class ObligationGroup:
    """The obligations one licence brings, and how many components bring it."""

    licence: str
    components: int
    obligations: tuple[tuple[str, str], ...]  # (id, text)

    def to_dict(self) -> dict[str, Any]:
        return {
            "licence": self.licence,
            "components": self.components,
            "obligations": [{"id": i, "text": t} for i, t in self.obligations],
        }


@dataclass(frozen=True)
class SbomCheck:
    """Every component of an SBOM checked against one outbound licence, in the SBOM's order."""

    sbom: Sbom
    outbound: str
    use: str
    linking: str
    verdict: str
    components: tuple[ComponentVerdict, ...]
    findings: tuple[LicenceFinding, ...]
    """One per distinct licence text, in order of first appearance."""
    knowledge_base: str
    notes: tuple[str, ...] = ()
    not_evaluated: tuple[SetApart, ...] = ()
    """Components outside the scopes that count, or not software: listed, not decided."""
    scopes: tuple[str, ...] = DEFAULT_SCOPES

    @property
    def counts(self) -> dict[str, int]:
        tally = {v: 0 for v in reversed(VERDICT_ORDER)}
        for cv in self.components:
            tally[cv.finding.verdict] += 1
        return tally

    def by_finding(self) -> list[tuple[LicenceFinding, list[ComponentVerdict]]]:
        """Components grouped by licence text, texts in order of first appearance."""
        groups: dict[int, list[ComponentVerdict]] = {id(f): [] for f in self.findings}
        for cv in self.components:
            groups[id(cv.finding)].append(cv)
        return [(f, groups[id(f)]) for f in self.findings]

    @property
    def blocking(self) -> tuple[ComponentVerdict, ...]:
        """The components that make the SBOM incompatible."""
        return tuple(cv for cv in self.components if cv.verdict == "incompatible")

    def obligation_groups(self) -> tuple[ObligationGroup, ...]:
        """Obligations grouped by the licence that brings them, sorted by licence id.

        Only components that can be used (compatible or conditional) count: the obligations of a
        component that must be removed are not the bidder's to meet.
        """
        per_licence: dict[str, dict[str, str]] = {}
        users: dict[str, int] = {}
        for finding, members in self.by_finding():
            if finding.verdict not in ("compatible", "conditional"):
                continue
            seen: set[str] = set()
            for o in finding.obligations:
                per_licence.setdefault(o.licence, {})[o.id] = o.text
                if o.licence not in seen:
                    users[o.licence] = users.get(o.licence, 0) + len(members)
                    seen.add(o.licence)
        return tuple(
            ObligationGroup(lic, users[lic], tuple(sorted(per_licence[lic].items())))
            for lic in sorted(per_licence)
        )

    def to_dict(self, *, components: bool = True, full: bool = False) -> dict[str, Any]:
        """The ``coopengine/sbom/v1`` document; ``components=False`` leaves the (long) list out.

        By default each component refers to what it shares with others by id: ``finding``
        (its licence text's entry in ``findings``) and its ``reasons`` and ``obligations``
        (ids into the document's ``reasons`` and ``obligations`` tables). ``full=True`` writes
        every component out in full instead, with no tables.
        """
        out = self._head()
        if not full:
            out.update(self.tables.to_dict())
        if components:
            if full:
                out["components"] = [cv.to_dict() for cv in self.components]
            else:
                refs = self.tables.by_finding
                out["components"] = [{**cv.own_dict(), **refs[id(cv.finding)]} for cv in self.components]
        return out

    @cached_property
    def tables(self) -> Tables:
        """The findings, reasons and obligations the components refer to by id."""
        return Tables.of(self.findings)

    def _head(self) -> dict[str, Any]:
        counts = self.counts
        groups = self.by_finding()
        return {
            "schema": SBOM_SCHEMA,
            "outbound": self.outbound,
            "use": self.use,
            "linking": self.linking,
            "verdict": self.verdict,
            "counts": counts,
            "summary": {
                "components": len(self.components),
                "distinct_licences": len(self.findings),
                "not_evaluated": _apart_summary(self.not_evaluated),
                "components_read_as": sum(len(m) for f, m in groups if f.read_as),
                "blocking": [
                    {"id": cv.component.id, "name": cv.component.name, "version": cv.component.version,
                     "licence": cv.component.licence}
                    for cv in self.blocking
                ],
                "by_licence": [
                    {"licence": f.text, "expression": f.expression,
                     **({"read_as": list(f.read_as)} if f.read_as else {}),
                     "verdict": f.verdict, "components": len(members), "why": f.why}
                    for f, members in sorted(groups, key=lambda g: (_rank(g[0].verdict), -len(g[1])))
                ],
                "obligations": [g.to_dict() for g in self.obligation_groups()],
            },
            "notes": list(self.notes),
            "warnings": [{"file": self.sbom.path, "line": w.line, "message": w.message}
                         for w in self.sbom.warnings],
            "scopes": list(self.scopes),
            "not_evaluated": [a.to_dict() for a in self.not_evaluated],
            "inputs": [{"role": "sbom", "path": self.sbom.path, "format": self.sbom.format,
                        "spec_version": self.sbom.spec_version, "sha256": "sha256:" + self.sbom.sha256,
                        **({"licence_list_version": self.sbom.licence_list_version}
                           if self.sbom.licence_list_version else {})}],
            "provenance": {"coopengine": __version__, "knowledge_base": self.knowledge_base},
        }


@dataclass(frozen=True)
class Tables:
    """What components share, each written once: the findings (one per licence text, ``F1``...),
    and the distinct reasons (``R1``...) and obligations (``O1``...) they give, numbered in order
    of first appearance; ``by_finding`` is what each component says in place of its finding's
    payload (keyed by the finding's identity)."""

    findings: dict[str, dict[str, Any]]
    reasons: dict[str, dict[str, Any]]
    obligations: dict[str, dict[str, Any]]
    by_finding: dict[int, dict[str, Any]]

    @classmethod
    def of(cls, findings: Sequence[LicenceFinding]) -> Tables:
        tables = cls({}, {}, {}, {})
        seen: dict[str, str] = {}  # an item's JSON -> its id

        def ref(table: dict[str, dict[str, Any]], prefix: str, item: dict[str, Any]) -> str:
            key = prefix + json.dumps(item, sort_keys=True)
            found = seen.get(key)
            if found is None:
                found = seen[key] = f"{prefix}{len(table) + 1}"
                table[found] = item
            return found

        for n, finding in enumerate(findings, start=1):
            payload = finding.payload()
            reasons = [ref(tables.reasons, "R", r) for r in payload["reasons"]]
            obligations = [ref(tables.obligations, "O", o) for o in payload["obligations"]]
            fid = f"F{n}"
            tables.findings[fid] = {"licence": finding.text,
                                    **{k: v for k, v in payload.items() if k not in ("reasons", "obligations")},
                                    "reasons": reasons, "obligations": obligations}
            tables.by_finding[id(finding)] = {"finding": fid, "verdict": finding.verdict,
                                              "reasons": reasons, "obligations": obligations}
        return tables

    def to_dict(self) -> dict[str, Any]:
        return {"findings": self.findings, "reasons": self.reasons, "obligations": self.obligations}


def _rank(verdict: str) -> int:
    return VERDICT_ORDER.index(verdict)


def _check_choice(value: str, choices: Sequence[str], what: str) -> None:
    if value not in choices:
        hits = did_you_mean(value, choices)
        raise InputError(f"unknown {what} {value!r}", expected=" | ".join(choices),
                         hint=f"did you mean {hits[0]}?" if hits else None)


def check_sbom(
    sbom: Sbom,
    outbound: str,
    *,
    use: str = "distribution",
    linking: str = "static",
    strict: bool = False,
    kb: Sequence[str] = (),
    progress: Progress | None = None,
    licence_list_as: str = "or",
    scopes: Sequence[str] = DEFAULT_SCOPES,
) -> SbomCheck:
    """Check every component's licence against ``outbound`` for this use and linking.

    Args:
        sbom: the SBOM read by :func:`coopengine.sbom.read_sbom`.
        outbound: SPDX expression of the work the components go into.
        use, linking: as for :func:`coopengine.engine.check_compat`.
        strict: refuse a licence text that is not an SPDX expression instead of calling it unknown
            or reading it through the name table.
        licence_list_as: how several licences listed for one component are read: ``or`` (a
            choice, the usual meaning in Maven and Black Duck output) or ``and`` (all apply).
        scopes: the dependency scopes that count (default runtime). Components outside them,
            and components that are not software (operating systems, devices...), are listed in
            ``not_evaluated`` and do not take part in the verdict.
        kb: extra knowledge-base folders.
        progress: called with (done, total) every few thousand components.

    Returns:
        The verdict per component (SBOM order) and overall: the worst of incompatible, unknown,
        conditional, compatible; ``unknown`` for an SBOM without components.

    Raises:
        InputError: a bad outbound expression, use or linking; with ``strict``, a component whose
            licence is not an SPDX expression (naming the component and the text).
    """
    _check_choice(use, USES, "use")
    _check_choice(linking, LINKINGS, "linking")
    out = parse_expression(outbound, source="--outbound")
    knowledge = load_knowledge(kb)
    _check_choice(licence_list_as, LIST_AS, "--licence-list-as")
    findings: dict[object, LicenceFinding] = {}
    refs = _Refs(sbom.licence_refs, knowledge)
    counting = check_scopes(scopes, "--scope")
    counted, apart = split_components(sbom.components, counting)
    results: list[ComponentVerdict] = []
    total = len(counted)
    with paused():  # 100,000 verdicts, none of them cyclic (see coopengine._gc)
        for n, comp in enumerate(counted, 1):
            key = comp.licence_list or comp.licence
            finding = findings.get(key)
            if finding is None:
                finding = _decide(comp, out, use, linking, (kb, knowledge, refs), strict, sbom.path, licence_list_as)
                findings[key] = finding
            results.append(ComponentVerdict(comp, finding))
            if progress is not None and n % PROGRESS_EVERY == 0:
                progress(n, total)
    verdict, notes = _verdict_and_notes(bool(results), list(findings.values()), bool(apart))
    return SbomCheck(sbom, out.normalised, use, linking, verdict, tuple(results), tuple(findings.values()),
                     knowledge.version, notes, apart, counting)


def _verdict_and_notes(any_checked: bool, findings: Sequence[LicenceFinding], apart: bool
                       ) -> tuple[str, tuple[str, ...]]:
    """The SBOM's verdict (the worst finding's; unknown when nothing was checked) and its notes."""
    notes: list[str] = []
    if not any_checked:
        verdict = "unknown"
        notes.append("the SBOM lists no components: nothing was checked, so nothing can be said "
                     "(an empty SBOM usually means an incomplete one)" if not apart else
                     "no component is in the scopes that count: nothing was checked, so nothing can be said")
    else:
        present = {f.verdict for f in findings}
        verdict = next(v for v in VERDICT_ORDER if v in present)
    notes += sorted({n for f in findings if f.result for n in f.result.notes
                     if not n.startswith("every licence of the outbound")})
    if any_checked and all(f.text == "NONE" for f in findings):
        notes.append("every licence in the SBOM is NONE: it looks unscanned (syft up to 0.64 writes NONE "
                     "where it found no licence), not like software without licences; rescan it")
    return verdict, tuple(notes)


def _decide(comp: Component, out: ParsedExpression, use: str, linking: str,
            kbs: tuple[Sequence[str], KnowledgeBase, _Refs], strict: bool, path: str, list_as: str) -> LicenceFinding:
    kb, knowledge, refs = kbs
    reading = _read_component(comp, f"{path}: {comp.id}", knowledge, list_as, refs)
    if strict and comp.licence is not None and comp.licence.strip() and (reading.parsed is None or reading.mapped):
        why = "is not an SPDX expression" + (" (it was read through the name table)" if reading.mapped else "")
        raise InputError(
            f"component {comp.id} ({comp.name}): licence {comp.licence!r} {why}",
            location=Location(path),
            text=comp.licence,
            expected="an SPDX licence expression (e.g. GPL-2.0-only)",
            hint="fix the SBOM, or drop --strict to report such components as unknown "
                 "and read known licence names as SPDX",
        )
    if reading.parsed is None:
        return LicenceFinding(comp.licence, None, "unknown", reading.problem, None, reading.read_as)
    result = check_compat(reading.parsed, out, use=use, linking=linking, kb=kb)
    return LicenceFinding(comp.licence, reading.parsed.normalised, result.verdict, None, result, reading.read_as)


# ---- coop tender: licence facts per atom --------------------------------------------------

if TYPE_CHECKING:
    Answer = tuple[Truth, str]


def _cite(facts: LicenceFacts, prefer_spdx: bool) -> str:
    """The source a fact comes from: the SPDX list for its flags, the curation for the rest."""
    if prefer_spdx:
        for s in facts.sources:
            if s.id == "spdx-license-list":
                return _short(s)
    if facts.curated:
        for s in facts.sources:
            if s.id != "spdx-license-list":
                return _short(s)
    return _short(facts.category_source)


class _Facts:
    """Answers licence atoms over licence expressions, explaining each answer with its source."""

    def __init__(self, kb: KnowledgeBase, kb_extra: Sequence[str], deliverable: str | None,
                 refs: _Refs | None = None) -> None:
        self.kb = kb
        self.refs = refs
        self.kb_extra = tuple(kb_extra)
        self.deliverable = deliverable
        self.readings: dict[object, _Reading] = {}
        self.compat: dict[tuple[str, str], Answer] = {}

    def reading(self, text: str | None, source: str, comp: Component | None = None) -> _Reading:
        key = (comp.licence_list or text) if comp is not None else text
        hit = self.readings.get(key)
        if hit is None:
            hit = self.readings[key] = (_read_component(comp, source, self.kb, "or", self.refs) if comp is not None
                                        else _read_licence(text, source, self.kb))
        return hit

    def answer(self, reading: _Reading, atom: Condition) -> Answer:
        from .language.model import CompatibleWith

        if reading.parsed is None:
            return None, f"{reading.problem}, so its {_atom_name(atom)} is not known"
        if isinstance(atom, CompatibleWith):
            return self._compatible(reading.parsed, atom.target)
        return self._over(reading.parsed.expression, atom)

    def _over(self, expr: Expression, atom: Condition) -> Answer:
        if isinstance(expr, Leaf):
            return self._leaf(expr, atom)
        parts = [self._over(p, atom) for p in expr.parts]
        if isinstance(expr, ExprAnd):
            for wanted in (False, None):
                hits = [w for v, w in parts if v is wanted]
                if hits:
                    return wanted, _join(hits)
            return True, _join(w for _, w in parts)
        for wanted in (True, None):
            hits = [w for v, w in parts if v is wanted]
            if hits:
                return wanted, hits[0] if wanted else _join(hits)
        return False, _join(w for _, w in parts)

    def _leaf(self, leaf: Leaf, atom: Condition) -> Answer:
        from .language.logic import evaluate

        path = getattr(atom, "path", "")
        name = str(leaf)
        facts = self.kb.licence(leaf.id)
        if path == "licence.id":
            return evaluate(atom, {"licence.id": leaf.key}), f"the licence is {name}"
        special = _special_why(leaf, facts)
        if special is not None:
            # The values come from the engine's one policy for licence facts (shared with reuse).
            value = licence_atom_truth(self.kb, leaf, atom)
            if value is None:
                return None, f"{special}, so its {_atom_name(atom)} is not known"
            if path == "licence.category":
                return value, f"{special}: its category is unknown"
            return value, f"{special}, so it is not {_flag_word(path)}"
        assert facts is not None
        if path == "licence.osi-approved":
            return self._flag(atom, path, facts.osi_approved, facts, "OSI-approved")
        if path == "licence.fsf-libre":
            return self._flag(atom, path, facts.fsf_libre, facts, "FSF free/libre")
        if path == "licence.iea-open-source":
            iea = iea_open_source(facts)
            if iea is None:
                return None, (f"{facts.id}: whether it is an open-source licence in the sense of the "
                              "Interoperable Europe Act is not recorded")
            word = "" if iea.granted else "not "
            return evaluate(atom, {path: iea.granted}), (
                f"{facts.id} is {word}an open-source licence in the sense of the Interoperable Europe Act: "
                f"{iea.reason} ({_short(iea.source)})")
        if path == "licence.category":
            value = evaluate(atom, {path: facts.category})
            return value, f"{name} is {facts.category} ({_cite(facts, False)})"
        if path == "licence.copyleft":
            if not facts.curated or facts.copyleft is None:
                return None, (f"{name} (category {facts.category}, {_cite(facts, False)}) has not been curated, "
                              "so its copyleft scope is not known")
            scope = "no copyleft" if facts.copyleft == "none" else f"{facts.copyleft} copyleft"
            return evaluate(atom, {path: facts.copyleft}), f"{name} has {scope} ({_cite(facts, False)})"
        return None, f"{_atom_name(atom)} is not a licence fact"  # pragma: no cover - the checker rejects it

    def _flag(self, atom: Condition, path: str, flag: bool | None, facts: LicenceFacts, word: str) -> Answer:
        from .language.logic import evaluate

        if flag is None:
            return None, f"{facts.id}: whether it is {word} is not recorded ({_cite(facts, True)})"
        text = f"{facts.id} is {'' if flag else 'not '}{word} ({_cite(facts, True)})"
        return evaluate(atom, {path: flag}), text

    def _compatible(self, parsed: ParsedExpression, target: str | None) -> Answer:
        goal = target if target is not None else self.deliverable
        if goal is None:
            return None, "the tender names no deliverable licence to be compatible with"
        key = (parsed.normalised, goal)
        hit = self.compat.get(key)
        if hit is not None:
            return hit
        r = check_compat(parsed, goal, use="distribution", linking="static", kb=self.kb_extra)
        why = _deciding_reason(r)
        cite = next((f" ({_short(x.source)})" for x in r.reasons if x.source), "")
        if r.verdict == "compatible":
            answer: Answer = True, f"{r.inbound} can go into a work under {r.outbound}: {why}"
        elif r.verdict == "incompatible":
            answer = False, f"{r.inbound} cannot go into a work under {r.outbound}: {why}"
        elif r.verdict == "conditional":
            answer = None, (f"{r.inbound} goes into a work under {r.outbound} only if "
                            + "; ".join(r.conditions) + cite)
        else:
            answer = None, f"whether {r.inbound} can go into a work under {r.outbound} is unknown: {why}"
        self.compat[key] = answer
        return answer


def _special_why(leaf: Leaf, facts: LicenceFacts | None) -> str | None:
    if leaf.id == "NOASSERTION":
        return "NOASSERTION: nobody has said which licence applies"
    if leaf.id == "NONE":
        return "NONE: no licence is granted"
    if facts is None:
        return f"{leaf.id} is not described in the knowledge base"
    return None


def _values(atom: Condition) -> tuple[Any, ...]:
    from .language.model import Compare, In

    if isinstance(atom, Compare):
        return (atom.value,)
    if isinstance(atom, In):
        return atom.values
    return ()


def _flag_word(path: str) -> str:
    return {"licence.osi-approved": "OSI-approved", "licence.fsf-libre": "FSF free/libre",
            "licence.iea-open-source": "an open-source licence in the sense of the Interoperable Europe Act"}[path]


def _atom_name(atom: Condition) -> str:
    from .language.model import CompatibleWith

    if isinstance(atom, CompatibleWith):
        return "compatibility"
    path = getattr(atom, "path", "licence")
    return {"licence.osi-approved": "OSI approval", "licence.fsf-libre": "FSF free/libre status",
            "licence.iea-open-source": "status under the Interoperable Europe Act",
            "licence.category": "category", "licence.copyleft": "copyleft scope",
            "licence.id": "licence id"}.get(path, path)


def _join(whys: Iterable[str]) -> str:
    return "; ".join(dict.fromkeys(w for w in whys if w))


# ---- coop tender: requirements ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why one component (or the offered licence, ``component`` None) passes, fails or is unknown."""

    component: str | None
    name: str | None
    version: str | None
    licence: str | None
    result: str
    why: str

    def to_dict(self) -> dict[str, Any]:
        return {"component": self.component, "name": self.name, "version": self.version,
                "licence": self.licence, "result": self.result, "why": self.why}


@dataclass(frozen=True)
class RequirementResult:
    id: str
    title: str
    ref: str | None
    rules: tuple[str, ...]
    """The requirement's rules as written in the tender."""
    result: str
    summary: str
    counts: Mapping[str, int] | None
    """Components that pass, fail, are unknown (component rules only)."""
    evidence: tuple[Evidence, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "ref": self.ref,
            "rules": list(self.rules),
            "result": self.result,
            "summary": self.summary,
            "counts": dict(self.counts) if self.counts is not None else None,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True)
class InputFile:
    role: str
    path: str
    sha256: str

    def to_dict(self) -> dict[str, str]:
        return {"role": self.role, "path": self.path, "sha256": "sha256:" + self.sha256}


@dataclass(frozen=True)
class Offered:
    """The licence offered for the deliverable and where it was read."""

    text: str
    source: str
    """``--offered`` or ``publiccode.yml legal.license``."""
    facts: Mapping[str, object] = dataclasses.field(default_factory=dict)
    """The bid's solution as its publiccode.yml describes it (``solution.*``), for `offered satisfies`."""


@dataclass(frozen=True)
class TenderCheck:
    tender: str
    title: str
    buyer: str | None
    buyer_name: str | None
    deliverable: str | None
    date: dt.date
    offered: Offered | None
    verdict: str
    requirements: tuple[RequirementResult, ...]
    components: int
    inputs: tuple[InputFile, ...]
    knowledge_base: str
    notes: tuple[str, ...] = ()
    date_given: bool = True  # False: the date is today's, no date was given
    not_evaluated: tuple[SetApart, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": TENDER_SCHEMA,
            "tender": self.tender,
            "title": self.title,
            "buyer": self.buyer,
            "buyer_name": self.buyer_name,
            "deliverable": self.deliverable,
            "date": self.date.isoformat(),
            "verdict": self.verdict,
            "offered": self.offered.text if self.offered else None,
            "offered_from": self.offered.source if self.offered else None,
            "components": self.components,
            "requirements": [r.to_dict() for r in self.requirements],
            "notes": list(self.notes),
            "not_evaluated": [a.to_dict() for a in self.not_evaluated],
            "inputs": [i.to_dict() for i in self.inputs],
            "provenance": {"coopengine": __version__, "knowledge_base": self.knowledge_base},
        }


_RESULT_ORDER = ("fail", "unknown", "pass")


def _combine(results: Iterable[str]) -> str:
    seen = set(results)
    return next((r for r in _RESULT_ORDER if r in seen), "pass")


def _truth_result(value: Truth, wanted: bool) -> str:
    if value is None:
        return "unknown"
    return "pass" if value is wanted else "fail"


def _component_facts(c: Component) -> dict[str, object]:
    return {"component.name": c.name or None, "component.supplier": c.supplier or None,
            "component.version": c.version or None}


class _Judge:
    """Evaluates one tender's rules over a bid, caching by licence text where the facts allow."""

    def __init__(self, facts: _Facts, sbom: Sbom) -> None:
        self.facts = facts
        self.sbom = sbom
        self.cache: dict[tuple[int, str | None, tuple[object, ...]], Answer] = {}

    def judge(self, cond: Condition, reading: _Reading, facts: Mapping[str, object]) -> Answer:
        from .language.logic import atoms, evaluate, is_licence_atom

        plain = [a for a in atoms(cond) if not is_licence_atom(a)]
        used = tuple(facts.get(getattr(a, "path", "")) for a in plain)
        key = (id(cond), reading.text, used)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        whys: list[str] = []

        def oracle(atom: Condition) -> Truth:
            value, why = self.facts.answer(reading, atom)
            whys.append(why)
            return value

        value = evaluate(cond, facts, oracle)
        for a in plain:
            p = getattr(a, "path", "")
            if p:
                shown = facts.get(p)
                whys.append(f"{p} is {shown!r}" if shown is not None else f"{p} is not stated")
        answer = value, _join(whys)
        self.cache[key] = answer
        return answer

    def component(self, rule: RequirementRule, c: Component) -> tuple[str, str]:
        """One component under one component rule: its result and why."""
        from .language.model import EveryHas, EverySatisfies, NoneSatisfies

        if isinstance(rule, EveryHas):
            gaps = [g for g in (_missing(c, f.name) for f in rule.fields) if g]
            return ("fail", "; ".join(gaps)) if gaps else ("pass", "")
        assert isinstance(rule, EverySatisfies | NoneSatisfies)
        reading = self.facts.reading(c.licence, f"{self.sbom.path}: {c.id}", c)
        value, why = self.judge(rule.condition, reading, _component_facts(c))
        return _truth_result(value, isinstance(rule, EverySatisfies)), why


def _missing(c: Component, field_name: str) -> str | None:
    """Why the component does not declare ``field_name``, or None when it does."""
    if field_name == "licence":
        if c.licence is None or not c.licence.strip():
            return "no licence stated"
        if c.licence.strip().upper() in _ABSENT:
            return f"the licence is {c.licence.strip()}, which declares none"
        return None
    value = {"supplier": c.supplier, "version": c.version, "name": c.name}.get(field_name)
    if value is None or value.strip().upper() in _ABSENT:
        return f"no {field_name} stated"
    return None


def _rule_text(rule: RequirementRule) -> str:
    from .language.fmt import condition
    from .language.model import EveryHas, EverySatisfies, NoneSatisfies

    if isinstance(rule, EverySatisfies):
        return f"every component satisfies {condition(rule.condition)}"
    if isinstance(rule, NoneSatisfies):
        return f"no component satisfies {condition(rule.condition)}"
    if isinstance(rule, EveryHas):
        return "every component has " + ", ".join(f.name for f in rule.fields)
    return f"offered satisfies {condition(rule.condition)}"


_EMPTY_WHY = ("it lists no components: over no components this rule would hold vacuously, but an empty SBOM "
              "cannot be told apart from an incomplete one, so it is not counted as a pass")
_EMPTY_NOTE = ("the bid's SBOM lists no components, so every requirement about components is unknown "
               "rather than vacuously passed: ask the bidder for a complete SBOM")


def _requirement(req: Requirement, judge: _Judge, facts: _Facts, offered: Offered | None) -> RequirementResult:
    """Offered rules give one piece of evidence each; component rules one per component not passing.

    With several component rules, a component's result is its worst over them.
    """
    from .language.model import OfferedSatisfies

    results: list[str] = []
    evidence: list[Evidence] = []
    summaries: list[str] = []
    for rule in req.rules:
        if isinstance(rule, OfferedSatisfies):
            result, ev = _offered(rule, facts, offered)
            results.append(result)
            evidence.append(ev)
            summaries.append(f"offered licence {offered.text if offered else '(none)'}: {result}")
    rules = [r for r in req.rules if not isinstance(r, OfferedSatisfies)]
    counts: dict[str, int] | None = None
    if rules:
        counts = {"pass": 0, "fail": 0, "unknown": 0}
        comps = judge.sbom.components
        if not comps:
            results.append("unknown")
            evidence.append(Evidence(None, "the bid's SBOM", None, None, "unknown", _EMPTY_WHY))
            summaries.append("no components to check")
        for c in comps:
            outcome = [judge.component(rule, c) for rule in rules]
            worst = _combine(r for r, _ in outcome)
            counts[worst] += 1
            for r, why in outcome:
                if r != "pass":
                    evidence.append(Evidence(c.id, c.name, c.version, c.licence, r, why))
        if comps:
            results.append(_combine(k for k, n in counts.items() if n))
            summaries.append(_count_line(counts, len(comps)))
    return RequirementResult(req.id, req.title, req.ref, tuple(_rule_text(r) for r in req.rules),
                             _combine(results), "; ".join(summaries), counts, tuple(evidence))


def _count_line(counts: Mapping[str, int], n: int) -> str:
    parts = [f"{counts['pass']} of {n} components pass"]
    if counts["fail"]:
        parts.append(f"{counts['fail']} fail")
    if counts["unknown"]:
        parts.append(f"{counts['unknown']} unknown")
    return ", ".join(parts)


def _offered(rule: OfferedSatisfies, facts: _Facts, offered: Offered | None) -> tuple[str, Evidence]:
    from .language.logic import atoms, evaluate

    if offered is None:
        why = "no licence is offered for the deliverable: give --offered or the bid's publiccode.yml"
        return "unknown", Evidence(None, "offered licence", None, None, "unknown", why)
    reading = facts.reading(offered.text, offered.source)
    whys: list[str] = []

    def oracle(atom: Condition) -> Truth:
        value, why = facts.answer(reading, atom)
        whys.append(why)
        return value

    # Component paths mean nothing for the offer: they stay unknown. solution.* is the bid's
    # publiccode.yml, when the bid gave one.
    value = evaluate(rule.condition, offered.facts, oracle)
    result = _truth_result(value, True)
    for atom in atoms(rule.condition):
        path = getattr(atom, "path", "")
        if path.startswith("solution."):
            given = offered.facts.get(path)
            whys.append(f"{path} is {given} (the bid's publiccode.yml)" if given is not None
                        else f"{path} is not given by the bid")
    why = _join(whys) + f" (offered licence from {offered.source})"
    return result, Evidence(None, "offered licence", None, offered.text, result, why)


def select_tender(program: Program, tender_id: str | None, file: str) -> Tender:
    """The tender to check: the only one in the program, or the one named ``tender_id``."""
    tenders = program.tenders
    if tender_id is not None:
        found = program.tender(tender_id)
        if found is None:
            ids = [t.id for t in tenders]
            hits = did_you_mean(tender_id, ids)
            raise InputError(f"no tender {tender_id!r}", location=Location(file),
                             expected=" | ".join(ids) if ids else "a file with a tender block",
                             hint=f"did you mean {hits[0]}?" if hits else None)
        return found
    if not tenders:
        raise InputError("no tender in this file", location=Location(file),
                         expected='a `tender ID "title" { ... }` block')
    if len(tenders) > 1:
        raise InputError("the file has several tenders; say which with --tender ID",
                         location=Location(file), expected=" | ".join(t.id for t in tenders))
    return tenders[0]


def check_tender(
    tender: Tender,
    sbom: Sbom,
    *,
    offered: Offered | None = None,
    program: Program | None = None,
    date: dt.date,
    inputs: Sequence[InputFile] = (),
    kb: Sequence[str] = (),
    progress: Progress | None = None,
    date_given: bool = True,
) -> TenderCheck:
    """Evaluate every requirement of ``tender`` over the bid: its SBOM and offered licence.

    Args:
        tender: the tender from a loaded program.
        sbom: the bid's SBOM.
        offered: the licence offered for the deliverable, if the bid says.
        program: the program the tender came from (for the buyer's name).
        date: the decision date shown in the report.
        date_given: False when ``date`` is today's because none was given (shown as such).
        inputs: the files read, with their hashes, for provenance.
        kb: extra knowledge-base folders.
        progress: called with (requirements done, total) after each requirement.

    Returns:
        Per requirement pass | fail | unknown with evidence; overall fail if any requirement
        fails, else unknown if any is unknown, else pass.
    """
    knowledge = load_knowledge(kb)
    facts = _Facts(knowledge, kb, tender.deliverable, _Refs(sbom.licence_refs, knowledge))
    counted, apart = split_components(sbom.components, check_scopes(tender.scopes, "the tender's counting scopes"))
    if apart:
        sbom = dataclasses.replace(sbom, components=counted)
    results = _requirements(tender, _Judge(facts, sbom), facts, offered, progress)
    verdict = _combine(r.result for r in results)
    buyer = tender.buyer.name if tender.buyer else None
    party = program.party(buyer) if program is not None and buyer else None
    notes = ((_EMPTY_NOTE,) if not sbom.components else ()) + (
        ("the tender states no requirements",) if not tender.requirements else ())
    return TenderCheck(
        tender=tender.id,
        title=tender.title,
        buyer=buyer,
        buyer_name=party.name if party else None,
        deliverable=tender.deliverable,
        date=date,
        date_given=date_given,
        offered=offered,
        verdict=verdict,
        requirements=results,
        components=len(sbom.components),
        inputs=tuple(inputs),
        knowledge_base=knowledge.version,
        notes=notes,
        not_evaluated=apart,
    )


def _requirements(
    tender: Tender, judge: _Judge, facts: _Facts, offered: Offered | None, progress: Progress | None
) -> tuple[RequirementResult, ...]:
    done: list[RequirementResult] = []
    for req in tender.requirements:
        done.append(_requirement(req, judge, facts, offered))
        if progress is not None:
            progress(len(done), len(tender.requirements))
    return tuple(done)
