"""The webhook inbox as a state machine: deliveries claimed under a lease,
processed through the one round trip, and finished (done, retry, failed).

Any replica may drain: deliveries are claimed with `FOR UPDATE SKIP LOCKED` on
PostgreSQL (SQLite has one writer at a time anyway) and held under a lease,
renewed (`renew_leases`) while they are in hand, so a slow tracker call does
not lose them. A delivery whose worker died keeps its `processing` state until
its lease runs out; then another worker takes it again. A claim is identified
by its lease owner and its attempt number, so a delivery whose lease ran out
and was claimed again is finished only by the new claim.

Deliveries are processed as sync processes a page, through
`service.triage.writeback.refresh_tickets`:

1. the handlers record the work (no database work, no tracker call);
2. a ticket whose payload is incomplete is fetched, with no transaction open;
3. the tickets are triaged and committed, only while the leases are ours;
4. their labels and our comment are written to the tracker, with no
   transaction open;
5. the writes are recorded and the deliveries finished, in one transaction,
   again only for the deliveries still ours.

So their effects in the database happen once. A crash after 3 leaves the
deliveries `processing` until their lease runs out; the retry triages the
tickets again (unchanged: nothing is stored twice) and their label plans,
computed from the labels the tracker shows, still ask for the labels missing,
which are then written. A crash after 4 writes the same labels again on the
retry (label writes are idempotent).

Consecutive claimed deliveries of one source whose work is only triage go
through these steps together (a few statements per delivery, two commits per
batch); a batch that fails is processed again one delivery at a time, so the
failure is recorded on the delivery it belongs to. Any other delivery (a
deletion) is processed alone. Failures are retried with exponential backoff,
then the delivery is marked `failed` (`service.webhooks.deliveries` lists
deliveries for operators and queues a failed one again).

The threads that drive this live in `service.runtime.worker`.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import ColumnElement, Engine, and_, or_, select, tuple_, update
from sqlalchemy.orm import Session, sessionmaker

from connectors.base import Connector, NotFoundError, Ticket, TrackerError, WebhookEvent
from connectors.retry import exponential
from service import db
from service.config import WorkerConfig
from service.runtime.metrics import Metrics
from service.scoring import Policy, Verdict
from service.tickets.sources import SourceConnectors
from service.triage import writeback
from service.triage.pipeline import mark_deleted
from service.webhooks.handlers import Forget, HandlerContext, HandlerRegistry, Refresh, Work
from service.webhooks.models import WebhookDelivery

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def new_worker_id() -> str:
    """A name for this process's claims: host, process id and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def retry_delay(attempts: int, config: WorkerConfig) -> float:
    """Seconds before try number `attempts + 1`: the one backoff, capped."""
    return exponential(attempts, config.retry_base_seconds, config.retry_cap_seconds)


# a delivery in hand longer than this many leases is no longer renewed: its
# thread is stuck, and another worker may take it once the lease runs out
HOLD_LIMIT_LEASES = 10


class LeaseLost(Exception):
    """Deliveries are no longer ours (our lease ran out and they were claimed again)."""

    def __init__(self, rows: set[int]) -> None:
        super().__init__(f"deliveries {sorted(rows)} were claimed again")
        self.rows = rows


_Values = dict[str, object]


@dataclass(frozen=True, slots=True)
class _Claim:
    row_id: int
    attempts: int


@dataclass(frozen=True, slots=True)
class _Delivery:
    """A claimed delivery, with what processing it needs."""

    claim: _Claim
    tracker: str
    delivery_id: str
    source: str
    headers: dict[str, str]
    body: bytes
    received_at: datetime

    @property
    def row_id(self) -> int:
        return self.claim.row_id


@dataclass(slots=True)
class _Prepared:
    """A claimed delivery, parsed, with the work its handlers recorded and what
    became of it."""

    delivery: _Delivery
    connector: Connector | None = None
    event: WebhookEvent | None = None
    work: list[tuple[str, Work]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    writes: list[writeback.TrackerWrite] = field(default_factory=list)

    @property
    def refreshes_only(self) -> bool:
        return all(isinstance(item, Refresh) for _, item in self.work)


def _error_text(exc: BaseException) -> str:
    # tracker errors are written to be shown; other errors are named, not echoed
    text = str(exc) if isinstance(exc, TrackerError) else type(exc).__name__
    return text[:500]


def _failed(item: Refresh, done: writeback.Refreshed) -> bool:
    """Whether the refresh failed: it met a tracker error, other than a ticket not
    found for work that allows it (`Refresh.missing_ok`)."""
    if done.error is None:
        return False
    gone = done.result is None and isinstance(done.error, NotFoundError)
    return not (gone and item.missing_ok)


class Inbox:
    """Claims, processes and finishes deliveries for one worker (`worker_id`)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        sources: SourceConnectors,
        handlers: HandlerRegistry,
        policy: Policy,
        config: WorkerConfig,
        metrics: Metrics,
        *,
        worker_id: str | None = None,
        clock: Clock = db.utcnow,
        comment_verdicts: frozenset[Verdict] = frozenset(),
    ) -> None:
        self.sessions = sessions
        self.sources = sources
        self.handlers = handlers
        self.policy = policy
        self.config = config
        self.metrics = metrics
        self.worker_id = worker_id or new_worker_id()
        self.clock = clock
        self.comment_verdicts = comment_verdicts
        # deliveries claimed and not yet finished: id -> (attempt, monotonic claim time)
        self._held: dict[int, tuple[int, float]] = {}
        self._held_lock = threading.Lock()

    def renew_leases(self) -> int:
        """Extend the lease of every delivery this worker holds; how many were extended.
        Rows locked by the thread finishing them are skipped (it renews them itself)."""
        limit = HOLD_LIMIT_LEASES * self.config.lease_seconds
        started = time.monotonic()
        with self._held_lock:
            ids = sorted(i for i, (_, t) in self._held.items() if started - t < limit)
        if not ids:
            return 0
        now = self.clock()
        with self.sessions() as session, session.begin():
            mine = (
                select(WebhookDelivery.id)
                .where(
                    WebhookDelivery.id.in_(ids),
                    WebhookDelivery.lease_owner == self.worker_id,
                    WebhookDelivery.state == "processing",
                )
                .with_for_update(skip_locked=True)
            )
            renewed = session.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.id.in_(mine.scalar_subquery()))
                .values(lease_expires_at=now + timedelta(seconds=self.config.lease_seconds))
                .returning(WebhookDelivery.id)
            ).all()
        return len(renewed)

    # --- one pass -------------------------------------------------------------------

    def claim(self, limit: int) -> list[_Delivery]:
        """Take up to `limit` due deliveries under a lease, oldest first, in one
        statement that also reads what processing them needs."""
        now = self.clock()
        due = (
            select(WebhookDelivery.id)
            .where(
                or_(
                    (WebhookDelivery.state == "pending") & (WebhookDelivery.available_at <= now),
                    (WebhookDelivery.state == "processing")
                    & (WebhookDelivery.lease_expires_at < now),
                )
            )
            .order_by(WebhookDelivery.available_at, WebhookDelivery.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        with self.sessions() as session, session.begin():
            rows = session.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.id.in_(due.scalar_subquery()))
                .values(
                    state="processing",
                    lease_owner=self.worker_id,
                    lease_expires_at=now + timedelta(seconds=self.config.lease_seconds),
                    attempts=WebhookDelivery.attempts + 1,
                )
                .returning(
                    WebhookDelivery.id,
                    WebhookDelivery.attempts,
                    WebhookDelivery.tracker,
                    WebhookDelivery.delivery_id,
                    WebhookDelivery.source,
                    WebhookDelivery.headers,
                    WebhookDelivery.body,
                    WebhookDelivery.received_at,
                    WebhookDelivery.available_at,
                )
            ).all()
        claimed = [
            _Delivery(
                _Claim(r.id, r.attempts),
                r.tracker,
                r.delivery_id,
                r.source,
                r.headers,
                r.body,
                r.received_at,
            )
            for r in sorted(rows, key=lambda r: (r.available_at, r.id))
        ]
        taken = time.monotonic()
        with self._held_lock:
            for d in claimed:
                self._held[d.row_id] = (d.claim.attempts, taken)
        return claimed

    def run_once(self, limit: int | None = None) -> int:
        """Claim due deliveries and process them; how many were processed."""
        claimed = self.claim(limit or self.config.batch_size)
        try:
            self.process(claimed)
        finally:
            with self._held_lock:
                for d in claimed:
                    if self._held.get(d.row_id, (None,))[0] == d.claim.attempts:
                        del self._held[d.row_id]
        return len(claimed)

    def drain(self, deadline_seconds: float = 30.0) -> int:
        """Process until nothing is due (tests and one-shot runs)."""
        done = 0
        end = self.clock() + timedelta(seconds=deadline_seconds)
        while self.clock() < end:
            n = self.run_once()
            if not n:
                break
            done += n
        return done

    # --- processing -------------------------------------------------------------------

    def process(self, deliveries: Sequence[_Delivery]) -> None:
        """Process claimed deliveries in order (see the module's description).

        Consecutive deliveries of one source whose handlers only ask for tickets
        to be triaged are processed together: one transaction triages them all,
        one records their label writes and finishes them. Any other delivery
        is processed alone. When our lease on a delivery ran out and another
        worker claimed it again, the newer claim decides: nothing of ours about
        it is committed."""
        group: list[_Prepared] = []
        for delivery in deliveries:
            prepared = self._prepare(delivery)
            if group and (
                not prepared.refreshes_only or prepared.delivery.source != group[0].delivery.source
            ):
                self._process_group(group)
                group = []
            if prepared.refreshes_only:
                group.append(prepared)
            else:
                self._process_alone(prepared)
        if group:
            self._process_group(group)

    def _prepare(self, delivery: _Delivery) -> _Prepared:
        """Parse the delivery and run its handlers: the work they record."""
        prepared = _Prepared(delivery)
        try:
            prepared.connector = self.sources.get(delivery.source)
            prepared.event = prepared.connector.parse_webhook(delivery.headers, delivery.body)
        except Exception as exc:  # noqa: BLE001 - recorded on the delivery
            prepared.errors.append(f"parse: {_error_text(exc)}")
        if prepared.connector is not None and prepared.event is not None:
            prepared.work = self._run_handlers(
                prepared.connector,
                prepared.event,
                delivery.received_at,
                delivery.delivery_id,
                prepared.errors,
            )
        return prepared

    def _run_handlers(
        self,
        connector: Connector,
        event: WebhookEvent,
        received_at: datetime,
        delivery_id: str,
        errors: list[str],
    ) -> list[tuple[str, Work]]:
        """The work the handlers record, each item once, with the handler's name.
        A failed handler's work is dropped and its error recorded."""
        ctx = HandlerContext(
            connector=connector, policy=self.policy, now=self.clock(), received_at=received_at
        )
        work: list[tuple[str, Work]] = []
        seen: set[tuple[type, str]] = set()
        for name, handler in self.handlers.for_event(event.event, event.action):
            before = len(ctx.work)
            try:
                handler(ctx, event)
            except Exception as exc:  # noqa: BLE001 - one handler's failure stops no other
                del ctx.work[before:]
                log.warning(
                    "webhook %s %s.%s: handler %s failed: %s",
                    delivery_id,
                    event.event,
                    event.action,
                    name,
                    _error_text(exc),
                )
                errors.append(f"{name}: {_error_text(exc)}")
                continue
            for item in ctx.work[before:]:
                if (type(item), item.key) not in seen:
                    seen.add((type(item), item.key))
                    work.append((name, item))
        return work

    @contextmanager
    def _session(self) -> Iterator[Session]:
        """A session on one connection, kept for all the transactions of a unit of
        work (no transaction is open while the tracker is called)."""
        bind = self.sessions.kw.get("bind")
        if not isinstance(bind, Engine):
            raise TypeError("the worker's sessions must be bound to an engine")
        with bind.connect() as connection, self.sessions(bind=connection) as session:
            yield session

    def _process_group(self, group: list[_Prepared]) -> None:
        """Deliveries of one source whose work is only tickets to refresh: one
        `refresh_tickets` for all, then one transaction records and finishes them.
        When that fails, each delivery is processed alone, so the failure is
        recorded on the one it belongs to."""
        with self._session() as session:
            failed = self._refresh_and_finish(session, group)
        for prepared in failed:
            self._process_group([prepared])

    def _refresh_and_finish(self, session: Session, pending: list[_Prepared]) -> list[_Prepared]:
        """The deliveries to process again one by one (when the batch failed)."""
        connector = pending[0].connector
        while True:
            wanted: list[Ticket | str] = []
            owners: list[tuple[_Prepared, str, Refresh]] = []
            for prepared in pending:
                for name, item in prepared.work:
                    assert isinstance(item, Refresh)
                    wanted.append(item.ticket if item.ticket is not None else item.key)
                    owners.append((prepared, name, item))
            if not wanted:
                break
            assert connector is not None
            claims = [p.delivery.claim for p in pending]
            try:
                refreshed = writeback.refresh_tickets(
                    session,
                    connector,
                    self.policy,
                    wanted,
                    now=self.clock(),
                    commit=partial(self._hold, session, claims),
                    retry=any(c.attempts > 1 for c in claims),
                    comment_verdicts=self.comment_verdicts,
                )
            except LeaseLost as exc:
                pending = [p for p in pending if p.delivery.row_id not in exc.rows]
                continue
            except Exception as exc:  # noqa: BLE001 - recorded on the delivery
                session.rollback()
                if len(pending) > 1:
                    log.info("webhook worker: a batch failed; its deliveries go one by one")
                    return pending
                prepared, name, _ = owners[0]
                log.warning(
                    "webhook %s: %s failed: %s",
                    prepared.delivery.delivery_id,
                    name,
                    _error_text(exc),
                )
                prepared.errors.append(f"{name}: {_error_text(exc)}")
                break
            for (prepared, name, item), done in zip(owners, refreshed, strict=True):
                prepared.writes.extend(done.writes)
                if done.error is not None and _failed(item, done):
                    prepared.errors.append(f"{name}: {_error_text(done.error)}")
            break
        self._finish(session, pending)
        return []

    def _process_alone(self, prepared: _Prepared) -> None:
        """A delivery with work other than refreshes, one item after the other."""
        connector = prepared.connector
        claims = [prepared.delivery.claim]
        with self._session() as session:
            try:
                for index, (name, item) in enumerate(prepared.work):
                    assert connector is not None
                    if index:
                        # the earlier work's records, before the tracker is read again
                        self._hold(session, claims)
                    try:
                        if isinstance(item, Forget):
                            mark_deleted(session, connector.source, item.key, now=self.clock())
                            continue
                        [done] = writeback.refresh_tickets(
                            session,
                            connector,
                            self.policy,
                            [item.ticket if item.ticket is not None else item.key],
                            now=self.clock(),
                            commit=partial(self._hold, session, claims),
                            retry=prepared.delivery.claim.attempts > 1,
                            comment_verdicts=self.comment_verdicts,
                        )
                    except LeaseLost:
                        raise
                    except Exception as exc:  # noqa: BLE001 - recorded on the delivery
                        session.rollback()
                        log.warning(
                            "webhook: %s for %s failed: %s", name, item.key, _error_text(exc)
                        )
                        prepared.errors.append(f"{name}: {_error_text(exc)}")
                        continue
                    prepared.writes.extend(done.writes)
                    if done.error is not None and _failed(item, done):
                        prepared.errors.append(f"{name}: {_error_text(done.error)}")
            except LeaseLost:
                return
            self._finish(session, [prepared])

    def _ours(self, claims: Sequence[_Claim]) -> ColumnElement[bool]:
        """The deliveries of these claims, while they are still ours."""
        if len(claims) == 1:
            return and_(
                WebhookDelivery.id == claims[0].row_id,
                WebhookDelivery.attempts == claims[0].attempts,
                WebhookDelivery.lease_owner == self.worker_id,
            )
        return and_(
            tuple_(WebhookDelivery.id, WebhookDelivery.attempts).in_(
                [(c.row_id, c.attempts) for c in claims]
            ),
            WebhookDelivery.lease_owner == self.worker_id,
        )

    def _hold(self, session: Session, claims: Sequence[_Claim]) -> None:
        """Renew our lease on the deliveries and commit the session's transaction;
        LeaseLost (rolled back) when one is no longer ours. The rows stay locked
        until the commit, so no other worker can take them in between."""
        held = set(
            session.scalars(
                update(WebhookDelivery)
                .where(self._ours(claims))
                .values(
                    lease_expires_at=self.clock() + timedelta(seconds=self.config.lease_seconds)
                )
                .returning(WebhookDelivery.id)
            )
        )
        if len(held) < len(claims):
            session.rollback()
            raise LeaseLost({c.row_id for c in claims} - held)
        session.commit()

    def _outcome(self, errors: list[str], attempts: int, now: datetime) -> tuple[str, _Values]:
        if not errors:
            values: _Values = {"state": "done", "finished_at": now, "last_error": None}
            outcome = "done"
        elif attempts >= self.config.max_attempts:
            values = {"state": "failed", "finished_at": now, "last_error": "; ".join(errors)}
            outcome = "failed"
        else:
            delay = retry_delay(attempts, self.config)
            values = {
                "state": "pending",
                "available_at": now + timedelta(seconds=delay),
                "last_error": "; ".join(errors),
            }
            outcome = "retry"
        values.update(lease_owner=None, lease_expires_at=None)
        return outcome, values

    def _finish(self, session: Session, prepared: list[_Prepared]) -> None:
        """Finish the deliveries in the transaction that holds the records of their
        label writes, only while they are ours: those claimed again by another
        worker are left to it (their records are not kept)."""
        now = self.clock()
        while prepared:
            outcomes = [self._outcome(p.errors, p.delivery.claim.attempts, now) for p in prepared]
            finished: set[int] = set()
            done = [
                p.delivery.claim
                for p, (o, _) in zip(prepared, outcomes, strict=True)
                if o == "done"
            ]
            if done:
                _, values = self._outcome([], 0, now)  # the values of a success
                finished |= set(
                    session.scalars(
                        update(WebhookDelivery)
                        .where(self._ours(done))
                        .values(**values)
                        .returning(WebhookDelivery.id)
                    )
                )
            for p, (outcome, values) in zip(prepared, outcomes, strict=True):
                if outcome != "done":
                    finished |= set(
                        session.scalars(
                            update(WebhookDelivery)
                            .where(self._ours([p.delivery.claim]))
                            .values(**values)
                            .returning(WebhookDelivery.id)
                        )
                    )
            if len(finished) < len(prepared):
                # some were claimed again: undo, and record and finish only ours
                session.rollback()
                prepared = [p for p in prepared if p.delivery.row_id in finished]
                writeback.record_writes(session, [w for p in prepared for w in p.writes], now=now)
                continue
            session.commit()
            break
        else:
            return  # none was ours any more
        for p, (outcome, _) in zip(prepared, outcomes, strict=True):
            tracker = p.delivery.tracker
            self.metrics.webhook_processed.labels(tracker=tracker, outcome=outcome).inc()
            if outcome == "done" and p.writes:
                self.metrics.triage_latency.labels(tracker=tracker).observe(
                    max(0.0, (now - p.delivery.received_at).total_seconds())
                )
