"""The ready queue for agents: list, claim with a lease, heartbeat, release,
complete, a conflict-free batch, and each entry's rules files."""

from __future__ import annotations

import io
import zipfile
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response, status
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from service import briefs, queue, rules
from service.api.deps import app_state, db_session, plain, utcnow
from service.auth import require

router = APIRouter(prefix="/api/queue", tags=["queue"])
SessionDep = Annotated[Session, Depends(db_session)]
Read = Annotated[object, Depends(require("read"))]
Claim = Annotated[object, Depends(require("claim"))]


class ClaimRequest(BaseModel):
    agent: str = Field(min_length=1, max_length=255)
    lease_seconds: float = Field(3600, gt=0, le=7 * 24 * 3600)


class AgentRequest(BaseModel):
    agent: str = Field(min_length=1, max_length=255)


class HeartbeatRequest(AgentRequest):
    lease_seconds: float = Field(3600, gt=0, le=7 * 24 * 3600)


def _queue_error(exc: queue.QueueError) -> HTTPException:
    if isinstance(exc, queue.EntryNotFoundError):
        return HTTPException(status.HTTP_404_NOT_FOUND, detail=str(exc))
    return HTTPException(status.HTTP_409_CONFLICT, detail=str(exc))


@router.get("", summary="Queue entries in queue order; filter by state")
def list_entries(
    session: SessionDep, _: Read, state: queue.QueueState | None = None
) -> list[dict[str, Any]]:
    return [plain(e) for e in queue.list_entries(session, state)]


@router.get("/batch", summary="Up to `size` ready entries that share no code area")
def batch(
    session: SessionDep, _: Read, size: Annotated[int, Query(ge=1, le=50)] = 5
) -> list[dict[str, Any]]:
    return [plain(e) for e in queue.batch(session, size, utcnow())]


@router.post(
    "/claim",
    summary="Claim the best ready entry free of conflicts (204 when there is none)",
    responses={204: {"description": "nothing to claim"}},
)
def claim(session: SessionDep, _: Claim, body: ClaimRequest) -> Any:
    try:
        entry = queue.claim_next(session, body.agent, body.lease_seconds, utcnow())
    except queue.QueueError as exc:
        raise _queue_error(exc) from None
    if entry is None:
        return Response(status_code=status.HTTP_204_NO_CONTENT)
    return plain(entry)


@router.get("/{entry_id}", summary="One queue entry")
def get_entry(session: SessionDep, _: Read, entry_id: int) -> dict[str, Any]:
    try:
        return dict(plain(queue.get_entry(session, entry_id)))
    except queue.QueueError as exc:
        raise _queue_error(exc) from None


@router.post("/{entry_id}/heartbeat", summary="Extend the lease of an entry you hold")
def heartbeat(
    session: SessionDep, _: Claim, entry_id: int, body: HeartbeatRequest
) -> dict[str, Any]:
    try:
        view = queue.heartbeat(session, entry_id, body.agent, body.lease_seconds, utcnow())
    except queue.QueueError as exc:
        raise _queue_error(exc) from None
    return dict(plain(view))


@router.post("/{entry_id}/release", summary="Give an entry back to the queue")
def release(session: SessionDep, _: Claim, entry_id: int, body: AgentRequest) -> dict[str, Any]:
    try:
        return dict(plain(queue.release(session, entry_id, body.agent, utcnow())))
    except queue.QueueError as exc:
        raise _queue_error(exc) from None


@router.post("/{entry_id}/complete", summary="Mark an entry you hold done")
def complete(session: SessionDep, _: Claim, entry_id: int, body: AgentRequest) -> dict[str, Any]:
    try:
        return dict(plain(queue.complete(session, entry_id, body.agent, utcnow())))
    except queue.QueueError as exc:
        raise _queue_error(exc) from None


def _brief(request: Request, session: Session, entry_id: int) -> briefs.Brief:
    settings = app_state(request).settings
    try:
        project_rules = briefs.read_project_rules(settings.file.rules.project_rules)
        return briefs.brief_for_entry(
            session, entry_id, settings.policy, project_rules=project_rules, now=utcnow()
        )
    except queue.QueueError as exc:
        raise _queue_error(exc) from None
    except briefs.BriefError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=str(exc)) from None


@router.get(
    "/{entry_id}/rules",
    summary="The entry's rules file in one format; its conventional path is in X-Rules-Path",
    response_class=Response,
)
def rules_file(
    request: Request,
    session: SessionDep,
    _: Read,
    entry_id: int,
    format: Annotated[str, Query(description="one of the rules formats")] = "agents",
) -> Response:
    if format not in rules.FORMATS:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail=f"unknown format {format!r}; use one of {', '.join(rules.FORMATS)}",
        )
    rendered = _brief(request, session, entry_id).render(format)
    return Response(
        rendered.content,
        media_type="text/markdown; charset=utf-8",
        headers={"X-Rules-Path": rendered.path, "X-Rules-Format": rendered.format},
    )


@router.get(
    "/{entry_id}/rules.zip",
    summary="Every format's rules file at its conventional path, as a zip",
    response_class=Response,
)
def rules_zip(request: Request, session: SessionDep, _: Read, entry_id: int) -> Response:
    brief = _brief(request, session, entry_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for rendered in brief.render_all():
            archive.writestr(rendered.path, rendered.content)
    return Response(
        buffer.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="queue-{entry_id}-rules.zip"'},
    )
