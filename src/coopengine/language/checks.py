"""Error checks on a parsed program: names (E2xx) and values (E3xx).

Each check is a small function ``(program, ctx) -> Iterator[Diagnostic]``; ``ERROR_CHECKS``
lists them in the order their findings are documented.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from coopengine.errors import did_you_mean

from . import vocab
from .diagnostics import Diagnostic, make
from .logic import atoms
from .model import (
    Agreement,
    Clause,
    ClauseKind,
    Compare,
    CompatibleWith,
    Condition,
    EveryHas,
    In,
    Party,
    PathTest,
    Program,
    Span,
    Tender,
    Value,
)


@dataclass(frozen=True)
class Context:
    lines: Mapping[str, tuple[str, ...]]

    def diag(self, code: str, message: str, span: Span, **kw: object) -> Diagnostic:
        return make(code, message, span, lines=self.lines, **kw)  # type: ignore[arg-type]


Check = Callable[[Program, Context], Iterator[Diagnostic]]


def _suggest(word: str, choices: object) -> str | None:
    close = did_you_mean(word, choices)  # type: ignore[arg-type]
    return f"did you mean `{close[0]}`?" if close else None


# ---- names -----------------------------------------------------------------------


def duplicate_ids(program: Program, ctx: Context) -> Iterator[Diagnostic]:
    """Parties, agreements, declarations and tenders share one namespace across all files."""
    seen: dict[str, tuple[str, Span]] = {}
    for module in program.modules:
        for item in module.items:
            if isinstance(item, Party | Agreement | Tender):
                what = type(item).__name__.lower()
                if isinstance(item, Agreement) and item.declaration:
                    what = "declaration"
                if item.id in seen:
                    first_what, first = seen[item.id]
                    yield ctx.diag(
                        "E201",
                        f"`{item.id}` is declared twice: this {what} and the {first_what} at "
                        f"{first.file}:{first.line}:{first.column}",
                        item.span,
                        related=(first,),
                        hint="rename one of them; ids are shared by every file checked together",
                    )
                else:
                    seen[item.id] = (what, item.span)
    for agreement in program.agreements:
        yield from _unique(((c.id, c.span) for c in agreement.clauses), ctx)
    for tender in program.tenders:
        yield from _unique(((r.id, r.span) for r in tender.requirements), ctx)


def _unique(pairs: Iterator[tuple[str, Span]], ctx: Context) -> Iterator[Diagnostic]:
    seen: dict[str, Span] = {}
    for ident, span in pairs:
        if ident in seen:
            first = seen[ident]
            yield ctx.diag(
                "E201",
                f"`{ident}` is declared twice in this block (first at line {first.line})",
                span,
                related=(first,),
            )
        else:
            seen[ident] = span


def party_refs(program: Program, ctx: Context) -> Iterator[Diagnostic]:
    parties = {p.id for p in program.parties}
    for agreement in program.agreements:
        seen: set[str] = set()
        for ref in agreement.parties:
            if ref.name not in parties:
                yield ctx.diag(
                    "E202",
                    f"undefined party `{ref.name}`",
                    ref.span,
                    hint=_suggest(ref.name, parties) or f'declare it: party {ref.name} "Name"',
                )
            if ref.name in seen:
                yield ctx.diag("E208", f"party `{ref.name}` is listed twice", ref.span)
            seen.add(ref.name)
        if agreement.parties and len(seen) < 2:
            yield ctx.diag(
                "E208",
                f"`{agreement.id}` binds fewer than two parties",
                agreement.parties[0].span,
                hint="an agreement is between two or more parties",
            )
    for tender in program.tenders:
        if tender.buyer and tender.buyer.name not in parties:
            yield ctx.diag(
                "E202",
                f"undefined party `{tender.buyer.name}`",
                tender.buyer.span,
                hint=_suggest(tender.buyer.name, parties),
            )


def agreement_refs(program: Program, ctx: Context) -> Iterator[Diagnostic]:
    ids = {a.id for a in program.agreements}
    refs = [a.refines for a in program.agreements if a.refines]
    refs += [r for p in program.precedences for r in (p.winner, p.loser)]
    for ref in refs:
        if ref.name not in ids:
            yield ctx.diag(
                "E203", f"undefined agreement `{ref.name}`", ref.span, hint=_suggest(ref.name, ids)
            )
    for agreement in program.agreements:
        if agreement.refines and agreement.refines.name == agreement.id:
            yield ctx.diag("E209", f"`{agreement.id}` refines itself", agreement.refines.span)
    yield from _refines_cycles(program, ctx)
    pairs: dict[tuple[str, str], Span] = {}
    for p in program.precedences:
        if p.winner.name == p.loser.name:
            yield ctx.diag("E209", f"`{p.winner.name}` cannot take precedence over itself", p.span)
        back = pairs.get((p.loser.name, p.winner.name))
        if back is not None:
            yield ctx.diag(
                "E209",
                f"contradicting precedence: `{p.loser.name} over {p.winner.name}` is declared "
                f"at {back.file}:{back.line}",
                p.span,
                related=(back,),
            )
        pairs[(p.winner.name, p.loser.name)] = p.span


def _refines_cycles(program: Program, ctx: Context) -> Iterator[Diagnostic]:
    for agreement in program.agreements:
        chain = refined_chain(program, agreement)
        last = program.agreement(chain[-1]) if chain else None
        if last is not None and last.refines is not None and last.refines.name == agreement.id:
            assert agreement.refines is not None
            cycle = " -> ".join([agreement.id, *chain, agreement.id])
            yield ctx.diag("E209", f"refines cycle: {cycle}", agreement.refines.span)


def refined_chain(program: Program, agreement: Agreement) -> list[str]:
    """The agreements ``agreement`` refines, directly or through others (cycle-safe)."""
    chain: list[str] = []
    current = agreement
    while current.refines and current.refines.name not in chain and current.refines.name != agreement.id:
        chain.append(current.refines.name)
        nxt = program.agreement(current.refines.name)
        if nxt is None:
            break
        current = nxt
    return chain


def resolve_target(program: Program, agreement: Agreement, clause: Clause) -> tuple[Agreement, Clause] | None:
    """The clause an ``exception to`` points at, if it exists."""
    target = clause.exception_to
    if target is None:
        return None
    owner = (
        agreement if target.agreement in (None, agreement.id) else program.agreement(target.agreement or "")
    )
    if owner is None:
        return None
    base = owner.clause(target.clause)
    return (owner, base) if base else None


def exception_refs(program: Program, ctx: Context) -> Iterator[Diagnostic]:
    for agreement in program.agreements:
        chain = refined_chain(program, agreement)
        for clause in agreement.clauses:
            target = clause.exception_to
            if target is None:
                continue
            if target.agreement not in (None, agreement.id):
                other = program.agreement(target.agreement or "")
                if other is None:
                    yield ctx.diag(
                        "E203",
                        f"undefined agreement `{target.agreement}`",
                        target.span,
                        hint=_suggest(target.agreement or "", [a.id for a in program.agreements]),
                    )
                    continue
                if other.id not in chain:
                    yield ctx.diag(
                        "E207",
                        f"`{agreement.id}` does not refine `{other.id}`, so `{clause.id}` cannot "
                        f"be an exception to its clause `{target.clause}`",
                        target.span,
                        hint=f"add `refines {other.id}` to `{agreement.id}`",
                    )
                    continue
                owner = other
            else:
                owner = agreement
            base = owner.clause(target.clause)
            if base is None:
                yield ctx.diag(
                    "E204",
                    f"undefined clause `{target}`",
                    target.span,
                    hint=_suggest(target.clause, [c.id for c in owner.clauses]),
                )
            elif base.kind is ClauseKind.GUARDRAIL:
                yield ctx.diag(
                    "E206", f"`{target}` is a guardrail; a guardrail has no exceptions", target.span
                )
            elif base is clause:
                yield ctx.diag("E205", f"`{clause.id}` is an exception to itself", target.span)
    yield from _exception_cycles(program, ctx)


def bases(program: Program, agreement: Agreement, clause: Clause) -> list[tuple[Agreement, Clause]]:
    """The clauses ``clause`` is (transitively) an exception to, nearest first, each once; in
    a cycle back to it, ``clause`` itself comes last."""
    found: list[tuple[Agreement, Clause]] = []
    step = resolve_target(program, agreement, clause)
    while step is not None and all(step[1] is not c for _, c in found):
        found.append(step)
        step = resolve_target(program, *step)
    return found


def _exception_cycles(program: Program, ctx: Context) -> Iterator[Diagnostic]:
    reported: set[int] = set()
    for agreement in program.agreements:
        for clause in agreement.clauses:
            chain = bases(program, agreement, clause)
            members = {id(c) for _, c in chain}
            # An exception to itself is E205 of its own (exception_refs).
            if len(chain) > 1 and chain[-1][1] is clause and not reported & members:
                reported |= members
                text = " -> ".join(f"{a.id}.{c.id}" for a, c in [(agreement, clause), *chain])
                assert clause.exception_to is not None
                yield ctx.diag("E205", f"`exception to` cycle: {text}", clause.exception_to.span)


def waivers(program: Program, ctx: Context) -> Iterator[Diagnostic]:
    for agreement in program.agreements:
        for clause in agreement.clauses:
            if not clause.waives:
                continue
            chain = bases(program, agreement, clause)
            base_obligations = {o.id for _, base in chain for o in base.obligations}
            for waived in clause.waives:
                if clause.exception_to is None:
                    yield ctx.diag(
                        "E210",
                        f"`waive {waived.name}` in a clause that is no exception",
                        waived.span,
                        hint="only an `exception to` a clause can waive that clause's obligations",
                    )
                elif waived.name not in base_obligations:
                    yield ctx.diag(
                        "E210",
                        f"the base clause has no obligation `{waived.name}`",
                        waived.span,
                        hint=_suggest(waived.name, base_obligations),
                    )


# ---- values ----------------------------------------------------------------------

_CODE = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")


def _conditions(program: Program) -> Iterator[tuple[Condition, bool]]:
    """Every condition with whether it sits in a tender."""
    for agreement in program.agreements:
        if agreement.scope is not None:
            yield agreement.scope, False
        for clause in agreement.clauses:
            if clause.when is not None:
                yield clause.when, False
    for tender in program.tenders:
        for req in tender.requirements:
            for rule in req.rules:
                if not isinstance(rule, EveryHas):
                    yield rule.condition, True


def path_info(path: str, in_tender: bool) -> vocab.PathInfo | None:
    table = vocab.TENDER_PATHS if in_tender else vocab.AGREEMENT_PATHS
    if path in table:
        return table[path]
    if path.startswith(vocab.FREE_PREFIX) and path.count(".") == 1 and path != "solution.owner":
        return vocab.PathInfo("any")
    return None


def paths_and_values(program: Program, ctx: Context) -> Iterator[Diagnostic]:
    parties = {p.id for p in program.parties}
    for cond, in_tender in _conditions(program):
        for atom in atoms(cond):
            yield from _atom_problems(atom, in_tender, parties, ctx)


def _atom_problems(atom: Condition, in_tender: bool, parties: set[str], ctx: Context) -> Iterator[Diagnostic]:
    if isinstance(atom, CompatibleWith):
        if atom.target is None and not in_tender:
            yield ctx.diag(
                "E108",
                "`compatible-with deliverable` is only meaningful in a tender",
                atom.span,
                hint='name the licence: licence compatible-with "EUPL-1.2"',
            )
        return
    if not isinstance(atom, Compare | In | PathTest):
        return
    info = path_info(atom.path, in_tender)
    span = atom.path_span if isinstance(atom, Compare | In) else atom.span
    if info is None:
        known = list(vocab.TENDER_PATHS if in_tender else vocab.AGREEMENT_PATHS)
        hint = _suggest(atom.path, known)
        if hint is None and not in_tender:
            hint = "free facts about the solution are read as `solution.NAME`"
        yield ctx.diag("E301", f"unknown path `{atom.path}`", span, hint=hint)
        return
    if isinstance(atom, PathTest):
        if info.type not in ("bool", "any"):
            example = f"{atom.path} == {info.values[0]}" if info.values else f"{atom.path} == ..."
            yield ctx.diag(
                "E303",
                f"`{atom.path}` is not a yes/no fact",
                span,
                hint=f"compare it, e.g. `{example}`",
            )
        return
    op = atom.op if isinstance(atom, Compare) else "=="
    values = (atom.value,) if isinstance(atom, Compare) else atom.values
    for value in values:
        yield from _value(atom.path, info, op, value, parties, ctx)


def _value(
    path: str, info: vocab.PathInfo, op: str, value: Value, parties: set[str], ctx: Context
) -> Iterator[Diagnostic]:
    v = value.value
    ordering = op not in ("==", "!=")
    if info.type == "date":
        if not hasattr(v, "isoformat") or isinstance(v, str):
            yield ctx.diag("E303", f"`{path}` is a date: compare it with a date (YYYY-MM-DD)", value.span)
        return
    if ordering and info.type != "any":
        yield ctx.diag(
            "E303",
            f"`{op}` compares dates and numbers; `{path}` is neither",
            value.span,
            hint="use `==`, `!=` or `in {...}`",
        )
        return
    if info.type == "bool":
        if not isinstance(v, bool):
            yield ctx.diag(
                "E303",
                f"`{path}` is true or false, not `{v}`",
                value.span,
                hint=f"write `{path}` or `not {path}`",
            )
    elif info.type == "enum":
        if not isinstance(v, str) or v not in info.values:
            synonym = vocab.VALUE_SYNONYMS.get(str(v).lower())
            hint = f"did you mean `{synonym}`?" if synonym in info.values else _suggest(str(v), info.values)
            yield ctx.diag(
                "E302",
                f"unknown value `{v}` for `{path}`",
                value.span,
                hint=hint or "one of: " + ", ".join(info.values),
            )
    elif info.type == "party":
        if not isinstance(v, str) or v not in parties:
            yield ctx.diag(
                "E302",
                f"`{v}` is not a declared party",
                value.span,
                hint=_suggest(str(v), parties) or "declare it with `party`",
            )
    elif info.type == "code":
        if not isinstance(v, str) or not _CODE.match(v):
            yield ctx.diag(
                "E302", f"`{v}` is not an ISO 3166 code", value.span, hint='write it as a string: "FR"'
            )
    elif info.type == "string" and path == "licence.id" and isinstance(v, str):
        yield from spdx(v, value.span, ctx, quoted=not value.bare, compared=True)


def clause_values(program: Program, ctx: Context) -> Iterator[Diagnostic]:
    for agreement in program.agreements:
        eff = agreement.effective
        if eff and eff.until and eff.until < eff.start:
            yield ctx.diag("E305", f"`until {eff.until}` is before `effective {eff.start}`", eff.span)
        for clause in agreement.clauses:
            ceff = clause.effective
            if ceff and ceff.until and ceff.until < ceff.start:
                yield ctx.diag("E305", f"`until {ceff.until}` is before `effective {ceff.start}`", ceff.span)
            if clause.kind is ClauseKind.GUARDRAIL and clause.then not in ("deny", "require-mou"):
                span = clause.then_span or clause.span
                yield ctx.diag(
                    "E306",
                    f"guardrail `{clause.id}` must say `then deny` or `then require-mou`",
                    span,
                    hint="a guardrail only restricts; use a `clause` to permit",
                )
            for text, span in zip(clause.grants, clause.grant_spans, strict=False):
                yield from spdx(text, span, ctx)
    for party in program.parties:
        if party.kind is not None and party.kind not in vocab.PARTY_KINDS:
            yield ctx.diag(
                "E307",
                f"unknown party kind `{party.kind}`",
                party.kind_span or party.span,
                hint=_suggest(party.kind, vocab.PARTY_KINDS) or "one of: " + ", ".join(vocab.PARTY_KINDS),
            )
    yield from _tender_values(program, ctx)
    for cond, _ in _conditions(program):
        for atom in atoms(cond):
            if isinstance(atom, CompatibleWith) and atom.target is not None:
                yield from spdx(atom.target, atom.target_span or atom.span, ctx)


def _tender_values(program: Program, ctx: Context) -> Iterator[Diagnostic]:
    for tender in program.tenders:
        if tender.deliverable is not None and tender.deliverable_span is not None:
            yield from spdx(tender.deliverable, tender.deliverable_span, ctx)
        for req in tender.requirements:
            for rule in req.rules:
                if isinstance(rule, EveryHas):
                    for f in rule.fields:
                        if f.name not in vocab.COMPONENT_FIELDS:
                            yield ctx.diag(
                                "E308",
                                f"unknown component field `{f.name}`",
                                f.span,
                                hint=_suggest(f.name, vocab.COMPONENT_FIELDS)
                                or "one of: " + ", ".join(vocab.COMPONENT_FIELDS),
                            )
                elif tender.deliverable is None and any(
                    isinstance(a, CompatibleWith) and a.target is None for a in atoms(rule.condition)
                ):
                    yield ctx.diag(
                        "E107",
                        f"tender `{tender.id}` has no `deliverable` to compare with",
                        rule.span,
                        hint='add `deliverable "EXPR"`',
                    )


def spdx(text: str, span: Span, ctx: Context, *, quoted: bool = True, compared: bool = False) -> Iterator[Diagnostic]:
    """Validate an SPDX expression with the project's parser; errors point inside the string.

    ``compared``: the text is the right side of ``licence.id ==``, compared as written, so an id
    that is read differently (lower case, deprecated) would never match.
    """
    from coopengine.errors import InputError
    from coopengine.expressions import parse_expression

    try:
        parsed = parse_expression(text, source="<expression>")
    except InputError as err:
        inner = (err.location.column or 1) - 1
        col = span.column + (1 if quoted else 0) + inner
        where = Span(
            span.file, span.line, col, span.line, col + max(1, (err.location.end_column or 0) - inner - 1)
        )
        yield ctx.diag("E304", f'invalid licence expression "{text}": {err.message}', where, hint=err.hint)
        return
    if compared and parsed.notes and parsed.normalised != text:
        yield ctx.diag("W412", f'`licence.id` is compared with "{text}" as written, so it never matches: '
                       f'licences are known by their canonical id "{parsed.normalised}"', span,
                       hint=f'write "{parsed.normalised}"')
        return
    # A deprecated or differently cased id is read, but the reader of the agreement should know how.
    for note in parsed.notes:
        yield ctx.diag("W412", f'licence expression "{text}": {note}', span, hint=f'write "{parsed.normalised}"')


ERROR_CHECKS: tuple[Check, ...] = (
    duplicate_ids,
    party_refs,
    agreement_refs,
    exception_refs,
    waivers,
    paths_and_values,
    clause_values,
)
