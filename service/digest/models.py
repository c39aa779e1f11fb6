"""Tables of the daily digest: each digest built and stored, and each delivery.

Revision 0003 creates them.

`digests.occurrence` is unique: a digest run twice for the same occurrence (the
scheduler's scheduled time, or the end of a window given by hand) finds the
stored digest instead of building a second one, and only sends it to channels
that have not received it yet.

A run claims a channel before sending to it (`digest_deliveries.outcome` =
"sending", `started_at` = the claim's time, committed first) and records "sent"
or "failed" afterwards, each in a transaction of its own: see `service.digest.runs`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base

DELIVERY_OUTCOMES = ("sending", "sent", "failed")
"""`sending`: claimed by a run that has not recorded its outcome (yet, or ever:
a crash; see `service.digest.runs.claim_lease`)."""


class DigestRecord(Base):
    """One digest: its window, its content (the `Digest` as JSON) and when it
    first reached a channel (`delivered_at`; None while no channel took it)."""

    __tablename__ = "digests"
    __table_args__ = (Index(None, "delivered_at", "window_end"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurrence: Mapped[str] = mapped_column(String(255), unique=True)
    trigger: Mapped[str] = mapped_column(String(16))  # scheduled, manual
    window_start: Mapped[datetime]
    window_end: Mapped[datetime]
    created_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]
    content: Mapped[dict[str, Any]]


class DigestDelivery(Base):
    """The outcome of sending one digest to one channel (one row per channel;
    a later run of the same occurrence retries a failed channel in place).
    While `outcome` is "sending", `started_at` and `finished_at` are both the
    time of the claim."""

    __tablename__ = "digest_deliveries"
    __table_args__ = (UniqueConstraint("digest_id", "channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest_id: Mapped[int] = mapped_column(ForeignKey("digests.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16))  # slack, email, webhook, file
    outcome: Mapped[str] = mapped_column(String(16))  # sending, sent, failed
    attempts: Mapped[int] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]
