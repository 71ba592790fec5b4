"""The language's fixed vocabulary, in one place: paths, their value domains, keywords.

The checker, the enumerating analyses, the evaluator and the docs all read these
tables, so adding a value here is the whole change.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, TypeAlias

PathType: TypeAlias = Literal["enum", "bool", "date", "party", "string", "code", "any"]

from ..publiccode import DEVELOPMENT_STATUSES, MAINTENANCE_TYPES, PLATFORMS  # noqa: E402  (the standard's values)
from ..words import CATEGORIES, COPYLEFTS, LINKINGS, USES  # noqa: E402  (one definition for every layer)

PARTY_KINDS = ("city", "region", "national", "university", "international", "ngo", "company", "other")


# Words people write for a value, mapped to the language's own (for "did you mean").
VALUE_SYNONYMS: MappingProxyType[str, str] = MappingProxyType(
    {
        "saas": "network-service",
        "service": "network-service",
        "web": "network-service",
        "online": "network-service",
        "hosted": "network-service",
        "network": "network-service",
        "distribute": "distribution",
        "distributed": "distribution",
        "redistribution": "distribution",
        "internal-use": "internal",
        "private": "internal",
        "gpl": "strong-copyleft",
        "copyleft": "strong-copyleft",
        "agpl": "network-copyleft",
        "lgpl": "weak-copyleft",
        "public": "public-domain",
    }
)


@dataclass(frozen=True)
class PathInfo:
    """What a known path holds: its type and, for enumerations, the allowed values."""

    type: PathType
    values: tuple[str, ...] = ()
    licence: bool = False  # read from the solution's licence expression (per alternative)


AGREEMENT_PATHS: MappingProxyType[str, PathInfo] = MappingProxyType(
    {
        "use": PathInfo("enum", USES),
        "modified": PathInfo("bool"),
        "linking": PathInfo("enum", LINKINGS),
        "date": PathInfo("date"),
        "provider": PathInfo("party"),
        "provider.kind": PathInfo("enum", PARTY_KINDS),
        "provider.jurisdiction": PathInfo("code"),
        "recipient": PathInfo("party"),
        "recipient.kind": PathInfo("enum", PARTY_KINDS),
        "recipient.jurisdiction": PathInfo("code"),
        "solution.owner": PathInfo("party"),
        "solution.name": PathInfo("string"),
        # Read from the solution's publiccode.yml (docs/publiccode.md); a scenario may also give them.
        "solution.organisation": PathInfo("string"),
        "solution.organisation.name": PathInfo("string"),
        "solution.maintenance.type": PathInfo("enum", MAINTENANCE_TYPES),
        "solution.maintenance.until": PathInfo("date"),
        "solution.development-status": PathInfo("enum", DEVELOPMENT_STATUSES),
        "solution.release-date": PathInfo("date"),
        "solution.is-based-on": PathInfo("bool"),
        **{f"solution.depends-on.{kind}": PathInfo("bool")
           for kind in ("open", "proprietary", "proprietary-required", "hardware")},
        **{f"solution.platform.{name}": PathInfo("bool") for name in PLATFORMS},
        "licence.id": PathInfo("string", licence=True),
        "licence.osi-approved": PathInfo("bool", licence=True),
        "licence.fsf-libre": PathInfo("bool", licence=True),
        # an open-source licence in the sense of the Interoperable Europe Act, Art. 2(12)
        "licence.iea-open-source": PathInfo("bool", licence=True),
        "licence.category": PathInfo("enum", CATEGORIES, licence=True),
        "licence.copyleft": PathInfo("enum", COPYLEFTS, licence=True),
    }
)

# Free attributes of the solution: `solution.NAME`, any value; unknown when not given.
FREE_PREFIX = "solution."

# Fields a tender can demand with `every component has ...`, and read as `component.NAME`.
COMPONENT_FIELDS = ("licence", "supplier", "version", "name")

# In a tender, ``solution.*`` is the bid's solution as its publiccode.yml describes it: read by
# `offered satisfies` (what the bid offers), unknown in a component's condition.
TENDER_PATHS: MappingProxyType[str, PathInfo] = MappingProxyType(
    {
        **{k: v for k, v in AGREEMENT_PATHS.items() if v.licence},
        **{k: v for k, v in AGREEMENT_PATHS.items() if k.startswith(FREE_PREFIX) and k != "solution.owner"},
        "component.name": PathInfo("string"),
        "component.supplier": PathInfo("string"),
        "component.version": PathInfo("string"),
    }
)


# The licence facts of the sample licences below, in the order of their columns.
SAMPLE_FACTS = ("licence.id", "licence.category", "licence.copyleft", "licence.osi-approved", "licence.fsf-libre",
                "licence.iea-open-source")

# One well-known licence per combination that matters when the checks enumerate cases;
# examples printed by `coop check` name these, so they must be real SPDX ids whose facts are
# uncontroversial (tests/language/test_checks.py holds them to the knowledge base).
SAMPLE_LICENCES: tuple[MappingProxyType[str, object], ...] = tuple(
    MappingProxyType(dict(zip(SAMPLE_FACTS, row, strict=True)))
    for row in (
        ("MIT", "permissive", "none", True, True, True),
        ("Unlicense", "public-domain", "none", True, True, True),
        ("CC0-1.0", "public-domain", "none", False, True, True),
        ("MPL-2.0", "weak-copyleft", "file", True, True, True),
        ("LGPL-3.0-only", "weak-copyleft", "library", True, True, True),
        ("GPL-3.0-only", "strong-copyleft", "strong", True, True, True),
        ("AGPL-3.0-only", "network-copyleft", "network", True, True, True),
        ("BUSL-1.1", "source-available", "none", False, False, False),
        ("LicenseRef-Proprietary", "proprietary", "none", False, False, False),
        ("NOASSERTION", "unknown", "none", None, None, None),
    )
)

KEYWORDS = (
    "party", "kind", "jurisdiction", "agreement", "declaration", "parties", "adherents",
    "effective", "until", "refines", "scope", "default", "text", "clause", "guardrail",
    "ref", "exception", "to", "standalone", "when", "then", "oblige", "waive", "grant",
    "permit", "require-mou", "deny", "precedence", "over", "tender", "buyer", "deliverable", "counting", "scopes",
    "requirement", "every", "no", "component", "satisfies", "has", "offered", "or", "and",
    "not", "in", "licence", "compatible-with", "true", "false",
)  # fmt: skip

TOP_LEVEL_KEYWORDS = ("party", "agreement", "declaration", "precedence", "tender")

# Terminal names of grammars/coop.lark in plain words, for "expected ..." messages.
_PUNCT = {
    "_LBRACE": "`{`",
    "_RBRACE": "`}`",
    "_LPAR": "`(`",
    "_RPAR": "`)`",
    "_COMMA": "`,`",
    "_DOT": "`.`",
    "COMPARE": "a comparison (`==`, `!=`, `<`, `<=`, `>`, `>=`)",
    "IDENT": "an identifier",
    "JURISDICTION_CODE": "a country code such as `FR` or `US-MD`",
    "STRING": "a string in double quotes",
    "DATE": "a date (YYYY-MM-DD)",
    "NUMBER": "a number",
    "$END": "the end of the file",
}


def terminal_words(name: str) -> str:
    """A terminal's name in plain words: ``REQUIRE_MOU`` -> `` `require-mou` ``."""
    if name in _PUNCT:
        return _PUNCT[name]
    word = name.lstrip("_").lower().replace("_", "-")
    return f"`{word}`" if word in KEYWORDS else word


def expected_words(names: set[str] | frozenset[str]) -> str:
    """A sorted, readable list: keywords first, then kinds of token."""
    words = sorted({terminal_words(n) for n in names}, key=lambda w: (not w.startswith("`"), w))
    if len(words) > 12:
        words = words[:12] + ["..."]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]
