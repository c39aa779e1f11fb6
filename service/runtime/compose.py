"""The one composition root: settings and policy read once, then the objects a
process runs (engine, sessions, metrics, the connectors of the configured
sources, the webhook handlers, the worker and the scheduler), built once.

`load` is what every edge calls first (CLI commands, `serve`): it reads the
environment and the YAML file, the scoring policy included (its section is
validated here, by its owner, so config.py stays a leaf), and reports every
problem at once. `build` assembles a `Service` for the roles a process runs;
the API app (`service.api.app.create_app`) and the headless server use it.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from service import db
from service.config import ConfigError, Settings, load_settings, problems
from service.runtime.metrics import Metrics
from service.runtime.scheduler import JobScheduler, build_scheduler
from service.runtime.sync_runs import SyncRuns
from service.runtime.worker import InboxWorker
from service.scoring import Policy, Verdict
from service.scoring.policy import policy_from_mapping
from service.tickets import store
from service.tickets.sources import SourceConnectors, legacy_name
from service.webhooks.handlers import HandlerRegistry, default_handlers
from service.webhooks.inbox import Inbox

log = logging.getLogger(__name__)

ROLES = ("api", "worker", "scheduler")
"""What a process may run: the HTTP API, the webhook worker, the scheduler."""

# Requests run in Starlette's thread pool (40 threads); each holds one database
# connection while it stores its delivery. SQLAlchemy's default pool keeps 5 and
# opens (and closes again) up to 10 more, so under load most requests paid for a
# new PostgreSQL connection. Keep enough open for the concurrent requests.
API_POOL_SIZE = 20
API_POOL_OVERFLOW = 20


def installed_version() -> str:
    """The installed package's version ("unknown" when run from a checkout not installed)."""
    try:
        return package_version("backlog-sync")
    except PackageNotFoundError:
        return "unknown"


def load(config_path: Path | None = None) -> tuple[Settings, Policy]:
    """The settings and the scoring policy; ConfigError, one line per problem."""
    settings = load_settings(config_path, also=[("policy", Policy)])
    return settings, policy_of(settings)


def policy_of(settings: Settings) -> Policy:
    """The scoring policy of the settings' `policy:` section (ConfigError when invalid)."""
    found = problems(Policy, settings.file.policy, settings.origin, prefix="policy")
    if found:
        raise ConfigError("\n".join(found))
    return policy_from_mapping(settings.file.policy)


def prepare_database(settings: Settings, engine: Engine) -> None:
    """Make sure of the schema (the embedded SQLite default migrates itself;
    SchemaError when PostgreSQL is behind), then give the configured sources'
    tickets stored under their old names (`github:OWNER/REPO`, `file:PATH`,
    `jira:NAME`) the configured name every answer now uses."""
    db.ensure_schema(engine)
    renames = {legacy_name(config): config.name for config in settings.file.sources}
    managed = policy_of(settings).labels.managed()
    with db.make_sessionmaker(engine).begin() as session:
        for name in store.adopt_sources(session, renames, managed):
            log.info("source %s: its tickets are now stored under its configured name", name)


def comment_verdicts(settings: Settings) -> frozenset[Verdict]:
    """The verdicts our tracker comment is written for (`comments.verdicts`)."""
    return frozenset(Verdict(name) for name in settings.file.comments.verdicts)


def check_roles(roles: Collection[str]) -> set[str]:
    """The roles as a set (all of them when none is given); ValueError for unknown ones."""
    chosen = set(roles) or set(ROLES)
    unknown = chosen - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {', '.join(sorted(unknown))} (use {', '.join(ROLES)})")
    return chosen


def make_engine(settings: Settings, roles: Collection[str], worker_threads: int) -> Engine:
    """The engine, its pool sized for the roles (PostgreSQL; SQLite needs none)."""
    if db.normalise_url(settings.database_url).get_backend_name() == "sqlite":
        return db.make_engine(settings.database_url)
    size = (API_POOL_SIZE if "api" in roles else 0) + (
        worker_threads + 2 if "worker" in roles else 0
    )
    return db.make_engine(
        settings.database_url, pool_size=max(size, 5), max_overflow=API_POOL_OVERFLOW
    )


@dataclass(slots=True)
class Service:
    """Everything one process runs, built once by `build`."""

    settings: Settings
    policy: Policy
    roles: frozenset[str]
    engine: Engine
    sessions: sessionmaker[Session]
    metrics: Metrics
    sources: SourceConnectors
    handlers: HandlerRegistry
    worker: InboxWorker | None = None
    scheduler: JobScheduler | None = None
    sync_runs: SyncRuns | None = None  # the API's background syncs

    def start(self) -> None:
        """Start the worker and the scheduler, for the roles that have them."""
        if self.worker is not None:
            self.worker.start()
        if self.scheduler is not None:
            self.scheduler.start()

    def stop(self) -> None:
        if self.sync_runs is not None:
            self.sync_runs.stop()
        if self.scheduler is not None:
            self.scheduler.stop()
        if self.worker is not None:
            self.worker.stop()


def build(
    settings: Settings,
    *,
    policy: Policy | None = None,
    roles: Collection[str] = ROLES,
    engine: Engine | None = None,
    sources: SourceConnectors | None = None,
    handlers: HandlerRegistry | None = None,
    worker_threads: int = 4,
) -> Service:
    """The service for `settings` and the roles this process runs. Nothing is
    started and the database is not touched yet (`Service.start`)."""
    chosen = frozenset(check_roles(roles))
    policy = policy if policy is not None else policy_of(settings)
    engine = engine if engine is not None else make_engine(settings, chosen, worker_threads)
    sessions = db.make_sessionmaker(engine)
    metrics = Metrics()
    service = Service(
        settings=settings,
        policy=policy,
        roles=chosen,
        engine=engine,
        sessions=sessions,
        metrics=metrics,
        sources=sources or SourceConnectors(settings, policy, observer=metrics),
        handlers=handlers or default_handlers(),
    )
    verdicts = comment_verdicts(settings)
    if "api" in chosen:
        service.sync_runs = SyncRuns(sessions)
    if "worker" in chosen:
        inbox = Inbox(
            sessions,
            service.sources,
            service.handlers,
            policy,
            settings.file.worker,
            metrics,
            comment_verdicts=verdicts,
        )
        service.worker = InboxWorker(inbox, threads=worker_threads)
    if "scheduler" in chosen:
        service.scheduler = build_scheduler(
            sessions,
            metrics,
            sources=service.sources,
            source_configs=settings.file.sources,
            sync_enabled=settings.file.schedules.sync_enabled,
            digest_config=settings.digest(),
            digest_schedule=settings.file.schedules.digest,
            policy=policy,
            comment_verdicts=verdicts,
        )
    return service
