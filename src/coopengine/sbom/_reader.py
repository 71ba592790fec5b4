"""From a path to an :class:`Sbom`: load, sniff, dispatch to the reader for the format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .._gc import paused
from . import _cdx, _json, _spdx
from ._model import Sbom, SbomFormat
from ._source import EXPECTED_FORMATS, Source, load, sniff

_RDF_ROOT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"
_SPDX_RDF_NAMESPACE = "http://spdx.org/rdf/terms#"


def read(path: str | Path, max_bytes: int, *, reference: bool = False, strict: bool = False) -> Sbom:
    """Read an SBOM; ``reference=True`` reads JSON and tag-value through the libraries (for the
    agreement tests); ``strict`` refuses what the lenient reading only warns about
    (see :meth:`Source.lenient`)."""
    return read_source(load(path, max_bytes, strict), reference=reference)


def read_source(source: Source, *, reference: bool = False) -> Sbom:
    """The SBOM in an already loaded source (a file's text, or text given in memory)."""
    strict = source.strict
    syntax = sniff(source)
    if syntax == "json":
        with paused():
            return _read_json(source, reference)
    if syntax == "xml":
        return _read_xml(source)
    from . import _spdx_tools

    if syntax == "tag-value":
        if strict or reference:
            return _finish_spdx(source, "spdx-tag-value", _spdx_tools.read_tag_value(source))
        from . import _spdx_tag_value

        return _finish_spdx(source, "spdx-tag-value", _spdx_tag_value.read(source))
    from . import _yaml

    data = _yaml.load(source)
    if not isinstance(data, dict) or "spdxVersion" not in data:
        raise source.error(
            "unknown SBOM format: YAML without a top-level 'spdxVersion'", expected=EXPECTED_FORMATS
        )
    _spdx.check_version(str(data["spdxVersion"]), source)
    return _finish_spdx(source, "spdx-yaml", _spdx_tools.read_dict(source, data))


def _read_json(source: Source, reference: bool) -> Sbom:
    data = _json.decode(source)
    if not isinstance(data, dict):
        raise source.error(
            f"unknown SBOM format: the JSON top level is {type(data).__name__}, not an object",
            line=1,
            expected=EXPECTED_FORMATS,
        )
    if "spdxVersion" in data:
        _spdx.check_version(str(data["spdxVersion"]), source)
        if reference:
            from . import _spdx_tools

            return _finish_spdx(source, "spdx-json", _spdx_tools.read_dict(source, data))
        from . import _spdx_json

        return _finish_spdx(source, "spdx-json", _spdx_json.read(source, data))
    from . import _spdx3

    if _spdx3.is_spdx3(data):
        return _finish_spdx(source, "spdx-jsonld", _spdx3.read(source, data), version=None)
    if data.get("bomFormat") == "CycloneDX":
        if reference:
            from . import _cyclonedx

            return _finish_cdx(source, "cyclonedx-json", _cyclonedx.read_json(source, data))
        from . import _cyclonedx_json

        return _finish_cdx(source, "cyclonedx-json", _cyclonedx_json.read(source, data))
    raise source.error(
        'unknown SBOM format: JSON without \'spdxVersion\' or "bomFormat": "CycloneDX"',
        line=1,
        expected=EXPECTED_FORMATS,
        hint=_json_hint(data),
    )


def _read_xml(source: Source) -> Sbom:
    from . import _xml

    root = _xml.parse(source)
    if root.tag == _RDF_ROOT:
        if _SPDX_RDF_NAMESPACE not in source.text:
            raise source.error(
                "unknown SBOM format: RDF without the SPDX namespace", expected=EXPECTED_FORMATS
            )
        from . import _spdx_tools

        doc = _spdx_tools.read_rdf(source)
        _spdx.check_version(doc.spdx_version, source)
        return _finish_spdx(source, "spdx-rdf", doc)
    if root.tag.startswith("{" + _cdx.NAMESPACE_PREFIX) and root.tag.endswith("}bom"):
        from . import _cyclonedx

        return _finish_cdx(source, "cyclonedx-xml", _cyclonedx.read_xml(source, root))
    if root.tag == "Document" and root.find("spdxVersion") is not None:
        from . import _spdx_tools

        doc = _spdx_tools.read_xml(source)
        _spdx.check_version(doc.spdx_version, source)
        return _finish_spdx(source, "spdx-xml", doc)
    raise source.error(
        f"unknown SBOM format: XML root element {root.tag!r}",
        line=1,
        expected=EXPECTED_FORMATS,
        hint="SPDX XML has a <Document> root with an <spdxVersion>" if root.tag.endswith("Document") else None,
    )


def _finish_spdx(source: Source, fmt: SbomFormat, doc: _spdx.SpdxDocument, *, version: str | None = "") -> Sbom:
    """``version=None``: SPDX 3, whose version the reader has checked already."""
    return Sbom(
        path=source.path,
        format=fmt,
        spec_version=_spdx.check_version(doc.spdx_version, source) if version is not None else doc.spdx_version,
        name=doc.name,
        components=_spdx.components(doc, source),
        sha256=source.sha256,
        warnings=tuple(source.warnings),
        licence_refs=doc.licence_refs,
        licence_list_version=doc.licence_list_version,
    )


def _finish_cdx(source: Source, fmt: SbomFormat, bom: _cdx.CdxBom) -> Sbom:
    return Sbom(
        path=source.path,
        format=fmt,
        spec_version=bom.spec_version,
        name=bom.name,
        components=_cdx.components(bom, source),
        sha256=source.sha256,
        warnings=tuple(source.warnings),
        licence_refs=bom.licence_refs,
    )


def _json_hint(data: dict[str, Any]) -> str | None:
    if "spdxversion" in {k.lower() for k in data}:
        return "the key is spelled 'spdxVersion'"
    if "specVersion" in data or "components" in data:
        return 'a CycloneDX BOM needs "bomFormat": "CycloneDX"'
    if "@context" in data:
        return "an SPDX 3 document's '@context' names https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
    return None
