"""The decision rules of language.md and contract.md, one small agreement each.

Tests marked "fix" pin a behaviour that was wrong before issue 4's review.
"""

from __future__ import annotations

import pytest
from reuse_helpers import SCENARIOS, Decider

from coopengine.errors import InputError
from coopengine.reuse import Decision


def status(decision: Decision, clause: str) -> str:
    return str({c.id: c.status for c in decision.clauses}[clause])


AGREEMENT = """\
agreement ab "A-B" {{
  parties a-city, b-city
  effective 2024-01-01
{body}
}}
"""


def agreement(body: str, extra: str = "") -> str:
    return AGREEMENT.format(body=body) + extra


def test_licence_alone_permit_has_only_licence_entries(decide_with: Decider) -> None:
    d = decide_with(agreement(""), licence="MIT")
    assert d.verdict == "permit"
    assert d.determining == ("licence:MIT",)


def test_guardrails_most_restrictive_and_all_determining(decide_with: Decider) -> None:
    body = """
  guardrail g1 "G1" ref "1" { then require-mou }
  guardrail g2 "G2" ref "2" { when use == internal then deny }
  clause c "C" ref "3" { then permit }
"""
    d = decide_with(agreement(body))
    assert d.verdict == "deny"
    assert set(d.determining) == {"ab.g1", "ab.g2"}


def test_clause_with_own_dates_outside_is_not_in_force(decide_with: Decider) -> None:
    """fix: language.md lists not-in-force among clause statuses; a clause's own `effective` gives it."""
    body = """
  clause old "Old" ref "1" { then deny effective 2020-01-01 until 2020-12-31 }
"""
    d = decide_with(agreement(body))
    assert status(d, "ab.old") == "not-in-force"
    assert d.verdict == "permit"


def test_exception_includes_base_condition_transitively(decide_with: Decider) -> None:
    body = """
  clause base "Base" ref "1" { when use == distribution then require-mou }
  clause e1 "E1" ref "2" exception to base { when modified then deny }
  clause e2 "E2" ref "3" exception to e1 { when solution.ok then permit }
"""
    d = decide_with(agreement(body), modified=True, attributes={"ok": True})
    # use is internal: the base does not hold, so neither do its exceptions.
    assert [status(d, k) for k in ("ab.base", "ab.e1", "ab.e2")] == ["not-applicable"] * 3
    d = decide_with(agreement(body), modified=True, attributes={"ok": True}, use="distribution")
    # Defeat is transitive (language.md): e1 applies, so it defeats base even though e2 defeats e1.
    assert [status(d, k) for k in ("ab.base", "ab.e1", "ab.e2")] == ["defeated", "defeated", "applied"]
    assert {c.id: c.defeated_by for c in d.clauses}["ab.base"] == "ab.e1"
    assert d.verdict == "permit" and "ab.base" not in d.determining


def test_defeated_exception_still_defeats_its_base(decide_with: Decider) -> None:
    """fix (issue 10, section 6): an exception set aside by its own exception does not
    reinstate the clause it is an exception to."""
    body = """
  clause base "Base" ref "1" { then deny }
  clause e1 "E1" ref "2" exception to base { when modified then require-mou }
  clause e2 "E2" ref "3" exception to e1 { when solution.ok then permit }
"""
    d = decide_with(agreement(body), modified=True, attributes={"ok": True})
    assert [status(d, k) for k in ("ab.base", "ab.e1", "ab.e2")] == ["defeated", "defeated", "applied"]
    assert d.verdict == "permit" and d.determining == ("licence:MIT", "ab.e2")
    # Only e1 applies: it defeats base.
    d = decide_with(agreement(body), modified=True, attributes={"ok": False})
    assert d.verdict == "require-mou" and status(d, "ab.base") == "defeated"


def test_standalone_exception_of_an_exception_defeats_the_root(decide_with: Decider) -> None:
    """An applicable exception two levels down defeats the root even when the middle one
    does not apply (the deeper one is standalone)."""
    body = """
  clause base "Base" ref "1" { then deny }
  clause e1 "E1" ref "2" exception to base { when modified then require-mou }
  clause e2 "E2" ref "3" standalone exception to e1 { when solution.ok then permit }
"""
    d = decide_with(agreement(body), modified=False, attributes={"ok": True})
    assert [status(d, k) for k in ("ab.base", "ab.e1", "ab.e2")] == ["defeated", "not-applicable", "applied"]
    assert {c.id: c.defeated_by for c in d.clauses}["ab.base"] == "ab.e2"
    assert d.verdict == "permit"


def test_standalone_exception_does_not_need_its_base(decide_with: Decider) -> None:
    body = """
  clause base "Base" ref "1" { when use == distribution then require-mou }
  clause e "E" ref "2" exception to base standalone { when solution.urgent then permit }
"""
    d = decide_with(agreement(body), licence="LicenseRef-Unpublished", attributes={"urgent": True})
    assert status(d, "ab.e") == "applied"
    assert d.verdict == "permit" and d.determining == ("ab.e",)


def test_exception_without_then_adjusts_obligations_only(decide_with: Decider) -> None:
    body = """
  clause base "Base" ref "1" { then require-mou oblige publish "Publish" }
  clause e "E" ref "2" exception to base { waive publish oblige notify "Notify" }
"""
    d = decide_with(agreement(body))
    assert d.verdict == "require-mou" and status(d, "ab.base") == "applied"
    assert {o.id for o in d.obligations} == {"notify"}


def test_exception_without_then_falls_with_its_defeated_base(decide_with: Decider) -> None:
    """fix: an exception that only obliges adjusts its base; when the base is set aside, so is it."""
    body = """
  clause base "Base" ref "1" { oblige publish "Publish" }
  clause adjust "Adjust" ref "2" exception to base { waive publish oblige merge "Merge request" }
  clause drop "Drop" ref "3" exception to base { when modified then permit }
"""
    d = decide_with(agreement(body), modified=True)
    assert status(d, "ab.base") == "defeated"
    assert status(d, "ab.adjust") == "defeated"
    assert not [o for o in d.obligations if not o.source.startswith("licence:")]


def test_survivors_that_disagree_conflict(decide_with: Decider) -> None:
    body = """
  clause p "P" ref "1" { then permit }
  clause m "M" ref "2" { then require-mou }
"""
    d = decide_with(agreement(body))
    assert d.verdict == "undetermined"
    assert set(d.determining) == {"ab.p", "ab.m"}
    assert any("exception to" in h for h in d.hints)


OTHER = """
declaration pool "Pool" {
  adherents a-city, b-city, c-city
  effective 2024-01-01
  clause p "P" ref "1" { then require-mou }
}
"""


def test_between_agreements_no_precedence_is_a_conflict(decide_with: Decider) -> None:
    d = decide_with(agreement('  clause c "C" ref "1" { then permit }', OTHER))
    assert d.verdict == "undetermined"
    assert set(d.determining) == {"ab.c", "pool.p"}
    assert any("precedence" in h for h in d.hints)


def test_between_agreements_precedence_settles(decide_with: Decider) -> None:
    d = decide_with(agreement('  clause c "C" ref "1" { then permit }', OTHER + "precedence ab over pool\n"))
    assert d.verdict == "permit"
    d = decide_with(agreement('  clause c "C" ref "1" { then permit }', OTHER + "precedence pool over ab\n"))
    assert d.verdict == "require-mou" and d.determining == ("pool.p",)


def test_refines_settles(decide_with: Decider) -> None:
    coop = OTHER + """
agreement ab "A-B" {
  parties a-city, b-city
  effective 2024-01-01
  refines pool
  clause c "C" ref "1" { then permit }
}
"""
    d = decide_with(coop)
    assert d.verdict == "permit"


def test_exception_across_a_refined_agreement(decide_with: Decider) -> None:
    coop = OTHER + """
agreement ab "A-B" {
  parties a-city, b-city
  effective 2024-01-01
  refines pool
  clause e "E" ref "1" exception to pool.p { when use == internal then permit }
}
"""
    d = decide_with(coop)
    assert status(d, "pool.p") == "defeated"
    assert d.verdict == "permit" and d.determining == ("licence:MIT", "ab.e")


def test_conflict_inside_an_agreement_settled_by_precedence(decide_with: Decider) -> None:
    """fix: an agreement whose clauses conflict has no result; one that stands over it decides."""
    coop = agreement('  clause c "C" ref "1" { then permit }', """
declaration pool "Pool" {
  adherents a-city, b-city
  effective 2024-01-01
  clause x "X" ref "1" { then require-mou }
  clause y "Y" ref "2" { then deny }
}
precedence ab over pool
""")
    d = decide_with(coop)
    assert d.verdict == "permit"


def test_nothing_inferred_from_file_order_or_dates(decide_with: Decider) -> None:
    later = OTHER.replace("2024-01-01", "2025-01-01")
    d = decide_with(agreement('  clause c "C" ref "1" { then permit }', later))
    assert d.verdict == "undetermined"


def test_default_most_restrictive_when_no_clause_speaks(decide_with: Decider) -> None:
    coop = agreement('  default permit\n  clause c "C" ref "1" { when use == distribution then permit }', """
declaration pool "Pool" {
  adherents a-city, b-city
  effective 2024-01-01
  default require-mou
}
""")
    d = decide_with(coop)
    assert d.verdict == "require-mou" and d.determining == ("pool.default",)
    d = decide_with(coop, use="distribution")  # a clause with an effect applies: no default
    assert d.verdict == "permit"


def test_obligations_deduplicated_each_with_its_clause(decide_with: Decider) -> None:
    """fix: the same obligation from two clauses is listed once, under the first clause."""
    body = """
  clause a "A" ref "1" { oblige credit "Credit the owner" }
  clause b "B" ref "2" { oblige credit "Credit the owner" }
"""
    d = decide_with(agreement(body))
    credit = [o for o in d.obligations if o.id == "credit"]
    assert [(o.source, o.text) for o in credit] == [("ab.a", "Credit the owner")]


def test_grant_needed_for_eupl_under_mit(decide_with: Decider) -> None:
    body = '  clause g "G" ref "1" { when solution.owner == a-city grant "MIT" }'
    without = decide_with(agreement(""), licence="EUPL-1.2", use="distribution", outbound="MIT")
    assert without.verdict == "require-mou" and without.determining == ("licence:EUPL-1.2",)
    granted = decide_with(agreement(body), licence="EUPL-1.2", use="distribution", outbound="MIT")
    assert granted.verdict == "permit" and granted.determining == ("ab.g", "licence:MIT")
    assert granted.licence.granted == ("MIT",)


def test_grant_not_used_when_the_licence_suffices(decide_with: Decider) -> None:
    """fix: a grant the licence does not need is neither shown as granted nor determining."""
    body = '  clause g "G" ref "1" { grant "EUPL-1.2" }'
    d = decide_with(agreement(body), licence="MIT")
    assert d.verdict == "permit" and d.determining == ("licence:MIT",) and d.licence.granted == ()


def test_grant_only_for_code_the_granting_party_owns(decide_with: Decider) -> None:
    """fix: a party can only license code it owns; a grant for a vendor's code counts for nothing."""
    body = '  clause g "G" ref "1" { grant "MIT" }'
    d = decide_with(agreement(body), licence="EUPL-1.2", use="distribution", outbound="MIT", owner="vendor")
    assert d.verdict == "require-mou"


def test_permit_stands_in_only_for_a_silent_licence(decide_with: Decider) -> None:
    body = '  clause c "C" ref "1" { then permit }'
    silent = decide_with(agreement(body), licence="LicenseRef-Unpublished")
    assert silent.verdict == "permit" and silent.determining == ("ab.c",)
    forbids = decide_with(agreement(body), licence="EUPL-1.2", use="distribution", outbound="MIT")
    assert forbids.verdict == "require-mou" and forbids.determining == ("licence:EUPL-1.2",)
    nothing = decide_with(agreement(""), licence="LicenseRef-Unpublished")
    assert nothing.verdict == "require-mou"


def test_permit_does_not_stand_in_for_someone_elses_code(decide_with: Decider) -> None:
    """fix: contract.md: a permit stands in "for code the provider owns"; a vendor's code needs its licence."""
    body = '  clause c "C" ref "1" { then permit }'
    d = decide_with(agreement(body), licence="LicenseRef-Unpublished", owner="vendor")
    assert d.verdict == "require-mou"


def test_no_licence_is_not_osi_approved(decide_with: Decider) -> None:
    """fix: NONE and an undescribed LicenseRef- are certainly not OSI-approved (were unknown)."""
    body = '  guardrail g "G" ref "1" { when not licence.osi-approved then require-mou }'
    for licence in ("NONE", "LicenseRef-Unpublished"):
        d = decide_with(agreement(body), licence=licence)
        assert d.verdict == "require-mou" and d.determining == ("ab.g",), licence
    # NOASSERTION may be any licence: whether the guardrail holds is unknown, and it matters here.
    d = decide_with(agreement(body + '\n  clause c "C" ref "2" { then permit }'), licence="NOASSERTION")
    assert d.verdict == "undetermined" and d.missing == ("the solution's licence (licence.osi-approved)",)


def test_third_party_forbids_and_no_agreement_lifts_it(decide_with: Decider) -> None:
    body = '  clause c "C" ref "1" { then permit }'
    d = decide_with(agreement(body), use="network-service", outbound="MIT",
                    sbom=str(SCENARIOS / "appointments-sbom.spdx.json"))
    assert d.verdict == "deny" and d.determining == ("licence:AGPL-3.0-only",)
    assert any("cannot lift" in h for h in d.hints)
    # The hint names the outbound that works, checked by deciding again.
    assert "outbound AGPL-3.0-only instead of MIT: the combined work can go under it, and the decision would be " \
           "permit" in d.hints


def test_combined_work_goes_under_the_copyleft_licence(decide_with: Decider) -> None:
    """fix (issue 10, section 1): MIT code with an AGPL component, offered as a service, is not
    judged "AGPL into MIT": each licence allows the use, and the whole goes under AGPL-3.0."""
    body = '  clause c "C" ref "1" { then permit }'
    d = decide_with(agreement(body), use="network-service", sbom=str(SCENARIOS / "appointments-sbom.spdx.json"))
    assert d.verdict == "permit"
    assert d.licence.combined.licence == "AGPL-3.0-only" and d.licence.combined.copyleft == ("AGPL-3.0-only",)
    assert "licence:AGPL-3.0-only" in d.determining
    whole = [o for o in d.obligations if o.id == "combined-work-licence"]
    assert whole and "goes under AGPL-3.0-only" in whole[0].text and whole[0].source == "licence:AGPL-3.0-only"
    assert any(o.id == "network-use-disclose" for o in d.obligations)
    # Kept internal, no copyleft is triggered: no single licence is asked for.
    d = decide_with(agreement(body), use="internal", sbom=str(SCENARIOS / "appointments-sbom.spdx.json"))
    assert d.verdict == "permit" and d.licence.combined.copyleft == ()
    assert not any(o.id == "combined-work-licence" for o in d.obligations)


def test_no_licence_carries_the_whole_names_the_pair(decide_with: Decider) -> None:
    """GPL-2.0-only code with Apache-2.0 code, distributed: no licence carries both. The
    owner's copyleft is the one that cannot be met, so the owner's code is forbidden for this
    use (its owner could grant another licence): require-mou, not permit."""
    body = '  clause c "C" ref "1" { then permit }'
    d = decide_with(agreement(body), licence="GPL-2.0-only", use="distribution", combined_with="Apache-2.0")
    assert d.verdict == "require-mou"
    assert d.licence.owner_status == "forbids"
    assert d.licence.combined.blocking == ("owner",)
    assert d.licence.combined.blocking_licences == ("GPL-2.0-only", "Apache-2.0")
    # Every suggested change was tried and gives a better verdict.
    assert "use internal instead of distribution would make it permit" in d.hints
    # Parts the owner does not hold block (the recipient's GPL-2.0-only code and an LGPL-3.0
    # component): deny, since no agreement between the two can change a third party's terms.
    d = decide_with(agreement(body), licence="MIT", use="distribution", combined_with="GPL-2.0-only",
                    sbom=str(SCENARIOS / "appointments-sbom.spdx.json"))
    assert d.verdict == "deny" and d.licence.owner_status == "grants"
    assert "GPL-2.0-only" in d.licence.combined.blocking_licences
    assert "owner" not in d.licence.combined.blocking


def test_hints_never_suggest_a_change_that_is_not_better(decide_with: Decider) -> None:
    body = '  guardrail g "G" ref "1" { when use == internal then deny }'
    d = decide_with(agreement(body), licence="GPL-2.0-only", use="distribution", combined_with="Apache-2.0")
    assert d.verdict == "require-mou"
    # Internal use would hit the guardrail (deny): not suggested.
    assert not any(h.startswith("use internal") for h in d.hints)
    assert "use network-service instead of distribution would make it permit" in d.hints


def test_missing_fact_that_matters_is_named(decide_with: Decider) -> None:
    body = '  guardrail g "G" ref "1" { when solution.classification == "restricted" then deny }'
    d = decide_with(agreement(body))
    assert d.verdict == "undetermined"
    assert d.missing == ("solution.classification",) and d.determining == ("ab.g",)
    assert status(d, "ab.g") == "undetermined"


def test_missing_fact_read_both_ways_is_consistent(decide_with: Decider) -> None:
    """fix: unknown facts, not conditions, are enumerated: `x` and `not x` can never both fail."""
    body = """
  clause yes "Yes" ref "1" { when solution.x then permit }
  clause no "No" ref "2" { when not solution.x then permit }
"""
    d = decide_with(agreement(body), licence="LicenseRef-Unpublished")
    assert d.verdict == "permit"
    assert d.missing == ()


def test_missing_fact_that_cannot_matter_gives_a_verdict(decide_with: Decider) -> None:
    body = '  clause c "C" ref "1" { when solution.x oblige o "O" }'
    d = decide_with(agreement(body))
    assert d.verdict == "permit"
    assert status(d, "ab.c") == "undetermined"
    assert any("would add o" in h for h in d.hints)


def test_scope_unknown_names_the_fact(decide_with: Decider) -> None:
    body = '  scope solution.public-body\n  clause c "C" ref "1" { then deny }'
    d = decide_with(agreement(body))
    assert d.verdict == "undetermined" and d.determining == ("ab.scope",)
    assert d.missing == ("solution.public-body",)


def test_applicability(decide_with: Decider) -> None:
    body = '  clause c "C" ref "1" { then deny }'
    assert decide_with(agreement(body), recipient="c-city").agreements[0].status == "not-a-party"
    with pytest.raises(InputError, match="the provider and the recipient are the same party"):
        decide_with(agreement(body), recipient="a-city")  # refused when the scenario is read (issue 9)
    assert decide_with(agreement(body), date="2023-01-01").agreements[0].status == "not-in-force"
    scoped = agreement('  scope use == distribution\n  clause c "C" ref "1" { then deny }')
    d = decide_with(scoped)
    assert d.agreements[0].status == "out-of-scope" and d.verdict == "permit"
    assert status(d, "ab.c") == "not-applicable"
    assert d.clauses[0].conditions[0].text.startswith("agreement ab does not apply")


def test_inherited_condition_is_shown_for_an_exception(decide_with: Decider) -> None:
    body = """
  clause base "Base" ref "1" { when use == distribution then require-mou }
  clause e "E" ref "2" exception to base { when modified then permit }
"""
    d = decide_with(agreement(body), modified=True)
    e = next(c for c in d.clauses if c.id == "ab.e")
    assert e.status == "not-applicable"
    assert any("ab.base" in f.text and f.value is False for f in e.conditions)


def test_hints_only_name_clauses_that_would_flip(decide_with: Decider) -> None:
    """fix: hints are checked by re-running with the clause holding, not guessed from its effect."""
    body = """
  guardrail g "G" ref "1" { when use == distribution then deny }
  clause p "P" ref "2" { when modified then permit }
"""
    d = decide_with(agreement(body))
    assert any(h.startswith("ab.g") and "deny" in h for h in d.hints)
    assert not any(h.startswith("ab.p") for h in d.hints)  # a permit cannot change a permit
