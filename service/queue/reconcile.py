"""Reconciling the queue with a ticket's new assessment: an open ticket assessed
ready enters the queue (or its ready entry is updated); anything else leaves it.
A claimed entry stays with its agent, flagged when its ticket changed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, lazyload

from connectors.base import TicketState
from service.queue.models import OPEN_QUEUE_STATES, QueueEntry, QueueEntryArea, QueueState
from service.scoring import Assessment, Verdict
from service.tickets.models import DEFAULT_PRIORITY, TicketRecord

MAX_SCORE = 100

QueueChange = Literal["entered", "left"]


def normalise_areas(areas: Iterable[str]) -> tuple[str, ...]:
    """Areas as the queue compares them: stripped, no trailing slash, sorted, unique."""
    cleaned = {a.strip().rstrip("/") for a in areas}
    return tuple(sorted(a for a in cleaned if a))


def _open_entry(session: Session, ticket_id: int) -> QueueEntry | None:
    """The ticket's ready or claimed entry, locked."""
    # the caller holds the ticket already: a lazy load finds it in the session
    # instead of joining the ticket and its source again
    stmt = (
        select(QueueEntry)
        .where(QueueEntry.ticket_id == ticket_id, QueueEntry.state.in_(OPEN_QUEUE_STATES))
        .options(lazyload(QueueEntry.ticket))
        .with_for_update(of=QueueEntry)
    )
    return session.scalars(stmt).first()


def _set_areas(
    session: Session, entry: QueueEntry, areas: tuple[str, ...], *, replace: bool = True
) -> None:
    """Store the entry's areas; `replace=False` for an entry that has none stored yet."""
    if replace:
        session.execute(delete(QueueEntryArea).where(QueueEntryArea.entry_id == entry.id))
    if areas:
        session.execute(insert(QueueEntryArea), [{"entry_id": entry.id, "area": a} for a in areas])
    entry.areas = list(areas)


def reconcile(
    session: Session,
    ticket: TicketRecord,
    assessment: Assessment,
    *,
    changed: bool,
    reopened: bool,
    now: datetime,
    new: bool = False,
) -> QueueChange | None:
    """Bring the ticket's queue entry in line with its latest assessment. `new`
    says the ticket was stored for the first time in this transaction, so it has
    no entry yet and none is looked for.

    - an open ticket assessed ready enters the queue, or its ready entry is
      updated; a ticket whose last entry is done only re-enters when reopened;
    - otherwise (not ready, closed, deleted, or labelled ai:skip) its ready entry
      is dropped;
    - a claimed entry is left with its agent, flagged `brief_outdated` when the
      ticket changed.
    Returns "entered", "left" or None.
    """
    entry = None if new else _open_entry(session, ticket.id)
    if entry is not None and entry.state == QueueState.CLAIMED:
        if changed and not entry.brief_outdated:
            entry.brief_outdated = True
            entry.updated_at = now
        return None
    wanted = (
        assessment.verdict == Verdict.READY
        and not assessment.skipped
        and ticket.state == TicketState.OPEN
        and ticket.deleted_at is None
    )
    if not wanted:
        if entry is None:
            return None
        entry.state = QueueState.DROPPED
        entry.updated_at = now
        session.flush()
        return "left"
    areas = normalise_areas(assessment.areas)
    fields: dict[str, Any] = {
        "priority": ticket.priority,
        "sort_priority": ticket.priority if ticket.priority is not None else DEFAULT_PRIORITY,
        "overall": assessment.overall,
        "sort_score": MAX_SCORE - assessment.overall,
        "estimate_low": assessment.estimate.low,
        "estimate_high": assessment.estimate.high,
    }
    if entry is not None:
        for name, value in fields.items():
            setattr(entry, name, value)
        if tuple(entry.areas) != areas:
            _set_areas(session, entry, areas)
        entry.updated_at = now
        return None
    if not new:
        last = session.scalars(
            select(QueueEntry)
            .where(QueueEntry.ticket_id == ticket.id)
            .order_by(QueueEntry.id.desc())
        ).first()
        if last is not None and last.state == QueueState.DONE and not reopened:
            return None  # an agent finished it; it comes back only if it is reopened
    created = _ticket_created_at(ticket) or ticket.first_seen
    entry = QueueEntry(
        ticket=ticket,
        state=QueueState.READY,
        areas=[],
        ticket_created_at=created,
        brief_outdated=False,
        created_at=now,
        updated_at=now,
        **fields,
    )
    session.add(entry)
    session.flush()
    _set_areas(session, entry, areas, replace=False)
    session.flush()
    return "entered"


def _ticket_created_at(ticket: TicketRecord) -> datetime | None:
    value = ticket.snapshot.get("created_at")
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def drop_ticket(session: Session, ticket_id: int, now: datetime) -> QueueChange | None:
    """Drop the ticket's ready entry (a claimed one stays with its agent, flagged)."""
    entry = _open_entry(session, ticket_id)
    if entry is None:
        return None
    if entry.state == QueueState.CLAIMED:
        entry.brief_outdated = True
        entry.updated_at = now
        return None
    entry.state = QueueState.DROPPED
    entry.updated_at = now
    session.flush()
    return "left"
