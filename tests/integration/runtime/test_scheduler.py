"""Three schedulers (replicas, each with its own engine; in threads, and in
processes against PostgreSQL) share one database: every occurrence of a job
runs exactly once, and the daily digest is delivered once per occurrence."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime
from multiprocessing import get_context
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier as BarrierType
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from service import db
from service.digest.models import DigestDelivery
from service.runtime.metrics import Metrics
from service.runtime.models import JobRun
from service.runtime.scheduler import JobScheduler, digest_job
from tests.integration.app_setup import make_settings, wait_for


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


def replica_process(
    url: str,
    runner: str,
    archive: str,
    occurrences: list[datetime],
    barrier: BarrierType,
    results: Queue[tuple[str, datetime, bool]],
) -> None:
    """One replica in a process of its own: for each occurrence, wait for the
    others, then try to run the daily digest job for it."""
    engine = db.make_engine(url)
    try:
        sessions = db.make_sessionmaker(engine)
        settings = make_settings(
            url,
            "http://127.0.0.1:9",
            digest={"channels": [{"type": "file", "name": "archive", "directory": archive}]},
        )
        scheduler = JobScheduler(sessions, Metrics(), runner_id=runner)
        job = digest_job(settings.digest(), sessions)
        for when in occurrences:
            barrier.wait(timeout=60)
            results.put((runner, when, scheduler.run_occurrence("digest", "digest", when, job)))
    finally:
        engine.dispose()


def test_the_daily_digest_runs_once_per_occurrence_across_three_processes(
    backend: str, database_url: str, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    if backend != "postgresql":
        pytest.skip("replicas in several processes share PostgreSQL")
    occurrences = [datetime(2025, 3, 3 + n, 8, 0, tzinfo=UTC) for n in range(3)]
    context = get_context("spawn")
    barrier = context.Barrier(3)
    results: Queue[tuple[str, datetime, bool]] = context.Queue()
    processes = [
        context.Process(
            target=replica_process,
            args=(database_url, f"replica-{n}", str(tmp_path), occurrences, barrier, results),
        )
        for n in range(3)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in range(3 * len(occurrences))]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0

    ran = Counter(when for _, when, mine in outcomes if mine)
    assert ran == Counter(occurrences)  # each occurrence run by exactly one replica
    assert len(list(tmp_path.glob("digest-*.md"))) == len(occurrences)  # and delivered once
    with sessions() as session:
        runs = session.scalars(select(JobRun).where(JobRun.job == "digest")).all()
        deliveries = session.scalars(select(DigestDelivery)).all()
    assert sorted(r.scheduled_for for r in runs) == occurrences
    assert all(r.outcome == "ok" for r in runs)
    assert [(d.channel, d.outcome, d.attempts) for d in deliveries] == [("archive", "sent", 1)] * 3
