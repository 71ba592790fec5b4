"""Broken SBOMs end in an InputError that names the file, the line where known, and what was expected."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coopengine.errors import InputError
from coopengine.sbom import read_sbom

DATA = Path(__file__).resolve().parents[1] / "data" / "sbom"
BROKEN = DATA / "broken"

# file -> (words the message must contain, expected line or None)
CASES: dict[str, tuple[tuple[str, ...], int | None]] = {
    "truncated.spdx.json": (("malformed JSON", "truncated"), 44),
    "malformed.cdx.xml": (("malformed XML", "mismatched tag"), 7),
    "billion-laughs.cdx.xml": (("DOCTYPE",), 2),
    "external-entity.cdx.xml": (("DOCTYPE",), 2),
    "external-entity.rdf.xml": (("DOCTYPE",), 2),
    "unknown-format.json": (("unknown SBOM format",), 1),
    "unknown-format.txt": (("unknown SBOM format",), 1),
    "duplicate-ids.spdx.json": (("duplicate SPDX id", "SPDXRef-Package-slf4j"), 87),
    "duplicate-ids.spdx": (("duplicate SPDX id", "SPDXRef-Package-numpy"), 42),
    "duplicate-bom-ref.cdx.json": (("duplicate bom-ref", "mystery"), 70),
    "missing-name.spdx.json": (("required 'name'", "SPDXRef-Package-mysql-connector"), 44),
    "empty.spdx.json": (("empty",), None),
    "blank.cdx.xml": (("empty",), None),
    "alias-bomb.spdx.yaml": (("aliases are not allowed",), 3),
    "bad-line.spdx": (("PackageLicenseConcluded",), 27),
    "bad-version.cdx.json": (("unsupported CycloneDX version", "2.0"), 3),
}


# Problems in parts the licence decision does not use: refused only with strict, else warned.
LENIENT = {"duplicate-ids.spdx.json", "duplicate-ids.spdx", "missing-name.spdx.json", "duplicate-bom-ref.cdx.json"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_fixture_raises_located_input_error(name: str) -> None:
    words, line = CASES[name]
    with pytest.raises(InputError) as caught:
        read_sbom(BROKEN / name, strict=name in LENIENT)
    err = caught.value
    assert err.location.file == str(BROKEN / name)
    for word in words:
        assert word in err.message
    assert err.location.line == line
    assert err.expected
    assert "Traceback" not in err.render()


@pytest.mark.parametrize("name", sorted(LENIENT))
def test_without_strict_a_problem_that_does_not_decide_is_a_located_warning(name: str) -> None:
    words, line = CASES[name]
    sbom = read_sbom(BROKEN / name)
    assert sbom.components
    [warning] = sbom.warnings
    for word in words:
        assert word in warning.message
    assert warning.line == line


def test_every_broken_fixture_is_covered() -> None:
    assert {p.name for p in BROKEN.iterdir()} == set(CASES)


def test_external_entity_is_never_resolved() -> None:
    with pytest.raises(InputError) as caught:
        read_sbom(BROKEN / "external-entity.cdx.xml")
    assert "root:" not in caught.value.render()


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        read_sbom(tmp_path / "absent.spdx.json")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="directory"):
        read_sbom(tmp_path)


def test_file_too_large() -> None:
    with pytest.raises(InputError, match="too large") as caught:
        read_sbom(DATA / "valid" / "spdx23.spdx.json", max_bytes=100)
    assert caught.value.expected == "at most 100 bytes"


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.spdx.json"
    path.write_bytes(b'{\n  "name": "caf\xe9"\n}\n')
    with pytest.raises(InputError, match="not UTF-8") as caught:
        read_sbom(path)
    assert (caught.value.location.line, caught.value.location.column) == (2, 15)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "secret.spdx.json"
    path.write_text("{}")
    path.chmod(0)
    with pytest.raises(InputError, match="cannot read"):
        read_sbom(path)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"spdxVersion": "SPDX-3.0", "@context": "x"}', ("unsupported SPDX version", "SPDX-3.0")),
        ('{"spdxVersion": "SPDX-2.3"}', ("required field 'SPDXID'",)),
        ("[1, 2, 3]", ("not an object",)),
        (
            '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "library"}]}',
            ("components[0]", "'name'"),
        ),
        (
            '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "library", "name": "x",'
            ' "licenses": [{"license": {}}]}]}',
            ("'id', a 'name' or a 'url'",),
        ),
        ("[" * 100_000, ("malformed JSON",)),
    ],
)
def test_structural_errors_in_json(tmp_path: Path, text: str, words: tuple[str, ...]) -> None:
    path = tmp_path / "doc.json"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        read_sbom(path)
    for word in words:
        assert word in caught.value.message


def test_bad_supplier_is_reported_with_its_package(tmp_path: Path) -> None:
    text = (
        (DATA / "valid" / "spdx23.spdx.json")
        .read_text()
        .replace('"Organization: Oracle (mysql@example.com)"', '"Oracle"')
    )
    path = tmp_path / "supplier.spdx.json"
    path.write_text(text)
    with pytest.raises(InputError, match="not SPDX actors") as caught:
        read_sbom(path, strict=True)
    assert caught.value.location.line == 41  # the supplier line itself
    # Without strict (Microsoft's SBOM tool writes "Microsoft/GitHub"): the name as written, a warning.
    sbom = read_sbom(path)
    assert [w.line for w in sbom.warnings] == [41]
    assert "Oracle" in {c.supplier for c in sbom.components}


def test_yaml_duplicate_key(tmp_path: Path) -> None:
    path = tmp_path / "dup.spdx.yaml"
    path.write_text("spdxVersion: SPDX-2.3\nname: a\nname: b\n")
    with pytest.raises(InputError, match="duplicate key 'name'") as caught:
        read_sbom(path)
    assert caught.value.location.line == 3


def test_spdx_xml_gets_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "doc.spdx.xml"
    path.write_text("<Document><name>x</name></Document>")
    with pytest.raises(InputError, match="unknown SBOM format") as caught:
        read_sbom(path)
    assert caught.value.hint and "SPDX XML" in caught.value.hint


def test_incomplete_spdx_xml_is_a_located_input_error(tmp_path: Path) -> None:
    path = tmp_path / "doc.spdx.xml"
    path.write_text("<Document><spdxVersion>SPDX-2.3</spdxVersion></Document>")
    with pytest.raises(InputError, match="invalid SPDX document"):
        read_sbom(path)


def test_strict_tag_value_errors_show_no_python_internals() -> None:
    # spdx-tools refuses a file with only a SHA256 checksum (bom-shelter vast-sbom.spdx).
    path = Path(__file__).resolve().parents[1] / "data" / "real" / "bom-shelter-vast-sbom.spdx"
    with pytest.raises(InputError) as caught:
        read_sbom(path, strict=True)
    shown = caught.value.render()
    assert "__init__" not in shown and "positional argument" not in shown
    assert "a File lacks its required 'checksums'" in shown
    assert read_sbom(path).components  # and without --strict it is read
