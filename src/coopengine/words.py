"""The contract's words, defined once: uses, linkings, licence categories, copyleft scopes,
the dependency scopes of SBOM components.

Every layer reads these tuples (the engine, scenarios, the language's vocabulary, the CLI
choices); the knowledge-base schema repeats them as ``Literal`` types for pydantic, and a
test keeps the two in step.
"""

from __future__ import annotations

__all__ = ["USES", "LINKINGS", "CATEGORIES", "COPYLEFTS", "COMPONENT_SCOPES", "DEFAULT_SCOPES", "NOT_SOFTWARE"]

USES = ("internal", "network-service", "distribution")
LINKINGS = ("static", "dynamic", "separate")
CATEGORIES = (
    "public-domain",
    "permissive",
    "weak-copyleft",
    "strong-copyleft",
    "network-copyleft",
    "source-available",
    "proprietary",
    "unknown",
)
COPYLEFTS = ("none", "file", "library", "strong", "network")
COMPONENT_SCOPES = ("runtime", "optional", "dev", "test", "build", "excluded")
"""When an SBOM component is needed (CycloneDX ``scope``, SPDX dependency relationships, SPDX 3
lifecycle scopes). A scenario's ``scopes:``, a tender's ``counting scopes`` and ``coop sbom
--scope`` name those whose components count; the others are listed as not evaluated."""
DEFAULT_SCOPES = ("runtime",)
NOT_SOFTWARE = frozenset({"operating-system", "device", "container", "platform"})
"""CycloneDX component types that are not software put into the work: what it runs on or ships
in. Their licence does not decide whether the work can be licensed; they are listed apart."""
