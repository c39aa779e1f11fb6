"""Every /api route refuses a missing token (401) and a token without its scope (403)."""

from __future__ import annotations

import re
from typing import Any

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tests.integration.app_setup import TOKENS

SCOPE_OF_TOKEN = {"read": "reader", "claim": "agent", "admin": "admin"}


def _required_scope(route: APIRoute) -> str | None:
    for dependency in route.dependant.dependencies:
        scope = getattr(dependency.call, "required_scope", None)
        if scope is not None:
            return str(scope)
    return None


def _flatten(routes: list[Any]) -> list[Any]:
    flat: list[Any] = []
    for route in routes:
        included = getattr(route, "original_router", None)  # FastAPI's included router
        flat.extend(_flatten(included.routes) if included is not None else [route])
    return flat


def _api_routes(client: TestClient) -> list[tuple[str, str, str | None]]:
    found = []
    for route in _flatten(client.app.routes):  # type: ignore[attr-defined]
        if isinstance(route, APIRoute) and route.path.startswith("/api"):
            path = re.sub(r"\{[^}]+\}", "1", route.path)
            for method in sorted(route.methods):
                found.append((method, path, _required_scope(route)))
    return found


def _token_without(scope: str) -> str | None:
    for token, scopes in TOKENS.values():
        if scope not in scopes:
            return token
    return None


def test_every_api_route_needs_a_token_with_its_scope(client: TestClient) -> None:
    routes = _api_routes(client)
    documented = {
        (method.upper(), path)
        for path, item in client.get("/openapi.json").json()["paths"].items()
        if path.startswith("/api")
        for method in item
    }
    assert len(routes) == len(documented) >= 14
    for method, path, scope in routes:
        assert scope is not None, f"{method} {path} has no scope"
        missing = client.request(method, path)
        assert missing.status_code == 401, (method, path, missing.status_code)
        assert missing.headers["www-authenticate"] == "Bearer"
        wrong = client.request(method, path, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401, (method, path)
        weaker = _token_without(scope)
        if weaker is not None:
            denied = client.request(method, path, headers={"Authorization": f"Bearer {weaker}"})
            assert denied.status_code == 403, (method, path, denied.status_code)


def test_health_and_metrics_are_open(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["schema"] == "at head"
    assert client.get("/metrics").status_code == 200
    assert client.get("/docs").status_code == 200


def test_a_read_token_lists_tickets_and_the_queue(client: TestClient) -> None:
    headers = {"Authorization": f"Bearer {TOKENS['reader'][0]}"}
    assert client.get("/api/tickets", headers=headers).json()["items"] == []
    assert client.get("/api/queue", headers=headers).json() == []
    claim = client.post(
        "/api/queue/claim",
        headers={"Authorization": f"Bearer {TOKENS['agent'][0]}"},
        json={"agent": "agent-1", "lease_seconds": 600},
    )
    assert claim.status_code == 204
