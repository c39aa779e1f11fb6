"""Syncs asked for through the API: started in the background, answered at once
with a run id, and read back from the database (`SyncRun`) by any replica.

A request never waits for a tracker: `start` records the run and hands it to
the process's pool of sync threads; the run records its report (or its error)
when it ends. A source has at most one run at a time in this process: asking
again while one runs answers that run. A process that stops with a run in
flight leaves its row `running`; the next request for that source after
`STALE_AFTER` starts a new run.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from connectors.base import TrackerError
from service import db
from service.runtime.models import SyncRun
from service.triage.sync import SyncReport

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(hours=1)
"""A run still `running` after this long was left by a process that stopped."""

_REPORT: TypeAdapter[SyncReport] = TypeAdapter(SyncReport)


@dataclass(frozen=True, slots=True)
class RunView:
    """A sync run as the API answers it."""

    id: int
    source: str
    state: str  # running, ok, failed
    started_at: datetime
    finished_at: datetime | None
    report: dict[str, Any] | None
    error: str | None


def _view(run: SyncRun) -> RunView:
    return RunView(
        id=run.id,
        source=run.source,
        state=run.state,
        started_at=run.started_at,
        finished_at=run.finished_at,
        report=run.report,
        error=run.error,
    )


class SyncRuns:
    """The background syncs of one process."""

    def __init__(self, sessions: sessionmaker[Session], threads: int = 2) -> None:
        self._sessions = sessions
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="sync-run")
        self._lock = threading.Lock()

    def start(self, source: str, run: Callable[[], SyncReport]) -> RunView:
        """Record a run of `source` and start `run` (the sync) in the background;
        the running run of that source instead, when there is one."""
        now = db.utcnow()
        with self._lock, self._sessions.begin() as session:
            running = session.scalars(
                select(SyncRun)
                .where(
                    SyncRun.source == source,
                    SyncRun.state == "running",
                    SyncRun.started_at > now - STALE_AFTER,
                )
                .order_by(SyncRun.id.desc())
            ).first()
            if running is not None:
                return _view(running)
            record = SyncRun(source=source, state="running", started_at=now)
            session.add(record)
            session.flush()
            view = _view(record)
        self._pool.submit(self._run, view.id, source, run)
        return view

    def _run(self, run_id: int, name: str, run: Callable[[], SyncReport]) -> None:
        try:
            report = run()
        except TrackerError as exc:  # one line, no secrets (connectors scrub them)
            log.warning("sync run %d of %s failed: %s", run_id, name, exc)
            self._finish(run_id, "failed", None, str(exc))
            return
        except Exception as exc:
            log.exception("sync run %d of %s failed", run_id, name)
            self._finish(run_id, "failed", None, f"internal error ({type(exc).__name__}), logged")
            return
        state = "failed" if report.error else "ok"
        self._finish(run_id, state, _REPORT.dump_python(report, mode="json"), report.error)

    def _finish(
        self, run_id: int, state: str, report: dict[str, Any] | None, error: str | None
    ) -> None:
        with self._sessions.begin() as session:
            record = session.get_one(SyncRun, run_id)
            record.state = state
            record.finished_at = db.utcnow()
            record.report = report
            record.error = error

    def get(self, session: Session, source: str, run_id: int) -> RunView | None:
        record = session.get(SyncRun, run_id)
        return _view(record) if record is not None and record.source == source else None

    def stop(self) -> None:
        """Stop taking runs; those in flight end on their own (daemon-like)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
