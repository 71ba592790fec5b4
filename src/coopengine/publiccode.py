"""publiccode.yml (versions 0.2 to 0.7) read into a frozen model, and checked against the standard.

A publiccode.yml describes a public-sector solution: who publishes it (``organisation``), under
which licence (``legal.license``), who maintains it and until when (``maintenance``), what it
needs (``dependsOn``). The decisions read a few of these as facts (``solution.*``, see
``docs/publiccode.md``); ``coop publiccode check`` reports every departure from the standard.

Built ``from_file`` → ``from_text`` → ``from_dict``, each rung adding what it knows to errors.
Two levels of problems, because real catalogues are imperfect and a missing ``roadmap`` must
not stop a reuse decision:

* an :class:`InputError` is raised only when there is no model to build (not YAML, not a
  mapping); a key holding the wrong type (a list where text is expected) is an error in
  ``warnings`` and the facts read from it are left out (unknown), never guessed;
* everything else the standard asks for (required keys per version, deprecated keys, unknown
  keys, the licence expression) is a :class:`Diagnostic` in ``PublicCode.warnings``, with
  severity ``error`` (the file breaks the standard) or ``warning`` (deprecated, still valid).

Sources: the standard's reference (github.com/publiccodeyml/publiccode.yml,
``docs/standard/schema.core.rst`` and ``CHANGELOG.rst`` at v0.7.0); the presence rules follow it
(``releaseDate`` mandatory before 0.4, ``categories`` before 0.5, ``organisation`` from 0.5).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from ._files import read_input
from ._yaml import YamlDoc, load_yaml_bytes, load_yaml_text
from .errors import InputError, Location, did_you_mean

__all__ = ["PublicCode", "Diagnostic", "Contact", "Description", "load_publiccode", "MAX_PUBLICCODE_BYTES",
           "FACTS", "SUPPORTED_VERSIONS"]

MAX_PUBLICCODE_BYTES = 1_000_000  # the largest real files are a few tens of kB (long descriptions)

# The versions this reader knows. "0" is allowed by the standard since 0.3: the latest 0.x.
SUPPORTED_VERSIONS = ("0", "0.2", "0.2.0", "0.2.1", "0.2.2", "0.3", "0.3.0", "0.4", "0.4.0", "0.5", "0.5.0",
                      "0.6", "0.6.0", "0.7", "0.7.0")
LATEST = (0, 7)

MAINTENANCE_TYPES = ("internal", "contract", "community", "none")
DEVELOPMENT_STATUSES = ("concept", "development", "beta", "stable", "obsolete")
SOFTWARE_TYPES = ("standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web",
                  "standalone/backend", "standalone/other", "addon", "library", "configurationFiles")
PLATFORMS = ("web", "windows", "mac", "linux", "ios", "android")

# Every top-level key of the standard, with what it holds (for did-you-mean and `expected`).
TOP_KEYS: Mapping[str, str] = MappingProxyType({
    "publiccodeYmlVersion": "the version of the standard, e.g. \"0.4\"",
    "name": "the software's name",
    "applicationSuite": "the suite it belongs to",
    "url": "the source code repository URL",
    "landingURL": "the landing page URL",
    "isBasedOn": "URL(s) of the software it is a fork or variant of",
    "softwareVersion": "the latest stable version",
    "releaseDate": "date of the latest release, YYYY-MM-DD",
    "logo": "path or URL of the logo",
    "monochromeLogo": "(deprecated) path of a monochrome logo",
    "inputTypes": "(deprecated) MIME types",
    "outputTypes": "(deprecated) MIME types",
    "platforms": "web, windows, mac, linux, ios, android, ...",
    "categories": "list of categories",
    "usedBy": "public bodies using it",
    "fundedBy": "organisations that funded it (name, uri)",
    "roadmap": "roadmap URL",
    "developmentStatus": "concept | development | beta | stable | obsolete",
    "softwareType": "standalone/web, library, addon, ...",
    "supports": "(0.7) interoperability standards, regulations it supports",
    "organisation": "the publishing organisation (uri, name)",
    "intendedAudience": "countries, unsupportedCountries, scope",
    "description": "per language: shortDescription, longDescription, features, ...",
    "legal": "license, mainCopyrightOwner, repoOwner",
    "maintenance": "type, contractors, contacts",
    "localisation": "localisationReady, availableLanguages",
    "dependsOn": "open, proprietary, hardware",
    "it": "Italian extension (deprecated in 0.7)",
    "IT": "Italian extension, upper-case spelling (before 0.5)",
})
# Country extensions other than Italy's: two letters, accepted as written.
_COUNTRY = re.compile(r"^[a-zA-Z]{2}$")
_SUB_KEYS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "legal": ("license", "mainCopyrightOwner", "repoOwner", "authorsFile"),
    "maintenance": ("type", "contractors", "contacts"),
    "dependsOn": ("open", "proprietary", "hardware"),
    "organisation": ("uri", "name"),
    "localisation": ("localisationReady", "availableLanguages"),
    "intendedAudience": ("countries", "unsupportedCountries", "scope"),
})
# Keys of list entries and of each language's description (schema.core.rst, "Contractor", "Contact", ...).
_ENTRY_KEYS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "maintenance.contractors": ("name", "until", "email", "website"),
    "maintenance.contacts": ("name", "email", "phone", "affiliation"),
    "dependsOn.open": ("name", "versionMin", "versionMax", "version", "optional"),
    "dependsOn.proprietary": ("name", "versionMin", "versionMax", "version", "optional"),
    "dependsOn.hardware": ("name", "versionMin", "versionMax", "version", "optional"),
    "fundedBy": ("name", "uri"),
})
_DESCRIPTION_KEYS = ("localisedName", "genericName", "shortDescription", "longDescription", "documentation",
                     "apiDocumentation", "features", "screenshots", "videos", "awards")
_DEPRECATED: Mapping[tuple[str, ...], tuple[str, str]] = MappingProxyType({
    ("legal", "repoOwner"): ("0.5", "use organisation (uri, name) instead"),
    ("legal", "authorsFile"): ("0.4", "list the authors in the repository instead"),
    ("monochromeLogo",): ("0.3", "remove it; logo is enough"),
    ("inputTypes",): ("0.3", "remove it"),
    ("outputTypes",): ("0.3", "remove it"),
})
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# Every fact :meth:`PublicCode.facts` can give, with the publiccode.yml key it comes from
# (docs/publiccode.md lists the same; a test keeps them equal).
FACTS: Mapping[str, str] = MappingProxyType({
    "solution.name": "name",
    "solution.url": "url",
    "solution.publiccode-version": "publiccodeYmlVersion",
    "solution.main-copyright-owner": "legal.mainCopyrightOwner",
    "solution.repo-owner": "legal.repoOwner",
    "solution.organisation": "organisation.uri",
    "solution.organisation.name": "organisation.name",
    "solution.software-type": "softwareType",
    "solution.development-status": "developmentStatus",
    "solution.release-date": "releaseDate",
    "solution.maintenance.type": "maintenance.type",
    "solution.maintenance.until": "maintenance.contractors[].until",
    "solution.depends-on.open": "dependsOn.open",
    "solution.depends-on.proprietary": "dependsOn.proprietary",
    "solution.depends-on.proprietary-required": "dependsOn.proprietary[].optional",
    "solution.depends-on.hardware": "dependsOn.hardware",
    "solution.used-by": "usedBy",
    "solution.funded-by": "fundedBy",
    "solution.is-based-on": "isBasedOn",
    **{f"solution.platform.{p}": "platforms" for p in PLATFORMS},
})


class Contact(NamedTuple):
    """A technical contact (``maintenance.contacts``)."""

    name: str
    email: str | None = None
    affiliation: str | None = None


class Description(NamedTuple):
    """One language's description: the short and the long text."""

    short: str | None
    long: str | None


@dataclass(frozen=True)
class Diagnostic:
    """A departure from the standard: ``error`` breaks it, ``warning`` is deprecated or doubtful."""

    severity: str
    error: InputError
    key: str = ""  # the dotted key it is about ("legal.license", "maintenance.contractors.0.until")

    def render(self) -> str:
        return ("warning: " if self.severity == "warning" else "") + self.error.render()

    def to_dict(self) -> dict[str, object]:
        loc = self.error.location
        return {"severity": self.severity, "code": self.error.code, "message": self.error.message,
                "file": loc.file, "line": loc.line, "column": loc.column, "text": self.error.text,
                "expected": self.error.expected, "hint": self.error.hint}


Scalar = str | int | float | bool | dt.date


@dataclass(frozen=True)
class PublicCode:
    """The publiccode.yml fields a reuse decision, a catalogue or a conditions statement reads."""

    file: str
    version: str | None
    name: str | None
    url: str | None
    licence: str | None
    main_copyright_owner: str | None
    repo_owner: str | None
    organisation_uri: str | None
    organisation_name: str | None
    software_type: str | None
    development_status: str | None
    release_date: dt.date | None
    platforms: tuple[str, ...]
    maintenance_type: str | None
    contractors: tuple[tuple[str, dt.date | None], ...]
    contacts: tuple[Contact, ...]
    depends_on_open: tuple[str, ...]
    depends_on_proprietary: tuple[str, ...]
    depends_on_hardware: tuple[str, ...]
    # Names of the dependencies not marked ``optional: true`` (the ones the software cannot run without).
    required_proprietary: tuple[str, ...]
    used_by: tuple[str, ...]
    funded_by: tuple[tuple[str, str | None], ...]
    is_based_on: tuple[str, ...]
    description: Mapping[str, Description]
    warnings: tuple[Diagnostic, ...] = ()
    sha256: str = ""
    # Where legal.license was written (file, line, column, source line), for errors in the expression.
    licence_at: tuple[str, int, int, str | None] | None = None
    positions: Mapping[str, int] = field(default_factory=dict)
    # Keys whose value had the wrong type ("dependsOn.proprietary", "platforms"): their facts are unknown.
    unreadable: frozenset[str] = frozenset()

    @property
    def owner(self) -> str | None:
        """Who holds the code: legal.mainCopyrightOwner, else the deprecated legal.repoOwner."""
        return self.main_copyright_owner or self.repo_owner

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.warnings if d.severity == "error")

    @property
    def valid(self) -> bool:
        return not self.errors

    @classmethod
    def from_file(cls, path: str | Path, *, display: str | None = None) -> PublicCode:
        raw = read_input(path, limit=MAX_PUBLICCODE_BYTES, what="publiccode.yml", display=display)
        return cls.from_bytes(raw, display or str(path))

    @classmethod
    def from_bytes(cls, raw: bytes, file: str) -> PublicCode:
        doc = load_yaml_bytes(raw, file)
        return cls.from_doc(doc, sha256=hashlib.sha256(raw).hexdigest())

    @classmethod
    def from_text(cls, text: str, file: str = "<publiccode>") -> PublicCode:
        if len(text) > MAX_PUBLICCODE_BYTES:
            raise InputError(f"publiccode.yml too large ({len(text)} characters; the limit is "
                             f"{MAX_PUBLICCODE_BYTES})", location=Location(file))
        doc = load_yaml_text(text, file)
        return cls.from_doc(doc, sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())

    @classmethod
    def from_doc(cls, doc: YamlDoc, *, sha256: str = "") -> PublicCode:
        if not isinstance(doc.data, dict):
            raise doc.error((), "publiccode.yml must be a mapping of keys", text=_short(doc.data),
                            expected="publiccodeYmlVersion:, name:, url:, legal:, ...")
        return cls.from_dict(doc.data, doc, sha256=sha256)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], doc: YamlDoc, *, sha256: str = "") -> PublicCode:
        r = _Reader(doc)
        version = r.version(data)
        legal = r.mapping(("legal",), data.get("legal"))
        maintenance = r.mapping(("maintenance",), data.get("maintenance"))
        organisation = r.mapping(("organisation",), data.get("organisation"))
        depends = r.mapping(("dependsOn",), data.get("dependsOn"))
        licence = r.text(("legal", "license"), legal.get("license"))
        deps = {kind: r.dependencies(("dependsOn", kind), depends.get(kind)) for kind in ("open", "proprietary",
                                                                                         "hardware")}
        model = cls(
            file=doc.file,
            version=version,
            name=r.text(("name",), data.get("name")),
            url=r.text(("url",), data.get("url")),
            licence=licence,
            main_copyright_owner=r.text(("legal", "mainCopyrightOwner"), legal.get("mainCopyrightOwner")),
            repo_owner=r.text(("legal", "repoOwner"), legal.get("repoOwner")),
            organisation_uri=r.text(("organisation", "uri"), organisation.get("uri")),
            organisation_name=r.text(("organisation", "name"), organisation.get("name")),
            software_type=r.text(("softwareType",), data.get("softwareType")),
            development_status=r.text(("developmentStatus",), data.get("developmentStatus")),
            release_date=r.date(("releaseDate",), data.get("releaseDate")),
            platforms=r.words(("platforms",), data.get("platforms"), single=True),
            maintenance_type=r.text(("maintenance", "type"), maintenance.get("type")),
            contractors=r.contractors(maintenance.get("contractors")),
            contacts=r.contacts(maintenance.get("contacts")),
            depends_on_open=tuple(n for n, _ in deps["open"]),
            depends_on_proprietary=tuple(n for n, _ in deps["proprietary"]),
            depends_on_hardware=tuple(n for n, _ in deps["hardware"]),
            required_proprietary=tuple(n for n, optional in deps["proprietary"] if not optional),
            used_by=r.words(("usedBy",), data.get("usedBy")),
            funded_by=r.organisations(("fundedBy",), data.get("fundedBy")),
            is_based_on=r.words(("isBasedOn",), data.get("isBasedOn"), single=True),
            description=MappingProxyType(r.descriptions(data.get("description"))),
            sha256=sha256,
            licence_at=r.at(("legal", "license")) if licence is not None else None,
            positions=MappingProxyType({".".join(str(x) for x in k): v[0] for k, v in doc.positions.items()}),
            unreadable=frozenset(r.unreadable),
        )
        found = list(r.found)
        found.extend(_validate(model, data, doc, r.version_tuple))
        found.sort(key=lambda d: (d.error.location.line or 0, d.error.location.column or 0, d.error.message))
        return _replace_warnings(model, tuple(found))

    def facts(self) -> dict[str, Scalar]:
        """The ``solution.*`` facts agreements and tenders read (mapping in ``docs/publiccode.md``)."""
        out: dict[str, Scalar] = {}
        plain: dict[str, Scalar | None] = {
            "solution.name": self.name,
            "solution.url": self.url,
            "solution.publiccode-version": self.version,
            "solution.main-copyright-owner": self.main_copyright_owner,
            "solution.repo-owner": self.repo_owner,
            "solution.organisation": self.organisation_uri,
            "solution.organisation.name": self.organisation_name,
            "solution.software-type": self.software_type,
            "solution.development-status": self.development_status,
            "solution.release-date": self.release_date,
            "solution.maintenance.type": self.maintenance_type,
            "solution.maintenance.until": max((u for _, u in self.contractors if u is not None), default=None),
        }
        out.update({k: v for k, v in plain.items() if v is not None})
        # Absent dependsOn is "none declared": the standard makes the section optional, so a file
        # without it says nothing more; we read it as false, as the catalogues do.
        out["solution.depends-on.open"] = bool(self.depends_on_open)
        out["solution.depends-on.proprietary"] = bool(self.depends_on_proprietary)
        out["solution.depends-on.proprietary-required"] = bool(self.required_proprietary)
        out["solution.depends-on.hardware"] = bool(self.depends_on_hardware)
        out["solution.used-by"] = len(self.used_by)
        out["solution.funded-by"] = len(self.funded_by)
        out["solution.is-based-on"] = bool(self.is_based_on)
        if self.platforms:
            for platform in PLATFORMS:
                out[f"solution.platform.{platform}"] = platform in self.platforms
        # A key that could not be read says nothing: its facts stay unknown rather than false
        # (a list of proprietary dependencies written as one word must not read as "none").
        return {k: v for k, v in sorted(out.items()) if not self._unreadable_fact(k)}

    def _unreadable_fact(self, fact: str) -> bool:
        source = FACTS.get(fact, "")
        base = ".".join(source.split("[")[0].split(".")[:2])
        return any(base.startswith(u) or u.startswith(base) for u in self.unreadable if u)


def load_publiccode(source: str | Path | bytes, *, file: str | None = None) -> PublicCode:
    """A publiccode.yml from a path, or from the text or bytes of one (``file`` names it in messages).

    A ``str`` holding a line break or starting with ``{`` is text (as everywhere in the API); any
    other ``str`` is a path.
    """
    if isinstance(source, bytes):
        return PublicCode.from_bytes(source, file or "<publiccode>")
    if isinstance(source, str) and ("\n" in source or "\r" in source or source.lstrip()[:1] == "{"):
        return PublicCode.from_text(source, file or "<publiccode>")
    if not isinstance(source, str | Path):
        raise InputError(f"publiccode.yml: expected a path, text or bytes, not {type(source).__name__}")
    return PublicCode.from_file(Path(source), display=file)


def _replace_warnings(model: PublicCode, found: tuple[Diagnostic, ...]) -> PublicCode:
    import dataclasses

    return dataclasses.replace(model, warnings=found)


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _version_tuple(version: str) -> tuple[int, int]:
    parts = version.split(".")
    if parts == ["0"]:
        return LATEST
    return int(parts[0]), int(parts[1])


class _Reader:
    """Reads typed values at key paths, raising only where the model cannot be built."""

    def __init__(self, doc: YamlDoc) -> None:
        self.doc = doc
        self.found: list[Diagnostic] = []
        self.unreadable: set[str] = set()
        self.version_tuple: tuple[int, int] = LATEST

    def bad(self, path: tuple[str | int, ...], message: str, **kw: Any) -> None:
        """A value of the wrong type: an error, and the facts read from that key become unknown."""
        self.problem(path, message, **kw)
        self.unreadable.add(".".join(p for p in path[:2] if isinstance(p, str)))

    def problem(self, path: tuple[str | int, ...], message: str, severity: str = "error", **kw: Any) -> None:
        err = self.doc.error(path, message, code="E150" if severity == "error" else "W150", **kw)
        self.found.append(Diagnostic(severity, err, ".".join(str(p) for p in path)))

    def at(self, path: tuple[str | int, ...]) -> tuple[str, int, int, str | None]:
        loc = self.doc.locate(path)
        line = loc.line or 1
        return self.doc.file, line, loc.column or 1, self.doc.lines[line - 1] if line <= len(self.doc.lines) else None

    def version(self, data: Mapping[str, Any]) -> str | None:
        raw = data.get("publiccodeYmlVersion")
        if raw is None:
            return None
        # An unquoted 0.2 is a YAML float; the standard asks for a string but the number means the same.
        if isinstance(raw, float | int) and not isinstance(raw, bool):
            self.problem(("publiccodeYmlVersion",), f"publiccodeYmlVersion {raw} is a number; the standard "
                         "asks for a string", "warning", text=str(raw), hint=f'write publiccodeYmlVersion: "{raw}"')
            raw = str(raw)
        if not isinstance(raw, str):
            self.bad(("publiccodeYmlVersion",), "publiccodeYmlVersion must be a version string",
                     text=_short(raw), expected='"0.2" to "0.7", or "0"')
            return None
        if raw not in SUPPORTED_VERSIONS:
            self.problem(("publiccodeYmlVersion",), f"unknown publiccodeYmlVersion {raw!r}", text=raw,
                         expected=", ".join(v for v in SUPPORTED_VERSIONS if v.count(".") <= 1),
                         hint="read as the latest version this reader knows (0.7)")
        else:
            self.version_tuple = _version_tuple(raw)
        return raw

    def mapping(self, path: tuple[str, ...], value: Any) -> Mapping[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.bad(path, f"{'.'.join(path)} must be a mapping of keys", text=_short(value),
                     expected=", ".join(_SUB_KEYS.get(path[-1], ())) or "a mapping")
            return {}
        return value

    def text(self, path: tuple[str | int, ...], value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.bad(path, f"{_dotted(path)} must be text", text=_short(value), expected="a string")
            return None
        if not isinstance(value, str):
            self.problem(path, f"{_dotted(path)} is a number; the standard asks for a string", "warning",
                         text=str(value), hint=f'quote it: "{value}"')
        return str(value).strip() or None

    def date(self, path: tuple[str | int, ...], value: Any) -> dt.date | None:
        """A date, or None with an error recorded: a wrong date must not stop a decision that does not read it."""
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            self.bad(path, f"{_dotted(path)} is a date and time; a date is expected", text=str(value),
                         expected="a date YYYY-MM-DD", hint=f"write {value.date()}")
            return None
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and _DATE.match(value.strip()):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.bad(path, f"{_dotted(path)}: {_short(value)!r} is not a date", text=_short(value),
                     expected="a date YYYY-MM-DD (the only date format publiccode.yml allows)")
        return None

    def words(self, path: tuple[str, ...], value: Any, *, single: bool = False) -> tuple[str, ...]:
        """A list of strings (or, where the standard allows it, one string)."""
        if value is None:
            return ()
        if single and isinstance(value, str):
            return (value.strip(),) if value.strip() else ()
        if not isinstance(value, list):
            self.bad(path, f"{_dotted(path)} must be a list", text=_short(value),
                     expected="a list of strings" + (" or one string" if single else ""))
            return ()
        return tuple(t for i, item in enumerate(value) if (t := self.text((*path, i), item)) is not None)

    def items(self, path: tuple[str, ...], value: Any) -> list[tuple[tuple[str | int, ...], Mapping[str, Any]]]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.bad(path, f"{_dotted(path)} must be a list", text=_short(value),
                     expected="a list of entries, each with name:")
            return []
        out: list[tuple[tuple[str | int, ...], Mapping[str, Any]]] = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                self.bad((*path, i), f"{_dotted(path)} entries must be mappings", text=_short(item),
                         expected="name: ... (and the entry's other keys)")
                continue
            out.append(((*path, i), item))
        return out

    def named(self, path: tuple[str | int, ...], item: Mapping[str, Any]) -> str | None:
        name = self.text((*path, "name"), item.get("name"))
        if name is None:
            self.problem(path, f"{_dotted(path[:-1])} entry without a name", expected="name: ...")
        return name

    def dependencies(self, path: tuple[str, ...], value: Any) -> tuple[tuple[str, bool], ...]:
        out = []
        for p, item in self.items(path, value):
            name = self.named(p, item)
            optional = item.get("optional", False)
            if not isinstance(optional, bool):
                self.bad((*p, "optional"), "optional must be true or false", text=_short(optional))
                optional = False  # read as required: the cautious reading (and the fact is unknown anyway)
            if name is not None:
                out.append((name, optional))
        return tuple(out)

    def contractors(self, value: Any) -> tuple[tuple[str, dt.date | None], ...]:
        out = []
        for p, item in self.items(("maintenance", "contractors"), value):
            name = self.named(p, item)
            until = self.date((*p, "until"), item.get("until"))
            if item.get("until") is None:
                self.problem(p, "a contractor without until (the date the maintenance contract ends)",
                             expected="until: YYYY-MM-DD")
            if name is not None:
                out.append((name, until))
        return tuple(out)

    def contacts(self, value: Any) -> tuple[Contact, ...]:
        out = []
        for p, item in self.items(("maintenance", "contacts"), value):
            name = self.named(p, item)
            if name is not None:
                out.append(Contact(name, self.text((*p, "email"), item.get("email")),
                                   self.text((*p, "affiliation"), item.get("affiliation"))))
        return tuple(out)

    def organisations(self, path: tuple[str, ...], value: Any) -> tuple[tuple[str, str | None], ...]:
        out = []
        for p, item in self.items(path, value):
            name = self.named(p, item)
            if name is not None:
                out.append((name, self.text((*p, "uri"), item.get("uri"))))
        return tuple(out)

    def descriptions(self, value: Any) -> dict[str, Description]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.bad(("description",), "description must be a mapping of language codes",
                     text=_short(value), expected="en: {shortDescription: ..., longDescription: ...}")
            return {}
        out = {}
        for lang in sorted(value):
            entry = value[lang]
            if not isinstance(entry, dict):
                self.bad(("description", lang), f"description.{lang} must be a mapping",
                         text=_short(entry), expected="shortDescription:, longDescription:, features:")
                continue
            out[lang] = Description(self.text(("description", lang, "shortDescription"), entry.get("shortDescription")),
                                    self.text(("description", lang, "longDescription"), entry.get("longDescription")))
        return out


def _dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(f"[{p}]" if isinstance(p, int) else p for p in path).replace(".[", "[")


def _validate(model: PublicCode, data: Mapping[str, Any], doc: YamlDoc, version: tuple[int, int]) -> list[Diagnostic]:
    """What the standard requires beyond the model's types: required keys, values, deprecations, the licence."""
    found: list[Diagnostic] = []

    def add(path: tuple[str | int, ...], message: str, severity: str = "error", **kw: Any) -> None:
        code = "E150" if severity == "error" else "W150"
        found.append(Diagnostic(severity, doc.error(path, message, code=code, **kw), ".".join(str(p) for p in path)))

    _unknown_keys(data, add)
    _unknown_entry_keys(data, add)
    for key in _required(version):
        parent, _, leaf = key.rpartition(".")
        holder = data.get(parent) if parent else data
        if parent and not isinstance(holder, dict):
            holder = {}
        if holder is None or leaf not in holder or holder[leaf] in (None, "", []):
            where: tuple[str | int, ...] = (parent,) if parent and parent in data else ()
            add(where, f"missing key {key!r}", expected=f"{leaf}: {TOP_KEYS.get(leaf, _SUB_HELP.get(key, ''))}".strip())
    for path, (since, hint) in _DEPRECATED.items():
        holder = data
        for part in path[:-1]:
            holder = holder.get(part) if isinstance(holder, dict) else None
        if isinstance(holder, dict) and path[-1] in holder and version >= _version_tuple(since):
            add(path, f"{'.'.join(path)} is deprecated since publiccode.yml {since}", "warning", hint=hint)
    _enums(model, add)
    _maintenance(model, data, add)
    _descriptions(data, add)
    org = data.get("organisation")
    if isinstance(org, dict) and model.organisation_uri is None:
        add(("organisation",), "organisation without uri (the URI identifying the publisher)",
            expected='uri: "https://example.org/my-organisation" or "urn:x-...:..."')
    _licence(model, doc, found)
    return found


_SUB_HELP = {
    "legal.license": "an SPDX licence expression",
    "maintenance.type": " | ".join(MAINTENANCE_TYPES),
    "localisation.localisationReady": "true or false",
    "localisation.availableLanguages": "a list of language tags (en, it, ...)",
}


def _required(version: tuple[int, int]) -> list[str]:
    keys = ["publiccodeYmlVersion", "name", "url", "platforms", "developmentStatus", "softwareType",
            "description", "legal.license", "maintenance.type", "localisation.localisationReady",
            "localisation.availableLanguages"]
    if version < (0, 4):
        keys.append("releaseDate")  # optional from 0.4 (CHANGELOG v0.4.0)
    if version < (0, 5):
        keys.append("categories")  # optional from 0.5 (CHANGELOG v0.5.0)
    return keys


def _unknown_keys(data: Mapping[str, Any], add: Any) -> None:
    for key in data:
        if key in TOP_KEYS or _COUNTRY.match(key):
            continue
        hits = did_you_mean(key, TOP_KEYS)
        add((key,), f"unknown key {key!r}", text=key, expected="a publiccode.yml key",
            hint=("did you mean " + " or ".join(repr(h) for h in hits) + "?") if hits else None)
    for section, allowed in _SUB_KEYS.items():
        sub = data.get(section)
        if not isinstance(sub, dict):
            continue
        for key in sub:
            if key not in allowed:
                hits = did_you_mean(key, allowed)
                add((section, key), f"unknown key {section}.{key}", text=key, expected=", ".join(allowed),
                    hint=("did you mean " + " or ".join(repr(h) for h in hits) + "?") if hits else None)


def _unknown_entry_keys(data: Mapping[str, Any], add: Any) -> None:
    """Unknown keys in list entries (contractors, contacts, dependencies, funders) and descriptions."""
    def check(path: tuple[str | int, ...], entry: Any, allowed: tuple[str, ...]) -> None:
        if not isinstance(entry, dict):
            return
        for key in entry:
            if key not in allowed:
                hits = did_you_mean(key, allowed)
                add((*path, key), f"unknown key {key!r} in {_dotted(path)}", text=key, expected=", ".join(allowed),
                    hint=("did you mean " + " or ".join(repr(h) for h in hits) + "?") if hits else None)

    for where, allowed in _ENTRY_KEYS.items():
        node: Any = data
        for part in where.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, list):
            for i, entry in enumerate(node):
                check((*where.split("."), i), entry, allowed)
    langs = data.get("description")
    if isinstance(langs, dict):
        for lang, entry in langs.items():
            check(("description", lang), entry, _DESCRIPTION_KEYS)


def _enums(model: PublicCode, add: Any) -> None:
    checks: list[tuple[tuple[str, ...], str | None, tuple[str, ...]]] = [
        (("maintenance", "type"), model.maintenance_type, MAINTENANCE_TYPES),
        (("developmentStatus",), model.development_status, DEVELOPMENT_STATUSES),
        (("softwareType",), model.software_type, (*SOFTWARE_TYPES, "standalone")),
    ]
    for path, value, allowed in checks:
        if value is not None and value not in allowed:
            hits = did_you_mean(value, allowed)
            add(path, f"{'.'.join(path)}: {value!r} is not one of the standard's values", text=value,
                expected=" | ".join(allowed),
                hint=("did you mean " + " or ".join(repr(h) for h in hits) + "?") if hits else None)
    if model.software_type == "standalone":
        add(("softwareType",), "softwareType 'standalone' is deprecated since publiccode.yml 0.2", "warning",
            hint="say which: standalone/web, standalone/desktop, standalone/backend, ...")


def _maintenance(model: PublicCode, data: Mapping[str, Any], add: Any) -> None:
    """The presence rules of ``maintenance`` (schema.core.rst: contractors iff contract; contacts for
    internal and community)."""
    m = data.get("maintenance")
    if not isinstance(m, dict) or model.maintenance_type not in MAINTENANCE_TYPES:
        return
    if model.maintenance_type == "contract" and not model.contractors:
        add(("maintenance",), "maintenance.type is contract but no contractors are given",
            expected="contractors: [{name: ..., until: YYYY-MM-DD}]")
    if model.maintenance_type != "contract" and m.get("contractors"):
        add(("maintenance", "contractors"), f"contractors given with maintenance.type {model.maintenance_type}",
            expected="contractors only when maintenance.type is contract")
    if model.maintenance_type in ("internal", "community") and not model.contacts:
        add(("maintenance",), f"maintenance.type is {model.maintenance_type} but no contacts are given",
            expected="contacts: [{name: ...}]")


def _descriptions(data: Mapping[str, Any], add: Any) -> None:
    """shortDescription in every language; longDescription and features in at least one (schema.core.rst)."""
    langs = data.get("description")
    if not isinstance(langs, dict) or not langs:
        return
    for lang, entry in langs.items():
        if isinstance(entry, dict) and not entry.get("shortDescription"):
            add(("description", lang), f"description.{lang} without shortDescription",
                expected="shortDescription: one line, at most 150 characters")
    for key in ("longDescription", "features"):
        if not any(isinstance(e, dict) and e.get(key) for e in langs.values()):
            first = next(iter(langs))
            add(("description", first), f"no language of description has {key}",
                expected=f"{key}: ... in at least one language")


def _licence(model: PublicCode, doc: YamlDoc, found: list[Diagnostic]) -> None:
    """legal.license must be an SPDX expression (WITH included); its errors point into the file."""
    if model.licence is None or model.licence_at is None:
        return
    from .expressions import parse_expression

    file, line, column, source = model.licence_at
    try:
        parse_expression(model.licence, source=file)
    except InputError as exc:
        loc = exc.location
        # The value's own column plus the position inside the expression, when the value is on one line.
        start = source.find(model.licence) if source is not None else -1
        base = start + 1 if start >= 0 else column
        col = base + (loc.column - 1) if loc.column is not None and start >= 0 else base
        end = base + (loc.end_column - 1) if loc.end_column is not None and start >= 0 else None
        err = InputError(f"legal.license: {exc.message}", location=Location(file, line, col, end), text=exc.text,
                         expected=exc.expected, hint=exc.hint, source_line=source, code="E150")
        found.append(Diagnostic("error", err, "legal.license"))
