"""Reading an SBOM file's bytes safely and telling its syntax from its content."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from coopengine.errors import InputError, Location

Syntax = Literal["json", "xml", "tag-value", "yaml"]

EXPECTED_FORMATS = (
    "an SPDX 2.2/2.3 document (JSON, YAML, tag-value or RDF/XML) or a CycloneDX 1.4-1.6 BOM (JSON or XML)"
)

# Tag-value keys are case-sensitive ("SPDXVersion"); the JSON/YAML key is "spdxVersion".
_TAG_VALUE_RE = re.compile(r"^SPDXVersion:", re.MULTILINE)
_YAML_SPDX_RE = re.compile(r"""^['"]?spdxVersion['"]?\s*:""", re.MULTILINE)


@dataclass(frozen=True)
class Source:
    """A file's decoded text with the facts every reader needs."""

    path: str
    text: str
    sha256: str
    suffix: str

    def location(self, line: int | None = None, column: int | None = None) -> Location:
        return Location(self.path, line, column)

    def line_text(self, line: int) -> str | None:
        lines = self.text.splitlines()
        return lines[line - 1] if 0 < line <= len(lines) else None

    def line_of_offset(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def error(
        self,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        text: str | None = None,
        expected: str | None = None,
        hint: str | None = None,
    ) -> InputError:
        """An InputError located in this file, showing the offending line when one is known."""
        return InputError(
            message,
            location=self.location(line, column),
            text=text,
            expected=expected,
            hint=hint,
            source_line=self.line_text(line) if line is not None else None,
        )


def load(path: str | Path, max_bytes: int) -> Source:
    """Read and decode ``path``, refusing what cannot be an SBOM before any parser sees it."""
    shown = str(path)
    p = Path(path)
    try:
        if not p.exists():
            raise InputError(
                "SBOM file not found", location=Location(shown), expected="a path to an SBOM file"
            )
        if p.is_dir():
            raise InputError(
                "SBOM path is a directory", location=Location(shown), expected="a path to an SBOM file"
            )
        size = p.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"SBOM file too large: {size} bytes",
                location=Location(shown),
                expected=f"at most {max_bytes} bytes",
                hint="split the SBOM or raise the size limit",
            )
        with p.open("rb") as fh:
            # The size can change between stat and read; never read more than the limit.
            data = fh.read(max_bytes + 1)
    except OSError as err:
        raise InputError(f"cannot read SBOM file: {err.strerror or err}", location=Location(shown)) from err
    return decode(data, shown, p.suffix.lower(), max_bytes)


def decode(data: bytes, shown: str, suffix: str, max_bytes: int) -> Source:
    """An SBOM's bytes (read from a file or given in memory) as a :class:`Source`."""
    if len(data) > max_bytes:
        raise InputError(
            "SBOM file too large", location=Location(shown), expected=f"at most {max_bytes} bytes"
        )
    digest = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise InputError(
            f"SBOM file is not UTF-8 text (byte 0x{data[err.start]:02x})",
            location=Location(shown, line, column),
            expected="UTF-8 text",
        ) from err
    if not text.strip():
        raise InputError("SBOM file is empty", location=Location(shown), expected=EXPECTED_FORMATS)
    return Source(path=shown, text=text, sha256=digest, suffix=suffix)


def sniff(source: Source) -> Syntax:
    """The syntax of the file, judged by its content alone (extensions lie: ``bom.json`` may be XML).

    A YAML document written in flow style (``{...}``) is read as JSON; SPDX YAML in the wild is
    block style, and JSON is the far more common reading of a leading brace.
    """
    head = source.text.lstrip()
    if head.startswith(("{", "[")):
        return "json"
    if head.startswith("<"):
        return "xml"
    if _TAG_VALUE_RE.search(source.text):
        return "tag-value"
    if _YAML_SPDX_RE.search(source.text):
        return "yaml"
    first = head.splitlines()[0] if head else ""
    raise source.error(
        "unknown SBOM format",
        line=source.text[: len(source.text) - len(head)].count("\n") + 1,
        text=first[:80],
        expected=EXPECTED_FORMATS,
        hint="SPDX JSON/YAML need a 'spdxVersion' key, tag-value an 'SPDXVersion:' line, "
        'CycloneDX JSON a "bomFormat": "CycloneDX" key',
    )
