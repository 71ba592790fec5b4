"""`coop outbound`: the ranking rule of docs/knowledge-base.md, its short list and its reasons."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from coopengine.cli.main import cli
from coopengine.outbound import FAMILIES, SHORT_LIST, rank_outbound


def outbound(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["outbound", *args])
    return result.exit_code, result.output


def candidates(expr: str) -> list[dict[str, object]]:
    code, out = outbound(expr, "--format", "json")
    assert code == 0, out
    return list(json.loads(out)["candidates"])


@pytest.mark.parametrize(("expr", "first"), [
    ("EUPL-1.2", ["EUPL-1.2"]),
    ("MIT AND Apache-2.0", ["Apache-2.0", "MIT"]),
    ("GPL-3.0-only", ["GPL-3.0-only"]),
    # An OR: the recipient may take MIT, so MIT keeps every permission and GPL-3.0 does not.
    ("MIT OR GPL-3.0-only", ["MIT", "GPL-3.0-only"]),
])
def test_own_licences_come_first(expr: str, first: list[str]) -> None:
    ids = [c["licence"] for c in candidates(expr)]
    assert ids[: len(first)] == first


def test_order_keeps_permissions_then_fewest_added_obligations_then_usage() -> None:
    rows = candidates("MIT AND Apache-2.0")
    rank = {c["licence"]: c["rank"] for c in rows}
    # Permissive outbounds keep the freedom to combine under other terms; copyleft ones do not.
    assert rank["BSD-3-Clause"] < rank["MPL-2.0"] < rank["GPL-3.0-only"] < rank["AGPL-3.0-only"]
    # Equal on permissions and obligations: the more widely used licence first.
    assert rank["BSD-3-Clause"] < rank["BSD-3-Clause-Clear"]
    by_id = {c["licence"]: c for c in rows}
    assert by_id["MIT"]["permissions_lost"] == ["an express patent licence"]
    assert by_id["Apache-2.0"]["permissions_lost"] == [] and by_id["Apache-2.0"]["obligations_added"] == []
    added = {o["id"] for o in by_id["GPL-3.0-only"]["obligations_added"]}  # type: ignore[attr-defined]
    assert {"disclose-source", "same-license"} <= added
    keys = [(c["own"], len(c["permissions_lost"]), len(c["obligations_added"]))  # type: ignore[arg-type]
            for c in rows if c["verdict"] == "compatible"]
    assert keys == sorted(keys, key=lambda k: (not k[0], k[1], k[2]))


def test_or_later_needs_one_version_for_every_part() -> None:
    """GPL-2.0-only code needs version 2, Apache-2.0 code version 3: no -or-later licence
    carries both, so nothing is proposed (was: GPL-2.0-or-later 'conditional')."""
    code, out = outbound("GPL-2.0-only AND Apache-2.0", "--format", "json")
    assert code == 1 and json.loads(out)["candidates"] == []


def test_every_reason_covers_every_part_of_an_and() -> None:
    for c in candidates("MIT AND Apache-2.0"):
        parts = {r.get("licence") for r in c["reasons"]}  # type: ignore[union-attr]
        assert {"MIT", "Apache-2.0"} <= parts, c["licence"]


def test_short_list_has_own_licences_and_each_family() -> None:
    ranking = rank_outbound("MIT AND Apache-2.0")
    shown = ranking.shown(False)
    assert len(shown) == SHORT_LIST
    assert {o.family for o in shown} == set(FAMILIES)
    assert [o.licence for o in shown[:2]] == ["Apache-2.0", "MIT"]
    assert len(ranking.shown(True)) == len(ranking.ok) > SHORT_LIST


def test_text_groups_by_family_and_shares_reasons() -> None:
    code, out = outbound("EUPL-1.2")
    assert code == 0
    heads = [line for line in out.splitlines() if line.endswith(":") and not line.startswith(" ")]
    assert heads[0] == "Its own licences:"
    assert heads[1:-1] == [f.capitalize() + ":" for f in FAMILIES if f.capitalize() + ":" in heads]
    rows = re.findall(r"^ +\d+\. (\S+): .*\[(.*)\]$", out, re.M)
    assert len(rows) == SHORT_LIST
    reasons = dict(re.findall(r"^  (R\d+)\. (.*)$", out, re.M))
    ids = {str(c["licence"]) for c in candidates("EUPL-1.2")}
    # The EUPL's Art. 5 paragraph is printed once, however many rows rest on it.
    assert sum("art. 5 compatibility clause" in t for t in reasons.values()) <= 2
    for licence, refs in rows:
        for ref in refs.split(", "):
            text = reasons[ref]
            # A reason names the row's own licence, a generic "outbound licence", or none.
            named = set(re.findall(r"(?<![\w.+-])[A-Za-z][\w.+-]*\w(?![\w.+-])", text)) & ids
            assert named <= {licence, "EUPL-1.2"}, (licence, text)


def test_all_lists_every_candidate() -> None:
    _, short = outbound("MIT")
    _, every = outbound("MIT", "--all")
    count = len(candidates("MIT"))
    assert len(re.findall(r"^ +\d+\. ", every, re.M)) == count
    assert len(re.findall(r"^ +\d+\. ", short, re.M)) == SHORT_LIST
    assert "--all lists every one" in short


def test_carry_names_one_licence_for_a_triggered_copyleft() -> None:
    from coopengine.expressions import parse_expression
    from coopengine.outbound import carry

    def run(parts: list[str], use: str) -> tuple[tuple[str, ...], list[str], tuple[int, ...]]:
        c = carry([parse_expression(p) for p in parts], use=use)
        return c.copyleft, [o.licence for o in c.options], c.blocking

    # MIT code with an AGPL component, offered as a service: the whole goes under AGPL-3.0.
    copyleft, options, blocking = run(["MIT", "Apache-2.0", "AGPL-3.0-only"], "network-service")
    assert copyleft == ("AGPL-3.0-only",) and options[0] == "AGPL-3.0-only" and not blocking
    # Permissive parts only: no single licence is needed.
    assert run(["MIT", "Apache-2.0"], "distribution") == ((), [], ())
    # Internal use triggers no copyleft.
    assert run(["GPL-2.0-only", "Apache-2.0"], "internal")[0] == ()
    # GPL-2.0-only with Apache-2.0, distributed: no licence carries both; the pair is named.
    assert run(["MIT", "GPL-2.0-only", "Apache-2.0"], "distribution") == (("GPL-2.0-only",), [], (1, 2))
    # An OR triggers only if every alternative does.
    assert run(["MIT", "MIT OR GPL-3.0-only"], "distribution")[0] == ()
