"""The webhook inbox, for operators: list deliveries by state, retry a failed one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.webhooks.models import WebhookDelivery


@dataclass(frozen=True, slots=True)
class DeliveryView:
    """A stored delivery, as plain values (its body and headers are left out)."""

    id: int
    tracker: str
    delivery_id: str
    source: str
    event: str
    action: str
    ticket_key: str | None
    state: str
    attempts: int
    last_error: str | None
    received_at: datetime
    finished_at: datetime | None


class DeliveryStateError(Exception):
    """The delivery is not in a state that allows the operation."""

    def __init__(self, state: str) -> None:
        super().__init__(f"delivery is {state}")
        self.state = state


# the fields of a DeliveryView, in its order
_VIEW_COLUMNS = (
    WebhookDelivery.id,
    WebhookDelivery.tracker,
    WebhookDelivery.delivery_id,
    WebhookDelivery.source,
    WebhookDelivery.event,
    WebhookDelivery.action,
    WebhookDelivery.ticket_key,
    WebhookDelivery.state,
    WebhookDelivery.attempts,
    WebhookDelivery.last_error,
    WebhookDelivery.received_at,
    WebhookDelivery.finished_at,
)


def list_deliveries(
    session: Session, *, state: str | None = None, limit: int = 50
) -> list[DeliveryView]:
    """Deliveries, newest first; only those in `state` when given."""
    stmt = select(*_VIEW_COLUMNS).order_by(WebhookDelivery.id.desc()).limit(limit)
    if state is not None:
        stmt = stmt.where(WebhookDelivery.state == state)
    return [DeliveryView(**row._mapping) for row in session.execute(stmt)]


def retry_failed(session: Session, row_id: int, *, now: datetime) -> DeliveryView:
    """Queue a failed delivery again, with its attempts counted from zero.
    LookupError when there is no such delivery; DeliveryStateError when it has
    not failed."""
    delivery = session.get(WebhookDelivery, row_id, with_for_update=True)
    if delivery is None:
        raise LookupError(f"no delivery {row_id}")
    if delivery.state != "failed":
        raise DeliveryStateError(delivery.state)
    delivery.state = "pending"
    delivery.attempts = 0
    delivery.available_at = now
    delivery.finished_at = None
    session.flush()
    return DeliveryView(**{c.key: getattr(delivery, c.key) for c in _VIEW_COLUMNS})
