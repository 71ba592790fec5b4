"""The bad-input corpus (``corpus.yaml``): every reader and every command, each case with its exit code and words.

Any case fails on a traceback or an ``internal error``; a case that exits 2 is run again
with ``--format json`` and must then write a valid error document on stdout.
"""

from __future__ import annotations

import json
import os
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from coopengine.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
CORPUS = yaml.safe_load((Path(__file__).parent / "corpus.yaml").read_text(encoding="utf-8"))
LONG = "A" * 1_000_000
JSON_COMMANDS = {"expr", "licence", "compat", "outbound", "reuse", "check", "fmt", "test", "sbom", "tender"}


def schema_for(document: dict[str, Any]) -> dict[str, Any]:
    name = str(document["schema"]).split("/")[1]
    loaded: dict[str, Any] = json.loads((files("coopengine") / "schemas" / f"{name}-v1.schema.json").read_text())
    return loaded


def _fill(text: str, tmp: Path) -> str:
    return (text.replace("{examples}", str(ROOT / "examples")).replace("{passwd}", str(tmp / "outside" / "passwd"))
            .replace("{long}", LONG).replace("{digits}", "9" * 5001))


def prepare(case: dict[str, Any], tmp: Path) -> Path:
    """The case's folder with its files, FIFOs and symlinks; a secret file outside it."""
    (tmp / "outside").mkdir()
    (tmp / "outside" / "passwd").write_text("root:x:0:0:secret\n")
    here = tmp / "case"
    here.mkdir()
    for name, text in (case.get("files") or {}).items():
        (here / name).parent.mkdir(parents=True, exist_ok=True)
        (here / name).write_bytes(_fill(text, tmp).encode("utf-8", "surrogateescape"))
    for name, data in (case.get("hex") or {}).items():
        (here / name).write_bytes(bytes.fromhex(data))
    for name in case.get("fifos") or ():
        os.mkfifo(here / name)
    for name, target in (case.get("links") or {}).items():
        (here / name).parent.mkdir(parents=True, exist_ok=True)
        (here / name).symlink_to(_fill(target, tmp))
    return here


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"uncaught {type(result.exception).__name__}: {result.exception}")
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and /dev/zero need a POSIX system")
@pytest.mark.parametrize("case", CORPUS, ids=[c["id"] for c in CORPUS])
def test_case(case: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert case.get("source"), "every case says where it comes from"
    here = prepare(case, tmp_path)
    monkeypatch.chdir(here)
    args = [_fill(a, tmp_path) for a in case["args"]]
    status, out, err = run(args)
    said = out + err
    assert status == case["exit"], said[:3000]
    assert case["says"] in said, said[:3000]
    for word in ("Traceback", "internal error", *(case.get("never") or ())):
        assert word not in said, said[:3000]
    if "max_output" in case:
        assert len(said) <= case["max_output"], said[:3000]
    if status == 2 and args[0] in JSON_COMMANDS and "--format" not in args:
        status, out, _ = run([*args, "--format", "json"])
        assert status == 2
        document = json.loads(out)
        jsonschema.validate(document, schema_for(document))


def test_every_command_is_in_the_corpus() -> None:
    assert {c["args"][0] for c in CORPUS} == JSON_COMMANDS
