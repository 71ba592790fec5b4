"""coopengine: may a public body reuse another's software without an MOU?

The library API is listed in ``__all__``; the CLI (``coop``) is a thin layer over it.
Heavy modules are imported lazily so that ``import coopengine`` stays cheap.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "CoopError",
    "InputError",
    "parse_expression",
    "load_knowledge",
    "check_compat",
    "rank_outbound",
]

_LAZY = {
    "CoopError": "coopengine.errors",
    "InputError": "coopengine.errors",
    "parse_expression": "coopengine.expressions",
    "load_knowledge": "coopengine.knowledge",
    "check_compat": "coopengine.engine",
    "rank_outbound": "coopengine.outbound",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(module), name)
