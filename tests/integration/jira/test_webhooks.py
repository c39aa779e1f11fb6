"""Jira webhooks: signatures and the five events we handle."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from connectors.base import NotFoundError
from connectors.jira import JiraConnector
from tests.fakes.jira import FakeJira

Connect = Callable[..., JiraConnector]
SECRET = "webhook-secret-42"


def sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def full_issue(cloud: FakeJira) -> dict[str, Any]:
    issue = cloud.add_issue(
        "Webhook issue",
        description="h3. Steps",
        story_points=2.0,
        updated=datetime(2024, 1, 1, tzinfo=UTC),
    )
    return cloud.issue_json(issue, None)


def payload(event: str, issue: dict[str, Any], **extra: Any) -> bytes:
    body = {"timestamp": 1705312800000, "webhookEvent": event, "issue": issue, **extra}
    return json.dumps(body).encode()


def test_a_signed_delivery_is_accepted_and_a_bad_signature_rejected(
    cloud: FakeJira, connect: Connect
) -> None:
    connector = connect(cloud, webhook_secret=SECRET)
    body = payload("jira:issue_updated", {"key": "PROJ-1"})

    assert connector.verify_webhook({"x-hub-signature": sign(body)}, body)
    assert connector.verify_webhook({"X-Hub-Signature": sign(body)}, body)  # any header case
    assert not connector.verify_webhook({"X-Hub-Signature": sign(body, "wrong")}, body)
    assert not connector.verify_webhook({"X-Hub-Signature": sign(body)}, body + b" ")
    assert not connector.verify_webhook({}, body)


def test_unsigned_deliveries_need_an_explicit_opt_in(cloud: FakeJira, connect: Connect) -> None:
    body = payload("jira:issue_updated", {"key": "PROJ-1"})

    assert not connect(cloud).verify_webhook({}, body)
    assert connect(cloud, allow_unsigned=True).verify_webhook({}, body)


@pytest.mark.parametrize(
    ("event", "action"),
    [("jira:issue_created", "created"), ("jira:issue_updated", "updated")],
)
def test_issue_events_carry_the_whole_ticket(
    cloud: FakeJira, connect: Connect, event: str, action: str
) -> None:
    connector = connect(cloud, story_points_field=cloud.story_points_field)
    body = payload(event, full_issue(cloud))

    parsed = connector.parse_webhook({"X-Atlassian-Webhook-Identifier": "d-1"}, body)

    assert parsed is not None
    assert (parsed.delivery_id, parsed.event, parsed.action, parsed.key) == (
        "d-1",
        event,
        action,
        "PROJ-1",
    )
    assert parsed.ticket is not None
    assert parsed.ticket.title == "Webhook issue"
    assert parsed.ticket.body == "### Steps"
    assert parsed.ticket.estimate == 2.0
    assert cloud.total_requests == 0  # parsing is pure: no request to Jira


def test_a_marked_comment_waits_for_the_worker_until_we_know_who_we_are(
    cloud: FakeJira, connect: Connect
) -> None:
    connector = connect(cloud, story_points_field=cloud.story_points_field)
    issue = full_issue(cloud)
    pasted = {"id": "11", "body": "~backlog-sync:readiness~", "author": cloud.user_json(cloud.me)}
    issue["fields"]["comment"] = {"comments": [pasted], "total": 1, "startAt": 0, "maxResults": 1}

    parsed = connector.parse_webhook({}, payload("jira:issue_updated", issue))

    assert parsed is not None and parsed.key == "PROJ-1" and parsed.ticket is None
    assert cloud.total_requests == 0  # parsing is pure: the worker's fetch_one finds out

    cloud.add_comment("PROJ-1", "~backlog-sync:readiness~", author=cloud.me)
    (comment,) = connector.fetch_one("PROJ-1").comments
    assert comment.is_own
    assert cloud.requests["GET /rest/api/2/myself"] == 1


def test_a_partial_issue_gives_the_key_only(cloud: FakeJira, connect: Connect) -> None:
    connector = connect(cloud, story_points_field=cloud.story_points_field)
    body = payload("jira:issue_updated", {"id": "1", "key": "PROJ-7", "fields": {"summary": "x"}})

    parsed = connector.parse_webhook({}, body)

    assert parsed is not None and parsed.key == "PROJ-7" and parsed.ticket is None
    assert parsed.delivery_id.startswith("sha256:")  # stable id for redeliveries without a header


def test_deleted_and_comment_events(cloud: FakeJira, connect: Connect) -> None:
    connector = connect(cloud, story_points_field=cloud.story_points_field)
    issue = full_issue(cloud)
    comment = {"id": "10", "body": "What about Safari?", "author": cloud.user_json(cloud.me)}

    deleted = connector.parse_webhook({}, payload("jira:issue_deleted", issue))
    created = connector.parse_webhook({}, payload("comment_created", issue, comment=comment))
    updated = connector.parse_webhook({}, payload("comment_updated", issue, comment=comment))
    ignored = connector.parse_webhook({}, payload("jira:version_released", issue))

    assert deleted is not None and deleted.deleted and deleted.key == "PROJ-1"
    assert created is not None and (created.action, created.key) == ("created", "PROJ-1")
    assert updated is not None and (updated.action, updated.key) == ("updated", "PROJ-1")
    assert created.ticket is None  # comment payloads carry a partial issue: the worker fetches
    assert ignored is None
    assert connector.parse_webhook({}, b"not json") is None


@pytest.mark.parametrize("event", ["issuelink_created", "issuelink_deleted"])
def test_an_issue_link_event_names_both_issues_by_id(
    cloud: FakeJira, connect: Connect, event: str
) -> None:
    connector = connect(cloud)
    blocker, blocked = cloud.add_issue("Blocker"), cloud.add_issue("Blocked")
    link = cloud.link(blocker.key, "Blocks", blocked.key)
    body = json.dumps(cloud.link_payload(event, link)).encode()

    parsed = connector.parse_webhook({"X-Atlassian-Webhook-Identifier": "d-7"}, body)

    assert parsed is not None
    assert (parsed.delivery_id, parsed.event, parsed.action) == ("d-7", event, event[10:])
    assert not parsed.deleted  # a link was deleted, not an issue
    assert parsed.ticket is None
    assert (parsed.key, parsed.related) == (blocker.id, (blocked.id,))


def test_an_issue_link_event_without_issue_ids_is_refused(
    cloud: FakeJira, connect: Connect
) -> None:
    connector = connect(cloud)
    blocker, blocked = cloud.add_issue("Blocker"), cloud.add_issue("Blocked")
    payload = cloud.link_payload(
        "issuelink_created", cloud.link(blocker.key, "Blocks", blocked.key)
    )
    for broken in ({"sourceIssueId": "PROJ-1; DROP"}, {"destinationIssueId": None}):
        bad = {**payload, "issueLink": {**payload["issueLink"], **broken}}
        with pytest.raises(ValueError):
            connector.parse_webhook({}, json.dumps(bad).encode())
    with pytest.raises(ValueError):
        connector.parse_webhook({}, json.dumps({"webhookEvent": "issuelink_deleted"}).encode())


def test_an_issue_is_fetched_by_its_id_within_the_project_only(
    jira: FakeJira, connect: Connect
) -> None:
    connector = connect(jira, story_points_field=jira.story_points_field)
    mine = jira.add_issue("Ours")
    theirs = jira.add_issue("Theirs", key="OTHER-3")

    assert connector.fetch_one(mine.id).key == mine.key
    with pytest.raises(NotFoundError, match="not in project PROJ"):
        connector.fetch_one(theirs.id)
    # a source with a query of its own and no project covers any project
    open_ended = connect(jira, project=None, jql="labels = x")
    assert open_ended.fetch_one(theirs.id).key == "OTHER-3"
