"""Incremental sync: pull what changed since the source's cursor, triage it,
write the label plans back, advance the cursor.

Sync is an edge: it owns its transactions. The source's cursor is the latest
tracker `updated_at` among the tickets whose writes were made; it only moves
forward and never past the time the run started. Tickets come oldest change
first, a page at a time:

1. read every page, triaging each ticket, and commit each page (tickets,
   assessments, queue) with the cursor where it was. Nothing is written to the
   tracker while pages are read: a label write bumps a ticket's `updated`, and
   under a search that pages by offset (`ORDER BY updated`, Jira's startAt and
   page tokens) the next page would then skip tickets;
2. then, page by page, write the label plans and comments to the tracker (the
   one round trip, `service.triage.writeback.write_back`);
3. record what was written, advance the cursor past the page, and commit.

A crash in 1 re-reads the pages on the next run: the tickets are unchanged by
then, so triage costs nothing, and their label plans (computed from the labels
the tracker shows) are written then. A crash after 2 re-reads the page too; the
labels are already on the tracker, so there is nothing left to write (label
writes are idempotent, and our comment is edited in place). So nothing is lost
and nothing harmful is repeated. Tracker writes happen while no write
transaction is open, so a slow tracker never holds a database lock.

When a ticket opens or closes, triage re-assesses the stored tickets it blocks
(`TriageResult.dependents`); their label plans are written with the ticket's.
If the run stops before those writes (a crash, or a tracker error), the ticket
is read again on the next run, unchanged, so it frees nothing any more: a ticket
read again unchanged that some stored assessment names as a blocker brings back
the label plans of the tickets it blocked whose labels lag behind their verdict
(`blockers.with_lagging_dependents`; the names come from one query per run).

A tracker error stops the run after committing what was done; the cursor
stops before the first ticket whose writes failed, and the error is reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from connectors.base import Connector, Ticket, TrackerError
from service import db
from service.scoring import Policy, Verdict
from service.tickets.models import Source
from service.tickets.store import get_or_create_source
from service.triage.blockers import blocker_names, named_blockers, with_lagging_dependents
from service.triage.pipeline import triage_ticket
from service.triage.results import TriageResult
from service.triage.writeback import write_back

LabelChange = tuple[str, tuple[str, ...], tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class SyncReport:
    source: str
    seen: int
    changed: int
    newly_ready: tuple[str, ...]
    dropped: tuple[str, ...]
    label_changes: tuple[LabelChange, ...]  # (key, add, remove) planned
    labels_written: int
    comments_written: int
    cursor_before: datetime | None
    cursor_after: datetime | None
    error: str | None
    dry_run: bool


@dataclass(frozen=True, slots=True)
class _Read:
    """A ticket read and triaged, waiting for its writes: what the cursor and the
    write-back need of it (not the ticket's text, which may be large)."""

    updated_at: datetime | None
    result: TriageResult


@dataclass(slots=True)
class _Run:
    session: Session
    connector: Connector
    policy: Policy
    source_id: int
    started: datetime
    clock: Callable[[], datetime]
    dry_run: bool
    comment_verdicts: frozenset[Verdict]
    cursor: datetime | None
    named_blockers: frozenset[str] = frozenset()
    seen: int = 0
    changed: int = 0
    newly_ready: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    label_changes: list[LabelChange] = field(default_factory=list)
    labels_written: int = 0
    comments_written: int = 0

    @property
    def writes_to_tracker(self) -> bool:
        return not self.dry_run and not self.connector.read_only

    def commit(self) -> None:
        if self.dry_run:
            self.session.flush()
        else:
            self.session.commit()

    def triage(self, ticket: Ticket) -> TriageResult:
        result = triage_ticket(self.session, ticket, self.policy, now=self.clock())
        if not result.changed and blocker_names(ticket.key) & self.named_blockers:
            # read again, unchanged, and named as a blocker: an earlier run may have
            # stopped before writing the labels of the tickets it freed or blocked
            result = with_lagging_dependents(self.session, ticket, result, self.policy)
        self.seen += 1
        for r in (result, *result.dependents):
            if r.changed:
                self.changed += 1
            if r.queue_change == "entered":
                self.newly_ready.append(r.key)
            elif r.queue_change == "left":
                self.dropped.append(r.key)
            if r.needs_labels:
                self.label_changes.append((r.key, r.labels_add, r.labels_remove))
        return result

    def finish_page(self, page: list[_Read]) -> TrackerError | None:
        """Commit the page's triage, write to the tracker, then record and move the cursor."""
        if not self.writes_to_tracker:
            self.commit()
            self.advance_cursor(page)
            self.commit()
            return None
        done = write_back(
            self.session,
            self.connector,
            [read.result for read in page],
            self.policy,
            comment_verdicts=self.comment_verdicts,
            commit=self.commit,
            now=self.clock(),
        )
        error = next((d.error for d in done if d.error is not None), None)
        failed = next((i for i, d in enumerate(done) if d.error is not None), len(page))
        for back in done:
            self.labels_written += sum(1 for w in back.writes if w.labels is not None)
            self.comments_written += sum(1 for w in back.writes if w.comment is not None)
        self.advance_cursor(page[:failed])
        self.commit()
        return error

    def advance_cursor(self, tickets: list[_Read]) -> None:
        stamps = [t.updated_at for t in tickets if t.updated_at is not None]
        if not stamps:
            return
        candidate = min(max(stamps), self.started)
        if self.cursor is not None and candidate <= self.cursor:
            return
        self.cursor = candidate
        source = self.session.get_one(Source, self.source_id)
        source.cursor = candidate
        source.updated_at = self.clock()


def sync_source(
    sessions: sessionmaker[Session],
    connector: Connector,
    policy: Policy,
    *,
    dry_run: bool = False,
    comment_verdicts: frozenset[Verdict] = frozenset(),
    now: Callable[[], datetime] | None = None,
    on_progress: Callable[[TriageResult], None] | None = None,
    page_size: int = 100,
    overlap: timedelta = timedelta(seconds=1),
) -> SyncReport:
    """Sync one source (see the module's description). With `dry_run` nothing is
    written to the tracker or the database, and the report holds the plan."""
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    clock = now or db.utcnow
    started = clock()
    with sessions() as session:
        source = get_or_create_source(session, connector.source, started)
        cursor_before = source.cursor
        run = _Run(
            session=session,
            connector=connector,
            policy=policy,
            source_id=source.id,
            started=started,
            clock=clock,
            dry_run=dry_run,
            comment_verdicts=comment_verdicts,
            cursor=cursor_before,
            named_blockers=named_blockers(session),
        )
        run.commit()
        error: TrackerError | None = None
        since = cursor_before - overlap if cursor_before is not None else None
        # every page is read before anything is written (the module's step 1: why)
        pages: list[list[_Read]] = []
        page: list[_Read] = []
        try:
            for ticket in connector.fetch_changed(since):
                result = run.triage(ticket)
                page.append(_Read(ticket.updated_at, result))
                if on_progress is not None:
                    on_progress(result)
                if len(page) >= page_size:
                    run.commit()
                    pages.append(page)
                    page = []
        except TrackerError as exc:
            error = exc
        if page:
            run.commit()
            pages.append(page)
        for read in pages:  # then write, page by page, the cursor following the writes
            page_error = run.finish_page(read)
            if page_error is not None:
                error = error or page_error
                break
        if dry_run:
            session.rollback()
        if not dry_run and error is None:
            stored = session.get_one(Source, run.source_id)
            stored.last_synced_at = clock()  # the last sync that ended without an error
            session.commit()
        return SyncReport(
            source=connector.source,
            seen=run.seen,
            changed=run.changed,
            newly_ready=tuple(run.newly_ready),
            dropped=tuple(run.dropped),
            label_changes=tuple(run.label_changes),
            labels_written=run.labels_written,
            comments_written=run.comments_written,
            cursor_before=cursor_before,
            cursor_after=run.cursor,
            error=str(error) if error is not None else None,
            dry_run=dry_run,
        )
