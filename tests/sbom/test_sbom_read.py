"""Valid SBOMs in every supported format read to exactly the expected components."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import pytest

from coopengine.sbom import Component, Sbom, read_sbom

VALID = Path(__file__).resolve().parents[1] / "data" / "sbom" / "valid"


def C(  # noqa: N802 - reads like the constructor it stands for
    id: str,
    name: str,
    version: str | None,
    licence: str | None,
    field: str,
    supplier: str | None = None,
    purl: str | None = None,
) -> Component:
    # Several CycloneDX licence entries are kept apart (licence_list); the shown text joins them with "; ".
    entries = tuple(licence.split("; ")) if licence and "; " in licence else ()
    return Component(id, name, version, licence, field, supplier, purl,  # type: ignore[arg-type]
                     licence_list=entries)


EXPECTED: dict[str, tuple[str, str, str | None, tuple[Component, ...]]] = {
    "spdx23.spdx.json": (
        "spdx-json",
        "2.3",
        "lutece-sbom",
        (
            C(
                "SPDXRef-Package-commons-lang3",
                "commons-lang3",
                "3.14.0",
                "Apache-2.0",
                "concluded",
                "The Apache Software Foundation",
                "pkg:maven/org.apache.commons/commons-lang3@3.14.0",
            ),
            # Concluded differs from declared: the concluded finding wins.
            C(
                "SPDXRef-Package-mysql-connector",
                "mysql-connector-j",
                "8.3.0",
                "GPL-2.0-only WITH Universal-FOSS-exception-1.0",
                "concluded",
                "Oracle",
            ),
            C(
                "SPDXRef-Package-slf4j",
                "slf4j-api",
                "2.0.12",
                "MIT",
                "declared",
                None,
                "pkg:maven/org.slf4j/slf4j-api@2.0.12",
            ),
            C("SPDXRef-Package-mystery", "mystery-widget", "0.1", "NOASSERTION", "concluded"),
            C("SPDXRef-Package-unlicensed", "no-licence-info", None, None, "none"),
            C("SPDXRef-Package-either", "either", "1.9.0", "MIT OR Apache-2.0", "declared", "Jane Doe"),
            C(
                "SPDXRef-Package-llvm",
                "llvm-libunwind",
                "17.0.6",
                "Apache-2.0 WITH LLVM-exception",
                "concluded",
            ),
            C("SPDXRef-Package-legacy", "legacy-tool", "2.1", "GPL v2", "declared"),
        ),
    ),
    "spdx22.spdx.json": (
        "spdx-json",
        "2.2",
        "decidim-sbom",
        (
            C(
                "SPDXRef-Package-rails",
                "rails",
                "7.0.8",
                "MIT",
                "concluded",
                "Rails Core Team",
                "pkg:gem/rails@7.0.8",
            ),
            C(
                "SPDXRef-Package-nokogiri",
                "nokogiri",
                "1.15.5",
                "MIT AND (LGPL-2.1-or-later OR BSD-2-Clause)",
                "concluded",
            ),
            C("SPDXRef-Package-vendored", "vendored-snippet", "0.0.1", "NONE", "concluded"),
            C("SPDXRef-Package-unknown", "unknown-gem", "3.0", "NOASSERTION", "declared"),
        ),
    ),
    "spdx23.spdx.yaml": (
        "spdx-yaml",
        "2.3",
        "signalement-sbom",
        (
            C(
                "SPDXRef-Package-leaflet",
                "leaflet",
                "1.9.4",
                "BSD-2-Clause",
                "concluded",
                "Leaflet contributors",
                "pkg:npm/leaflet@1.9.4",
            ),
            C("SPDXRef-Package-proj4", "proj4", "2.10", "MIT", "declared"),
            C("SPDXRef-Package-chartjs", "chart.js", "4.4.1", "(MIT OR Apache-2.0) AND ISC", "concluded"),
            C("SPDXRef-Package-bare", "bare-metal", None, None, "none"),
            C(
                "SPDXRef-Package-gcc-rt",
                "libgcc",
                "13.2.0",
                "GPL-3.0-or-later WITH GCC-exception-3.1",
                "concluded",
            ),
        ),
    ),
    "spdx23.spdx": (
        "spdx-tag-value",
        "2.3",
        "openfisca-sbom",
        (
            C(
                "SPDXRef-Package-numpy",
                "numpy",
                "1.26.4",
                "BSD-3-Clause AND Zlib",
                "concluded",
                "NumPy Developers",
                "pkg:pypi/numpy@1.26.4",
            ),
            C(
                "SPDXRef-Package-psycopg2",
                "psycopg2",
                "2.9.9",
                "LGPL-3.0-or-later WITH openvpn-openssl-exception",
                "concluded",
            ),
            C("SPDXRef-Package-pytz", "pytz", "2024.1", "MIT OR Apache-2.0", "declared"),
            C("SPDXRef-Package-dateutil", "dateutil", "2.9.0", "NOASSERTION", "concluded"),
            C("SPDXRef-Package-nolicence", "nolicence", None, None, "none"),
            C("SPDXRef-Package-oldlib", "oldlib", "0.9", "GPL v2", "declared"),
        ),
    ),
    "spdx22.rdf.xml": (
        "spdx-rdf",
        "2.2",
        "openfisca-rdf-sbom",
        (
            C(
                "SPDXRef-Package-numpy",
                "numpy",
                "1.26.4",
                "BSD-3-Clause AND Zlib",
                "concluded",
                "NumPy Developers",
                "pkg:pypi/numpy@1.26.4",
            ),
            C(
                "SPDXRef-Package-psycopg2",
                "psycopg2",
                "2.9.9",
                "LGPL-3.0-or-later WITH openvpn-openssl-exception",
                "concluded",
            ),
            C("SPDXRef-Package-pytz", "pytz", "2024.1", "MIT OR Apache-2.0", "declared"),
            C("SPDXRef-Package-dateutil", "dateutil", "2.9.0", "NOASSERTION", "concluded"),
            C("SPDXRef-Package-nolicence", "nolicence", None, None, "none"),
        ),
    ),
    "cdx14.cdx.json": (
        "cyclonedx-json",
        "1.4",
        "mon-espace-citoyen",
        (
            C(
                "pkg:npm/react@18.2.0",
                "react",
                "18.2.0",
                "MIT",
                "declared",
                "Meta Platforms",
                "pkg:npm/react@18.2.0",
            ),
            C(
                "pkg:npm/dual@1.0.0",
                "dual",
                "1.0.0",
                "MIT OR Apache-2.0",
                "declared",
                None,
                "pkg:npm/dual@1.0.0",
            ),
            C("component-3", "anonymous-lib", "0.3.1", "GPL v2", "declared"),
            C("multi", "multi-licensed", "2.0", "MIT; Public Domain", "declared"),
            C("nolicence", "no-licence", "1.1", None, "none"),
            C("parent", "ui-kit", "5.0.0", "Apache-2.0", "declared"),
            C("child", "ui-kit-icons", "5.0.0", "CC-BY-4.0", "declared"),
        ),
    ),
    "cdx15.cdx.xml": (
        "cyclonedx-xml",
        "1.5",
        "teleservice-portal",
        (
            C(
                "pkg:maven/org.postgresql/postgresql@42.7.1",
                "postgresql",
                "42.7.1",
                "BSD-2-Clause",
                "declared",
                "PostgreSQL Global Development Group",
                "pkg:maven/org.postgresql/postgresql@42.7.1",
            ),
            C(
                "pkg:maven/org.hibernate/hibernate-core@6.4.1",
                "hibernate-core",
                "6.4.1",
                "LGPL-2.1-or-later OR Apache-2.0",
                "declared",
                None,
                "pkg:maven/org.hibernate/hibernate-core@6.4.1",
            ),
            C("itext", "itext", "8.0.2", "iText commercial licence", "concluded"),
            C("component-4", "no-licence-lib", "0.0.1", None, "none"),
            C("jna", "jna", "5.14.0", "Apache-2.0 OR LGPL-2.1-or-later", "declared"),
            C("jna-platform", "jna-platform", "5.14.0", "Apache-2.0", "declared"),
        ),
    ),
    "cdx16.cdx.json": (
        "cyclonedx-json",
        "1.6",
        "gestion-cantine",
        (
            C(
                "pkg:cargo/llvm-sys@170.0.1",
                "llvm-sys",
                "170.0.1",
                "Apache-2.0 WITH LLVM-exception",
                "concluded",
                None,
                "pkg:cargo/llvm-sys@170.0.1",
            ),
            C(
                "pkg:pypi/psycopg@3.1.18",
                "psycopg",
                "3.1.18",
                "LGPL-3.0-or-later",
                "concluded",
                "The Psycopg Team",
                "pkg:pypi/psycopg@3.1.18",
            ),
            C(
                "pkg:pypi/requests@2.31.0",
                "requests",
                "2.31.0",
                "Apache-2.0",
                "declared",
                None,
                "pkg:pypi/requests@2.31.0",
            ),
            C("mystery", "mystery", None, "NOASSERTION", "declared"),
            C("component-5", "unversioned-and-unlicensed", None, None, "none"),
        ),
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_valid_fixture_reads_to_expected_components(name: str) -> None:
    fmt, version, doc_name, components = EXPECTED[name]
    sbom = read_sbom(VALID / name)
    assert isinstance(sbom, Sbom)
    assert (sbom.format, sbom.spec_version, sbom.name) == (fmt, version, doc_name)
    # What a component is (CycloneDX type) is checked in test_component_kinds_and_scopes.
    assert tuple(dataclasses.replace(c, kind=None) for c in sbom.components) == components
    assert len(sbom.sha256) == 64
    assert sbom.path == str(VALID / name)


def test_component_kinds_are_read_from_cyclonedx() -> None:
    assert {c.kind for c in read_sbom(VALID / "cdx14.cdx.json").components} == {"library", "framework"}
    assert {c.kind for c in read_sbom(VALID / "spdx23.spdx.json").components} == {None}


def test_every_valid_fixture_is_covered() -> None:
    assert {p.name for p in VALID.iterdir()} == set(EXPECTED)


def test_format_is_detected_by_content_not_extension(tmp_path: Path) -> None:
    disguised = tmp_path / "bom.txt"
    disguised.write_bytes((VALID / "cdx15.cdx.xml").read_bytes())
    assert read_sbom(disguised).format == "cyclonedx-xml"
    yaml_as_json = tmp_path / "sbom.json"
    yaml_as_json.write_bytes((VALID / "spdx23.spdx.yaml").read_bytes())
    assert read_sbom(yaml_as_json).format == "spdx-yaml"


def test_described_packages_are_kept_when_they_are_all_there_is(tmp_path: Path) -> None:
    # Each package described: a plain list, nothing is the subject to leave out.
    data = json.loads((VALID / "spdx22.spdx.json").read_text())
    path = tmp_path / "only-describes.spdx.json"
    data["documentDescribes"] = [p["SPDXID"] for p in data["packages"]]
    path.write_text(json.dumps(data))
    assert [c.name for c in read_sbom(path).components] == [
        "decidim",
        "rails",
        "nokogiri",
        "vendored-snippet",
        "unknown-gem",
    ]


def test_results_are_frozen() -> None:
    sbom = read_sbom(VALID / "cdx14.cdx.json")
    with pytest.raises(AttributeError):
        sbom.name = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        sbom.components[0].licence = "MIT"  # type: ignore[misc]


def test_importing_the_package_loads_no_parser() -> None:
    import subprocess

    code = (
        "import json, sys, coopengine.errors\n"
        "before = set(sys.modules)\n"
        "import coopengine.sbom\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in set(sys.modules) - before})))\n"
    )
    src = str(Path(__file__).resolve().parents[2] / "src")
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONPATH": src}
    )
    heavy = {"spdx_tools", "cyclonedx", "rdflib", "yaml", "defusedxml", "license_expression", "json"}
    assert not set(json.loads(out.stdout)) & heavy


def test_tag_value_reading_writes_nothing_to_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    read_sbom(VALID / "spdx23.spdx")
    read_sbom(VALID / "spdx22.rdf.xml")
    assert capfd.readouterr().err == ""


def test_spdx_xml_reads_like_its_json_twin(tmp_path: Path) -> None:
    # spdx-tools writes the XML form of the JSON fixture; both must give the same components.
    from spdx_tools.spdx.parser.parse_anything import parse_file
    from spdx_tools.spdx.writer.xml.xml_writer import write_document_to_file

    source = VALID / "spdx22.spdx.json"
    out = tmp_path / "doc.spdx.xml"
    write_document_to_file(parse_file(str(source)), str(out), validate=False)
    as_xml = read_sbom(out)
    assert as_xml.format == "spdx-xml"
    assert as_xml.components == read_sbom(source).components


def test_utf16_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    source = VALID / "spdx23.spdx"
    for encoding in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{encoding}.spdx"
        bom = b"\xff\xfe" if encoding.endswith("le") else b"\xfe\xff"
        path.write_bytes(bom + source.read_text(encoding="utf-8").encode(encoding))
        assert read_sbom(path).components == read_sbom(source).components


def test_cr_line_endings_are_read(tmp_path: Path) -> None:
    source = VALID / "spdx23.spdx"
    for ending in ("\r\n", "\r"):
        path = tmp_path / "cr.spdx"
        path.write_bytes(source.read_text(encoding="utf-8").replace("\n", ending).encode())
        assert read_sbom(path).components == read_sbom(source).components
