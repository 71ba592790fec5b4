"""Whether a licence is an open-source licence in the sense of the Interoperable Europe Act
(Regulation (EU) 2024/903, Article 2, point (12): reuse, redistribution and modification permitted
for all uses, the source code made available): derived from OSI approval or FSF listing, citing
the Act; withheld where the licence text restricts a use or modification, citing that text;
unknown otherwise (never a guess). Usable in clauses as ``licence.iea-open-source``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from coopengine import describe_licence
from coopengine.engine import iea_open_source
from coopengine.knowledge import load_knowledge

sys.path.insert(0, str(Path(__file__).parent / "reuse"))
from reuse_helpers import make_decider  # noqa: E402

# (licence, expected, source id) - expected None: unknown. Sources: the SPDX list's OSI/FSF flags
# for the derived "yes"; the licence texts' sections named in rules/permissions.yaml for the "no".
CASES = [
    ("MIT", True, "eu-iea-2024-903"),            # OSI-approved
    ("EUPL-1.2", True, "eu-iea-2024-903"),       # OSI-approved, FSF-listed
    ("AGPL-3.0-only", True, "eu-iea-2024-903"),  # a network copyleft still permits every use
    ("CC0-1.0", True, "eu-iea-2024-903"),        # FSF-listed (the OSI never approved it)
    ("CC-BY-NC-4.0", False, "licence-text"),     # NonCommercial, s2(a)(1)
    ("CC-BY-ND-4.0", False, "licence-text"),     # adapted material not shared, s2(a)(1)(B)
    ("BUSL-1.1", False, "licence-text"),         # production use limited
    ("PolyForm-Noncommercial-1.0.0", False, "licence-text"),
    ("JSON", False, "licence-text"),             # "for Good, not Evil"
    ("LicenseRef-Proprietary", False, "coopengine-proprietary-convention"),
    ("SSPL-1.0", None, None),                    # a condition, not a prohibition: left unknown
]


@pytest.mark.parametrize(("licence", "expected", "source"), CASES)
def test_the_acts_definition_per_licence(licence: str, expected: bool | None, source: str | None) -> None:
    facts = load_knowledge().licence(licence)
    assert facts is not None
    found = iea_open_source(facts)
    if expected is None:
        assert found is None
        return
    assert found is not None and found.granted is expected and found.source.id == source
    if expected:
        assert found.source.section == "Article 2, point (12)"
    assert describe_licence(licence).to_dict()["iea_open_source"] is expected


def test_never_yes_without_osi_or_fsf() -> None:
    # The derivation's only grounds: a "yes" always rests on OSI approval or FSF listing.
    for facts in load_knowledge().licences.values():
        found = iea_open_source(facts)
        if found is not None and found.granted:
            assert facts.osi_approved or facts.fsf_libre, facts.id


@pytest.mark.parametrize(("licence", "verdict"), [("EUPL-1.2", "permit"), ("BUSL-1.1", "require-mou"),
                                                  ("SSPL-1.0", "undetermined")])
def test_a_clause_reads_it(tmp_path: Path, licence: str, verdict: str) -> None:
    decide = make_decider(tmp_path)
    decision = decide('''
        agreement pact "Reuse pact" {
          parties a-city, b-city
          effective 2024-01-01
          clause open "Open source licences" ref "art-1" {
            when licence.iea-open-source
            then permit
          }
          clause other "Anything else" ref "art-2" {
            when not licence.iea-open-source
            then require-mou
          }
        }
        ''', licence=licence, use="internal")
    assert decision.verdict == verdict
