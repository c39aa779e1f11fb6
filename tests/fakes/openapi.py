"""Validate a fake tracker's responses against the tracker's own OpenAPI description.

The fakes call `OpenAPIResponses.validate` on every JSON body they send, so a
fake that drifts from the real API fails the test that exercised it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openapi_schema_validator import OAS30Validator

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


class ResponseMismatch(AssertionError):
    """A fake answered with a body its API description does not allow."""


@dataclass
class OpenAPIResponses:
    spec_path: Path
    path_prefix: str = ""  # e.g. "/rest/api/2" is checked as "/rest/api/3" for Jira
    spec: dict[str, Any] = field(init=False)
    _routes: list[tuple[re.Pattern[str], str]] = field(init=False)
    checked: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.spec = json.loads(self.spec_path.read_text(encoding="utf-8"))
        self._routes = []
        for template in self.spec["paths"]:
            regex = re.sub(r"\\\{[^}]+\\\}", r"[^/]+", re.escape(template))
            self._routes.append((re.compile(f"^{regex}$"), template))
        # the most specific template first: literal segments beat parameters
        self._routes.sort(key=lambda r: r[1].count("{"))

    def template_for(self, path: str) -> str | None:
        for regex, template in self._routes:
            if regex.match(path):
                return template
        return None

    def validate(self, method: str, path: str, status: int, body: Any) -> None:
        """Raise ResponseMismatch when `body` is not what the description allows."""
        template = self.template_for(path)
        if template is None:
            raise ResponseMismatch(f"{method} {path}: not in {self.spec_path.name}")
        operation = self.spec["paths"][template].get(method.lower())
        if operation is None:
            raise ResponseMismatch(f"{method} {template}: method not described")
        responses = operation.get("responses", {})
        response = responses.get(str(status)) or responses.get("default")
        if response is None:
            raise ResponseMismatch(f"{method} {template}: status {status} not described")
        response = self._deref(response)
        content = response.get("content", {})
        media = content.get("application/json") or next(iter(content.values()), None)
        if media is None or "schema" not in media:
            return
        schema = {**media["schema"], "components": self.spec.get("components", {})}
        errors = sorted(
            OAS30Validator(schema).iter_errors(body), key=lambda e: list(e.absolute_path)
        )
        if errors:
            first = errors[0]
            where = "/".join(str(p) for p in first.absolute_path) or "(root)"
            raise ResponseMismatch(
                f"{method} {template} {status}: at {where}: {first.message[:300]}"
            )
        self.checked += 1

    def _deref(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            pointer = node["$ref"].removeprefix("#/").split("/")
            target: Any = self.spec
            for part in pointer:
                target = target[part]
            node = target
        return node
