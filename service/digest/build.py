"""Building the daily ready-for-AI digest from the database (reads only).

A digest covers a window: from the end of the last delivered digest (else the
last `default_window_hours`) to now. It says:

- how many open tickets hold each verdict, and the change since the previous
  delivered digest;
- which tickets became ready in the window;
- today's suggested parallel batch (`queue.batch`: no two share a code area),
  each with its estimate and areas, then the best ready tickets beyond it;
- the near-ready tickets (not ready, not blocked, not needing review, highest
  overall first), each with the one item its author should add (the first of
  the assessment's `missing`);
- the tickets unblocked in the window (blocked at its start, not now);
- stale claims (lease expired, or claimed longer than `stale_claim_hours`) and
  the tickets that need a safety review.

Queries are a fixed handful whatever the backlog's size: verdict counts from
the tickets' denormalised verdict; the verdict at the window's start from the
latest assessment before it, one grouped subquery; the displayed tickets' latest
assessments in one query. Lists are capped, each with its total.

Functions take a session and never commit. Storing and delivering a digest
is `service.digest.runs`; rendering it, `service.digest.render`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, Text, and_, cast, func, or_, select
from sqlalchemy.orm import Session, aliased

from service import queue
from service.config import DigestConfig
from service.digest.content import (
    VERDICT_ORDER,
    ClaimList,
    Digest,
    DigestTicket,
    StaleClaim,
    TicketList,
    VerdictCount,
)
from service.digest.models import DigestRecord
from service.queue.models import QueueEntry
from service.queue.views import VIEW, queue_order, views
from service.scoring import DEFAULT_POLICY
from service.scoring.policy import Verdict
from service.tickets.models import DEFAULT_PRIORITY, AssessmentRecord, Source, TicketRecord
from service.tickets.store import latest_assessment_id

NEAR_READY_VERDICTS = (str(Verdict.NEEDS_CLARITY), str(Verdict.TOO_LARGE))
NOT_ONE_FIX_AWAY = ("support-request",)
"""Finding codes that put a ticket out of the near-ready list whatever its score."""
TOO_LARGE_TO_FIX = ("umbrella-ticket", "open-children", "several-problems")
"""Too-large findings one edit cannot fix: the ticket has to be split."""


def _names_a_code(codes: Sequence[str]) -> ColumnElement[bool]:
    """The latest assessment has a finding with one of these codes (on its JSON text)."""
    text = cast(AssessmentRecord.findings, Text)
    return or_(*(text.contains(json.dumps(code), autoescape=True) for code in codes))


def _one_fix_away(target_hours: float) -> ColumnElement[bool]:
    """Near ready: not ready, blocked or under review, and one fix from ready (one
    line in `missing`, the fewest fixes to ready); never a support request, nor
    a too-large ticket above twice the target or one that must be split."""
    too_large = TicketRecord.verdict == str(Verdict.TOO_LARGE)
    return and_(
        TicketRecord.verdict.in_(NEAR_READY_VERDICTS),
        func.json_array_length(AssessmentRecord.missing) == 1,
        ~_names_a_code(NOT_ONE_FIX_AWAY),
        ~and_(
            too_large,
            or_(
                AssessmentRecord.estimate_low > 2 * target_hours,
                _names_a_code(TOO_LARGE_TO_FIX),
            ),
        ),
    )


def _live() -> ColumnElement[bool]:
    """Open tickets that exist and are not skipped: the ones a digest speaks of."""
    return and_(
        TicketRecord.state == "open",
        TicketRecord.deleted_at.is_(None),
        TicketRecord.skipped.is_(False),
    )


def _priority_order() -> tuple[ColumnElement[Any], ...]:
    return (
        func.coalesce(TicketRecord.priority, DEFAULT_PRIORITY).asc(),
        func.coalesce(TicketRecord.overall, -1).desc(),
        TicketRecord.key.asc(),
        TicketRecord.id.asc(),
    )


def _latest_assessments(session: Session, ticket_ids: Iterable[int]) -> dict[int, AssessmentRecord]:
    """The latest assessment of each ticket, in one query."""
    ids = sorted(set(ticket_ids))
    if not ids:
        return {}
    latest_ids = (
        select(func.max(AssessmentRecord.id))
        .where(AssessmentRecord.ticket_id.in_(ids))
        .group_by(AssessmentRecord.ticket_id)
    )
    records = session.scalars(select(AssessmentRecord).where(AssessmentRecord.id.in_(latest_ids)))
    return {r.ticket_id: r for r in records}


_TicketRow = tuple[int, str, str, str | None, str | None, int | None, int | None]


def _ticket_columns() -> tuple[Any, ...]:
    return (
        TicketRecord.id,
        Source.name,
        TicketRecord.key,
        TicketRecord.title,
        TicketRecord.url,
        TicketRecord.verdict,
        TicketRecord.overall,
        TicketRecord.priority,
    )


def _ticket_list(
    session: Session,
    stmt: Select[Any],
    limit: int,
    *,
    todo: Callable[[AssessmentRecord], str | None] | None = None,
) -> TicketList:
    """Run a select of `_ticket_columns()` (filtered, ordered) as a capped list with its total."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    if total == 0 or limit <= 0:
        return TicketList((), total)
    rows = session.execute(stmt.limit(limit)).all()
    latest = _latest_assessments(session, (row[0] for row in rows))
    items = []
    for ticket_id, source, key, title, url, verdict, overall, priority in rows:
        record = latest.get(ticket_id)
        items.append(
            DigestTicket(
                source=source,
                key=key,
                title=title,
                url=url,
                verdict=verdict or "",
                overall=overall,
                priority=priority,
                estimate_hours=(record.estimate_low, record.estimate_high) if record else None,
                areas=tuple(str(a) for a in record.areas) if record else (),
                todo=todo(record) if todo is not None and record is not None else None,
            )
        )
    return TicketList(tuple(items), total)


def _first_missing(record: AssessmentRecord) -> str | None:
    for item in record.missing:
        if str(item).strip():
            return str(item)
    for finding in record.findings:
        if isinstance(finding, Mapping) and finding.get("suggestion"):
            return str(finding["suggestion"])
    return None


def _review_reason(record: AssessmentRecord) -> str | None:
    for finding in record.findings:
        if isinstance(finding, Mapping) and finding.get("dimension") == "safety":
            return str(finding.get("message") or finding.get("suggestion") or "") or None
    return _first_missing(record)


def _queue_ticket(view: queue.QueueEntryView) -> DigestTicket:
    return DigestTicket(
        source=view.source,
        key=view.key,
        title=view.title,
        url=view.url,
        verdict=str(Verdict.READY),
        overall=view.overall,
        priority=view.priority,
        estimate_hours=view.estimate_hours,
        areas=view.areas,
    )


def previous_delivered(session: Session, before: datetime) -> DigestRecord | None:
    """The latest digest delivered to at least one channel whose window ended by `before`."""
    return session.scalars(
        select(DigestRecord)
        .where(DigestRecord.delivered_at.is_not(None), DigestRecord.window_end <= before)
        .order_by(DigestRecord.window_end.desc(), DigestRecord.id.desc())
        .limit(1)
    ).first()


def _counts(session: Session, previous: Mapping[str, Any] | None) -> tuple[VerdictCount, ...]:
    rows = session.execute(
        select(TicketRecord.verdict, func.count())
        .where(_live(), TicketRecord.verdict.is_not(None))
        .group_by(TicketRecord.verdict)
    ).all()
    now_counts = {str(v): int(n) for v, n in rows}
    before: dict[str, int] | None = None
    if previous is not None:
        before = {str(c["verdict"]): int(c["count"]) for c in previous.get("counts", [])}
    return tuple(
        VerdictCount(
            str(v),
            now_counts.get(str(v), 0),
            None if before is None else now_counts.get(str(v), 0) - before.get(str(v), 0),
        )
        for v in VERDICT_ORDER
    )


def _changed_in_window(start: datetime, end: datetime) -> Any:
    """Subquery (ticket_id, previous_verdict) of tickets assessed in (start, end]:
    their verdict at `start` (from their latest assessment then; None if none)."""
    in_window = (
        select(AssessmentRecord.ticket_id)
        .where(AssessmentRecord.created_at > start, AssessmentRecord.created_at <= end)
        .distinct()
        .subquery()
    )
    latest_before = (
        select(
            AssessmentRecord.ticket_id.label("ticket_id"),
            func.max(AssessmentRecord.id).label("assessment_id"),
        )
        .join(in_window, in_window.c.ticket_id == AssessmentRecord.ticket_id)
        .where(AssessmentRecord.created_at <= start)
        .group_by(AssessmentRecord.ticket_id)
        .subquery()
    )
    before = aliased(AssessmentRecord)
    return (
        select(
            in_window.c.ticket_id.label("ticket_id"),
            before.verdict.label("previous_verdict"),
        )
        .select_from(in_window)
        .outerjoin(latest_before, latest_before.c.ticket_id == in_window.c.ticket_id)
        .outerjoin(before, before.id == latest_before.c.assessment_id)
        .subquery()
    )


def window_for(
    session: Session, config: DigestConfig, now: datetime
) -> tuple[datetime, DigestRecord | None]:
    """The default window's start (the end of the last delivered digest, else
    `default_window_hours` ago) and that previous digest."""
    previous = previous_delivered(session, now)
    if previous is not None and previous.window_end < now:
        return previous.window_end, previous
    return now - timedelta(hours=config.default_window_hours), previous


def build(
    session: Session,
    config: DigestConfig,
    now: datetime,
    *,
    window_start: datetime | None = None,
    target_hours: float = DEFAULT_POLICY.target_hours,
) -> Digest:
    """Build the digest for the window ending `now` (reads only; stores nothing).
    `target_hours` is the policy's: a too-large ticket over twice it is not near ready."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    default_start, previous = window_for(session, config, now)
    start = window_start or default_start
    counts = _counts(session, previous.content if previous is not None else None)

    base = select(*_ticket_columns()).join(Source, Source.id == TicketRecord.source_id)
    changed = _changed_in_window(start, now)
    in_window = base.join(changed, changed.c.ticket_id == TicketRecord.id).where(_live())
    newly_ready = _ticket_list(
        session,
        in_window.where(
            TicketRecord.verdict == str(Verdict.READY),
            or_(
                changed.c.previous_verdict.is_(None),
                changed.c.previous_verdict != str(Verdict.READY),
            ),
        ).order_by(*_priority_order()),
        config.list_limit,
    )
    unblocked = _ticket_list(
        session,
        in_window.where(
            changed.c.previous_verdict == str(Verdict.BLOCKED),
            TicketRecord.verdict != str(Verdict.BLOCKED),
        ).order_by(*_priority_order()),
        config.list_limit,
    )

    batch_views = queue.batch(session, config.batch_size, now)
    batch = TicketList(tuple(_queue_ticket(v) for v in batch_views), len(batch_views))
    more_ready = _more_ready(session, [v.id for v in batch_views], config.top_ready)

    near_ready = _ticket_list(
        session,
        base.join(AssessmentRecord, AssessmentRecord.id == latest_assessment_id())
        .where(_live(), _one_fix_away(target_hours))
        .order_by(
            func.coalesce(TicketRecord.overall, -1).desc(),
            func.coalesce(TicketRecord.priority, DEFAULT_PRIORITY).asc(),
            TicketRecord.key.asc(),
            TicketRecord.id.asc(),
        ),
        config.near_ready,
        todo=_first_missing,
    )
    needs_review = _ticket_list(
        session,
        base.where(_live(), TicketRecord.verdict == str(Verdict.NEEDS_REVIEW)).order_by(
            *_priority_order()
        ),
        config.list_limit,
        todo=_review_reason,
    )
    stale = _stale_claims(session, now, config.stale_claim_hours, config.list_limit)
    return Digest(
        title=config.title,
        generated_at=now,
        window_start=start,
        window_end=now,
        previous_id=previous.id if previous is not None else None,
        counts=counts,
        newly_ready=newly_ready,
        batch=batch,
        more_ready=more_ready,
        near_ready=near_ready,
        unblocked=unblocked,
        stale_claims=stale,
        needs_review=needs_review,
        stale_claim_hours=config.stale_claim_hours,
    )


def _more_ready(session: Session, batch_ids: Sequence[int], limit: int) -> TicketList:
    """Ready entries beyond today's batch, in the queue's own order."""
    ready = QueueEntry.state == queue.QueueState.READY
    beyond = and_(ready, QueueEntry.id.not_in(batch_ids)) if batch_ids else ready
    total = session.scalar(select(func.count()).select_from(QueueEntry).where(beyond)) or 0
    if total == 0 or limit <= 0:
        return TicketList((), total)
    stmt = VIEW.where(beyond).order_by(*queue_order()).limit(limit)
    return TicketList(tuple(_queue_ticket(view) for view in views(session, stmt)), total)


def _stale_claims(session: Session, now: datetime, hours: float, limit: int) -> ClaimList:
    stale = and_(
        QueueEntry.state == queue.QueueState.CLAIMED,
        or_(
            QueueEntry.lease_expires_at <= now,
            QueueEntry.claimed_at <= now - timedelta(hours=hours),
        ),
    )
    total = session.scalar(select(func.count()).select_from(QueueEntry).where(stale)) or 0
    if total == 0:
        return ClaimList((), 0)
    entries = session.scalars(
        select(QueueEntry)
        .where(stale)
        .order_by(QueueEntry.claimed_at.asc(), QueueEntry.id.asc())
        .limit(limit)
    ).all()
    items = tuple(
        StaleClaim(
            source=e.ticket.source.name,
            key=e.ticket.key,
            title=e.ticket.title,
            url=e.ticket.url,
            agent=e.agent,
            claimed_at=e.claimed_at,
            lease_expires_at=e.lease_expires_at,
            lease_expired=e.lease_expires_at is not None and e.lease_expires_at <= now,
        )
        for e in entries
    )
    return ClaimList(items, total)
