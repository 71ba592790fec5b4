"""Properties over random scenario facts: `decide` never raises, is deterministic, and an
applicable guardrail `deny` can never end in `permit`."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reuse_helpers import AGREEMENTS

from coopengine.reuse import decide
from coopengine.scenario import Scenario

PARTIES = ["paris", "baltimore", "brno", "barcelona", "dinum", "men", "idf", "univ-lyon", "un-agency", "gov-ee"]
LICENCES = ["MIT", "BSD-3-Clause", "AGPL-3.0-only", "GPL-3.0-only", "EUPL-1.2", "LGPL-2.1-only", "BUSL-1.1",
            "LicenseRef-Unpublished", "NONE", "NOASSERTION", "GPL-2.0-only OR MIT", "MPL-2.0 AND Apache-2.0"]
MAYBE_BOOL = st.sampled_from([True, False, None])

GUARD = """
agreement always-deny "Test: deny everything" {
  parties %s
  effective 2000-01-01
  guardrail stop "Stop" ref "1" { then deny }
}
"""


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("props")
    plain = base / "plain"
    shutil.copytree(AGREEMENTS, plain)
    guarded = base / "guarded"
    shutil.copytree(AGREEMENTS, guarded)
    (guarded / "guard.coop").write_text(GUARD % ", ".join(PARTIES))
    return plain, guarded


facts = st.fixed_dictionaries({
    "pair": st.lists(st.sampled_from(PARTIES), min_size=2, max_size=2, unique=True),
    "use": st.sampled_from(["internal", "network-service", "distribution"]),
    "modified": st.booleans(),
    "licence": st.sampled_from(LICENCES),
    "outbound": st.sampled_from([None, "MIT", "EUPL-1.2", "GPL-3.0-or-later"]),
    "date": st.dates(min_value=dt.date(2022, 1, 1), max_value=dt.date(2030, 12, 31)),
    "classification": st.sampled_from(["public", "restricted", None]),
    "source-public": MAYBE_BOOL,
    "dpg-registered": MAYBE_BOOL,
    "export-controlled": MAYBE_BOOL,
    "owner-is-provider": st.booleans(),
})


def scenario(f: dict[str, Any], agreements: Path) -> Scenario:
    attributes = {k: f[k] for k in ("classification", "source-public", "dpg-registered", "export-controlled")
                  if f[k] is not None}
    solution: dict[str, Any] = {"licence": f["licence"], "attributes": attributes}
    if not f["owner-is-provider"]:
        solution["owner"] = f["pair"][1]
    data: dict[str, Any] = {"provider": f["pair"][0], "recipient": f["pair"][1], "date": f["date"].isoformat(),
                            "use": f["use"], "modified": f["modified"], "solution": solution,
                            "agreements": [str(agreements)]}
    if f["outbound"]:
        data["outbound"] = f["outbound"]
    return Scenario.from_text(yaml.safe_dump(data), "scenario.yaml", agreements.parent)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(f=facts)
def test_decide_never_raises_and_is_deterministic(f: dict[str, Any], folders: tuple[Path, Path]) -> None:
    s = scenario(f, folders[0])
    first = decide(s).to_dict()
    assert first["verdict"] in ("permit", "require-mou", "deny", "undetermined")
    assert decide(s).to_dict() == first


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(f=facts)
def test_an_applicable_deny_guardrail_never_permits(f: dict[str, Any], folders: tuple[Path, Path]) -> None:
    d = decide(scenario(f, folders[1]))
    assert d.verdict != "permit"
    assert d.verdict == "deny"
    assert "always-deny.stop" in d.determining or any(x.startswith("licence:") for x in d.determining)


_RANK = {"permit": 0, "require-mou": 1, "undetermined": 1, "deny": 2}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(f=facts)
def test_suggested_changes_give_a_better_verdict(f: dict[str, Any], folders: tuple[Path, Path]) -> None:
    """Issue 10: a hint that proposes another use or outbound is checked by deciding again, and
    is only given when the verdict is strictly better (never the same or worse)."""
    import re
    from dataclasses import replace

    s = scenario(f, folders[0])
    d = decide(s)
    for hint in d.hints:
        use = re.match(r"use (\S+) instead of ", hint)
        outbound = re.match(r"outbound (\S+) instead of ", hint)
        if use:
            changed = replace(s, use=use.group(1))
        elif outbound:
            changed = replace(s, outbound=outbound.group(1))
        else:
            continue
        assert _RANK[decide(changed).verdict] < _RANK[d.verdict], hint
