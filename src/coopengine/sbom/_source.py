"""Reading an SBOM file's bytes safely and telling its syntax from its content."""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from coopengine._files import read_input
from coopengine.errors import InputError, Location

from ._model import SbomWarning

Syntax = Literal["json", "xml", "tag-value", "yaml"]

EXPECTED_FORMATS = (
    "an SPDX 2.2/2.3 document (JSON, YAML, tag-value or RDF/XML), an SPDX 3.0 JSON-LD document "
    "or a CycloneDX 1.2-1.7 BOM (JSON or XML)"
)

# Tag-value keys are case-sensitive ("SPDXVersion"); the JSON/YAML key is "spdxVersion".
_TAG_VALUE_RE = re.compile(r"^SPDXVersion:", re.MULTILINE)
_YAML_SPDX_RE = re.compile(r"""^['"]?spdxVersion['"]?\s*:""", re.MULTILINE)


class _Digest:
    """The SHA-256 of an input's bytes, computed on a second thread while the first parses the text.

    hashlib lets go of the interpreter lock while it hashes, so on a machine with a free core
    the hash costs nothing: 0.05 s for a 61 MB SBOM otherwise (bench/bench_sbom.py).
    """

    def __init__(self, data: bytes) -> None:
        self._hex: str | None = None
        self._thread = threading.Thread(target=self._run, args=(data,), name="sbom-sha256", daemon=True)
        self._thread.start()

    def _run(self, data: bytes) -> None:
        self._hex = hashlib.sha256(data).hexdigest()

    def hexdigest(self) -> str:
        self._thread.join()
        if self._hex is None:  # pragma: no cover - hashing bytes in memory does not fail
            raise RuntimeError("the SHA-256 of the SBOM could not be computed")
        return self._hex


@dataclass(frozen=True)
class Source:
    """A file's decoded text with the facts every reader needs."""

    path: str
    text: str
    digest: _Digest = field(compare=False, repr=False)
    suffix: str
    strict: bool = False
    """Refuse what a lenient reading would only warn about (schema validity)."""
    warnings: list[SbomWarning] = field(default_factory=list, compare=False)
    """Collected while reading; the only mutable part, owned by the one read in progress."""

    @property
    def sha256(self) -> str:
        """Hex digest of the file's bytes (waits for the hashing thread if it is still running)."""
        return self.digest.hexdigest()

    def lenient(
        self,
        message: str,
        *,
        line: int | None = None,
        expected: str | None = None,
        text: str | None = None,
    ) -> None:
        """A problem in a part the licence decision does not use: warn, or refuse when strict."""
        if self.strict:
            raise self.error(message, line=line, expected=expected, text=text,
                             hint="without --strict this is a warning and the SBOM is read")
        self.warnings.append(SbomWarning(line, message))

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


def load(path: str | Path, max_bytes: int, strict: bool = False) -> Source:
    """Read and decode ``path``, refusing what cannot be an SBOM before any parser sees it."""
    shown = str(path)
    p = Path(path)
    data = read_input(p, limit=max_bytes, what="SBOM file")
    return decode(data, shown, p.suffix.lower(), max_bytes, strict)


def decode(data: bytes, shown: str, suffix: str, max_bytes: int, strict: bool = False) -> Source:
    """An SBOM's bytes (read from a file or given in memory) as a :class:`Source`."""
    if len(data) > max_bytes:
        raise InputError(
            "SBOM file too large", location=Location(shown), expected=f"at most {max_bytes} bytes"
        )
    digest = _Digest(data)
    encoding = _encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise InputError(
            f"SBOM file is not {encoding.removesuffix('-sig').upper()} text (byte 0x{data[err.start]:02x})",
            location=Location(shown, line, column),
            expected="UTF-8 text, or UTF-16 with a byte-order mark",
        ) from err
    if not text or text.isspace():  # not strip(): that copies the whole text
        raise InputError("SBOM file is empty", location=Location(shown), expected=EXPECTED_FORMATS)
    if "\r" in text:
        # Tag-value files from Windows tools use CR LF, some a lone CR (bom-shelter
        # xml2json-sbom.spdx); line numbers and every reader assume LF.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Source(path=shown, text=text, digest=digest, suffix=suffix, strict=strict)


def _encoding(data: bytes) -> str:
    """UTF-8 (BOM or not), or UTF-16 when the file starts with its byte-order mark.

    spdx-tools' own test data has UTF-16 documents; without a BOM UTF-16 cannot be told from
    binary junk, so it is not guessed.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return "utf-8-sig"


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
