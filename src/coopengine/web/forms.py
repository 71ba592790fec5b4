"""The workbench's forms as plain data: form fields in, the keys of a scenario file out.

Kept free of the web framework so that the mapping between the page and ``coop reuse``
(whose scenario YAML the page also offers for download) is tested on its own.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["ReuseForm", "reuse_form", "attribute_value", "MAX_ATTRIBUTES"]

MAX_ATTRIBUTES = 40
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def attribute_value(text: str) -> str | int | float | bool:
    """A typed attribute value, read as a scenario file would read it: true/false, numbers, else text."""
    t = text.strip()
    if t.lower() in ("true", "yes"):
        return True
    if t.lower() in ("false", "no"):
        return False
    if _NUMBER.match(t):
        return float(t) if "." in t else int(t)
    return t


class ReuseForm:
    """The reuse form's values (as typed, for showing the form again) and the scenario they make."""

    def __init__(self, fields: Mapping[str, str], today: dt.date) -> None:
        self.values = {k: str(v) for k, v in fields.items()}
        self.today = today
        self.attributes: list[tuple[str, str]] = []
        for i in range(MAX_ATTRIBUTES):
            key = self.values.get(f"attr_key_{i}", "").strip()
            value = self.values.get(f"attr_value_{i}", "")
            if key or value.strip():
                self.attributes.append((key, value))

    def get(self, key: str, default: str = "") -> str:
        return self.values.get(key, default).strip()

    @property
    def submitted(self) -> bool:
        return bool(self.get("provider") or self.get("recipient"))

    def scenario(self) -> dict[str, Any]:
        """The keys of a scenario file, in the order a person writes them; empty fields left out."""
        solution: dict[str, Any] = {}
        for key in ("name", "owner", "licence"):
            if self.get(key):
                solution[key] = self.get(key)
        if self.attributes:
            solution["attributes"] = {k: attribute_value(v) for k, v in self.attributes}
        data: dict[str, Any] = {"provider": self.get("provider"), "recipient": self.get("recipient"),
                                "date": self.get("date") or self.today.isoformat(), "solution": solution,
                                "use": self.get("use") or "distribution",
                                "modified": self.get("modified") in ("on", "true", "1", "yes")}
        if self.get("linking"):
            data["linking"] = self.get("linking")
        for key in ("combined_with", "outbound"):
            if self.get(key):
                data[key] = self.get(key)
        return data

    def rows(self, at_least: int = 5, spare: int = 2) -> list[tuple[str, str]]:
        """Attribute rows to show: the ones typed plus empty ones (no script is needed to add a row)."""
        empty = max(spare, at_least - len(self.attributes))
        return [*self.attributes, *([("", "")] * empty)][:MAX_ATTRIBUTES]


def reuse_form(fields: Mapping[str, str], today: dt.date | None = None) -> ReuseForm:
    return ReuseForm(fields, today or dt.date.today())


