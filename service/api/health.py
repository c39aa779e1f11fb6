"""Liveness, readiness and Prometheus metrics (open; metrics can require a token)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from service import db
from service.api.deps import app_state
from service.auth import require

log = logging.getLogger(__name__)
router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is alive")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Ready: the database answers and its schema is at the code's migration head",
    responses={503: {"description": "database unreachable or schema not at head"}},
)
def readyz(request: Request) -> JSONResponse:
    engine = app_state(request).engine
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        at_head = db.is_at_head(engine)
    except SQLAlchemyError as exc:
        log.warning("readyz: database unreachable: %s", type(exc).__name__)
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, 503)
    if not at_head:
        return JSONResponse(
            {"status": "unavailable", "database": "reachable", "schema": "not at head"}, 503
        )
    return JSONResponse({"status": "ok", "database": "reachable", "schema": "at head"})


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
def metrics(request: Request) -> Response:
    state = app_state(request)
    if not state.settings.file.metrics_public:
        require("read")(request)
    state.metrics.observe_database(state.sessions)
    from service.metrics import CONTENT_TYPE

    return Response(state.metrics.render(), media_type=CONTENT_TYPE)
