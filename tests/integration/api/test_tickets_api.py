"""POST /api/tickets/{source}/{key}/rescore: fetch, triage, store, write labels."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.fakes.github import FakeGitHub
from tests.integration.api.signed_deliveries import load_payload
from tests.integration.app_setup import REPO, bearer

LABELS = "/repos/{owner}/{repo}/issues/{issue_number}/labels"


def _issue(gh: FakeGitHub) -> int:
    payload = load_payload("issues.opened.15.json")
    return gh.repos[REPO].add_issue(payload["issue"]["title"], payload["issue"]["body"])


def test_rescore_stores_the_verdict_and_writes_its_label(
    client: TestClient, fake_github: FakeGitHub
) -> None:
    number = _issue(fake_github)
    response = client.post(f"/api/tickets/web/{number}/rescore", headers=bearer("admin"))
    assert response.status_code == 200
    body = response.json()
    assert body["labels_written"] is True
    label = f"ai:{body['verdict']}"
    assert label in fake_github.repos[REPO].issue_labels(number)
    stored = client.get(f"/api/tickets/web/{number}", headers=bearer("reader")).json()
    assert stored["assessment"]["verdict"] == body["verdict"]
    assert stored["applied_labels"] == [label]

    again = client.post(f"/api/tickets/web/{number}/rescore", headers=bearer("admin"))
    assert again.json()["labels_written"] is False  # the label is there already
    assert fake_github.count("POST", LABELS) == 1


def test_rescore_keeps_the_verdict_when_the_label_write_fails(
    client: TestClient, fake_github: FakeGitHub
) -> None:
    number = _issue(fake_github)
    fake_github.fail(422, message="Validation Failed", method="POST", route=LABELS)
    response = client.post(f"/api/tickets/web/{number}/rescore", headers=bearer("admin"))
    assert response.status_code == 502
    stored = client.get(f"/api/tickets/web/{number}", headers=bearer("reader"))
    assert stored.status_code == 200
    assert stored.json()["assessment"]["verdict"]
    assert stored.json()["applied_labels"] == []
    assert not any(x.startswith("ai:") for x in fake_github.repos[REPO].issue_labels(number))


def test_rescore_of_a_missing_issue_or_source(client: TestClient) -> None:
    missing = client.post("/api/tickets/web/9999/rescore", headers=bearer("admin"))
    assert missing.status_code == 502
    unknown = client.post("/api/tickets/nope/1/rescore", headers=bearer("admin"))
    assert unknown.status_code == 404
    assert client.post("/api/tickets/web/1/rescore", headers=bearer("reader")).status_code == 403
