"""The rule format of ``rules/``: an entry naming several targets means one fact per target.

The grouped form (``with: [A, B]``, ``to: [A, B]``) exists only to write a shared reason and
source once; these tests compile the bundled rules and a copy where every group is written out
entry by entry, and require the two knowledge bases to be identical, so grouping can never
change an answer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from coopengine.errors import InputError
from coopengine.knowledge import rules_files
from coopengine.knowledge.compile import compile_layers
from coopengine.knowledge.model import KnowledgeBase

RULES = Path(__file__).resolve().parents[1] / "rules"


class _NoAliases(yaml.SafeDumper):
    """Write a shared object out each time: the rules' loader refuses anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _compile(root: Path) -> KnowledgeBase:
    return compile_layers([("bundled", rules_files(root))], root, "same-key")


def _ungroup(entries: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    out = []
    for entry in entries:
        names = entry[key] if isinstance(entry[key], list) else [entry[key]]
        out.extend({**entry, key: name} for name in names)
    return out


def _write_ungrouped(src: Path, dst: Path) -> int:
    """Copy ``src`` to ``dst`` with every grouped entry written once per target; count the groups."""
    groups = 0
    for path in rules_files(src):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for lic in (data or {}).get("licences", []):
            for kind, key in (("incompatible", "with"), ("compatible", "with"), ("relicense", "to")):
                if kind in lic:
                    groups += sum(isinstance(e[key], list) for e in lic[kind])
                    lic[kind] = _ungroup(lic[kind], key)
        out = dst / path.relative_to(src)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(yaml.dump(data, Dumper=_NoAliases, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return groups


def test_grouped_entries_compile_as_one_fact_per_target(tmp_path: Path) -> None:
    groups = _write_ungrouped(RULES, tmp_path)
    assert groups > 50, "the bundled rules are expected to use the grouped form"
    grouped, ungrouped = _compile(RULES), _compile(tmp_path)
    assert grouped.licences == ungrouped.licences
    assert grouped.exceptions == ungrouped.exceptions
    assert grouped.sources == ungrouped.sources
    assert grouped.obligations == ungrouped.obligations


def test_no_reason_is_repeated_within_a_licence() -> None:
    """Entries of one licence that differ only by target are written as one entry."""
    for path in rules_files(RULES):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for lic in data.get("licences", []):
            for kind, key in (("incompatible", "with"), ("compatible", "with"), ("relicense", "to")):
                seen: set[str] = set()
                for entry in lic.get(kind, []):
                    rest = yaml.safe_dump({k: v for k, v in entry.items() if k != key}, sort_keys=True)
                    assert rest not in seen, f"{path.name}: {lic['id']} {kind}: group {entry[key]} with its twin"
                    seen.add(rest)


def _kb_with(tmp_path: Path, entry: str) -> Path:
    for path in rules_files(RULES):
        out = tmp_path / path.relative_to(RULES)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "licences" / "zz-test.yaml").write_text(entry, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("entry", "message", "line"),
    [
        ("compatible:\n  - with: [MIT, GPL-2.0-onyl]\n    reason: r\n    source: {id: licence-text}\n",
         "unknown licence id 'GPL-2.0-onyl'", "7:19"),
        ("compatible:\n  - with: [MIT, MIT]\n    reason: r\n    source: {id: licence-text}\n",
         "two compatible entries for MIT", "7:7"),
        ("relicense:\n  - to: [MIT, Nope-1.0]\n    reason: r\n    source: {id: licence-text}\n",
         "unknown licence id 'Nope-1.0'", "7:17"),
    ],
)
def test_grouped_entry_errors_name_the_target(tmp_path: Path, entry: str, message: str, line: str) -> None:
    head = ("licences:\n- id: LicenseRef-Test\n  category: permissive\n  copyleft: none\n"
            "  sources: [{id: licence-text}]\n  ")
    root = _kb_with(tmp_path, head + entry.replace("\n", "\n  ").rstrip() + "\n")
    with pytest.raises(InputError) as info:
        _compile(root)
    rendered = info.value.render()
    assert message in rendered
    assert f"zz-test.yaml:{line}" in rendered, rendered


# Curated licences whose category and scope rest on a secondary index only (choosealicense.com, the
# ScanCode LicenseDB): every answer citing them says "(secondary source)". Give one a primary source
# (its text, the FSF list, OSADL, its steward) and remove it here.
SECONDARY_ONLY = {"LPL-1.0", "MulanPSL-2.0", "QPL-1.0-INRIA-2004", "X11-distribute-modifications-variant"}


def test_facts_resting_only_on_secondary_sources_are_listed_and_marked() -> None:
    from coopengine.knowledge import load_knowledge

    kb = load_knowledge()
    category_secondary = set()
    pair_secondary = []
    for lid, facts in kb.licences.items():
        if not facts.curated:
            continue
        if facts.category_source.secondary:
            category_secondary.add(lid)
            assert "(secondary source)" in facts.category_source.cite()
            assert facts.category_source.to_dict()["secondary"] is True
        deciding = [
            *(p.source for p in facts.compatible.values()),
            *(p.source for p in facts.incompatible.values()),
            *(step[3] for path in facts.relicense.values() for step in path.steps),
            *(facts.terms or {}).values(),
        ]
        pair_secondary += [f"{lid}: {s.id}" for s in deciding if s.secondary]
    for condition in kb.conditions.values():
        pair_secondary += [f"{condition.id}: {r.source.id}" for r in condition.rulings if r.source.secondary]
    assert category_secondary == SECONDARY_ONLY
    assert not pair_secondary, "a compatibility fact cites only a secondary source: " + ", ".join(pair_secondary)


def test_licence_output_shows_terms_and_conditions() -> None:
    import json

    from click.testing import CliRunner

    from coopengine.cli.main import cli

    def shown(lid: str) -> dict[str, object]:
        result = CliRunner().invoke(cli, ["licence", lid, "--format", "json"])
        assert result.exit_code == 0, result.output
        return dict(json.loads(result.output))

    bsd4 = shown("BSD-4-Clause")
    assert [t["id"] for t in bsd4["terms"]] == ["advertising-clause", "notices"]  # type: ignore[index,union-attr]
    gpl1 = shown("GPL-1.0-only")
    assert [c["id"] for c in gpl1["conditions"]] == ["gpl-2-no-further-restrictions"]  # type: ignore[index,union-attr]
    assert shown("Qhull")["terms"] is None  # curated, terms not ruled on
    text = CliRunner().invoke(cli, ["licence", "GPL-1.0-only"]).output
    assert "sets on the whole work: gpl-2-no-further-restrictions" in text
