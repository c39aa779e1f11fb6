"""The FastAPI application: `create_app(settings)`.

Its lifespan makes sure of the schema (the embedded SQLite default migrates
itself; PostgreSQL is only checked, and /readyz answers 503 until it is at head),
then starts the webhook worker and the scheduler when their roles are enabled,
and stops them on shutdown. OpenAPI is at /docs.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from service import db
from service.api import deliveries, digests, health, queue, sources, tickets, webhooks
from service.api.intake import Intake
from service.api.state import AppState
from service.auth import TokenTable
from service.config import Settings
from service.metrics import Metrics
from service.scheduler import build_scheduler
from service.webhooks import HandlerRegistry, SourceConnectors, default_handlers
from service.worker import InboxWorker

log = logging.getLogger(__name__)

ROLES = frozenset({"api", "worker", "scheduler"})


def create_app(
    settings: Settings,
    *,
    roles: Collection[str] = ROLES,
    engine: Engine | None = None,
    source_connectors: SourceConnectors | None = None,
    handlers: HandlerRegistry | None = None,
    worker_threads: int = 4,
) -> FastAPI:
    """The app for `settings`. `roles` says whether this process also runs the
    webhook worker and the scheduler. Raises ConfigError when a webhook route
    is enabled without its secret (unless allow_unsigned_webhooks)."""
    unknown = set(roles) - ROLES
    if unknown:
        raise ValueError(f"unknown roles: {', '.join(sorted(unknown))}")
    settings.check_webhook_secrets()
    for kind in settings.unsigned_webhook_routes():
        log.warning(
            "allow_unsigned_webhooks: the %s webhook route accepts UNSIGNED deliveries "
            "(local development only)",
            kind,
        )
    engine = engine if engine is not None else db.make_engine(settings.database_url)
    sessions = db.make_sessionmaker(engine)
    metrics = Metrics()
    state = AppState(
        settings=settings,
        engine=engine,
        sessions=sessions,
        metrics=metrics,
        sources=source_connectors or SourceConnectors(settings),
        handlers=handlers or default_handlers(),
        intake=Intake(sessions),
    )
    if "worker" in roles:
        state.worker = InboxWorker(
            sessions,
            state.sources,
            state.handlers,
            settings.policy,
            settings.file.worker,
            metrics,
            threads=worker_threads,
        )
    if "scheduler" in roles:
        state.scheduler = build_scheduler(settings, sessions, state.sources, metrics)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            db.ensure_schema(engine)
        except (db.SchemaError, SQLAlchemyError) as exc:
            log.error(
                "database not ready: %s",
                exc if isinstance(exc, db.SchemaError) else type(exc).__name__,
            )
        if state.worker is not None:
            state.worker.start()
        if state.scheduler is not None:
            state.scheduler.start()
        try:
            yield
        finally:
            if state.scheduler is not None:
                state.scheduler.stop()
            if state.worker is not None:
                state.worker.stop()

    app = FastAPI(
        title="backlog-sync",
        summary="AI-readiness of tracker tickets, a ready queue and rules files for agents",
        description=(
            "API routes need `Authorization: Bearer <token>` with the scope each names "
            "(read, claim, admin). Webhooks are authenticated by the tracker's signature. "
            "Ticket keys go in the path with `#` written `%23`, e.g. "
            "`/api/tickets/web/acme/web%2312`."
        ),
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.service = state
    app.state.tokens = TokenTable(settings.file.api.tokens)
    app.include_router(health.router)
    app.include_router(webhooks.router)
    app.include_router(tickets.router)
    app.include_router(queue.router)
    app.include_router(sources.router)
    app.include_router(deliveries.router)
    app.include_router(digests.router)
    return app
