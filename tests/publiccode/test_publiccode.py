"""publiccode.yml: the reader on real files, the checker's diagnostics (golden files), the facts
agreements read, the CLI's exit codes, and that no input raises anything but InputError."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from coopengine import PublicCode, decide_reuse, load_publiccode
from coopengine.cli.main import cli
from coopengine.errors import InputError
from coopengine.publiccode import FACTS, TOP_KEYS

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "data" / "publiccode"
CASES = Path(__file__).parent / "cases"
REAL_FILES = sorted(REAL.glob("*.yml"))

# The real files that break the standard, and how: each checked by hand against the file
# and the standard (docs/standard/schema.core.rst). Every other real file must be valid.
REAL_PROBLEMS = {
    # maintenance.type internal needs contacts (schema.core.rst, maintenance/contacts)
    "ai-riksarkivet_htrflow.yml": ["maintenance.type is internal but no contacts are given"],
    # internal maintenance listed under contractors, without until
    "amsterdam_alletaal-lint.yml": ["maintenance.type is internal but no contacts are given",
                                    "contractors given with maintenance.type internal",
                                    "a contractor without until (the date the maintenance contract ends)"],
    "centrocisis_convergo.yml": ["maintenance.type is internal but no contacts are given",
                                 "missing key 'localisation.availableLanguages'",
                                 "no language of description has features"],
    # landingUrl for landingURL (keys are case-sensitive)
    "codeforbaltimore_healthcare-rollcall.yml": ["unknown key 'landingUrl'"],
    "codeforbaltimore_lambda-restful-util.yml": ["unknown key 'landingUrl'",
                                                 "softwareType: 'standalone/utility' is not one of the standard's "
                                                 "values"],
    # 0.3 still requires releaseDate (optional from 0.4, CHANGELOG v0.4.0)
    "comune-milano_whistleblowing.yml": ["missing key 'releaseDate'"],
}
# Not YAML at all: the long description's second line is not indented (line 64).
REAL_BROKEN = {"azienda-usl-di-bologna_dae-responder.yml": (64, "invalid YAML")}


def test_at_least_thirty_real_files_with_their_origin() -> None:
    assert len(REAL_FILES) >= 30
    origin = (REAL / "ORIGIN.md").read_text(encoding="utf-8")
    for path in REAL_FILES:
        row = next((line for line in origin.splitlines() if line.startswith(f"| {path.name} |")), None)
        assert row is not None, f"{path.name} has no row in ORIGIN.md"
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[1].startswith("github.com/") and len(cells[3]) == 40, row


@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.stem)
def test_every_real_file_reads(path: Path) -> None:
    if path.name in REAL_BROKEN:
        line, words = REAL_BROKEN[path.name]
        with pytest.raises(InputError) as info:
            load_publiccode(path)
        assert info.value.location.line == line and words in info.value.message
        return
    pc = load_publiccode(path)
    assert pc.name and pc.licence and pc.version is not None
    assert [d.error.message for d in pc.errors] == REAL_PROBLEMS.get(path.name, [])
    assert pc.sha256 and len(pc.sha256) == 64
    facts = pc.facts()
    assert set(facts) <= set(FACTS)
    assert facts["solution.depends-on.proprietary"] is bool(pc.depends_on_proprietary)


def test_the_same_file_from_path_text_and_bytes() -> None:
    path = REAL / "standard-example.yml"
    raw = path.read_bytes()
    by_path, by_text, by_bytes = (load_publiccode(path), load_publiccode(raw.decode(), file=str(path)),
                                  load_publiccode(raw, file=str(path)))
    assert by_path == by_text == by_bytes


def test_the_standards_full_example() -> None:
    pc = load_publiccode(REAL / "standard-example.yml")
    assert pc.valid and not pc.warnings
    assert (pc.version, pc.name, pc.licence, pc.owner) == ("0", "Medusa", "AGPL-3.0-or-later", "City of Chicago")
    assert (pc.organisation_uri, pc.organisation_name) == ("urn:x-italian-pa:c_h501", "Roma Capitale")
    assert pc.contractors == (("Fornitore Privato SPA", dt.date(2019, 1, 1)),)
    assert pc.contacts[0].name == "Francesco Rossi" and pc.contacts[0].affiliation == "Comune di Reggio Emilia"
    assert pc.depends_on_open == ("MySQL", "PostgreSQL")
    assert pc.depends_on_proprietary == ("Oracle", "IBM SoftLayer")
    assert pc.required_proprietary == ("Oracle", "IBM SoftLayer")  # neither is marked optional
    assert pc.depends_on_hardware == ("NFC Reader",)
    assert pc.used_by == ("Comune di Firenze", "Comune di Roma")
    assert pc.is_based_on == ("https://github.com/italia/otello.git",)
    assert pc.platforms == ("android", "ios") and pc.software_type == "standalone/desktop"
    assert pc.description["en"].short is not None and pc.description["en"].short.startswith("This description")
    facts = pc.facts()
    assert facts["solution.maintenance.type"] == "contract"
    assert facts["solution.maintenance.until"] == dt.date(2019, 1, 1)
    assert facts["solution.organisation"] == "urn:x-italian-pa:c_h501"
    assert facts["solution.depends-on.proprietary"] is True
    assert facts["solution.platform.ios"] is True and facts["solution.platform.web"] is False
    assert list(facts) == sorted(facts)


def test_a_version_0_5_file_with_organisation() -> None:
    pc = load_publiccode(REAL / "comune-milano_gefo.yml")
    assert pc.version == "0.5.0" and pc.valid


@pytest.mark.parametrize("path", sorted(CASES.glob("*.yml")), ids=lambda p: p.stem)
def test_check_diagnostics_golden(path: Path) -> None:
    """The text of ``coop publiccode check``; regenerate with COOP_UPDATE_GOLDEN=1 when the output must change."""
    result = CliRunner().invoke(cli, ["publiccode", "check", str(path.relative_to(ROOT))])
    golden = path.with_suffix(".txt")
    if os.environ.get("COOP_UPDATE_GOLDEN"):
        golden.write_text(result.output, encoding="utf-8")
    assert result.output == golden.read_text(encoding="utf-8")
    assert result.exit_code == (0 if ": valid" in result.output.splitlines()[-1] else 2)


def test_cli_exit_codes_and_json(tmp_path: Path) -> None:
    run = CliRunner().invoke
    assert run(cli, ["publiccode", "check", str(ROOT / "examples/lutece/publiccode.yml")]).exit_code == 0
    assert run(cli, ["publiccode", "check", str(CASES / "deprecated-repo-owner.yml")]).exit_code == 0
    assert run(cli, ["publiccode", "check", str(CASES / "misspelt-keys.yml")]).exit_code == 2
    missing = run(cli, ["publiccode", "check", str(tmp_path / "none.yml"), str(CASES / "deprecated-repo-owner.yml"),
                        "--format", "json"])
    assert missing.exit_code == 2
    data = json.loads(missing.output)
    assert data["schema"] == "coopengine/publiccode-check/v1" and data["valid"] is False
    assert [f["valid"] for f in data["files"]] == [False, True]  # a broken file does not stop the others
    assert "not found" in data["files"][0]["diagnostics"][0]["message"]
    assert data["files"][1]["diagnostics"][0]["severity"] == "warning"
    assert "Traceback" not in missing.output


def test_scenario_reads_the_publiccode_facts(tmp_path: Path) -> None:
    """An agreement clause on solution.maintenance.type decides from the solution's publiccode.yml."""
    (tmp_path / "publiccode.yml").write_bytes((REAL / "standard-example.yml").read_bytes())
    (tmp_path / "deal.coop").write_text(
        'party roma "Roma Capitale" kind city jurisdiction IT\n'
        'party firenze "Comune di Firenze" kind city jurisdiction IT\n'
        'agreement roma-firenze "Reuse of maintained software" {\n'
        "  parties roma, firenze\n  effective 2020-01-01 until 2030-12-31\n"
        '  clause maintained "Art. 1 Software under a maintenance contract" ref "art-1" {\n'
        "    when solution.maintenance.type == contract and not solution.depends-on.proprietary\n"
        "    then permit\n  }\n"
        '  clause closed "Art. 2 Software needing proprietary products" ref "art-2" {\n'
        "    when solution.depends-on.proprietary\n    then require-mou\n  }\n}\n", encoding="utf-8")
    scenario = {"provider": "roma", "recipient": "firenze", "date": "2025-01-10", "use": "internal",
                "solution": {"publiccode": "publiccode.yml"}, "agreements": ["deal.coop"]}
    (tmp_path / "scenario.yaml").write_text(yaml.safe_dump(scenario), encoding="utf-8")
    decision = decide_reuse(tmp_path / "scenario.yaml")
    assert decision.verdict == "require-mou", decision
    # The scenario's own attribute wins over the file's.
    scenario["solution"]["attributes"] = {"depends-on.proprietary": False}  # type: ignore[index]
    (tmp_path / "scenario.yaml").write_text(yaml.safe_dump(scenario), encoding="utf-8")
    assert decide_reuse(tmp_path / "scenario.yaml").verdict == "permit"


# ---- no input raises anything but InputError ---------------------------------------------

_leaf = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=12),
                  st.sampled_from(["0.2", "0.4", "0.7", "contract", "internal", "2024-02-30", "2025-01-01",
                                   "MIT", "GPL-2.0-only WITH Classpath-exception-2.0", "MIT AND", "web"]),
                  st.dates())
_keys = st.sampled_from([*TOP_KEYS, "license", "mainCopyrightOwner", "repoOwner", "type", "contractors",
                         "contacts", "open", "proprietary", "hardware", "name", "until", "uri", "optional", "en",
                         "shortDescription", "longDescription", "bogus"])
_tree = st.recursive(_leaf, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                    st.dictionaries(_keys, inner, max_size=5)), max_leaves=25)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_keys, _tree, max_size=8))
def test_any_structure_gives_a_model_or_an_input_error(data: dict[str, object]) -> None:
    text = yaml.safe_dump(data, allow_unicode=True)
    try:
        pc = load_publiccode(text + "\n", file="<h>")
    except InputError as exc:
        assert exc.render()
        return
    assert isinstance(pc, PublicCode)
    pc.facts()
    for d in pc.warnings:
        assert d.render() and d.to_dict()["severity"] in ("error", "warning")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_give_a_model_or_an_input_error(raw: bytes) -> None:
    try:
        load_publiccode(raw, file="<h>")
    except InputError:
        pass


def test_every_fact_is_documented() -> None:
    table = (ROOT / "docs" / "publiccode.md").read_text(encoding="utf-8")
    documented = {cell.strip("` ") for line in table.splitlines() if line.startswith("| `")
                  for cell in line.split("|")[2:3] if cell.strip().startswith("`solution.")}
    assert documented == set(FACTS)


def test_agreements_are_checked_against_the_publiccode_facts(tmp_path: Path) -> None:
    """The facts are declared paths: a misspelt path or value is caught, with a did-you-mean."""
    (tmp_path / "a.coop").write_text(
        'party roma "Roma" kind city jurisdiction IT\nparty firenze "Firenze" kind city jurisdiction IT\n'
        'agreement rf "x" {\n  parties roma, firenze\n  effective 2020-01-01 until 2030-12-31\n'
        '  clause c1 "Art. 1" ref "a1" {\n'
        "    when solution.maintenance.type == contrat and solution.depends-on.propietary\n"
        "    then permit\n  }\n}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "a.coop")])
    assert result.exit_code == 2
    assert "did you mean `contract`?" in result.output
    assert "did you mean `solution.depends-on.proprietary`?" in result.output


def test_hostile_files_are_refused_without_hanging(tmp_path: Path) -> None:
    """A FIFO, an oversized file, aliases: exit 2 with a diagnostic, never a hang or a traceback."""
    fifo = tmp_path / "fifo.yml"
    os.mkfifo(fifo)
    big = tmp_path / "big.yml"
    big.write_bytes(b"name: x\n" + b"# " + b"x" * 1_100_000 + b"\n")
    aliases = tmp_path / "aliases.yml"
    aliases.write_text("a: &x [1, 2]\nusedBy: *x\n", encoding="utf-8")
    control = tmp_path / "control.yml"
    # YAML refuses a raw ESC, but a double-quoted key may spell one: "\e".
    control.write_bytes(b'name: x\n"bo\\e[31mgus": 1\nlegal: {license: MIT}\n')
    result = CliRunner().invoke(cli, ["publiccode", "check", str(fifo), str(big), str(aliases), str(control),
                                      "--format", "json"])
    assert result.exit_code == 2, result.output
    files = json.loads(result.output)["files"]
    assert [f["valid"] for f in files] == [False, False, False, False]
    assert "regular file" in files[0]["diagnostics"][0]["message"] or "not a" in files[0]["diagnostics"][0]["message"]
    assert "too large" in files[1]["diagnostics"][0]["message"]
    assert "aliases" in files[2]["diagnostics"][0]["message"]
    text = CliRunner().invoke(cli, ["publiccode", "check", str(control)]).output
    assert "unknown key" in text and "\x1b" not in text  # the ESC is shown escaped, never sent to the terminal


def test_a_date_and_time_is_not_a_date() -> None:
    pc = load_publiccode('publiccodeYmlVersion: "0.4"\nreleaseDate: 2024-05-01 10:00:00\n', file="<t>")
    assert pc.release_date is None
    assert any("date and time" in d.error.message and d.error.hint == "write 2024-05-01" for d in pc.errors)


def test_a_key_of_the_wrong_type_makes_its_facts_unknown_not_false() -> None:
    """`proprietary: Oracle` (one word, not a list) must not read as "no proprietary dependency"."""
    pc = load_publiccode('publiccodeYmlVersion: "0.4"\nname: [x]\nplatforms: 3\nlegal: {license: MIT}\n'
                         "dependsOn: {proprietary: Oracle, open: [{name: PostgreSQL}]}\n", file="<t>")
    facts = pc.facts()
    assert "solution.depends-on.proprietary" not in facts and "solution.depends-on.proprietary-required" not in facts
    assert facts["solution.depends-on.open"] is True
    assert not any(k.startswith("solution.platform.") for k in facts) and "solution.name" not in facts
    assert {"dependsOn.proprietary", "platforms", "name"} <= pc.unreadable
    assert {d.key for d in pc.errors} >= {"dependsOn.proprietary", "platforms", "name"}


def test_a_scenario_refuses_a_publiccode_whose_legal_cannot_be_read(tmp_path: Path) -> None:
    (tmp_path / "publiccode.yml").write_text("name: x\nlegal: [MIT]\n", encoding="utf-8")
    scenario = "provider: a\nrecipient: b\nuse: internal\nsolution: {publiccode: publiccode.yml}\n"
    (tmp_path / "s.yaml").write_text(scenario, encoding="utf-8")
    result = CliRunner().invoke(cli, ["reuse", str(tmp_path / "s.yaml")])
    assert result.exit_code == 2 and "legal must be a mapping" in result.output
