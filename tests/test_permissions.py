"""Permissions (``rules/permissions.yaml``, and ``use-modify-share`` derived from OSI or FSF status):
each fact read from its source, silence kept as unknown, mistakes in the rules refused with their place."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import coopengine
from coopengine.errors import InputError
from coopengine.knowledge import rules_files
from coopengine.knowledge.compile import compile_layers

RULES = Path(__file__).resolve().parents[1] / "rules"

# (licence, permission, granted or withheld or None for not stated, the section the fact cites)
CASES = [
    ("Apache-2.0", "patent-licence", True, "Apache-2.0 s3 Grant of Patent License"),
    ("GPL-3.0-or-later", "patent-licence", True, "GPL-3.0 s11 Patents"),
    ("LGPL-3.0-only", "patent-licence", True, "LGPL-3.0 s0 with GPL-3.0 s11"),
    ("MPL-2.0", "patent-licence", True, "MPL-2.0 s2.1(b)"),
    ("EUPL-1.2", "patent-licence", True, "EUPL-1.2 Article 2, last paragraph"),
    ("CC0-1.0", "patent-licence", False, "CC0-1.0 s4(a)"),
    # The MIT and GPL-2.0 texts grant no patent licence in words; silence is not a refusal.
    ("MIT", "patent-licence", None, None),
    ("GPL-2.0-only", "patent-licence", None, None),
    ("MIT", "use-modify-share", True, "criteria 1, 3, 5 and 6"),
    # CC0-1.0 is not OSI-approved; the FSF lists it as free.
    ("CC0-1.0", "use-modify-share", True, "freedoms 0 to 3"),
    # Neither OSI-approved nor FSF-free ("shall be used for Good, not Evil"): nothing derived.
    ("JSON", "use-modify-share", None, None),
    ("LicenseRef-Proprietary", "use-modify-share", None, None),
]


@pytest.mark.parametrize(("licence", "permission", "granted", "section"), CASES)
def test_permission_facts(licence: str, permission: str, granted: bool | None, section: str | None) -> None:
    facts = coopengine.describe_licence(licence).to_dict()
    found = [p for p in facts["permissions"] if p["id"] == permission]
    if granted is None:
        assert found == []
        return
    (p,) = found
    assert p["granted"] is granted
    assert p["source"]["section"] == section


def test_the_licence_text_says_lets_you_and_does_not() -> None:
    assert "lets you use the contributors' patents" in coopengine.describe_licence("Apache-2.0").to_text()
    assert "does not let you use the contributors' patents" in coopengine.describe_licence("CC0-1.0").to_text()


def _rules_with(tmp_path: Path, permissions: str) -> Path:
    root = tmp_path / "rules"
    shutil.copytree(RULES, root)
    (root / "permissions.yaml").write_text(permissions, encoding="utf-8")
    return root


HEAD = "permissions:\n- id: patent-licence\n  text: use the patents\n"


@pytest.mark.parametrize(("body", "message"), [
    ("  granted:\n  - licences: [Apache-2.0, Apache-2.0]\n    reason: r\n    source: {id: licence-text}\n",
     "patent-licence: Apache-2.0 is listed twice"),
    ("  granted:\n  - licences: [Apache-2.0]\n    reason: r\n    source: {id: licence-txt}\n",
     "unknown source 'licence-txt'"),
    ("  granted:\n  - licences: [Apache-2.00]\n    reason: r\n    source: {id: licence-text}\n",
     "unknown licence id 'Apache-2.00'"),
    ("  granted:\n  - licences: [Glide]\n    reason: r\n    source: {id: licence-text}\n",
     "permissions name Glide, which no licence entry describes"),
    ("  grants:\n  - licences: [MIT]\n", "unknown key 'grants'"),
])
def test_mistakes_in_the_permissions_are_refused(tmp_path: Path, body: str, message: str) -> None:
    root = _rules_with(tmp_path, HEAD + body)
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        compile_layers([("bundled", rules_files(root))], root, "test")
