"""The package's only importer of cyclonedx-python-lib.

The library reads CycloneDX XML in production and CycloneDX JSON as the reference for the fast
path. Its ``Bom`` keeps components in a sorted set, so components are deserialised one by one
while this module walks the document, which keeps them in the document's order.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from ._cdx import NAMESPACE_PREFIX, CdxBom, CdxComponent, CdxLicence, check_version, expression_details
from ._model import LicenceRef
from ._source import Source

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element


def read_xml(source: Source, root: Element) -> CdxBom:
    from cyclonedx.model import component

    lib_component: Any = component.Component
    namespace = root.tag[1:].split("}", 1)[0]
    version = check_version(namespace.removeprefix(NAMESPACE_PREFIX), source)
    ns = "{" + namespace + "}"

    def children(element: Element) -> list[Element]:
        holder = element.find(f"{ns}components")
        return [] if holder is None else holder.findall(f"{ns}component")

    name = None
    meta = root.find(f"{ns}metadata/{ns}component")
    if meta is not None:
        name_element = meta.find(f"{ns}name")
        name = name_element.text if name_element is not None else None

    out: list[CdxComponent] = []

    def walk(elements: list[Element], where: str) -> None:
        for i, element in enumerate(elements):
            here = f"{where}[{i}]"
            build = partial(lib_component.from_xml, element, default_namespace=namespace)
            out.append(_guarded(source, here, build))
            walk(children(element), f"{here}.components")

    walk(children(root), "components")
    return CdxBom(spec_version=version, name=name, components=tuple(out))


def read_json(source: Source, data: dict[str, Any]) -> CdxBom:
    from cyclonedx.model import component

    lib_component: Any = component.Component
    version = check_version(data.get("specVersion"), source)
    meta = (data.get("metadata") or {}).get("component")
    name = (
        _guarded(source, "metadata.component", partial(lib_component.from_json, meta)).name if meta else None
    )
    out: list[CdxComponent] = []
    refs: list[LicenceRef] = []

    def walk(items: list[dict[str, Any]], where: str) -> None:
        for i, item in enumerate(items):
            here = f"{where}[{i}]"
            out.append(_guarded(source, here, partial(lib_component.from_json, item)))
            # The library does not model 1.7's expressionDetails; they are read from the same dict.
            for choice in item.get("licenses") or []:
                refs.extend(expression_details(choice.get("expressionDetails")))
            walk(item.get("components") or [], f"{here}.components")

    walk(data.get("components") or [], "components")
    return CdxBom(spec_version=version, name=name, components=tuple(out), licence_refs=tuple(refs))


def _guarded(source: Source, where: str, build: Callable[[], Any]) -> Any:
    try:
        # The library warns about deprecated fields (``author`` in 1.6) on stderr; whoever reads
        # an SBOM cannot change it, and the licence decision does not use those fields.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lib = build()
    except (Exception, SystemExit) as err:  # noqa: BLE001 - any library failure on bad input is an InputError
        raise source.error(
            f"{where}: invalid CycloneDX component ({type(err).__name__}: {err})",
            expected="a CycloneDX component with at least 'type' and 'name'",
        ) from err
    if lib is None or not lib.name:
        raise source.error(f"{where}: required field 'name' is missing", expected="a string")
    return _convert(lib)


def _convert(lib: Any) -> CdxComponent:
    from cyclonedx.model.license import LicenseExpression

    licences = []
    for entry in lib.licenses:
        ack = entry.acknowledgement.value if entry.acknowledgement is not None else None
        if isinstance(entry, LicenseExpression):
            licences.append(CdxLicence(text=entry.value, acknowledgement=ack))
        else:
            text = entry.id or entry.name or (str(entry.url) if entry.url is not None else "")
            licences.append(CdxLicence(text=text, acknowledgement=ack))
    return CdxComponent(
        bom_ref=lib.bom_ref.value,
        name=lib.name,
        version=lib.version,
        licences=tuple(licences),
        supplier=lib.supplier.name if lib.supplier is not None else None,
        purl=lib.purl.to_string() if lib.purl is not None else None,
        kind=lib.type.value if lib.type is not None else None,
        scope=lib.scope.value if lib.scope is not None else None,
    )
