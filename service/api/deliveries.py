"""The webhook inbox, for operators: list deliveries by state, retry a failed one."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, status
from sqlalchemy.orm import Session

from service import webhooks
from service.api.deps import db_session, plain, utcnow
from service.auth import require

router = APIRouter(prefix="/api/webhooks/deliveries", tags=["webhooks"])
SessionDep = Annotated[Session, Depends(db_session)]
Admin = Annotated[object, Depends(require("admin"))]


@router.get("", summary="Webhook deliveries, newest first; filter by state")
def list_deliveries(
    session: SessionDep,
    _: Admin,
    state: Literal["pending", "processing", "done", "failed"] | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[dict[str, Any]]:
    rows = webhooks.list_deliveries(session, state=state, limit=limit)
    result: list[dict[str, Any]] = plain(rows)
    return result


@router.post("/{row_id}/retry", summary="Queue a failed delivery again")
def retry(session: SessionDep, _: Admin, row_id: int) -> dict[str, Any]:
    try:
        delivery = webhooks.retry_failed(session, row_id, now=utcnow())
    except LookupError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no delivery {row_id}") from None
    except webhooks.DeliveryStateError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(exc)) from None
    result: dict[str, Any] = plain(delivery)
    return result
