"""SPDX 3.0.1 JSON-LD: a document written for each feature the reader claims, by hand.

The SPDX project's own examples are run in ``tests/sbom/test_real_sboms.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from coopengine.errors import InputError
from coopengine.procurement import check_sbom
from coopengine.sbom import read_sbom

BASE = "https://example.org/spdx3/"
CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"


def _element(kind: str, key: str, **fields: Any) -> dict[str, Any]:
    return {"type": kind, "spdxId": BASE + key, "creationInfo": "_:ci", **fields}


def _rel(kind: str, origin: str, *to: str, **fields: Any) -> dict[str, Any]:
    return _element(fields.pop("element_type", "Relationship"), f"rel-{origin}-{kind}-{to[0].rsplit('/', 1)[-1]}",
                    relationshipType=kind, **{"from": BASE + origin},
                    to=[t if t.startswith("http") else BASE + t for t in to], **fields)


def _document() -> dict[str, Any]:
    graph = [
        {"@id": "_:ci", "type": "CreationInfo", "specVersion": "3.0.1", "created": "2026-01-01T00:00:00Z",
         "createdBy": [BASE + "tool"]},
        _element("Organization", "acme", name="ACME"),
        _element("SpdxDocument", "doc", name="demo", rootElement=[BASE + "sbom"]),
        _element("software_Sbom", "sbom", rootElement=[BASE + "app"]),
        _element("software_Package", "app", name="app", software_packageVersion="1.0"),
        _element("software_Package", "lib", name="lib", software_packageVersion="2.1", suppliedBy=BASE + "acme",
                 software_packageUrl="pkg:pypi/lib@2.1"),
        _element("software_Package", "tool", name="tool",
                 externalIdentifier=[{"type": "ExternalIdentifier", "externalIdentifierType": "packageUrl",
                                      "identifier": "pkg:pypi/tool@1"}]),
        _element("ai_AIPackage", "model", name="model"),
        _element("software_Package", "custom", name="custom"),
        _element("simplelicensing_LicenseExpression", "expr-mit", simplelicensing_licenseExpression="MIT",
                 simplelicensing_licenseListVersion="3.26.0"),
        _element("simplelicensing_LicenseExpression", "expr-custom",
                 simplelicensing_licenseExpression="LicenseRef-Acme AND Apache-2.0",
                 simplelicensing_customIdToUri=[{"type": "DictionaryEntry", "key": "LicenseRef-Acme",
                                                 "value": BASE + "acme-licence"}]),
        _element("expandedlicensing_CustomLicense", "acme-licence", name="ASL 2.0",
                 simplelicensing_licenseText="The ACME licence text."),
        _element("expandedlicensing_DisjunctiveLicenseSet", "either",
                 expandedlicensing_member=["https://spdx.org/licenses/GPL-2.0-only", BASE + "expr-mit"]),
        _rel("hasConcludedLicense", "lib", "expr-mit"),
        _rel("hasDeclaredLicense", "tool", "https://spdx.org/licenses/Apache-2.0"),
        _rel("hasConcludedLicense", "model", "either"),
        _rel("hasConcludedLicense", "custom", "expr-custom"),
        _rel("hasConcludedLicense", "app",
             "https://spdx.org/rdf/3.0.1/terms/Expanded Licensing/NoAssertionLicense"),
        _rel("dependsOn", "app", "tool", element_type="LifecycleScopedRelationship", scope="build"),
        _rel("dependsOn", "app", "lib", element_type="LifecycleScopedRelationship", scope="runtime"),
    ]
    return {"@context": CONTEXT, "@graph": graph}


def _write(tmp_path: Path, doc: dict[str, Any]) -> Path:
    path = tmp_path / "doc.spdx3.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_packages_licences_suppliers_and_purls(tmp_path: Path) -> None:
    sbom = read_sbom(_write(tmp_path, _document()))
    assert (sbom.format, sbom.spec_version, sbom.name) == ("spdx-jsonld", "3.0.1", "demo")
    assert sbom.licence_list_version == "3.26.0"
    by_name = {c.name: c for c in sbom.components}
    # The root element (through the Sbom's own root) is the product, not a component.
    assert sorted(by_name) == ["custom", "lib", "model", "tool"]
    assert (by_name["lib"].licence, by_name["lib"].licence_field) == ("MIT", "concluded")
    assert (by_name["lib"].supplier, by_name["lib"].purl) == ("ACME", "pkg:pypi/lib@2.1")
    assert (by_name["tool"].licence, by_name["tool"].licence_field) == ("Apache-2.0", "declared")
    assert by_name["tool"].purl == "pkg:pypi/tool@1"
    assert by_name["model"].licence == "(GPL-2.0-only) OR (MIT)"


def test_lifecycle_scopes(tmp_path: Path) -> None:
    scopes = {c.name: c.scope for c in read_sbom(_write(tmp_path, _document())).components}
    assert scopes == {"lib": "runtime", "tool": "build", "model": "runtime", "custom": "runtime"}


def test_a_custom_licence_is_a_described_licenseref_read_through_the_name_table(tmp_path: Path) -> None:
    sbom = read_sbom(_write(tmp_path, _document()))
    [ref] = sbom.licence_refs
    assert (ref.id, ref.name, ref.text) == ("LicenseRef-Acme", "ASL 2.0", "The ACME licence text.")
    custom = next(cv for cv in check_sbom(sbom, "Apache-2.0").components if cv.component.name == "custom")
    assert custom.finding.expression == "Apache-2.0"
    assert custom.verdict == "compatible"


def test_unsupported_version_is_refused(tmp_path: Path) -> None:
    doc = _document()
    doc["@graph"][0]["specVersion"] = "2.9"
    with pytest.raises(InputError, match="unsupported SPDX version"):
        read_sbom(_write(tmp_path, doc))


def test_a_missing_graph_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="'@graph'"):
        read_sbom(_write(tmp_path, {"@context": CONTEXT}))
