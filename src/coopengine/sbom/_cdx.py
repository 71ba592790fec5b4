"""CycloneDX semantics shared by the fast JSON path and the cyclonedx-python-lib path."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ._model import Component, LicenceField, LicenceRef
from ._source import Source

SUPPORTED_VERSIONS = ("1.2", "1.3", "1.4", "1.5", "1.6", "1.7")
SCOPES = {"required": "runtime", "optional": "optional", "excluded": "excluded"}
"""CycloneDX ``scope`` onto the engine's scopes; a component without one is required (the spec's default)."""
NAMESPACE_PREFIX = "http://cyclonedx.org/schema/bom/"


@dataclass(frozen=True)
class CdxLicence:
    text: str
    """An ``expression``, or a ``license``'s ``id`` (else its ``name``, else its ``url``)."""
    acknowledgement: str | None


@dataclass(frozen=True)
class CdxComponent:
    bom_ref: str | None
    name: str
    version: str | None
    licences: tuple[CdxLicence, ...]
    supplier: str | None
    purl: str | None
    kind: str | None = None
    """The CycloneDX ``type`` (library, application, operating-system, ...)."""
    scope: str | None = None
    """The CycloneDX ``scope`` as written (required, optional, excluded)."""


@dataclass(frozen=True)
class CdxBom:
    spec_version: str
    name: str | None
    components: tuple[CdxComponent, ...]
    """Every component, nested ones after their parent (depth first), in document order."""
    licence_refs: tuple[LicenceRef, ...] = ()
    """``expressionDetails`` (1.7): what the BOM says about the identifiers in its expressions."""


_MAX_TEXT = 100_000


def expression_details(details: object) -> list[LicenceRef]:
    """CycloneDX 1.7 ``expressionDetails``: the text (or URL) behind identifiers of an expression.

    Malformed entries are skipped: they only add to what the expression already says. A
    base64 text is decoded; texts are capped so that one entry cannot fill the report.
    """
    out: list[LicenceRef] = []
    if not isinstance(details, list):
        return out
    for d in details:
        if not isinstance(d, dict) or not isinstance(d.get("licenseIdentifier"), str):
            continue
        text = _attachment(d.get("text"))
        url = d.get("url")
        out.append(LicenceRef(d["licenseIdentifier"], None, text, url if isinstance(url, str) else None))
    return out


def _attachment(value: object) -> str | None:
    if not isinstance(value, dict) or not isinstance(value.get("content"), str):
        return None
    content: str = value["content"][: _MAX_TEXT * 2]
    if value.get("encoding") == "base64":
        import base64
        import binascii

        try:
            content = base64.b64decode(content, validate=False).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            return None
    return content[:_MAX_TEXT]


def check_version(raw: object, source: Source, line: int | None = None) -> str:
    if not isinstance(raw, str) or raw not in SUPPORTED_VERSIONS:
        if line is None:
            found = re.search(r"specVersion", source.text)
            line = source.line_of_offset(found.start()) if found else None
        raise source.error(
            f"unsupported CycloneDX version {raw!r}",
            line=line,
            expected=f"CycloneDX {SUPPORTED_VERSIONS[0]} to {SUPPORTED_VERSIONS[-1]} (the specVersion key)",
        )
    return raw


LIST_SEPARATOR = "; "


def choose_licence(licences: Iterable[CdxLicence]) -> tuple[str | None, LicenceField, tuple[str, ...]]:
    """A component's ``licenses``: the text to show, its field, and the entries if several.

    Entries acknowledged as ``concluded`` win over the rest, as SPDX's concluded licence does.
    Several remaining entries are kept apart (deduplicated and sorted: the order carries no
    meaning and both readers must agree); the specification does not say whether they are
    alternatives or all apply, so the engine decides and says how it read them. They are never
    joined into an expression here: a licence *name* pasted into one would make the ids beside
    it unreadable too.
    """
    entries = list(licences)
    concluded = [e for e in entries if e.acknowledgement == "concluded"]
    field: LicenceField = "concluded" if concluded else "declared"
    chosen = concluded or entries
    texts = sorted({e.text.strip() for e in chosen if e.text.strip()})
    if not texts:
        return None, "none", ()
    if len(texts) == 1:
        return texts[0], field, ()
    return LIST_SEPARATOR.join(texts), field, tuple(texts)


def components(bom: CdxBom, source: Source) -> tuple[Component, ...]:
    # A bom-ref names a component; it does not decide its licence. A repeated one is reported
    # (refused when strict) and both components are checked.
    seen: set[str] = set()
    for c in bom.components:
        if c.bom_ref is not None:
            if c.bom_ref in seen:
                source.lenient(
                    f"duplicate bom-ref {c.bom_ref!r}; each component is read as written",
                    line=_line_of(source, c.bom_ref, occurrence=2),
                    text=c.bom_ref,
                    expected="each bom-ref used once in the BOM",
                )
                break
            seen.add(c.bom_ref)
    out = []
    for n, c in enumerate(bom.components, start=1):
        licence, field, entries = choose_licence(c.licences)
        out.append(
            Component(
                id=c.bom_ref if c.bom_ref is not None else f"component-{n}",
                name=c.name,
                version=c.version,
                licence=licence,
                licence_field=field,
                supplier=c.supplier,
                purl=c.purl,
                licence_list=entries,
                kind=c.kind,
                scope=SCOPES.get(c.scope or "required", "runtime"),
            )
        )
    return tuple(out)


def _line_of(source: Source, bom_ref: str, occurrence: int) -> int | None:
    # JSON writes "bom-ref": "x", XML bom-ref="x"; only reached on the error path.
    pattern = r"""bom-ref['"]?\s*[:=]\s*['"]""" + re.escape(bom_ref) + "['\"]"
    for n, match in enumerate(re.finditer(pattern, source.text), start=1):
        if n == occurrence:
            return source.line_of_offset(match.start())
    return None
