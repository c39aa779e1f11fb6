"""Who frees whom: the stored tickets a ticket blocks, found from their latest
assessments' blockers, so that a blocker that opens or closes re-assesses them.

A ticket is named in others' blockers by its key or, within its repository,
as `#12` (`blocker_names`). Matching is narrowed in SQL on the blockers' JSON
text, then compared exactly.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from sqlalchemy import ColumnElement, Text, cast, or_, select
from sqlalchemy.orm import Session

from connectors.base import Ticket
from service import db, queue
from service.scoring import Policy, Verdict
from service.tickets import store
from service.tickets.models import AssessmentRecord, TicketRecord
from service.tickets.snapshot import ticket_from_json
from service.triage.results import TriageResult, unchanged_result


def blocker_names(key: str) -> set[str]:
    """The names a ticket is written as in others' blockers: its key, and `#12`."""
    names = {key}
    if "#" in key:
        names.add("#" + key.split("#", 1)[1])
    return names


def _naming(blockers: Any, names: set[str]) -> ColumnElement[bool] | None:
    """A condition narrowing assessments to those whose blockers' JSON text names
    one of `names` (a JSON list of strings holds each as its json.dumps text);
    None when a name would be escaped in JSON (then every row is compared)."""
    quoted = [json.dumps(name) for name in sorted(names)]
    if not all(q.isascii() and "\\" not in q for q in quoted):
        return None
    text = cast(blockers, Text)
    return or_(*(text.contains(q, autoescape=True) for q in quoted))


def blocked_by(session: Session, blocker: Ticket) -> list[Ticket]:
    """Stored tickets whose latest assessment names `blocker` as a blocker.

    One statement: blocked tickets (`ix_tickets_verdict`) with their latest
    assessment (`ix_assessments_ticket_id_id`), narrowed in SQL to those whose
    blockers' JSON text names `blocker`; the names are then compared exactly."""
    names = blocker_names(blocker.key)
    stmt = (
        select(TicketRecord.snapshot, AssessmentRecord.blockers)
        .join(AssessmentRecord, AssessmentRecord.id == store.latest_assessment_id())
        .where(
            TicketRecord.verdict == str(Verdict.BLOCKED),
            TicketRecord.deleted_at.is_(None),
            TicketRecord.key != blocker.key,
        )
        .order_by(TicketRecord.id)
    )
    if (naming := _naming(AssessmentRecord.blockers, names)) is not None:
        stmt = stmt.where(naming)
    return [
        ticket_from_json(snapshot)
        for snapshot, blockers in session.execute(stmt)
        if names & {str(b) for b in blockers}
    ]


def _unlabelled_dependents(session: Session, blocker: Ticket, policy: Policy) -> list[TriageResult]:
    """Stored tickets that an assessment once said `blocker` blocks, whose managed
    labels (in their stored snapshot, which follows our writes) do not match
    their verdict: their label writes were lost after their triage was committed
    (a crash in between). Their label plans, as unchanged results."""
    names = blocker_names(blocker.key)
    named = select(AssessmentRecord.ticket_id, AssessmentRecord.blockers)
    if (naming := _naming(AssessmentRecord.blockers, names)) is not None:
        named = named.where(naming)
    ids = {ticket_id for ticket_id, blockers in session.execute(named) if names & set(blockers)}
    if not ids:
        return []
    rows = session.execute(
        select(TicketRecord, AssessmentRecord)
        .join(AssessmentRecord, AssessmentRecord.id == store.latest_assessment_id())
        .where(
            TicketRecord.id.in_(sorted(ids)),
            TicketRecord.deleted_at.is_(None),
            TicketRecord.key != blocker.key,
        )
        .order_by(TicketRecord.id)
    )
    found: list[TriageResult] = []
    for row, latest in rows:
        ticket = ticket_from_json(row.snapshot)
        claimed = queue.is_claimed(session, row.id, db.utcnow())
        result = unchanged_result(ticket, latest, policy, claimed=claimed)
        if result.labels_add or result.labels_remove:
            found.append(result)
    return found


def with_lagging_dependents(
    session: Session, ticket: Ticket, result: TriageResult, policy: Policy
) -> TriageResult:
    """`result`, with the label plans of the stored tickets `ticket` ever blocked
    whose labels lag behind their verdict: their writes were lost after the
    triage that freed or blocked them was committed (a crash, or a tracker error
    part way). For a caller that triages `ticket` again after such a failure."""
    fresh = {d.key for d in result.dependents}
    lagging = [d for d in _unlabelled_dependents(session, ticket, policy) if d.key not in fresh]
    return replace(result, dependents=(*result.dependents, *lagging)) if lagging else result


def named_blockers(session: Session) -> frozenset[str]:
    """Every name a stored assessment ever gave as a blocker (see `blocker_names`):
    a ticket none of whose names is here blocks nothing. One statement."""
    as_text = cast(AssessmentRecord.blockers, Text)
    names: set[str] = set()
    for (value,) in session.execute(select(as_text).where(as_text != "[]").distinct()):
        names.update(str(name) for name in json.loads(value))
    return frozenset(names)
