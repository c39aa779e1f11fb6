"""The pipeline for one ticket: store, assess, reconcile the queue, plan labels.

Sync, webhooks and the CLI all call `triage_ticket`; none of them repeats a
step. The functions here take a session and never commit: the caller owns the
transaction. Writing the planned labels to the tracker is the last step
(`write_labels`, or `apply_label_plans` then `record_label_writes` when the
tracker is written while no transaction is open); `record_labels_applied`
notes what was written. `refresh_tickets` is the whole round trip (fetch,
triage, commit, write labels, record) for the tickets a webhook or the API's
rescore names.

A ticket whose content (see `service.snapshot.content_hash`) and scorer version
(`service.scoring.scorer_version(policy)`) did not change is not assessed
again; its stored verdict still yields a label plan when the ticket's managed
labels do not match it. A ticket labelled `ai:skip` is assessed and stored but
never touched: no labels, and it never enters the queue.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, Text, bindparam, cast, func, insert, or_, select
from sqlalchemy.orm import Session

from connectors.base import (
    AuthError,
    Connector,
    Ticket,
    TicketState,
    TrackerError,
)
from service import db, queue
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


# session.info key of the reads shared by the tickets triaged together (`_shared_reads`)
_SHARED_READS = "backlog_sync.triage.shared_reads"


@contextmanager
def _shared_reads(session: Session) -> Iterator[None]:
    """While tickets are triaged together in one transaction, read once what
    triaging one of them does not change: source rows and claimed areas."""
    session.info[_SHARED_READS] = {}
    try:
        yield
    finally:
        session.info.pop(_SHARED_READS, None)


def _shared(session: Session) -> dict[tuple[str, object], Any] | None:
    shared: dict[tuple[str, object], Any] | None = session.info.get(_SHARED_READS)
    return shared


def get_or_create_source(session: Session, name: str, now: datetime) -> Source:
    """The source row for `name`, created (with no cursor) on first use."""
    shared = _shared(session)
    if shared is not None and ("source", name) in shared:
        cached: Source = shared[("source", name)]
        return cached
    lookup = select(Source).where(Source.name == name)
    source = session.scalars(lookup).first()
    if source is None:
        # two transactions may both find none: the second waits for the first's row
        values = {"name": name, "kind": source_kind(name), "created_at": now, "updated_at": now}
        db.insert_ignore(session, Source, values, Source.id, conflict_on=["name"])
        source = session.scalars(lookup).one()
    if shared is not None:
        shared[("source", name)] = source
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


# built once: an INSERT of a whole assessment row, giving back its id
_ASSESSMENTS: Table = AssessmentRecord.__table__  # type: ignore[assignment]
_INSERT_ASSESSMENT = insert(_ASSESSMENTS).returning(_ASSESSMENTS.c.id)


def _record_assessment(
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

    def note(key: str, state: TicketState) -> None:
        for name in aliases[key]:
            # when two sources share a key, an open ticket wins (the safer answer)
            if states.get(name) != TicketState.OPEN:
                states[name] = state

    if aliases:
        rows = session.execute(
            select(Source.name, TicketRecord.key, TicketRecord.state)
            .join(TicketRecord.source)
            .where(TicketRecord.key.in_(sorted(aliases)), TicketRecord.deleted_at.is_(None))
        )
        for source, key, state in rows:
            # the ticket itself counts with the state it has now (its row may be older)
            if (source, key) != (ticket.source, ticket.key):
                note(key, TicketState(state))
        if ticket.key in aliases:
            note(ticket.key, ticket.state)
    for link in ticket.links:
        if link.state is not None:
            states[link.target] = link.state
    in_flight = _areas_in_flight(session, now, ticket.key, ticket_id)
    return BacklogContext(ticket_states=states, areas_in_flight=in_flight)


def _areas_in_flight(
    session: Session, now: datetime, key: str, ticket_id: int | None
) -> Mapping[str, frozenset[str]]:
    """Areas of the claims whose lease holds, but the ticket's own; read once for
    tickets triaged together (triage never claims), unless the ticket holds a claim."""
    shared = _shared(session)
    if shared is None:
        return queue.areas_in_flight(session, now, exclude_ticket_id=ticket_id)
    every: Mapping[str, frozenset[str]] | None = shared.get(("areas", now))
    if every is None:
        every = shared[("areas", now)] = queue.areas_in_flight(session, now)
    if ticket_id is None or key not in every:
        return every  # the ticket holds no claim: nothing of its own to leave out
    return queue.areas_in_flight(session, now, exclude_ticket_id=ticket_id)


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


def _latest_of_ticket() -> Any:
    return (
        select(func.max(AssessmentRecord.id))
        .where(AssessmentRecord.ticket_id == TicketRecord.id)
        .correlate(TicketRecord)
        .scalar_subquery()
    )


def _blocked_by(session: Session, blocker: Ticket) -> list[Ticket]:
    """Stored tickets whose latest assessment names `blocker` as a blocker.

    One statement: blocked tickets (`ix_tickets_verdict`) with their latest
    assessment (`ix_assessments_ticket_id_id`), narrowed in SQL to those whose
    blockers' JSON text names `blocker`; the names are then compared exactly."""
    names = blocker_names(blocker.key)
    stmt = (
        select(TicketRecord.snapshot, AssessmentRecord.blockers)
        .join(AssessmentRecord, AssessmentRecord.id == _latest_of_ticket())
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
        .join(AssessmentRecord, AssessmentRecord.id == _latest_of_ticket())
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
        result = _unchanged_result(ticket, latest, policy)
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


def _unchanged_result(ticket: Ticket, latest: AssessmentRecord, policy: Policy) -> TriageResult:
    """The result for a ticket whose stored assessment stands: no change, and the
    label change its labels still need."""
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
    )


# built once: the ticket's row (locked) and its latest assessment
_STORED_TICKET = (
    select(TicketRecord, AssessmentRecord)
    .join(TicketRecord.source)
    .outerjoin(AssessmentRecord, AssessmentRecord.id == _latest_of_ticket())
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
        return _unchanged_result(ticket, latest, policy), False

    content_changed = row is not None and row.content_hash != digest
    reopened = (
        row is not None and row.state == TicketState.CLOSED and ticket.state == TicketState.OPEN
    )
    state_changed = row is not None and row.state != ticket.state
    previous_verdict = Verdict(latest.verdict) if latest is not None else None
    if row is None:
        source = get_or_create_source(session, ticket.source, now)
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
        context = build_context(session, ticket, doc, ticket_id=row.id, now=now)
    assessment = assess(ticket, context, policy, document=doc)
    record = _record_assessment(session, row, assessment, now)
    queue_change = queue.reconcile(
        session,
        row,
        assessment,
        changed=content_changed,
        reopened=reopened,
        now=now,
        new=found is None,
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


def _applied_rows(
    session: Session, wanted: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], tuple[TicketRecord, AppliedLabels]]:
    """The rows and applied-labels rows (created, unsaved, when absent) of the
    (source, key) pairs, in one statement per source. LookupError for a ticket
    not stored."""
    by_source: dict[str, set[str]] = {}
    for source, key in wanted:
        by_source.setdefault(source, set()).add(key)
    found: dict[tuple[str, str], tuple[TicketRecord, AppliedLabels]] = {}
    for source, keys in by_source.items():
        rows = session.execute(
            select(TicketRecord, AppliedLabels)
            .join(TicketRecord.source)
            .outerjoin(AppliedLabels, AppliedLabels.ticket_id == TicketRecord.id)
            .where(Source.name == source, TicketRecord.key.in_(sorted(keys)))
        )
        for row, applied in rows:
            if applied is None:
                applied = AppliedLabels(ticket_id=row.id, labels=[])
                session.add(applied)
            found[(source, row.key)] = (row, applied)
    for pair in wanted:
        if pair not in found:
            raise LookupError(f"{pair[0]} {pair[1]}: no such ticket stored")
    return found


def _applied(session: Session, source: str, key: str) -> tuple[TicketRecord, AppliedLabels]:
    """The ticket's row and its applied-labels row (created, unsaved, when absent)."""
    return _applied_rows(session, [(source, key)])[(source, key)]


def _note_write(
    row: TicketRecord,
    applied: AppliedLabels,
    labels: Sequence[str],
    removed: Sequence[str],
    when: datetime,
) -> None:
    gone = (set(removed) | set(applied.labels)) - set(labels)
    current = [lbl for lbl in row.snapshot.get("labels", []) if lbl not in gone]
    current += [lbl for lbl in labels if lbl not in current]
    row.snapshot = {**row.snapshot, "labels": current}
    applied.labels = sorted(labels)
    applied.applied_at = when


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
    with session.no_autoflush:
        row, applied = _applied(session, source, key)
        _note_write(row, applied, labels, removed, now or datetime.now(UTC))
    session.flush()


@dataclass(frozen=True, slots=True)
class LabelWrite:
    """One label write made on the tracker: the managed labels now on the ticket
    (`labels`) and the ones the write took off (`removed`)."""

    source: str
    key: str
    labels: tuple[str, ...]
    removed: tuple[str, ...]


def apply_label_plans(
    connector: Connector, result: TriageResult, policy: Policy
) -> tuple[list[LabelWrite], TrackerError | None]:
    """Write the label plans of a result and of the tickets it freed (`dependents`)
    to the tracker; no database work, so no transaction need be open.

    Only the planned labels are added or removed; a person's labels stay.
    Read-only sources are never written. Returns the writes made and the tracker
    error that stopped them (None when every plan was written)."""
    return _apply(connector, (result, *result.dependents), policy)


def _apply(
    connector: Connector, plans: Sequence[TriageResult], policy: Policy
) -> tuple[list[LabelWrite], TrackerError | None]:
    writes: list[LabelWrite] = []
    if connector.read_only:
        return writes, None
    for r in plans:
        if not r.needs_labels:
            continue
        try:
            connector.apply_labels(r.key, r.labels_add, r.labels_remove)
        except TrackerError as exc:
            return writes, exc
        # afterwards the verdict's label is the one managed label on the ticket
        now_on = (policy.labels.for_verdict(r.verdict),)
        writes.append(LabelWrite(r.source, r.key, now_on, r.labels_remove))
    return writes, None


def record_label_writes(session: Session, writes: Sequence[LabelWrite], *, now: datetime) -> None:
    """Note label writes made by `apply_label_plans` (see `record_labels_applied`),
    reading the tickets written to in one statement per source."""
    if not writes:
        return
    with session.no_autoflush:
        rows = _applied_rows(session, [(w.source, w.key) for w in writes])
        for w in writes:
            row, applied = rows[(w.source, w.key)]
            _note_write(row, applied, w.labels, w.removed, now)
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
    error stops at the ticket that failed (and is raised), the earlier writes stay
    recorded.
    """
    writes, error = apply_label_plans(connector, result, policy)
    record_label_writes(session, writes, now=now)
    if error is not None:
        raise error
    return len(writes)


@dataclass(frozen=True, slots=True)
class Refreshed:
    """What `refresh_tickets` did for one wanted ticket: its triage (None when
    the fetch failed), the label writes made for it, and the tracker error that
    stopped its fetch or its writes (None when there was none)."""

    key: str
    result: TriageResult | None
    writes: tuple[LabelWrite, ...] = ()
    error: TrackerError | None = None


def _stops_the_rest(error: TrackerError) -> bool:
    """Whether the next tracker calls would fail the same way (so are not made)."""
    return error.retriable or isinstance(error, AuthError)


def refresh_tickets(
    session: Session,
    connector: Connector,
    policy: Policy,
    wanted: Sequence[Ticket | str],
    *,
    now: datetime,
    commit: Callable[[], None],
    retry: bool = False,
) -> list[Refreshed]:
    """Tickets' round trip, as sync does it for a page; used by the webhook
    worker and the API's rescore. For each wanted ticket, in order:

    1. the ticket: as given (a webhook payload that is the whole ticket), or
       fetched from the tracker by its key (a fetch error is that ticket's error);
    2. triage it (store, assess, reconcile the queue, plan labels); then
       `commit` is called: the caller ends its transaction there (the worker
       first checks that its deliveries are still its own), so no transaction
       is open while the tracker is read or written;
    3. write the label plans (the ticket's, and those of the tickets it freed)
       to the tracker; a ticket planned more than once gets only its last plan
       (the earlier ones were made from older data); a tracker error stops that
       ticket's writes, and those of the tickets after it when it would stop
       them too (rate limited, unavailable, refused credentials);
    4. record the writes in `session`, in a few statements; the caller commits.

    Call it with no transaction open on `session`. A crash after 2 loses
    nothing: triaging a ticket again costs nothing (it is unchanged) and plans
    the labels still missing on the tracker, which are then written. The
    tickets it freed or blocked were re-assessed in 2 as well, so triaging it
    again does not find them: with `retry` (the caller did this work before
    and may have stopped after 2) the stored tickets it ever blocked whose
    labels lag behind their verdict get their label plans again. An error that
    is not the tracker's (a database error) is raised, after 2 with the triage
    of every ticket undone.
    """
    stopped: TrackerError | None = None  # a failure every later call would meet too
    tickets: list[Ticket | TrackerError] = []
    for item in wanted:
        if isinstance(item, Ticket):
            tickets.append(item)
            continue
        if stopped is not None:
            tickets.append(stopped)
            continue
        try:
            tickets.append(connector.fetch_one(item))
        except TrackerError as exc:
            tickets.append(exc)
            stopped = exc if _stops_the_rest(exc) else None
    with _shared_reads(session):
        results = [
            t if isinstance(t, TrackerError) else triage_ticket(session, t, policy, now=now)
            for t in tickets
        ]
    if retry:
        for index, (ticket, result) in enumerate(zip(tickets, results, strict=True)):
            if isinstance(ticket, TrackerError) or isinstance(result, TrackerError):
                continue
            results[index] = with_lagging_dependents(session, ticket, result, policy)
    commit()
    last: dict[str, int] = {}
    for index, result in enumerate(results):
        if not isinstance(result, TrackerError):
            for r in (result, *result.dependents):
                last[r.key] = index
    done: list[Refreshed] = []
    stopped = None
    for index, (item, result) in enumerate(zip(wanted, results, strict=True)):
        key = item.key if isinstance(item, Ticket) else item
        if isinstance(result, TrackerError):
            done.append(Refreshed(key, None, error=result))
            continue
        plans = [r for r in (result, *result.dependents) if last[r.key] == index]
        if stopped is not None and any(r.needs_labels for r in plans):
            done.append(Refreshed(key, result, error=stopped))
            continue
        writes, error = _apply(connector, plans, policy)
        done.append(Refreshed(key, result, tuple(writes), error))
        if error is not None and _stops_the_rest(error):
            stopped = error
    record_label_writes(session, [w for r in done for w in r.writes], now=now)
    return done


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
    _, applied = _applied(session, source, key)
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
    missing. The ticket's own text is never echoed. The connector adds its
    tracker's marker that finds the comment again."""
    view = result.assessment
    lines = [
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
