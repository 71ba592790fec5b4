"""The package's only XML parser: defusedxml, with DTDs refused outright.

An SBOM never needs a DOCTYPE, and refusing it closes entity expansion ("billion laughs"),
external entities and DTD fetching in one rule, before rdflib or cyclonedx-python-lib see the text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ._source import Source

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

_DOCTYPE_RE = re.compile(r"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def parse(source: Source) -> Element:
    import defusedxml
    import defusedxml.ElementTree as DET

    try:
        root: Element = DET.fromstring(
            source.text, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
        return root
    except defusedxml.DefusedXmlException as err:
        found = _DOCTYPE_RE.search(source.text)
        line = source.line_of_offset(found.start()) if found else None
        raise source.error(
            "XML with a DOCTYPE or entity declaration is refused",
            line=line,
            column=found.start() - source.text.rfind("\n", 0, found.start()) if found else None,
            text=found.group(0) if found else None,
            expected="an SBOM without <!DOCTYPE> or <!ENTITY> (SBOM formats need neither)",
            hint="entities can expand without bound or read other files; remove the declaration",
        ) from err
    except DET.ParseError as err:
        line, column = err.position
        raise source.error(
            f"malformed XML: {_reason(err)}",
            line=line,
            column=column + 1,
            expected="well-formed XML",
        ) from err
    except (ValueError, RecursionError) as err:
        raise source.error(f"malformed XML: {err}", expected="well-formed XML") from err


def _reason(err: Exception) -> str:
    # expat appends ": line L, column C", which the location already says.
    return re.sub(r":\s*line \d+, column \d+$", "", str(err))
