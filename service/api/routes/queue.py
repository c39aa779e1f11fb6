"""The ready queue for agents: list, claim with a lease, heartbeat, release,
complete, a conflict-free batch, and each entry's rules files."""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Response, status
from sqlalchemy.orm import Session

from service import db, queue
from service.api.deps import (
    Claimer,
    Principal,
    Reader,
    ServiceDep,
    SessionDep,
    errors,
    with_scope,
)
from service.api.schemas import AgentIn, ClaimIn, HeartbeatIn, text_answer
from service.queue import QueueEntryView
from service.rules import FORMATS as RULES_FORMATS
from service.rules import briefs
from service.runtime.compose import Service, comment_verdicts
from service.triage.claims import show_claims

log = logging.getLogger(__name__)
EntryId = Annotated[int, Path(ge=1, le=2**63 - 1, description="the queue entry's id")]

router = APIRouter(prefix="/api/queue", tags=["queue"])


@contextmanager
def queue_errors() -> Iterator[None]:
    """A queue error as its answer: 404 for an unknown entry, 409 for the rest."""
    try:
        yield
    except queue.EntryNotFoundError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=str(exc)) from None
    except queue.QueueError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(exc)) from None


def on_tracker(service: Service, session: Session, entry: QueueEntryView) -> QueueEntryView:
    """Commit the queue change, then show it on the tracker (`ai:in-progress` on or
    off); a tracker failure is logged, and the next sync retries it."""
    session.commit()
    verdicts = comment_verdicts(service.settings)
    show_claims(
        service.sessions, service.sources, service.policy, [entry], comment_verdicts=verdicts
    )
    return entry


@router.get(
    "",
    summary="Queue entries in queue order; filter by state",
    response_model=list[QueueEntryView],
    responses=errors(),
)
def list_queue_entries(
    session: SessionDep, _: Reader, state: queue.QueueState | None = None
) -> list[QueueEntryView]:
    return queue.list_entries(session, state)


@router.get(
    "/batch",
    summary="Up to `size` ready entries that share no code area",
    response_model=list[QueueEntryView],
    responses=errors(),
)
def queue_batch(
    service: ServiceDep,
    session: SessionDep,
    _: Reader,
    size: Annotated[int, Query(ge=1, le=50)] = 5,
) -> list[QueueEntryView]:
    limit = service.settings.file.queue.max_unknown_area_in_batch
    return queue.batch(session, size, db.utcnow(), max_unknown=limit)


@router.post(
    "/claim",
    summary="Claim the best ready entry free of conflicts (204 when there is none)",
    response_model=QueueEntryView,
    responses={**errors(409), 204: {"description": "nothing to claim"}},
)
def claim_next_entry(
    service: ServiceDep, session: SessionDep, _: Claimer, body: ClaimIn
) -> QueueEntryView | Response:
    with queue_errors():
        entry = queue.claim_next(session, body.agent, body.lease_seconds, db.utcnow())
    if entry is None:
        return Response(status_code=status.HTTP_204_NO_CONTENT)
    return on_tracker(service, session, entry)


@router.get(
    "/{entry_id}",
    summary="One queue entry",
    response_model=QueueEntryView,
    responses=errors(404),
)
def get_queue_entry(session: SessionDep, _: Reader, entry_id: EntryId) -> QueueEntryView:
    with queue_errors():
        return queue.get_entry(session, entry_id)


@router.post(
    "/{entry_id}/heartbeat",
    summary="Extend the lease of an entry you hold",
    response_model=QueueEntryView,
    responses=errors(404, 409),
)
def heartbeat_entry(
    session: SessionDep, _: Claimer, entry_id: EntryId, body: HeartbeatIn
) -> QueueEntryView:
    with queue_errors():
        return queue.heartbeat(session, entry_id, body.agent, body.lease_seconds, db.utcnow())


@router.post(
    "/{entry_id}/release",
    summary="Give an entry back to the queue",
    response_model=QueueEntryView,
    responses=errors(404, 409),
)
def release_entry(
    service: ServiceDep, session: SessionDep, _: Claimer, entry_id: EntryId, body: AgentIn
) -> QueueEntryView:
    with queue_errors():
        entry = queue.release(session, entry_id, body.agent, db.utcnow())
    return on_tracker(service, session, entry)


@router.post(
    "/{entry_id}/complete",
    summary="Mark an entry you hold done",
    response_model=QueueEntryView,
    responses=errors(404, 409),
)
def complete_entry(
    service: ServiceDep, session: SessionDep, _: Claimer, entry_id: EntryId, body: AgentIn
) -> QueueEntryView:
    with queue_errors():
        entry = queue.complete(session, entry_id, body.agent, db.utcnow())
    return on_tracker(service, session, entry)


def _brief(
    service: Service, session: Session, entry_id: EntryId, caller: Principal, force: bool
) -> briefs.Brief:
    """The entry's brief; 409 for a ticket that needs a safety review unless an
    admin forces it (which is logged with the token's name)."""
    if force:
        with_scope(caller, "admin")
    try:
        project_rules = briefs.read_project_rules(service.settings.file.rules.project_rules)
        with queue_errors():
            brief = briefs.brief_for_entry(
                session,
                entry_id,
                service.policy,
                project_rules=project_rules,
                now=db.utcnow(),
                force=force,
            )
    except briefs.NeedsReviewError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(exc)) from None
    except briefs.BriefError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=str(exc)) from None
    if brief.forced:
        log.warning(
            "rules for %s, which needs a safety review, forced by token %r",
            brief.ticket.key,
            caller.name,
        )
    return brief


Force = Annotated[
    bool,
    Query(description="Render a ticket that needs a safety review (admin scope; logged)"),
]


@router.get(
    "/{entry_id}/rules",
    summary="The entry's rules file in one format; its conventional path is in X-Rules-Path",
    response_class=Response,
    responses={
        **errors(404, 409, 422),
        **text_answer(
            "text/markdown", "the rules file (Markdown, frontmatter where the format has it)"
        ),
    },
)
def entry_rules(
    service: ServiceDep,
    session: SessionDep,
    caller: Reader,
    entry_id: EntryId,
    format: Annotated[str, Query(description="one of the rules formats")] = "agents",
    force: Force = False,
) -> Response:
    if format not in RULES_FORMATS:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail=f"unknown format {format!r}; use one of {', '.join(RULES_FORMATS)}",
        )
    rendered = _brief(service, session, entry_id, caller, force).render(format)
    return Response(
        rendered.content,
        media_type="text/markdown; charset=utf-8",
        headers={"X-Rules-Path": rendered.path, "X-Rules-Format": rendered.format},
    )


@router.get(
    "/{entry_id}/rules.zip",
    summary="Every format's rules file at its conventional path, as a zip",
    response_class=Response,
    responses={
        **errors(404, 409),
        200: {
            "description": "a zip archive of every format's rules file",
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
        },
    },
)
def entry_rules_zip(
    service: ServiceDep,
    session: SessionDep,
    caller: Reader,
    entry_id: EntryId,
    force: Force = False,
) -> Response:
    brief = _brief(service, session, entry_id, caller, force)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for rendered in brief.render_all():
            archive.writestr(rendered.path, rendered.content)
    return Response(
        buffer.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="queue-{entry_id}-rules.zip"'},
    )
