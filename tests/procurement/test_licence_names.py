"""Licence strings that are not SPDX expressions, and CycloneDX components listing several licences.

Cases are the strings issue 11 found most often in 161 real SBOMs (RPM, Debian, Maven, PyPI).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from coopengine.cli.main import cli
from coopengine.errors import InputError
from coopengine.expressions import parse_expression
from coopengine.knowledge import load_knowledge
from coopengine.knowledge.names import read_licence_name
from coopengine.procurement import check_sbom
from coopengine.sbom import read_sbom

ROOT = Path(__file__).resolve().parents[2]

# (string as found in SBOMs, expected expression or None, source id of the entry used)
READINGS = [
    ("Apache License, Version 2.0", "Apache-2.0", "licence-text"),
    ("Eclipse Public License - v 1.0", "EPL-1.0", "licence-text"),
    ("Eclipse Distribution License - v 1.0", "BSD-3-Clause", "licence-text"),
    ("CDDL + GPLv2 with classpath exception", "CDDL-1.1 OR GPL-2.0-only WITH Classpath-exception-2.0",
     "licence-text"),
    ("MIT License", "MIT", "licence-text"),
    ("Expat", "MIT", "debian-copyright-format"),
    ("GPL-2+", "GPL-2.0-or-later", "debian-copyright-format"),
    ("LGPLv2+", "LGPL-2.1-or-later", "fedora-license-data"),
    ("GPLv3+", "GPL-3.0-or-later", "fedora-license-data"),
    ("GPLv2+", "GPL-2.0-or-later", "fedora-license-data"),
    ("MPLv2.0", "MPL-2.0", "fedora-license-data"),
    ("GPL+ or Artistic", "Artistic-1.0-Perl OR GPL-1.0-or-later", "fedora-license-data"),
    ("License :: OSI Approved :: MIT License", "MIT", "pypi-trove-classifiers"),
    ("License :: OSI Approved :: GNU General Public License v2 or later (GPLv2+)", "GPL-2.0-or-later",
     "pypi-trove-classifiers"),
    ("Apache License 2.0", "Apache-2.0", "spdx-license-list"),
    ("BSD 2-Clause FreeBSD License", "BSD-2-Clause-Views", "spdx-license-list"),
    ("https://spdx.org/licenses/MIT.html", "MIT", "spdx-license-list"),
    ("http://www.apache.org/licenses/LICENSE-2.0.txt", "Apache-2.0", "spdx-license-list-see-also"),
    ("https://opensource.org/licenses/MIT", "MIT", "spdx-license-list-see-also"),
]

AMBIGUOUS = [
    ("BSD", "BSD-3-Clause"),
    ("GPL", "GPL-2.0-only"),
    ("LGPL", "LGPL-2.1-only"),
    ("Public Domain", "CC0-1.0"),
    ("License :: OSI Approved :: Apache Software License", "Apache-2.0"),
    ("License :: OSI Approved :: BSD License", "BSD-3-Clause"),
    ("MIT/X11", "X11"),
    ("http://www.affero.org/oagpl.html", "AGPL-1.0-or-later"),
]


@pytest.mark.parametrize(("text", "expected", "source"), READINGS)
def test_a_known_name_is_read_as_its_expression_with_its_source(text: str, expected: str, source: str) -> None:
    reading = read_licence_name(text, load_knowledge())
    assert reading.expression == expected
    assert [m.source.id for m in reading.mappings] == [source]
    assert reading.notes and reading.notes[0].startswith(f"read {text!r} as {expected}")


@pytest.mark.parametrize(("text", "candidate"), AMBIGUOUS)
def test_an_ambiguous_name_stays_unknown_with_its_candidates(text: str, candidate: str) -> None:
    reading = read_licence_name(text, load_knowledge())
    assert reading.expression is None
    assert reading.problem is not None and candidate in reading.problem


def test_compound_rpm_names_are_read_part_by_part() -> None:
    reading = read_licence_name("(GPLv2+ or LGPLv3+) and MIT", load_knowledge())
    assert reading.expression == "(GPL-2.0-or-later OR LGPL-3.0-or-later) AND MIT"
    assert len(reading.mappings) == 2


def test_mixed_and_or_without_parentheses_is_not_guessed() -> None:
    assert read_licence_name("GPLv2+ or MIT and ASL 2.0", load_knowledge()).expression is None


def test_trivy_comma_list_reads_as_all_of_its_licences_and_says_so() -> None:
    reading = read_licence_name("LGPL-2.1, GPL-2.0", load_knowledge())
    assert reading.expression == "LGPL-2.1-only AND GPL-2.0-only"
    assert any("comma list" in n for n in reading.notes)


def test_a_comma_list_with_an_unknown_part_is_not_read() -> None:
    assert read_licence_name("LGPL-2.1, Frobnitz", load_knowledge()).expression is None


def test_every_table_target_is_a_valid_expression() -> None:
    for mapping in load_knowledge().names.values():
        for target in (mapping.expression, *mapping.candidates):
            if target is not None:
                parse_expression(target)


def test_the_generated_spdx_names_are_up_to_date() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import gen_licence_names
    finally:
        sys.path.pop(0)
    written = yaml.safe_load((ROOT / "src/coopengine/rules/names/spdx-list.yaml").read_text(encoding="utf-8"))
    assert written["names"][0] == gen_licence_names.names_block()


def test_freebsd_is_deprecated_in_favour_of_views() -> None:
    assert parse_expression("BSD-2-Clause-FreeBSD").normalised == "BSD-2-Clause-Views"


# ---- in coop sbom -------------------------------------------------------------------------


def _cdx(tmp_path: Path, licences: list[list[dict[str, object]]], name: str = "bom.cdx.json") -> Path:
    components = [{"type": "library", "name": f"c{i}", "version": "1", "bom-ref": f"c{i}", "licenses": lic}
                  for i, lic in enumerate(licences)]
    path = tmp_path / name
    path.write_text(json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
                                "components": components}), encoding="utf-8")
    return path


def _ids(*ids: str) -> list[dict[str, object]]:
    return [{"license": {"id": i}} for i in ids]


def test_several_cyclonedx_licences_are_a_choice_by_default(tmp_path: Path) -> None:
    # jQuery as Black Duck writes it (interlynk-io/sbomqs samples/sbom_cdx.json).
    path = _cdx(tmp_path, [_ids("GPL-2.0-only", "MIT")])
    result = check_sbom(read_sbom(path), "Apache-2.0")
    assert result.verdict == "compatible"
    finding = result.components[0].finding
    assert finding.expression == "GPL-2.0-only OR MIT"
    assert finding.read_as[0].startswith("several licences listed; read as a choice, as is usual for Maven")
    assert "--licence-list-as and" in finding.read_as[0]


def test_licence_list_as_and_is_the_cautious_reading(tmp_path: Path) -> None:
    path = _cdx(tmp_path, [_ids("GPL-2.0-only", "MIT")])
    result = check_sbom(read_sbom(path), "Apache-2.0", licence_list_as="and")
    assert result.verdict == "incompatible"
    assert result.components[0].finding.expression == "GPL-2.0-only AND MIT"


def test_a_licence_name_beside_an_id_is_never_pasted_into_an_expression(tmp_path: Path) -> None:
    path = _cdx(tmp_path, [[{"license": {"id": "EPL-1.0"}},
                            {"license": {"name": "GNU Lesser General Public License"}}]])
    finding = check_sbom(read_sbom(path), "Apache-2.0").components[0].finding
    assert finding.verdict == "unknown"
    assert finding.problem is not None and "LGPL-2.1-only" in finding.problem
    assert "EPL-1.0 AND" not in (finding.problem or "")


def test_names_in_a_list_are_mapped_before_the_choice(tmp_path: Path) -> None:
    path = _cdx(tmp_path, [[{"license": {"name": "Eclipse Public License - v 1.0"}},
                            {"license": {"name": "Apache License, Version 2.0"}}]])
    finding = check_sbom(read_sbom(path), "Apache-2.0").components[0].finding
    assert finding.expression == "Apache-2.0 OR EPL-1.0"
    assert finding.verdict == "compatible"


def test_a_licence_given_only_as_a_url_is_mapped(tmp_path: Path) -> None:
    path = _cdx(tmp_path, [[{"license": {"url": "https://www.apache.org/licenses/LICENSE-2.0"}}],
                           [{"license": {"url": "https://example.org/our-licence"}}]])
    result = check_sbom(read_sbom(path), "Apache-2.0")
    assert result.components[0].finding.expression == "Apache-2.0"
    assert result.components[1].verdict == "unknown"
    assert "https://example.org/our-licence" in (result.components[1].finding.problem or "")


def test_mapped_strings_are_reported_counted_and_kept_in_the_json(write_sbom: Callable[..., Path]) -> None:
    path = write_sbom([("a", "Apache License, Version 2.0", None), ("b", "Apache License, Version 2.0", None),
                       ("c", "MIT", None)])
    doc = check_sbom(read_sbom(path), "Apache-2.0").to_dict(full=True)
    assert doc["verdict"] == "compatible"
    assert doc["summary"]["components_read_as"] == 2
    first = doc["components"][0]
    assert first["expression"] == "Apache-2.0"
    assert first["read_as"] == ["read 'Apache License, Version 2.0' as Apache-2.0 "
                                "(The licence's own text, the title line of the licence text)"]
    assert "read_as" not in doc["components"][2]


def test_strict_refuses_a_mapped_string(write_sbom: Callable[..., Path]) -> None:
    path = write_sbom([("a", "Expat", None)])
    with pytest.raises(InputError) as caught:
        check_sbom(read_sbom(path), "MIT", strict=True)
    assert "name table" in caught.value.message


def test_a_kb_file_adds_an_organisations_own_names(write_sbom: Callable[..., Path], tmp_path: Path) -> None:
    kb = tmp_path / "kb" / "names.yaml"
    kb.parent.mkdir()
    kb.write_text(
        "sources:\n  acme-legal:\n    title: ACME legal department register\n    url: https://acme.example/legal\n"
        "names:\n  - source: {id: acme-legal, section: register 2026}\n    map:\n"
        '      "ACME Standard Terms": LicenseRef-ACME\n      "BSD": BSD-3-Clause\n',
        encoding="utf-8")
    path = write_sbom([("a", "ACME Standard Terms", None), ("b", "BSD", None)])
    result = check_sbom(read_sbom(path), "Apache-2.0", kb=[str(kb.parent)])
    assert result.components[0].finding.expression == "LicenseRef-ACME"
    # The organisation's layer overrides the bundled "ambiguous" entry.
    assert result.components[1].finding.expression == "BSD-3-Clause"
    assert "ACME legal department register, register 2026" in result.components[1].finding.read_as[0]


def test_an_sbom_whose_every_licence_is_none_looks_unscanned(write_sbom: Callable[..., Path]) -> None:
    path = write_sbom([("a", "NONE", None), ("b", "NONE", None)])
    notes = check_sbom(read_sbom(path), "MIT").notes
    assert any("looks unscanned" in n for n in notes)
    mixed = write_sbom([("a", "NONE", None), ("b", "MIT", None)], name="mixed.spdx.json")
    assert not any("unscanned" in n for n in check_sbom(read_sbom(mixed), "MIT").notes)


@pytest.mark.parametrize(("text", "hint"), [
    ("Expat", "did you mean MIT?"),
    ("GPLv2+", "did you mean GPL-2.0-or-later?"),
    ("Public Domain", "may mean any of CC0-1.0, Unlicense"),
    ("BSD", "may mean any of 0BSD"),
])
def test_coop_expr_hints_use_the_name_table(text: str, hint: str) -> None:
    result = CliRunner().invoke(cli, ["expr", text])
    assert result.exit_code == 2
    assert hint in result.output
    assert "Saxpath" not in result.output and "Multics" not in result.output


# ---- LicenseRef-s the SBOM describes -------------------------------------------------------


def test_a_described_licenseref_is_read_through_the_name_table(write_sbom: Callable[..., Path]) -> None:
    path = write_sbom([("bash", "LicenseRef-d953b10", None), ("zlib", "LicenseRef-f266d93 AND Zlib", None)])
    doc = json.loads(path.read_text(encoding="utf-8"))
    # tern writes RPM licence names into the extracted text (bom-shelter, spdx-tern-redhat_ubi8-minimal).
    doc["hasExtractedLicensingInfos"] = [
        {"licenseId": "LicenseRef-d953b10", "extractedText": "GPLv3+"},
        {"licenseId": "LicenseRef-f266d93", "extractedText": "BSD"},
    ]
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = check_sbom(read_sbom(path), "Apache-2.0")
    bash, zlib = (cv.finding for cv in result.components)
    assert bash.expression == "GPL-3.0-or-later"
    assert bash.verdict == "incompatible"
    assert bash.read_as == ("read LicenseRef-d953b10 (described in the SBOM as 'GPLv3+') as GPL-3.0-or-later "
                            "(Fedora License Data, legacy-abbreviation)",)
    assert zlib.verdict == "unknown"
    assert "LicenseRef-f266d93 is described in the SBOM as 'BSD'" in zlib.why


def test_cyclonedx_17_expression_details_describe_a_licenseref(tmp_path: Path) -> None:
    import base64

    bom = {"bomFormat": "CycloneDX", "specVersion": "1.7", "version": 1, "components": [
        {"type": "library", "name": "a", "licenses": [
            {"expression": "LicenseRef-x OR MIT", "acknowledgement": "declared",
             "expressionDetails": [{"licenseIdentifier": "LicenseRef-x",
                                    "text": {"content": base64.b64encode(b"Expat").decode(),
                                             "encoding": "base64"}}]},
            {"expression": "GPL-2.0-only", "acknowledgement": "concluded"}]},
        {"type": "library", "name": "b", "licenses": [{"expression": "LicenseRef-x"}]}]}
    path = tmp_path / "bom.cdx.json"
    path.write_text(json.dumps(bom), encoding="utf-8")
    sbom = read_sbom(path)
    assert sbom.spec_version == "1.7"
    assert [r.text for r in sbom.licence_refs] == ["Expat"]
    result = check_sbom(sbom, "Apache-2.0")
    # The concluded expression is what the BOM says applies; the declared one is kept out.
    assert result.components[0].finding.expression == "GPL-2.0-only"
    assert result.components[1].finding.expression == "MIT"
