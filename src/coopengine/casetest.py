"""``coop test``: decision test cases written by agreement authors.

A cases file lists scenarios (inline or by path) with the verdict they must reach and,
optionally, the clauses and licence terms that must determine it::

    agreements: [../agreements/]        # default for every case (optional)
    cases:
      - id: lutece-as-a-service
        scenario: ../lutece/scenario.yaml
        expect: permit
        determining: [licence:BSD-3-Clause]
      - id: restricted-system
        scenario: {provider: paris, recipient: baltimore, use: internal,
                   solution: {licence: MIT, attributes: {classification: restricted}}}
        expect: deny
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ._yaml import YamlDoc, load_yaml_file
from .errors import InputError, Location, did_you_mean
from .reuse import Decision, decide
from .scenario import Scenario, inside_path, read_date

__all__ = ["CaseResult", "TestRun", "run_cases"]

_CASE_KEYS = ("id", "scenario", "expect", "determining", "date", "agreements", "note")
_VERDICTS = ("permit", "require-mou", "deny", "undetermined")


@dataclass(frozen=True)
class CaseResult:
    id: str
    passed: bool
    expected: str
    got: str
    expected_determining: tuple[str, ...] | None
    determining: tuple[str, ...]
    problems: tuple[str, ...]
    line: int
    decision: Decision

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "passed": self.passed,
            "expected": self.expected,
            "got": self.got,
            "expected_determining": list(self.expected_determining) if self.expected_determining is not None
            else None,
            "determining": list(self.determining),
            "problems": list(self.problems),
            "line": self.line,
        }


@dataclass(frozen=True)
class TestRun:
    file: str
    results: tuple[CaseResult, ...]
    uncovered: tuple[str, ...]  # clauses no case applied or defeated
    clauses: tuple[str, ...]

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def failed(self) -> int:
        return len(self.results) - self.passed

    def to_dict(self, coverage: bool) -> dict[str, Any]:
        out: dict[str, Any] = {
            "schema": "coopengine/test/v1",
            "file": self.file,
            "passed": self.passed,
            "failed": self.failed,
            "cases": [r.to_dict() for r in self.results],
        }
        if coverage:
            out["coverage"] = {"clauses": len(self.clauses), "uncovered": list(self.uncovered)}
        return out


def _paths(doc: YamlDoc, path: tuple[Any, ...], value: Any, folder: Path, allow_outside: bool) -> list[Path]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
        raise doc.error(path, "expected a path or a list of paths")
    return [
        inside_path(doc, (*path, i) if isinstance(value, list) else path, item, folder, allow_outside)
        for i, item in enumerate(items)
    ]


def _check_only(only: Sequence[str], cases: list[Any], file: str) -> None:
    """A mistyped ``--case`` would run nothing and pass: refuse it."""
    ids = [str(c["id"]) for c in cases if isinstance(c, dict) and "id" in c]
    for wanted in only:
        if wanted not in ids:
            hits = did_you_mean(wanted, ids)
            raise InputError(
                f"unknown case id {wanted!r} (not in {file})",
                location=Location("<option --case>"),
                text=wanted,
                expected="an id of a case in the file",
                hint=f"did you mean {hits[0]!r}?" if hits else None,
            )


def run_cases(
    path: str | Path, *, kb: Sequence[str] = (), only: Sequence[str] = (), allow_outside: bool = False
) -> TestRun:
    """Run the cases in ``path``; the files it names (and theirs) must sit under its folder, or ``allow_outside``."""
    file = Path(path)
    doc = load_yaml_file(file, what="cases file")
    folder = file.parent
    cases, default_agreements = _read_top(doc, folder, allow_outside)
    _check_only(only, cases, doc.file)
    results = []
    seen: dict[str, int] = {}
    applied_or_defeated: set[str] = set()
    all_clauses: set[str] = set()
    for i, case in enumerate(cases):
        cpath: tuple[Any, ...] = ("cases", i)
        _check_case(doc, cpath, case)
        cid = str(case["id"])
        line = doc.locate(cpath).line or 0
        if cid in seen:
            raise doc.error((*cpath, "id"), f"case id {cid!r} is used twice (first at line {seen[cid]})")
        seen[cid] = line
        if only and cid not in only:
            continue
        scenario = _case_scenario(doc, cpath, case, folder, allow_outside)
        if "agreements" in case:  # an explicit list, possibly empty ("the licence alone")
            listed = case["agreements"]
            agreements = _paths(doc, (*cpath, "agreements"), listed, folder, allow_outside) if listed else []
        else:
            agreements = [] if scenario.agreements else default_agreements
        decision = decide(scenario, agreements=agreements, kb=kb)
        for c in decision.clauses:
            all_clauses.add(c.id)
            if c.status in ("applied", "defeated"):
                applied_or_defeated.add(c.id)
        results.append(_judge(cid, line, case, decision))
    uncovered = tuple(sorted(all_clauses - applied_or_defeated))
    return TestRun(str(file), tuple(results), uncovered, tuple(sorted(all_clauses)))


def _read_top(doc: YamlDoc, folder: Path, allow_outside: bool) -> tuple[list[Any], list[Path]]:
    """The file's ``cases`` list and its default ``agreements``, with the top level checked."""
    data = doc.data
    if not isinstance(data, dict) or "cases" not in data:
        raise doc.error((), "a cases file is a mapping with a `cases:` list", expected="cases: [...]")
    for key in data:
        if key not in ("agreements", "cases"):
            hits = did_you_mean(key, ("agreements", "cases"))
            raise doc.error((key,), f"unknown key {key!r}", expected="agreements, cases",
                            hint=f"did you mean {hits[0]!r}?" if hits else None)
    default_agreements = (
        _paths(doc, ("agreements",), data["agreements"], folder, allow_outside) if "agreements" in data else []
    )
    cases = data["cases"]
    if not isinstance(cases, list) or not cases:
        raise doc.error(("cases",), "cases must be a non-empty list")
    return cases, default_agreements


def _check_case(doc: YamlDoc, cpath: tuple[Any, ...], case: Any) -> None:
    """One case's keys and expected verdict, checked before anything is decided."""
    if not isinstance(case, dict):
        raise doc.error(cpath, "each case is a mapping (id, scenario, expect, ...)")
    for key in case:
        if key not in _CASE_KEYS:
            hits = did_you_mean(key, _CASE_KEYS)
            raise doc.error((*cpath, key), f"unknown key {key!r}", expected=", ".join(_CASE_KEYS),
                            hint=f"did you mean {hits[0]!r}?" if hits else None)
    for key in ("id", "scenario", "expect"):
        if key not in case:
            raise doc.error(cpath, f"case without {key!r}")
    expect = case["expect"]
    if expect not in _VERDICTS:
        hits = did_you_mean(str(expect), _VERDICTS)
        raise doc.error((*cpath, "expect"), f"unknown verdict {expect!r}", expected=" | ".join(_VERDICTS),
                        hint=f"did you mean {hits[0]!r}?" if hits else None)
    want_det = case.get("determining")
    if want_det is not None and (not isinstance(want_det, list) or not all(isinstance(x, str) for x in want_det)):
        raise doc.error((*cpath, "determining"), "determining is a list of clause ids and licence:ID entries")


def _case_scenario(doc: YamlDoc, cpath: tuple[Any, ...], case: dict[str, Any], folder: Path,
                   allow_outside: bool) -> Scenario:
    """The case's scenario: a file beside the cases file or an inline mapping, with the case's date."""
    raw = case["scenario"]
    if isinstance(raw, str):
        scen_path = _paths(doc, (*cpath, "scenario"), raw, folder, allow_outside)[0]
        try:
            scenario = Scenario.from_file(scen_path, allow_outside=allow_outside)
        except InputError as exc:
            # A file that is not YAML is not echoed: it was not named on the command line.
            raise (exc if scen_path.suffix in (".yaml", ".yml") else exc.redacted(doc.file)) from None
    elif isinstance(raw, dict):
        scenario = Scenario.from_dict(raw, doc.sub((*cpath, "scenario")), folder, allow_outside=allow_outside)
        scenario = replace(scenario, sha256="")
    else:
        raise doc.error((*cpath, "scenario"), "scenario is a path or an inline mapping")
    if case.get("date") is not None:
        day = read_date(doc, (*cpath, "date"), case["date"])
        scenario = replace(scenario, date=day, date_given=True)
    return scenario


def _judge(cid: str, line: int, case: dict[str, Any], decision: Decision) -> CaseResult:
    """Compare a decision with what the case expects."""
    expect = case["expect"]
    want_det = case.get("determining")
    problems = []
    if decision.verdict != expect:
        problems.append(f"verdict {decision.verdict}, expected {expect} ({decision.summary})")
    if want_det is not None and sorted(set(want_det)) != sorted(set(decision.determining)):
        problems.append(f"determining {sorted(decision.determining)}, expected {sorted(set(want_det))}")
    return CaseResult(cid, not problems, str(expect), decision.verdict,
                      tuple(want_det) if want_det is not None else None, decision.determining,
                      tuple(problems), line, decision)
