"""Sources: list the configured ones, sync one now (in the background, with a
run id to ask about), and a sync run's outcome."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Response, status

from service.api.deps import Admin, Reader, ServiceDep, SessionDep, errors
from service.api.schemas import SourceOut
from service.runtime.compose import comment_verdicts
from service.runtime.sync_runs import RunView
from service.tickets.sources import SourceError
from service.triage import sync

router = APIRouter(prefix="/api/sources", tags=["sources"])

RunId = Annotated[int, Path(ge=1, le=2**63 - 1, description="the sync run's id")]


@router.get(
    "", summary="The configured sources", response_model=list[SourceOut], responses=errors()
)
def list_sources(service: ServiceDep, _: Reader) -> list[SourceOut]:
    return [
        SourceOut(name=s.name, type=s.type, sync_interval_minutes=s.sync_interval_minutes)
        for s in service.settings.file.sources
    ]


@router.post(
    "/{name}/sync",
    summary="Start a sync of the source (pull what changed, triage, label); 202 with its run",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=RunView,
    responses={
        **errors(404, 409),
        202: {"description": "the run started (or the source's running run); see Location"},
    },
)
def sync_source(service: ServiceDep, name: str, _: Admin, response: Response) -> RunView:
    if service.sources.config(name) is None or service.sync_runs is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no configured source {name!r}")
    try:
        connector = service.sources.get(name)
    except SourceError as exc:  # a source without credentials
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(exc)) from None
    run = service.sync_runs.start(
        name,
        lambda: sync.sync_source(
            service.sessions,
            connector,
            service.policy,
            comment_verdicts=comment_verdicts(service.settings),
        ),
    )
    response.headers["Location"] = f"/api/sources/{name}/runs/{run.id}"
    return run


@router.get(
    "/{name}/runs/{run_id}",
    summary="A sync run: running, ok or failed, with its report or error",
    response_model=RunView,
    responses=errors(404),
)
def sync_run(
    service: ServiceDep, session: SessionDep, name: str, run_id: RunId, _: Reader
) -> RunView:
    found = service.sync_runs.get(session, name, run_id) if service.sync_runs else None
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"{name}: no sync run {run_id}")
    return found
