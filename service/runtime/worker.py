"""The webhook worker's threads: they drain the inbox that `service.webhooks.intake`
fills, through `service.webhooks.inbox.Inbox` (claims, leases, processing).

Within one process the receiving route wakes the worker at once (`wake`). On
PostgreSQL the receiving statement also sends `NOTIFY backlog_sync_inbox`
(`service.webhooks.intake.INBOX_CHANNEL`) and every worker LISTENs on it, so
deliveries stored by other replicas wake it at once too; polling
(`worker.poll_seconds`) remains the fallback, e.g. after a lost connection.

A stored delivery wakes one waiting thread. Each thread claims a few
deliveries at a time (`worker.batch_size` shared by the threads); while its
claims come back full (a backlog) it wakes another thread and claims more at a
time, up to `worker.batch_size`. A separate thread renews the leases of the
deliveries in hand every third of `worker.lease_seconds`.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from service.webhooks.inbox import Inbox
from service.webhooks.intake import INBOX_CHANNEL

log = logging.getLogger(__name__)


class InboxWorker:
    """Threads that drain the webhook inbox (`inbox`) until stopped."""

    def __init__(self, inbox: Inbox, *, threads: int = 4) -> None:
        self.inbox = inbox
        self.config = config = inbox.config
        sessions = inbox.sessions
        # SQLite has one writer: threads would only wait for each other (or deadlock
        # upgrading read locks), so one thread drains it
        bind = sessions.kw.get("bind")
        is_sqlite = bind is not None and bind.dialect.name == "sqlite"
        self.threads = 1 if is_sqlite else threads
        self._listen_on: Engine | None = (
            bind if isinstance(bind, Engine) and bind.dialect.name == "postgresql" else None
        )
        # a thread claims its share of a batch, so the others find work too; while
        # claims come back full (a backlog), it claims more at a time, up to a batch
        self.claim_size = max(1, config.batch_size // max(1, self.threads))
        self._signal = threading.Condition()
        self._woken = 0  # wake-ups no thread has taken yet
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def worker_id(self) -> str:
        return self.inbox.worker_id

    def run_once(self, limit: int | None = None) -> int:
        """Claim due deliveries and process them; how many were processed."""
        return self.inbox.run_once(limit)

    def drain(self, deadline_seconds: float = 30.0) -> int:
        """Process until nothing is due (tests and one-shot runs)."""
        return self.inbox.drain(deadline_seconds)

    # --- running ------------------------------------------------------------------

    def wake(self) -> None:
        """Look at the inbox now (a delivery was just stored): one waiting thread
        claims; when its claim comes back full, it wakes another."""
        with self._signal:
            self._woken = min(self._woken + 1, self.threads)
            self._signal.notify()

    def _wait(self) -> None:
        """Until woken, or `worker.poll_seconds` at most."""
        with self._signal:
            if not self._woken and not self._stop.is_set():
                self._signal.wait(self.config.poll_seconds)
            self._woken = max(0, self._woken - 1)

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
        thread = threading.Thread(target=self._heartbeat, name="inbox-leases", daemon=True)
        thread.start()
        self._threads.append(thread)
        log.info("webhook worker %s started with %d threads", self.inbox.worker_id, self.threads)

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        with self._signal:
            self._signal.notify_all()
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()
        log.info("webhook worker %s stopped", self.inbox.worker_id)

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
                self.wake()  # anything stored while we were not listening
                while not self._stop.is_set():
                    for _ in conn.notifies(timeout=1.0, stop_after=1):
                        self.wake()
            except Exception as exc:  # noqa: BLE001 - polling goes on; listen again later
                log.warning("webhook worker: LISTEN failed: %s", type(exc).__name__)
                self._stop.wait(self.config.poll_seconds)
            finally:
                if raw is not None:
                    raw.invalidate()  # a listening connection does not go back to the pool

    def _loop(self) -> None:
        size = self.claim_size
        while not self._stop.is_set():
            try:
                worked = self.inbox.run_once(limit=size)
            except SQLAlchemyError as exc:
                log.warning("webhook worker: database error: %s", type(exc).__name__)
                worked = 0
            if worked >= size:
                # more is waiting: take more at a time, and let another thread help
                size = min(self.config.batch_size, size * 2)
                self.wake()
                continue
            size = self.claim_size
            if not worked:
                self._wait()

    def _heartbeat(self) -> None:
        """Renew the leases of the deliveries in hand, every third of a lease."""
        interval = max(0.2, self.config.lease_seconds / 3)
        while not self._stop.wait(interval):
            try:
                self.inbox.renew_leases()
            except SQLAlchemyError as exc:
                log.warning("webhook worker: cannot renew leases: %s", type(exc).__name__)
