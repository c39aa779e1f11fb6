"""Tickets with chosen verdicts for the digest tests, stored as the pipeline
stores them (ticket row, assessment history, queue entry through
`queue.reconcile`), without depending on how scoring judges a text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from connectors.base import TicketState
from service.queue.reconcile import reconcile
from service.scoring import Verdict
from service.tickets.models import AssessmentRecord, TicketRecord
from service.tickets.store import get_or_create_source
from tests.unit.scoring.assessments import assessment

T0 = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
SOURCE = "github:acme/app"


def put(
    session: Session,
    number: int,
    verdict: Verdict,
    *,
    at: datetime,
    overall: int = 80,
    areas: Sequence[str] = (),
    missing: Sequence[str] = (),
    title: str | None = None,
    priority: int | None = None,
    source: str = SOURCE,
    findings: Sequence[str] = (),
    hours: tuple[float, float] = (2.0, 4.0),
) -> TicketRecord:
    """Store (or re-assess) ticket `number` with this verdict, as assessed at `at`,
    with findings of these codes and this estimate."""
    src = get_or_create_source(session, source, at)
    key = f"acme/app#{number}"
    row = session.scalars(
        select(TicketRecord).where(TicketRecord.source_id == src.id, TicketRecord.key == key)
    ).first()
    if row is None:
        row = TicketRecord(
            source_id=src.id,
            key=key,
            title=title or f"Fix the parser crash number {number}",
            url=f"https://github.com/acme/app/issues/{number}",
            state=str(TicketState.OPEN),
            priority=priority,
            snapshot={"created_at": (T0 - timedelta(days=30, minutes=-number)).isoformat()},
            content_hash="h",
            first_seen=at,
            last_changed=at,
            skipped=False,
        )
        session.add(row)
    elif title is not None:
        row.title = title
    built = assessment(verdict=verdict, overall=overall, areas=areas, missing=missing)
    session.flush()
    session.add(
        AssessmentRecord(
            ticket_id=row.id,
            verdict=str(verdict),
            overall=overall,
            dimensions={},
            findings=[
                {
                    "code": code,
                    "dimension": "clarity",
                    "message": code,
                    "points": 10,
                    "suggestion": code,
                    "blocking": False,
                }
                for code in findings
            ],
            missing=list(missing),
            blockers=[],
            areas=list(areas),
            estimate_low=hours[0],
            estimate_high=hours[1],
            estimate_basis="inferred",
            scorer_version="test",
            skipped=False,
            content_hash="h",
            created_at=at,
        )
    )
    row.verdict = str(verdict)
    row.overall = overall
    session.flush()
    reconcile(session, row, built, changed=True, reopened=False, now=at)
    session.flush()
    return row


def sessions_of(session: Session) -> sessionmaker[Session]:
    """Sessions on `session`'s connection whose commits are savepoints, for an
    edge that owns its transactions (`digest.run`) inside a rolled-back test."""
    return sessionmaker(
        bind=session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False
    )
