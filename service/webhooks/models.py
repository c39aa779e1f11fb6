"""The webhook inbox's table (revision 0002 creates it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base

DELIVERY_STATES = ("pending", "processing", "done", "failed")


class WebhookDelivery(Base):
    """One verified webhook delivery, stored before it is answered.

    `(tracker, delivery_id)` is unique: a repeated delivery is recognised and not
    processed again. The worker takes `pending` rows whose `available_at` has
    come, or `processing` rows whose lease ran out (their worker died).
    """

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("tracker", "delivery_id"),
        Index(None, "state", "available_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tracker: Mapped[str] = mapped_column(String(16))
    delivery_id: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(255))
    event: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    ticket_key: Mapped[str | None] = mapped_column(String(255))
    headers: Mapped[dict[str, Any]]
    body: Mapped[bytes] = mapped_column(LargeBinary)
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    available_at: Mapped[datetime]
    lease_owner: Mapped[str | None] = mapped_column(String(255))
    lease_expires_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
