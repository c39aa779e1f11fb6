"""Sources: list the configured ones, sync one now."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from connectors.base import TrackerError
from service.api.deps import Admin, Reader, ServiceDep, errors
from service.api.schemas import SourceOut
from service.runtime.compose import comment_verdicts
from service.triage import sync
from service.triage.sync import SyncReport

router = APIRouter(prefix="/api/sources", tags=["sources"])


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
    summary="Sync the source now (pull what changed, triage, label)",
    response_model=SyncReport,
    responses=errors(404, 409, 502),
)
def sync_source(service: ServiceDep, name: str, _: Admin) -> SyncReport:
    if service.sources.config(name) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no configured source {name!r}")
    try:
        connector = service.sources.get(name)
        return sync.sync_source(
            service.sessions,
            connector,
            service.policy,
            comment_verdicts=comment_verdicts(service.settings),
        )
    except TrackerError as exc:
        raise HTTPException(status.HTTP_502_BAD_GATEWAY, detail=str(exc)) from None
    except ValueError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(exc)) from None
