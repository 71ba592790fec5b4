"""Wheel build hook: compile the bundled knowledge base and SPDX vocabulary into the wheel.

A first call (no cache yet, or a read-only cache folder in a container or CI job) then reads
one JSON file instead of validating and compiling every YAML file under ``rules/``. Editable
installs get nothing: they read the source tree, and the on-disk cache (keyed on the code and
the rules' contents) keeps them current after every edit.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompiledKnowledgeHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        # In a git checkout src/coopengine/rules and grammars are links to the top-level folders;
        # an sdist does not keep links, so the folders are carried in from the top level.
        linked = {}
        for name in ("rules", "grammars"):
            if not (root / "src" / "coopengine" / name).exists() and (root / name).is_dir():
                build_data["force_include"][str(root / name)] = f"coopengine/{name}"
                linked[name] = root / name
        src = str(root / "src")
        sys.path.insert(0, src)
        try:
            from coopengine import _cache
            from coopengine.knowledge import write_compiled

            self._out = Path(tempfile.mkdtemp(prefix="coop-compiled-"))
            for path in write_compiled(self._out, linked.get("rules")):
                build_data["force_include"][str(path)] = f"coopengine/{_cache.COMPILED}/{path.name}"
        finally:
            sys.path.remove(src)

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        out = getattr(self, "_out", None)
        if out is not None:
            shutil.rmtree(out, ignore_errors=True)
