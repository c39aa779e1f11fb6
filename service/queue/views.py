"""Queue entries as plain values, in the order the queue hands them out.

Queue order: tracker priority (1 first, none counted as 3), then the overall
score (highest first), then the ticket's age (oldest first). Entries are read
without loading ORM objects (and never the ticket's stored snapshot).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, Select, select
from sqlalchemy.orm import Session

from service.queue.models import OPEN_QUEUE_STATES, QueueEntry, QueueState
from service.tickets.models import Source, TicketRecord


class QueueError(Exception):
    """A queue operation that cannot be done as asked."""


class EntryNotFoundError(QueueError):
    def __init__(self, entry_id: int) -> None:
        super().__init__(f"queue entry {entry_id} does not exist")
        self.entry_id = entry_id


class WrongAgentError(QueueError):
    def __init__(self, entry_id: int, agent: str) -> None:
        super().__init__(f"queue entry {entry_id} is not claimed by {agent!r}")
        self.entry_id = entry_id


class WrongStateError(QueueError):
    def __init__(self, entry_id: int, state: str, expected: str) -> None:
        super().__init__(f"queue entry {entry_id} is {state}, not {expected}")
        self.entry_id = entry_id
        self.state = state


@dataclass(frozen=True, slots=True)
class QueueEntryView:
    id: int
    source: str
    key: str
    title: str
    url: str | None
    state: QueueState
    agent: str | None
    claimed_at: datetime | None
    lease_expires_at: datetime | None
    areas: tuple[str, ...]
    priority: int | None
    overall: int
    estimate_hours: tuple[float, float]
    brief_outdated: bool
    created_at: datetime


VIEW = (
    select(
        QueueEntry.id,
        Source.name.label("source"),
        TicketRecord.key,
        TicketRecord.title,
        TicketRecord.url,
        QueueEntry.state,
        QueueEntry.agent,
        QueueEntry.claimed_at,
        QueueEntry.lease_expires_at,
        QueueEntry.areas,
        QueueEntry.priority,
        QueueEntry.overall,
        QueueEntry.estimate_low,
        QueueEntry.estimate_high,
        QueueEntry.brief_outdated,
        QueueEntry.created_at,
    )
    .join_from(QueueEntry, TicketRecord, TicketRecord.id == QueueEntry.ticket_id)
    .join(Source, Source.id == TicketRecord.source_id)
)
"""The columns of a `QueueEntryView`, read without loading ORM objects (and never
the ticket's stored snapshot)."""


def view_from_row(row: RowMapping) -> QueueEntryView:
    return QueueEntryView(
        id=row["id"],
        source=row["source"],
        key=row["key"],
        title=row["title"],
        url=row["url"],
        state=QueueState(row["state"]),
        agent=row["agent"],
        claimed_at=row["claimed_at"],
        lease_expires_at=row["lease_expires_at"],
        areas=tuple(row["areas"]),
        priority=row["priority"],
        overall=row["overall"],
        estimate_hours=(row["estimate_low"], row["estimate_high"]),
        brief_outdated=row["brief_outdated"],
        created_at=row["created_at"],
    )


def views(session: Session, stmt: Select[Any]) -> Iterator[QueueEntryView]:
    for row in session.execute(stmt).mappings():
        yield view_from_row(row)


def entry_view(session: Session, entry_id: int) -> QueueEntryView:
    view = next(views(session, VIEW.where(QueueEntry.id == entry_id)), None)
    if view is None:
        raise EntryNotFoundError(entry_id)
    return view


def queue_order() -> tuple[ColumnElement[Any], ...]:
    return (
        QueueEntry.sort_priority.asc(),
        QueueEntry.sort_score.asc(),
        QueueEntry.ticket_created_at.asc(),
        QueueEntry.id.asc(),
    )


def list_entries(session: Session, state: QueueState | str | None = None) -> list[QueueEntryView]:
    """Entries in queue order; by default the open ones (ready and claimed)."""
    stmt = VIEW
    if state is None:
        stmt = stmt.where(QueueEntry.state.in_(OPEN_QUEUE_STATES))
    else:
        stmt = stmt.where(QueueEntry.state == str(QueueState(state)))
    return list(views(session, stmt.order_by(*queue_order())))


def get_entry(session: Session, entry_id: int) -> QueueEntryView:
    """One entry; EntryNotFoundError when there is none."""
    return entry_view(session, entry_id)


def open_entry_for_ticket(session: Session, ticket_id: int) -> QueueEntryView | None:
    """The ready or claimed entry of a stored ticket, if it has one."""
    stmt = VIEW.where(QueueEntry.ticket_id == ticket_id, QueueEntry.state.in_(OPEN_QUEUE_STATES))
    return next(views(session, stmt), None)
