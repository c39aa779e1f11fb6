"""A link made or unmade on the tracker (GitHub `issue_dependencies` and
`sub_issues`, Jira `issuelink_created` / `issuelink_deleted`), delivered signed to
the service in-process: the worker fetches and triages both ends and writes their
labels, so a removed blocker frees its dependent within the delivery's handling."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from service.api.app import create_app
from service.config import Secrets, Settings
from service.runtime.compose import build
from service.webhooks.models import WebhookDelivery
from tests.fakes.github import FakeGitHub
from tests.fakes.jira import FakeJira
from tests.integration.api.signed_deliveries import github_delivery
from tests.integration.app_setup import REPO, SECRET, bearer, file_config, synced, wait_for

READY_BODY = """Fix the crash in `app/core/parser.py` when the input file is empty.

## Acceptance criteria
- [ ] `parse('')` in `app/core/parser.py` returns an empty list instead of raising
- [ ] a regression test in `app/core/test_parser.py`

## Out of scope
- other input formats
"""
BLOCKER_BODY = """Make `app/core/reader.py` return the bytes it read as `bytes`.

## Acceptance criteria
- [ ] `read()` in `app/core/reader.py` returns `bytes`
- [ ] a test in `app/core/test_reader.py`
"""


def _managed(labels: list[str]) -> list[str]:
    return sorted(label for label in labels if label.startswith("ai:"))


def _inbox(client: TestClient) -> list[tuple[str, str, str]]:
    sessions = client.app.state.service.sessions  # type: ignore[attr-defined]
    with sessions() as session:
        rows = session.execute(
            select(WebhookDelivery.event, WebhookDelivery.action, WebhookDelivery.state)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def _done(client: TestClient, count: int) -> list[dict[str, Any]]:
    def finished() -> list[dict[str, Any]] | None:
        done = client.get("/api/webhooks/deliveries?state=done", headers=bearer("admin")).json()
        return done if len(done) >= count else None

    return wait_for(finished, 5.0)  # type: ignore[no-any-return]


def _post_github(client: TestClient, event: str, payload: dict[str, Any], **kw: Any) -> Any:
    headers, body = github_delivery(payload, SECRET, event=event, **kw)
    return client.post("/webhooks/github", content=body, headers=headers)


def test_a_removed_blocked_by_link_frees_the_dependent_and_an_added_one_blocks_it(
    client: TestClient, fake_github: FakeGitHub
) -> None:
    repo = fake_github.repos[REPO]
    blocker = repo.add_issue("Return bytes from the reader", BLOCKER_BODY)
    dependent = repo.add_issue("Fix the crash on an empty input file", READY_BODY)
    repo.add_blocked_by(dependent, blocker)
    assert synced(client, "web")["state"] == "ok"
    assert _managed(repo.issue_labels(dependent)) == ["ai:blocked"]

    repo.remove_blocked_by(dependent, blocker)
    payload = repo.dependency_payload("blocked_by_removed", blocked=dependent, blocking=blocker)
    response = _post_github(client, "issue_dependencies", payload, delivery_id="dep-1")
    assert (response.status_code, response.json()["outcome"]) == (202, "accepted")
    wait_for(lambda: _managed(repo.issue_labels(dependent)) == ["ai:ready"], 5.0)
    _done(client, 1)
    ticket = client.get(f"/api/tickets/web/{dependent}", headers=bearer("reader")).json()
    assert ticket["assessment"]["verdict"] == "ready"
    assert ticket["applied_labels"] == ["ai:ready"]

    # the same delivery again is a duplicate: nothing is stored or written twice
    writes = fake_github.writes()
    again = _post_github(client, "issue_dependencies", payload, delivery_id="dep-1")
    assert (again.status_code, again.json()["outcome"]) == (200, "duplicate")
    assert fake_github.writes() == writes
    assert _inbox(client) == [("issue_dependencies", "blocked_by_removed", "done")]

    # made again, seen from the blocker's side (`blocking_added`): blocked at once
    repo.add_blocked_by(dependent, blocker)
    payload = repo.dependency_payload("blocking_added", blocked=dependent, blocking=blocker)
    response = _post_github(client, "issue_dependencies", payload)
    assert (response.status_code, response.json()["outcome"]) == (202, "accepted")
    wait_for(lambda: _managed(repo.issue_labels(dependent)) == ["ai:blocked"], 5.0)
    _done(client, 2)
    blocked = client.get(f"/api/tickets/web/{dependent}", headers=bearer("reader")).json()
    assert blocked["assessment"]["verdict"] == "blocked"


def test_a_sub_issue_added_makes_the_parent_an_umbrella_and_removed_frees_it(
    client: TestClient, fake_github: FakeGitHub
) -> None:
    repo = fake_github.repos[REPO]
    parent = repo.add_issue("Fix the crash on an empty input file", READY_BODY)
    child = repo.add_issue("Return bytes from the reader", BLOCKER_BODY)
    assert synced(client, "web")["state"] == "ok"
    assert _managed(repo.issue_labels(parent)) == ["ai:ready"]

    repo.add_sub_issue(parent, child)
    payload = repo.sub_issue_payload("sub_issue_added", parent=parent, child=child)
    assert _post_github(client, "sub_issues", payload).status_code == 202
    wait_for(lambda: _managed(repo.issue_labels(parent)) == ["ai:too-large"], 5.0)
    _done(client, 1)
    ticket = client.get(f"/api/tickets/web/{parent}", headers=bearer("reader")).json()
    assert ticket["assessment"]["verdict"] == "too-large"
    codes = {f["code"] for f in ticket["assessment"]["findings"]}
    assert "open-children" in codes

    repo.remove_sub_issue(parent, child)
    payload = repo.sub_issue_payload("parent_issue_removed", parent=parent, child=child)
    assert _post_github(client, "sub_issues", payload).status_code == 202
    wait_for(lambda: _managed(repo.issue_labels(parent)) == ["ai:ready"], 5.0)
    _done(client, 2)


def test_link_deliveries_of_another_repository_or_action_are_not_stored(
    client: TestClient, fake_github: FakeGitHub
) -> None:
    repo = fake_github.repos[REPO]
    blocked, blocking = repo.add_issue("blocked"), repo.add_issue("blocker")
    payload = repo.dependency_payload("blocked_by_added", blocked=blocked, blocking=blocking)

    elsewhere = json.loads(json.dumps(payload).replace(REPO, "someone/else"))
    response = _post_github(client, "issue_dependencies", elsewhere)
    assert (response.status_code, response.json()["outcome"]) == (202, "ignored")

    unknown = {**payload, "action": "blocked_by_reordered"}
    response = _post_github(client, "issue_dependencies", unknown)
    assert (response.status_code, response.json()["outcome"]) == (202, "ignored")

    headers, body = github_delivery(payload, "not-the-secret", event="issue_dependencies")
    assert client.post("/webhooks/github", content=body, headers=headers).status_code == 401
    assert _inbox(client) == []
    assert fake_github.writes() == 0


# --- Jira ----------------------------------------------------------------------------

JIRA_SECRET = "jira-webhook-s3cret"
READY_WIKI = """h2. Goal
Add a {{--dry-run}} flag to {{cli/export.py}} so that the export prints what it would write.

h2. Acceptance criteria
* {{backlog export --dry-run}} writes no file
* the planned files are listed on stdout
* a test in {{tests/cli/test_export.py}} covers both

h2. Out of scope
* changing the export format
"""


@pytest.fixture
def fake_jira() -> Iterator[FakeJira]:
    fake = FakeJira(deployment="Server")
    with fake:
        yield fake
    assert not fake.errors, f"fake Jira answered outside its API description: {fake.errors}"


@pytest.fixture
def jira_client(tmp_path: Path, fake_jira: FakeJira) -> Iterator[TestClient]:
    source = {
        "type": "jira",
        "name": "core",
        "server": fake_jira.url,
        "project": fake_jira.project,
        "deployment": "server",
        "story_points_field": fake_jira.story_points_field,
    }
    secrets = Secrets(
        database_url=f"sqlite:///{tmp_path / 'service.db'}",
        jira_token=fake_jira.token,
        jira_webhook_secret=JIRA_SECRET,
        config=Path("/nonexistent/backlog-sync.yaml"),
    )
    settings = Settings(
        secrets=secrets, file=file_config(fake_jira.url, sources=[source]), config_path=None
    )
    app = create_app(build(settings, roles={"api", "worker"}, worker_threads=2))
    with TestClient(app) as client:
        yield client


def _post_jira(client: TestClient, payload: dict[str, Any], delivery_id: str) -> Any:
    body = json.dumps(payload).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Atlassian-Webhook-Identifier": delivery_id,
        "X-Hub-Signature": "sha256="
        + hmac.new(JIRA_SECRET.encode(), body, hashlib.sha256).hexdigest(),
    }
    return client.post("/webhooks/jira", content=body, headers=headers)


def test_a_deleted_jira_issue_link_frees_the_dependent_and_a_created_one_blocks_it(
    jira_client: TestClient, fake_jira: FakeJira
) -> None:
    blocker = fake_jira.add_issue("Rework the exporter", description=READY_WIKI, story_points=1.0)
    blocked = fake_jira.add_issue("Add a dry-run flag", description=READY_WIKI, story_points=1.0)
    link = fake_jira.link(blocker.key, "Blocks", blocked.key)
    assert synced(jira_client, "core")["state"] == "ok"
    assert _managed(blocked.labels) == ["ai:blocked"]

    fake_jira.unlink(link)
    payload = fake_jira.link_payload("issuelink_deleted", link)
    response = _post_jira(jira_client, payload, "link-1")
    assert (response.status_code, response.json()["outcome"]) == (202, "accepted")
    wait_for(lambda: _managed(blocked.labels) == ["ai:ready"], 5.0)
    _done(jira_client, 1)

    writes = len(fake_jira.writes)
    again = _post_jira(jira_client, payload, "link-1")
    assert (again.status_code, again.json()["outcome"]) == (200, "duplicate")
    assert len(fake_jira.writes) == writes

    link = fake_jira.link(blocker.key, "Blocks", blocked.key)
    response = _post_jira(jira_client, fake_jira.link_payload("issuelink_created", link), "link-2")
    assert (response.status_code, response.json()["outcome"]) == (202, "accepted")
    wait_for(lambda: _managed(blocked.labels) == ["ai:blocked"], 5.0)
    _done(jira_client, 2)
    assert _inbox(jira_client) == [
        ("issuelink_deleted", "deleted", "done"),
        ("issuelink_created", "created", "done"),
    ]


def test_a_jira_link_between_issues_of_another_project_is_left_alone(
    jira_client: TestClient, fake_jira: FakeJira
) -> None:
    first = fake_jira.add_issue("Theirs", key="OTHER-1", description=READY_WIKI)
    second = fake_jira.add_issue("Theirs too", key="OTHER-2", description=READY_WIKI)
    link = fake_jira.link(first.key, "Blocks", second.key)
    response = _post_jira(jira_client, fake_jira.link_payload("issuelink_created", link), "x-1")
    # the delivery names the issues by id alone: only reading them tells their project
    assert response.status_code == 202
    [done] = _done(jira_client, 1)
    assert done["last_error"] is None
    assert fake_jira.writes == []
    assert first.labels == [] and second.labels == []
    assert jira_client.get("/api/tickets", headers=bearer("reader")).json()["items"] == []

    # an issue event names its project: refused before anything is stored, as ever
    issue = {"id": first.id, "key": first.key, "fields": {"summary": "Theirs"}}
    other = {"timestamp": 1, "webhookEvent": "jira:issue_updated", "issue": issue}
    response = _post_jira(jira_client, other, "x-2")
    assert (response.status_code, response.json()["outcome"]) == (202, "ignored")
    assert len(_inbox(jira_client)) == 1
