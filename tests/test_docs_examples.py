"""Every `$ coop ...` command shown in README.md and docs/*.md runs, and prints what is shown.

A ```console block holds commands (`$ coop ...`, continued with a trailing backslash; a
trailing `# comment` is not part of the command; `$ cd DIR` changes the folder, from the
repository root, for the rest of the block), each followed by the output it prints. The
shown output may leave things out: a line `...` stands for any number of lines, and a line
ending in ` ...` for any line that starts with what comes before it. A command shown
without output must still run (no bad-input exit, no internal error).

When the program's output changes on purpose, refresh the shown outputs with
``COOP_UPDATE_DOCS=1 pytest tests/test_docs_examples.py`` and read the diff: an example
that no longer matches is rewritten with the whole real output (put the `...` elisions
back where the example should stay short).
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from coopengine.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
UPDATE = os.environ.get("COOP_UPDATE_DOCS") == "1"
ELIDED = "..."


@dataclass
class Example:
    file: Path
    line: int  # 1-based line of the `$ coop` command
    command: str
    cwd: Path
    shown: list[str] = field(default_factory=list)
    end: int = 0  # 0-based index of the line after the shown output

    @property
    def id(self) -> str:
        return f"{self.file.relative_to(ROOT)}:{self.line}"


def examples(path: Path) -> list[Example]:
    """The commands of the file's console blocks, with the output shown after each."""
    found: list[Example] = []
    lines = path.read_text(encoding="utf-8").split("\n")
    inside, cwd, current = False, ROOT, None
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            if current is not None:
                current.end = i
                current = None
            inside, cwd = line.strip() == "```console", ROOT
            i += 1
            continue
        if inside and line.startswith("$ "):
            if current is not None:
                current.end = i
            command, start = line[2:], i
            while command.rstrip().endswith("\\") and i + 1 < len(lines):
                i += 1
                command = command.rstrip()[:-1] + " " + lines[i].strip()
            words = shlex.split(command, comments=True)
            current = None
            if words[:1] == ["cd"]:
                cwd = ROOT / words[1]
            elif words[:1] == ["coop"]:
                current = Example(path, start + 1, " ".join(shlex.quote(w) for w in words), cwd)
                found.append(current)
        elif inside and current is not None:
            current.shown.append(line)
        i += 1
    return found


ALL = [e for f in FILES for e in examples(f)]


def matches(shown: list[str], real: list[str]) -> bool:
    """Whether the shown lines are the real ones, with `...` elisions."""
    memo: dict[tuple[int, int], bool] = {}

    def at(i: int, j: int) -> bool:
        if (i, j) not in memo:
            if i == len(shown):
                result = j == len(real)
            elif shown[i].strip() == ELIDED:
                result = at(i + 1, j) or (j < len(real) and at(i, j + 1))
            elif j == len(real):
                result = False
            elif shown[i].endswith(" " + ELIDED):
                result = real[j].startswith(shown[i][: -len(ELIDED) - 1]) and at(i + 1, j + 1)
            else:
                result = shown[i].rstrip() == real[j].rstrip() and at(i + 1, j + 1)
            memo[(i, j)] = result
        return memo[(i, j)]

    return at(0, 0)


def run(example: Example, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[str]]:
    monkeypatch.chdir(example.cwd)
    monkeypatch.setenv("COLUMNS", "100")
    result = CliRunner().invoke(cli, shlex.split(example.command)[1:])
    return result.exit_code, result.output.rstrip("\n").split("\n")  # stdout and stderr, as a terminal shows


def test_examples_are_found() -> None:
    assert len(ALL) >= 8
    assert {e.file.name for e in ALL} >= {"README.md", "reuse.md", "procurement.md", "knowledge-base.md"}


@pytest.mark.parametrize("example", ALL, ids=lambda e: e.id)
def test_shown_output_is_real(example: Example, monkeypatch: pytest.MonkeyPatch) -> None:
    code, real = run(example, monkeypatch)
    assert code != 2 and not any("internal error" in x for x in real), "\n".join(real)
    shown = list(example.shown)
    while shown and not shown[-1].strip():
        shown.pop()
    if not shown or matches(shown, real):
        return
    if UPDATE:
        _rewrite(example, real)
        return
    pytest.fail(f"{example.id}: `{example.command}` prints\n" + "\n".join(real)
                + "\n\nbut the documentation shows\n" + "\n".join(shown)
                + "\n\n(refresh with COOP_UPDATE_DOCS=1, see this file's docstring)")


def _rewrite(example: Example, real: list[str]) -> None:
    # Re-read the file: earlier rewrites in the same run may have moved the lines.
    lines = example.file.read_text(encoding="utf-8").split("\n")
    fresh = next(e for e in examples(example.file) if e.command == example.command and e.cwd == example.cwd)
    start = fresh.end - len(fresh.shown)
    trailing = [x for x in fresh.shown[::-1] if not x.strip()]
    lines[start:fresh.end] = real + [""] * (len(trailing) if fresh.end < len(lines) and
                                           not lines[fresh.end].startswith("```") else 0)
    example.file.write_text("\n".join(lines), encoding="utf-8")


def test_matching_with_elisions() -> None:
    real = ["head", "a", "b", "tail line here"]
    assert matches(["head", "...", "tail line ..."], real)
    assert matches(["head", "a", "b", "tail line here"], real)
    assert not matches(["head", "b", "tail line here"], real)
    assert not matches(["head", "..."], ["other"])
    assert matches(["...", "b", "..."], real)
    assert re.search("refresh", __doc__ or "")
