"""The FastAPI application: `create_app(service)`, for a service built by the one
composition root (`service.runtime.compose.build`). Its lifespan makes sure of the schema (the
embedded SQLite default migrates itself; PostgreSQL is only checked, and
/readyz answers 503 until it is at head), then starts the webhook worker and
the scheduler when their roles are enabled, and stops them on shutdown.
OpenAPI is at /docs; each operation's id is its route function's name. The
MCP server for agents is at /mcp (`service.mcp.http`), behind the same tokens.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy.exc import SQLAlchemyError

from service import db
from service.api.access_log import AccessLog
from service.api.deps import TokenTable
from service.api.routes import deliveries, digests, health, queue, sources, tickets, webhooks
from service.mcp import http as mcp_http
from service.mcp.server import create_server
from service.runtime import compose
from service.webhooks.intake import Intake

log = logging.getLogger(__name__)

DESCRIPTION = (
    "API routes need `Authorization: Bearer <token>` with the scope each names "
    "(read, claim, admin). Webhooks are authenticated by the tracker's signature. "
    "Ticket keys go in the path with `#` written `%23`, e.g. "
    "`/api/tickets/web/acme/web%2312`."
)


def _operation_id(route: APIRoute) -> str:
    return route.name


def create_app(service: compose.Service, *, access_log: bool = True) -> FastAPI:
    """The app that serves `service`; its lifespan runs the service's worker and
    scheduler (the roles it was built with). Every request gets a request id
    and, with `access_log`, one log line (service/api/access_log.py). Raises
    ConfigError when a webhook route is enabled without its secret (unless
    allow_unsigned_webhooks)."""
    settings = service.settings
    settings.check_webhook_secrets()
    for kind in settings.unsigned_webhook_routes():
        log.warning(
            "allow_unsigned_webhooks: the %s webhook route accepts UNSIGNED deliveries "
            "(local development only)",
            kind,
        )

    tokens = TokenTable(settings.file.api.tokens)
    agents = create_server(service)
    mcp_route = mcp_http.route(agents, tokens)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            compose.prepare_database(settings, service.engine)
        except (db.SchemaError, SQLAlchemyError) as exc:
            log.error(
                "database not ready: %s",
                exc if isinstance(exc, db.SchemaError) else type(exc).__name__,
            )
        service.start()
        try:
            async with mcp_http.lifespan(agents):
                yield
        finally:
            service.stop()

    app = FastAPI(
        title="backlog-sync",
        summary="AI-readiness of tracker tickets, a ready queue and rules files for agents",
        description=DESCRIPTION,
        version="0.1.0",
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
    )
    app.state.service = service
    app.state.tokens = tokens
    app.state.intake = Intake(service.sessions)
    for router in (health, webhooks, tickets, queue, sources, deliveries, digests):
        app.include_router(router.router)
    app.router.routes.append(mcp_route)  # MCP for agents, the same tokens (service/mcp/)
    app.add_middleware(AccessLog, lines=access_log, observer=service.metrics)
    return app
