"""The reader's result types: what an SBOM says about its third-party components."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

__all__ = ["Component", "Sbom", "SbomWarning", "LicenceRef", "LicenceField", "SbomFormat", "FORMATS"]

LicenceField = Literal["concluded", "declared", "none"]
SbomFormat = Literal[
    "spdx-json", "spdx-yaml", "spdx-tag-value", "spdx-rdf", "spdx-xml", "spdx-jsonld", "cyclonedx-json",
    "cyclonedx-xml",
]

FORMATS: Final[tuple[SbomFormat, ...]] = (
    "spdx-json",
    "spdx-yaml",
    "spdx-tag-value",
    "spdx-rdf",
    "spdx-xml",
    "spdx-jsonld",
    "cyclonedx-json",
    "cyclonedx-xml",
)


@dataclass(frozen=True, slots=True)
class Component:
    """One third-party component as the SBOM records it."""

    id: str
    """The SPDXID or CycloneDX ``bom-ref``; ``component-N`` (1-based, document order) when absent."""

    name: str
    version: str | None

    licence: str | None
    """The licence expression text as the document states it, unvalidated.

    ``NOASSERTION`` and ``NONE`` are kept: they are statements the engine must report on.
    ``None`` only when the document gives no licence at all.
    """

    licence_field: LicenceField
    """Which statement ``licence`` comes from: ``concluded``, ``declared``, or ``none`` when absent."""

    supplier: str | None
    """The supplier's name (SPDX ``supplier`` without its ``Organization:``/``Person:`` prefix)."""

    purl: str | None

    kind: str | None = None
    """What the component is, where the SBOM says (CycloneDX ``type``: library, application,
    operating-system, device, container, platform...)."""

    scope: str = "runtime"
    """When the component is needed: ``runtime`` (the default), ``optional``, ``dev``, ``test``,
    ``build`` or ``excluded`` (CycloneDX ``scope``, SPDX 2 ``*_DEPENDENCY_OF`` relationships)."""

    licence_list: tuple[str, ...] = ()
    """The separate entries when the document lists several licences for the component
    (CycloneDX ``licenses``), each as written; empty when it states one text. What the list
    means (a choice or all of them) is decided by the engine, not here: ``licence`` then only
    shows the entries joined with ``"; "`` and is never an expression."""


@dataclass(frozen=True, slots=True)
class LicenceRef:
    """A ``LicenseRef-`` the document itself describes: its name and text as written.

    SPDX 2 ``hasExtractedLicensingInfos``, SPDX 3 custom licences, CycloneDX 1.7
    ``expressionDetails``. Tools put real licence names there (tern writes RPM names:
    ``LicenseRef-d953b10`` named ``GPLv3+``), which the engine reads through its name table.
    """

    id: str
    name: str | None
    text: str | None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class SbomWarning:
    """Something malformed that the licence decision does not use: reported, then read past.

    With ``strict`` reading the same problem refuses the SBOM instead.
    """

    line: int | None
    message: str


@dataclass(frozen=True)
class Sbom:
    """A parsed SBOM: its identity and its third-party components in document order."""

    path: str
    format: SbomFormat
    spec_version: str
    """The specification version without prefix: ``"2.3"`` for SPDX-2.3, ``"3.0.1"`` for SPDX 3.0.1
    (``spdx-jsonld``), ``"1.6"`` for CycloneDX 1.6."""

    name: str | None
    """The SPDX document name, or the name of CycloneDX ``metadata.component``."""

    components: tuple[Component, ...]
    sha256: str
    """Hex digest of the file's bytes, for provenance."""
    warnings: tuple[SbomWarning, ...] = ()
    """Malformed parts read past (lenient reading), in the order met."""
    licence_refs: tuple[LicenceRef, ...] = ()
    """The ``LicenseRef-``s the document describes, in document order."""
    licence_list_version: str | None = None
    """The SPDX licence list version the document says its ids come from (SPDX 2
    ``licenseListVersion``, SPDX 3 ``simplelicensing_licenseListVersion``; several are joined)."""
