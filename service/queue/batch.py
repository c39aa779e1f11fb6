"""Today's parallel work: ready entries that share no code area with each other
or with a claim in flight. Reads only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.queue.models import ClaimedArea, QueueEntry, QueueState
from service.queue.views import VIEW, QueueEntryView, queue_order, views
from service.tickets import store
from service.tickets.models import TicketRecord


def areas_in_flight(
    session: Session, now: datetime, *, exclude_ticket_id: int | None = None
) -> dict[str, frozenset[str]]:
    """Code areas of claimed entries whose lease holds, by ticket key."""
    stmt = (
        select(TicketRecord.key, QueueEntry.areas)
        .join(QueueEntry.ticket)
        .where(QueueEntry.state == QueueState.CLAIMED, QueueEntry.lease_expires_at > now)
    )
    if exclude_ticket_id is not None:
        stmt = stmt.where(QueueEntry.ticket_id != exclude_ticket_id)
    result: dict[str, frozenset[str]] = {}
    for key, areas in session.execute(stmt):
        result[key] = result.get(key, frozenset()) | frozenset(areas)
    return result


def claimed_ticket_ids(session: Session, now: datetime) -> frozenset[int]:
    """The tickets whose queue entry an agent holds (its lease holds)."""
    return frozenset(
        session.scalars(
            select(QueueEntry.ticket_id).where(
                QueueEntry.state == QueueState.CLAIMED, QueueEntry.lease_expires_at > now
            )
        )
    )


def is_claimed(session: Session, ticket_id: int, now: datetime) -> bool:
    """Whether an agent holds the ticket's claim (read once for tickets triaged
    together, `service.tickets.store.shared_reads`)."""
    cache = store.shared(session)
    if cache is None:
        return ticket_id in claimed_ticket_ids(session, now)
    claimed: frozenset[int] | None = cache.get(("claimed", now))
    if claimed is None:
        claimed = cache[("claimed", now)] = claimed_ticket_ids(session, now)
    return ticket_id in claimed


def batch(session: Session, n: int, now: datetime, *, max_unknown: int = 1) -> list[QueueEntryView]:
    """Up to `n` ready entries, best first, no two sharing an area, none sharing
    an area with a claimed entry whose lease holds, and at most `max_unknown`
    whose areas are unknown (none named: such a ticket could touch anything).
    Reads only."""
    if n <= 0:
        return []
    held = set(
        session.scalars(
            select(ClaimedArea.area)
            .join(QueueEntry, QueueEntry.id == ClaimedArea.entry_id)
            .where(QueueEntry.state == QueueState.CLAIMED, QueueEntry.lease_expires_at > now)
        )
    )
    chosen: list[QueueEntryView] = []
    unknown = 0
    stmt = (
        VIEW.where(QueueEntry.state == QueueState.READY)
        .order_by(*queue_order())
        .execution_options(yield_per=200)
    )
    for entry in views(session, stmt):
        areas = set(entry.areas)
        if areas & held:
            continue
        if not areas:
            if unknown >= max_unknown:
                continue
            unknown += 1
        chosen.append(entry)
        held |= areas
        if len(chosen) >= n:
            break
    return chosen
