"""What the fast ``coop sbom`` path (issue 16) must keep: the same components, warnings, errors and bytes.

The SPDX readers build each package's Component once (``_spdx.package``), the JSON reader takes
the relationships before the packages (scopes), the report writer encodes a component's own
fields directly, the input is hashed on a second thread, and ``coopengine.procurement`` no longer
loads the agreement language. Each test below pins down one thing those changes could break.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopengine.cli.common import dump_json
from coopengine.errors import InputError
from coopengine.explain_procurement import sbom_json
from coopengine.procurement import check_sbom
from coopengine.sbom import read_sbom, read_sbom_data

SRC = Path(__file__).resolve().parents[2] / "src"


def _package(n: int, **fields: Any) -> dict[str, Any]:
    return {"SPDXID": f"SPDXRef-p{n}", "name": f"p{n}", "downloadLocation": "NOASSERTION", **fields}


def _document(packages: list[dict[str, Any]], relationships: list[Any] | Any, *,
              relationships_first: bool = False) -> str:
    head = {"spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "doc",
            "documentNamespace": "https://example.org/doc",
            "creationInfo": {"created": "2025-01-01T00:00:00Z", "creators": ["Tool: test"]}}
    parts = [("relationships", relationships), ("packages", packages)]
    body = dict(parts if relationships_first else parts[::-1])
    return json.dumps({**head, **body}, indent=1)


SCOPED = [_package(1, licenseConcluded="MIT"), _package(2, licenseDeclared="GPL-2.0-only"),
          _package(3, licenseConcluded="NOASSERTION", licenseDeclared="Apache-2.0")]
SCOPED_RELATIONSHIPS = [
    {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-p1"},
    {"spdxElementId": "SPDXRef-p2", "relationshipType": "DEV_DEPENDENCY_OF", "relatedSpdxElement": "SPDXRef-p1"},
    {"spdxElementId": "SPDXRef-p3", "relationshipType": "BUILD_DEPENDENCY_OF", "relatedSpdxElement": "SPDXRef-p1"},
]


@pytest.mark.parametrize("relationships_first", [False, True])
def test_scopes_come_from_relationships_wherever_the_file_puts_them(relationships_first: bool) -> None:
    sbom = read_sbom_data(_document(SCOPED, SCOPED_RELATIONSHIPS, relationships_first=relationships_first))
    # p1 is the document's subject (DESCRIBES), so it is not a component.
    assert [(c.id, c.licence, c.licence_field, c.scope) for c in sbom.components] == [
        ("SPDXRef-p2", "GPL-2.0-only", "declared", "dev"),
        ("SPDXRef-p3", "Apache-2.0", "declared", "build"),
    ]


def test_a_package_problem_is_reported_before_a_relationship_problem() -> None:
    # The order is the reader's (document, packages, relationships), not the file's.
    packages = [{"SPDXID": "SPDXRef-p1", "name": "p1", "licenseConcluded": "MIT"}]  # no downloadLocation
    broken = [{"spdxElementId": "SPDXRef-p1", "relationshipType": "DEPENDS_ON"}]  # no related element
    sbom = read_sbom_data(_document(packages, broken, relationships_first=True))
    assert [w.message.split(":")[0] for w in sbom.warnings] == [
        "packages lack the required 'downloadLocation'",
        "a relationship lacks 'spdxElementId', 'relationshipType' or 'relatedSpdxElement' and is ignored",
    ]
    assert [c.id for c in sbom.components] == ["SPDXRef-p1"]


def test_a_malformed_relationship_does_not_describe_or_scope_anything() -> None:
    packages = [_package(1, licenseConcluded="MIT"), _package(2, licenseConcluded="GPL-3.0-only")]
    broken = [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES"},
              {"spdxElementId": "SPDXRef-p2", "relationshipType": "DEV_DEPENDENCY_OF", "relatedSpdxElement": 7}]
    sbom = read_sbom_data(_document(packages, broken))
    assert [(c.id, c.scope) for c in sbom.components] == [("SPDXRef-p1", "runtime"), ("SPDXRef-p2", "runtime")]


def test_a_package_error_is_refused_before_a_relationships_value_of_the_wrong_type() -> None:
    packages = [_package(1, licenseConcluded=["MIT"])]
    with pytest.raises(InputError, match="licenseConcluded' has the wrong type"):
        read_sbom_data(_document(packages, {"not": "a list"}, relationships_first=True))
    with pytest.raises(InputError, match="'relationships' has the wrong type"):
        read_sbom_data(_document([_package(1, licenseConcluded="MIT")], {"not": "a list"}))


def test_repeated_packages_count_once_and_every_spdx_reader_agrees(tmp_path: Path) -> None:
    # syft 0.26 lists a package once per place it found it: same id, same content.
    packages = [_package(1, licenseConcluded="MIT"), _package(1, licenseConcluded="MIT"),
                _package(2, licenseDeclared="ISC")]
    path = tmp_path / "repeated.spdx.json"
    path.write_text(_document(packages, []), encoding="utf-8")
    sbom = read_sbom(path)
    assert [c.id for c in sbom.components] == ["SPDXRef-p1", "SPDXRef-p2"]
    assert "duplicate SPDX id 'SPDXRef-p1'" in sbom.warnings[0].message

    from coopengine.sbom._reader import read

    reference = read(path, 10_000_000, reference=True)
    assert reference.components == sbom.components


def test_the_sha256_is_that_of_the_file_bytes(tmp_path: Path) -> None:
    path = tmp_path / "bom.spdx.json"
    path.write_text(_document(SCOPED, SCOPED_RELATIONSHIPS), encoding="utf-8")
    expected = hashlib.sha256(path.read_bytes()).hexdigest()
    assert read_sbom(path).sha256 == expected
    assert read_sbom_data(path.read_bytes(), "bom").sha256 == expected


# Any text a producer may write in the fields a component shows as its own: quotes, backslashes,
# control characters (C0, DEL, C1), non-ASCII, "%" (the writer fills a format string).
_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(_TEXT, st.none() | _TEXT, st.none() | _TEXT, st.none() | _TEXT,
                               st.sampled_from(["MIT", "GPL-2.0-only", "NOASSERTION", "GPL v2"])),
                     min_size=1, max_size=6))
def test_the_report_writer_writes_what_the_stdlib_encoder_writes(
        rows: list[tuple[str, str | None, str | None, str | None, str]]) -> None:
    packages = []
    for n, (name, version, supplier, purl, licence) in enumerate(rows):
        package = _package(n, name=name, licenseConcluded=licence)
        if version is not None:
            package["versionInfo"] = version
        if supplier is not None:
            package["supplier"] = f"Organization: {supplier}"
        if purl is not None:
            package["externalRefs"] = [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                                        "referenceLocator": purl}]
        packages.append(package)
    result = check_sbom(read_sbom_data(_document(packages, [])), "GPL-3.0-or-later")

    assert sbom_json(result, full=True) == _c1_escaped(dump_json(result.to_dict(full=True)))
    by_reference = sbom_json(result)
    assert json.loads(by_reference) == result.to_dict()
    lines = by_reference.split("\n")
    start = lines.index('  "components": [') + 1
    expected = [_c1_escaped("    " + json.dumps(c, ensure_ascii=False)) for c in result.to_dict()["components"]]
    assert lines[start:start + len(expected)] == [e + "," for e in expected[:-1]] + expected[-1:]


def _c1_escaped(text: str) -> str:
    # The report escapes DEL and C1 controls, which the stdlib leaves as they are (explain_procurement).
    return "".join(f"\\u{ord(ch):04x}" if "\x7f" <= ch <= "\x9f" else ch for ch in text)


def test_checking_an_sbom_does_not_load_the_agreement_language() -> None:
    # The language package brings the parser and lark (60 ms of every coop sbom); tenders only need it.
    code = (
        "import json, sys\n"
        "import coopengine.procurement, coopengine.explain_procurement, coopengine.sbom._reader\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('coopengine.language') or m == 'lark')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(SRC)})
    assert json.loads(out.stdout) == []
