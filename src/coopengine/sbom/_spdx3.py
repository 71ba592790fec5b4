"""SPDX 3.0 JSON-LD read with the stdlib (Yocto's default; syft and cdxgen can write it).

Why not a library: spdx-tools 0.8 does not read SPDX 3. The maintained model package,
spdx-python-model 0.0.6 (SPDX's generated bindings), deserialised a generated
10,000-package document in 9.1 s (import 0.5 s) on the 2-core development machine, loaded;
the whole ``coop sbom`` budget for 10,000 components is 3 s. So this module reads the compact
JSON-LD that the SPDX 3.0.1 context defines, as every producer writes it, and is tested
against the SPDX project's own examples (``tests/data/real/spdx-examples-*``) and the
components an independent count of their ``@graph`` gives.

What it reads, in SPDX 2 terms so that one set of rules (:mod:`._spdx`) decides for both:

* packages: ``software_Package`` and its subclasses ``ai_AIPackage``, ``dataset_DatasetPackage``,
  with name, ``software_packageVersion``, ``suppliedBy`` (the agent's name) and the purl
  (``software_packageUrl`` or an ``externalIdentifier`` of type ``packageUrl``);
* licences: ``hasConcludedLicense`` / ``hasDeclaredLicense`` relationships to a
  ``simplelicensing_LicenseExpression`` (its text), a listed licence's IRI
  (``https://spdx.org/licenses/MIT``), the ``NoAssertionLicense``/``NoneLicense`` individuals, or
  ``expandedlicensing_`` sets and operators (rendered as an expression). Several targets of one
  kind are all stated, so they are joined with AND;
* custom licences (``expandedlicensing_CustomLicense``, via ``simplelicensing_customIdToUri``)
  become the document's own LicenseRef-s, with name and text;
* the product: the document's ``rootElement`` (through an ``software_Sbom``'s own root elements)
  and ``describes`` relationships, like SPDX 2's DESCRIBES;
* scopes: ``LifecycleScopedRelationship`` ``dependsOn`` with a ``scope``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ._model import Component, LicenceRef
from ._source import Source
from ._spdx import SpdxDocument, licence_text, package

SUPPORTED_VERSIONS = ("3.0.0", "3.0.1")
_PACKAGE_TYPES = frozenset({"software_Package", "ai_AIPackage", "dataset_DatasetPackage"})
_BOM_TYPES = frozenset({"software_Sbom", "Bom", "Bundle"})
_LISTED = "https://spdx.org/licenses/"
_SPECIAL = {
    "NoAssertionLicense": "NOASSERTION",
    "NoneLicense": "NONE",
}
# The SPDX 3 lifecycle scopes onto the engine's scopes; anything else counts (runtime).
LIFECYCLE = {"runtime": "runtime", "build": "build", "test": "test", "development": "dev", "design": "dev"}
_MAX_DEPTH = 64


def is_spdx3(data: Mapping[str, Any]) -> bool:
    context = data.get("@context")
    contexts = context if isinstance(context, list) else [context]
    return any(isinstance(c, str) and "spdx.org/rdf/3." in c for c in contexts)


def read(source: Source, data: Mapping[str, Any]) -> SpdxDocument:
    """The document in SPDX 2 terms, with the scope of each package a lifecycle relationship names."""
    return _Reader(source, data).document()


def _id(element: Mapping[str, Any]) -> str | None:
    value = element.get("spdxId", element.get("@id"))
    return value if isinstance(value, str) else None


def _type(element: Mapping[str, Any]) -> str:
    value = element.get("type", element.get("@type"))
    return value if isinstance(value, str) else ""


def _ids(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


class _Reader:
    def __init__(self, source: Source, data: Mapping[str, Any]) -> None:
        self.source = source
        graph = data.get("@graph")
        if not isinstance(graph, list):
            raise source.error("an SPDX 3 document needs a '@graph' list", line=1,
                               expected="SPDX 3.0 JSON-LD with '@context' and '@graph'")
        self.elements: dict[str, dict[str, Any]] = {}
        self.order: list[dict[str, Any]] = []
        for element in graph:
            if not isinstance(element, dict):
                continue
            self.order.append(element)
            key = _id(element)
            if key is not None:
                self.elements[key] = element
        self.refs: dict[str, LicenceRef] = {}
        self.skipped: list[str] = []
        self.list_versions: set[str] = set()

    def document(self) -> SpdxDocument:
        docs = [e for e in self.order if _type(e) == "SpdxDocument"]
        doc = docs[0] if docs else {}
        version = self.version()
        concluded: dict[str, list[str]] = {}
        declared: dict[str, list[str]] = {}
        described: set[str] = set()
        scopes: dict[str, str] = {}
        for rel in self.order:
            kind = _type(rel)
            if kind not in ("Relationship", "LifecycleScopedRelationship"):
                continue
            rtype, origin, targets = rel.get("relationshipType"), rel.get("from"), _ids(rel.get("to"))
            if rtype == "hasConcludedLicense" and isinstance(origin, str):
                concluded.setdefault(origin, []).extend(targets)
            elif rtype == "hasDeclaredLicense" and isinstance(origin, str):
                declared.setdefault(origin, []).extend(targets)
            elif rtype == "describes" and origin == _id(doc):
                described.update(targets)
            elif kind == "LifecycleScopedRelationship" and rtype == "dependsOn":
                scope = LIFECYCLE.get(str(rel.get("scope")), "runtime")
                for target in targets:
                    # A component any relationship needs at run time counts as runtime.
                    if scopes.get(target) != "runtime":
                        scopes[target] = scope
        for root in _ids(doc.get("rootElement")):
            described.add(root)
            element = self.elements.get(root, {})
            if _type(element) in _BOM_TYPES:
                described.update(_ids(element.get("rootElement")))
        packages = tuple(
            self.package(e, concluded.get(key, []), declared.get(key, []), scopes.get(key, "runtime"))
            for e in self.order if _type(e) in _PACKAGE_TYPES and (key := _id(e)) is not None
        )
        if self.skipped:
            more = f" (and {len(self.skipped) - 1} more)" if len(self.skipped) > 1 else ""
            self.source.lenient(f"licence elements not found in the document are read as NOASSERTION: "
                                f"{self.skipped[0]}{more}")
        name = doc.get("name")
        return SpdxDocument(
            spdx_version=version,
            spdx_id=_id(doc) or "",
            name=name if isinstance(name, str) else None,
            packages=packages,
            described=frozenset(described),
            element_ids=(),
            licence_refs=tuple(self.refs.values()),
            licence_list_version=", ".join(sorted(self.list_versions)) or None,
        )

    def version(self) -> str:
        for element in self.order:
            if _type(element) == "CreationInfo":
                value = element.get("specVersion")
                if isinstance(value, str) and value in SUPPORTED_VERSIONS:
                    return value
                raise self.source.error(f"unsupported SPDX version {value!r}",
                                        expected="SPDX " + " or ".join(SUPPORTED_VERSIONS))
        raise self.source.error("an SPDX 3 document needs a CreationInfo with its specVersion",
                                expected="a CreationInfo element with 'specVersion': '3.0.1'")

    def package(self, e: dict[str, Any], concluded: list[str], declared: list[str], scope: str) -> Component:
        key = _id(e) or ""
        name = e.get("name")
        version = e.get("software_packageVersion")
        return package(
            key,
            name if isinstance(name, str) else key,
            version if isinstance(version, str) else None,
            self.licences(concluded),
            self.licences(declared),
            self.agent(e.get("suppliedBy")),
            self.purl(e),
            scope,
        )

    def licences(self, targets: list[str]) -> str | None:
        texts = [t for t in (self.licence(x, 0) for x in targets) if t]
        if not texts:
            return None
        if len(texts) == 1:
            return licence_text(texts[0])
        return " AND ".join(f"({t})" for t in texts)

    def licence(self, ref: str, depth: int) -> str | None:
        """One licence node as expression text."""
        if depth > _MAX_DEPTH:
            raise self.source.error("licence sets nested too deeply", expected=f"at most {_MAX_DEPTH} levels")
        special = ref.rsplit("/", 1)[-1]
        if special in _SPECIAL and "spdx.org/rdf/3." in ref:
            return _SPECIAL[special]
        element = self.elements.get(ref)
        if element is None:
            if ref.startswith(_LISTED):
                return ref[len(_LISTED):]
            self.skipped.append(ref)
            return "NOASSERTION"
        return self.node(element, depth)

    def node(self, e: dict[str, Any], depth: int) -> str | None:
        kind = _type(e)
        if kind == "simplelicensing_LicenseExpression":
            self.custom_ids(e)
            version = e.get("simplelicensing_licenseListVersion")
            if isinstance(version, str):
                self.list_versions.add(version)
            text = e.get("simplelicensing_licenseExpression")
            return text if isinstance(text, str) else None
        if kind == "expandedlicensing_ListedLicense":
            return (_id(e) or "").removeprefix(_LISTED) or None
        if kind in ("expandedlicensing_CustomLicense", "expandedlicensing_CustomLicenseAddition"):
            return self.custom(e, "LicenseRef-" if kind.endswith("License") else "AdditionRef-")
        if kind in ("expandedlicensing_ConjunctiveLicenseSet", "expandedlicensing_DisjunctiveLicenseSet"):
            parts = [self.licence(m, depth + 1) for m in _ids(e.get("expandedlicensing_member"))]
            word = " AND " if "Conjunctive" in kind else " OR "
            return word.join(f"({p})" for p in parts if p) or None
        if kind == "expandedlicensing_OrLaterOperator":
            inner = self.licence(str(e.get("expandedlicensing_subjectLicense")), depth + 1)
            return f"{inner}+" if inner else None
        if kind == "expandedlicensing_WithAdditionOperator":
            subject = self.licence(str(e.get("expandedlicensing_subjectExtendableLicense")), depth + 1)
            addition = self.licence(str(e.get("expandedlicensing_subjectAddition")), depth + 1)
            return f"{subject} WITH {addition}" if subject and addition else subject
        if kind == "expandedlicensing_ListedLicenseException":
            return (_id(e) or "").rsplit("/", 1)[-1] or None
        return None

    def custom_ids(self, expression: dict[str, Any]) -> None:
        """``simplelicensing_customIdToUri``: the LicenseRef-s an expression names, and their elements."""
        for entry in expression.get("simplelicensing_customIdToUri") or []:
            if not isinstance(entry, dict):
                continue
            ref, target = entry.get("key"), entry.get("value")
            if isinstance(ref, str) and isinstance(target, str) and ref not in self.refs:
                element = self.elements.get(target, {})
                self.refs[ref] = self.described(ref, element)

    def custom(self, e: dict[str, Any], prefix: str) -> str:
        key = _id(e) or ""
        tail = key.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        ref = tail if tail.startswith(prefix) else prefix + re.sub(r"[^A-Za-z0-9.\-]", "-", tail or "custom")
        if ref not in self.refs:
            self.refs[ref] = self.described(ref, e)
        return ref

    @staticmethod
    def described(ref: str, e: Mapping[str, Any]) -> LicenceRef:
        name, text = e.get("name"), e.get("simplelicensing_licenseText")
        see_also = _ids(e.get("expandedlicensing_seeAlso"))
        return LicenceRef(ref, name if isinstance(name, str) else None, text if isinstance(text, str) else None,
                          see_also[0] if see_also else None)

    def agent(self, value: object) -> str | None:
        keys = _ids(value)
        element = self.elements.get(keys[0]) if keys else None
        name = element.get("name") if element else None
        return name if isinstance(name, str) else None

    @staticmethod
    def purl(e: Mapping[str, Any]) -> str | None:
        value = e.get("software_packageUrl")
        if isinstance(value, str):
            return value
        for ident in e.get("externalIdentifier") or []:
            if isinstance(ident, dict) and ident.get("externalIdentifierType") == "packageUrl":
                found = ident.get("identifier")
                if isinstance(found, str):
                    return found
        return None
