"""GET /api/webhooks/deliveries and POST .../{id}/retry: the inbox for operators."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.config import Settings
from service.runtime.compose import build
from service.webhooks.models import WebhookDelivery
from tests.integration.app_setup import bearer

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def api(settings: Settings) -> Iterator[TestClient]:
    # no worker: a queued delivery stays pending
    with TestClient(create_app(build(settings, roles={"api"}))) as client:
        yield client


def _store(client: TestClient, n: int, state: str, **fields: object) -> int:
    sessions = client.app.state.service.sessions  # type: ignore[attr-defined]
    with sessions() as session, session.begin():
        row = WebhookDelivery(
            tracker="github",
            delivery_id=f"d-{n}",
            source="web",
            event="issues",
            action="opened",
            ticket_key=f"acme/web#{n}",
            headers={},
            body=b"{}",
            state=state,
            attempts=fields.pop("attempts", 1),
            available_at=T0,
            received_at=T0 + timedelta(minutes=n),
            **fields,
        )
        session.add(row)
        session.flush()
        return row.id


def test_deliveries_are_listed_newest_first_and_filtered_by_state(api: TestClient) -> None:
    _store(api, 1, "done", finished_at=T0 + timedelta(minutes=2))
    failed = _store(api, 2, "failed", attempts=5, last_error="route: tracker down")

    rows = api.get("/api/webhooks/deliveries", headers=bearer("admin")).json()
    assert [r["delivery_id"] for r in rows] == ["d-2", "d-1"]
    assert datetime.fromisoformat(rows[1]["finished_at"]) == T0 + timedelta(minutes=2)
    only_failed = api.get("/api/webhooks/deliveries?state=failed", headers=bearer("admin"))
    assert only_failed.json() == [
        {
            "id": failed,
            "tracker": "github",
            "delivery_id": "d-2",
            "source": "web",
            "event": "issues",
            "action": "opened",
            "ticket_key": "acme/web#2",
            "state": "failed",
            "attempts": 5,
            "last_error": "route: tracker down",
            "received_at": (T0 + timedelta(minutes=2)).isoformat().replace("+00:00", "Z"),
            "finished_at": None,
        }
    ]
    assert api.get("/api/webhooks/deliveries", headers=bearer("reader")).status_code == 403


def test_a_failed_delivery_is_queued_again_once(api: TestClient) -> None:
    done = _store(api, 1, "done")
    failed = _store(api, 2, "failed", attempts=5, finished_at=T0)

    retried = api.post(f"/api/webhooks/deliveries/{failed}/retry", headers=bearer("admin"))
    assert retried.status_code == 200
    assert (retried.json()["state"], retried.json()["attempts"]) == ("pending", 0)
    assert retried.json()["finished_at"] is None
    again = api.post(f"/api/webhooks/deliveries/{failed}/retry", headers=bearer("admin"))
    assert (again.status_code, again.json()["detail"]) == (409, "delivery is pending")
    not_failed = api.post(f"/api/webhooks/deliveries/{done}/retry", headers=bearer("admin"))
    assert not_failed.status_code == 409
    missing = api.post("/api/webhooks/deliveries/999/retry", headers=bearer("admin"))
    assert missing.status_code == 404
    pending = api.get("/api/webhooks/deliveries?state=pending", headers=bearer("admin"))
    assert [r["id"] for r in pending.json()] == [failed]
