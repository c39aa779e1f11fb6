"""The webhook inbox, for operators: list deliveries by state, retry a failed one."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, status

from service import db
from service.api.deps import Admin, SessionDep, errors
from service.webhooks import deliveries
from service.webhooks.deliveries import DeliveryView

router = APIRouter(prefix="/api/webhooks/deliveries", tags=["webhooks"])


@router.get(
    "",
    summary="Webhook deliveries, newest first; filter by state",
    response_model=list[DeliveryView],
    responses=errors(),
)
def list_deliveries(
    session: SessionDep,
    _: Admin,
    state: Literal["pending", "processing", "done", "failed"] | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[DeliveryView]:
    return deliveries.list_deliveries(session, state=state, limit=limit)


@router.post(
    "/{row_id}/retry",
    summary="Queue a failed delivery again",
    response_model=DeliveryView,
    responses=errors(404, 409),
)
def retry_delivery(session: SessionDep, _: Admin, row_id: int) -> DeliveryView:
    try:
        return deliveries.retry_failed(session, row_id, now=db.utcnow())
    except LookupError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no delivery {row_id}") from None
    except deliveries.DeliveryStateError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(exc)) from None
