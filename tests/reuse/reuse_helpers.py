"""Helpers for the reuse tests: paths, and scenarios and agreements written into a temporary folder."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from coopengine.reuse import Decision, decide
from coopengine.scenario import Scenario

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SCENARIOS = EXAMPLES / "scenarios"
AGREEMENTS = EXAMPLES / "agreements"

PARTIES = """\
party a-city "City A" kind city jurisdiction FR
party b-city "City B" kind city jurisdiction DE
party c-city "City C" kind city jurisdiction ES
party vendor "A vendor" kind company
"""


Decider = Callable[..., Decision]


def make_decider(tmp_path: Path) -> Decider:
    """decide_with(coop_text, **scenario) -> Decision, with parties a-city, b-city, c-city, vendor."""

    def run(coop: str, **scenario: Any) -> Decision:
        folder = tmp_path / "agreements"
        folder.mkdir(exist_ok=True)
        (folder / "parties.coop").write_text(PARTIES)
        (folder / "rules.coop").write_text(textwrap.dedent(coop))
        data: dict[str, Any] = {"provider": "a-city", "recipient": "b-city", "date": "2025-06-01",
                                "use": "internal", "solution": {"licence": "MIT"}, "agreements": ["agreements"]}
        for key, value in scenario.items():
            if key in ("licence", "owner", "attributes", "sbom", "name"):
                data["solution"][key] = value
            else:
                data[key] = value
        path = tmp_path / "scenario.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        return decide(Scenario.from_file(path, allow_outside=True))

    return run
