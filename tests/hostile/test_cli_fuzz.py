"""The whole CLI under random bytes, mutated valid inputs and special paths.

Whatever the input, a command ends with an exit code from 0 to 4, never a traceback and
never an ``internal error``, and within 10 seconds: an alarm stops a run that hangs (a FIFO
opened for reading, ``/dev/zero`` read to the end). The alarm is a guard against hanging,
not a measure of speed. Runs in-process through click's CliRunner, for speed.
"""

from __future__ import annotations

import os
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopengine.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SBOMS = ROOT / "tests" / "data" / "sbom" / "valid"
TIMEOUT_S = 10

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGALRM") or not hasattr(os, "mkfifo"),
                                reason="needs POSIX signals and FIFOs")

CASES = ("cases:\n  - id: a\n    scenario: {provider: paris, recipient: baltimore, use: internal,\n"
         "               solution: {licence: MIT, sbom: sbom.spdx.json}}\n    expect: permit\n")

# (the files copied into an empty folder, the file mutated, the command run there)
TARGETS: dict[str, tuple[dict[str, Path | str], str, list[str]]] = {
    "reuse": ({"scenario.yaml": EXAMPLES / "lutece/scenario.yaml", "publiccode.yml": EXAMPLES / "lutece/publiccode.yml",
               "sbom.spdx.json": EXAMPLES / "lutece/sbom.spdx.json"}, "scenario.yaml", ["reuse", "scenario.yaml"]),
    "reuse-publiccode": ({"scenario.yaml": EXAMPLES / "lutece/scenario.yaml",
                          "publiccode.yml": EXAMPLES / "lutece/publiccode.yml",
                          "sbom.spdx.json": EXAMPLES / "lutece/sbom.spdx.json"}, "publiccode.yml",
                         ["reuse", "scenario.yaml"]),
    "test": ({"cases.yaml": CASES, "sbom.spdx.json": EXAMPLES / "lutece/sbom.spdx.json"}, "cases.yaml",
             ["test", "cases.yaml"]),
    "check": ({"a.coop": EXAMPLES / "agreements/paris-baltimore.coop", "p.coop": EXAMPLES / "agreements/parties.coop"},
              "a.coop", ["check", "."]),
    "fmt": ({"a.coop": EXAMPLES / "agreements/paris-baltimore.coop"}, "a.coop", ["fmt", "--check", "a.coop"]),
    "tender": ({"t.coop": EXAMPLES / "tenders/lyon-2026-42.coop",
                "bid.json": EXAMPLES / "tenders/bids/passing/sbom.spdx.json",
                "pc.yml": EXAMPLES / "tenders/bids/passing/publiccode.yml"}, "t.coop",
               ["tender", "t.coop", "--bid", "bid.json", "--publiccode", "pc.yml"]),
    **{f"sbom-{p.name}": ({p.name: p}, p.name, ["sbom", p.name, "--outbound", "EUPL-1.2"])
       for p in sorted(SBOMS.iterdir())},
    "bid": ({"t.coop": EXAMPLES / "tenders/lyon-2026-42.coop",
             "bid.json": EXAMPLES / "tenders/bids/failing/sbom.cdx.json"}, "bid.json",
            ["tender", "t.coop", "--bid", "bid.json", "--offered", "EUPL-1.2"]),
}

# Special things put where the mutated file was.
SPECIAL = ("/dev/zero", "/dev/null", "/dev/urandom", "fifo", "folder", "symlink-out", "dangling", "loop")

# Bytes that have broken parsers before: controls, bidi, BOMs, quotes, brackets, YAML and coop syntax.
PIECES = [b"\x00", b"\x1b[2K\r", b"\xe2\x80\xae", b"\xef\xbb\xbf", b"\xff\xfe", b"\t", b"\r\n", b'"', b"'",
          b"{", b"}", b"[", b"]", b":", b"- ", b"&a ", b"*a", b"!!python/object ", b"<!DOCTYPE x [<!ENTITY e 'x'>]>",
          b"NaN", b"1e9999", b"9" * 5000, b"..", b"/", b" WITH ", b" AND ", b" OR ", b"(", b")", b"#", b"\\",
          b"9999-12-31", b"0001-01-01", b"\xd0\xb5"]


@contextmanager
def alarm(seconds: int) -> Iterator[None]:
    def stop(signum: int, frame: object) -> None:
        raise TimeoutError(f"a run took more than {seconds} s (hanging on a special file?)")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run(folder: Path, args: list[str]) -> None:
    old = Path.cwd()
    os.chdir(folder)
    try:
        with alarm(TIMEOUT_S):
            result = CliRunner().invoke(cli, args, catch_exceptions=True)
    finally:
        os.chdir(old)
    said = result.stdout + result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args}: uncaught {type(result.exception).__name__}: {result.exception}")
    assert 0 <= result.exit_code <= 4, (args, result.exit_code, said[-2000:])
    assert "Traceback" not in said and "internal error" not in said, (args, said[-2000:])


def setup(folder: Path, target: str) -> tuple[str, list[str]]:
    copies, mutated, args = TARGETS[target]
    for name, origin in copies.items():
        data = origin if isinstance(origin, str) else origin.read_text(encoding="utf-8")
        (folder / name).write_text(data, encoding="utf-8")
    return mutated, args


def mutate(data: bytes, edits: list[tuple[float, int, int]]) -> bytes:
    out = bytearray(data)
    for where, kind, what in edits:
        at = int(where * len(out))
        if kind == 0:  # delete a run
            del out[at : at + what % 64 + 1]
        elif kind == 1:  # insert a piece
            out[at:at] = PIECES[what % len(PIECES)]
        elif kind == 2:  # flip a byte
            if at < len(out):
                out[at] ^= (what % 255) + 1
        else:  # cut the file here
            del out[at:]
    return bytes(out)


edits = st.lists(st.tuples(st.floats(0, 1), st.integers(0, 3), st.integers(0, 10_000)), min_size=1, max_size=6)
# COOP_FUZZ_EXAMPLES raises the count for a longer hunt by hand.
FUZZ = settings(max_examples=int(os.environ.get("COOP_FUZZ_EXAMPLES", "60")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(target=st.sampled_from(sorted(TARGETS)), changes=edits)
def test_mutated_valid_inputs(target: str, changes: list[tuple[float, int, int]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        mutated, args = setup(folder, target)
        path = folder / mutated
        path.write_bytes(mutate(path.read_bytes(), changes))
        run(folder, args)


@FUZZ
@given(target=st.sampled_from(sorted(TARGETS)), data=st.binary(max_size=2000))
def test_random_bytes(target: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        mutated, args = setup(folder, target)
        (folder / mutated).write_bytes(data)
        run(folder, args)


# Every special path in place of every file: few enough to try them all.
@pytest.mark.parametrize("special", SPECIAL)
@pytest.mark.parametrize("target", sorted(TARGETS))
def test_special_paths(target: str, special: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "case"
        folder.mkdir()
        (Path(tmp) / "secret").write_text("root:x:0:0\n")
        mutated, args = setup(folder, target)
        path = folder / mutated
        path.unlink()
        if special == "fifo":
            os.mkfifo(path)
        elif special == "folder":
            path.mkdir()
        elif special == "symlink-out":
            path.symlink_to(Path(tmp) / "secret")
        elif special == "dangling":
            path.symlink_to(Path(tmp) / "nowhere")
        elif special == "loop":
            path.symlink_to(path)
        else:
            args = [special if a == mutated else a for a in args]
            if special not in args:  # the file is named inside another one (or found in a folder): link it
                path.symlink_to(special)
        run(folder, args)


ARG_COMMANDS = (["expr", "{}"], ["licence", "{}"], ["outbound", "{}"],
                ["compat", "--inbound", "{}", "--outbound", "MIT"], ["compat", "--inbound", "MIT", "--outbound", "{}"],
                ["sbom", "{}", "--outbound", "MIT"], ["reuse", "{}"], ["check", "{}"], ["tender", "{}", "--bid", "{}"],
                ["test", "{}"])
WORDS = st.sampled_from(["MIT", "AND", "OR", "WITH", "(", ")", "+", "GPL-2.0", "LicenseRef-x", "NONE",
                         "Classpath-exception-2.0", "\x1b[2J", "\x00", "\u202e", "..", "/", "-", "--x", "gpl-2.0+",
                         "DocumentRef-a:LicenseRef-b"])
ARGUMENTS = st.text(max_size=300) | st.lists(WORDS, max_size=12).map(" ".join)


@FUZZ
@given(command=st.sampled_from(ARG_COMMANDS), value=ARGUMENTS)
def test_random_arguments(command: list[str], value: str) -> None:
    if "\x00" in value:  # the operating system cannot pass a NUL in an argument
        value = value.replace("\x00", "")
    with tempfile.TemporaryDirectory() as tmp:
        run(Path(tmp), [value if a == "{}" else a for a in command])
