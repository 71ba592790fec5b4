"""SPDX 2 semantics shared by every SPDX reader (JSON, tag-value, spdx-tools; SPDX 3 in SPDX 2 terms).

Each reader turns each package into its :class:`Component` once, through :func:`package` (which
licence field wins), and the document into :class:`SpdxDocument` (plain strings, no library
types); :func:`components` then applies the document-level rules (which package is the
document's own subject, repeated ids). So these rules are written once and the readers cannot
drift apart on them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from coopengine.errors import InputError

from ._model import Component, LicenceField, LicenceRef
from ._source import Source

SUPPORTED_VERSIONS = ("SPDX-2.1", "SPDX-2.2", "SPDX-2.3")
NOASSERTION = "NOASSERTION"
NONE = "NONE"


@dataclass(frozen=True)
class SpdxDocument:
    spdx_version: str
    spdx_id: str
    name: str | None
    packages: tuple[Component, ...]
    """Every package, in document order, the document's own subject included (see :func:`components`)."""
    described: frozenset[str]
    element_ids: tuple[str, ...]
    """Every SPDXID the document defines (itself, packages, files, snippets), in order."""
    licence_refs: tuple[LicenceRef, ...] = ()
    licence_list_version: str | None = None


def licence_text(raw: str | None) -> str | None:
    """Normalise only what carries no meaning: surrounding blanks, and the case of NOASSERTION/NONE."""
    if raw is None:
        return None
    text = raw.strip()
    if not text:
        return None
    upper = text.upper()
    if upper in (NOASSERTION, NONE):
        return upper
    return text


# The actor grammar of SPDX 2.3 §6.8/§7.5: "Person: name (email)", "Organization: ...", "Tool: ...".
_ACTOR_RE = re.compile(
    r"^(?:Tool:\s*(?P<tool>.+)|(?:Person|Organization):\s*(?:(?P<named>.*)\((?P<email>.*)\)|(?P<bare>.*)))$"
)


def actor_name(raw: str) -> str | None:
    """The name in an SPDX actor (``Organization: ACME (a@b.c)`` -> ``ACME``); None if it is not one."""
    match = _ACTOR_RE.match(raw)
    return (match["tool"] or match["named"] or match["bare"] or "").strip() or None if match else None


def package(spdx_id: str, name: str, version: str | None, concluded: str | None, declared: str | None,
            supplier: str | None, purl: str | None, scope: str = "runtime") -> Component:
    """An SPDX package as a component; ``concluded``/``declared`` already through :func:`licence_text`.

    The concluded licence is the SBOM author's finding, so it wins unless it asserts nothing; a
    bare NOASSERTION is still what the document says (the engine reports it as unknown).
    ``scope``: from the document's relationships (:func:`scopes_of`). Called once per package
    of a 100,000-package document, so the arguments are positional.
    """
    licence: str | None
    field: LicenceField
    if concluded is not None and (concluded != NOASSERTION or declared is None):
        licence, field = concluded, "concluded"
    elif declared is not None:
        licence, field = declared, "declared"
    else:
        licence, field = None, "none"
    return Component(spdx_id, name, version, licence, field, supplier, purl, None, scope)


def check_version(raw: str, source: Source) -> str:
    if raw not in SUPPORTED_VERSIONS:
        raise source.error(
            f"unsupported SPDX version {raw!r}",
            line=_line_of(source, re.escape(raw)),
            text=raw,
            expected=" or ".join(SUPPORTED_VERSIONS),
            hint="SPDX 3 documents are JSON-LD, with '@context' and '@graph' (and no 'spdxVersion')"
            if raw.startswith("SPDX-3")
            else None,
        )
    return raw.removeprefix("SPDX-")


def check_unique(ids: Iterable[str], source: Source) -> bool:
    """Every SPDXID defined once; otherwise a warning (an error with ``strict``).

    Real producers repeat ids without meaning two things: syft 0.26 lists a package once per
    place it found it, with the same id, name, version and licences (the repeats are dropped
    by :func:`components`, only ``sourceInfo`` differs); Bitnami's SBOMs give the
    document the id of its main package. Every package is still checked, so nothing that
    decides is lost; the warning names the first repeated id.
    """
    seen: set[str] = set()
    repeated: list[str] = []
    for spdx_id in ids:
        if spdx_id in seen:
            repeated.append(spdx_id)
        seen.add(spdx_id)
    if repeated:
        more = f" (and {len(repeated) - 1} more)" if len(repeated) > 1 else ""
        source.lenient(
            f"duplicate SPDX id {repeated[0]!r}{more}; each element is read as written",
            line=line_of_id(source, repeated[0], occurrence=2),
            text=repeated[0],
            expected="each SPDXID defined once in the document",
        )
    return bool(repeated)


def components(doc: SpdxDocument, source: Source) -> tuple[Component, ...]:
    """Third-party components of ``doc``.

    The packages the document DESCRIBES are the subject of the SBOM (the product itself), not
    something it depends on, so they are left out, but only when other packages remain: an SBOM
    that merely lists packages, each described by the document, still has them all as components.
    """
    packages = _without_repeats(doc.packages) if check_unique(doc.element_ids, source) else doc.packages
    if doc.described and any(p.id not in doc.described for p in packages):
        packages = tuple(p for p in packages if p.id not in doc.described)
    return packages


def _without_repeats(packages: tuple[Component, ...]) -> tuple[Component, ...]:
    """Packages listed twice as the same component (id, name, version, the licence that counts
    and its field, supplier, purl, scope) count once: the repeats could not be told apart in
    any report. (Until issue 16 the licence field that does not count had to match as well.)"""
    seen: set[Component] = set()
    out = []
    for p in packages:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return tuple(out) if len(out) != len(packages) else packages


def described_ids(
    doc_id: str, relationships: Iterable[tuple[str, str, str]], describes: Iterable[str] = ()
) -> frozenset[str]:
    """Targets of ``doc DESCRIBES x`` and ``x DESCRIBED_BY doc`` (and the 2.2 ``documentDescribes`` list)."""
    out = set(describes)
    for element, kind, related in relationships:
        if kind == "DESCRIBES" and element == doc_id:
            out.add(related)
        elif kind == "DESCRIBED_BY" and related == doc_id:
            out.add(element)
    return frozenset(out)


# SPDX 2.3 relationship types that say a package is needed other than at run time
# (section 11.1: "A is a ... of B"); DEPENDS_ON and the rest leave it at runtime.
SCOPE_RELATIONSHIPS = {
    "DEV_DEPENDENCY_OF": "dev",
    "DEV_TOOL_OF": "dev",
    "TEST_DEPENDENCY_OF": "test",
    "TEST_TOOL_OF": "test",
    "TEST_OF": "test",
    "BUILD_DEPENDENCY_OF": "build",
    "BUILD_TOOL_OF": "build",
    "OPTIONAL_DEPENDENCY_OF": "optional",
    "OPTIONAL_COMPONENT_OF": "optional",
}
_RUNTIME_RELATIONSHIPS = frozenset({"RUNTIME_DEPENDENCY_OF", "DEPENDENCY_OF", "PROVIDED_DEPENDENCY_OF"})


def scopes_of(relationships: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """The scope of each package a scoped relationship names; one that any relationship says is a
    runtime dependency stays runtime (the cautious reading: it counts)."""
    scopes: dict[str, str] = {}
    runtime: set[str] = set()
    for element, kind, related in relationships:
        scope = SCOPE_RELATIONSHIPS.get(kind)
        if scope is not None:
            scopes.setdefault(element, scope)
        elif kind in _RUNTIME_RELATIONSHIPS:
            runtime.add(element)
        elif kind == "DEPENDS_ON":
            runtime.add(related)
    return {k: v for k, v in scopes.items() if k not in runtime}


def line_of_id(source: Source, spdx_id: str, occurrence: int = 1) -> int | None:
    """The line where ``spdx_id`` is defined (JSON, YAML and tag-value spell the key alike)."""
    pattern = r"""SPDXID['"]?\s*:\s*['"]?""" + re.escape(spdx_id) + r"(?![\w.+-])"
    return _line_of(source, pattern, occurrence)


def line_of_field(source: Source, spdx_id: str, key: str) -> int | None:
    """The line of ``key`` in the element defining ``spdx_id`` (else the id's own line)."""
    pattern = r"""SPDXID['"]?\s*:\s*['"]?""" + re.escape(spdx_id) + r"(?![\w.+-])"
    found = re.search(pattern, source.text)
    if found is None:
        return None
    # The key may come before SPDXID in its object; look a little way back as well as forward.
    start = source.text.rfind("{", 0, found.start())
    key_re = re.compile(r"""['"]?""" + re.escape(key) + r"""['"]?\s*:""")
    match = key_re.search(source.text, start if start >= 0 else found.start())
    if match is None or match.start() - found.start() > 20_000:
        return source.line_of_offset(found.start())
    return source.line_of_offset(match.start())


def _line_of(source: Source, pattern: str, occurrence: int = 1) -> int | None:
    # Only called on the error path, so a scan of the text is affordable.
    for n, match in enumerate(re.finditer(pattern, source.text), start=1):
        if n == occurrence:
            return source.line_of_offset(match.start())
    return None


_INIT_RE = re.compile(r"(\w+)\.__init__\(\) missing \d+ required (?:positional|keyword-only) arguments?: (.+)")


def _plain_words(message: str) -> str:
    """A library's complaint without Python internals: ``File.__init__() missing 1 required
    positional argument: 'checksums'`` becomes ``a File lacks its required 'checksums'``."""
    return _INIT_RE.sub(lambda m: f"a {m.group(1)} lacks its required {m.group(2).replace(' and ', ', ')}",
                        message)


def parsing_error(source: Source, messages: list[str]) -> InputError:
    """Turn a list of parser complaints into one error, located at the first line one of them names."""
    messages = [_plain_words(m) for m in dict.fromkeys(messages)]
    line = None
    for message in messages:
        found = re.search(r"\b[Ll]ine:? (\d+)", message)
        if found:
            line = int(found.group(1))
            break
    shown = "; ".join(messages[:3]) + (f" (and {len(messages) - 3} more)" if len(messages) > 3 else "")
    return source.error(f"invalid SPDX document: {shown}", line=line, expected="a valid SPDX 2.x document",
                        hint="without --strict, fields the licence decision does not use are read past"
                        if source.strict else None)
