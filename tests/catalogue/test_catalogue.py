"""``coop catalogue``: every solution of a folder of publiccode.yml files decided for one
recipient, as ``coop reuse`` would decide it; broken files listed, never fatal; the process
pool gives what one process gives. The example catalogue holds real publiccode.yml files
(examples/catalogue/ORIGIN.md). Golden text in tests/catalogue/golden (regenerate with
``COOP_UPDATE_GOLDEN=1``)."""

from __future__ import annotations

import json
import os
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from coopengine import decide_catalogue, decide_reuse
from coopengine.cli.main import cli
from coopengine.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "examples" / "catalogue"
AGREEMENTS = ROOT / "examples" / "agreements"
GOLDEN = Path(__file__).parent / "golden"
ARGS = ["catalogue", "examples/catalogue", "--recipient", "baltimore", "--use", "network-service",
        "--agreements", "examples/agreements", "--parties", "examples/catalogue/parties.yaml", "--date", "2026-06-01"]


def _run(monkeypatch: pytest.MonkeyPatch, *extra: str) -> tuple[int, str]:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, [*ARGS, *extra])
    return result.exit_code, result.stdout


def _schema(name: str) -> dict[str, object]:
    return json.loads((files("coopengine") / "schemas" / name).read_text())


@pytest.mark.parametrize(("fmt", "golden"), [("text", "example.txt"), ("markdown", "example.md")])
def test_example_catalogue_golden(monkeypatch: pytest.MonkeyPatch, fmt: str, golden: str) -> None:
    status, out = _run(monkeypatch, "--format", fmt, "--jobs", "1")
    assert status == 4  # the broken file is listed; the run goes on
    path = GOLDEN / golden
    if os.environ.get("COOP_UPDATE_GOLDEN") == "1":
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8")


def test_json_matches_its_schema_and_each_decision_is_reuse_v1(monkeypatch: pytest.MonkeyPatch) -> None:
    _, out = _run(monkeypatch, "--format", "json")
    doc = json.loads(out)
    jsonschema.validate(doc, _schema("catalogue-v1.schema.json"))
    reuse = _schema("reuse-v1.schema.json")
    decided = [s for s in doc["solutions"] if s["decision"] is not None]
    assert decided
    for s in decided:
        jsonschema.validate(s["decision"], reuse)
        assert s["decision"]["verdict"] == s["verdict"]
    verdicts = [s["verdict"] for s in doc["solutions"]]
    order = ["permit", "require-mou", "undetermined", "deny", "own", "error"]
    assert verdicts == sorted(verdicts, key=order.index)
    assert doc["summary"]["counts"] == {v: verdicts.count(v) for v in order}


def test_each_solution_is_what_coop_reuse_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    # The catalogue adds nothing of its own: the same scenario through decide_reuse agrees.
    monkeypatch.chdir(ROOT)
    result = decide_catalogue(["examples/catalogue"], recipient="baltimore", use="network-service",
                              agreements=["examples/agreements"], parties={"Ville de Paris": "paris"},
                              date="2026-06-01")
    lutece = next(e for e in result.entries if e.name == "Lutece")
    alone = decide_reuse({"provider": "paris", "recipient": "baltimore", "use": "network-service",
                          "date": "2026-06-01", "solution": {"name": "Lutece", "sbom": "sbom.spdx.json"}},
                         publiccode=CATALOGUE / "lutece" / "publiccode.yml", agreements=[AGREEMENTS],
                         base_dir=CATALOGUE / "lutece")
    assert lutece.decision is not None
    assert (lutece.verdict, lutece.decision.to_dict()["determining"]) == (alone.verdict,
                                                                          alone.to_dict()["determining"])
    # An organisation that is no party is decided on its licence alone.
    signalen = next(e for e in result.entries if e.name == "Signalen frontend")
    assert signalen.provider == "org-signalen" and signalen.verdict == "permit"
    assert signalen.decision is not None and signalen.decision.to_dict()["agreements"] == []


def test_broken_file_is_listed_with_its_diagnostic(monkeypatch: pytest.MonkeyPatch) -> None:
    _, out = _run(monkeypatch, "--format", "json")
    broken = next(s for s in json.loads(out)["solutions"] if s["path"].endswith("broken/publiccode.yml"))
    assert broken["verdict"] == "error" and broken["decision"] is None
    assert broken["error"]["line"] == 5 and "YAML" in broken["error"]["message"]


def test_the_recipients_own_solution_is_not_decided(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "publiccode.yml").write_text(
        "name: Mine\nlegal:\n  license: GPL-3.0-only\n  mainCopyrightOwner: Baltimore City\n", encoding="utf-8")
    result = decide_catalogue([tmp_path], recipient="baltimore", use="distribution",
                              parties={"Baltimore City": "baltimore"})
    (own,) = result.entries
    assert (own.verdict, own.provider, own.decision, own.error) == ("own", "baltimore", None, None)
    assert result.exit_code == 0


def test_filters(monkeypatch: pytest.MonkeyPatch) -> None:
    status, out = _run(monkeypatch, "--format", "json", "--only", "permit")
    doc = json.loads(out)
    assert {s["verdict"] for s in doc["solutions"]} == {"permit"} and status == 0
    assert doc["summary"]["filtered_out"] == 6 - len(doc["solutions"])
    _, out = _run(monkeypatch, "--format", "json", "--only", "own")
    assert json.loads(out)["solutions"] == []
    _, out = _run(monkeypatch, "--format", "json", "--platform", "windows")
    assert [s["verdict"] for s in json.loads(out)["solutions"]] == ["error"]  # unreadable files stay listed


def test_process_pool_gives_what_one_process_gives(tmp_path: Path) -> None:
    for n in range(1100):  # more than two chunks of 500
        d = tmp_path / f"s{n:04d}"
        d.mkdir()
        lic = ["MIT", "AGPL-3.0-only", "GPL-2.0-only", "LicenseRef-Own", "EUPL-1.2"][n % 5]
        (d / "publiccode.yml").write_text(f"publiccodeYmlVersion: '0.4'\nname: s{n}\nlegal:\n  license: {lic}\n"
                                          f"organisation:\n  name: Org {n % 7}\n", encoding="utf-8")
    one = decide_catalogue([tmp_path], recipient="baltimore", use="distribution", jobs=1).to_dict()
    two = decide_catalogue([tmp_path], recipient="baltimore", use="distribution", jobs=2).to_dict()
    assert one == two
    assert one["summary"]["counts"]["deny"] + one["summary"]["counts"]["require-mou"] > 0


def test_a_list_file_names_solutions_and_stays_in_its_folder(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "publiccode.yml").write_text("name: a\nlegal:\n  license: MIT\n", encoding="utf-8")
    listing = tmp_path / "list.txt"
    listing.write_text("# one per line\na\n\n", encoding="utf-8")
    result = decide_catalogue([listing], recipient="baltimore", use="internal")
    assert [e.name for e in result.entries] == ["a"]
    listing.write_text("a\n../elsewhere/publiccode.yml\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        decide_catalogue([listing], recipient="baltimore", use="internal")
    assert caught.value.location.line == 2 and "outside" in caught.value.message


def test_bad_arguments_are_exit_2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(ROOT)
    bad = tmp_path / "parties.yaml"
    bad.write_text('"Ville de Paris": Paris City\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["catalogue", "examples/catalogue", "--recipient", "baltimore",
                                      "--parties", str(bad)])
    assert result.exit_code == 2 and "identifier" in result.stderr
    result = CliRunner().invoke(cli, ["catalogue", "no-such-folder", "--recipient", "baltimore"])
    assert result.exit_code == 2


def test_the_distributed_example_gives_what_coop_catalogue_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    # docs/catalogue.md: the per-solution decision mapped over a Dask bag on a local pool of processes.
    db = pytest.importorskip("dask.bag")
    from coopengine.catalogue import Request, catalogue_of, decide_entries, find_solutions

    monkeypatch.chdir(ROOT)
    request = Request(recipient="baltimore", use="network-service", agreements=(Path("examples/agreements"),),
                      parties={"Ville de Paris": "paris"},
                      date=__import__("datetime").date(2026, 6, 1))
    paths = find_solutions(["examples/catalogue"])
    bag = db.from_sequence(paths, npartitions=2).map_partitions(decide_entries, request)
    distributed = catalogue_of(bag.compute(scheduler="processes", num_workers=2), request)
    _, out = _run(monkeypatch, "--format", "json")
    assert distributed.to_dict()["solutions"] == json.loads(out)["solutions"]


def test_hostile_files_in_a_catalogue(tmp_path: Path) -> None:
    # A FIFO named publiccode.yml is refused as what it is, a link leading out of the folder is
    # not followed, control characters are escaped in the text report; nothing stops the run.
    from coopengine import render

    root = tmp_path / "cat"
    (root / "fifo").mkdir(parents=True)
    os.mkfifo(root / "fifo" / "publiccode.yml")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "publiccode.yml").write_text("name: secret\nlegal:\n  license: MIT\n", encoding="utf-8")
    (root / "link").symlink_to(outside, target_is_directory=True)
    (root / "odd").mkdir()
    (root / "odd" / "publiccode.yml").write_text('name: "Evil\\u001b[31m tool"\nlegal:\n  license: MIT\n',
                                                  encoding="utf-8")
    result = decide_catalogue([root], recipient="baltimore", use="internal")
    names = {e.name for e in result.entries}
    assert "secret" not in names
    fifo = next(e for e in result.entries if e.path.endswith("fifo/publiccode.yml"))
    assert fifo.verdict == "error" and "regular file" in str(fifo.error)
    text = render(result, "text")
    assert "\x1b" not in text and "Evil\\x1b[31m tool" in text
