"""The public library API: every job the CLI does, callable from Python with files or in-memory inputs.

Each function takes paths as the CLI does, or the same inputs held in memory, so that a portal,
a catalogue or a CI script never writes a temporary file and never imports a private module:

* a **path** is a ``str`` or :class:`os.PathLike`;
* **content** is ``bytes``, or a ``str`` that holds a line break or starts with ``{``, ``[`` or
  ``<`` (no file name does); a scenario may also be a mapping, as ``json.loads`` gives it, with
  dates as ISO strings; agreement files may be a mapping of file name to text.

Each returns a frozen result whose ``to_dict()`` is the JSON the CLI prints for the same
input, and raises only :class:`coopengine.errors.CoopError` subclasses, which carry the file,
line and column (``<scenario>``, ``<sbom>`` and the like for content given in memory).

Heavy modules are imported inside the functions: ``import coopengine`` stays cheap.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar, cast

from .errors import CoopError, InputError, Location
from .publiccode import PublicCode, load_publiccode

if TYPE_CHECKING:
    from .catalogue import Catalogue
    from .conditions import Statement
    from .language import CheckResult, Diagnostic, Program
    from .language.loader import Source
    from .procurement import SbomCheck, TenderCheck
    from .reuse import Decision
    from .sbom import Sbom
    from .scenario import Scenario

__all__ = [
    "Agreements",
    "CheckReport",
    "FormatReport",
    "FormattedFile",
    "check_agreements",
    "check_sbom",
    "check_tender",
    "decide_reuse",
    "format_agreements",
    "load_program",
    "load_scenario",
    "read_sbom",
    "ExpressionDescription",
    "LicenceDescription",
    "OutboundLicences",
    "describe_expression",
    "describe_licence",
    "outbound_licences",
    "read_yaml",
    "render",
    "render_chunks",
    "scenario_yaml",
    "decide_catalogue",
    "conditions_statement",
    "PublicCode",
    "load_publiccode",
]

PathLike: TypeAlias = "str | os.PathLike[str]"
ScenarioInput: TypeAlias = "Scenario | Mapping[str, Any] | str | os.PathLike[str]"
SbomInput: TypeAlias = "Sbom | bytes | str | os.PathLike[str]"
AgreementsInput: TypeAlias = (
    "Agreements | Mapping[str, str] | str | os.PathLike[str] | Sequence[str | os.PathLike[str]]"
)
DateInput: TypeAlias = "dt.date | str | None"

CHECK_SCHEMA = "coopengine/check/v1"
FMT_SCHEMA = "coopengine/fmt/v1"
# From this size on a check takes long enough (about half a second) to say what it is doing.
LARGE_PROGRAM_CHARS = 200_000
LARGE_PROGRAM_FILES = 50
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

F = TypeVar("F", bound=Callable[..., Any])


def _public(func: F) -> F:
    """Errors a caller can provoke with input leave as CoopError, never as anything else."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CoopError:
            raise
        except RecursionError:
            raise InputError("the input is nested too deeply to process") from None
        except OSError as err:
            shown = err.filename if isinstance(err.filename, str) else None
            raise InputError(f"cannot read: {err.strerror or err}", location=Location(shown)) from None

    return cast(F, wrapper)


# ---- telling paths from content ------------------------------------------------------------


def _is_content(value: str) -> bool:
    return "\n" in value or value.lstrip()[:1] in ("{", "[", "<")


def _as_path(value: object, what: str) -> Path:
    if isinstance(value, os.PathLike) or isinstance(value, str):
        return Path(value)
    raise InputError(f"{what}: expected a path, text or bytes, not {type(value).__name__}")


def _as_date(value: DateInput, what: str = "date") -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{value!r} is not a date", location=Location(f"<{what}>"), text=str(value),
                         expected="a date YYYY-MM-DD") from None


def _text_of(data: bytes | str, name: str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InputError(f"not UTF-8 text (byte 0x{data[err.start]:02x})", location=Location(name, line),
                         expected="UTF-8 text") from None


# ---- SBOMs ---------------------------------------------------------------------------------


@_public
def read_sbom(sbom: SbomInput, *, name: str | None = None, max_bytes: int | None = None,
              strict: bool = False) -> Sbom:
    """The third-party components of an SPDX or CycloneDX SBOM, in document order.

    Args:
        sbom: a path, or the document's bytes or text (an :class:`Sbom` is returned as it is).
        name: what stands for the path in errors and provenance for content (default ``<sbom>``).
        max_bytes: refuse larger documents before parsing (default 200 MB).
        strict: refuse malformed parts that do not decide (else they are ``Sbom.warnings``).
    """
    from .sbom import DEFAULT_MAX_BYTES, Sbom, read_sbom_data
    from .sbom import read_sbom as read_file

    limit = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    if isinstance(sbom, Sbom):
        return sbom
    if isinstance(sbom, bytes) or (isinstance(sbom, str) and _is_content(sbom)):
        return read_sbom_data(sbom, name or "<sbom>", max_bytes=limit, strict=strict)
    return read_file(_as_path(sbom, "sbom"), max_bytes=limit, strict=strict)


@_public
def check_sbom(
    sbom: SbomInput,
    outbound: str,
    *,
    use: str = "distribution",
    linking: str = "static",
    strict: bool = False,
    kb: Sequence[str | os.PathLike[str]] = (),
    progress: Callable[[int, int], None] | None = None,
    licence_list_as: str = "or",
    scopes: Sequence[str] = ("runtime",),
) -> SbomCheck:
    """Every component of an SBOM against the outbound licence (``coop sbom``).

    Args:
        sbom: as for :func:`read_sbom`.
        outbound: SPDX expression of the work the components go into.
        use: ``internal``, ``network-service`` or ``distribution``.
        linking: ``static``, ``dynamic`` or ``separate``.
        strict: refuse a component whose licence is not an SPDX expression (else it is unknown,
            or read through the licence-name table), and malformed parts that do not decide.
        kb: folders of extra knowledge-base files.
        progress: called with (components done, total) now and then, for a progress bar.
        licence_list_as: several licences listed for one component: ``or`` (a choice) or ``and``.
        scopes: the dependency scopes whose components count (others are listed, not evaluated).

    Returns:
        The verdict per component and overall; ``to_dict()`` is ``coop sbom --format json``.
    """
    from .procurement import check_sbom as check

    return check(read_sbom(sbom, strict=strict), outbound, use=use, linking=linking, strict=strict, kb=_kb(kb),
                 progress=progress, licence_list_as=licence_list_as, scopes=scopes)


def _kb(kb: Sequence[str | os.PathLike[str]]) -> tuple[str, ...]:
    if isinstance(kb, str | os.PathLike):
        kb = [kb]
    return tuple(str(k) for k in kb)


# ---- agreement files -----------------------------------------------------------------------


@dataclass(frozen=True)
class Agreements:
    """Agreement and tender files read and checked for errors, ready for many decisions.

    ``program`` is the parsed :class:`coopengine.language.Program`; ``lines`` each file's lines
    (for explanations); ``hashes`` each file's SHA-256 (for provenance).
    """

    program: Program
    lines: Mapping[str, tuple[str, ...]]
    hashes: Mapping[str, str]
    sources: tuple[Source, ...]

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(m.file for m in self.program.modules)

    def to_dict(self) -> dict[str, Any]:
        """What was loaded: files, parties, agreements and tenders, by id."""
        p = self.program
        return {
            "files": list(self.files),
            "parties": [{"id": x.id, "name": x.name} for x in p.parties],
            "agreements": [{"id": a.id, "title": a.title} for a in p.agreements],
            "tenders": [{"id": t.id, "title": t.title} for t in p.tenders],
        }


def _sources(agreements: AgreementsInput, what: str = "agreements", missing: str = "no such file or directory",
             expected: str = "a .coop file or a folder holding .coop files") -> list[Source]:
    """Files (folders read recursively) or texts, as the language loader's sources."""
    from .language.loader import Source, load_sources
    from .language.parser import normalise

    if isinstance(agreements, Agreements):
        return list(agreements.sources)
    if isinstance(agreements, Mapping):
        out = []
        for name, text in agreements.items():
            if not isinstance(text, str | bytes):
                raise InputError(f"{what}: the text of {name!r} must be str or bytes", location=Location(str(name)))
            out.append(Source(str(name), normalise(_text_of(text, str(name)))))
        return out
    if isinstance(agreements, str) and _is_content(agreements):
        return [Source("<string>", normalise(agreements))]
    items = [agreements] if isinstance(agreements, str | os.PathLike) else list(agreements)
    paths = [_as_path(p, what) for p in items]
    for path in paths:
        if not path.exists():
            raise InputError(missing, location=Location(str(path)), expected=expected)
    return load_sources(paths)


def _in_memory(agreements: AgreementsInput) -> bool:
    return isinstance(agreements, Mapping | Agreements) or (isinstance(agreements, str) and _is_content(agreements))


def _nonempty(sources: Sequence[Source], agreements: AgreementsInput) -> None:
    if not sources:
        if isinstance(agreements, str | os.PathLike):
            shown = str(agreements)
        elif isinstance(agreements, Agreements):
            shown = "<agreements>"
        else:
            shown = ", ".join(str(a) for a in agreements)
        raise InputError("no .coop files found", location=Location(str(shown)),
                         expected="agreement files ending in .coop, or folders holding them")


@_public
def load_program(agreements: AgreementsInput) -> Agreements:
    """Read agreement (and tender) files as one program, stopping at the first error.

    Args:
        agreements: paths (folders read recursively), a mapping of file name to text, or one text.

    Raises:
        coopengine.language.LanguageError: a file has an error (``coop check`` shows the same);
            its ``diagnostics`` lists every error.
    """
    if isinstance(agreements, Agreements):
        return agreements
    sources = _sources(agreements)
    _nonempty(sources, agreements)
    return _program(sources)


def _program(sources: Sequence[Source]) -> Agreements:
    from .reuse import program_of_sources

    program, lines, hashes = program_of_sources(sources)
    return Agreements(program, lines, hashes, tuple(sources))


@dataclass(frozen=True)
class CheckReport:
    """The result of ``coop check``: the program (None if a file did not parse) and its diagnostics."""

    result: CheckResult
    strict: bool = False

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return self.result.diagnostics

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return self.result.errors

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return self.result.warnings

    @property
    def files(self) -> tuple[str, ...]:
        program = self.result.program
        return tuple(m.file for m in program.modules) if program else ()

    @property
    def exit_code(self) -> int:
        """2 with errors; 1 with warnings when ``strict``; else 0 (as ``coop check``)."""
        if self.errors:
            return 2
        return 1 if self.strict and self.warnings else 0

    def raise_errors(self) -> None:
        """Raise the errors as the one :class:`CoopError` that ``coop check`` reports (exit 2), if any."""
        if self.errors:
            from .language import LanguageError

            raise LanguageError(self.errors)

    def to_dict(self) -> dict[str, Any]:
        """``coop check --format json`` (schema ``coopengine/check/v1``)."""
        return {
            "schema": CHECK_SCHEMA,
            "files": list(self.files),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "exit_code": self.exit_code,
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }


@_public
def check_agreements(agreements: AgreementsInput, *, date: DateInput = None, strict: bool = False,
                     progress: Callable[[str], None] | None = None) -> CheckReport:
    """Static checks of agreement and tender files as one program (``coop check``).

    Problems in the files are diagnostics in the report, not exceptions; a path that does not
    exist, or no ``.coop`` file at all, raises :class:`InputError`.

    Args:
        agreements: as for :func:`load_program`.
        date: the decision date for expiry warnings (default today).
        strict: warnings make :attr:`CheckReport.exit_code` 1, as ``coop check --strict``.
        progress: told what is being done, for a large program (read by a person, not parsed).
    """
    from .language.loader import check_sources

    sources = _sources(agreements)
    _nonempty(sources, agreements)
    size = sum(len(s.text or "") for s in sources)
    if progress is not None and (size >= LARGE_PROGRAM_CHARS or len(sources) >= LARGE_PROGRAM_FILES):
        progress(f"checking {len(sources)} files ({size / 1e6:.1f} MB) as one program")
    return CheckReport(check_sources(sources, date=_as_date(date)), strict)


@dataclass(frozen=True)
class FormattedFile:
    """One file in the canonical layout: ``formatted`` is None when it could not be formatted."""

    file: str
    text: str | None
    formatted: str | None
    error: CoopError | None = None

    @property
    def changed(self) -> bool:
        return self.formatted is not None and self.formatted != self.text

    @property
    def line_endings_changed(self) -> bool:
        """The canonical layout ends lines with LF: a CRLF or CR file changes there too."""
        return self.changed and self.text is not None and "\r" in self.text


@dataclass(frozen=True)
class FormatReport:
    """The result of ``coop fmt``: every file, formatted or with the error that stopped it."""

    files: tuple[FormattedFile, ...]
    written: bool = False
    skipped: tuple[tuple[str, str], ...] = ()  # (file, why): links out of a folder that was given

    @property
    def changed(self) -> tuple[str, ...]:
        return tuple(f.file for f in self.files if f.changed)

    @property
    def errors(self) -> tuple[CoopError, ...]:
        return tuple(f.error for f in self.files if f.error is not None)

    def to_dict(self) -> dict[str, Any]:
        """``coop fmt --format json``; ``check`` is true when nothing was written."""
        out: dict[str, Any] = {"schema": FMT_SCHEMA, "check": not self.written, "changed": list(self.changed),
                               "errors": bool(self.errors)}
        # Only when there is something to say, so the usual output keeps its exact bytes.
        endings = [f.file for f in self.files if f.line_endings_changed]
        if endings:
            out["line_endings_changed"] = endings
        if self.skipped:
            out["skipped"] = [{"file": f, "reason": why} for f, why in self.skipped]
        return out


@_public
def format_agreements(agreements: AgreementsInput, *, write: bool = False) -> FormatReport:
    """The canonical layout of agreement files (``coop fmt``); ``write=True`` rewrites changed files.

    A file that cannot be read or does not parse is reported with its error; the others are
    still formatted. Only files given by path are ever written.
    """
    from .language import LanguageError, format_text

    out = []
    skipped: tuple[tuple[str, str], ...] = ()
    if not _in_memory(agreements):
        items = [agreements] if isinstance(agreements, str | os.PathLike) else list(agreements)  # type: ignore[arg-type]
        files, skipped = _files_to_format([_as_path(p, "agreements") for p in items])
        agreements = files
    for source in _sources(agreements):
        if source.text is None:
            err = InputError(f"cannot read: {source.problem}", location=Location(source.file))
            out.append(FormattedFile(source.file, None, None, err))
            continue
        try:
            formatted = format_text(source.text, source.file)
        except LanguageError as exc:
            out.append(FormattedFile(source.file, source.text, None, exc))
            continue
        out.append(FormattedFile(source.file, source.text, formatted))
    report = FormatReport(tuple(out), written=write, skipped=skipped)
    if write and not _in_memory(agreements):
        for f in report.files:
            if f.changed and f.formatted is not None:
                # newline="" keeps what format_text wrote (LF) on every platform
                Path(f.file).write_text(f.formatted, encoding="utf-8", newline="")
    return report


def _files_to_format(paths: Sequence[Path]) -> tuple[list[Path], tuple[tuple[str, str], ...]]:
    """The files to format, and those skipped with the reason.

    A folder is the user's consent to rewrite what is in it, not what its symlinks point at:
    a file that resolves outside the folder is skipped, as is a second link to the same file.
    """
    from .language.loader import collect

    files: list[Path] = []
    skipped: list[tuple[str, str]] = []
    seen: set[Path] = set()
    for given in paths:
        inside = given.resolve() if given.is_dir() else None
        found = collect([given])
        if inside is not None:  # links the folder walk did not follow, named so nothing is skipped silently
            from ._files import walk

            for link in walk(given, ".coop")[1]:
                why = "a symbolic link to a folder, not followed" if link.is_dir() else \
                    f"a symbolic link to a file outside {given}"
                skipped.append((str(link), why))
        chosen: set[Path] = set()
        # The file itself before a link to it, so the name reported is the real one.
        for path in sorted(found, key=Path.is_symlink):
            try:
                real = path.resolve()
            except (OSError, RuntimeError):  # a symlink loop: the reader refuses it, with the file named
                real = path
            if inside is not None and not real.is_relative_to(inside):
                skipped.append((str(path), f"a symbolic link to a file outside {given}"))
            elif real not in seen:
                seen.add(real)
                chosen.add(path)
        files.extend(p for p in found if p in chosen)
    return files, tuple(sorted(skipped))


# ---- reuse ---------------------------------------------------------------------------------


def _scenario_dict(data: Mapping[str, Any]) -> dict[str, Any]:
    """A scenario as JSON gives it: attribute values written as ISO dates are dates, as in YAML."""
    out = dict(data)
    sol = out.get("solution")
    if isinstance(sol, Mapping) and isinstance(sol.get("attributes"), Mapping):
        attrs = {k: (dt.date.fromisoformat(v) if isinstance(v, str) and _DATE_RE.match(v) and _iso(v) else v)
                 for k, v in sol["attributes"].items()}
        out["solution"] = {**sol, "attributes": attrs}
    return out


def _iso(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _publiccode(publiccode: bytes | str | os.PathLike[str] | None) -> dict[str, Any] | None:
    from ._yaml import load_yaml_text
    from .scenario import publiccode_facts, read_publiccode

    if publiccode is None:
        return None
    if isinstance(publiccode, bytes) or (isinstance(publiccode, str) and _is_content(publiccode)):
        return publiccode_facts(load_yaml_text(_text_of(publiccode, "<publiccode>"), "<publiccode>"))
    return read_publiccode(_as_path(publiccode, "publiccode"))


@_public
def load_scenario(
    scenario: ScenarioInput,
    *,
    base_dir: str | os.PathLike[str] | None = None,
    publiccode: bytes | str | os.PathLike[str] | None = None,
    today: DateInput = None,
    allow_outside: bool = False,
) -> Scenario:
    """A reuse scenario (the YAML file ``coop reuse`` reads), validated strictly.

    Args:
        scenario: a path, YAML text, or a mapping with the keys of a scenario file.
        base_dir: the folder relative paths in text or a mapping start from (default: the
            working folder; a file's own folder for a path).
        publiccode: a publiccode.yml (path, text or bytes) used instead of the one the scenario names.
        today: the decision date when the scenario gives none (default today).
        allow_outside: let the scenario name files outside its folder (``..``, absolute paths,
            symlinks leading out); by default they are refused, as ``coop reuse`` does.
    """
    from ._yaml import YamlDoc
    from .scenario import Scenario

    if isinstance(scenario, Scenario):
        return scenario
    pc = _publiccode(publiccode)
    day = _as_date(today, "today")
    folder = Path(base_dir) if base_dir is not None else Path(".")
    if isinstance(scenario, Mapping):
        data = _scenario_dict(scenario)
        digest = hashlib.sha256(json.dumps(scenario, sort_keys=True, default=str).encode("utf-8")).hexdigest()
        return Scenario.from_doc(YamlDoc(data, "<scenario>"), folder, today=day, sha256=digest, publiccode=pc,
                                 allow_outside=allow_outside)
    if isinstance(scenario, bytes) or (isinstance(scenario, str) and _is_content(scenario)):
        text = _text_of(scenario, "<scenario>")
        return Scenario.from_text(text, "<scenario>", folder, today=day, publiccode=pc, allow_outside=allow_outside)
    return Scenario.from_file(_as_path(scenario, "scenario"), today=day, publiccode=pc, allow_outside=allow_outside)


@_public
def decide_reuse(
    scenario: ScenarioInput,
    *,
    date: DateInput = None,
    agreements: AgreementsInput = (),
    sbom: SbomInput | None = None,
    publiccode: bytes | str | os.PathLike[str] | None = None,
    base_dir: str | os.PathLike[str] | None = None,
    kb: Sequence[str | os.PathLike[str]] = (),
    allow_outside: bool = False,
) -> Decision:
    """May the recipient reuse the solution without an MOU? (``coop reuse``)

    Args:
        scenario: as for :func:`load_scenario` (or a :class:`Scenario` it returned).
        date: the decision date, over the scenario's own.
        agreements: more agreement files, over those the scenario names: paths, texts by file
            name, or :func:`load_program`'s result (read once, for many decisions).
        sbom: the solution's SBOM (path, text, bytes or :class:`Sbom`), over the scenario's.
        publiccode: the solution's publiccode.yml, over the scenario's.
        base_dir: as for :func:`load_scenario`.
        kb: folders of extra knowledge-base files.
        allow_outside: as for :func:`load_scenario`.

    Returns:
        The decision; ``to_dict()`` is ``coop reuse --format json``.
    """
    from .reuse import decide

    loaded = load_scenario(scenario, base_dir=base_dir, publiccode=publiccode, allow_outside=allow_outside)
    day = _as_date(date)
    if day is not None:
        loaded = replace(loaded, date=day, date_given=True)
    program: Agreements | None = None
    paths: list[Path] = []
    if isinstance(agreements, Agreements) and not loaded.agreements:
        program = agreements
    elif _in_memory(agreements):
        # The scenario's own files and the texts given, as one program.
        program = _program([*_sources(list(loaded.agreements)), *_sources(agreements)])
    else:
        items = [agreements] if isinstance(agreements, str | os.PathLike) else agreements
        paths = [_as_path(a, "agreements") for a in cast(Sequence[Any], items)]
    read = read_sbom(sbom) if sbom is not None else None
    triple = (program.program, dict(program.lines), dict(program.hashes)) if program is not None else None
    return decide(loaded, agreements=paths, kb=_kb(kb), loaded=triple, sbom=read)


# ---- tenders -------------------------------------------------------------------------------


@_public
def check_tender(
    tender: AgreementsInput,
    bid: SbomInput,
    *,
    offered: str | None = None,
    publiccode: bytes | str | os.PathLike[str] | None = None,
    tender_id: str | None = None,
    date: DateInput = None,
    kb: Sequence[str | os.PathLike[str]] = (),
    progress: Callable[[int, int], None] | None = None,
) -> TenderCheck:
    """A bid against a tender's requirements, with evidence per requirement (``coop tender``).

    Args:
        tender: the tender file (path or text), or :func:`load_program`'s result.
        bid: the bid's SBOM, as for :func:`read_sbom`.
        offered: SPDX expression of the licence offered for the deliverable (wins over publiccode).
        publiccode: the bid's publiccode.yml (path, text or bytes); its legal.license is the offer.
        tender_id: which tender, when the files hold several.
        date: the decision date shown in the report (default today).
        kb: folders of extra knowledge-base files.
        progress: called with (requirements done, total) after each requirement.

    Returns:
        Per requirement pass, fail or unknown; ``to_dict()`` is ``coop tender --format json``.
    """
    from .language import LanguageError
    from .language.loader import check_sources
    from .procurement import InputFile, select_tender
    from .procurement import check_tender as check

    day = _as_date(date) or dt.date.today()
    sources = _sources(tender, "tender", "tender file not found", "a .coop file with a tender block")
    for source in sources:
        if source.text is None:
            raise InputError(f"tender file cannot be read: {source.problem}", location=Location(source.file),
                             expected="a .coop file with a tender block")
    _nonempty(sources, tender)
    result = check_sources(sources, date=day)
    if result.errors or result.program is None:
        raise LanguageError(result.errors or result.diagnostics)
    shown = sources[0].file if len(sources) == 1 else "tender"
    chosen = select_tender(result.program, tender_id, shown)
    sbom = read_sbom(bid, name="<bid>")
    inputs = [InputFile("tender", s.file, hashlib.sha256((s.text or "").encode("utf-8")).hexdigest())
              for s in sources]
    inputs.append(InputFile("sbom", sbom.path, sbom.sha256))
    offer = _offer(offered, publiccode, inputs)
    return check(chosen, sbom, offered=offer, program=result.program, date=day, inputs=inputs, kb=_kb(kb),
                 progress=progress, date_given=date is not None)


def _offer(offered: str | None, publiccode: bytes | str | os.PathLike[str] | None, inputs: list[Any]) -> Any:
    """The licence a bid offers (``--offered`` wins over its publiccode.yml), with the bid's
    publiccode.yml facts; the publiccode.yml read from a file is added to ``inputs``."""
    from .expressions import parse_expression
    from .procurement import InputFile, Offered

    offer: Offered | None = None
    solution: dict[str, object] = {}
    if publiccode is not None:
        pc = _publiccode(publiccode)
        if pc is not None and pc.get("sha256"):  # read from a file (not text given in memory)
            inputs.append(InputFile("publiccode", str(publiccode), str(pc["sha256"])))
        if pc:
            solution = dict(pc.get("facts") or {})
            if pc.get("licence"):
                offer = Offered(str(pc["licence"]), "publiccode.yml legal.license", solution)
    if offered is not None:
        parse_expression(offered, source="--offered")
        offer = Offered(offered, "--offered", solution)
    return offer


# ---- licences, expressions and outbound licences (coop licence, coop expr, coop outbound) ---


@dataclass(frozen=True)
class LicenceDescription:
    """The knowledge base's facts on one licence or exception, each with its source (``coop licence ID``)."""

    lookup: Any  # knowledge.LicenceLookup: what the id is read as, and the facts shown
    knowledge: Any  # the KnowledgeBase the facts come from

    def to_dict(self) -> dict[str, Any]:
        """``coop licence ID --format json``."""
        from .explain import lookup_dict

        return dict(lookup_dict(self.lookup, self.knowledge))

    def to_text(self) -> str:
        """``coop licence ID``."""
        from .explain import lookup_text

        return lookup_text(self.lookup, self.knowledge)


@_public
def describe_licence(licence_id: str, *, kb: Sequence[str | os.PathLike[str]] = ()) -> LicenceDescription:
    """The facts on one licence or exception id, read as ``coop compat`` reads it (case-insensitive;
    a deprecated id is shown as what it is read as).

    Raises:
        InputError: an expression rather than one id, or an id nobody described (with a did-you-mean).
    """
    from .knowledge import find_facts, load_knowledge

    knowledge = load_knowledge(_kb(kb))
    return LicenceDescription(find_facts(knowledge, licence_id), knowledge)


@dataclass(frozen=True)
class ExpressionDescription:
    """An SPDX expression parsed and normalised, with its licences, exceptions and choices (``coop expr``)."""

    parsed: Any  # expressions.ParsedExpression
    knowledge: Any

    def to_dict(self) -> dict[str, Any]:
        """``coop expr EXPR --format json``."""
        from .explain import expr_dict

        return dict(expr_dict(self.parsed, self.knowledge))

    def to_text(self) -> str:
        """``coop expr EXPR``."""
        from .explain import expr_text

        return expr_text(self.parsed, self.knowledge)


@_public
def describe_expression(expression: str, *, source: str = "EXPR",
                        kb: Sequence[str | os.PathLike[str]] = ()) -> ExpressionDescription:
    """Parse and normalise an SPDX expression.

    Raises:
        InputError: the expression does not parse; where the text is a licence name or short
            name the knowledge base knows ("Apache License 2.0"), the hint names its SPDX id.
    """
    from .expressions import parse_expression
    from .knowledge import load_knowledge

    knowledge = load_knowledge(_kb(kb))
    try:
        parsed = parse_expression(expression, source=source)
    except InputError as err:
        from .knowledge.names import name_hint

        # The name table knows what licence names and short names stand for; a spelling
        # match does not (it offers Saxpath for Expat).
        err.hint = name_hint(expression, knowledge) or err.hint
        raise
    return ExpressionDescription(parsed, knowledge)


@dataclass(frozen=True)
class OutboundLicences:
    """The licences a work containing the inbound expression can be released under, best first (``coop outbound``)."""

    parsed: Any  # expressions.ParsedExpression: the inbound
    use: str
    linking: str
    ranking: Any  # outbound.Ranking
    uncurated: int  # licences nobody curated, so not assessed

    @property
    def exit_code(self) -> int:
        """0 if a licence works, 1 if none does, 4 if none works and some could not be assessed."""
        return 0 if self.ranking.ok else (4 if self.ranking.unknown else 1)

    def to_dict(self) -> dict[str, Any]:
        """``coop outbound EXPR --format json`` (every candidate, each marked short_list or not)."""
        from .explain import outbound_dict

        return dict(outbound_dict(self.parsed, self.use, self.linking, self.ranking, self.uncurated))

    def to_text(self, *, every: bool = False) -> str:
        """``coop outbound EXPR`` (``every``: ``--all``)."""
        from .explain import outbound_text

        return outbound_text(self.parsed, self.use, self.linking, self.ranking, self.uncurated, every)


@_public
def outbound_licences(inbound: str, *, use: str = "distribution", linking: str = "static", source: str = "EXPR",
                      kb: Sequence[str | os.PathLike[str]] = ()) -> OutboundLicences:
    """Rank the outbound licences for a work that contains ``inbound``, each with its reason."""
    from .expressions import parse_expression
    from .knowledge import load_knowledge
    from .outbound import rank_outbound

    parsed = parse_expression(inbound, source=source)
    ranking = rank_outbound(parsed, use=use, linking=linking, kb=_kb(kb))
    uncurated = sum(1 for f in load_knowledge(_kb(kb)).licences.values() if not f.curated and not f.deprecated)
    return OutboundLicences(parsed, use, linking, ranking, uncurated)


# ---- rendering results ---------------------------------------------------------------------

FORMATS = ("text", "json", "markdown", "html")


def render_chunks(result: Decision | SbomCheck | TenderCheck | Catalogue | Statement, fmt: str, *,
                  full: bool = False) -> Iterator[str]:
    """A decision, an SBOM check or a tender check written as the CLI writes it with ``--format``
    (text, json, markdown, html), in pieces: an SBOM check's JSON for 100k components is large.
    ``full``: an SBOM check's JSON with every component written out in full (``coop sbom --full``)."""
    from .procurement import SbomCheck

    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}", expected=" | ".join(FORMATS))
    # Each kind of result imports only its own writers: `coop sbom` on 100,000 components is
    # timed end to end (issue 12), and the others cost 40 ms of imports.
    if isinstance(result, SbomCheck):
        yield from _sbom_chunks(result, fmt, full)
        return
    from .catalogue import Catalogue
    from .conditions import Statement
    from .explain_html import reuse_html, tender_html
    from .explain_procurement import tender_markdown, tender_text
    from .explain_reuse import reuse_markdown, reuse_text
    from .procurement import TenderCheck

    if isinstance(result, Catalogue):
        yield _catalogue(result, fmt)
    elif isinstance(result, Statement):
        yield _statement(result, fmt)
    elif fmt == "json":
        yield json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    elif fmt == "html":
        yield (tender_html if isinstance(result, TenderCheck) else reuse_html)(result.to_dict())
    elif isinstance(result, TenderCheck):
        yield tender_markdown(result) if fmt == "markdown" else tender_text(result)
    else:
        yield reuse_markdown(result) if fmt == "markdown" else reuse_text(result)


def _sbom_chunks(result: SbomCheck, fmt: str, full: bool) -> Iterator[str]:
    from .explain_procurement import sbom_json_chunks, sbom_markdown, sbom_text

    if fmt == "json":
        yield from sbom_json_chunks(result, full=full)
    elif fmt == "html":
        from .explain_html import sbom_html

        yield sbom_html(result.to_dict(full=True))
    else:
        yield sbom_markdown(result) if fmt == "markdown" else sbom_text(result)


def _catalogue(result: Catalogue, fmt: str) -> str:
    from .explain_catalogue import catalogue_markdown, catalogue_text

    if fmt == "json":
        return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "html":
        raise InputError("a catalogue is written as text, json or markdown", expected="text | json | markdown")
    return catalogue_markdown(result) if fmt == "markdown" else catalogue_text(result)


def _statement(result: Statement, fmt: str) -> str:
    from .explain_conditions import conditions_markdown

    if fmt == "json":
        return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if fmt != "markdown":
        raise InputError("a conditions statement is written as markdown or json", expected="markdown | json")
    return conditions_markdown(result)


def render(result: Decision | SbomCheck | TenderCheck | Catalogue | Statement, fmt: str, *,
           full: bool = False) -> str:
    """:func:`render_chunks` as one string: ``render(decide_reuse(...), "html")`` is the dossier
    that ``coop reuse --format html`` writes and the workbench offers for download."""
    return "".join(render_chunks(result, fmt, full=full))


# ---- YAML in and out (the workbench's scenario forms) ---------------------------------------


@_public
def read_yaml(text: str, *, name: str = "<input>") -> Any:
    """Plain data from YAML text, read as every input is read: safe loader, size and depth
    limits, no aliases, duplicate keys refused; errors carry the line and column."""
    from ._yaml import load_yaml_text

    return load_yaml_text(text, name).data


def scenario_yaml(scenario: Mapping[str, Any]) -> str:
    """A scenario mapping as the YAML file ``coop reuse`` reads, keys in the order given."""
    from ._yaml import dump_yaml

    return dump_yaml(dict(scenario))


@_public
def decide_catalogue(
    sources: Sequence[str | os.PathLike[str]],
    *,
    recipient: str,
    use: str = "distribution",
    modified: bool = False,
    agreements: Sequence[str | os.PathLike[str]] = (),
    parties: str | os.PathLike[str] | Mapping[str, str] | None = None,
    date: DateInput = None,
    only: Sequence[str] = (),
    software_type: str | None = None,
    platform: str | None = None,
    jobs: int = 1,
    kb: Sequence[str | os.PathLike[str]] = (),
    allow_outside: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Catalogue:
    """Which solutions of a catalogue may ``recipient`` reuse without an MOU? (``coop catalogue``)

    Args:
        sources: folders holding publiccode.yml files (with an SBOM next to each when there is
            one), publiccode.yml files, or files listing their paths.
        recipient: the party that wants to reuse them.
        use, modified, date: as in a scenario.
        agreements: agreement files or folders, read once for the whole catalogue.
        parties: a YAML file (or a mapping) from an organisation's URI or name to a party id.
        only, software_type, platform: keep only these verdicts, this softwareType, this platform.
        jobs: processes to decide with (each solution's decision is independent).
        kb: folders of extra knowledge-base files.
        allow_outside: let a list file name paths outside its folder.

    Returns:
        Every solution with its reuse decision (or why it could not be read); ``to_dict()`` is
        ``coop catalogue --format json`` (``coopengine/catalogue/v1``).
    """
    from .catalogue import Request, read_parties
    from .catalogue import decide_catalogue as run

    mapping = dict(parties) if isinstance(parties, Mapping) else read_parties(parties) if parties is not None else {}
    request = Request(recipient=recipient, use=use, modified=modified, date=_as_date(date),
                      agreements=tuple(Path(a) for a in agreements), parties=mapping, kb=_kb(kb),
                      allow_outside=allow_outside)
    return run(sources, request, only=only, software_type=software_type, platform=platform, jobs=jobs,
               progress=progress)


@_public
def conditions_statement(
    solution: str | os.PathLike[str],
    *,
    provider: str,
    agreements: Sequence[str | os.PathLike[str]] = (),
    date: DateInput = None,
    kb: Sequence[str | os.PathLike[str]] = (),
) -> Statement:
    """The conditions applying to reuse of a solution (``coop conditions``, Interoperable Europe Act).

    Args:
        solution: the solution's publiccode.yml.
        provider: the party that shares it; the agreements in force naming it as a party are listed.
        agreements: agreement files or folders.
        date: the date the statement speaks for (default today).
        kb: folders of extra knowledge-base files.

    Returns:
        The statement as data, every line with its source; ``to_dict()`` is
        ``coop conditions --format json`` (``coopengine/conditions/v1``), ``render(statement,
        "markdown")`` the letter.
    """
    from .conditions import conditions_statement as build

    return build(_as_path(solution, "solution"), provider=provider, agreements=list(agreements),
                 date=_as_date(date), kb=_kb(kb))
