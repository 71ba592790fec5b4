"""The one boundary with PyYAML: safe loading that keeps line numbers and refuses surprises.

Duplicate keys, aliases (a "billion laughs" needs them), deep nesting and oversized files are
errors with the file, line and column, because a silently merged key would change an answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError, Location, too_many_digits

__all__ = ["YamlDoc", "load_yaml_file", "load_yaml_text", "tab_hint", "MAX_YAML_BYTES"]

MAX_YAML_BYTES = 5_000_000
MAX_DEPTH = 64

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlDoc:
    """Plain data plus where each value sits, so later validation can point at a line."""

    data: Any
    file: str
    positions: Mapping[PathKey, tuple[int, int]] = field(default_factory=dict)
    lines: tuple[str, ...] = ()

    def locate(self, path: PathKey) -> Location:
        """The deepest known position on ``path`` (falling back to its parents)."""
        for cut in range(len(path), -1, -1):
            pos = self.positions.get(tuple(path[:cut]))
            if pos is not None:
                return Location(self.file, pos[0], pos[1])
        return Location(self.file, 1, 1)

    def sub(self, prefix: PathKey) -> YamlDoc:
        """The document below ``prefix``, keeping line numbers (for inline sub-documents)."""
        node: Any = self.data
        for part in prefix:
            node = node[part]
        n = len(prefix)
        positions = {k[n:]: v for k, v in self.positions.items() if k[:n] == tuple(prefix)}
        return YamlDoc(node, self.file, positions, self.lines)

    def error(self, path: PathKey, message: str, **kw: Any) -> InputError:
        loc = self.locate(path)
        line = self.lines[loc.line - 1] if loc.line and loc.line <= len(self.lines) else None
        return InputError(message, location=loc, source_line=line, **kw)


def load_yaml_file(path: str | Path, *, display: str | None = None, max_bytes: int = MAX_YAML_BYTES) -> YamlDoc:
    name = display or str(path)
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError("is a directory, expected a YAML file", location=Location(name))
        size = p.stat().st_size
        if size > max_bytes:
            raise InputError(f"file is too large ({size} bytes; the limit is {max_bytes})", location=Location(name))
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", location=Location(name)) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", location=Location(name)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text (byte {exc.start})", location=Location(name), expected="a UTF-8 YAML file"
        ) from None
    return load_yaml_text(text, name)


def load_yaml_text(text: str, file: str) -> YamlDoc:
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    lines = tuple(text.splitlines())
    try:
        loader = loader_cls(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        src = lines[line - 1] if line and line <= len(lines) else None
        raise InputError(
            f"invalid YAML: {exc.problem or exc.context}",
            location=Location(file, line, col),
            source_line=src,
            expected="well-formed YAML",
            hint=tab_hint(src, col),
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML: {exc}", location=Location(file)) from None
    positions: dict[PathKey, tuple[int, int]] = {}
    data = None if node is None else _convert(node, (), positions, file, lines, 0, set())
    return YamlDoc(data, file, positions, lines)


def tab_hint(line: str | None, column: int | None) -> str | None:
    """PyYAML's words for a tab ("cannot start any token") do not say it is the tab."""
    if line is None or "\t" not in line:
        return None
    where = line.index("\t")
    if column is not None and where > column:
        return None
    return f"a tab character at column {where + 1}: YAML indents with spaces only; replace the tab with spaces"


def _fail(node: Any, file: str, lines: tuple[str, ...], message: str, **kw: Any) -> InputError:
    line = node.start_mark.line + 1
    col = node.start_mark.column + 1
    src = lines[line - 1] if line <= len(lines) else None
    return InputError(message, location=Location(file, line, col), source_line=src, **kw)


def _convert(
    node: Any,
    path: PathKey,
    positions: dict[PathKey, tuple[int, int]],
    file: str,
    lines: tuple[str, ...],
    depth: int,
    seen: set[int],
) -> Any:
    import yaml

    if isinstance(node, yaml.CollectionNode):
        # An alias reuses a node; expanding it would let a few lines grow without bound.
        if id(node) in seen:
            raise _fail(node, file, lines, "YAML anchors and aliases (*name) are not supported")
        seen.add(id(node))
    if depth > MAX_DEPTH:
        raise _fail(node, file, lines, f"nesting deeper than {MAX_DEPTH} levels")
    positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _fail(key_node, file, lines, "merge keys (<<) are not supported")
            key = _scalar(key_node, file, lines)
            if not isinstance(key, str | int | bool | float) or isinstance(key, bool):
                raise _fail(key_node, file, lines, "a mapping key must be a plain word", text=str(key))
            skey = str(key)
            if skey in out:
                first = positions.get((*path, skey), (0, 0))
                raise _fail(
                    key_node,
                    file,
                    lines,
                    f"duplicate key {skey!r} (first at line {first[0]})",
                    text=skey,
                    expected="each key once",
                )
            positions[(*path, skey)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[skey] = _convert(value_node, (*path, skey), positions, file, lines, depth + 1, seen)
            positions[(*path, skey)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(item, (*path, i), positions, file, lines, depth + 1, seen) for i, item in enumerate(node.value)
        ]
    return _scalar(node, file, lines)


def _scalar(node: Any, file: str, lines: tuple[str, ...]) -> Any:
    import yaml

    if not isinstance(node, yaml.ScalarNode):
        raise _fail(node, file, lines, "expected a plain value here")
    if node.tag.startswith("tag:yaml.org,2002:") or node.tag == "!":
        constructor = yaml.SafeLoader.yaml_constructors.get(node.tag)
        if constructor is None:
            return node.value
        try:
            value = constructor(yaml.SafeLoader(""), node)
        except (ValueError, yaml.YAMLError) as exc:
            digits = too_many_digits(exc) if isinstance(exc, ValueError) else None
            if digits:
                raise _fail(node, file, lines, digits, text=node.value[:80]) from None
            raise _fail(node, file, lines, f"invalid value: {exc}", text=node.value) from None
        return value
    raise _fail(node, file, lines, f"YAML tags such as {node.tag} are not allowed", text=node.value)


def dump_yaml(data: Any) -> str:
    """Plain data as block YAML, keys in the order given (for files that ``coop`` reads back)."""
    import yaml

    return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False))
