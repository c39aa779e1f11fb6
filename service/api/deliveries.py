"""The webhook inbox, for operators: list deliveries by state, retry a failed one."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.api.deps import db_session, utcnow
from service.auth import require
from service.inbox_models import WebhookDelivery

router = APIRouter(prefix="/api/webhooks/deliveries", tags=["webhooks"])
SessionDep = Annotated[Session, Depends(db_session)]
Admin = Annotated[object, Depends(require("admin"))]


def _row(d: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": d.id,
        "tracker": d.tracker,
        "delivery_id": d.delivery_id,
        "source": d.source,
        "event": d.event,
        "action": d.action,
        "ticket_key": d.ticket_key,
        "state": d.state,
        "attempts": d.attempts,
        "last_error": d.last_error,
        "received_at": d.received_at.isoformat(),
        "finished_at": d.finished_at.isoformat() if d.finished_at else None,
    }


@router.get("", summary="Webhook deliveries, newest first; filter by state")
def list_deliveries(
    session: SessionDep,
    _: Admin,
    state: Literal["pending", "processing", "done", "failed"] | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[dict[str, Any]]:
    stmt = select(WebhookDelivery).order_by(WebhookDelivery.id.desc()).limit(limit)
    if state is not None:
        stmt = stmt.where(WebhookDelivery.state == state)
    return [_row(d) for d in session.scalars(stmt)]


@router.post("/{row_id}/retry", summary="Queue a failed delivery again")
def retry(session: SessionDep, _: Admin, row_id: int) -> dict[str, Any]:
    delivery = session.get(WebhookDelivery, row_id)
    if delivery is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no delivery {row_id}")
    if delivery.state != "failed":
        raise HTTPException(status.HTTP_409_CONFLICT, detail=f"delivery is {delivery.state}")
    delivery.state = "pending"
    delivery.attempts = 0
    delivery.available_at = utcnow()
    delivery.finished_at = None
    session.flush()
    return _row(delivery)
