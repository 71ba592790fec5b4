"""SPDX JSON read with the stdlib ``json`` module: the production path for the commonest SBOM.

Why a second reader beside spdx-tools (issue 12, measured on the 2-core development machine):
spdx-tools alone parses a 100,000-package SPDX JSON document in 12.9 s, where the whole
``coop sbom`` run through this reader took 2.0 s then and 1.13-1.18 s now (below); and
spdx-tools refuses files real producers write that this reader reads (fractional-second
``created`` timestamps, one package's licence string that is not SPDX). It builds and
type-checks a full object model (files, checksums, annotations) the licence decision never
uses. This path extracts only what :class:`~coopengine.sbom.Component` needs and checks the
fields spdx-tools' parser requires.

spdx-tools stays the reference: ``tests/sbom/test_sbom_agreement.py`` reads every JSON fixture
both ways (``_reader.read(..., reference=True)``) and holds the two to the same components.
Each input is decoded once (``_json.decode``) and handed to exactly one of the two readers.

One object per package (issue 16): each package dict becomes its
:class:`~coopengine.sbom.Component` at once, through :func:`._spdx.package` (as in every SPDX
reader), with its scope; so the relationships are taken before the packages, and their
problems still reported after the packages' (the order in which the document is read). Supplier
and licence texts, repeated thousands of times in large SBOMs, are worked out once each.
``bench/bench_sbom.py --sizes 100000`` (61 MB of SPDX 2.3 JSON, ``coop sbom --outbound
GPL-3.0-or-later --format json`` as a subprocess, best of 3, the same 2-core machine and run,
load 1.5): 1.62-1.64 s before issue 16, 1.13-1.18 s after. In process, reading and building
the components went from 0.36 s to 0.23 s of that; the rest of the gain is the report writer
(``explain_procurement.sbom_json_chunks``), the hash on a second thread (``_source``), one
read of the file (``coopengine._files``) and not loading the agreement language.
"""

from __future__ import annotations

from itertools import repeat

from ._model import Component, LicenceRef
from ._source import Source
from ._spdx import (
    NOASSERTION,
    SpdxDocument,
    actor_name,
    check_version,
    described_ids,
    licence_text,
    line_of_field,
    line_of_id,
    package,
    scopes_of,
)


def read(source: Source, data: dict[str, object]) -> SpdxDocument:
    reader = _Reader(source)
    return reader.document(data)


class _Reader:
    def __init__(self, source: Source) -> None:
        self.source = source
        # Large SBOMs name the same few suppliers and licence texts thousands of times: each is
        # worked out once (a dict lookup per package instead of a call, 40 ms on 100,000).
        self.suppliers: dict[str | None, str | None] = {None: None, NOASSERTION: None}
        self.licences: dict[str | None, str | None] = {None: None}
        # Problems met in many packages are reported once each, with a count and the first id.
        self.tolerated: dict[str, list[tuple[str, str | None]]] = {}

    def document(self, data: dict[str, object]) -> SpdxDocument:
        version = self.string(data, "spdxVersion", "the document")
        check_version(version, self.source)
        doc_id = self.string(data, "SPDXID", "the document")
        name = self.optional(data, "name", "the document", None)
        if name is None:
            self.tolerate("the document lacks its required 'name'", doc_id)
        if not isinstance(data.get("documentNamespace"), str):
            self.tolerate("the document lacks its required 'documentNamespace'", doc_id)
        creation = data.get("creationInfo")
        if (not isinstance(creation, dict) or not isinstance(creation.get("created"), str)
                or not isinstance(creation.get("creators"), list) or not creation.get("creators")):
            self.tolerate("'creationInfo' lacks 'created' or a non-empty 'creators' list", doc_id)

        # Relationships give the packages their scopes, so they are taken first; a malformed one is
        # still reported after the packages' problems, and a relationships value that is not a list
        # of objects refused after the packages, in the order the document is read.
        relationships, malformed = _relationships(data.get("relationships"))
        scopes = scopes_of(relationships)
        packages = tuple(self.package(p, i, scopes) for i, p in enumerate(self.objects(data, "packages")))
        ids = [doc_id, *(p.id for p in packages)]
        for key in ("files", "snippets"):
            for i, element in enumerate(self.objects(data, key)):
                ids.append(self.string(element, "SPDXID", f"{key}[{i}]"))
        self.objects(data, "relationships")
        for triple in malformed:
            self.tolerate("a relationship lacks 'spdxElementId', 'relationshipType' or "
                          "'relatedSpdxElement' and is ignored", str(triple[0]))
        describes = data.get("documentDescribes", [])
        if not isinstance(describes, list) or not all(isinstance(d, str) for d in describes):
            raise self.source.error(
                "'documentDescribes' must be a list of SPDX ids", expected="a list of strings"
            )
        self.report()
        return SpdxDocument(
            spdx_version=version,
            spdx_id=doc_id,
            name=name,
            packages=packages,
            described=described_ids(doc_id, relationships, describes),
            licence_list_version=_text(creation.get("licenseListVersion")) if isinstance(creation, dict) else None,
            element_ids=tuple(ids),
            licence_refs=self.licence_refs(data),
        )

    def package(self, data: dict[str, object], index: int, scopes: dict[str, str]) -> Component:
        # The hot loop (once per package): plain gets and isinstance checks, the rest only on failure.
        spdx_id = data.get("SPDXID")
        name = data.get("name")
        version = data.get("versionInfo")
        concluded = data.get("licenseConcluded")
        declared = data.get("licenseDeclared")
        supplier = data.get("supplier")
        if not (
            isinstance(spdx_id, str)
            and isinstance(name, str)
            and isinstance(data.get("downloadLocation"), str)
            and (version is None or isinstance(version, str))
            and (concluded is None or isinstance(concluded, str))
            and (declared is None or isinstance(declared, str))
            and (supplier is None or isinstance(supplier, str))
        ):
            return self.odd_package(data, index, scopes)
        licences, suppliers = self.licences, self.suppliers
        refs = data.get("externalRefs")
        return package(
            spdx_id,
            name,
            version,
            licences[concluded] if concluded in licences else self.licence(concluded),
            licences[declared] if declared in licences else self.licence(declared),
            suppliers[supplier] if supplier in suppliers else self.supplier(supplier, spdx_id),
            None if refs is None else self.purl(refs, spdx_id),
            scopes.get(spdx_id, "runtime"),
        )

    def odd_package(self, data: dict[str, object], index: int, scopes: dict[str, str]) -> Component:
        """A package with a missing or mistyped field: refused only if the field decides.

        The id and the licence fields decide; a missing ``downloadLocation`` (trivy 2022) or
        name, or a mistyped version or supplier, are reported and read past.
        """
        spdx_id = self.string(data, "SPDXID", f"packages[{index}]")
        where = f"package {spdx_id}"
        concluded = self.optional(data, "licenseConcluded", where, spdx_id)
        declared = self.optional(data, "licenseDeclared", where, spdx_id)
        if not isinstance(data.get("downloadLocation"), str):
            self.tolerate("packages lack the required 'downloadLocation'", spdx_id)
        name = data.get("name")
        if not isinstance(name, str):
            self.tolerate("packages lack the required 'name' (the SPDX id is shown instead)", spdx_id)
            name = spdx_id
        version = data.get("versionInfo")
        if version is not None and not isinstance(version, str):
            self.tolerate("packages have a 'versionInfo' that is not a string (ignored)", spdx_id, "versionInfo")
            version = None
        supplier = data.get("supplier")
        if supplier is not None and not isinstance(supplier, str):
            self.tolerate("packages have a 'supplier' that is not a string (ignored)", spdx_id, "supplier")
            supplier = None
        refs = data.get("externalRefs")
        return package(
            spdx_id, name, version, self.licence(concluded), self.licence(declared),
            self.supplier(supplier, spdx_id), None if refs is None else self.purl(refs, spdx_id),
            scopes.get(spdx_id, "runtime"),
        )

    def tolerate(self, problem: str, spdx_id: str, key: str | None = None) -> None:
        """Note a problem that does not decide; refused at once when strict."""
        if self.source.strict:
            self.source.lenient(f"{problem} (element {spdx_id})", line=self.line(spdx_id, key),
                                expected="what the SPDX 2 specification requires there")
        self.tolerated.setdefault(problem, []).append((spdx_id, key))

    def line(self, spdx_id: str, key: str | None) -> int | None:
        return line_of_field(self.source, spdx_id, key) if key else line_of_id(self.source, spdx_id)

    def report(self) -> None:
        """One warning per kind of problem, located at its first occurrence."""
        for problem, where in self.tolerated.items():
            more = f", and {len(where) - 1} more" if len(where) > 1 else ""
            self.source.lenient(
                f"{problem}: {where[0][0]}{more}; read anyway, the licence decision does not use it",
                line=self.line(*where[0]))

    def licence_refs(self, data: dict[str, object]) -> tuple[LicenceRef, ...]:
        """``hasExtractedLicensingInfos``: the document's own description of its LicenseRef-s."""
        out = []
        for info in self.objects(data, "hasExtractedLicensingInfos"):
            ref = info.get("licenseId")
            if not isinstance(ref, str):
                continue
            name, text = info.get("name"), info.get("extractedText")
            out.append(LicenceRef(ref, name if isinstance(name, str) and name != NOASSERTION else None,
                                  text if isinstance(text, str) else None))
        return tuple(out)

    def licence(self, raw: str | None) -> str | None:
        if raw not in self.licences:
            self.licences[raw] = licence_text(raw)
        return self.licences[raw]

    def supplier(self, raw: str | None, spdx_id: str) -> str | None:
        if raw in self.suppliers:
            return self.suppliers[raw]
        assert raw is not None  # None is in the table from the start
        name = actor_name(raw)
        if not name:
            # Microsoft's SBOM tool writes "Microsoft/GitHub" without "Organization:".
            self.tolerate("suppliers are not SPDX actors ('Organization: NAME', 'Person: NAME (EMAIL)' "
                          "or NOASSERTION) and are shown as written", spdx_id, "supplier")
            name = raw.strip()
        self.suppliers[raw] = name
        return name

    def purl(self, refs: object, spdx_id: str) -> str | None:
        """The first purl among a package's ``externalRefs``."""
        if not isinstance(refs, list):
            raise self.wrong_type("externalRefs", f"package {spdx_id}", "a list", spdx_id)
        for ref in refs:
            if not isinstance(ref, dict):
                raise self.wrong_type("externalRefs", f"package {spdx_id}", "a list of objects", spdx_id)
            if ref.get("referenceType") == "purl":
                locator = ref.get("referenceLocator")
                if isinstance(locator, str):
                    return locator
                return self.string(ref, "referenceLocator", f"package {spdx_id} externalRef", spdx_id)
        return None

    def objects(self, data: dict[str, object], key: str) -> list[dict[str, object]]:
        value = data.get(key)
        if value is None:
            return []
        # map(isinstance, ...) runs in C: a third of the time of a generator over 100,000 packages.
        if not isinstance(value, list) or not all(map(isinstance, value, repeat(dict))):
            raise self.wrong_type(key, "the document", "a list of objects")
        return value

    def string(self, data: dict[str, object], key: str, where: str, spdx_id: str | None = None) -> str:
        value = data.get(key)
        if value is None:
            raise self.missing(key, where, "a string", spdx_id)
        if not isinstance(value, str):
            raise self.wrong_type(key, where, "a string", spdx_id)
        return value

    def optional(self, data: dict[str, object], key: str, where: str, spdx_id: str | None) -> str | None:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise self.wrong_type(key, where, "a string", spdx_id)
        return value

    def missing(self, key: str, where: str, expected: str, spdx_id: str | None = None) -> Exception:
        line = line_of_id(self.source, spdx_id) if spdx_id else None
        return self.source.error(f"{where}: required field '{key}' is missing", line=line, expected=expected)

    def wrong_type(self, key: str, where: str, expected: str, spdx_id: str | None = None) -> Exception:
        line = line_of_field(self.source, spdx_id, key) if spdx_id else None
        return self.source.error(f"{where}: '{key}' has the wrong type", line=line, expected=expected)


def _relationships(value: object) -> tuple[list[tuple[str, str, str]], list[tuple[object, object, object]]]:
    """The (element, type, related) triples of a relationships list with three strings, and the
    others; none when it is not a list of objects (that is refused where the document is read)."""
    good: list[tuple[str, str, str]] = []
    bad: list[tuple[object, object, object]] = []
    if not isinstance(value, list):
        return good, bad
    for rel in value:
        if not isinstance(rel, dict):
            return [], []
        element, kind = rel.get("spdxElementId"), rel.get("relationshipType")
        related = rel.get("relatedSpdxElement")
        if isinstance(element, str) and isinstance(kind, str) and isinstance(related, str):
            good.append((element, kind, related))
        else:
            bad.append((element, kind, related))
    return good, bad


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
