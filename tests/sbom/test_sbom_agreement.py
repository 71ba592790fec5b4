"""The stdlib JSON readers agree with spdx-tools and cyclonedx-python-lib on every JSON fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from coopengine.sbom import read_sbom
from coopengine.sbom._reader import read

VALID = Path(__file__).resolve().parents[1] / "data" / "sbom" / "valid"
JSON_FIXTURES = sorted(p.name for p in VALID.glob("*.json"))
# Tag-value: the stdlib reader against spdx-tools, on every fixture spdx-tools can read.
TAG_VALUE_FIXTURES = sorted(p.name for p in VALID.glob("*.spdx"))


def test_there_are_json_fixtures_of_both_kinds() -> None:
    assert any(n.startswith("spdx") for n in JSON_FIXTURES)
    assert any(n.startswith("cdx") for n in JSON_FIXTURES)


@pytest.mark.parametrize("name", JSON_FIXTURES + TAG_VALUE_FIXTURES)
def test_fast_path_matches_library(name: str) -> None:
    fast = read_sbom(VALID / name)
    reference = read(VALID / name, 10_000_000, reference=True)
    assert fast == reference


def test_generated_benchmark_sbom_agrees(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "gen_sbom", Path(__file__).resolve().parents[2] / "bench" / "gen_sbom.py"
    )
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    out = tmp_path / "gen.spdx.json"
    gen.main(["300", str(out), "--seed", "7"])
    assert read_sbom(out) == read(out, 10_000_000, reference=True)
