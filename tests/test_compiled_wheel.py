"""The wheel carries the compiled knowledge base (issue 12, start-up with no cache): built by
``hatch_build.py``, it must equal a fresh compile of the rules in this tree, or a first call
would answer from other rules than the ones shipped beside it."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from coopengine import _cache, _spdx
from coopengine.expressions import _build_vocabulary, _decode_vocabulary
from coopengine.knowledge import _bundled_root, _layers, knowledge_version, plain
from coopengine.knowledge.compile import compile_layers

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    pytest.importorskip("hatchling", reason="hatchling is in the [test] extra")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
                   cwd=ROOT, check=True, capture_output=True)
    (path,) = out.glob("coopengine-*.whl")
    return zipfile.ZipFile(path)


def _entry(wheel: zipfile.ZipFile, name: str) -> dict[str, object]:
    doc = json.loads(wheel.read(f"coopengine/{_cache.COMPILED}/{name}.json"))
    assert doc["name"] == name
    return doc


def test_the_wheels_knowledge_base_equals_a_fresh_compile(wheel: zipfile.ZipFile) -> None:
    doc = _entry(wheel, "kb")
    assert doc["version"] == knowledge_version()
    root, layers = _layers(())
    assert root == _bundled_root()
    fresh = compile_layers(layers, root, knowledge_version())
    assert plain.decode(doc["data"]) == fresh


def test_the_wheels_vocabulary_equals_a_fresh_build(wheel: zipfile.ZipFile) -> None:
    doc = _entry(wheel, "vocabulary")
    assert doc["version"] == _spdx.data_stamp()
    assert _decode_vocabulary(doc["data"]) == _build_vocabulary()


def test_the_wheel_still_carries_the_rules_and_grammar(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assert "coopengine/rules/obligations.yaml" in names
    assert "coopengine/grammars/coop.lark" in names


def test_a_wheel_built_from_the_sdist_is_the_same(wheel: zipfile.ZipFile, tmp_path: Path) -> None:
    # An sdist keeps no symbolic links: the hook carries rules/ and grammars/ in from the top level.
    import tarfile

    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(tmp_path)],
                   cwd=ROOT, check=True, capture_output=True)
    (sdist,) = tmp_path.glob("coopengine-*.tar.gz")
    with tarfile.open(sdist) as tf:
        tf.extractall(tmp_path / "unpacked", filter="data")
    (tree,) = (tmp_path / "unpacked").iterdir()
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path / "out")],
                   cwd=tree, check=True, capture_output=True)
    (path,) = (tmp_path / "out").glob("coopengine-*.whl")
    with zipfile.ZipFile(path) as again:
        assert sorted(again.namelist()) == sorted(wheel.namelist())
        for name in wheel.namelist():
            if name.startswith(("coopengine/rules/", "coopengine/grammars/", f"coopengine/{_cache.COMPILED}/")):
                assert again.read(name) == wheel.read(name), name
