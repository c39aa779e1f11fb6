"""Webhook deliveries: verify, record in the inbox, and route to handlers.

The HTTP edge (`service/api/webhooks.py`) calls `receive`, which checks the
signature (`Connector.verify_webhook`) before anything else, parses the
delivery (`Connector.parse_webhook`, a pure function of headers and body) and
inserts it into the inbox with its delivery id as a unique key: a repeated
delivery is recognised and not processed again. Handlers only run later, in the
worker (`service/worker.py`), looked up per (event, action) in `HANDLERS`; each
handler receives what it needs as arguments, and one handler's failure is
recorded without stopping the others.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from connectors.base import Connector, Ticket, TrackerError, WebhookEvent
from service import db, triage
from service.config import GitHubSource, JiraSource, Settings, SourceConfig
from service.inbox_models import WebhookDelivery
from service.scoring import Policy
from service.sources import connector_for_config

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 5 * 1024 * 1024
# PostgreSQL: the channel a stored delivery is announced on (NOTIFY is sent at
# commit), so workers in other processes start on it at once
INBOX_CHANNEL = "backlog_sync_inbox"
TRACKERS = ("github", "jira")
_DROPPED_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})


# --- connectors per configured source ------------------------------------------


class SourceConnectors:
    """The connector of each configured source, built on first use and kept.

    Built connectors are kept per thread: PyGithub's client keeps one
    persistent connection and sets a request's method and URL on it before
    sending, so two threads sharing one client can send each other's requests
    (a label write landing on the wrong issue). A connector given with `put`
    is shared by every thread.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._given: dict[str, Connector] = {}
        self._local = threading.local()
        self._lock = threading.Lock()

    @property
    def configs(self) -> tuple[SourceConfig, ...]:
        return self._settings.file.sources

    def config(self, name: str) -> SourceConfig | None:
        return self._settings.source(name)

    def get(self, name: str) -> Connector:
        """The connector of the configured source `name` (SourceError without credentials)."""
        with self._lock:
            given = self._given.get(name)
        if given is not None:
            return given
        built: dict[str, Connector] | None = getattr(self._local, "built", None)
        if built is None:
            built = self._local.built = {}
        connector = built.get(name)
        if connector is None:
            config = self._settings.source(name)
            if config is None:
                raise KeyError(name)
            connector = connector_for_config(self._settings, config)
            built[name] = connector
        return connector

    def put(self, name: str, connector: Connector) -> None:
        """Use `connector` for source `name` in every thread (tests, or built elsewhere)."""
        with self._lock:
            self._given[name] = connector

    def of_kind(self, kind: str) -> list[SourceConfig]:
        return [s for s in self._settings.file.sources if s.type == kind]

    def stored_name(self, name: str) -> str:
        """The name tickets of configured source `name` are stored under."""
        return self.get(name).source


# --- receiving --------------------------------------------------------------------


class WebhookRejected(Exception):
    """The delivery is refused; `status_code` is the HTTP answer."""

    def __init__(self, status_code: int, outcome: str, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.outcome = outcome
        self.message = message


@dataclass(frozen=True, slots=True)
class Received:
    """What became of a delivery: accepted (stored, 202), duplicate (200), ignored (202)."""

    outcome: str
    delivery_id: str | None = None
    event: str | None = None
    action: str | None = None
    reason: str | None = None

    @property
    def status_code(self) -> int:
        return 200 if self.outcome == "duplicate" else 202


def _source_for(kind: str, payload: Mapping[str, Any], sources: SourceConnectors) -> str | None:
    """The configured source a delivery belongs to, by repository or project."""
    candidates = sources.of_kind(kind)
    if kind == "github":
        repository = payload.get("repository")
        full_name = repository.get("full_name") if isinstance(repository, dict) else None
        if not isinstance(full_name, str):
            return None
        for config in candidates:
            if isinstance(config, GitHubSource) and config.repo.lower() == full_name.lower():
                return config.name
        return None
    issue = payload.get("issue")
    key = issue.get("key") if isinstance(issue, dict) else None
    if isinstance(key, str) and "-" in key:
        project = key.rsplit("-", 1)[0]
        for config in candidates:
            if isinstance(config, JiraSource) and (config.project or "").upper() == project.upper():
                return config.name
    jira = [c for c in candidates if isinstance(c, JiraSource)]
    return jira[0].name if len(jira) == 1 else None


def receive(
    session: Session,
    *,
    tracker: str,
    headers: Mapping[str, str],
    body: bytes,
    sources: SourceConnectors,
    verify: bool,
    handles: Callable[[str, str], bool],
    now: datetime,
    max_bytes: int = MAX_BODY_BYTES,
) -> Received:
    """Verify, parse and record one delivery. Raises WebhookRejected when refused.

    `verify` is False only when unsigned deliveries are allowed and no secret
    is set. Nothing is stored before the signature is checked.
    """
    if len(body) > max_bytes:
        raise WebhookRejected(413, "too_large", f"body over {max_bytes} bytes")
    configs = sources.of_kind(tracker)
    if not configs:
        raise WebhookRejected(404, "no_source", f"no {tracker} source is configured")
    lowered = {k.lower(): v for k, v in headers.items()}
    if verify and not sources.get(configs[0].name).verify_webhook(lowered, body):
        raise WebhookRejected(401, "bad_signature", "signature does not match")
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise WebhookRejected(400, "malformed", "body is not JSON") from None
    if not isinstance(payload, dict):
        raise WebhookRejected(400, "malformed", "body is not a JSON object")
    source = _source_for(tracker, payload, sources)
    if source is None:
        return Received("ignored", reason="no configured source for this repository or project")
    try:
        event = sources.get(source).parse_webhook(lowered, body)
    except (ValueError, KeyError, TypeError, TrackerError) as exc:
        raise WebhookRejected(400, "malformed", f"cannot read the delivery: {exc}") from None
    if event is None:
        return Received("ignored", reason="event not handled")
    if not handles(event.event, event.action):
        return Received(
            "ignored", event.delivery_id, event.event, event.action, reason="no handler"
        )
    stored = {k: v for k, v in lowered.items() if k not in _DROPPED_HEADERS}
    inserted = _insert_delivery(
        session,
        {
            "tracker": tracker,
            "delivery_id": event.delivery_id,
            "source": source,
            "event": event.event,
            "action": event.action,
            "ticket_key": event.key or (event.ticket.key if event.ticket else None),
            "headers": stored,
            "body": body,
            "state": "pending",
            "attempts": 0,
            "available_at": now,
            "received_at": now,
        },
    )
    outcome = "accepted" if inserted else "duplicate"
    return Received(outcome, event.delivery_id, event.event, event.action)


def _insert_delivery(session: Session, values: dict[str, Any]) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING; True when the row is new.

    On PostgreSQL a new row is also announced on INBOX_CHANNEL (delivered to
    listeners when the transaction commits, not before)."""
    inserted = bool(db.insert_ignore(session, WebhookDelivery, values, WebhookDelivery.id))
    dialect = session.get_bind().dialect.name
    if inserted and dialect == "postgresql":
        session.execute(text(f"NOTIFY {INBOX_CHANNEL}"))
    return inserted


# --- handlers ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HandlerContext:
    """What a handler may use; it commits nothing (the worker owns the transaction)."""

    session: Session
    connector: Connector
    policy: Policy
    now: datetime
    received_at: datetime
    on_labels_written: Callable[[], None] = field(default=lambda: None)


Handler = Callable[[HandlerContext, WebhookEvent], None]


class HandlerRegistry:
    """Handlers by (event, action); action "*" matches every action of the event."""

    def __init__(self) -> None:
        self._handlers: dict[tuple[str, str], list[tuple[str, Handler]]] = {}

    def register(self, event: str, actions: Sequence[str], handler: Handler) -> None:
        name = getattr(handler, "__name__", repr(handler))
        for action in actions:
            self._handlers.setdefault((event, action), []).append((name, handler))

    def for_event(self, event: str, action: str) -> list[tuple[str, Handler]]:
        return self._handlers.get((event, action), []) + self._handlers.get((event, "*"), [])

    def handles(self, event: str, action: str) -> bool:
        return bool(self.for_event(event, action))


def triage_from_event(ctx: HandlerContext, event: WebhookEvent) -> None:
    """Triage the ticket (from the payload when complete, else fetched) and write labels."""
    ticket: Ticket | None = event.ticket
    if ticket is None:
        if event.key is None:
            return
        ticket = ctx.connector.fetch_one(event.key)
    result = triage.triage_ticket(ctx.session, ticket, ctx.policy, now=ctx.now)
    if triage.write_labels(ctx.session, ctx.connector, result, ctx.policy, now=ctx.now):
        ctx.on_labels_written()


def forget_deleted(ctx: HandlerContext, event: WebhookEvent) -> None:
    """The ticket was deleted on the tracker: keep its history, drop it from the queue."""
    key = event.key or (event.ticket.key if event.ticket else None)
    if key is not None:
        triage.mark_deleted(ctx.session, ctx.connector.source, key, now=ctx.now)


def route(ctx: HandlerContext, event: WebhookEvent) -> None:
    """The default routing: deletions are forgotten, everything else is triaged."""
    if event.deleted:
        forget_deleted(ctx, event)
    else:
        triage_from_event(ctx, event)


TICKET_ACTIONS = (
    "opened",
    "edited",
    "reopened",
    "closed",
    "labeled",
    "unlabeled",
    "transferred",
    "deleted",
)
COMMENT_ACTIONS = ("created", "edited", "deleted")


def default_handlers() -> HandlerRegistry:
    """GitHub `issues` and `issue_comment`, and every Jira issue and comment event."""
    registry = HandlerRegistry()
    registry.register("issues", TICKET_ACTIONS, route)
    registry.register("issue_comment", COMMENT_ACTIONS, route)
    for jira_event in (
        "jira:issue_created",
        "jira:issue_updated",
        "jira:issue_deleted",
        "comment_created",
        "comment_updated",
        "comment_deleted",
    ):
        registry.register(jira_event, ("*",), route)
    return registry
