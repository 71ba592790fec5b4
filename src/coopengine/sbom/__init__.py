"""Third-party components from an SBOM: SPDX 2.2/2.3 and CycloneDX 1.4-1.6.

``read_sbom(path)`` returns a frozen :class:`Sbom` whose :class:`Component` entries keep the
document's order and its licence text as written; checking that text is the engine's job.

Formats are told apart by content, not extension. How each is read:

========================  ====================================================================
``spdx-json``             stdlib ``json`` (``_spdx_json``)
``spdx-yaml``             PyYAML safe loader (no aliases, no duplicate keys), then spdx-tools
``spdx-tag-value``        spdx-tools
``spdx-rdf``              defusedxml pre-check, then spdx-tools (rdflib)
``cyclonedx-json``        stdlib ``json`` (``_cyclonedx_json``)
``cyclonedx-xml``         defusedxml, then cyclonedx-python-lib per component
========================  ====================================================================

Why the JSON formats bypass the libraries: on a 10,000-package SPDX JSON SBOM spdx-tools takes
about 2 s (17 s for 100,000; the budget for the whole ``coop sbom`` run is 3 s) and refuses the
whole document if one package says ``GPL v2``; cyclonedx-python-lib takes about 10 s for 10,000
components and sorts them. The stdlib path reads 10,000 packages in 0.26 s and 100,000 in 2.4 s,
imports included (``bench/bench_sbom_read.py``), and must produce
the same components as the libraries on every fixture (``tests/sbom/test_agreement.py``). The
libraries stay for the formats whose syntax is worth not reimplementing, and are imported only
when such a file is read, so importing this package costs nothing.

Decisions a reader of the results should know:

* SPDX licence: ``licenseConcluded`` unless it is absent or NOASSERTION, else
  ``licenseDeclared``; NOASSERTION and NONE are kept as the text, never dropped.
  In RDF/XML expressions are graph nodes, so the text is spdx-tools' rendering of them.
* CycloneDX licence: entries acknowledged ``concluded`` win; several entries are joined with AND
  (sorted, deduplicated, compound ones parenthesised); a licence ``name`` is passed through.
* The package(s) an SPDX document DESCRIBES are its subject, not third-party components, and are
  left out when other packages remain; CycloneDX ``metadata.component`` is always left out.
* Components without an id get ``component-N`` (1-based position in document order).
* Bad input raises :class:`coopengine.errors.InputError` with file, line and column where known;
  duplicate SPDX ids and duplicate bom-refs are errors; XML with a DOCTYPE is refused.
"""

from __future__ import annotations

import re
from pathlib import Path

from ._model import FORMATS, Component, LicenceField, Sbom, SbomFormat

__all__ = [
    "Component", "Sbom", "LicenceField", "SbomFormat", "FORMATS", "read_sbom", "read_sbom_data", "component_lines",
    "DEFAULT_MAX_BYTES",
]

DEFAULT_MAX_BYTES = 200_000_000


def read_sbom(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Sbom:
    """Read the third-party components of the SBOM at ``path``.

    Args:
        path: an SPDX (JSON, YAML, tag-value, RDF/XML) or CycloneDX (JSON, XML) file.
        max_bytes: files larger than this are refused before parsing.

    Returns:
        The SBOM with its components in document order.

    Raises:
        coopengine.errors.InputError: the file is missing, too large, malformed, of an unknown
            format, or lacks required fields; the error names the file and, where known, the line.
    """
    from ._reader import read

    return read(path, max_bytes)


def read_sbom_data(data: bytes | str, name: str = "<sbom>", *, max_bytes: int = DEFAULT_MAX_BYTES) -> Sbom:
    """:func:`read_sbom` on an SBOM held in memory (an upload, a pipe); ``name`` stands for the path.

    Text is encoded as UTF-8 first, so the size limit and the SHA-256 are those of the bytes a
    file with this text would hold.
    """
    from ._reader import read_source
    from ._source import decode

    raw = data.encode("utf-8") if isinstance(data, str) else data
    return read_source(decode(raw, name, Path(name).suffix.lower(), max_bytes))


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
