"""The statement of the conditions applying to the reuse of a solution (Interoperable Europe Act).

A public body that shares an interoperability solution must state the conditions that apply to
its reuse. :func:`conditions_statement` gathers them as data, each line with its source: the
solution's licence and what it asks of a recipient per use (the knowledge base), whether it is
an open-source licence in the Act's sense (Art. 2(12)), the standing agreements under which the
provider offers the solution on the date and to whom, what their clauses add (obligations,
guardrails, exclusions, each with its clause and ``ref``), and the support and maintenance
commitments of its publiccode.yml (``maintenance``). ``explain_conditions`` writes it as a
Markdown letter or JSON (``coopengine/conditions/v1``); nothing here decides a reuse.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._files import read_input
from ._yaml import MAX_YAML_BYTES, load_yaml_bytes
from .engine import iea_open_source
from .errors import InputError, Location
from .expressions import Or, leaves, parse_expression
from .knowledge import KnowledgeBase, load_knowledge
from .publiccode import PublicCode
from .reuse import load_program
from .reuse.agreements import condition_text
from .scenario import publiccode_facts
from .words import USES

__all__ = ["CONDITIONS_SCHEMA", "Line", "Statement", "conditions_statement"]

CONDITIONS_SCHEMA = "coopengine/conditions/v1"


@dataclass(frozen=True)
class Line:
    """One condition and where it comes from (a licence section, a clause, a publiccode.yml key)."""

    text: str
    source: str

    def to_dict(self) -> dict[str, str]:
        return {"text": self.text, "source": self.source}


@dataclass(frozen=True)
class LicenceTerms:
    """One licence of the solution's expression and what it asks of a recipient."""

    id: str
    name: str
    iea_open_source: bool | None
    iea: Line | None
    per_use: dict[str, tuple[Line, ...]]  # use -> obligations
    restrictions: tuple[Line, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "iea_open_source": self.iea_open_source,
                "iea": self.iea.to_dict() if self.iea else None,
                "obligations": {use: [x.to_dict() for x in lines] for use, lines in self.per_use.items()},
                "restrictions": [x.to_dict() for x in self.restrictions]}


@dataclass(frozen=True)
class Offer:
    """A standing agreement in force under which the provider offers the solution."""

    id: str
    title: str
    declaration: bool
    to: tuple[str, ...]  # the other parties (or adherents)
    text: str | None  # where the signed text is
    permits: tuple[Line, ...]
    obligations: tuple[Line, ...]
    exclusions: tuple[Line, ...]  # deny and require-mou clauses, guardrails

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "declaration": self.declaration, "to": list(self.to),
                "text": self.text, "permits": [x.to_dict() for x in self.permits],
                "obligations": [x.to_dict() for x in self.obligations],
                "exclusions": [x.to_dict() for x in self.exclusions]}


@dataclass(frozen=True)
class Statement:
    solution: str | None
    url: str | None
    publiccode: str
    sha256: str
    provider: str
    date: dt.date
    licence: str | None
    choice: bool  # the expression offers a choice between licences (OR)
    licences: tuple[LicenceTerms, ...]
    offers: tuple[Offer, ...]
    maintenance: tuple[Line, ...]
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": CONDITIONS_SCHEMA,
            "solution": self.solution,
            "url": self.url,
            "provider": self.provider,
            "date": self.date.isoformat(),
            "licence": self.licence,
            "choice": self.choice,
            "licences": [x.to_dict() for x in self.licences],
            "agreements": [x.to_dict() for x in self.offers],
            "maintenance": [x.to_dict() for x in self.maintenance],
            "notes": list(self.notes),
            "inputs": [{"role": "publiccode", "path": self.publiccode, "sha256": "sha256:" + self.sha256}],
        }


def conditions_statement(publiccode: str | os.PathLike[str], *, provider: str,
                         agreements: Sequence[str | os.PathLike[str]] = (), date: dt.date | None = None,
                         kb: Sequence[str] = ()) -> Statement:
    """The conditions applying to reuse of the solution ``publiccode`` describes, offered by ``provider``."""
    path = Path(publiccode)
    raw = read_input(path, limit=MAX_YAML_BYTES, what="publiccode.yml")
    doc = load_yaml_bytes(raw, str(path))
    facts = publiccode_facts(doc)
    pc: PublicCode = facts["model"]
    day = date or dt.date.today()
    knowledge = load_knowledge(kb)
    licence = facts.get("licence")
    notes: list[str] = []
    terms: list[LicenceTerms] = []
    choice = False
    if licence is None:
        notes.append("the publiccode.yml gives no legal.license: no licence is granted by this statement")
    else:
        expression = parse_expression(str(licence), source=f"{path}: legal.license").expression
        choice = isinstance(expression, Or)
        for leaf in dict.fromkeys(leaves(expression)):
            terms.append(_licence_terms(knowledge, leaf.id, leaf.key))
    program, lines, _ = load_program([Path(a) for a in agreements]) if agreements else (None, {}, {})
    if program is not None and program.party(provider) is None:
        raise InputError(f"provider {provider!r} is not declared by any agreement file",
                         location=Location("<command line>"), text=provider,
                         expected="a party id declared with `party ID \"name\"`")
    offers = tuple(_offers(program, lines, provider, day)) if program is not None else ()
    if agreements and not offers:
        notes.append(f"no agreement in force on {day} names {provider} as a party: the licence alone applies")
    return Statement(
        solution=facts.get("name") if isinstance(facts.get("name"), str) else None,
        url=pc.url,
        publiccode=str(path), sha256=hashlib.sha256(raw).hexdigest(), provider=provider, date=day,
        licence=str(licence) if licence is not None else None, choice=choice, licences=tuple(terms),
        offers=offers, maintenance=_maintenance(pc, day), notes=tuple(notes))


def _licence_terms(kb: KnowledgeBase, licence_id: str, key: str) -> LicenceTerms:
    facts = kb.licence(licence_id)
    if facts is None:
        return LicenceTerms(key, key, None, None, {}, (
            Line("the knowledge base does not describe this licence: read its text", f"licence:{key}"),))
    where = f"licence:{key}"
    per_use = {use: tuple(Line(kb.obligations.get(o, o), f"{where} ({o})") for o in facts.obligations.get(use, ()))
               for use in USES}
    restrictions = tuple(Line(r.text, f"{where}, {r.source.section or r.source.title}") for r in facts.restrictions)
    iea = iea_open_source(facts)
    iea_line = Line(iea.reason, f"{iea.source.title}, {iea.source.section}" if iea.source.section
                    else iea.source.title) if iea is not None else None
    return LicenceTerms(key, facts.name, iea.granted if iea is not None else None, iea_line, per_use, restrictions)


def _offers(program: Any, lines: Any, provider: str, day: dt.date) -> list[Offer]:
    out = []
    for a in sorted(program.agreements, key=lambda a: a.id):
        members = [r.name for r in a.parties]
        if provider not in members or (a.effective is not None and not a.effective.covers(day)):
            continue
        permits, obliged, excluded = [], [], []
        for c in a.clauses:
            if c.effective is not None and not c.effective.covers(day):
                continue
            where = f"{a.id}.{c.id}" + (f" (ref {c.ref})" if c.ref else "")
            when = f" when {condition_text(c.when, lines)}" if c.when is not None else ""
            effect = c.then.value if c.then is not None else None
            if c.kind.value == "guardrail" or effect in ("deny", "require-mou"):
                excluded.append(Line(f"{c.title}: {effect or 'obligations only'}{when}", where))
            elif effect == "permit":
                permits.append(Line(f"{c.title}: reuse permitted without an MOU{when}", where))
            for o in c.obligations:
                obliged.append(Line(o.text or o.id, f"{where}, oblige {o.id}"))
        out.append(Offer(a.id, a.title, a.declaration, tuple(m for m in members if m != provider), a.text,
                         tuple(permits), tuple(obliged), tuple(excluded)))
    return out


def _maintenance(pc: PublicCode, day: dt.date) -> tuple[Line, ...]:
    if pc.maintenance_type is None and not pc.contractors and not pc.contacts:
        return (Line("the publiccode.yml states no maintenance", "publiccode: maintenance"),)
    out = []
    if pc.maintenance_type is not None:
        out.append(Line(f"maintenance type: {pc.maintenance_type}", "publiccode: maintenance.type"))
    for i, (name, until) in enumerate(pc.contractors):
        text = f"maintained under contract by {name}" + (f", until {until}" if until is not None else "")
        if until is not None and until < day:
            text += f" (the contract ended before {day}: no contracted maintenance on that date)"
        out.append(Line(text, f"publiccode: maintenance.contractors[{i}]"))
    for i, c in enumerate(pc.contacts):
        extra = ", ".join(x for x in (c.affiliation, c.email) if x)
        out.append(Line(f"contact: {c.name}" + (f" ({extra})" if extra else ""),
                        f"publiccode: maintenance.contacts[{i}]"))
    return tuple(out)
