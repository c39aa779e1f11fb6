"""Liveness, readiness and Prometheus metrics (open; metrics can require a token)."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from service import db
from service.api.deps import ServiceDep, authenticate, bearer, with_scope
from service.api.schemas import HealthOut, ReadinessOut, text_answer
from service.runtime.metrics import CONTENT_TYPE

log = logging.getLogger(__name__)
router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is alive", response_model=HealthOut)
def healthz() -> HealthOut:
    return HealthOut(status="ok")


@router.get(
    "/readyz",
    summary="Ready: the database answers and its schema is at the code's migration head",
    response_model=ReadinessOut,
    responses={503: {"model": ReadinessOut, "description": "database unreachable or behind"}},
)
def readyz(service: ServiceDep) -> JSONResponse:
    try:
        with service.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        at_head = db.is_at_head(service.engine)
    except SQLAlchemyError as exc:
        log.warning("readyz: database unreachable: %s", type(exc).__name__)
        return _readiness(ReadinessOut(status="unavailable", database="unreachable"), 503)
    if not at_head:
        behind = ReadinessOut(
            status="unavailable", database="reachable", schema_state="not at head"
        )
        return _readiness(behind, 503)
    return _readiness(ReadinessOut(status="ok", database="reachable", schema_state="at head"))


def _readiness(answer: ReadinessOut, status_code: int = 200) -> JSONResponse:
    return JSONResponse(answer.model_dump(by_alias=True, exclude_none=True), status_code)


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses=text_answer(CONTENT_TYPE, "the metrics in Prometheus' text format"),
)
def metrics(
    request: Request,
    service: ServiceDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Response:
    if not service.settings.file.metrics_public:
        with_scope(authenticate(request, credentials), "read")
    service.metrics.observe_database(service.sessions)
    return Response(service.metrics.render(), media_type=CONTENT_TYPE)
