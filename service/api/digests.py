"""Digests: the latest one, one by id in a format, and a run now (admin)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response, status
from sqlalchemy.orm import Session

from service import digest
from service.api.deps import app_state, db_session, plain, utcnow
from service.auth import require

router = APIRouter(prefix="/api/digests", tags=["digests"])

SessionDep = Annotated[Session, Depends(db_session)]
MEDIA_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "slack": "application/json",
    "json": "application/json",
}


@router.get("/latest", summary="The most recent digest, as JSON")
def latest(session: SessionDep, _: Annotated[object, Depends(require("read"))]) -> Any:
    found = digest.latest(session)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="no digest yet")
    return digest.digest_to_json(found)


@router.get("/{digest_id}", summary="One stored digest in a format: md, html, slack or json")
def get_digest(
    session: SessionDep,
    _: Annotated[object, Depends(require("read"))],
    digest_id: int,
    format: Annotated[str, Query(description="md, html, slack or json")] = "json",
) -> Response:
    if format not in MEDIA_TYPES:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail=f"unknown format {format!r}; use one of {', '.join(MEDIA_TYPES)}",
        )
    rendered = digest.get_rendered(session, digest_id, format)
    if rendered is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no digest {digest_id}")
    return Response(rendered, media_type=MEDIA_TYPES[format])


@router.post("/run", summary="Build, store and deliver a digest now")
def run_now(request: Request, _: Annotated[object, Depends(require("admin"))]) -> dict[str, Any]:
    # no request transaction: the run commits the digest before it sends it and
    # records each channel's outcome on its own, so no transaction waits on a channel
    state = app_state(request)
    config = digest.config_from_settings(state.settings)
    result = digest.run(state.sessions, config, utcnow())
    return {
        "digest_id": result.digest_id,
        "created": result.created,
        "summary": result.summary(),
        "outcomes": plain(list(result.outcomes)),
        "already_sent": list(result.already_sent),
        "in_progress": list(result.in_progress),
    }
