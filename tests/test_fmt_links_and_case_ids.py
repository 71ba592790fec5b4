"""`coop fmt DIR` stays inside DIR and says when it changes line endings; `coop test --case`
refuses an id the file does not have (issue 9, items 9 and 10)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from coopengine.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
UGLY = 'party a "A"   kind city\n'
CANONICAL = 'party a "A" kind city\n'


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "dir" / "sub").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "victim.coop").write_text(UGLY)
    (tmp_path / "dir" / "mine.coop").write_text(UGLY)
    os.symlink(tmp_path / "outside" / "victim.coop", tmp_path / "dir" / "link.coop")
    os.symlink(tmp_path / "outside", tmp_path / "dir" / "sub" / "elsewhere")
    os.symlink(tmp_path / "dir" / "mine.coop", tmp_path / "dir" / "alias.coop")
    return tmp_path


def test_fmt_does_not_write_through_links_out_of_the_folder(tree: Path) -> None:
    code, out = run("fmt", str(tree / "dir"))
    assert code == 0, out
    assert (tree / "outside" / "victim.coop").read_text() == UGLY
    assert (tree / "dir" / "mine.coop").read_text() == CANONICAL
    assert f"skipped {tree / 'dir' / 'link.coop'}: a symbolic link to a file outside" in out
    assert f"reformatted {tree / 'dir' / 'mine.coop'}" in out
    assert "alias.coop" not in out  # the same file, formatted once, under its own name


def test_fmt_json_lists_what_it_skipped(tree: Path) -> None:
    code, out = run("fmt", "--check", "--format", "json", str(tree / "dir"))
    data = json.loads(out[out.index("{"):])
    assert code == 1
    assert [s["file"] for s in data["skipped"]] == sorted(s["file"] for s in data["skipped"])
    assert str(tree / "dir" / "link.coop") in [s["file"] for s in data["skipped"]]
    assert data["changed"] == [str(tree / "dir" / "mine.coop")]


def test_fmt_says_when_it_changes_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "crlf.coop"
    path.write_bytes(CANONICAL.replace("\n", "\r\n").encode())
    code, out = run("fmt", "--check", str(path))
    assert code == 1 and "would reformat" in out and "line endings CRLF/CR to LF" in out
    code, out = run("fmt", str(path))
    assert code == 0 and "line endings CRLF/CR to LF" in out
    assert path.read_bytes() == CANONICAL.encode()
    path.write_bytes(CANONICAL.replace("\n", "\r\n").encode())
    code, out = run("fmt", "--check", "--format", "json", str(path))
    assert json.loads(out)["line_endings_changed"] == [str(path)]
    path.write_bytes(CANONICAL.encode())
    code, out = run("fmt", "--format", "json", str(path))
    assert "line_endings_changed" not in json.loads(out)  # the usual output keeps its bytes


CASES = ROOT / "examples/scenarios/cases.yaml"


@pytest.mark.parametrize(
    ("case", "fragments"),
    [
        ("lutece-standng-agreement", ["unknown case id 'lutece-standng-agreement'",
                                      "did you mean 'lutece-standing-agreement'?"]),
        ("no-such-case", ["unknown case id 'no-such-case'", "<option --case>"]),
    ],
)
def test_unknown_case_id_is_an_error(case: str, fragments: list[str]) -> None:
    code, out = run("test", str(CASES), "--case", "lutece-licence-alone", "--case", case)
    assert code == 2, out
    for fragment in fragments:
        assert fragment in out


def test_known_case_ids_still_run() -> None:
    code, out = run("test", str(CASES), "--case", "lutece-licence-alone")
    assert code == 0, out
    assert "1 passed, 0 failed" in out
