"""Digests: the latest one, one by id in a format, and a run now (admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response, status

from service import db, digest
from service.api.deps import Admin, Reader, ServiceDep, SessionDep, errors
from service.api.schemas import DigestRunOut
from service.digest.content import Digest

router = APIRouter(prefix="/api/digests", tags=["digests"])

MEDIA_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "slack": "application/json",
    "json": "application/json",
}


@router.get(
    "/latest",
    summary="The most recent digest, as JSON",
    response_model=Digest,
    responses=errors(404),
)
def latest_digest(session: SessionDep, _: Reader) -> Digest:
    found = digest.latest(session)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="no digest yet")
    return found


@router.get(
    "/{digest_id}",
    summary="One stored digest in a format: md, html, slack or json",
    response_class=Response,
    responses={
        **errors(404, 422),
        200: {
            "description": "the digest in the format asked for",
            "content": {
                "text/markdown": {"schema": {"type": "string"}},
                "text/html": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "object"}},
            },
        },
    },
)
def get_digest(
    session: SessionDep,
    _: Reader,
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


@router.post(
    "/run",
    summary="Build, store and deliver a digest now",
    response_model=DigestRunOut,
    responses=errors(),
)
def run_digest(service: ServiceDep, _: Admin) -> DigestRunOut:
    # no request transaction: the run commits the digest before it sends it and
    # records each channel's outcome on its own, so no transaction waits on a channel
    result = digest.run(
        service.sessions,
        service.settings.digest(),
        db.utcnow(),
        target_hours=service.policy.target_hours,
    )
    return DigestRunOut(
        digest_id=result.digest_id,
        created=result.created,
        summary=result.summary(),
        outcomes=list(result.outcomes),
        already_sent=list(result.already_sent),
        in_progress=list(result.in_progress),
    )
