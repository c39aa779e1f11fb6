"""Sources: list the configured ones, sync one now."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, status

from connectors.base import TrackerError
from service.api.deps import app_state, plain
from service.auth import require

router = APIRouter(prefix="/api/sources", tags=["sources"])


@router.get("", summary="The configured sources")
def list_sources(request: Request, _: Annotated[object, Depends(require("read"))]) -> list[Any]:
    return [
        {"name": s.name, "type": s.type, "sync_interval_minutes": s.sync_interval_minutes}
        for s in app_state(request).settings.file.sources
    ]


@router.post("/{name}/sync", summary="Sync the source now (pull what changed, triage, label)")
def sync_now(
    request: Request, name: str, _: Annotated[object, Depends(require("admin"))]
) -> dict[str, Any]:
    from service import sync

    state = app_state(request)
    if state.sources.config(name) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no configured source {name!r}")
    try:
        connector = state.sources.get(name)
        report = sync.sync_source(
            state.sessions,
            connector,
            state.settings.policy,
            comment_verdicts=state.settings.file.comments.verdicts,
        )
    except TrackerError as exc:
        raise HTTPException(status.HTTP_502_BAD_GATEWAY, detail=str(exc)) from None
    except ValueError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(exc)) from None
    return dict(plain(report))
