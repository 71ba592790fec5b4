"""No library call of ours ends the process: what a parser library does on bad input becomes an InputError."""

from __future__ import annotations

from pathlib import Path

import pytest

import coopengine
from coopengine.errors import InputError

RDF = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:spdx="http://spdx.org/rdf/terms#">'
       "{body}</rdf:RDF>\n")
DOC = '<spdx:SpdxDocument rdf:about="{uri}"><spdx:specVersion>SPDX-2.3</spdx:specVersion></spdx:SpdxDocument>'

# spdx-tools calls sys.exit(1) on each of these (issue 9, item 3).
BODIES = {
    "no-document": "<spdx:Nonsense/>",
    "two-documents": DOC.format(uri="http://a/b#SPDXRef-DOCUMENT") + DOC.format(uri="http://a/c#SPDXRef-DOCUMENT"),
    "uri-without-hash": DOC.format(uri="http://a/b"),
}


@pytest.mark.parametrize("name", sorted(BODIES))
def test_spdx_rdf_exit_becomes_an_input_error(name: str, tmp_path: Path) -> None:
    path = tmp_path / "b.rdf"
    path.write_text(RDF.format(body=BODIES[name]))
    with pytest.raises(InputError) as caught:
        coopengine.read_sbom(path)
    assert caught.value.location.file == str(path)


def test_a_scenario_naming_such_an_sbom_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "b.rdf").write_text(RDF.format(body=BODIES["no-document"]))
    scenario = "provider: a\nrecipient: b\nuse: internal\nsolution: {licence: MIT, sbom: b.rdf}\n"
    (tmp_path / "s.yaml").write_text(scenario)
    with pytest.raises(InputError, match="no spdx:SpdxDocument"):
        coopengine.decide_reuse(tmp_path / "s.yaml")
