"""The contract's words, defined once: uses, linkings, licence categories, copyleft scopes,
the dependency scopes of SBOM components.

Every layer reads these tuples (the engine, scenarios, the language's vocabulary, the CLI
choices); the knowledge-base schema reads the same words as ``Literal`` types for pydantic.
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = ["USES", "LINKINGS", "CATEGORIES", "COPYLEFTS", "COMPONENT_SCOPES", "DEFAULT_SCOPES", "NOT_SOFTWARE",
           "Use", "Category", "Copyleft"]

Use = Literal["internal", "network-service", "distribution"]
Category = Literal[
    "public-domain",
    "permissive",
    "weak-copyleft",
    "strong-copyleft",
    "network-copyleft",
    "source-available",
    "proprietary",
    "unknown",
]
Copyleft = Literal["none", "file", "library", "strong", "network"]
USES: tuple[str, ...] = get_args(Use)
LINKINGS = ("static", "dynamic", "separate")
CATEGORIES: tuple[str, ...] = get_args(Category)
COPYLEFTS: tuple[str, ...] = get_args(Copyleft)
COMPONENT_SCOPES = ("runtime", "optional", "dev", "test", "build", "excluded")
"""When an SBOM component is needed (CycloneDX ``scope``, SPDX dependency relationships, SPDX 3
lifecycle scopes). A scenario's ``scopes:``, a tender's ``counting scopes`` and ``coop sbom
--scope`` name those whose components count; the others are listed as not evaluated."""
DEFAULT_SCOPES = ("runtime",)
NOT_SOFTWARE = frozenset({"operating-system", "device", "container", "platform"})
"""CycloneDX component types that are not software put into the work: what it runs on or ships
in. Their licence does not decide whether the work can be licensed; they are listed apart."""
