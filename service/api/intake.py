"""Group commit for the webhook routes: checked deliveries stored together.

A request whose delivery passed `webhooks.check` waits here for its row to be
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
import logging
from collections.abc import Sequence

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, StatementError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from service import webhooks

log = logging.getLogger(__name__)

# deliveries per transaction at most (bodies may be up to webhooks.max_bytes each)
MAX_BATCH = 64


class Intake:
    """Stores checked deliveries for the requests of one event loop."""

    def __init__(self, sessions: sessionmaker[Session], max_batch: int = MAX_BATCH) -> None:
        self._sessions = sessions
        self._max_batch = max_batch
        self._waiting: list[tuple[webhooks.Checked, asyncio.Future[webhooks.Received]]] = []
        self._draining = False
        self._drainer: asyncio.Task[None] | None = None  # kept: the loop holds tasks weakly

    async def store(self, delivery: webhooks.Checked) -> webhooks.Received:
        """Store `delivery` (committed when this returns): accepted or duplicate.
        Raises the database's error when its row could not be stored."""
        future: asyncio.Future[webhooks.Received] = asyncio.get_running_loop().create_future()
        self._waiting.append((delivery, future))
        if not self._draining:
            self._draining = True
            self._drainer = asyncio.get_running_loop().create_task(self._drain())
            self._drainer.add_done_callback(_log_failure)
        return await future

    async def _drain(self) -> None:
        batch: list[tuple[webhooks.Checked, asyncio.Future[webhooks.Received]]] = []
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

    def _commit(self, batch: Sequence[webhooks.Checked]) -> list[webhooks.Received | Exception]:
        try:
            with self._sessions() as session, session.begin():
                return list(webhooks.store(session, batch))
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
