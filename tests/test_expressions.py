"""SPDX expressions: normalisation, errors with positions, and Hypothesis properties."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopengine.engine import VERDICTS, check_compat
from coopengine.errors import CoopError
from coopengine.expressions import parse_expression

IDS = ["MIT", "Apache-2.0", "GPL-2.0-only", "GPL-3.0-or-later", "LGPL-2.1-only", "MPL-2.0", "EPL-2.0",
       "BSD-3-Clause", "AGPL-3.0-only", "NOASSERTION", "LicenseRef-X", "CDDL-1.1", "EUPL-1.2", "ISC"]


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("mit", "MIT"),
        ("MIT or Apache-2.0", "MIT OR Apache-2.0"),
        ("GPL-2.0+", "GPL-2.0-or-later"),
        ("GPL-2.0", "GPL-2.0-only"),
        ("LGPL-2.1+", "LGPL-2.1-or-later"),
        ("Apache-2.0+", "Apache-2.0+"),
        ("MIT AND MIT", "MIT"),
        ("MIT OR (Apache-2.0 OR MIT)", "MIT OR Apache-2.0"),
        ("(MIT AND BSD-2-Clause) OR MIT", "(MIT AND BSD-2-Clause) OR MIT"),
        ("GPL-2.0-only with classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"),
        ("DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2", "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2"),
        ("GPL-2.0-with-classpath-exception", "GPL-2.0-only WITH Classpath-exception-2.0"),
        ("noassertion", "NOASSERTION"),
    ],
)
def test_normalise(text: str, normalised: str) -> None:
    assert parse_expression(text).normalised == normalised


def test_or_is_never_simplified_away() -> None:
    # license-expression's simplify() would reduce this to MIT; the user's choice must stay.
    assert parse_expression("MIT OR (MIT AND Apache-2.0)").normalised == "MIT OR (MIT AND Apache-2.0)"


@pytest.mark.parametrize(
    ("text", "column", "fragment"),
    [
        ("MIT OR", 7, "ends after an operator"),
        ("MIT AND Apach-2.0", 9, "unknown licence id"),
        ("Apache-2.0 WITH MIT", 17, "not an exception"),
        ("(MIT", 1, "never closed"),
        ("MIT)", 4, "without a matching"),
        ("MIT Apache-2.0", 5, "missing operator"),
        ("Classpath-exception-2.0", 1, "is an exception"),
        ("GPL-2.0-only WITH Classpath-exceptio", 19, "unknown exception"),
        ("OR MIT", 1, "needs a licence on its left"),
        ("", 1, "empty"),
    ],
)
def test_errors_have_positions(text: str, column: int, fragment: str) -> None:
    with pytest.raises(CoopError) as info:
        parse_expression(text)
    err = info.value
    assert err.location.column == column, err.render()
    assert fragment in err.message
    assert "Traceback" not in err.render()


def test_did_you_mean() -> None:
    with pytest.raises(CoopError) as info:
        parse_expression("Apache2.0")
    assert info.value.hint and "Apache-2.0" in info.value.hint


@st.composite
def expressions(draw: st.DrawFn, depth: int = 3) -> str:
    if depth == 0 or draw(st.booleans()):
        leaf = draw(st.sampled_from(IDS))
        if leaf.startswith("GPL-2.0") and draw(st.booleans()):
            leaf += " WITH Classpath-exception-2.0"
        return leaf
    op = draw(st.sampled_from([" AND ", " OR ", " and ", " or "]))
    parts = draw(st.lists(expressions(depth=depth - 1), min_size=2, max_size=3))
    return "(" + op.join(parts) + ")" if draw(st.booleans()) else op.join(parts)


@given(st.text(max_size=80))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_no_text_crashes_the_parser(text: str) -> None:
    try:
        parse_expression(text)
    except CoopError as err:
        assert err.render()


@given(st.text(alphabet="()ANDORWITHmit- +AaGPL2.0", max_size=40))
@settings(max_examples=300)
def test_near_miss_syntax_never_crashes(text: str) -> None:
    try:
        parse_expression(text)
    except CoopError:
        pass


@given(expressions())
@settings(max_examples=200)
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = parse_expression(text).normalised
    assert parse_expression(once).normalised == once


@given(st.lists(st.sampled_from(IDS), min_size=2, max_size=4, unique=True),
       st.sampled_from(["GPL-2.0-only", "GPL-3.0-only", "MIT", "LicenseRef-Proprietary", "Apache-2.0"]),
       st.sampled_from(["internal", "network-service", "distribution"]),
       st.sampled_from(["static", "dynamic", "separate"]))
@settings(max_examples=150, deadline=None)
def test_or_is_never_less_compatible_than_an_alternative(alts: list[str], out: str, use: str, link: str) -> None:
    whole = check_compat(" OR ".join(alts), out, use=use, linking=link)
    for alt in alts:
        single = check_compat(alt, out, use=use, linking=link)
        assert VERDICTS.index(whole.verdict) <= VERDICTS.index(single.verdict), (alt, whole, single)


@given(st.lists(st.sampled_from(IDS), min_size=2, max_size=4, unique=True),
       st.sampled_from(["GPL-2.0-only", "GPL-3.0-only", "MIT", "LicenseRef-Proprietary"]))
@settings(max_examples=100, deadline=None)
def test_and_is_never_more_compatible_than_a_part(parts: list[str], out: str) -> None:
    whole = check_compat(" AND ".join(parts), out)
    for part in parts:
        single = check_compat(part, out)
        assert VERDICTS.index(whole.verdict) >= VERDICTS.index(single.verdict)


def test_200_groups_stay_linear() -> None:
    ids = ["MIT", "Apache-2.0", "BSD-3-Clause", "ISC", "Zlib", "BSD-2-Clause", "0BSD", "MIT-0"]
    groups = [f"({ids[i % 8]} OR {ids[(i + 3) % 8]})" for i in range(200)]
    result = check_compat(" AND ".join(groups), "GPL-2.0-only")
    assert result.verdict == "compatible"
