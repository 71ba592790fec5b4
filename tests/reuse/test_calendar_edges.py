"""Dates at the calendar's edges (issue 9, item 5): ``until 9999-12-31`` is the usual way to
write "indefinitely" and ``0001-01-01`` the earliest ISO date; check, reuse and tender must give
the answer the dates mean, never ``OverflowError``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reuse_helpers import EXAMPLES, Decider, make_decider

from coopengine.cli.main import cli
from coopengine.language import check_text
from coopengine.language.logic import days_around

PARTIES = 'party a-city "City A" kind city\nparty b-city "City B" kind city\n'

GUARDED = """
agreement ab "A and B" {{
  parties a-city, b-city
  effective {effective}{until}
  guardrail old "Old releases" ref "1" {{
    when solution.released < {limit}
    then deny
  }}
}}
"""


def _guarded(effective: dt.date, until: dt.date | None, limit: dt.date) -> str:
    return GUARDED.format(effective=effective, until=f" until {until}" if until else "", limit=limit)


def test_days_around_stays_inside_the_calendar() -> None:
    assert days_around(dt.date.max) == (dt.date.max - dt.timedelta(days=1), dt.date.max)
    assert days_around(dt.date.min) == (dt.date.min, dt.date.min + dt.timedelta(days=1))
    assert len(days_around(dt.date(2024, 2, 29))) == 3


@pytest.mark.parametrize(
    ("effective", "until", "limit"),
    [
        (dt.date(2024, 1, 1), dt.date.max, dt.date(2030, 1, 1)),
        (dt.date.min, None, dt.date(2030, 1, 1)),
        (dt.date(2024, 1, 1), None, dt.date.max),
        (dt.date.min, dt.date.max, dt.date.min),
    ],
)
def test_check_accepts_edge_dates(effective: dt.date, until: dt.date | None, limit: dt.date) -> None:
    result = check_text(PARTIES + _guarded(effective, until, limit), "edge.coop", date=dt.date(2025, 6, 1))
    assert not result.errors, result.render()


@pytest.mark.parametrize("day", [dt.date.min, dt.date.max])
def test_check_on_an_edge_decision_date(day: dt.date) -> None:
    result = check_text(PARTIES + _guarded(dt.date.min, dt.date.max, day), "edge.coop", date=day)
    assert not result.errors, result.render()


def test_reuse_until_9999_is_in_force(decide_with: Decider) -> None:
    text = _guarded(dt.date(2024, 1, 1), dt.date.max, dt.date(2030, 1, 1))
    assert decide_with(text, date="2025-06-01", attributes={"released": dt.date(2020, 1, 1)}).verdict == "deny"
    assert decide_with(text, date="9999-12-31", attributes={"released": dt.date(2020, 1, 1)}).verdict == "deny"


def test_reuse_released_before_9999_with_the_date_missing(decide_with: Decider) -> None:
    # The fact is missing: the exploration tries the days around 9999-12-31 and must not overflow.
    decision = decide_with(_guarded(dt.date(2024, 1, 1), None, dt.date.max), date="2025-06-01")
    assert decision.verdict == "undetermined"
    # Nothing is before 0001-01-01: whatever the release date, the guardrail cannot fire.
    assert decide_with(_guarded(dt.date.min, None, dt.date.min), date="2025-06-01").verdict == "permit"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    days=st.lists(st.dates(), min_size=3, max_size=3).map(sorted),
    released=st.none() | st.dates(),
    limit=st.dates(),
    open_ended=st.booleans(),
)
def test_reuse_over_the_whole_calendar(
    tmp_path_factory: pytest.TempPathFactory, days: list[dt.date], released: dt.date | None, limit: dt.date,
    open_ended: bool,
) -> None:
    effective, today, until = days
    run = make_decider(tmp_path_factory.mktemp("cal"))
    attributes = {} if released is None else {"released": released}
    decision = run(_guarded(effective, None if open_ended else until, limit), date=today.isoformat(),
                   attributes=attributes)
    in_force = effective <= today and (open_ended or today <= until)
    if not in_force:
        expected = "permit"  # MIT for internal use, on the licence alone
    elif released is not None:
        expected = "deny" if released < limit else "permit"
    else:
        # Unknown release date: deny is possible only if some day lies before the limit.
        expected = "undetermined" if limit > dt.date.min else "permit"
    assert decision.verdict == expected
    check = check_text(PARTIES + _guarded(effective, None if open_ended else until, limit), "cal.coop", date=today)
    assert not check.errors, check.render()


@pytest.mark.parametrize("edge", ["until 9999-12-31", "until 0001-01-01"])
def test_tender_with_an_edge_agreement(tmp_path: Path, edge: str) -> None:
    tender = (EXAMPLES / "tenders/lyon-2026-42.coop").read_text()
    agreement = (f'party acme "Acme" kind company\n'
                 f'agreement lyon-x "X" {{\n  parties lyon, acme\n  effective 0001-01-01 {edge}\n}}\n')
    (tmp_path / "t.coop").write_text(tender + "\n" + agreement)
    bids = EXAMPLES / "tenders/bids/passing"
    for day in ("0001-01-01", "2026-03-01", "9999-12-31"):
        result = CliRunner().invoke(cli, ["tender", str(tmp_path / "t.coop"), "--bid", str(bids / "sbom.spdx.json"),
                                          "--publiccode", str(bids / "publiccode.yml"), "--date", day])
        assert result.exit_code == 0, result.output


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_the_examples_on_the_calendars_first_and_last_day(day: str) -> None:
    runner = CliRunner()
    reuse = runner.invoke(cli, ["reuse", str(EXAMPLES / "scenarios/lutece-standing-agreement.yaml"), "--date", day])
    assert reuse.exit_code in (0, 1, 3, 4) and "internal error" not in reuse.output, reuse.output
    check = runner.invoke(cli, ["check", str(EXAMPLES / "agreements"), "--date", day])
    assert check.exit_code == 0, check.output
