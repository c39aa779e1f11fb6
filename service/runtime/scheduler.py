"""Scheduled jobs (APScheduler 3): a sync per source, the daily digest, and
every few minutes the resumption of digest deliveries a crash cut short.

Every replica runs the same BackgroundScheduler; the database decides who runs
each occurrence. Before running, an occurrence inserts the row (job, scheduled
time) into `job_runs` with INSERT ... ON CONFLICT DO NOTHING: the replica whose
insert created the row runs it, the others skip. Interval triggers are anchored
at a fixed instant so every replica computes the same scheduled times.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from connectors.base import TrackerError
from service import db, digest
from service.config import DigestConfig, DigestSchedule, SourceConfig
from service.runtime.metrics import Metrics
from service.runtime.models import JobRun
from service.scoring import DEFAULT_POLICY, Policy, Verdict
from service.tickets.sources import SourceConnectors
from service.triage import sync
from service.webhooks.inbox import new_worker_id

log = logging.getLogger(__name__)

ANCHOR = datetime(2024, 1, 1, tzinfo=UTC)
"""Interval jobs fire at ANCHOR + n * interval on every replica."""

MISFIRE_GRACE_SECONDS = 300
JobFunction = Callable[[datetime], str | None]
"""A job's body: given its scheduled time, returns a short detail line (or None)."""


def claim_occurrence(
    session: Session, job: str, scheduled_for: datetime, runner: str, now: datetime
) -> bool:
    """Insert the (job, scheduled_for) row; True when this caller created it."""
    row = {
        "job": job,
        "scheduled_for": scheduled_for,
        "runner": runner,
        "started_at": now,
        "outcome": "running",
    }
    return bool(db.insert_ignore(session, JobRun, row, JobRun.job))


def latest_fire_time(trigger: Any, now: datetime, lookback: timedelta) -> datetime | None:
    """The trigger's last fire time at or before `now`, looking back at most `lookback`."""
    fire: datetime | None = trigger.get_next_fire_time(None, now - lookback)
    last = None
    while fire is not None and fire <= now:
        last = fire
        fire = trigger.get_next_fire_time(last, last + timedelta(microseconds=1))
    return last


class JobScheduler:
    """A BackgroundScheduler whose every occurrence runs once across replicas."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        metrics: Metrics,
        *,
        runner_id: str | None = None,
        clock: Callable[[], datetime] = db.utcnow,
    ) -> None:
        self.sessions = sessions
        self.metrics = metrics
        self.runner_id = runner_id or new_worker_id()
        self.clock = clock
        self._scheduler = BackgroundScheduler(timezone=UTC)
        self.jobs: dict[str, str] = {}  # name -> description

    def add_interval(self, name: str, seconds: float, run: JobFunction, kind: str) -> None:
        trigger = IntervalTrigger(seconds=seconds, start_date=ANCHOR, timezone=UTC)
        self._add(name, trigger, timedelta(seconds=min(seconds, MISFIRE_GRACE_SECONDS)), run, kind)
        self.jobs[name] = f"every {seconds:g} s"

    def add_cron(self, name: str, cron: str, timezone: str, run: JobFunction, kind: str) -> None:
        trigger = CronTrigger.from_crontab(cron, timezone=timezone)
        self._add(name, trigger, timedelta(seconds=MISFIRE_GRACE_SECONDS), run, kind)
        self.jobs[name] = f"cron {cron} {timezone}"

    def _add(
        self, name: str, trigger: Any, lookback: timedelta, run: JobFunction, kind: str
    ) -> None:
        def occurrence() -> None:
            scheduled = latest_fire_time(trigger, self.clock(), lookback)
            if scheduled is not None:
                self.run_occurrence(name, kind, scheduled, run)

        self._scheduler.add_job(
            occurrence,
            trigger,
            id=name,
            name=name,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
        )

    def run_occurrence(
        self, name: str, kind: str, scheduled_for: datetime, run: JobFunction
    ) -> bool:
        """Claim and run one occurrence; False when another replica has it."""
        with self.sessions() as session, session.begin():
            mine = claim_occurrence(session, name, scheduled_for, self.runner_id, self.clock())
        if not mine:
            self.metrics.job_runs.labels(job=kind, outcome="taken").inc()
            return False
        outcome, detail = "ok", None
        try:
            detail = run(scheduled_for)
        except (TrackerError, JobFailedError) as exc:
            outcome, detail = "failed", str(exc)
            log.warning("job %s at %s failed: %s", name, scheduled_for.isoformat(), exc)
        except Exception as exc:
            outcome, detail = "failed", type(exc).__name__
            log.exception("job %s at %s failed", name, scheduled_for.isoformat())
        with self.sessions() as session, session.begin():
            session.execute(
                update(JobRun)
                .where(JobRun.job == name, JobRun.scheduled_for == scheduled_for)
                .values(outcome=outcome, finished_at=self.clock(), detail=detail)
            )
        self.metrics.job_runs.labels(job=kind, outcome=outcome).inc()
        return True

    def start(self) -> None:
        self._scheduler.start()
        for name, description in sorted(self.jobs.items()):
            log.info("scheduled job %s: %s", name, description)

    def stop(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=True)


class JobFailedError(Exception):
    """A job body that failed in a way it explained (one line, no secrets)."""


def sync_job(
    sessions: sessionmaker[Session],
    sources: SourceConnectors,
    name: str,
    policy: Policy,
    comment_verdicts: frozenset[Verdict],
) -> JobFunction:
    def run(scheduled_for: datetime) -> str | None:
        connector = sources.get(name)
        report = sync.sync_source(
            sessions, connector, policy, dry_run=False, comment_verdicts=comment_verdicts
        )
        if report.error:
            raise JobFailedError(report.error)
        return (
            f"{report.seen} seen, {report.changed} changed, "
            f"{len(report.newly_ready)} newly ready, {report.labels_written} label writes"
        )

    return run


def digest_job(
    config: DigestConfig,
    sessions: sessionmaker[Session],
    target_hours: float = DEFAULT_POLICY.target_hours,
) -> JobFunction:
    """The daily digest for the occurrence's scheduled time (see `digest.run_scheduled`)."""

    def run(scheduled_for: datetime) -> str | None:
        try:
            summary = digest.run_scheduled(
                sessions, config, scheduled_for, target_hours=target_hours
            )
        except digest.DigestDeliveryError as exc:
            raise JobFailedError(str(exc)) from exc
        return summary[:500]

    return run


DIGEST_RESUME_SECONDS = 300
"""How often a replica looks for digest deliveries that a crash cut short."""


def digest_resume_job(config: DigestConfig, sessions: sessionmaker[Session]) -> JobFunction:
    """Finish the deliveries of digests whose run was cut short (a crash between
    claiming a channel and recording its outcome): `digest.resume_interrupted`."""

    def run(scheduled_for: datetime) -> str | None:
        results = digest.resume_interrupted(sessions, config)
        if not results:
            return None
        summary = "; ".join(r.summary() for r in results)[:500]
        if all(r.outcomes and not any(o.ok for o in r.outcomes) for r in results):
            raise JobFailedError(summary)
        return summary

    return run


def build_scheduler(
    sessions: sessionmaker[Session],
    metrics: Metrics,
    *,
    sources: SourceConnectors,
    source_configs: Sequence[SourceConfig],
    sync_enabled: bool,
    digest_config: DigestConfig,
    digest_schedule: DigestSchedule,
    policy: Policy,
    comment_verdicts: frozenset[Verdict],
) -> JobScheduler:
    """The service's jobs: a sync per configured source, the daily digest and the
    resumption of its interrupted deliveries."""
    scheduler = JobScheduler(sessions, metrics)
    if sync_enabled:
        for source in source_configs:
            scheduler.add_interval(
                f"sync:{source.name}",
                source.sync_interval_minutes * 60,
                sync_job(sessions, sources, source.name, policy, comment_verdicts),
                kind="sync",
            )
    if digest_schedule.enabled:
        scheduler.add_cron(
            "digest",
            digest_schedule.cron,
            digest_schedule.timezone,
            digest_job(digest_config, sessions, policy.target_hours),
            kind="digest",
        )
        scheduler.add_interval(
            "digest:resume",
            DIGEST_RESUME_SECONDS,
            digest_resume_job(digest_config, sessions),
            kind="digest_resume",
        )
    return scheduler
