"""Third-party components from an SBOM: SPDX 2.2/2.3, SPDX 3.0.1 and CycloneDX 1.2-1.7.

``read_sbom(path)`` returns a frozen :class:`Sbom` whose :class:`Component` entries keep the
document's order and its licence text as written; checking that text is the engine's job.

Formats are told apart by content, not extension (UTF-8, or UTF-16 with a byte-order mark;
CR and CR LF line endings read as LF). How each is read:

========================  ====================================================================
``spdx-json``             stdlib ``json`` (``_spdx_json``)
``spdx-yaml``             PyYAML safe loader (no aliases, no duplicate keys), then spdx-tools
``spdx-tag-value``        stdlib (``_spdx_tag_value``); spdx-tools with ``strict``
``spdx-rdf``              defusedxml pre-check, then spdx-tools (rdflib)
``spdx-xml``              SPDX 2.3 XML: defusedxml pre-check, then spdx-tools (xmltodict)
``spdx-jsonld``           SPDX 3.0.x JSON-LD, stdlib ``json`` (``_spdx3``)
``cyclonedx-json``        stdlib ``json`` (``_cyclonedx_json``)
``cyclonedx-xml``         defusedxml, then cyclonedx-python-lib per component
========================  ====================================================================

Why the JSON formats bypass the libraries (issue 12, measured on the 2-core development
machine): cyclonedx-python-lib alone parses a 10,000-component CycloneDX JSON in 8.6 s and a
100,000-component one in 94 s at 2.5 GB (the whole ``coop sbom`` through the stdlib reader: 0.3 s
and 2.9 s); spdx-tools alone parses 100,000 SPDX JSON packages in 12.9 s (whole ``coop sbom``:
2.0 s then, 1.13-1.18 s since issue 16) and refuses files real producers write that the stdlib
reader reads (fractional-second timestamps). Tag-value has the same reasons and a quadratic
check (see ``_spdx_tag_value``); SPDX 3 has no fast enough library (see ``_spdx3``). The
libraries read the formats only they read (RDF/XML, CycloneDX XML, SPDX YAML after the safe
loader, tag-value under ``strict``) and are the reference the stdlib readers must agree with on
every JSON and tag-value fixture (``tests/sbom/test_sbom_agreement.py``). Every input is read
from disk and decoded once, then handed to one reader. The libraries are imported only when
such a file is read, so importing this package costs nothing.

Strict about what decides, lenient about what does not: a malformed field the licence decision
never uses (a missing ``downloadLocation``, a supplier that is not an SPDX actor, a repeated
SPDX id, a component without ``type``...) becomes an :class:`SbomWarning` with its line, and the
component is kept; ``strict=True`` refuses it instead. Malformed ids, licence fields and
structure are always refused.

Decisions a reader of the results should know:

* SPDX licence: ``licenseConcluded`` unless it is absent or NOASSERTION, else
  ``licenseDeclared``; NOASSERTION and NONE are kept as the text, never dropped.
  In RDF/XML expressions are graph nodes, so the text is spdx-tools' rendering of them.
* CycloneDX licence: entries acknowledged ``concluded`` win; several remaining entries are kept
  apart in ``Component.licence_list`` (the engine reads them as a choice or as all applying and
  says so), never joined into one expression here; a licence given only by its ``url`` is kept
  as the URL.
* The package(s) an SPDX document DESCRIBES (SPDX 3: its root elements) are its subject, not
  third-party components, and are left out when other packages remain; CycloneDX
  ``metadata.component`` is always left out. Packages listed twice with the same id, name,
  version and licences count once.
* ``Component.scope`` and ``Component.kind`` say when a component is needed and what it is;
  the engine decides which count. ``Sbom.licence_refs`` holds the LicenseRef-s the document
  describes (name, text, URL).
* Components without an id get ``component-N`` (1-based position in document order).
* Bad input raises :class:`coopengine.errors.InputError` with file, line and column where known;
  XML with a DOCTYPE is refused.
"""

from __future__ import annotations

import re
from pathlib import Path

from ._model import FORMATS, Component, LicenceField, LicenceRef, Sbom, SbomFormat, SbomWarning

__all__ = [
    "Component", "Sbom", "SbomWarning", "LicenceRef", "LicenceField", "SbomFormat", "FORMATS", "read_sbom",
    "read_sbom_data", "component_lines", "DEFAULT_MAX_BYTES",
]

DEFAULT_MAX_BYTES = 200_000_000


def read_sbom(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, strict: bool = False) -> Sbom:
    """Read the third-party components of the SBOM at ``path``.

    Args:
        path: an SPDX (JSON, YAML, tag-value, RDF/XML) or CycloneDX (JSON, XML) file.
        max_bytes: files larger than this are refused before parsing.
        strict: refuse malformed parts that the licence decision does not use (schema
            validity) instead of warning about them in ``Sbom.warnings`` and reading on.

    Returns:
        The SBOM with its components in document order.

    Raises:
        coopengine.errors.InputError: the file is missing, too large, malformed, of an unknown
            format, or lacks required fields; the error names the file and, where known, the line.
    """
    from ._reader import read

    return read(path, max_bytes, strict=strict)


def read_sbom_data(data: bytes | str, name: str = "<sbom>", *, max_bytes: int = DEFAULT_MAX_BYTES,
                   strict: bool = False) -> Sbom:
    """:func:`read_sbom` on an SBOM held in memory (an upload, a pipe); ``name`` stands for the path.

    Text is encoded as UTF-8 first, so the size limit and the SHA-256 are those of the bytes a
    file with this text would hold.
    """
    from ._reader import read_source
    from ._source import decode

    raw = data.encode("utf-8") if isinstance(data, str) else data
    return read_source(decode(raw, name, Path(name).suffix.lower(), max_bytes, strict))


# An id as each syntax writes it: "SPDXID": "x" and "bom-ref": "x" in JSON, SPDXID: x in
# tag-value and YAML, bom-ref="x" in CycloneDX XML, rdf:about="...#x" in SPDX RDF. What follows
# the key, matched where str.find put us.
_VALUE_RE = re.compile(r"""["']?[ \t]*[:=][ \t]*["']?([^"'\s,}>]+)""")
_RDF_RE = re.compile(r"""=["'][^"'#]*#([^"']+)["']""")
_ID_KEYS = (("SPDXID", _VALUE_RE), ("bom-ref", _VALUE_RE), ("rdf:about", _RDF_RE))


def component_lines(text: str) -> dict[str, int]:
    """The 1-based line where each component id is first written in an SBOM's text.

    The readers keep no positions (the JSON ones use the standard library, which has none);
    reports that point at a component (SARIF) find it here. ``str.find`` on the literal keys,
    then a regex anchored there, is 7 times faster than one regex searched over the text
    (65 ms against 440 ms for 10,000 packages, 6 MB, loaded machine; bench/bench_sarif.py).
    Ids the text does not show (``component-N``) are absent.
    """
    found: list[tuple[int, str]] = []
    for key, value_re in _ID_KEYS:
        pos = text.find(key)
        while pos != -1:
            match = value_re.match(text, pos + len(key))
            if match:
                found.append((pos, match.group(1)))
            pos = text.find(key, pos + len(key))
    found.sort()
    lines: dict[str, int] = {}
    line, last = 1, 0
    for pos, ident in found:
        line += text.count("\n", last, pos)
        last = pos
        lines.setdefault(ident, line)
    return lines
