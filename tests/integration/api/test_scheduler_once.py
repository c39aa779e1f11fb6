"""Three schedulers (replicas, each with its own engine) share one database:
every occurrence of a job runs exactly once."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from service import db
from service.inbox_models import JobRun
from service.metrics import Metrics
from service.scheduler import JobScheduler
from tests.integration.api.conftest import wait_for


def test_each_occurrence_runs_once_across_three_replicas(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    runs: list[tuple[str, datetime]] = []
    lock = threading.Lock()
    replicas: list[JobScheduler] = []
    engines: list[Engine] = []
    for n in range(3):
        replica_engine = db.make_engine(engine.url)
        engines.append(replica_engine)
        scheduler = JobScheduler(
            db.make_sessionmaker(replica_engine), Metrics(), runner_id=f"replica-{n}"
        )

        def job(scheduled_for: datetime, name: str = f"replica-{n}") -> str:
            with lock:
                runs.append((name, scheduled_for))
            return "ran"

        scheduler.add_interval("tick", 1, job, kind="test")
        replicas.append(scheduler)
    try:
        for scheduler in replicas:
            scheduler.start()
        wait_for(lambda: len({when for _, when in runs}) >= 4, timeout=8.0)
    finally:
        for scheduler in replicas:
            scheduler.stop()
        for replica_engine in engines:
            replica_engine.dispose()
    per_occurrence = Counter(when for _, when in runs)
    assert per_occurrence and max(per_occurrence.values()) == 1, per_occurrence
    with sessions() as session:
        rows = session.scalars(select(JobRun).where(JobRun.job == "tick")).all()
    assert {r.scheduled_for for r in rows} == set(per_occurrence)
    assert all(r.outcome == "ok" for r in rows)
    assert len({name for name, _ in runs}) >= 1
