"""The pipeline for one ticket: store, assess, reconcile the queue, plan labels.

Sync, webhooks and the CLI all call `triage_ticket`; none of them repeats a
step. The functions here take a session and never commit: the caller owns the
transaction. Writing the planned labels to the tracker is the caller's job
(it owns the connector); `record_labels_applied` notes what was written.

A ticket whose content (see `service.snapshot.content_hash`) and scorer version
(`service.scoring.scorer_version(policy)`) did not change is not assessed
again; its stored verdict still yields a label plan when the ticket's managed
labels do not match it. A ticket labelled `ai:skip` is assessed and stored but
never touched: no labels, and it never enters the queue.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from connectors.base import OWN_COMMENT_MARKER, Connector, Ticket, TicketState
from service import queue
from service.models import AppliedLabels, AssessmentRecord, Source, TicketRecord
from service.queue import QueueChange
from service.scoring import (
    Assessment,
    BacklogContext,
    Dimension,
    Finding,
    Policy,
    Verdict,
    assess,
    scorer_version,
)
from service.scoring.document import Document, parse
from service.snapshot import content_hash, ticket_from_json, ticket_to_json


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


@dataclass(frozen=True, slots=True)
class TriageResult:
    """What triaging one ticket did, and the label writes it asks for."""

    source: str
    key: str
    title: str
    verdict: Verdict
    previous_verdict: Verdict | None
    overall: int
    changed: bool  # a new assessment was recorded
    queue_change: QueueChange | None
    labels_add: tuple[str, ...]
    labels_remove: tuple[str, ...]
    assessment: AssessmentView
    state: TicketState = TicketState.OPEN
    # stored tickets re-assessed because this one opened or closed (their blocker)
    dependents: tuple[TriageResult, ...] = ()

    @property
    def needs_labels(self) -> bool:
        return bool(self.labels_add or self.labels_remove)


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


# --- storage -------------------------------------------------------------------


def source_kind(name: str) -> str:
    """`github` for `github:owner/repo`; `unknown` when the name has no kind."""
    kind, sep, _ = name.partition(":")
    return kind if sep and kind else "unknown"


def get_or_create_source(session: Session, name: str, now: datetime) -> Source:
    """The source row for `name`, created (with no cursor) on first use."""
    source = session.scalars(select(Source).where(Source.name == name)).first()
    if source is None:
        source = Source(
            name=name, kind=source_kind(name), cursor=None, created_at=now, updated_at=now
        )
        session.add(source)
        session.flush()
    return source


def _find_ticket(session: Session, source: str, key: str) -> TicketRecord | None:
    return session.scalars(
        select(TicketRecord)
        .join(TicketRecord.source)
        .where(Source.name == source)
        .where(TicketRecord.key == key)
    ).first()


def _latest_assessment(session: Session, ticket_id: int) -> AssessmentRecord | None:
    return session.scalars(
        select(AssessmentRecord)
        .where(AssessmentRecord.ticket_id == ticket_id)
        .order_by(AssessmentRecord.id.desc())
        .limit(1)
    ).first()


def _finding_from_json(data: dict[str, Any]) -> Finding:
    return Finding(
        code=str(data["code"]),
        dimension=Dimension(data["dimension"]),
        message=str(data["message"]),
        points=int(data["points"]),
        suggestion=str(data["suggestion"]),
        blocking=bool(data.get("blocking", False)),
    )


def _assessment_view(record: AssessmentRecord) -> AssessmentView:
    return AssessmentView(
        id=record.id,
        verdict=Verdict(record.verdict),
        overall=record.overall,
        dimensions={str(k): int(v) for k, v in record.dimensions.items()},
        findings=tuple(_finding_from_json(f) for f in record.findings),
        missing=tuple(str(m) for m in record.missing),
        blockers=tuple(str(b) for b in record.blockers),
        areas=tuple(str(a) for a in record.areas),
        estimate_hours=(record.estimate_low, record.estimate_high),
        estimate_basis=record.estimate_basis,
        scorer_version=record.scorer_version,
        skipped=record.skipped,
        created_at=record.created_at,
    )


def _record_assessment(
    session: Session, row: TicketRecord, assessment: Assessment, now: datetime
) -> AssessmentRecord:
    record = AssessmentRecord(
        ticket_id=row.id,
        verdict=str(assessment.verdict),
        overall=assessment.overall,
        dimensions={name: d.score for name, d in assessment.dimensions.items()},
        findings=[f.as_dict() for f in assessment.findings],
        missing=list(assessment.missing),
        blockers=list(assessment.blockers),
        areas=list(assessment.areas),
        estimate_low=assessment.estimate.low,
        estimate_high=assessment.estimate.high,
        estimate_basis=assessment.estimate.basis,
        scorer_version=assessment.scorer_version,
        skipped=assessment.skipped,
        content_hash=row.content_hash,
        created_at=now,
    )
    session.add(record)
    row.verdict = str(assessment.verdict)
    row.overall = assessment.overall
    row.skipped = assessment.skipped
    session.flush()
    return record


# --- the backlog context -------------------------------------------------------


def _qualified(target: str, ticket_key: str) -> str | None:
    """`owner/repo#12` for a bare `#12` written in a ticket of `owner/repo`."""
    if target.startswith("#") and "#" in ticket_key:
        repo = ticket_key.split("#", 1)[0]
        if repo:
            return repo + target
    return None


def build_context(
    session: Session, ticket: Ticket, doc: Document, *, ticket_id: int | None, now: datetime
) -> BacklogContext:
    """What scoring may know of the rest of the backlog, read from the database:
    the states of the tickets this one names (stored states, overridden by the
    states the tracker gave on its links) and the areas of other tickets' claims."""
    targets = {link.target for link in ticket.links} | {ref.target for ref in doc.refs}
    aliases: dict[str, set[str]] = {}
    for target in targets:
        names = {target}
        if (qualified := _qualified(target, ticket.key)) is not None:
            names.add(qualified)
        for name in names:
            aliases.setdefault(name, set()).update(names)
    states: dict[str, TicketState] = {}
    if aliases:
        rows = session.execute(
            select(TicketRecord.key, TicketRecord.state).where(
                TicketRecord.key.in_(sorted(aliases)), TicketRecord.deleted_at.is_(None)
            )
        )
        for key, state in rows:
            for name in aliases[key]:
                # when two sources share a key, an open ticket wins (the safer answer)
                if states.get(name) != TicketState.OPEN:
                    states[name] = TicketState(state)
    for link in ticket.links:
        if link.state is not None:
            states[link.target] = link.state
    in_flight = queue.areas_in_flight(session, now, exclude_ticket_id=ticket_id)
    return BacklogContext(ticket_states=states, areas_in_flight=in_flight)


# --- the pipeline --------------------------------------------------------------


def label_plan(
    labels: tuple[str, ...],
    verdict: Verdict,
    policy: Policy,
    *,
    skipped: bool,
    state: TicketState,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(add, remove): the verdict's managed label if missing; other managed labels
    present. Nothing for a skipped or closed ticket: those are never touched."""
    if skipped or state != TicketState.OPEN:
        return (), ()
    desired = policy.labels.for_verdict(verdict)
    add = () if desired in labels else (desired,)
    remove = tuple(lbl for lbl in policy.labels.managed() if lbl in labels and lbl != desired)
    return add, remove


def triage_ticket(
    session: Session, ticket: Ticket, policy: Policy, *, now: datetime
) -> TriageResult:
    """Store the ticket, assess it if it changed, reconcile the queue, plan labels.

    When the ticket opened or closed, the stored tickets it blocks are assessed
    again (a closed blocker is no blocker); their results are in `dependents`,
    with their own label plans."""
    result, state_changed = _triage(session, ticket, policy, now=now, force=False)
    if not state_changed:
        return result
    dependents = tuple(
        _triage(session, dependent, policy, now=now, force=True)[0]
        for dependent in _blocked_by(session, ticket)
    )
    return replace(result, dependents=dependents) if dependents else result


def _blocked_by(session: Session, blocker: Ticket) -> list[Ticket]:
    """Stored tickets whose latest assessment names `blocker` as a blocker."""
    names = {blocker.key}
    if "#" in blocker.key:
        names.add("#" + blocker.key.split("#", 1)[1])
    blocked = session.scalars(
        select(TicketRecord).where(
            TicketRecord.verdict == str(Verdict.BLOCKED), TicketRecord.deleted_at.is_(None)
        )
    )
    found: list[Ticket] = []
    for row in blocked:
        latest = _latest_assessment(session, row.id)
        if latest is None or row.key == blocker.key:
            continue
        if names & {str(b) for b in latest.blockers}:
            found.append(ticket_from_json(row.snapshot))
    return found


def _triage(
    session: Session, ticket: Ticket, policy: Policy, *, now: datetime, force: bool
) -> tuple[TriageResult, bool]:
    """The pipeline; also says whether the ticket's state (open, closed) changed.
    `force` assesses again even when nothing in the ticket changed."""
    source = get_or_create_source(session, ticket.source, now)
    row = session.scalars(
        select(TicketRecord)
        .where(TicketRecord.source_id == source.id, TicketRecord.key == ticket.key)
        .with_for_update(of=TicketRecord)
    ).first()
    digest = content_hash(ticket, policy.labels.managed())
    version = scorer_version(policy)
    latest = _latest_assessment(session, row.id) if row is not None else None
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
        view = _assessment_view(latest)
        add, remove = label_plan(
            ticket.labels, view.verdict, policy, skipped=view.skipped, state=ticket.state
        )
        return TriageResult(
            source=ticket.source,
            key=ticket.key,
            title=ticket.title,
            verdict=view.verdict,
            previous_verdict=view.verdict,
            overall=view.overall,
            changed=False,
            queue_change=None,
            labels_add=add,
            labels_remove=remove,
            assessment=view,
            state=ticket.state,
        ), False

    content_changed = row is not None and row.content_hash != digest
    reopened = (
        row is not None and row.state == TicketState.CLOSED and ticket.state == TicketState.OPEN
    )
    state_changed = row is not None and row.state != ticket.state
    previous_verdict = Verdict(latest.verdict) if latest is not None else None
    if row is None:
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
    session.flush()

    doc = parse(ticket.title, ticket.body)
    context = build_context(session, ticket, doc, ticket_id=row.id, now=now)
    assessment = assess(ticket, context, policy, document=doc)
    record = _record_assessment(session, row, assessment, now)
    queue_change = queue.reconcile(
        session, row, assessment, changed=content_changed, reopened=reopened, now=now
    )
    add, remove = label_plan(
        ticket.labels, assessment.verdict, policy, skipped=assessment.skipped, state=ticket.state
    )
    return TriageResult(
        source=ticket.source,
        key=ticket.key,
        title=ticket.title,
        verdict=assessment.verdict,
        previous_verdict=previous_verdict,
        overall=assessment.overall,
        changed=True,
        queue_change=queue_change,
        labels_add=add,
        labels_remove=remove,
        assessment=_assessment_view(record),
        state=ticket.state,
    ), state_changed


def _applied(session: Session, source: str, key: str) -> AppliedLabels:
    row = _find_ticket(session, source, key)
    if row is None:
        raise LookupError(f"{source} {key}: no such ticket stored")
    applied = session.get(AppliedLabels, row.id)
    if applied is None:
        applied = AppliedLabels(ticket_id=row.id, labels=[])
        session.add(applied)
    return applied


def record_labels_applied(
    session: Session,
    source: str,
    key: str,
    labels: Sequence[str],
    *,
    removed: Sequence[str] = (),
    now: datetime | None = None,
) -> None:
    """Note a label write just made on the tracker: `labels` are the managed labels
    now on the ticket, `removed` the ones the write took off. The stored snapshot
    follows the write, so a later re-assessment plans from the labels as they are
    (managed labels we applied before and no longer list count as removed)."""
    applied = _applied(session, source, key)
    row = session.get_one(TicketRecord, applied.ticket_id)
    gone = (set(removed) | set(applied.labels)) - set(labels)
    current = [lbl for lbl in row.snapshot.get("labels", []) if lbl not in gone]
    current += [lbl for lbl in labels if lbl not in current]
    row.snapshot = {**row.snapshot, "labels": current}
    applied.labels = sorted(labels)
    applied.applied_at = now or datetime.now(UTC)
    session.flush()


def write_labels(
    session: Session,
    connector: Connector,
    result: TriageResult,
    policy: Policy,
    *,
    now: datetime,
) -> int:
    """The last step of the pipeline: apply the label plans of a result and of the
    tickets it freed (`dependents`) to the tracker, and record each write.

    Only the planned labels are added or removed; a person's labels stay. Read-only
    sources are never written. Returns how many tickets were written to; a tracker
    error stops at the ticket that failed, the earlier writes stay recorded.
    """
    if connector.read_only:
        return 0
    written = 0
    for r in (result, *result.dependents):
        if not r.needs_labels:
            continue
        connector.apply_labels(r.key, r.labels_add, r.labels_remove)
        # afterwards the verdict's label is the one managed label on the ticket
        now_on = (policy.labels.for_verdict(r.verdict),)
        record_labels_applied(session, r.source, r.key, now_on, removed=r.labels_remove, now=now)
        written += 1
    return written


def comment_digest(body: str) -> str:
    """The digest stored for a comment we wrote, to tell whether it would change."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def written_comment_digest(session: Session, source: str, key: str) -> str | None:
    """The digest of the comment we last wrote on this ticket; None when none."""
    row = _find_ticket(session, source, key)
    if row is None:
        return None
    applied = session.get(AppliedLabels, row.id)
    return applied.comment_digest if applied is not None else None


def record_comment_written(
    session: Session, source: str, key: str, body: str, *, now: datetime | None = None
) -> None:
    """Note that our comment on this ticket now reads `body`."""
    applied = _applied(session, source, key)
    applied.comment_digest = comment_digest(body)
    applied.comment_written_at = now or datetime.now(UTC)
    session.flush()


def mark_deleted(
    session: Session, source: str, key: str, *, now: datetime | None = None
) -> QueueChange | None:
    """The ticket no longer exists on the tracker: keep its history, drop it from
    the queue (a claimed entry stays with its agent, flagged). Unknown keys are
    ignored."""
    row = _find_ticket(session, source, key)
    if row is None:
        return None
    when = now or datetime.now(UTC)
    if row.deleted_at is None:
        row.deleted_at = when
        row.last_changed = when
    return queue.drop_ticket(session, row.id, when)


# --- reading -------------------------------------------------------------------


def get_ticket(session: Session, source: str, key: str) -> StoredTicket | None:
    """The stored ticket and its latest assessment; None when not stored."""
    row = _find_ticket(session, source, key)
    if row is None:
        return None
    latest = _latest_assessment(session, row.id)
    applied = session.get(AppliedLabels, row.id)
    return StoredTicket(
        ticket=ticket_from_json(row.snapshot),
        assessment=_assessment_view(latest) if latest is not None else None,
        first_seen=row.first_seen,
        last_changed=row.last_changed,
        deleted_at=row.deleted_at,
        applied_labels=tuple(applied.labels) if applied is not None else (),
    )


def assessment_history(
    session: Session, source: str, key: str, *, limit: int = 50
) -> list[AssessmentView]:
    """The ticket's assessments, newest first."""
    row = _find_ticket(session, source, key)
    if row is None:
        return []
    records = session.scalars(
        select(AssessmentRecord)
        .where(AssessmentRecord.ticket_id == row.id)
        .order_by(AssessmentRecord.id.desc())
        .limit(limit)
    )
    return [_assessment_view(r) for r in records]


def list_tickets(
    session: Session,
    *,
    verdict: Verdict | str | None = None,
    source: str | None = None,
    include_deleted: bool = False,
    limit: int = 100,
    offset: int = 0,
) -> list[TicketSummary]:
    """Stored tickets, best first (overall score, then key)."""
    stmt = select(TicketRecord).join(TicketRecord.source)
    if verdict is not None:
        stmt = stmt.where(TicketRecord.verdict == str(Verdict(verdict)))
    if source is not None:
        stmt = stmt.where(Source.name == source)
    if not include_deleted:
        stmt = stmt.where(TicketRecord.deleted_at.is_(None))
    stmt = (
        stmt.order_by(func.coalesce(TicketRecord.overall, -1).desc(), Source.name, TicketRecord.key)
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


# --- the author's comment -------------------------------------------------------

_VERDICT_SENTENCE = {
    Verdict.READY: "This ticket is ready to be handed to an AI coding agent.",
    Verdict.NEEDS_CLARITY: "This ticket needs a clearer description before an agent can take it.",
    Verdict.TOO_LARGE: "This ticket looks too large for one agent in one sitting: split it.",
    Verdict.BLOCKED: "This ticket is blocked by other work that is still open.",
    Verdict.NEEDS_REVIEW: "A maintainer needs to review this ticket before an agent may take it.",
}


def _plain_line(text: str) -> str:
    """One line of scoring output, made inert for Markdown and HTML."""
    line = " ".join(text.split())
    return html.escape(line, quote=False).replace("@", "@\u200b")


def render_comment(result: TriageResult) -> str:
    """A short Markdown comment for the ticket's author: the verdict and what is
    missing. The ticket's own text is never echoed."""
    view = result.assessment
    lines = [
        OWN_COMMENT_MARKER,
        f"**AI-readiness: `{result.verdict}`** (score {result.overall}/100)",
        "",
        _VERDICT_SENTENCE[result.verdict],
    ]
    if view.missing:
        lines += ["", "What would make it ready:", ""]
        lines += [f"- {_plain_line(item)}" for item in view.missing]
    lines += [
        "",
        "<sub>Written by backlog-sync; it updates this comment when the ticket changes.</sub>",
    ]
    return "\n".join(lines) + "\n"
