"""Tickets: list with filters, one ticket's assessment and history, rescore.

Ticket paths are `/api/tickets/{source}/{key}`: `source` is a configured
source's name (e.g. `web`); `key` is the ticket's key with `#` written `%23`
(a raw `#` would start a URL fragment). A GitHub key's `/` may stay as it is:
`/api/tickets/web/acme/web%2312`. For a GitHub source the bare number works
too: `/api/tickets/web/12`.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from fastapi.responses import JSONResponse

from service import db
from service.api.deps import Admin, Reader, ServiceDep, SessionDep, errors
from service.api.schemas import Rescored, TicketDetail, TicketPage
from service.runtime.compose import Service, comment_verdicts
from service.scoring import Verdict
from service.tickets import store
from service.tickets.sources import AmbiguousKeyError, SourceError, locate_ticket
from service.triage.results import TriageResult
from service.triage.writeback import refresh_tickets

router = APIRouter(prefix="/api/tickets", tags=["tickets"])


def stored_source(service: Service, source: str) -> str:
    """A configured source's name, or a stored source name, as tickets are stored."""
    if service.sources.config(source) is not None:
        try:
            return service.sources.stored_name(source)
        except ValueError as exc:
            raise HTTPException(status.HTTP_409_CONFLICT, detail=str(exc)) from None
    return source


@router.get(
    "",
    summary="Stored tickets, best first; filter by verdict and source",
    response_model=TicketPage,
    responses=errors(409),
)
def list_tickets(
    service: ServiceDep,
    session: SessionDep,
    _: Reader,
    verdict: Verdict | None = None,
    source: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,
) -> TicketPage:
    name = stored_source(service, source) if source is not None else None
    rows = store.list_tickets(session, verdict=verdict, source=name, limit=limit + 1, offset=offset)
    more = len(rows) > limit
    return TicketPage(
        items=rows[:limit],
        limit=limit,
        offset=offset,
        next_offset=offset + limit if more else None,
    )


@router.get(
    "/{source}/{key:path}",
    summary="One ticket: its latest assessment with findings, and its history",
    response_model=TicketDetail,
    responses=errors(404, 409),
)
def get_ticket(
    service: ServiceDep, session: SessionDep, _: Reader, source: str, key: str
) -> TicketDetail:
    try:
        name, full = locate_ticket(session, service.sources, source, key)
    except AmbiguousKeyError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(exc)) from None
    except SourceError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(exc)) from None
    stored = store.get_ticket(session, name, full)
    if stored is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"{source} {full}: not stored")
    return TicketDetail(
        # the source as it was asked for: a configured name stays that name
        source=source if service.sources.config(source) is not None else name,
        key=full,
        ticket=stored.ticket,
        assessment=stored.assessment,
        history=store.assessment_history(session, name, full),
        applied_labels=list(stored.applied_labels),
        first_seen=stored.first_seen,
        last_changed=stored.last_changed,
        deleted=stored.deleted_at is not None,
    )


@router.post(
    "/{source}/{key:path}/rescore",
    summary="Fetch the ticket from its tracker, triage it again and write its labels",
    response_model=Rescored,
    responses={
        **errors(404, 409, 502),
        404: {"description": "no such configured source"},
        409: {"description": "the source cannot be used (its credentials are missing)"},
        502: {"description": "the tracker failed (the triage is stored when the fetch worked)"},
    },
)
def rescore_ticket(
    service: ServiceDep, session: SessionDep, _: Admin, source: str, key: str
) -> Rescored | JSONResponse:
    if service.sources.config(source) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no configured source {source!r}")
    full = service.sources.full_key(source, key)
    try:
        connector = service.sources.get(source)
    except SourceError as exc:  # a source without credentials
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(exc)) from None
    [refreshed] = refresh_tickets(
        session,
        connector,
        service.policy,
        [full],
        now=db.utcnow(),
        commit=session.commit,
        comment_verdicts=comment_verdicts(service.settings),
    )
    if refreshed.result is None:  # the fetch failed
        raise HTTPException(status.HTTP_502_BAD_GATEWAY, detail=str(refreshed.error))
    if refreshed.error is not None:
        # triaged and stored; the label write failed (the writes before it are recorded)
        return JSONResponse({"detail": str(refreshed.error)}, status.HTTP_502_BAD_GATEWAY)
    written = any(w.labels is not None for w in refreshed.writes)
    fields = {f.name: getattr(refreshed.result, f.name) for f in dataclasses.fields(TriageResult)}
    return Rescored(**fields, labels_written=written)
