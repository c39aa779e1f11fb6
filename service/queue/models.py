"""The ready queue's tables: entries, their code areas, and the claimed-area guard."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base
from service.tickets.models import TicketRecord


class QueueState(enum.StrEnum):
    READY = "ready"
    CLAIMED = "claimed"
    DONE = "done"
    DROPPED = "dropped"


OPEN_QUEUE_STATES = ("ready", "claimed")
"""Queue entry states in which an entry still holds its ticket's place."""


class QueueEntry(Base):
    """A ticket's place in the ready queue.

    A ticket has at most one open (ready or claimed) entry; done and dropped
    entries are kept as history. `sort_priority` is the tracker priority with
    None counted as 3 and `sort_score` is 100 - overall, so every column of the
    queue order ascends and one partial index serves it.
    """

    __tablename__ = "queue_entries"
    __table_args__ = (
        Index(
            "uq_queue_entries_open_ticket",
            "ticket_id",
            unique=True,
            sqlite_where=text("state IN ('ready', 'claimed')"),
            postgresql_where=text("state IN ('ready', 'claimed')"),
        ),
        # the queue order over ready entries, so a claim reads a few index entries
        Index(
            "ix_queue_entries_ready_order",
            "sort_priority",
            "sort_score",
            "ticket_created_at",
            "id",
            sqlite_where=text("state = 'ready'"),
            postgresql_where=text("state = 'ready'"),
        ),
        Index(None, "state", "lease_expires_at"),
        Index(None, "ticket_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(16))
    agent: Mapped[str | None] = mapped_column(String(255))
    claimed_at: Mapped[datetime | None]
    lease_expires_at: Mapped[datetime | None]
    areas: Mapped[list[Any]]
    priority: Mapped[int | None]
    sort_priority: Mapped[int]
    sort_score: Mapped[int]
    overall: Mapped[int]
    estimate_low: Mapped[float] = mapped_column(Float)
    estimate_high: Mapped[float] = mapped_column(Float)
    ticket_created_at: Mapped[datetime]
    brief_outdated: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    ticket: Mapped[TicketRecord] = relationship(lazy="joined", innerjoin=True)


class QueueEntryArea(Base):
    """The code areas of a queue entry, one row each, so overlap is a join."""

    __tablename__ = "queue_entry_areas"

    entry_id: Mapped[int] = mapped_column(
        ForeignKey("queue_entries.id", ondelete="CASCADE"), primary_key=True
    )
    area: Mapped[str] = mapped_column(String(512), primary_key=True, index=True)


class ClaimedArea(Base):
    """An area held by a claimed entry. The primary key on `area` is the guard that
    stops two overlapping claims from both committing on PostgreSQL."""

    __tablename__ = "claimed_areas"

    area: Mapped[str] = mapped_column(String(512), primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("queue_entries.id", ondelete="CASCADE"), index=True
    )
