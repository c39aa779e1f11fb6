"""Jira webhook deliveries: is it signed by us, and what does it say.

Jira (Cloud, and Server/Data Center 10 with a secret) signs a delivery in
`X-Hub-Signature` with the `sha256=<hex>` scheme of `connectors.signing`.
`parse` is a pure function of the delivery and of one callback: the connector
says whether the payload's issue is whole enough to be the ticket (no fetch),
since that depends on what it has learned (the story points field, the
account, whom it trusts). `is_whole` is the rule it applies.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from connectors.base import Ticket, WebhookEvent
from connectors.headers import header
from connectors.jira.mapping import carries_marker, comment_items
from connectors.signing import verify as signature_matches

__all__ = ["LINK_EVENTS", "SIGNATURE_HEADER", "WEBHOOK_EVENTS", "is_whole", "parse", "verify"]

SIGNATURE_HEADER = "X-Hub-Signature"

WEBHOOK_EVENTS = frozenset(
    {
        "jira:issue_created",
        "jira:issue_updated",
        "jira:issue_deleted",
        "comment_created",
        "comment_updated",
    }
)

LINK_EVENTS = frozenset({"issuelink_created", "issuelink_deleted"})
"""A link between two issues was made or unmade: the payload names them by id."""


def verify(secret: str, headers: Mapping[str, str], body: bytes) -> bool:
    """Whether `X-Hub-Signature` signs `body` under `secret`."""
    return signature_matches(secret, body, header(headers, SIGNATURE_HEADER))


def parse(
    headers: Mapping[str, str],
    body: bytes,
    *,
    ticket_from: Callable[[Mapping[str, Any]], Ticket | None],
) -> WebhookEvent | None:
    """The issue, comment and issue link events of a delivery; None for anything else.

    `ticket_from(issue)` is the ticket when the payload's issue is whole, else
    None (the worker then fetches the key). Comment events always carry the key
    alone: their issue's other comments are not in the payload. A link event
    (`LINK_EVENTS`) carries the ids of the link's two issues, the source's as
    `key` and the destination's in `related`, to be fetched by id.
    """
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    if not isinstance(payload, dict):
        return None
    event = str(payload.get("webhookEvent", ""))
    delivery_id = header(headers, "X-Atlassian-Webhook-Identifier") or (
        "sha256:" + hashlib.sha256(body).hexdigest()
    )
    action = event.rsplit("_", 1)[-1]  # created, updated, deleted
    if event in LINK_EVENTS:
        return _link_event(delivery_id, event, action, payload.get("issueLink"))
    if event not in WEBHOOK_EVENTS:
        return None
    issue = payload.get("issue")
    if not isinstance(issue, dict) or not issue.get("key"):
        return None
    key = str(issue["key"])
    if event == "jira:issue_deleted":
        return WebhookEvent(delivery_id, event, action, key=key, deleted=True)
    ticket = None
    if event not in ("comment_created", "comment_updated"):
        ticket = ticket_from(issue)
    return WebhookEvent(delivery_id, event, action, key=key, ticket=ticket)


def _link_event(delivery_id: str, event: str, action: str, link: Any) -> WebhookEvent:
    """`issuelink_created` / `issuelink_deleted`: the ids of the link's two issues.
    The link itself is read again with each issue (its type decides whether it
    blocks), so the payload's link type is not needed. ValueError when the
    ids are missing or not ids."""
    if not isinstance(link, Mapping):
        raise ValueError("an issue link event without its issueLink")
    ids: list[str] = []
    for name in ("sourceIssueId", "destinationIssueId"):
        value = link.get(name)
        text = str(value) if isinstance(value, int | str) and not isinstance(value, bool) else ""
        if not text.isascii() or not text.isdigit():
            raise ValueError(f"issueLink.{name} is not an issue id")
        if text not in ids:
            ids.append(text)
    return WebhookEvent(delivery_id, event, action, key=ids[0], related=tuple(ids[1:]))


def is_whole(
    issue: Mapping[str, Any],
    *,
    needed: Iterable[str] | None,
    trust_needs_lookup: bool,
    account_known: bool,
) -> bool:
    """Whether a payload's issue carries every field a Ticket needs (no fetch).

    `needed`: the fields to be present, None while the story points field is
    unknown. A reporter whose trust needs a group lookup, or a comment carrying
    our marker while our account is unknown, needs requests: not whole.
    """
    fields = issue.get("fields")
    if not isinstance(fields, Mapping) or needed is None:
        return False
    if trust_needs_lookup and fields.get("reporter"):
        return False
    if not account_known and any(
        carries_marker(item.get("body")) for item in comment_items(fields.get("comment"))
    ):
        return False
    return set(needed) <= set(fields)
