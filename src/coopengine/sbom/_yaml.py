"""The package's only importer of PyYAML: safe loading with the traps of YAML closed."""

from __future__ import annotations

from typing import Any

from .._yaml import tab_hint
from ..errors import long_number_at, too_many_digits
from ._source import Source


def load(source: Source) -> object:
    """Parse YAML into plain dicts, lists and scalars.

    Beyond ``SafeLoader``: aliases are refused (a few lines of nested aliases expand into
    billions of nodes for whoever walks the result), duplicate keys are refused rather than
    silently overwritten, and timestamps and floats stay strings (``versionInfo: 1.10`` is a
    version, not 1.1; spdx-tools expects ``created`` as text).
    """
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in _STRING_TAGS]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def refuse_alias(self: Any, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                None, None, "YAML aliases are not allowed in an SBOM", event.start_mark
            )
        return yaml.SafeLoader.compose_node(self, parent, index)

    def unique_mapping(self: Any, node: Any, deep: bool = False) -> Any:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str) and key in seen:
                raise yaml.MarkedYAMLError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key if isinstance(key, str) else id(key_node))
        return yaml.SafeLoader.construct_mapping(self, node, deep=deep)

    Loader.compose_node = refuse_alias  # type: ignore[method-assign]
    Loader.construct_mapping = unique_mapping  # type: ignore[method-assign]

    try:
        return yaml.load(source.text, Loader=Loader)  # noqa: S506 - Loader derives from SafeLoader
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        lines = source.text.splitlines()
        raise source.error(
            f"malformed YAML: {err.problem}",
            line=line,
            column=column,
            expected="a YAML SPDX document",
            hint=tab_hint(lines[line - 1] if line and line <= len(lines) else None, column),
        ) from err
    except ValueError as err:
        digits = too_many_digits(err)
        if digits is None:
            raise source.error(f"malformed YAML: {err}", expected="a YAML SPDX document") from err
        line, column = long_number_at(source.text)
        raise source.error(digits, line=line, column=column) from None
    except (yaml.YAMLError, RecursionError) as err:
        raise source.error(f"malformed YAML: {err}", expected="a YAML SPDX document") from err


_STRING_TAGS = frozenset({"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:float"})
