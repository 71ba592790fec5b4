"""`coop licence` reads an id as the deciding commands do (issue 10, section 4)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from coopengine.cli.main import cli
from coopengine.engine import check_compat
from coopengine.expressions import DEPRECATED, parse_expression


def licence(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["licence", *args])
    return result.exit_code, result.output + (result.stderr or "")


@pytest.mark.parametrize("old", sorted(DEPRECATED))
def test_deprecated_id_shows_what_compat_reads(old: str) -> None:
    code, out = licence(old, "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    read = parse_expression(old)
    assert data["read_as"] == read.normalised
    assert data["id"] == read.expression.id  # type: ignore[union-attr]
    assert data["notes"] and "deprecated" in data["notes"][0]
    if read.expression.exception:  # type: ignore[union-attr]
        assert data["exception"]["id"] == read.expression.exception  # type: ignore[union-attr]
    # coop compat reads the old id as the same licence.
    assert check_compat(old, "MIT").inbound == read.normalised


def test_deprecated_text_says_so_then_gives_the_facts() -> None:
    code, out = licence("GPL-2.0")
    assert code == 0
    first, second = out.splitlines()[:2]
    assert first.startswith("GPL-2.0: deprecated id, read as GPL-2.0-only")
    assert second.startswith("GPL-2.0-only: ")
    assert "not curated" not in out
    code, out = licence("GPL-2.0-with-classpath-exception")
    assert code == 0
    assert "read as GPL-2.0-only WITH Classpath-exception-2.0" in out
    assert "\nClasspath-exception-2.0: " in out


def test_expression_points_to_coop_expr() -> None:
    code, out = licence("MIT OR Apache-2.0")
    assert code == 2
    assert "coop expr 'MIT OR Apache-2.0'" in out


def test_facts_sharing_reason_and_source_are_one_line() -> None:
    code, out = licence("EUPL-1.2")
    assert code == 0
    appendix = [line for line in out.splitlines() if "compatible with" in line and "CECILL-2.0" in line]
    assert len(appendix) == 1 and "MPL-2.0" in appendix[0] and "LGPL-3.0-only" in appendix[0]
    lines = out.splitlines()
    assert len(lines) == len(set(lines))
    # Each cited source carries its address.
    assert all("<http" in line for line in lines if "[" in line and "with" in line)
