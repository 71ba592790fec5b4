"""Write a synthetic SPDX 2.3 JSON SBOM for benchmarks: ``python bench/gen_sbom.py N OUT.json [--seed S]``.

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of third-party packages")
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    with args.out.open("w", encoding="utf-8") as fh:
        json.dump(build(args.n, args.seed), fh, indent=1)
        fh.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
