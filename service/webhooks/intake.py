"""Receiving webhook deliveries: verify, parse, store in the inbox, group commit.

The HTTP edge (`service/api/routes/webhooks.py`) calls `check`, which checks
the signature (a pure function of the secret, the headers and the raw body)
before anything else and parses the delivery (`Connector.parse_webhook`, a
pure function of headers and body), then `Intake.store`, which inserts it into
the inbox with its delivery id as a unique key (a repeated delivery is
recognised and not processed again) and answers once the row is committed.
Handlers only run later, in the worker (`service.webhooks.inbox`).

Group commit: A request whose delivery passed `webhooks.check` waits here for its row to be
committed; it is answered only after that, as before. While one transaction
commits (in the thread pool), the deliveries that arrive meanwhile gather;
when it is done they go in the next, all in one statement and one commit
(`webhooks.store`). With one request in flight a delivery gets a transaction
of its own, as it would without this; under load the cost of a transaction,
a commit and a hand-off to the thread pool is shared by the requests that
arrived together (README, "Scaling out").

A transaction that fails on a row's values (a value the database refuses) is
tried again one delivery at a time, so the error reaches only the request whose
row caused it (the route answers 422); when the database itself fails
(unreachable, gone away) every request of the transaction gets the error at
once (503). Rows go in sorted by (tracker, delivery id), so two replicas
storing the same redeliveries cannot deadlock on each other.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Table, func
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, StatementError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from connectors import verify_webhook
from connectors.base import TrackerError
from service import db
from service.config import GitHubSource, JiraSource
from service.tickets.sources import SourceConnectors, SourceError
from service.webhooks.models import WebhookDelivery

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 5 * 1024 * 1024
# PostgreSQL: the channel a stored delivery is announced on (NOTIFY is sent at
# commit), so workers in other processes start on it at once
INBOX_CHANNEL = "backlog_sync_inbox"
TRACKERS = ("github", "jira")
_DROPPED_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})


_DELIVERY_HEADERS = {"github": "X-GitHub-Delivery", "jira": "X-Atlassian-Webhook-Identifier"}
"""The header that names a delivery, by tracker (for the refusal's message)."""


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
    jira = [c for c in candidates if isinstance(c, JiraSource)]
    if isinstance(key, str) and "-" in key:
        project = key.rsplit("-", 1)[0]
        for config in jira:
            if (config.project or "").upper() == project.upper():
                return config.name
    if key is None and isinstance(payload.get("issueLink"), dict) and len(jira) == 1:
        # an issue link event names its issues by id alone: the one Jira source
        # takes it, and leaves an issue of a project it does not cover alone
        # once it has read it (`JiraConnector.fetch_one`)
        return jira[0].name
    # a source with no project (a JQL of its own) may cover any project; a
    # delivery about a project that no source names belongs to none
    open_ended = [c for c in jira if not c.project]
    return open_ended[0].name if len(open_ended) == 1 else None


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
    if secret is not None and not verify_webhook(tracker, secret, lowered, body):
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
    if not event.delivery_id:
        # stored under "", every later delivery without one would be a "duplicate"
        header = _DELIVERY_HEADERS.get(tracker, "delivery id")
        raise WebhookRejected(400, "malformed", f"the delivery has no {header} header")
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


# deliveries per transaction at most (bodies may be up to webhooks.max_bytes each)
MAX_BATCH = 64


class Intake:
    """Stores checked deliveries for the requests of one event loop."""

    def __init__(self, sessions: sessionmaker[Session], max_batch: int = MAX_BATCH) -> None:
        self._sessions = sessions
        self._max_batch = max_batch
        self._waiting: list[tuple[Checked, asyncio.Future[Received]]] = []
        self._draining = False
        self._drainer: asyncio.Task[None] | None = None  # kept: the loop holds tasks weakly

    async def store(self, delivery: Checked) -> Received:
        """Store `delivery` (committed when this returns): accepted or duplicate.
        Raises the database's error when its row could not be stored."""
        future: asyncio.Future[Received] = asyncio.get_running_loop().create_future()
        self._waiting.append((delivery, future))
        if not self._draining:
            self._draining = True
            self._drainer = asyncio.get_running_loop().create_task(self._drain())
            self._drainer.add_done_callback(_log_failure)
        return await future

    async def _drain(self) -> None:
        batch: list[tuple[Checked, asyncio.Future[Received]]] = []
        try:
            while self._waiting:
                batch = self._waiting[: self._max_batch]
                del self._waiting[: self._max_batch]
                answers = await run_in_threadpool(self._commit, [d for d, _ in batch])
                for (_, future), answer in zip(batch, answers, strict=True):
                    if future.done():  # the client went away; its row is stored all the same
                        continue
                    if isinstance(answer, Exception):
                        future.set_exception(answer)
                    else:
                        future.set_result(answer)
        finally:
            self._draining = False
            # only when the loop is shutting down (cancelled): no answer will come
            for _, future in (*batch, *self._waiting):
                if not future.done():
                    future.cancel()
            self._waiting.clear()

    def _commit(self, batch: Sequence[Checked]) -> list[Received | Exception]:
        try:
            with self._sessions() as session, session.begin():
                return list(store(session, batch))
        except Exception as exc:  # noqa: BLE001 - any error goes to the requests it concerns
            if len(batch) == 1 or not refused_row(exc):
                # the database's failure (unreachable, gone away): every request
                # gets it now, not after one more attempt per row
                return [exc] * len(batch)
        return [self._commit([one])[0] for one in batch]


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("webhook intake stopped: %s", type(task.exception()).__name__)


def refused_row(exc: Exception) -> bool:
    """Whether a failed statement owes its failure to a row's values (a value
    the database refuses, a constraint): storing that row again fails again.
    Otherwise the database failed (unreachable, gone away, a deadlock)."""
    if isinstance(exc, DataError | IntegrityError):
        return True
    # an error raised before the statement reached the database (a value that
    # cannot be sent), not one the driver reported
    return isinstance(exc, StatementError) and not isinstance(exc, DBAPIError)
