"""The pipeline for one ticket: store, assess, reconcile the queue, plan labels.

Sync, webhooks, the CLI and the API all call `triage_ticket`; none of them
repeats a step. The functions here take a session and never commit: the
caller owns the transaction. Writing the planned labels (and our comment) to
the tracker is the last step, `service.triage.writeback`.

A ticket whose content (see `service.tickets.snapshot.content_hash`) and scorer
version (`service.scoring.scorer_version(policy)`) did not change is not
assessed again; its stored verdict still yields a label plan when the ticket's
managed labels do not match it. A ticket labelled `ai:skip` is assessed and
stored, gets no label (it loses the managed ones, `labels.remove_on_close`), and
never enters the queue; so does a closed ticket.

When a ticket opens or closes, the stored tickets it blocks are assessed again
(`service.triage.blockers`); their results are the result's `dependents`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from connectors.base import Ticket, TicketState
from service import db, queue
from service.queue import reconcile
from service.queue.reconcile import QueueChange
from service.scoring import Policy, Verdict, assess, scorer_version
from service.scoring.document import parse
from service.tickets import store
from service.tickets.models import AssessmentRecord, Source, TicketRecord
from service.tickets.snapshot import content_hash, ticket_to_json
from service.triage.blockers import blocked_by
from service.triage.context import build_context
from service.triage.results import TriageResult, result_for, unchanged_result


def triage_ticket(
    session: Session, ticket: Ticket, policy: Policy, *, now: datetime, force: bool = False
) -> TriageResult:
    """Store the ticket, assess it if it changed (or with `force`: what scoring knows
    of it changed, such as an agent's questions), reconcile the queue, plan labels.

    When the ticket opened or closed, the stored tickets it blocks are assessed
    again (a closed blocker is no blocker); their results are in `dependents`,
    with their own label plans."""
    result, state_changed = _triage(session, ticket, policy, now=now, force=force)
    if not state_changed:
        return result
    dependents = tuple(
        _triage(session, dependent, policy, now=now, force=True)[0]
        for dependent in blocked_by(session, ticket)
    )
    return replace(result, dependents=dependents) if dependents else result


# built once: the ticket's row (locked) and its latest assessment
_STORED_TICKET = (
    select(TicketRecord, AssessmentRecord)
    .join(TicketRecord.source)
    .outerjoin(AssessmentRecord, AssessmentRecord.id == store.latest_assessment_id())
    .where(Source.name == bindparam("source"), TicketRecord.key == bindparam("key"))
    .with_for_update(of=TicketRecord)
)


def _triage(
    session: Session, ticket: Ticket, policy: Policy, *, now: datetime, force: bool
) -> tuple[TriageResult, bool]:
    """The pipeline; also says whether the ticket's state (open, closed) changed.
    `force` assesses again even when nothing in the ticket changed."""
    found = session.execute(_STORED_TICKET, {"source": ticket.source, "key": ticket.key}).first()
    row, latest = found if found is not None else (None, None)
    digest = content_hash(ticket, policy.labels.managed())
    version = scorer_version(policy)
    snapshot = ticket_to_json(ticket)

    if (
        row is not None
        and latest is not None
        and row.content_hash == digest
        and latest.scorer_version == version
        and row.deleted_at is None
        and not force
    ):
        # Unchanged. Keep the newest snapshot (managed labels, updated_at) quietly.
        if row.snapshot != snapshot:
            row.snapshot = snapshot
            row.tracker_updated_at = ticket.updated_at
        claimed = queue.is_claimed(session, row.id, now)
        return unchanged_result(ticket, latest, policy, claimed=claimed), False

    content_changed = row is not None and row.content_hash != digest
    reopened = (
        row is not None and row.state == TicketState.CLOSED and ticket.state == TicketState.OPEN
    )
    state_changed = row is not None and row.state != ticket.state
    previous_verdict = Verdict(latest.verdict) if latest is not None else None
    if row is None:
        source = store.get_or_create_source(session, ticket.source, now)
        row = TicketRecord(source_id=source.id, key=ticket.key, first_seen=now, skipped=False)
        session.add(row)
    row.title = ticket.title
    row.url = ticket.url
    row.state = str(ticket.state)
    row.priority = ticket.priority
    row.snapshot = snapshot
    row.tracker_updated_at = ticket.updated_at
    row.deleted_at = None
    if row.content_hash != digest:
        row.last_changed = now
    row.content_hash = digest

    doc = parse(ticket.title, ticket.body)
    with session.no_autoflush:  # the row is written once, with its verdict
        context = build_context(
            session, ticket, doc, ticket_id=row.id, now=now, content_hash=digest
        )
    assessment = assess(ticket, context, policy, document=doc)
    record = store.record_assessment(session, row, assessment, now)
    queue_change = reconcile.reconcile(
        session,
        row,
        assessment,
        changed=content_changed,
        reopened=reopened,
        now=now,
        new=found is None,
    )
    view = store.assessment_view(record)
    result = result_for(
        ticket,
        view,
        policy,
        previous_verdict=previous_verdict,
        changed=True,
        queue_change=queue_change,
        claimed=queue.is_claimed(session, row.id, now),
    )
    return result, state_changed


def mark_deleted(
    session: Session, source: str, key: str, *, now: datetime | None = None
) -> QueueChange | None:
    """The ticket no longer exists on the tracker: keep its history, drop it from
    the queue (a claimed entry stays with its agent, flagged). Unknown keys are
    ignored."""
    row = store.find_row(session, source, key)
    if row is None:
        return None
    when = now or db.utcnow()
    if row.deleted_at is None:
        row.deleted_at = when
        row.last_changed = when
    return reconcile.drop_ticket(session, row.id, when)
