"""A stored ready ticket with its queue entry, for the queue tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from service.queue import open_entry_for_ticket
from service.queue.reconcile import reconcile
from service.tickets.models import TicketRecord
from service.tickets.store import get_or_create_source
from tests.integration.triage.builders import SOURCE, T0
from tests.unit.scoring.assessments import assessment


def enqueue(
    session: Session,
    number: int,
    *,
    areas: Sequence[str] = (),
    priority: int | None = None,
    overall: int = 80,
    age_days: float = 0,
    now: datetime = T0,
) -> int:
    """A stored ready ticket with a ready queue entry; returns the entry's id."""
    source = get_or_create_source(session, SOURCE, now)
    created = now - timedelta(days=age_days)
    record = TicketRecord(
        source_id=source.id,
        key=f"acme/app#{number}",
        title=f"ticket {number}",
        url=None,
        state="open",
        priority=priority,
        snapshot={"created_at": created.isoformat()},
        content_hash="0" * 64,
        first_seen=now,
        last_changed=now,
        verdict="ready",
        overall=overall,
        skipped=False,
    )
    session.add(record)
    session.flush()
    change = reconcile(
        session,
        record,
        assessment(areas=areas, overall=overall),
        changed=True,
        reopened=False,
        now=now,
    )
    assert change == "entered"
    entry = open_entry_for_ticket(session, record.id)
    assert entry is not None
    return entry.id
