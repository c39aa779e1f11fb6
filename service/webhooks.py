"""Webhook deliveries: verify, record in the inbox, and route to handlers.

The HTTP edge (`service/api/webhooks.py`) calls `check`, which checks the
signature (`signature_matches`, a pure function of the secret, the headers and
the raw body) before anything else and parses the delivery
(`Connector.parse_webhook`, a pure function of headers and body), then `store`,
which inserts it into the inbox with its delivery id as a unique key: a
repeated delivery is recognised and not processed again. `store` takes the
deliveries of several requests at once (`service/api/intake.py` commits them
together). Handlers only run later, in the worker
(`service/worker.py`), looked up per (event, action) in a `HandlerRegistry`;
each handler receives what it needs as arguments and only records work
(`HandlerContext.refresh`, `HandlerContext.forget`), which the worker then
does; one handler's failure is recorded without stopping the others.

Operators read the inbox with `list_deliveries` and queue a failed delivery
again with `retry_failed`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from connectors.base import Connector, Ticket, TrackerError, WebhookEvent
from service import db
from service.config import GitHubSource, JiraSource, Settings, SourceConfig
from service.inbox_models import WebhookDelivery
from service.scoring import Policy
from service.sources import SourceError, connector_for_config

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


# the header each tracker sends its HMAC-SHA256 signature in ("sha256=<hex>")
SIGNATURE_HEADERS = {"github": "x-hub-signature-256", "jira": "x-hub-signature"}


def signature_matches(tracker: str, secret: str, headers: Mapping[str, str], body: bytes) -> bool:
    """Whether the delivery's `sha256=` signature is the HMAC-SHA256 of `body`
    under `secret`. Header names are matched in any case; constant-time compare."""
    wanted = SIGNATURE_HEADERS[tracker]
    signature = next((v for k, v in headers.items() if k.lower() == wanted), None)
    if not signature or not signature.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    given = signature.removeprefix("sha256=").strip()
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode())


@dataclass(frozen=True, slots=True)
class Checked:
    """A delivery that passed `check` and is to be stored (`store`): its inbox
    row, and the answer it gets when the row is new."""

    values: dict[str, Any]
    received: Received

    @property
    def ident(self) -> tuple[str, str]:
        """The inbox's unique key: (tracker, delivery id)."""
        return self.values["tracker"], self.values["delivery_id"]


def check(
    *,
    tracker: str,
    headers: Mapping[str, str],
    body: bytes,
    sources: SourceConnectors,
    secret: str | None,
    handles: Callable[[str, str], bool],
    now: datetime,
    max_bytes: int = MAX_BODY_BYTES,
) -> Received | Checked:
    """Verify and parse one delivery, without the database: what to store
    (`Checked`), or the answer to an ignored one (`Received`). Raises
    WebhookRejected when refused.

    `secret` is the tracker's webhook secret; None only when unsigned
    deliveries are allowed (the app refuses to start otherwise). The
    signature is checked before anything else is read. A refusal's message is
    fixed text: the body is untrusted and never echoed.
    """
    if len(body) > max_bytes:
        raise WebhookRejected(413, "too_large", f"body over {max_bytes} bytes")
    if not sources.of_kind(tracker):
        raise WebhookRejected(404, "no_source", f"no {tracker} source is configured")
    lowered = {k.lower(): v for k, v in headers.items()}
    if secret is not None and not signature_matches(tracker, secret, lowered, body):
        raise WebhookRejected(401, "bad_signature", "signature does not match")
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        log.debug("webhook %s: body is not JSON: %s", tracker, type(exc).__name__)
        raise WebhookRejected(400, "malformed", "body is not valid JSON") from None
    if not isinstance(payload, dict):
        raise WebhookRejected(400, "malformed", "body is not a JSON object")
    source = _source_for(tracker, payload, sources)
    if source is None:
        return Received("ignored", reason="no configured source for this repository or project")
    try:
        connector = sources.get(source)
    except SourceError:
        log.warning("webhook %s: source %s cannot be used (credentials?)", tracker, source)
        raise WebhookRejected(
            503, "source_unavailable", f"the {tracker} source is not usable"
        ) from None
    try:
        event = connector.parse_webhook(lowered, body)
    except (ValueError, KeyError, TypeError, TrackerError) as exc:
        # the message may quote the payload (untrusted): only in the debug log
        log.debug("webhook %s: unreadable delivery: %s: %.200r", tracker, type(exc).__name__, exc)
        raise WebhookRejected(
            400, "malformed", f"body is not a {tracker} delivery of a known shape"
        ) from None
    if event is None:
        return Received("ignored", reason="event not handled")
    if not handles(event.event, event.action):
        return Received(
            "ignored", event.delivery_id, event.event, event.action, reason="no handler"
        )
    stored = {k: v for k, v in lowered.items() if k not in _DROPPED_HEADERS}
    return Checked(
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
        Received("accepted", event.delivery_id, event.event, event.action),
    )


def store(session: Session, deliveries: Sequence[Checked]) -> list[Received]:
    """Record checked deliveries in the inbox, in one statement; the answer to
    each, in order: accepted (its row is new) or duplicate (the delivery id was
    stored before, or earlier in `deliveries`). The caller commits.

    On PostgreSQL new rows are also announced on INBOX_CHANNEL (delivered to
    listeners when the transaction commits, not before)."""
    first: dict[tuple[str, str], Checked] = {}
    for delivery in deliveries:
        first.setdefault(delivery.ident, delivery)
    # in key order: two replicas storing the same redeliveries lock rows in one order
    new = _insert_deliveries(session, [first[ident].values for ident in sorted(first)])
    return [
        d.received
        if d.ident in new and first[d.ident] is d
        else replace(d.received, outcome="duplicate")
        for d in deliveries
    ]


_INBOX: Table = WebhookDelivery.__table__  # type: ignore[assignment]


# PostgreSQL: rows and their announcement in one statement, compiled once.
# pg_notify in RETURNING runs once per row actually inserted; listeners get one
# notification per transaction (identical ones are folded), at commit.
_STORE_AND_NOTIFY = (
    postgresql.insert(_INBOX)
    .on_conflict_do_nothing(index_elements=["tracker", "delivery_id"])
    .returning(_INBOX.c.tracker, _INBOX.c.delivery_id, func.pg_notify(INBOX_CHANNEL, ""))
)


def _insert_deliveries(session: Session, rows: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """INSERT ... ON CONFLICT DO NOTHING of `rows`; the (tracker, delivery id)
    of those that are new."""
    if not rows:
        return set()
    if session.get_bind().dialect.name == "postgresql":
        # one statement for all the rows (SQLAlchemy's "insertmanyvalues": the
        # parameter sets go in one multi-row INSERT; the columns are the keys
        # `check` gives every row, and the statement is compiled once)
        result = session.connection().execute(_STORE_AND_NOTIFY, rows)
        return {(tracker, delivery_id) for tracker, delivery_id, _ in result}
    new: set[tuple[str, str]] = set()
    for row in rows:  # SQLite: one writer at a time anyway; RETURNING one row each
        if db.insert_ignore(session, WebhookDelivery, row, WebhookDelivery.id):
            new.add((row["tracker"], row["delivery_id"]))
    return new


# --- handlers ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Refresh:
    """Work: triage the ticket again and write its labels. `ticket` when the
    payload is the whole ticket, else it is fetched by `key`."""

    key: str
    ticket: Ticket | None = None


@dataclass(frozen=True, slots=True)
class Forget:
    """Work: the ticket was deleted on the tracker (keep its history, leave the queue)."""

    key: str


Work = Refresh | Forget


@dataclass(frozen=True, slots=True)
class HandlerContext:
    """What a handler may use. A handler only records work (`refresh`, `forget`);
    the worker does it once the handlers ran, reading and writing the tracker
    while no database transaction is open."""

    connector: Connector
    policy: Policy
    now: datetime
    received_at: datetime
    work: list[Work] = field(default_factory=list)

    def refresh(self, *, key: str | None = None, ticket: Ticket | None = None) -> None:
        """Triage the ticket (`ticket` as given, else fetched by `key`), write its labels."""
        if ticket is not None:
            self.work.append(Refresh(ticket.key, ticket))
        elif key is not None:
            self.work.append(Refresh(key))
        else:
            raise ValueError("refresh needs a key or a ticket")

    def forget(self, key: str) -> None:
        """Mark the ticket deleted: its history stays, it leaves the queue."""
        self.work.append(Forget(key))


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
    if event.ticket is not None:
        ctx.refresh(ticket=event.ticket)
    elif event.key is not None:
        ctx.refresh(key=event.key)


def forget_deleted(ctx: HandlerContext, event: WebhookEvent) -> None:
    """The ticket was deleted on the tracker: keep its history, drop it from the queue."""
    key = event.key or (event.ticket.key if event.ticket else None)
    if key is not None:
        ctx.forget(key)


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


# --- the inbox, for operators ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeliveryView:
    """A stored delivery, as plain values (its body and headers are left out)."""

    id: int
    tracker: str
    delivery_id: str
    source: str
    event: str
    action: str
    ticket_key: str | None
    state: str
    attempts: int
    last_error: str | None
    received_at: datetime
    finished_at: datetime | None


class DeliveryStateError(Exception):
    """The delivery is not in a state that allows the operation."""

    def __init__(self, state: str) -> None:
        super().__init__(f"delivery is {state}")
        self.state = state


# the fields of a DeliveryView, in its order
_VIEW_COLUMNS = (
    WebhookDelivery.id,
    WebhookDelivery.tracker,
    WebhookDelivery.delivery_id,
    WebhookDelivery.source,
    WebhookDelivery.event,
    WebhookDelivery.action,
    WebhookDelivery.ticket_key,
    WebhookDelivery.state,
    WebhookDelivery.attempts,
    WebhookDelivery.last_error,
    WebhookDelivery.received_at,
    WebhookDelivery.finished_at,
)


def list_deliveries(
    session: Session, *, state: str | None = None, limit: int = 50
) -> list[DeliveryView]:
    """Deliveries, newest first; only those in `state` when given."""
    stmt = select(*_VIEW_COLUMNS).order_by(WebhookDelivery.id.desc()).limit(limit)
    if state is not None:
        stmt = stmt.where(WebhookDelivery.state == state)
    return [DeliveryView(**row._mapping) for row in session.execute(stmt)]


def retry_failed(session: Session, row_id: int, *, now: datetime) -> DeliveryView:
    """Queue a failed delivery again, with its attempts counted from zero.
    LookupError when there is no such delivery; DeliveryStateError when it has
    not failed."""
    delivery = session.get(WebhookDelivery, row_id, with_for_update=True)
    if delivery is None:
        raise LookupError(f"no delivery {row_id}")
    if delivery.state != "failed":
        raise DeliveryStateError(delivery.state)
    delivery.state = "pending"
    delivery.attempts = 0
    delivery.available_at = now
    delivery.finished_at = None
    session.flush()
    return DeliveryView(**{c.key: getattr(delivery, c.key) for c in _VIEW_COLUMNS})
