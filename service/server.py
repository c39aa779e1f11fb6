"""`serve`: run the service in this process: the API (uvicorn), the webhook
worker and the scheduler, all three by default (the embedded SQLite setup),
or only some roles to split them across processes or replicas.
"""

from __future__ import annotations

import gc
import logging
import signal
import threading
from collections.abc import Collection

import uvicorn
from sqlalchemy import Engine

from service import db
from service.api.app import ROLES, create_app
from service.config import Settings
from service.metrics import Metrics
from service.scheduler import build_scheduler
from service.webhooks import SourceConnectors, default_handlers
from service.worker import InboxWorker

log = logging.getLogger(__name__)


# Requests run in Starlette's thread pool (40 threads); each holds one database
# connection while it stores its delivery. SQLAlchemy's default pool keeps 5 and
# opens (and closes again) up to 10 more, so under load most requests paid for a
# new PostgreSQL connection. Keep enough open for the concurrent requests.
API_POOL_SIZE = 20
API_POOL_OVERFLOW = 20


def _engine(settings: Settings, roles: set[str], worker_threads: int) -> Engine:
    if db.normalise_url(settings.database_url).get_backend_name() == "sqlite":
        return db.make_engine(settings.database_url)
    size = (API_POOL_SIZE if "api" in roles else 0) + (
        worker_threads + 2 if "worker" in roles else 0
    )
    return db.make_engine(
        settings.database_url,
        pool_size=max(size, 5),
        max_overflow=API_POOL_OVERFLOW,
    )


def _freeze_startup_heap() -> None:
    """Leave what start-up built (modules, the app, settings: some 150,000
    objects) out of the garbage collector's full collections from now on.
    Scanning it takes 80-100 ms, during which every request in the process
    waits; a service under load runs one every few seconds."""
    gc.collect()
    gc.freeze()


def serve(
    settings: Settings,
    roles: Collection[str],
    host: str,
    port: int,
    *,
    worker_threads: int = 4,
) -> None:
    """Run until interrupted. With "api" in `roles`, uvicorn serves the app and
    the app's lifespan runs the worker and scheduler roles; without it, the
    worker and scheduler run headless. `worker_threads` threads drain the
    webhook inbox (one on SQLite)."""
    roles = set(roles) or set(ROLES)
    unknown = roles - ROLES
    if unknown:
        raise ValueError(
            f"unknown roles: {', '.join(sorted(unknown))} (use api, worker, scheduler)"
        )
    engine = _engine(settings, roles, worker_threads)
    if "api" in roles:
        app = create_app(settings, roles=roles, engine=engine, worker_threads=worker_threads)
        log.info("serving roles %s on http://%s:%d", ",".join(sorted(roles)), host, port)
        _freeze_startup_heap()
        uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)
        return
    _serve_headless(settings, roles, engine, worker_threads)


def _serve_headless(
    settings: Settings, roles: set[str], engine: Engine, worker_threads: int
) -> None:
    db.ensure_schema(engine)
    sessions = db.make_sessionmaker(engine)
    metrics = Metrics()
    sources = SourceConnectors(settings)
    worker = (
        InboxWorker(
            sessions,
            sources,
            default_handlers(),
            settings.policy,
            settings.file.worker,
            metrics,
            threads=worker_threads,
        )
        if "worker" in roles
        else None
    )
    scheduler = (
        build_scheduler(settings, sessions, sources, metrics) if "scheduler" in roles else None
    )
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    _freeze_startup_heap()
    if worker is not None:
        worker.start()
    if scheduler is not None:
        scheduler.start()
    log.info("running roles %s", ",".join(sorted(roles)))
    try:
        stop.wait()
    finally:
        if scheduler is not None:
            scheduler.stop()
        if worker is not None:
            worker.stop()
        engine.dispose()
