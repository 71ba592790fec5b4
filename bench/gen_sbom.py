"""Write a synthetic SBOM for benchmarks: ``python bench/gen_sbom.py N OUT.json [--seed S] [--format F]``.

``--format``: ``spdx2`` (SPDX 2.3 JSON, the default), ``spdx3`` (SPDX 3.0.1 JSON-LD: one
package, one licence-expression element and one relationship per licence field, as syft and
Yocto write it) or ``cdx17`` (CycloneDX 1.7 JSON: each licence as an expression or an id).
The three carry the same packages and licences.

The licence mix imitates what public-sector SBOMs contain: mostly permissive licences, some weak
and strong copyleft, a few source-available licences, NOASSERTION, missing fields and the
non-SPDX strings that real tools emit. The output is deterministic for a given N and seed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

# (licence text, weight). None means the field is left out.
LICENCE_MIX: tuple[tuple[str | None, int], ...] = (
    ("MIT", 300),
    ("Apache-2.0", 220),
    ("BSD-3-Clause", 90),
    ("ISC", 60),
    ("BSD-2-Clause", 30),
    ("LGPL-2.1-or-later", 20),
    ("LGPL-3.0-only", 10),
    ("GPL-2.0-only", 12),
    ("GPL-3.0-or-later", 12),
    ("MPL-2.0", 20),
    ("EPL-2.0", 10),
    ("AGPL-3.0-only", 4),
    ("SSPL-1.0", 2),
    ("BUSL-1.1", 2),
    ("NOASSERTION", 60),
    (None, 30),
    ("GPL v2", 3),
    ("MIT OR Apache-2.0", 40),
    ("Apache-2.0 WITH LLVM-exception", 5),
    ("(MIT AND BSD-3-Clause) OR ISC", 4),
)

SUPPLIERS = (
    "Organization: Example Foundation",
    "Organization: ACME Corp (oss@acme.example)",
    "Person: Jane Doe",
    "NOASSERTION",
)
ECOSYSTEMS = ("npm", "pypi", "maven", "golang", "cargo")


def _pick(rng: random.Random) -> str | None:
    texts = [text for text, _ in LICENCE_MIX]
    weights = [weight for _, weight in LICENCE_MIX]
    return rng.choices(texts, weights)[0]


def build(n: int, seed: int = 42) -> dict[str, object]:
    """The SBOM as a JSON-ready dict: a root package that DESCRIBES-links to N dependencies."""
    rng = random.Random(seed)
    root = {
        "SPDXID": "SPDXRef-Package-root",
        "name": "generated-app",
        "versionInfo": "1.0.0",
        "downloadLocation": "NOASSERTION",
        "licenseConcluded": "EUPL-1.2",
        "licenseDeclared": "EUPL-1.2",
        "copyrightText": "NOASSERTION",
        "filesAnalyzed": False,
    }
    packages: list[dict[str, object]] = [root]
    relationships: list[dict[str, str]] = [
        {
            "spdxElementId": "SPDXRef-DOCUMENT",
            "relationshipType": "DESCRIBES",
            "relatedSpdxElement": "SPDXRef-Package-root",
        },
    ]
    for i in range(1, n + 1):
        eco = rng.choice(ECOSYSTEMS)
        name = f"pkg{i}"
        version = f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 99)}"
        package: dict[str, object] = {
            "SPDXID": f"SPDXRef-Package-{i}",
            "name": name,
            "versionInfo": version,
            "downloadLocation": "NOASSERTION",
            "filesAnalyzed": False,
            "copyrightText": "NOASSERTION",
            "supplier": rng.choice(SUPPLIERS),
            "externalRefs": [
                {
                    "referenceCategory": "PACKAGE-MANAGER",
                    "referenceType": "purl",
                    "referenceLocator": f"pkg:{eco}/{name}@{version}",
                }
            ],
        }
        declared = _pick(rng)
        if declared is not None:
            package["licenseDeclared"] = declared
        # Most tools either copy the declared licence or say NOASSERTION; some conclude otherwise.
        roll = rng.random()
        if roll < 0.5 and declared is not None:
            package["licenseConcluded"] = declared
        elif roll < 0.8:
            package["licenseConcluded"] = "NOASSERTION"
        elif roll < 0.85:
            concluded = _pick(rng)
            if concluded is not None:
                package["licenseConcluded"] = concluded
        packages.append(package)
        relationships.append(
            {
                "spdxElementId": "SPDXRef-Package-root",
                "relationshipType": "DEPENDS_ON",
                "relatedSpdxElement": f"SPDXRef-Package-{i}",
            }
        )
    return {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": f"generated-{n}",
        "documentNamespace": f"https://example.org/spdx/generated-{n}-{seed}",
        "creationInfo": {"created": "2025-01-01T00:00:00Z", "creators": ["Tool: coopengine-bench"]},
        "packages": packages,
        "relationships": relationships,
    }


def as_spdx3(doc: dict[str, Any]) -> dict[str, Any]:
    """The same packages as SPDX 3.0.1 JSON-LD."""
    base = "https://example.org/spdx3/generated/"
    graph: list[dict[str, Any]] = [
        {"@id": "_:ci", "type": "CreationInfo", "specVersion": "3.0.1", "created": "2025-01-01T00:00:00Z",
         "createdBy": [base + "tool"]},
        {"type": "Tool", "spdxId": base + "tool", "creationInfo": "_:ci", "name": "coopengine-bench"},
        {"type": "SpdxDocument", "spdxId": base + "doc", "creationInfo": "_:ci", "name": doc["name"],
         "rootElement": [base + "SPDXRef-Package-root"]},
    ]
    suppliers: dict[str, str] = {}
    for p in doc["packages"]:
        key = base + p["SPDXID"]
        element: dict[str, Any] = {"type": "software_Package", "spdxId": key, "creationInfo": "_:ci",
                                   "name": p["name"], "software_packageVersion": p["versionInfo"]}
        supplier = p.get("supplier", "NOASSERTION")
        if supplier != "NOASSERTION":
            agent = suppliers.setdefault(supplier, f"{base}agent-{len(suppliers)}")
            element["suppliedBy"] = agent
        for ref in p.get("externalRefs", []):
            element["software_packageUrl"] = ref["referenceLocator"]
        graph.append(element)
        for field, kind in (("licenseConcluded", "hasConcludedLicense"), ("licenseDeclared", "hasDeclaredLicense")):
            if field in p:
                graph.append({"type": "simplelicensing_LicenseExpression", "spdxId": f"{key}-{field}",
                              "creationInfo": "_:ci", "simplelicensing_licenseExpression": p[field],
                              "simplelicensing_licenseListVersion": "3.26.0"})
                graph.append({"type": "Relationship", "spdxId": f"{key}-{kind}", "creationInfo": "_:ci",
                              "from": key, "relationshipType": kind, "to": [f"{key}-{field}"]})
    for text, agent in suppliers.items():
        name = text.split(":", 1)[1].split("(")[0].strip()
        graph.append({"type": "Organization", "spdxId": agent, "creationInfo": "_:ci", "name": name})
    return {"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": graph}


def as_cdx17(doc: dict[str, Any]) -> dict[str, Any]:
    """The same packages as CycloneDX 1.7 JSON (the concluded licence acknowledged as such)."""
    components = []
    for p in doc["packages"][1:]:
        component: dict[str, Any] = {"type": "library", "bom-ref": p["SPDXID"], "name": p["name"],
                                     "version": p["versionInfo"]}
        licences = []
        for field, ack in (("licenseConcluded", "concluded"), ("licenseDeclared", "declared")):
            text = p.get(field)
            if text and text != "NOASSERTION":
                single = " " not in text and "(" not in text
                licences.append({"license": {"id": text, "acknowledgement": ack}} if single
                                else {"expression": text, "acknowledgement": ack})
        if licences:
            component["licenses"] = licences
        for ref in p.get("externalRefs", []):
            component["purl"] = ref["referenceLocator"]
        components.append(component)
    return {"bomFormat": "CycloneDX", "specVersion": "1.7", "version": 1,
            "metadata": {"component": {"type": "application", "name": "generated-app"}},
            "components": components}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of third-party packages")
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--format", choices=("spdx2", "spdx3", "cdx17"), default="spdx2")
    args = parser.parse_args(argv)
    doc = build(args.n, args.seed)
    if args.format == "spdx3":
        doc = as_spdx3(doc)
    elif args.format == "cdx17":
        doc = as_cdx17(doc)
    with args.out.open("w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
