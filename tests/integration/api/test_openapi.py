"""The OpenAPI document is valid, says how to authenticate, and describes every answer."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from openapi_spec_validator import validate

OPERATIONS = {"get", "post", "put", "patch", "delete"}


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in OPERATIONS
    ]


def test_the_document_validates(client: TestClient) -> None:
    validate(client.get("/openapi.json").json())


def test_api_routes_name_the_bearer_scheme_and_their_errors(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http"}
    assert {s["scheme"] for s in schemes.values()} == {"bearer"}
    for method, path, operation in _operations(document):
        if not path.startswith("/api"):
            continue
        assert operation.get("security"), f"{method} {path} names no security scheme"
        assert {"401", "403"} <= set(operation["responses"]), (method, path)


def test_every_success_answer_has_a_schema_and_every_operation_a_readable_id(
    client: TestClient,
) -> None:
    document = client.get("/openapi.json").json()
    ids = []
    for method, path, operation in _operations(document):
        ids.append(operation["operationId"])
        for code, answer in operation["responses"].items():
            if not code.startswith("2") or code == "204":
                continue
            content = answer.get("content") or {}
            assert content, f"{method} {path} {code}: no content described"
            for media, body in content.items():
                assert body.get("schema"), f"{method} {path} {code} {media}: no schema"
                assert body["schema"] != {}, f"{method} {path} {code} {media}: empty schema"
    assert len(ids) == len(set(ids))
    assert "claim_next_entry" in ids and "list_tickets" in ids
    assert all("_api_" not in i and not i.endswith(("_get", "_post")) for i in ids), ids


def test_the_docs_page_offers_to_authorize(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and "swagger" in page.text.lower()
    assert "securitySchemes" in client.get("/openapi.json").text
