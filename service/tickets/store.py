"""The ticket store: source rows, tickets and their assessments, read and written.

Functions take a session and never commit: the caller owns the transaction.
Assessments are never changed once stored; a ticket's latest verdict and
score are kept on its row too, for listing and filtering.

While tickets are triaged together in one transaction (`shared_reads`), what
triaging one of them does not change is read once: source rows, and the areas
of the claims in flight (see `service.triage.context`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, case, func, insert, or_, select
from sqlalchemy.orm import Session

from connectors.base import Ticket, TicketState
from service import db
from service.scoring import Assessment, Dimension, Finding, Verdict
from service.tickets.models import AppliedLabels, AssessmentRecord, Source, TicketRecord
from service.tickets.snapshot import content_hash, ticket_from_json


@dataclass(frozen=True, slots=True)
class AssessmentView:
    """A stored assessment, as plain values."""

    id: int
    verdict: Verdict
    overall: int
    dimensions: dict[str, int]
    findings: tuple[Finding, ...]
    missing: tuple[str, ...]
    blockers: tuple[str, ...]
    areas: tuple[str, ...]
    estimate_hours: tuple[float, float]
    estimate_basis: str
    scorer_version: str
    skipped: bool
    created_at: datetime


def estimate_text(hours: tuple[float, float] | None) -> str:
    """An estimate as people read it, the same in every output: `2-4 h`, `3 h`,
    `40+ h` (from 100 h on, the range says nothing more); "" for none."""
    if hours is None:
        return ""
    low, high = round(hours[0], 1), round(hours[1], 1)
    if high >= 100:
        return f"{low:g}+ h"
    return f"{low:g} h" if low == high else f"{low:g}-{high:g} h"


@dataclass(frozen=True, slots=True)
class StoredTicket:
    ticket: Ticket
    assessment: AssessmentView | None
    first_seen: datetime
    last_changed: datetime
    deleted_at: datetime | None
    applied_labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TicketSummary:
    source: str
    key: str
    title: str
    url: str | None
    state: TicketState
    priority: int | None
    verdict: Verdict | None
    overall: int | None
    skipped: bool
    last_changed: datetime
    deleted: bool


def source_kind(name: str) -> str:
    """`github` for `github:owner/repo`; `unknown` when the name has no kind."""
    kind, sep, _ = name.partition(":")
    return kind if sep and kind else "unknown"


# session.info key of the reads shared by the tickets triaged together (`_shared_reads`)
_SHARED_READS = "backlog_sync.tickets.shared_reads"


@contextmanager
def shared_reads(session: Session) -> Iterator[None]:
    """While tickets are triaged together in one transaction, read once what
    triaging one of them does not change: source rows and claimed areas."""
    session.info[_SHARED_READS] = {}
    try:
        yield
    finally:
        session.info.pop(_SHARED_READS, None)


def shared(session: Session) -> dict[tuple[str, object], Any] | None:
    shared: dict[tuple[str, object], Any] | None = session.info.get(_SHARED_READS)
    return shared


def adopt_sources(
    session: Session, renames: Mapping[str, str], managed_labels: Collection[str]
) -> list[str]:
    """Rename the sources stored under an old name to their new one (old -> new),
    where nothing is stored under the new name yet; the new names of the sources
    renamed. Their tickets, cursors, claims and history stay; each ticket's
    snapshot takes the new name, and its content hash (which covers the source)
    is computed again, so that no ticket counts as changed by the rename."""
    if not renames:
        return []
    taken = set(session.scalars(select(Source.name).where(Source.name.in_(renames.values()))))
    renamed = []
    for old, new in renames.items():
        source = session.scalars(select(Source).where(Source.name == old)).first()
        if old == new or new in taken or source is None:
            continue
        source.name = new
        rows = session.scalars(select(TicketRecord).where(TicketRecord.source_id == source.id))
        for row in rows:
            row.snapshot = {**row.snapshot, "source": new}
            row.content_hash = content_hash(ticket_from_json(row.snapshot), managed_labels)
        renamed.append(new)
        taken.add(new)
    session.flush()
    return renamed


def get_or_create_source(session: Session, name: str, now: datetime) -> Source:
    """The source row for `name`, created (with no cursor) on first use."""
    cache = shared(session)
    if cache is not None and ("source", name) in cache:
        cached: Source = cache[("source", name)]
        return cached
    lookup = select(Source).where(Source.name == name)
    source = session.scalars(lookup).first()
    if source is None:
        # two transactions may both find none: the second waits for the first's row
        values = {"name": name, "kind": source_kind(name), "created_at": now, "updated_at": now}
        db.insert_ignore(session, Source, values, Source.id, conflict_on=["name"])
        source = session.scalars(lookup).one()
    if cache is not None:
        cache[("source", name)] = source
    return source


def find_row(session: Session, source: str, key: str) -> TicketRecord | None:
    return session.scalars(
        select(TicketRecord)
        .join(TicketRecord.source)
        .where(Source.name == source)
        .where(TicketRecord.key == key)
    ).first()


def latest_assessment(session: Session, ticket_id: int) -> AssessmentRecord | None:
    return session.scalars(
        select(AssessmentRecord)
        .where(AssessmentRecord.ticket_id == ticket_id)
        .order_by(AssessmentRecord.id.desc())
        .limit(1)
    ).first()


def finding_from_json(data: dict[str, Any]) -> Finding:
    return Finding(
        code=str(data["code"]),
        dimension=Dimension(data["dimension"]),
        message=str(data["message"]),
        points=int(data["points"]),
        suggestion=str(data["suggestion"]),
        blocking=bool(data.get("blocking", False)),
        evidence=str(data.get("evidence") or ""),
    )


def assessment_view(record: AssessmentRecord) -> AssessmentView:
    return AssessmentView(
        id=record.id,
        verdict=Verdict(record.verdict),
        overall=record.overall,
        dimensions={str(k): int(v) for k, v in record.dimensions.items()},
        findings=tuple(finding_from_json(f) for f in record.findings),
        missing=tuple(str(m) for m in record.missing),
        blockers=tuple(str(b) for b in record.blockers),
        areas=tuple(str(a) for a in record.areas),
        estimate_hours=(record.estimate_low, record.estimate_high),
        estimate_basis=record.estimate_basis,
        scorer_version=record.scorer_version,
        skipped=record.skipped,
        created_at=record.created_at,
    )


def latest_assessment_id() -> Any:
    """The id of the ticket row's latest assessment, as a correlated subquery."""
    return (
        select(func.max(AssessmentRecord.id))
        .where(AssessmentRecord.ticket_id == TicketRecord.id)
        .correlate(TicketRecord)
        .scalar_subquery()
    )


# built once: an INSERT of a whole assessment row, giving back its id
_ASSESSMENTS: Table = AssessmentRecord.__table__  # type: ignore[assignment]
_INSERT_ASSESSMENT = insert(_ASSESSMENTS).returning(_ASSESSMENTS.c.id)


def record_assessment(
    session: Session, row: TicketRecord, assessment: Assessment, now: datetime
) -> AssessmentRecord:
    """Store the assessment and its verdict on the ticket: one write of the ticket
    (insert or update, with everything set before it) and one of the assessment
    (a plain INSERT: the assessment is never changed afterwards). Returns the
    assessment as stored (not in the session)."""
    row.verdict = str(assessment.verdict)
    row.overall = assessment.overall
    row.skipped = assessment.skipped
    session.flush()
    values: dict[str, Any] = {
        "ticket_id": row.id,
        "verdict": str(assessment.verdict),
        "overall": assessment.overall,
        "dimensions": {name: d.score for name, d in assessment.dimensions.items()},
        "findings": [f.as_dict() for f in assessment.findings],
        "missing": list(assessment.missing),
        "blockers": list(assessment.blockers),
        "areas": list(assessment.areas),
        "estimate_low": assessment.estimate.low,
        "estimate_high": assessment.estimate.high,
        "estimate_basis": assessment.estimate.basis,
        "scorer_version": assessment.scorer_version,
        "skipped": assessment.skipped,
        "content_hash": row.content_hash,
        "created_at": now,
    }
    record_id = session.connection().execute(_INSERT_ASSESSMENT, values).scalar_one()
    return AssessmentRecord(id=record_id, **values)


def get_ticket(session: Session, source: str, key: str) -> StoredTicket | None:
    """The stored ticket and its latest assessment; None when not stored."""
    row = find_row(session, source, key)
    if row is None:
        return None
    latest = latest_assessment(session, row.id)
    applied = session.get(AppliedLabels, row.id)
    return StoredTicket(
        ticket=ticket_from_json(row.snapshot),
        assessment=assessment_view(latest) if latest is not None else None,
        first_seen=row.first_seen,
        last_changed=row.last_changed,
        deleted_at=row.deleted_at,
        applied_labels=tuple(applied.labels) if applied is not None else (),
    )


def assessment_history(
    session: Session, source: str, key: str, *, limit: int = 50
) -> list[AssessmentView]:
    """The ticket's assessments, newest first."""
    row = find_row(session, source, key)
    if row is None:
        return []
    records = session.scalars(
        select(AssessmentRecord)
        .where(AssessmentRecord.ticket_id == row.id)
        .order_by(AssessmentRecord.id.desc())
        .limit(limit)
    )
    return [assessment_view(r) for r in records]


def list_tickets(
    session: Session,
    *,
    verdict: Verdict | str | None = None,
    source: str | None = None,
    include_deleted: bool = False,
    limit: int = 100,
    offset: int = 0,
) -> list[TicketSummary]:
    """Stored tickets, best first (overall score, then key), those that need a
    safety review last."""
    stmt = select(TicketRecord).join(TicketRecord.source)
    if verdict is not None:
        stmt = stmt.where(TicketRecord.verdict == str(Verdict(verdict)))
    if source is not None:
        stmt = stmt.where(Source.name == source)
    if not include_deleted:
        stmt = stmt.where(TicketRecord.deleted_at.is_(None))
    # a ticket that needs a safety review is never listed above another, whatever its score
    review_last = case((TicketRecord.verdict == str(Verdict.NEEDS_REVIEW), 1), else_=0)
    stmt = (
        stmt.order_by(
            review_last,
            func.coalesce(TicketRecord.overall, -1).desc(),
            Source.name,
            TicketRecord.key,
        )
        .limit(limit)
        .offset(offset)
    )
    return [
        TicketSummary(
            source=row.source.name,
            key=row.key,
            title=row.title,
            url=row.url,
            state=TicketState(row.state),
            priority=row.priority,
            verdict=Verdict(row.verdict) if row.verdict is not None else None,
            overall=row.overall,
            skipped=row.skipped,
            last_changed=row.last_changed,
            deleted=row.deleted_at is not None,
        )
        for row in session.scalars(stmt)
    ]


def find_keys(session: Session, key: str, *, source: str | None = None) -> list[tuple[str, str]]:
    """(source, key) of stored tickets matching `key` exactly, or by number (`12`, `#12`):
    the one key syntax of the CLI and the API (`12`, `#12`, `owner/repo#12`, `PROJ-7`).
    `source` (a stored source name) keeps that source's tickets only."""
    wanted = key.strip()
    number = wanted.lstrip("#")
    condition = TicketRecord.key == wanted
    if number.isdigit():
        condition = or_(condition, TicketRecord.key.endswith(f"#{number}"))
    query = (
        select(Source.name, TicketRecord.key)
        .join(Source, Source.id == TicketRecord.source_id)
        .where(condition, TicketRecord.deleted_at.is_(None))
        .order_by(Source.name, TicketRecord.key)
    )
    if source is not None:
        query = query.where(Source.name == source)
    return [(name, found) for name, found in session.execute(query)]
