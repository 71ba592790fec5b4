"""The package's only importer of spdx-tools (and of rdflib, which it brings).

Used for SPDX YAML and RDF/XML, for tag-value under ``strict`` (schema validity; the stdlib
reader in :mod:`._spdx_tag_value` is the lenient default, see its figures), and as the
reference reading of SPDX JSON and tag-value in tests.
spdx-tools parses every licence expression with ``license_expression`` and gives up on the whole
document when one does not parse; an SBOM reader must report such a component, not refuse the
SBOM, and must keep the text as written. So for JSON, YAML and tag-value the parsers are handed
a licence reader that keeps the text verbatim. RDF states expressions as graph nodes, not text:
there the licence is spdx-tools' rendering of the graph (``A AND B``), and an expression it cannot
render is a parsing error.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
from collections.abc import Callable
from typing import Any

from coopengine.errors import CoopError

from ._model import LicenceRef
from ._source import Source
from ._spdx import SpdxDocument, described_ids, licence_text, package, parsing_error, scopes_of


def read_dict(source: Source, data: dict[str, Any]) -> SpdxDocument:
    """A JSON or YAML document, already decoded into dicts."""
    from spdx_tools.spdx.parser.jsonlikedict import json_like_dict_parser

    parser_class: Any = json_like_dict_parser.JsonLikeDictParser
    parser = parser_class()
    verbatim = _verbatim_licence_parser()
    for element_parser in (parser.package_parser, parser.file_parser, parser.snippet_parser):
        element_parser.license_expression_parser = verbatim
    return _convert(source, lambda: parser.parse(data))


def read_xml(source: Source) -> SpdxDocument:
    """SPDX 2.3 XML that :mod:`._xml` has already checked for DTDs and entities.

    spdx-tools reads XML as a dict (xmltodict) turned into the JSON shape, lists restored, and
    then parses it like JSON; the text already in memory is handed over, not the file again.
    """
    import xmltodict
    from spdx_tools.spdx.parser.xml import xml_parser

    try:
        parsed = xmltodict.parse(source.text)
    except Exception as err:  # noqa: BLE001 - any library failure on bad input must become an InputError
        raise parsing_error(source, [f"{type(err).__name__}: {err}"]) from err
    fix: Any = xml_parser._fix_list_like_fields  # noqa: SLF001 - the library's own list restoration
    document = fix(parsed).get("Document")
    if not isinstance(document, dict):
        raise parsing_error(source, ["no top-level <Document> element"])
    return read_dict(source, document)


def read_tag_value(source: Source) -> SpdxDocument:
    def parse() -> Any:
        from ply import yacc

        # Without these ply writes parse tables next to spdx-tools and warns on stderr.
        parser = _verbatim_tag_value_parser()(write_tables=False, debug=False, errorlog=yacc.NullLogger())
        return parser.parse(source.text)

    return _convert(source, parse)


def read_rdf(source: Source) -> SpdxDocument:
    """RDF/XML that :mod:`._xml` has already checked for DTDs and entities."""

    def parse() -> Any:
        from rdflib import Graph
        from spdx_tools.spdx.parser.rdf.rdf_parser import translate_graph_to_document

        graph = Graph()
        graph.parse(data=source.text, format="xml")
        return translate_graph_to_document(graph)

    doc = _convert(source, parse)
    # A graph has no order and rdflib promises none when iterating it; the order in which the
    # text first defines each element is the document order a person sees.
    first_seen: dict[str, int] = {}
    for match in _RDF_ABOUT_RE.finditer(source.text):
        first_seen.setdefault(match.group(1), match.start())
    end = len(source.text)
    packages = tuple(sorted(doc.packages, key=lambda p: first_seen.get(p.id, end)))
    return dataclasses.replace(doc, packages=packages)


_RDF_ABOUT_RE = re.compile(r"""rdf:about\s*=\s*["'][^"'#]*#([^"']+)["']""")


def _convert(source: Source, parse: Callable[[], Any]) -> SpdxDocument:
    from spdx_tools.spdx.parser.error import SPDXParsingError

    logged = _Logged()
    root = logging.getLogger()
    root.addHandler(logged)  # spdx-tools logs through the root logger; keep it off the user's stderr
    try:
        document = parse()
    except SPDXParsingError as err:
        messages: list[Any] = err.messages
        raise parsing_error(source, [our_words(str(m)) for m in messages]) from err
    except CoopError:
        raise
    except SystemExit as err:
        # The RDF parser ends the process (sys.exit) on some documents, after logging why.
        said = [our_words(m) for m in logged.messages] or ["the RDF parser gave up on the document"]
        raise parsing_error(source, said) from err
    except Exception as err:  # noqa: BLE001 - any library failure on bad input must become an InputError
        raise parsing_error(source, [our_words(f"{type(err).__name__}: {err}")]) from err
    finally:
        root.removeHandler(logged)
    return _to_document(document)


class _Logged(logging.Handler):
    """Collects what a library logs while it parses, to say it in the error instead."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


# spdx-tools' own words for what is wrong, and ours (what the user wrote, in SPDX terms).
_REWORDED = (
    (re.compile(r"No SpdxDocument found"), "no spdx:SpdxDocument element"),
    (re.compile(r"Multiple SpdxDocuments found"), "more than one spdx:SpdxDocument element"),
    (re.compile(r"No '#' found in the URI of SpdxDocument.*", re.S),
     "the spdx:SpdxDocument's rdf:about has no '#': it must be the document namespace followed by "
     "'#SPDXRef-DOCUMENT'"),
)
def our_words(message: str) -> str:
    """A library message said in the terms of the SPDX document (missing fields: :func:`._spdx.parsing_error`)."""
    for pattern, said in _REWORDED:
        if pattern.search(message):
            return said
    return message


def _to_document(document: Any) -> SpdxDocument:
    from spdx_tools.spdx.model.actor import Actor

    info = document.creation_info
    relationships = [
        (r.spdx_element_id, r.relationship_type.name, str(r.related_spdx_element_id))
        for r in document.relationships
    ]
    scopes = scopes_of(relationships)
    packages = []
    for p in document.packages:
        purl = next(
            (ref.locator for ref in p.external_references if ref.reference_type == "purl"),
            None,
        )
        supplier = p.supplier.name if isinstance(p.supplier, Actor) else None
        packages.append(package(p.spdx_id, p.name, p.version, _licence(p.license_concluded),
                                _licence(p.license_declared), supplier, purl, scopes.get(p.spdx_id, "runtime")))
    return SpdxDocument(
        spdx_version=info.spdx_version,
        spdx_id=info.spdx_id,
        name=info.name,
        packages=tuple(packages),
        described=described_ids(info.spdx_id, relationships),
        licence_list_version=str(info.license_list_version) if info.license_list_version else None,
        licence_refs=tuple(
            LicenceRef(x.license_id, _plain(x.license_name), _plain(x.extracted_text))
            for x in document.extracted_licensing_info
            if isinstance(x.license_id, str)
        ),
        element_ids=(
            info.spdx_id,
            *(p.spdx_id for p in document.packages),
            *(f.spdx_id for f in document.files),
            *(s.spdx_id for s in document.snippets),
        ),
    )


def _plain(value: Any) -> str | None:
    """A name or text as written; NOASSERTION (a library object here) is no name."""
    return value if isinstance(value, str) and value != "NOASSERTION" else None


def _licence(value: Any) -> str | None:
    from spdx_tools.spdx.model.spdx_no_assertion import SpdxNoAssertion
    from spdx_tools.spdx.model.spdx_none import SpdxNone

    if value is None:
        return None
    if isinstance(value, SpdxNoAssertion):
        return "NOASSERTION"
    if isinstance(value, SpdxNone):
        return "NONE"
    written = value.written if isinstance(value, _verbatim_type()) else str(value)
    return licence_text(written)


@functools.cache
def _verbatim_type() -> type[Any]:
    from license_expression import LicenseExpression

    class Verbatim(LicenseExpression):  # type: ignore[misc]
        """Carries the text as written through spdx-tools' type checks, which want an Expression."""

        def __init__(self, written: str) -> None:
            self.written = written

        def __str__(self) -> str:
            return self.written

    return Verbatim


def _verbatim_licence_parser() -> Any:
    """Stands in for spdx-tools' ``LicenseExpressionParser`` in the JSON/YAML parsers."""
    from spdx_tools.spdx.model.spdx_no_assertion import SpdxNoAssertion
    from spdx_tools.spdx.model.spdx_none import SpdxNone
    from spdx_tools.spdx.parser.error import SPDXParsingError

    verbatim = _verbatim_type()

    class VerbatimParser:
        @staticmethod
        def parse_license_expression(text: Any) -> Any:
            if not isinstance(text, str):
                raise SPDXParsingError([f"licence expression must be a string, got {text!r}"])
            upper = text.strip().upper()
            if upper == "NOASSERTION":
                return SpdxNoAssertion()
            if upper == "NONE":
                return SpdxNone()
            return verbatim(text) if text.strip() else None

    return VerbatimParser()


@functools.cache
def _verbatim_tag_value_parser() -> type[Any]:
    from spdx_tools.spdx.parser.tagvalue import parser as tagvalue

    verbatim = _verbatim_type()
    base: Any = tagvalue.Parser

    class VerbatimParser(base):  # type: ignore[misc]
        def p_license(self, p: Any) -> None:
            p[0] = verbatim(p[1])

        # ply reads each rule from its p_ method's docstring, so the override restates it.
        p_license.__doc__ = "license_or_no_assertion_or_none : LINE"

    return VerbatimParser
