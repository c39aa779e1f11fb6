"""An export file's JSON, read with its types checked, failing with one clear line.

Export files are untrusted input typed by hand or by tools. Every read goes
through `Fields`, which checks the JSON type of the field it reads and, when it
is wrong, raises `SourceFileError` with a one-line message naming the file, the
place in it (`Place`: index, line, `issues[i]`) and the field
(`"fields.summary" must be a string, got number`). Untrusted values quoted in a
message are shortened and kept on one line (`shown`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from connectors.jira import mapping as jira_mapping

__all__ = ["Fields", "Place", "SourceFileError", "json_type", "shown"]


class SourceFileError(ValueError):
    """An export file that cannot be read as tickets; the message is one line."""


@dataclass(frozen=True, slots=True)
class Place:
    file: Path
    where: str = ""  # "index 3", "line 5", "line 5, issues[2]"; "" for the whole file

    def at(self, step: str) -> Place:
        return Place(self.file, f"{self.where}, {step}" if self.where else step)

    def fail(self, problem: str) -> NoReturn:
        parts = [str(self.file), self.where, problem] if self.where else [str(self.file), problem]
        raise SourceFileError(" ".join(": ".join(parts).split()))


def json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else type(value).__name__


def shown(value: object, limit: int = 40) -> str:
    """A short, one-line rendering of an untrusted value for an error message."""
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Fields:
    """Typed access to one JSON object; a wrong type fails naming the field."""

    def __init__(self, data: Mapping[str, Any], place: Place, prefix: str = "") -> None:
        self.data = data
        self.place = place
        self.prefix = prefix

    def _wrong(self, name: str, expected: str, value: object) -> NoReturn:
        self.place.fail(f'"{self.prefix}{name}" must be {expected}, got {json_type(value)}')

    def has(self, name: str) -> bool:
        return self.data.get(name) is not None

    def text(self, name: str) -> str | None:
        value = self.data.get(name)
        if value is None or isinstance(value, str):
            return value
        self._wrong(name, "a string", value)

    def required_text(self, name: str, what: str) -> str:
        value = self.text(name)
        if value is None or not value.strip():
            self.place.fail(f'{what} "{self.prefix}{name}" is missing or empty')
        return value

    def obj(self, name: str) -> Fields | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            self._wrong(name, "an object", value)
        return Fields(value, self.place, f"{self.prefix}{name}.")

    def _array(self, name: str) -> list[Any]:
        value = self.data.get(name)
        if value is not None and not isinstance(value, list):
            self._wrong(name, "an array", value)
        return value or []

    def objects(self, name: str) -> list[Fields]:
        items: list[Fields] = []
        for index, item in enumerate(self._array(name)):
            if not isinstance(item, dict):
                self._wrong(f"{name}[{index}]", "an object", item)
            items.append(Fields(item, self.place, f"{self.prefix}{name}[{index}]."))
        return items

    def texts(self, name: str) -> list[str]:
        value = self._array(name)
        for index, item in enumerate(value):
            if not isinstance(item, str):
                self._wrong(f"{name}[{index}]", "a string", item)
        return list(value)

    def time(self, name: str) -> datetime | None:
        value = self.text(name)
        if value is None or not value.strip():
            return None
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            self.place.fail(f'"{self.prefix}{name}" is not an ISO 8601 timestamp: {shown(value)}')
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)

    def number(self, name: str) -> float | None:
        """A number, or text that reads as one (as the Jira mapping reads it)."""
        value = self.data.get(name)
        number = jira_mapping.number(value)
        if value is not None and number is None:
            self._wrong(name, "a number", value)
        return number

    def boolean(self, name: str) -> bool:
        value = self.data.get(name)
        if value is None:
            return False
        if not isinstance(value, bool):
            self._wrong(name, "true or false", value)
        return value
