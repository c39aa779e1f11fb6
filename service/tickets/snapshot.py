"""A Ticket as stored JSON, and the content hash that says whether it changed.

`ticket_to_json` and `ticket_from_json` round-trip exactly (datetimes as ISO
8601 strings with their offset). `content_hash` ignores `updated_at` and the
managed labels and our own comment: writing them bumps the tracker's
`updated_at`, and none of that must count as a change of the ticket.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from connectors.base import Comment, Link, LinkKind, Ticket, TicketState, Trust

SNAPSHOT_FORMAT = 1


class SnapshotError(ValueError):
    """A stored snapshot cannot be read back into a Ticket."""


def _dt(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse_dt(value: Any) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise SnapshotError(f"expected an ISO datetime string, got {type(value).__name__}")
    return datetime.fromisoformat(value)


def _link_to_json(link: Link) -> dict[str, Any]:
    return {
        "kind": str(link.kind),
        "target": link.target,
        "state": str(link.state) if link.state is not None else None,
        "title": link.title,
    }


def _comment_to_json(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.id,
        "body": comment.body,
        "author": comment.author,
        "author_trust": str(comment.author_trust),
        "created_at": _dt(comment.created_at),
        "is_own": comment.is_own,
    }


def ticket_to_json(t: Ticket) -> dict[str, Any]:
    """The ticket as a JSON-compatible dict."""
    return {
        "format": SNAPSHOT_FORMAT,
        "source": t.source,
        "key": t.key,
        "title": t.title,
        "url": t.url,
        "body": t.body,
        "kind": t.kind,
        "state": str(t.state),
        "labels": list(t.labels),
        "author": t.author,
        "author_trust": str(t.author_trust),
        "approval_verified": t.approval_verified,
        "assignees": list(t.assignees),
        "priority": t.priority,
        "estimate": t.estimate,
        "links": [_link_to_json(link) for link in t.links],
        "comments": [_comment_to_json(c) for c in t.comments],
        "created_at": _dt(t.created_at),
        "updated_at": _dt(t.updated_at),
    }


def ticket_from_json(d: Mapping[str, Any]) -> Ticket:
    """The Ticket a `ticket_to_json` dict was made from."""
    try:
        return Ticket(
            source=d["source"],
            key=d["key"],
            title=d["title"],
            url=d.get("url"),
            body=d.get("body", ""),
            kind=d.get("kind", "issue"),
            state=TicketState(d.get("state", "open")),
            labels=tuple(d.get("labels", ())),
            author=d.get("author"),
            author_trust=Trust(d.get("author_trust", "unknown")),
            approval_verified=bool(d.get("approval_verified", False)),
            assignees=tuple(d.get("assignees", ())),
            priority=d.get("priority"),
            estimate=d.get("estimate"),
            links=tuple(
                Link(
                    kind=LinkKind(link["kind"]),
                    target=link["target"],
                    state=TicketState(link["state"]) if link.get("state") else None,
                    title=link.get("title"),
                )
                for link in d.get("links", ())
            ),
            comments=tuple(
                Comment(
                    id=c["id"],
                    body=c["body"],
                    author=c.get("author"),
                    author_trust=Trust(c.get("author_trust", "unknown")),
                    created_at=_parse_dt(c.get("created_at")),
                    is_own=bool(c.get("is_own", False)),
                )
                for c in d.get("comments", ())
            ),
            created_at=_parse_dt(d.get("created_at")),
            updated_at=_parse_dt(d.get("updated_at")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise SnapshotError(f"invalid ticket snapshot: {exc}") from None


def content_hash(t: Ticket, managed_labels: Collection[str]) -> str:
    """sha256 of the ticket's canonical JSON, without `updated_at`, the managed labels
    and our own comment (label order does not count either)."""
    data = ticket_to_json(t)
    del data["updated_at"]
    managed = set(managed_labels)
    data["labels"] = sorted(label for label in t.labels if label not in managed)
    # our own comment is written by us, like the managed labels
    data["comments"] = [c for c in data["comments"] if not c["is_own"]]
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
