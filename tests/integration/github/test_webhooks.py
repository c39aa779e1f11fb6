"""Webhook signatures and parsing, on every real payload in ../shared/data/github/webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import pytest

from connectors.base import Trust
from connectors.github import GitHubConnector
from tests.fakes.github import GITHUB_DATA

SECRET = "whsec-known"
PAYLOADS = sorted((GITHUB_DATA / "webhooks").glob("*.json"))


def _connector(payload: dict[str, object], **options: object) -> GitHubConnector:
    repository = payload["repository"]
    assert isinstance(repository, dict)
    return GitHubConnector(
        str(repository["full_name"]), token="t", webhook_secret=SECRET, **options
    )  # type: ignore[arg-type]


def _headers(path: Path, body: bytes, secret: str = SECRET) -> dict[str, str]:
    event = path.name.split(".")[0]
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {
        "x-github-event": event,  # header names are case-insensitive
        "X-GitHub-Delivery": f"delivery-{path.stem}",
        "X-Hub-Signature-256": f"sha256={signature}",
    }


@pytest.mark.skipif(not PAYLOADS, reason="../shared/data/github/webhooks is absent")
@pytest.mark.parametrize("path", PAYLOADS, ids=lambda p: p.name)
def test_every_real_payload_is_verified_and_parsed(path: Path) -> None:
    body = path.read_bytes()
    payload = json.loads(body)
    connector = _connector(payload)
    headers = _headers(path, body)

    assert connector.verify_webhook(headers, body)
    assert not connector.verify_webhook(_headers(path, body, "wrong-secret"), body)
    assert not connector.verify_webhook(headers, body + b" ")
    assert not connector.verify_webhook(
        {k: v for k, v in headers.items() if "Signature" not in k}, body
    )

    event = connector.parse_webhook(headers, body)
    kind, action = path.name.split(".")[:2]
    issue = payload.get("issue") or {}
    if kind == "label" or issue.get("pull_request"):
        assert event is None  # labels and pull requests are not tickets
        return
    assert event is not None
    assert (event.event, event.action, event.delivery_id) == (kind, action, f"delivery-{path.stem}")
    assert event.key == f"{payload['repository']['full_name']}#{issue['number']}"
    if action in ("deleted", "transferred") and kind == "issues":
        assert event.deleted and event.ticket is None
    elif kind == "issue_comment" or issue.get("comments") or "labels" not in issue:
        assert event.ticket is None  # not the whole ticket: the worker fetches it
    else:
        assert event.ticket is not None
        assert event.ticket.title == issue["title"]
        assert event.ticket.labels == tuple(label["name"] for label in issue["labels"])
        assert event.ticket.author_trust is Trust.TRUSTED  # the payloads' authors are OWNER


def test_no_secret_configured_rejects_everything() -> None:
    path = PAYLOADS[0] if PAYLOADS else pytest.skip("../shared/data/github/webhooks is absent")
    body = path.read_bytes()
    connector = GitHubConnector(json.loads(body)["repository"]["full_name"], token="t")
    assert not connector.verify_webhook(_headers(path, body), body)


def test_another_repositorys_delivery_is_ignored() -> None:
    path = GITHUB_DATA / "webhooks" / "issues.opened.15.json"
    if not path.exists():
        pytest.skip("../shared/data/github/webhooks is absent")
    body = path.read_bytes()
    connector = GitHubConnector("someone/else", token="t", webhook_secret=SECRET)
    assert connector.parse_webhook(_headers(path, body), body) is None


def test_approval_label_added_by_a_maintainer_is_verified_from_the_delivery() -> None:
    path = GITHUB_DATA / "webhooks" / "issues.labeled.9.json"
    if not path.exists():
        pytest.skip("../shared/data/github/webhooks is absent")
    payload = json.loads(path.read_bytes())
    payload["issue"]["user"] = {**payload["issue"]["user"], "login": "stranger"}
    payload["issue"]["author_association"] = "NONE"
    payload["issue"]["labels"] = [{**payload["label"], "name": "ai:approved"}]
    payload["label"] = {**payload["label"], "name": "ai:approved"}
    payload["sender"] = {**payload["sender"], "login": "maintainer", "type": "User"}
    body = json.dumps(payload).encode()
    connector = _connector(payload)

    event = connector.parse_webhook(_headers(path, body), body)

    assert event is not None and event.ticket is not None
    assert event.ticket.approval_verified
    assert event.ticket.author_trust is Trust.UNTRUSTED
