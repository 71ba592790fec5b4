"""coopengine: may a public body reuse another's software without an MOU?

The library API is listed in ``__all__``; the CLI (``coop``) is a thin layer over it.
Heavy modules are imported lazily so that ``import coopengine`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "CoopError",
    "InputError",
    "parse_expression",
    "load_knowledge",
    "check_compat",
    "rank_outbound",
    "decide_reuse",
    "load_scenario",
    "read_sbom",
    "check_sbom",
    "check_tender",
    "load_program",
    "check_agreements",
    "format_agreements",
    "Agreements",
    "CheckReport",
    "FormatReport",
    "FormattedFile",
    "describe_licence",
    "describe_expression",
    "outbound_licences",
    "render",
    "render_chunks",
    "read_yaml",
    "scenario_yaml",
    "LicenceDescription",
    "ExpressionDescription",
    "OutboundLicences",
    "decide_catalogue",
    "conditions_statement",
    "PublicCode",
    "load_publiccode",
]

_LAZY = {
    "CoopError": "coopengine.errors",
    "InputError": "coopengine.errors",
    "parse_expression": "coopengine.expressions",
    "load_knowledge": "coopengine.knowledge",
    "check_compat": "coopengine.engine",
    "rank_outbound": "coopengine.outbound",
    "PublicCode": "coopengine.publiccode",
    "load_publiccode": "coopengine.publiccode",
    **{name: "coopengine.api" for name in (
        "decide_reuse", "load_scenario", "read_sbom", "check_sbom", "check_tender", "load_program",
        "check_agreements", "format_agreements", "Agreements", "CheckReport", "FormatReport", "FormattedFile",
        *__all__[__all__.index("describe_licence"):__all__.index("PublicCode")],
    )},
}

if TYPE_CHECKING:  # what the lazy names are, for type checkers and IDEs
    from .api import (
        Agreements,
        CheckReport,
        ExpressionDescription,
        FormatReport,
        FormattedFile,
        LicenceDescription,
        OutboundLicences,
        check_agreements,
        check_sbom,
        check_tender,
        conditions_statement,
        decide_catalogue,
        decide_reuse,
        describe_expression,
        describe_licence,
        format_agreements,
        load_program,
        load_scenario,
        outbound_licences,
        read_sbom,
        read_yaml,
        render,
        render_chunks,
        scenario_yaml,
    )
    from .engine import check_compat
    from .errors import CoopError, InputError
    from .expressions import parse_expression
    from .knowledge import load_knowledge
    from .outbound import rank_outbound
    from .publiccode import PublicCode, load_publiccode


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)
