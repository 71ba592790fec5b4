"""The contract's words, defined once: uses, linkings, licence categories, copyleft scopes.

Every layer reads these tuples (the engine, scenarios, the language's vocabulary, the CLI
choices); the knowledge-base schema repeats them as ``Literal`` types for pydantic, and a
test keeps the two in step.
"""

from __future__ import annotations

__all__ = ["USES", "LINKINGS", "CATEGORIES", "COPYLEFTS"]

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
