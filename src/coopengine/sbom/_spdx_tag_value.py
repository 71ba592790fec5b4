"""SPDX tag-value read with the stdlib: the production path, spdx-tools the strict and reference one.

Why a second reader beside spdx-tools (issue 11, figures on the 2-core development machine):

* spdx-tools 0.8 refuses tag-value files whose JSON twins it reads, over fields the licence
  decision never uses: fractional-second ``Created`` timestamps and a free-text
  ``PackageOriginator`` (syft 0.33), files with only a SHA256 checksum, packages without
  ``PackageDownloadLocation``, a lower-case relationship type, continuation lines of an
  unquoted multi-line value. Of the 12 tag-value files of the real-SBOM corpus
  (``tests/data/real``), it refused 9; this reader reads all 12 and reports what it read past.
* Its relationship check compares every relationship with every file (quadratic): the
  3,873-file ``istio-source.spdx`` (chainguard-dev/bom-shelter) took 30-43 s, almost all of it
  there. The licence decision needs packages and a few relationships, not that check.
  ``bench/bench_sbom_tag_value.py --reference``, best of 3, loaded machine (other sessions
  running), whole ``read_sbom`` including imports:

  ==========================  =============  ==================
  document                    this reader    spdx-tools
  ==========================  =============  ==================
  1,000 files (generated)     0.12 s         2.46 s
  4,000 files (generated)     0.20 s         23.60 s
  istio-source.spdx (3,873)   0.21 s, 41 MB  39.33 s, 49 MB
  ==========================  =============  ==================

spdx-tools stays for ``strict`` reading (schema validity, as before) and as the reference:
``tests/sbom/test_sbom_agreement.py`` reads every tag-value fixture both ways and the
components must be equal.

What is read: the document's version, id and name; per package its id, name, version,
supplier, concluded and declared licence (verbatim), purl; files' and snippets' ids (for
duplicate-id checks); relationships; ``LicenseID`` blocks (the document's own LicenseRef-s).
Everything else is skipped. Problems that do not decide are warnings, collected once per kind.
"""

from __future__ import annotations

import re

from ._model import Component, LicenceRef
from ._source import Source
from ._spdx import SpdxDocument, actor_name, described_ids, licence_text, package, scopes_of

_TAG_RE = re.compile(r"([A-Za-z][A-Za-z0-9]*):[ \t]?(.*)")
_TEXT_OPEN = "<text>"
_TEXT_CLOSE = "</text>"
_PACKAGE_TAGS = frozenset({
    "PackageVersion", "PackageSupplier", "PackageLicenseConcluded", "PackageLicenseDeclared",
    "PackageDownloadLocation", "ExternalRef",
})


# A malformed line starting with one of these would change what is decided if skipped.
_DECIDING_TAGS = frozenset({"PackageLicenseConcluded", "PackageLicenseDeclared", "PackageName", "SPDXID",
                            "Relationship", "LicenseID", "SPDXVersion"})


class _Package:
    __slots__ = ("spdx_id", "name", "line", "fields", "purl")

    def __init__(self, name: str, line: int) -> None:
        self.spdx_id: str | None = None
        self.name = name
        self.line = line
        self.fields: dict[str, str] = {}
        self.purl: str | None = None


def read(source: Source) -> SpdxDocument:
    return _Reader(source).document()


class _Reader:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.doc: dict[str, str] = {}
        self.packages: list[_Package] = []
        self.other_ids: list[str] = []
        self.relationships: list[tuple[str, str, str]] = []
        self.refs: list[dict[str, str]] = []
        self.scope = "document"
        self.tolerated: dict[str, list[int]] = {}

    def document(self) -> SpdxDocument:
        for line, tag, value in self.values():
            self.take(line, tag, value)
        version = self.doc.get("SPDXVersion", "")
        doc_id = self.doc.get("SPDXID")
        if doc_id is None:
            raise self.source.error("the document has no SPDXID", expected="'SPDXID: SPDXRef-DOCUMENT'")
        scopes = scopes_of(self.relationships)
        packages = tuple(self.package(p, n, scopes) for n, p in enumerate(self.packages, 1))
        self.report()
        return SpdxDocument(
            spdx_version=version,
            spdx_id=doc_id,
            name=self.doc.get("DocumentName"),
            packages=packages,
            described=described_ids(doc_id, self.relationships),
            licence_list_version=self.doc.get("LicenseListVersion"),
            element_ids=(doc_id, *(p.id for p in packages), *self.other_ids),
            licence_refs=tuple(
                LicenceRef(r["LicenseID"], _named(r.get("LicenseName")), r.get("ExtractedText"))
                for r in self.refs
            ),
        )

    def values(self) -> list[tuple[int, str, str]]:
        """(line, tag, value) for every tag, multi-line ``<text>`` values joined."""
        out: list[tuple[int, str, str]] = []
        lines = self.source.text.split("\n")
        n = 0
        while n < len(lines):
            raw = lines[n]
            n += 1
            stripped = raw.strip()
            if not stripped or stripped.startswith("#"):
                continue
            match = _TAG_RE.match(stripped)
            if match is None:
                self.not_a_tag(n, stripped)
                continue
            tag, value = match.group(1), match.group(2).strip()
            start = n
            if value.startswith(_TEXT_OPEN) and _TEXT_CLOSE not in value:
                parts = [value[len(_TEXT_OPEN):]]
                while n < len(lines) and _TEXT_CLOSE not in lines[n]:
                    parts.append(lines[n])
                    n += 1
                if n < len(lines):
                    parts.append(lines[n].split(_TEXT_CLOSE, 1)[0])
                    n += 1
                else:
                    self.tolerate("a <text> value is never closed", start)
                value = "\n".join(parts)
            elif value.startswith(_TEXT_OPEN):
                value = value[len(_TEXT_OPEN):].split(_TEXT_CLOSE, 1)[0]
            out.append((start, tag, value))
        return out

    def not_a_tag(self, line: int, text: str) -> None:
        """A line that is not ``Tag: value``: refused if it names a tag that decides, else read past."""
        word = text.split(None, 1)[0] if text.split() else ""
        if word in _DECIDING_TAGS:
            raise self.source.error(
                f"malformed {word} line", line=line, text=text[:80],
                expected=f"'{word}: VALUE'", hint="a colon is missing after the tag")
        self.tolerate("lines that are not 'Tag: value' are ignored", line)

    def take(self, line: int, tag: str, value: str) -> None:
        if tag == "PackageName":
            self.packages.append(_Package(value, line))
            self.scope = "package"
        elif tag == "FileName":
            self.scope = "file"
        elif tag == "SnippetSPDXID":
            self.scope = "snippet"
            self.other_ids.append(value)
        elif tag == "LicenseID":
            self.refs.append({"LicenseID": value})
            self.scope = "licence"
        elif tag == "SPDXID":
            self.element_id(line, value)
        elif tag == "Relationship":
            self.relationship(line, value)
        elif tag in _PACKAGE_TAGS:
            self.package_field(line, tag, value)
        elif tag in ("LicenseName", "ExtractedText") and self.scope == "licence":
            self.refs[-1][tag] = value
        elif self.scope == "document" and tag in ("SPDXVersion", "DocumentName", "LicenseListVersion"):
            self.doc[tag] = value

    def element_id(self, line: int, value: str) -> None:
        if self.scope == "package":
            package = self.packages[-1]
            if package.spdx_id is None:
                package.spdx_id = value
            else:
                self.tolerate("a package has a second SPDXID (the first is kept)", line)
        elif self.scope == "file":
            self.other_ids.append(value)
        elif self.scope == "document" and "SPDXID" not in self.doc:
            self.doc["SPDXID"] = value
        else:
            self.tolerate("an SPDXID outside a document, package or file is ignored", line)

    def package_field(self, line: int, tag: str, value: str) -> None:
        if not self.packages:
            self.tolerate("package fields before any PackageName are ignored", line)
            return
        package = self.packages[-1]
        if self.scope != "package":
            self.tolerate("package fields after the package's files are read as the package's", line)
        if tag == "ExternalRef":
            parts = value.split()
            if len(parts) >= 3 and parts[1] == "purl" and package.purl is None:
                package.purl = parts[2]
        else:
            package.fields.setdefault(tag, value)

    def relationship(self, line: int, value: str) -> None:
        parts = value.split()
        if len(parts) != 3:
            self.tolerate("relationships that are not 'A TYPE B' are ignored", line)
            return
        kind = parts[1].upper()
        if kind != parts[1]:
            self.tolerate("relationship types are not in upper case (read as if they were)", line)
        self.relationships.append((parts[0], kind, parts[2]))

    def package(self, p: _Package, n: int, scopes: dict[str, str]) -> Component:
        if p.spdx_id is None:
            # The id names the component; it does not decide its licence (component-N, as elsewhere).
            self.tolerate("packages have no SPDXID (shown as component-N, N their position)", p.line)
            p.spdx_id = f"component-{n}"
        f = p.fields
        if "PackageDownloadLocation" not in f:
            self.tolerate("packages lack the required PackageDownloadLocation", p.line)
        supplier = f.get("PackageSupplier")
        name = actor_name(supplier) if supplier else None
        if supplier and supplier != "NOASSERTION" and not name:
            self.tolerate("suppliers are not SPDX actors and are shown as written", p.line)
            name = supplier
        return package(
            p.spdx_id,
            p.name,
            f.get("PackageVersion"),
            licence_text(f.get("PackageLicenseConcluded")),
            licence_text(f.get("PackageLicenseDeclared")),
            name,
            p.purl,
            scopes.get(p.spdx_id, "runtime"),
        )

    def tolerate(self, problem: str, line: int) -> None:
        if self.source.strict:  # pragma: no cover - strict tag-value goes to spdx-tools
            self.source.lenient(problem, line=line)
        self.tolerated.setdefault(problem, []).append(line)

    def report(self) -> None:
        for problem, lines in self.tolerated.items():
            more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
            self.source.lenient(f"{problem}{more}; read anyway, the licence decision does not use it",
                                line=lines[0])


def _named(name: str | None) -> str | None:
    return None if name is None or name == "NOASSERTION" else name
