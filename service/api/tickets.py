"""Tickets: list with filters, one ticket's assessment and history, rescore.

Ticket paths are `/api/tickets/{source}/{key}`: `source` is a configured
source's name (e.g. `web`); `key` is the ticket's key with `#` written `%23`
(a raw `#` would start a URL fragment). A GitHub key's `/` may stay as it is:
`/api/tickets/web/acme/web%2312`. For a GitHub source the bare number works
too: `/api/tickets/web/12`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from service import triage
from service.api.deps import app_state, db_session, plain, stored_source, utcnow
from service.auth import require
from service.config import GitHubSource
from service.scoring import Verdict
from service.sources import SourceError

router = APIRouter(prefix="/api/tickets", tags=["tickets"])
SessionDep = Annotated[Session, Depends(db_session)]


def _full_key(request: Request, source: str, key: str) -> str:
    config = app_state(request).sources.config(source)
    bare = key.lstrip("#")
    if isinstance(config, GitHubSource) and bare.isdigit():
        return f"{config.repo}#{bare}"
    return key


@router.get("", summary="Stored tickets, best first; filter by verdict and source")
def list_tickets(
    request: Request,
    session: SessionDep,
    _: Annotated[object, Depends(require("read"))],
    verdict: Verdict | None = None,
    source: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    name = stored_source(request, source) if source is not None else None
    rows = triage.list_tickets(
        session, verdict=verdict, source=name, limit=limit + 1, offset=offset
    )
    more = len(rows) > limit
    return {
        "items": plain(rows[:limit]),
        "limit": limit,
        "offset": offset,
        "next_offset": offset + limit if more else None,
    }


@router.get(
    "/{source}/{key:path}",
    summary="One ticket: its latest assessment with findings, and its history",
)
def get_ticket(
    request: Request,
    session: SessionDep,
    _: Annotated[object, Depends(require("read"))],
    source: str,
    key: str,
) -> dict[str, Any]:
    name = stored_source(request, source)
    full = _full_key(request, source, key)
    stored = triage.get_ticket(session, name, full)
    if stored is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"{source} {full}: not stored")
    history = triage.assessment_history(session, name, full)
    return {
        "source": name,
        "key": full,
        "ticket": plain(stored.ticket),
        "assessment": plain(stored.assessment),
        "history": plain(history),
        "applied_labels": list(stored.applied_labels),
        "first_seen": stored.first_seen.isoformat(),
        "last_changed": stored.last_changed.isoformat(),
        "deleted": stored.deleted_at is not None,
    }


@router.post(
    "/{source}/{key:path}/rescore",
    summary="Fetch the ticket from its tracker, triage it again and write its labels",
    responses={
        404: {"description": "no such configured source"},
        409: {"description": "the source cannot be used (its credentials are missing)"},
        502: {"description": "the tracker failed (the triage is stored when the fetch worked)"},
    },
    response_model=None,
)
def rescore(
    request: Request,
    session: SessionDep,
    _: Annotated[object, Depends(require("admin"))],
    source: str,
    key: str,
) -> dict[str, Any] | JSONResponse:
    state = app_state(request)
    if state.sources.config(source) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no configured source {source!r}")
    full = _full_key(request, source, key)
    try:
        connector = state.sources.get(source)
    except SourceError as exc:  # a source without credentials
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(exc)) from None
    [refreshed] = triage.refresh_tickets(
        session, connector, state.settings.policy, [full], now=utcnow(), commit=session.commit
    )
    if refreshed.result is None:  # the fetch failed
        raise HTTPException(status.HTTP_502_BAD_GATEWAY, detail=str(refreshed.error))
    if refreshed.error is not None:
        # triaged and stored; the label write failed (the writes before it are recorded)
        return JSONResponse({"detail": str(refreshed.error)}, status.HTTP_502_BAD_GATEWAY)
    body: dict[str, Any] = plain(refreshed.result)
    body["labels_written"] = bool(refreshed.writes)
    return body
