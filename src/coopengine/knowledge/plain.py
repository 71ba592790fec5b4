"""The compiled knowledge base as plain JSON data, and back, checking every field on the way in.

This is the form stored in the wheel and in the cache (:mod:`coopengine._cache`): JSON cannot
run code, and :func:`decode` raises :class:`~coopengine._cache.BadEntry` on any value of an
unexpected type, so a damaged or foreign file is rebuilt instead of failing a later call.
Records are written as lists in field order; sets as sorted lists.
"""

from __future__ import annotations

from typing import Any, TypeVar

from .._cache import BadEntry
from .model import (
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
)

__all__ = ["encode", "decode"]


def encode(kb: KnowledgeBase) -> Any:
    """Plain data (lists, dicts, strings, booleans, None) for ``kb``.

    Most licences are uncurated SPDX entries with default fields, and most sources are the
    knowledge base's own with a section: writing only what differs from the defaults, and a
    source as ``[id, section]``, makes the file a third of its size and twice as fast to read.
    """
    def src(s: Src) -> list[Any]:
        base = kb.sources.get(s.id)
        same = base is not None and (base.title, base.url, base.secondary) == (s.title, s.url, s.secondary)
        return [s.id, s.section] if same else [s.id, s.title, s.url, s.section, s.secondary]

    def plain(value: Any) -> Any:
        if isinstance(value, Src):
            return src(value)
        if isinstance(value, LicenceFacts):
            return {k: plain(v) for k, v in value._asdict().items() if v != _LICENCE_DEFAULTS.get(k, _REQUIRED)}
        if isinstance(value, frozenset):
            return sorted(value)
        if isinstance(value, tuple | list):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    sources = {k: [s.id, s.title, s.url, s.section, s.secondary] for k, s in kb.sources.items()}
    names = {k: [m.text, m.expression, list(m.candidates), src(m.source)] for k, m in kb.names.items()}
    return [kb.version, plain(dict(kb.licences)), plain(dict(kb.exceptions)), sources, dict(kb.obligations),
            list(kb.files), plain(dict(kb.conditions)), dict(kb.terms), names]


_REQUIRED = object()
_LICENCE_DEFAULTS: dict[str, Any] = dict(LicenceFacts._field_defaults)


def _str(v: Any) -> str:
    if type(v) is not str:
        raise BadEntry(f"expected a string, got {type(v).__name__}")
    return v


def _opt_str(v: Any) -> str | None:
    return None if v is None else _str(v)


def _bool(v: Any) -> bool:
    if type(v) is not bool:
        raise BadEntry(f"expected a boolean, got {type(v).__name__}")
    return v


def _opt_bool(v: Any) -> bool | None:
    return None if v is None else _bool(v)


def _list(v: Any, size: int | None = None) -> list[Any]:
    if type(v) is not list or (size is not None and len(v) != size):
        raise BadEntry("expected a list" + (f" of {size}" if size is not None else ""))
    return v


def _strs(v: Any) -> tuple[str, ...]:
    return tuple(_str(x) for x in _list(v))


def _dict(v: Any) -> dict[str, Any]:
    if type(v) is not dict:
        raise BadEntry(f"expected a mapping, got {type(v).__name__}")
    return v


class _Sources:
    """Decodes ``[id, section]`` against the table (sharing one object per pair) or a full source."""

    def __init__(self, table: dict[str, Src]) -> None:
        self.table = table
        self.seen: dict[tuple[str, str | None], Src] = {}

    def __call__(self, v: Any) -> Src:
        if type(v) is list and len(v) == 2:
            key = (_str(v[0]), _opt_str(v[1]))
            hit = self.seen.get(key)
            if hit is None:
                base = self.table[key[0]]
                hit = self.seen[key] = base if key[1] is None else base._replace(section=key[1])
            return hit
        return _full_src(v)


def _full_src(v: Any) -> Src:
    sid, title, url, section, secondary = _list(v, 5)
    return Src(_str(sid), _str(title), _str(url), _opt_str(section), _bool(secondary))


class _Decoder:
    """One decoding pass; ``src`` shares the source objects between records."""

    def __init__(self, sources: dict[str, Src]) -> None:
        self.src = _Sources(sources)
        src = self.src
        # The fields of a licence and how each is checked; absent fields take their default.
        self.licence_fields: dict[str, Any] = {
            "id": _str, "name": _str, "category": _str, "category_source": src, "curated": _bool,
            "copyleft": _opt_str, "triggers": _strset, "osi_approved": _opt_bool, "fsf_libre": _opt_bool,
            "versions": _strs, "obligations": lambda v: {_str(k): _strs(x) for k, x in _dict(v).items()},
            "relicense": lambda v: {_str(k): self.path(x) for k, x in _dict(v).items()},
            "incompatible": lambda v: {_str(k): self.pair(x) for k, x in _dict(v).items()},
            "compatible": lambda v: {_str(k): self.pair(x) for k, x in _dict(v).items()},
            "restrictions": lambda v: tuple(self.restriction(r) for r in _list(v)),
            "sources": lambda v: tuple(src(x) for x in _list(v)),
            "notes": _opt_str, "file": _opt_str, "deprecated": _bool,
            "terms": lambda v: None if v is None else {_str(k): src(x) for k, x in _dict(v).items()},
            "conditions": _strs,
            "permissions": lambda v: tuple(self.permission(x) for x in _list(v)),
        }

    def position(self, v: Any) -> Position:
        source, says, text, generic = _list(v, 4)
        return Position(self.src(source), _str(says), _opt_str(text), _bool(generic))

    def pair(self, v: Any) -> PairFact:
        other, reason, source, condition, uses, positions, follows, file = _list(v, 8)
        return PairFact(
            _str(other), _str(reason), self.src(source), _opt_str(condition),
            None if uses is None else _strset(uses),
            tuple(self.position(p) for p in _list(positions)), _opt_str(follows), _str(file),
        )

    def path(self, v: Any) -> Path:
        to, steps, condition, positions, follows = _list(v, 5)
        edges = []
        for step in _list(steps):
            a, b, reason, source = _list(step, 4)
            edges.append((_str(a), _str(b), _str(reason), self.src(source)))
        return Path(_str(to), tuple(edges), _opt_str(condition), tuple(self.position(p) for p in _list(positions)),
                    _opt_str(follows))

    def restriction(self, v: Any) -> Restriction:
        rid, text, uses, effect, condition, source = _list(v, 6)
        return Restriction(_str(rid), _str(text), _strset(uses), _str(effect), _opt_str(condition), self.src(source))

    def licence(self, v: Any) -> LicenceFacts:
        fields = self.licence_fields
        return LicenceFacts(**{k: fields[k](x) for k, x in _dict(v).items()})

    def permission(self, v: Any) -> Permission:
        pid, granted, text, reason, source = _list(v, 5)
        return Permission(_str(pid), _bool(granted), _str(text), _str(reason), self.src(source))

    def name(self, v: Any) -> NameMapping:
        text, expression, candidates, source = _list(v, 4)
        return NameMapping(_str(text), _opt_str(expression), _strs(candidates), self.src(source))

    def exception(self, v: Any) -> ExceptionFacts:
        eid, name, curated, effect, applies_to, removes, text, sources, file, condition, admits = _list(v, 11)
        return ExceptionFacts(
            _str(eid), _str(name), _bool(curated), _opt_str(effect), _strs(applies_to), _strs(removes), _str(text),
            tuple(self.src(s) for s in _list(sources)), _opt_str(file), _opt_str(condition), _strs(admits),
        )

    def condition(self, v: Any) -> Condition:
        cid, text, source, carried_by, rulings = _list(v, 5)
        return Condition(_str(cid), _str(text), self.src(source), _strs(carried_by),
                         tuple(self.ruling(r) for r in _list(rulings)))

    def ruling(self, v: Any) -> TermRuling:
        terms, verdict, reason, source, positions, follows = _list(v, 6)
        return TermRuling(_strset(terms), _str(verdict), _str(reason), self.src(source),
                          tuple(self.position(p) for p in _list(positions)), _opt_str(follows))


def _strset(v: Any) -> frozenset[str]:
    return frozenset(_strs(v))


_Record = TypeVar("_Record", LicenceFacts, ExceptionFacts, Condition)


def _keyed(table: dict[str, _Record]) -> dict[str, _Record]:
    """Each record filed under its own id (a lookup by id must find that licence)."""
    for key, record in table.items():
        if record.id != key:
            raise BadEntry(f"{record.id} filed under {key}")
    return table


def decode(data: Any) -> KnowledgeBase:
    """The knowledge base that :func:`encode` wrote; :class:`BadEntry` (or ``KeyError``,
    ``TypeError`` for a missing or unknown field) if ``data`` is not one."""
    version, licences, exceptions, sources, obligations, files, conditions, terms, names = _list(data, 9)
    table = {_str(k): _full_src(x) for k, x in _dict(sources).items()}
    d = _Decoder(table)
    return KnowledgeBase(
        _str(version),
        _keyed({_str(k): d.licence(x) for k, x in _dict(licences).items()}),
        _keyed({_str(k): d.exception(x) for k, x in _dict(exceptions).items()}),
        table,
        {_str(k): _str(x) for k, x in _dict(obligations).items()},
        _strs(files),
        _keyed({_str(k): d.condition(x) for k, x in _dict(conditions).items()}),
        {_str(k): _str(x) for k, x in _dict(terms).items()},
        {_str(k): d.name(x) for k, x in _dict(names).items()},
    )
