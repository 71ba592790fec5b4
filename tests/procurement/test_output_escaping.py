"""Control characters from an SBOM never reach the terminal or a report as such."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from coopengine.cli.main import cli


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_control_characters_are_escaped(write_sbom: Callable[..., Path], fmt: str) -> None:
    path = write_sbom([("evil\x1b[31mRED\x9b", "GPL v2\x1b[2J", None)])
    result = CliRunner().invoke(cli, ["sbom", str(path), "--outbound", "MIT", "--format", fmt])
    assert result.exit_code == 4
    assert "\x1b" not in result.output and "\x9b" not in result.output
    if fmt == "json":
        # The JSON still says exactly what the SBOM says.
        assert json.loads(result.output)["components"][0]["name"] == "evil\x1b[31mRED\x9b"
    else:
        assert "evil\\x1b[31mRED\\x9b" in result.output


def test_control_characters_in_an_error_are_escaped(tmp_path: Path) -> None:
    path = tmp_path / "evil.spdx"
    path.write_text("SPDXVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\nPackageName: x\nSPDXID: SPDXRef-a\n"
                    "PackageLicenseConcluded \x1b[2JMIT\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["sbom", str(path), "--outbound", "MIT"])
    assert result.exit_code == 2
    assert "\x1b" not in result.output
    assert "PackageLicenseConcluded \\x1b[2JMIT" in result.output
