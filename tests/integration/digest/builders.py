"""Tickets with chosen verdicts for the digest tests, stored as the pipeline
stores them (ticket row, assessment history, queue entry through
`queue.reconcile`), without depending on how scoring judges a text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.base import TicketState
from service import queue
from service.models import AssessmentRecord, TicketRecord
from service.scoring import Assessment, Dimension, DimensionScore, SizeEstimate, Verdict
from service.triage import get_or_create_source

T0 = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
SOURCE = "github:acme/app"


def _assessment(
    verdict: Verdict, overall: int, areas: Sequence[str], missing: Sequence[str]
) -> Assessment:
    def dim(d: Dimension) -> DimensionScore:
        return DimensionScore(d, overall)

    return Assessment(
        verdict=verdict,
        overall=overall,
        size=dim(Dimension.SIZE),
        independence=dim(Dimension.INDEPENDENCE),
        clarity=dim(Dimension.CLARITY),
        safety=dim(Dimension.SAFETY),
        estimate=SizeEstimate(2.0, 4.0, "inferred"),
        areas=tuple(areas),
        blockers=(),
        missing=tuple(missing),
        scorer_version="test",
    )


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
) -> TicketRecord:
    """Store (or re-assess) ticket `number` with this verdict, as assessed at `at`."""
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
    assessment = _assessment(verdict, overall, areas, missing)
    session.flush()
    session.add(
        AssessmentRecord(
            ticket_id=row.id,
            verdict=str(verdict),
            overall=overall,
            dimensions={},
            findings=[],
            missing=list(missing),
            blockers=[],
            areas=list(areas),
            estimate_low=2.0,
            estimate_high=4.0,
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
    queue.reconcile(session, row, assessment, changed=True, reopened=False, now=at)
    session.flush()
    return row
