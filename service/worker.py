"""The webhook worker: drains the inbox that `service.webhooks.receive` fills.

Any replica may drain: a batch is claimed with `FOR UPDATE SKIP LOCKED` on
PostgreSQL (SQLite has one writer at a time anyway) and held under a lease.
A delivery whose worker died keeps its `processing` state until its lease runs
out; then another worker takes it again. A delivery is finished in the same
transaction as its handlers' writes and only while its lease is still ours, so
its effects in the database happen once.

Failures are retried with exponential backoff, then the delivery is marked
`failed` (listed by GET /api/webhooks/deliveries?state=failed). Within one
process the receiving route wakes the worker at once (`wake`). On PostgreSQL
the receiving transaction also sends `NOTIFY backlog_sync_inbox`
(`service.webhooks.INBOX_CHANNEL`) and every worker LISTENs on it, so
deliveries stored by other replicas wake it at once too; polling
(`worker.poll_seconds`) remains the fallback, e.g. after a lost connection.

Each thread claims a few deliveries at a time (`worker.batch_size` shared by
the threads), so one transaction claims several rows; a claim is identified by
its lease owner and its attempt number, so a delivery whose lease ran out while
it waited in a batch, and was claimed again, is finished only by the new claim.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from connectors.base import TrackerError
from service.config import WorkerConfig
from service.inbox_models import WebhookDelivery
from service.metrics import Metrics
from service.scoring import Policy
from service.webhooks import INBOX_CHANNEL, HandlerContext, HandlerRegistry, SourceConnectors

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def retry_delay(attempts: int, config: WorkerConfig) -> float:
    """Seconds before try number `attempts + 1`: exponential, capped."""
    return float(min(config.retry_cap_seconds, config.retry_base_seconds * 2 ** (attempts - 1)))


def _error_text(exc: BaseException) -> str:
    # tracker errors are written to be shown; other errors are named, not echoed
    text = str(exc) if isinstance(exc, TrackerError) else type(exc).__name__
    return text[:500]


class InboxWorker:
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
        clock: Clock = _utcnow,
        threads: int = 4,
    ) -> None:
        self.sessions = sessions
        self.sources = sources
        self.handlers = handlers
        self.policy = policy
        self.config = config
        self.metrics = metrics
        self.worker_id = worker_id or new_worker_id()
        self.clock = clock
        # SQLite has one writer: threads would only wait for each other (or deadlock
        # upgrading read locks), so one thread drains it
        bind = sessions.kw.get("bind")
        is_sqlite = bind is not None and bind.dialect.name == "sqlite"
        self.threads = 1 if is_sqlite else threads
        self._listen_on: Engine | None = (
            bind if isinstance(bind, Engine) and bind.dialect.name == "postgresql" else None
        )
        # a thread claims its share of a batch, so the others find work too
        self.claim_size = max(1, config.batch_size // max(1, self.threads))
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    # --- running ------------------------------------------------------------------

    def wake(self) -> None:
        """Look at the inbox now (a delivery was just stored in this process)."""
        self._wake.set()

    def start(self) -> None:
        self._stop.clear()
        for n in range(self.threads):
            thread = threading.Thread(target=self._loop, name=f"inbox-worker-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)
        if self._listen_on is not None:
            thread = threading.Thread(target=self._listen, name="inbox-listener", daemon=True)
            thread.start()
            self._threads.append(thread)
        log.info("webhook worker %s started with %d threads", self.worker_id, self.threads)

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()
        log.info("webhook worker %s stopped", self.worker_id)

    def _listen(self) -> None:
        """LISTEN for deliveries stored by any process and wake the threads."""
        assert self._listen_on is not None
        while not self._stop.is_set():
            raw = None
            try:
                raw = self._listen_on.raw_connection()
                conn = raw.driver_connection
                if conn is None:
                    raise RuntimeError("no database connection")
                conn.autocommit = True
                conn.execute(f"LISTEN {INBOX_CHANNEL}")
                self._wake.set()  # anything stored while we were not listening
                while not self._stop.is_set():
                    for _ in conn.notifies(timeout=1.0, stop_after=1):
                        self._wake.set()
            except Exception as exc:  # noqa: BLE001 - polling goes on; listen again later
                log.warning("webhook worker: LISTEN failed: %s", type(exc).__name__)
                self._stop.wait(self.config.poll_seconds)
            finally:
                if raw is not None:
                    raw.invalidate()  # a listening connection does not go back to the pool

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                worked = self.run_once(limit=self.claim_size)
            except SQLAlchemyError as exc:
                log.warning("webhook worker: database error: %s", type(exc).__name__)
                worked = 0
            if worked:
                continue
            self._wake.wait(self.config.poll_seconds)
            self._wake.clear()

    # --- one pass -------------------------------------------------------------------

    def claim(self, limit: int) -> list[int]:
        """Take up to `limit` due deliveries under a lease; their ids."""
        return [row_id for row_id, _ in self._claim(limit)]

    def _claim(self, limit: int) -> list[tuple[int, int]]:
        """Take up to `limit` due deliveries under a lease; (id, attempt number) of each."""
        now = self.clock()
        with self.sessions() as session, session.begin():
            ids = list(
                session.scalars(
                    select(WebhookDelivery.id)
                    .where(
                        or_(
                            (WebhookDelivery.state == "pending")
                            & (WebhookDelivery.available_at <= now),
                            (WebhookDelivery.state == "processing")
                            & (WebhookDelivery.lease_expires_at < now),
                        )
                    )
                    .order_by(WebhookDelivery.available_at, WebhookDelivery.id)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
            )
            if not ids:
                return []
            claimed = session.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.id.in_(ids))
                .values(
                    state="processing",
                    lease_owner=self.worker_id,
                    lease_expires_at=now + timedelta(seconds=self.config.lease_seconds),
                    attempts=WebhookDelivery.attempts + 1,
                )
                .returning(WebhookDelivery.id, WebhookDelivery.attempts)
            ).all()
        order = {row_id: n for n, row_id in enumerate(ids)}
        return sorted(((row.id, row.attempts) for row in claimed), key=lambda r: order[r[0]])

    def run_once(self, limit: int | None = None) -> int:
        """Claim due deliveries and process them; how many were processed."""
        claimed = self._claim(limit or self.config.batch_size)
        for row_id, attempt in claimed:
            self.process(row_id, attempt)
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

    def process(self, row_id: int, attempt: int | None = None) -> None:
        """Run the handlers of one claimed delivery and finish it, in one transaction.

        `attempt` is the attempt number of our claim: when the delivery was
        claimed again since (our lease ran out), the newer claim decides."""
        with self.sessions() as session:
            delivery = session.get(WebhookDelivery, row_id)
            if delivery is None or delivery.lease_owner != self.worker_id:
                return
            if attempt is not None and delivery.attempts != attempt:
                return
            tracker, received_at, attempts = (
                delivery.tracker,
                delivery.received_at,
                delivery.attempts,
            )
            errors: list[str] = []
            try:
                connector = self.sources.get(delivery.source)
                event = connector.parse_webhook(delivery.headers, delivery.body)
            except Exception as exc:  # noqa: BLE001 - recorded on the delivery
                event = None
                errors.append(f"parse: {_error_text(exc)}")
            if event is not None:
                written = threading.Event()
                ctx = HandlerContext(
                    session=session,
                    connector=connector,
                    policy=self.policy,
                    now=self.clock(),
                    received_at=received_at,
                    on_labels_written=written.set,
                )
                for name, handler in self.handlers.for_event(event.event, event.action):
                    try:
                        with session.begin_nested():
                            handler(ctx, event)
                    except Exception as exc:  # noqa: BLE001 - one handler's failure stops no other
                        log.warning(
                            "webhook %s %s.%s: handler %s failed: %s",
                            delivery.delivery_id,
                            event.event,
                            event.action,
                            name,
                            _error_text(exc),
                        )
                        errors.append(f"{name}: {_error_text(exc)}")
            now = self.clock()
            if not errors:
                values: dict[str, object] = {
                    "state": "done",
                    "finished_at": now,
                    "last_error": None,
                }
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
            finished = session.execute(
                update(WebhookDelivery)
                .where(
                    WebhookDelivery.id == row_id,
                    WebhookDelivery.lease_owner == self.worker_id,
                    WebhookDelivery.attempts == attempts,
                )
                .values(**values)
                .returning(WebhookDelivery.id)
            ).first()
            if finished is None:
                # our lease ran out and another worker took the delivery: it decides
                session.rollback()
                return
            session.commit()
        self.metrics.webhook_processed.labels(tracker=tracker, outcome=outcome).inc()
        if event is not None and not errors and written.is_set():
            self.metrics.triage_latency.labels(tracker=tracker).observe(
                max(0.0, (now - received_at).total_seconds())
            )
