"""The one round trip to the tracker after triage: the label plan and our one
comment, planned in the triage's transaction, written with no transaction
open, then recorded. Sync, the webhook worker and the API's rescore all come
through `write_back`; `refresh_tickets` is the whole trip (fetch, triage,
commit, write, record) for the tickets a webhook or a rescore names.

1. `write_back` plans, in the caller's open transaction: for each result and
   each ticket it freed or blocked (`TriageResult.dependents`), the labels to
   add and remove and our comment's new text. A ticket planned more than once
   gets only its last plan (the earlier ones were made from older data). Our
   comment is written when the verdict is one of `comment_verdicts`, or when
   we commented before (so an old comment never contradicts the verdict), and
   only when its text would change.
2. `commit` is called: the caller ends its transaction there, so no
   transaction is open while the tracker is written.
3. Each plan is written: labels (only the planned ones; a person's labels
   stay), then the comment. A tracker error stops that ticket's writes, and
   those of the tickets after it when it would stop them too (rate limited,
   unavailable, refused credentials). Read-only sources are never written.
4. What was written is recorded in the session (the stored snapshot follows
   our label writes; the comment's digest is kept); the caller commits.

A crash between 2 and 4 loses nothing: triaging the tickets again costs
nothing (they are unchanged) and plans what is still missing on the tracker.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.base import AuthError, Connector, Ticket, TicketState, TrackerError
from service.scoring import Policy, Verdict
from service.scoring.clarity import AGENT_REPORTED_UNCLEAR, QUESTION_LIMIT
from service.tickets import store
from service.tickets.models import AppliedLabels, Source, TicketRecord
from service.triage.blockers import with_lagging_dependents
from service.triage.pipeline import triage_ticket
from service.triage.results import TriageResult
from service.untrusted import markdown_line


@dataclass(frozen=True, slots=True)
class TrackerWrite:
    """What was written to one ticket: the managed labels now on it (`labels`,
    None when its labels were not written) and the ones taken off (`removed`),
    and our comment's new text (None when it was not written)."""

    source: str
    key: str
    labels: tuple[str, ...] | None
    removed: tuple[str, ...] = ()
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class WriteBack:
    """The round trip of one result: what was written for it (and for the
    tickets it freed), and the tracker error that stopped it (None: none did)."""

    writes: tuple[TrackerWrite, ...] = ()
    error: TrackerError | None = None


@dataclass(frozen=True, slots=True)
class _Plan:
    result: TriageResult
    comment: str | None

    @property
    def needed(self) -> bool:
        return self.result.needs_labels or self.comment is not None


def stops_the_rest(error: TrackerError) -> bool:
    """Whether the next tracker calls would fail the same way (so are not made)."""
    return error.retriable or isinstance(error, AuthError)


def write_back(
    session: Session,
    connector: Connector,
    results: Sequence[TriageResult | None],
    policy: Policy,
    *,
    comment_verdicts: frozenset[Verdict] = frozenset(),
    commit: Callable[[], None],
    now: datetime,
) -> list[WriteBack]:
    """Plan, commit, write and record the tracker writes of `results` (None for a
    ticket that was not triaged), in order; one WriteBack per result (see the
    module's description). An error that is not the tracker's is raised."""
    plans = _plans(session, connector, results, policy, comment_verdicts)
    commit()
    done: list[WriteBack] = []
    stopped: TrackerError | None = None
    for mine in plans:
        if stopped is not None:
            done.append(WriteBack(error=stopped if any(p.needed for p in mine) else None))
            continue
        writes, error = _write(connector, mine, policy)
        done.append(WriteBack(tuple(writes), error))
        if error is not None and stops_the_rest(error):
            stopped = error
    record_writes(session, [w for d in done for w in d.writes], now=now)
    return done


def _plans(
    session: Session,
    connector: Connector,
    results: Sequence[TriageResult | None],
    policy: Policy,
    comment_verdicts: frozenset[Verdict],
) -> list[list[_Plan]]:
    """Each result's plans: its own and its dependents', for the tickets whose
    last plan it holds."""
    last: dict[str, int] = {}
    for index, result in enumerate(results):
        for r in (result, *result.dependents) if result is not None else ():
            last[r.key] = index
    if connector.read_only:
        return [[] for _ in results]
    previous = _comment_digests(session, connector.source, sorted(last))
    plans: list[list[_Plan]] = []
    for index, result in enumerate(results):
        mine = []
        # the tickets it freed first: if one of their writes fails, the ticket's own
        # write is not made either, so the next sync reads it again and retries them
        for r in (*result.dependents, result) if result is not None else ():
            if last[r.key] == index:
                body = _comment_for(r, previous.get(r.key), comment_verdicts)
                mine.append(_Plan(r, body))
        plans.append(mine)
    return plans


def _write(
    connector: Connector, plans: Sequence[_Plan], policy: Policy
) -> tuple[list[TrackerWrite], TrackerError | None]:
    writes: list[TrackerWrite] = []
    for plan in plans:
        r = plan.result
        labels: tuple[str, ...] | None = None
        try:
            if r.needs_labels:
                connector.apply_labels(r.key, r.labels_add, r.labels_remove)
                # afterwards an open ticket carries its verdict's label (and the
                # claim's while claimed) alone of the managed ones; a closed or
                # skipped one carries none
                open_ = r.state == TicketState.OPEN and not r.assessment.skipped
                labels = policy.labels.wanted(r.verdict, claimed=r.claimed) if open_ else ()
            if plan.comment is not None:
                connector.upsert_comment(r.key, plan.comment)
        except TrackerError as exc:
            if labels is not None:
                writes.append(TrackerWrite(r.source, r.key, labels, r.labels_remove))
            return writes, exc
        if labels is not None or plan.comment is not None:
            removed = r.labels_remove if labels is not None else ()
            writes.append(TrackerWrite(r.source, r.key, labels, removed, plan.comment))
    return writes, None


# --- our one comment ------------------------------------------------------------

_VERDICT_SENTENCE = {
    Verdict.READY: "This ticket is ready to be handed to an AI coding agent.",
    Verdict.NEEDS_CLARITY: "This ticket needs a clearer description before an agent can take it.",
    Verdict.TOO_LARGE: "This ticket looks too large for one agent in one sitting: split it.",
    Verdict.BLOCKED: "This ticket is blocked by other work that is still open.",
    Verdict.NEEDS_REVIEW: "A maintainer needs to review this ticket before an agent may take it.",
}


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
    asked = [f for f in view.findings if f.code == AGENT_REPORTED_UNCLEAR and f.evidence]
    if asked:
        lines += ["", "An AI coding agent that took this ticket asked:", ""]
        lines += [
            f"- {markdown_line(question, limit=QUESTION_LIMIT, mentions=False)}"
            for f in asked
            for question in f.evidence.splitlines()
        ]
    if view.missing:
        lines += ["", "What would make it ready:", ""]
        lines += [f"- {markdown_line(item, mentions=False)}" for item in view.missing]
    lines += [
        "",
        "<sub>Written by backlog-sync; it updates this comment when the ticket changes.</sub>",
    ]
    return "\n".join(lines) + "\n"


def comment_digest(body: str) -> str:
    """The digest stored for a comment we wrote, to tell whether it would change."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _comment_for(
    result: TriageResult, previous: str | None, comment_verdicts: frozenset[Verdict]
) -> str | None:
    """Our comment's new text, when it should be written."""
    if result.assessment.skipped or result.state != TicketState.OPEN:
        return None
    if result.verdict not in comment_verdicts and previous is None:
        return None  # never commented, and this verdict is not commented on
    body = render_comment(result)
    return None if comment_digest(body) == previous else body


def _comment_digests(session: Session, source: str, keys: Sequence[str]) -> dict[str, str]:
    """The digest of the comment we last wrote on each of these tickets (those
    we never commented on are left out), in one statement."""
    if not keys:
        return {}
    rows = session.execute(
        select(TicketRecord.key, AppliedLabels.comment_digest)
        .join(TicketRecord.source)
        .join(AppliedLabels, AppliedLabels.ticket_id == TicketRecord.id)
        .where(
            Source.name == source,
            TicketRecord.key.in_(keys),
            AppliedLabels.comment_digest.is_not(None),
        )
    )
    return {key: digest for key, digest in rows if digest is not None}


# --- recording what was written -----------------------------------------------------


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


def record_writes(session: Session, writes: Sequence[TrackerWrite], *, now: datetime) -> None:
    """Note writes just made on the tracker, reading the tickets written to in one
    statement per source. The stored snapshot follows a label write (`labels`
    are the managed labels now on the ticket, `removed` the ones it took off;
    managed labels we applied before and no longer list count as removed), so
    a later re-assessment plans from the labels as they are."""
    if not writes:
        return
    with session.no_autoflush:
        rows = _applied_rows(session, [(w.source, w.key) for w in writes])
        for w in writes:
            row, applied = rows[(w.source, w.key)]
            if w.labels is not None:
                gone = (set(w.removed) | set(applied.labels)) - set(w.labels)
                current = [lbl for lbl in row.snapshot.get("labels", []) if lbl not in gone]
                current += [lbl for lbl in w.labels if lbl not in current]
                row.snapshot = {**row.snapshot, "labels": current}
                applied.labels = sorted(w.labels)
                applied.applied_at = now
            if w.comment is not None:
                applied.comment_digest = comment_digest(w.comment)
                applied.comment_written_at = now
    session.flush()


# --- the whole trip for named tickets ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Refreshed:
    """What `refresh_tickets` did for one wanted ticket: its triage (None when
    the fetch failed), what was written for it, and the tracker error that
    stopped its fetch or its writes (None when there was none)."""

    key: str
    result: TriageResult | None
    writes: tuple[TrackerWrite, ...] = ()
    error: TrackerError | None = None


def refresh_tickets(
    session: Session,
    connector: Connector,
    policy: Policy,
    wanted: Sequence[Ticket | str],
    *,
    now: datetime,
    commit: Callable[[], None],
    retry: bool = False,
    force: bool = False,
    comment_verdicts: frozenset[Verdict] = frozenset(),
) -> list[Refreshed]:
    """Tickets' round trip, as sync does it for a page; used by the webhook
    worker and the API's rescore. For each wanted ticket, in order: the ticket
    as given (a webhook payload that is the whole ticket), or fetched from the
    tracker by its key (a fetch error is that ticket's error); then triage
    (store, assess, reconcile the queue, plan labels); then `write_back`.

    Call it with no transaction open on `session`. With `retry` (the caller
    did this work before and may have stopped after the commit), the stored
    tickets a wanted ticket ever blocked whose labels lag behind their verdict
    get their label plans again: triaging it again, unchanged, does not find
    them. With `force` the tickets are assessed again though unchanged (what
    scoring knows of them changed: an agent reported one unclear). An error
    that is not the tracker's (a database error) is raised, after the commit
    with the triage of every ticket undone."""
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
            stopped = exc if stops_the_rest(exc) else None
    results: list[TriageResult | None] = []
    with store.shared_reads(session):
        for ticket in tickets:
            if isinstance(ticket, TrackerError):
                results.append(None)
                continue
            triaged = triage_ticket(session, ticket, policy, now=now, force=force)
            if retry:
                triaged = with_lagging_dependents(session, ticket, triaged, policy)
            results.append(triaged)
    done = write_back(
        session,
        connector,
        results,
        policy,
        comment_verdicts=comment_verdicts,
        commit=commit,
        now=now,
    )
    refreshed: list[Refreshed] = []
    for item, ticket, result, back in zip(wanted, tickets, results, done, strict=True):
        key = item.key if isinstance(item, Ticket) else item
        if isinstance(ticket, TrackerError):
            refreshed.append(Refreshed(key, None, error=ticket))
        else:
            refreshed.append(Refreshed(key, result, back.writes, back.error))
    return refreshed
