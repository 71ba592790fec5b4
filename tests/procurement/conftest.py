"""Helpers for the procurement tests: tiny SBOMs written on the fly, the example folder."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "tenders"

# (name, licence text or None, supplier or None)
Package = tuple[str, str | None, str | None]


def spdx_doc(packages: Sequence[Package]) -> dict[str, object]:
    out: list[dict[str, object]] = []
    for i, (name, licence, supplier) in enumerate(packages, 1):
        pkg: dict[str, object] = {"name": name, "SPDXID": f"SPDXRef-Package-{i}", "versionInfo": f"1.{i}.0",
                                  "downloadLocation": "NOASSERTION", "filesAnalyzed": False}
        if licence is not None:
            pkg["licenseConcluded"] = licence
        if supplier is not None:
            pkg["supplier"] = f"Organization: {supplier}"
        out.append(pkg)
    return {"spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
            "name": "test-sbom", "documentNamespace": "https://example.org/spdx/test",
            "creationInfo": {"created": "2025-01-01T00:00:00Z", "creators": ["Tool: tests"]},
            "packages": out}


@pytest.fixture()
def write_sbom(tmp_path: Path) -> Callable[..., Path]:
    """Write an SPDX 2.3 JSON SBOM with the given packages; returns its path."""

    def write(packages: Sequence[Package], name: str = "sbom.spdx.json") -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(spdx_doc(packages), indent=1, ensure_ascii=False), encoding="utf-8")
        return path

    return write


@pytest.fixture()
def write_tender(tmp_path: Path) -> Callable[..., Path]:
    """Write a tender file with the given requirement bodies (one rule each)."""

    def write(rules: dict[str, str], deliverable: str = "EUPL-1.2", name: str = "t.coop") -> Path:
        body = "\n".join(f'  requirement {rid} "Requirement {rid}" ref "{n}" {{\n    {rule}\n  }}'
                         for n, (rid, rule) in enumerate(rules.items(), 1))
        text = (f'party buyer "Test buyer" kind city jurisdiction FR\n\n'
                f'tender t1 "Test tender" {{\n  buyer buyer\n  deliverable "{deliverable}"\n{body}\n}}\n')
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
