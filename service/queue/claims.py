"""Claims: claim with a lease, heartbeat, release, complete.

Two entries that share a code area are never claimed at the same time. An
entry's areas live in `queue_entry_areas`; a claim inserts the areas into
`claimed_areas`, whose primary key is the area, in the claimer's transaction,
and marks the entry claimed only when every guard row went in. So two replicas
can never both commit overlapping claims.

On PostgreSQL a claim is one statement per attempt (see `_CLAIM_ONE_SQL`): the
best ready entry whose areas are not in the guard (`FOR UPDATE SKIP LOCKED
LIMIT 1`), a non-blocking advisory lock on each of its areas (claims in flight
hold theirs until they commit), then its guard rows and its state. No claim ever
waits for another, so no savepoint is needed: when a concurrent claim holds one
of the areas the next entry is tried. A claim costs the statement and the
caller's BEGIN and COMMIT. SQLite serialises writers and suits a single
process; there the same steps run one by one, each guard insert in a savepoint.

An expired lease counts as not claimed: the next claim returns the entry to
the ready queue first. Every function takes a session and never commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    Integer,
    String,
    Table,
    bindparam,
    column,
    delete,
    exists,
    select,
    text,
    update,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from connectors.base import TicketState
from service import db
from service.db import UTCDateTime
from service.queue.models import ClaimedArea, QueueEntry, QueueEntryArea, QueueState
from service.queue.views import (
    EntryNotFoundError,
    QueueEntryView,
    QueueError,
    WrongAgentError,
    WrongStateError,
    entry_view,
    queue_order,
    view_from_row,
)
from service.scoring import Verdict

DEADLOCK_DETECTED = "40P01"  # PostgreSQL SQLSTATE


def _check_lease(lease_seconds: float) -> timedelta:
    if lease_seconds <= 0:
        raise QueueError("lease_seconds must be above zero")
    return timedelta(seconds=lease_seconds)


def _drop_guard(session: Session, entry_id: int) -> None:
    session.execute(delete(ClaimedArea).where(ClaimedArea.entry_id == entry_id))


def release_expired(session: Session, now: datetime) -> int:
    """Return claimed entries whose lease ran out to the ready queue; how many."""
    expired = list(
        session.scalars(
            select(QueueEntry.id)
            .where(QueueEntry.state == QueueState.CLAIMED, QueueEntry.lease_expires_at <= now)
            .with_for_update(skip_locked=True)
        )
    )
    for entry_id in expired:
        entry = session.get_one(QueueEntry, entry_id, populate_existing=True)
        _unclaim(session, entry, now)
    return len(expired)


def _unclaim(session: Session, entry: QueueEntry, now: datetime) -> None:
    """Back to ready, or dropped when the ticket is no longer ready or open."""
    _drop_guard(session, entry.id)
    ticket = entry.ticket
    still_ready = (
        ticket.state == TicketState.OPEN
        and ticket.deleted_at is None
        and ticket.verdict == Verdict.READY
        and not ticket.skipped
    )
    entry.state = QueueState.READY if still_ready else QueueState.DROPPED
    entry.agent = None
    entry.claimed_at = None
    entry.lease_expires_at = None
    entry.brief_outdated = False
    entry.updated_at = now


def _candidate(session: Session, tried: Sequence[int]) -> QueueEntry | None:
    """The best ready entry that shares no area with a claim, locked; rows other
    claimers hold locked are skipped."""
    overlaps_claimed = exists(
        select(QueueEntryArea.entry_id)
        .join(ClaimedArea, ClaimedArea.area == QueueEntryArea.area)
        .where(QueueEntryArea.entry_id == QueueEntry.id)
    )
    stmt = select(QueueEntry).where(QueueEntry.state == QueueState.READY, ~overlaps_claimed)
    if tried:
        stmt = stmt.where(QueueEntry.id.not_in(tried))
    stmt = (
        stmt.order_by(*queue_order())
        .limit(1)
        .with_for_update(skip_locked=True, of=QueueEntry)
        .execution_options(populate_existing=True)
    )
    return session.scalars(stmt).first()


def _insert_guard_rows(session: Session, rows: list[dict[str, Any]]) -> bool:
    """Insert the rows; False when one of the areas is taken (nothing is raised)."""
    return len(db.insert_ignore(session, ClaimedArea, rows, ClaimedArea.area)) == len(rows)


def _take_areas(session: Session, entry_id: int, areas: Sequence[str]) -> bool:
    """Insert the claim's guard rows; False (and nothing kept) when another claim
    holds one of the areas.

    The rows go in sorted and inside a savepoint: rolling the savepoint back
    releases the rows of a failed attempt at once, so claimers never wait on each
    other in a cycle. Should PostgreSQL still report a deadlock, this attempt
    counts as a conflict."""
    if not areas:
        return True
    rows = [{"area": a, "entry_id": entry_id} for a in sorted(areas)]
    savepoint = session.begin_nested()
    try:
        taken = _insert_guard_rows(session, rows)
    except OperationalError as exc:
        savepoint.rollback()
        if getattr(exc.orig, "sqlstate", None) == DEADLOCK_DETECTED:
            return False
        raise
    if taken:
        savepoint.commit()
    else:
        savepoint.rollback()
    return taken


AREA_LOCK_CLASS = 0x51554555
"""First key of the transaction-level advisory locks that claims in flight take
on their areas (`pg_try_advisory_xact_lock(AREA_LOCK_CLASS, hashtext(area))`)."""

_CLAIM_ONE_SQL = text(
    """
WITH expired AS (
    SELECT CAST(:check_expired AS BOOLEAN) AND EXISTS (
        SELECT 1 FROM queue_entries AS e
        WHERE e.state = 'claimed' AND e.lease_expires_at <= :now) AS found
),
candidate AS (
    SELECT q.id FROM queue_entries AS q
    WHERE q.state = 'ready'
      AND NOT (SELECT found FROM expired)
      AND q.id <> ALL(CAST(:tried AS INTEGER[]))
      AND NOT EXISTS (
          SELECT 1 FROM queue_entry_areas AS a
          JOIN claimed_areas AS c ON c.area = a.area
          WHERE a.entry_id = q.id)
    ORDER BY q.sort_priority, q.sort_score, q.ticket_created_at, q.id
    LIMIT 1
    FOR UPDATE OF q SKIP LOCKED
),
area_locks AS (
    SELECT coalesce(bool_and(pg_try_advisory_xact_lock(:lock_class, hashtext(a.area))), true)
        AS taken
    FROM queue_entry_areas AS a JOIN candidate ON a.entry_id = candidate.id
),
guard AS (
    INSERT INTO claimed_areas (area, entry_id)
    SELECT a.area, a.entry_id FROM queue_entry_areas AS a
    JOIN candidate ON a.entry_id = candidate.id
    WHERE (SELECT taken FROM area_locks)
    ON CONFLICT DO NOTHING
    RETURNING area
),
claimed AS (
    UPDATE queue_entries AS q
    SET state = 'claimed', agent = :agent, claimed_at = :now,
        lease_expires_at = :expires, brief_outdated = false, updated_at = :now
    FROM candidate
    WHERE q.id = candidate.id
      AND (SELECT count(*) FROM guard) = (
          SELECT count(*) FROM queue_entry_areas AS a WHERE a.entry_id = candidate.id)
    RETURNING q.*
)
SELECT expired.found AS expired, candidate.id AS candidate_id,
       (SELECT count(*) FROM guard) AS guarded,
       claimed.id, claimed.state, claimed.agent, claimed.claimed_at,
       claimed.lease_expires_at, claimed.areas, claimed.priority,
       claimed.overall, claimed.estimate_low, claimed.estimate_high,
       claimed.brief_outdated, claimed.created_at,
       t.key, t.title, t.url, s.name AS source
FROM expired
LEFT JOIN candidate ON true
LEFT JOIN claimed ON claimed.id = candidate.id
LEFT JOIN tickets AS t ON t.id = claimed.ticket_id
LEFT JOIN sources AS s ON s.id = t.source_id
"""
).columns(
    column("expired", Boolean()),
    column("candidate_id", Integer()),
    column("guarded", Integer()),
    column("id", Integer()),
    column("state", String()),
    column("agent", String()),
    column("claimed_at", UTCDateTime()),
    column("lease_expires_at", UTCDateTime()),
    column("areas", JSON()),
    column("priority", Integer()),
    column("overall", Integer()),
    column("estimate_low", Float()),
    column("estimate_high", Float()),
    column("brief_outdated", Boolean()),
    column("created_at", UTCDateTime()),
    column("key", String()),
    column("title", String()),
    column("url", String()),
    column("source", String()),
)
"""One claim attempt on PostgreSQL: one statement, one round trip, no savepoint.

When a claimed entry's lease has run out it does nothing and says so
(`expired`), so that the caller returns such entries to the queue first.
Otherwise it takes the best ready entry that shares no area with a committed
claim, locked with SKIP LOCKED (never waiting); then a transaction-level
advisory lock on each of its areas with `pg_try_advisory_xact_lock` (never
waiting either): a claim in flight, not yet committed, holds the locks of its
areas until its transaction ends. Only when every lock was taken are the guard
rows inserted, with ON CONFLICT DO NOTHING, and the entry marked claimed only
when every guard row went in.

So a claim never waits for another claim and two claims cannot deadlock: an
area whose guard row another claim is inserting is locked by that claim, and
the try fails at once. A row with `id` NULL is a conflict: an area locked by a
claim in flight (nothing was inserted), or one whose claim committed after this
statement's snapshot was taken (`guarded` rows went in and the caller deletes
them). The caller then tries the next entry. `candidate_id` NULL means no entry
can be claimed. The guard table's primary key, not the advisory locks, is what
keeps two committed claims apart; the locks only spare claimers the wait."""


class _LeasesExpired:
    """A claim attempt found claimed entries whose lease ran out."""


def _claim_next_postgresql(
    session: Session, agent: str, now: datetime, expires: datetime
) -> QueueEntryView | None:
    """Claim in one statement per attempt (see `_CLAIM_ONE_SQL`); a conflict costs
    at most one DELETE and the next attempt."""
    params: dict[str, Any] = {
        "tried": [],
        "agent": agent,
        "now": now,
        "expires": expires,
        "check_expired": True,
        "lock_class": AREA_LOCK_CLASS,
    }
    while True:
        row = session.execute(_CLAIM_ONE_SQL, params).mappings().one()
        if row["expired"]:
            # nothing was written; return the expired entries to the queue first
            release_expired(session, now)
            session.flush()
            params["check_expired"] = False  # once per claim, as on SQLite
            continue
        if row["candidate_id"] is None:
            return None
        if row["id"] is None:
            # a concurrent claim holds one of these areas: try the next entry. The
            # guard rows this attempt inserted are the only ones of this entry (it
            # is ready, and locked by this transaction): take them back.
            if row["guarded"]:
                _drop_guard(session, row["candidate_id"])
            params["tried"] = [*params["tried"], row["candidate_id"]]
            continue
        _forget_loaded(session, row["id"])
        return view_from_row(row)


def claim_next(
    session: Session, agent: str, lease_seconds: float, now: datetime
) -> QueueEntryView | None:
    """Claim the best ready entry that shares no area with a claimed one; None when
    there is none. The claim holds until `now + lease_seconds` unless renewed."""
    if not agent:
        raise QueueError("agent must be named")
    lease = _check_lease(lease_seconds)
    if session.get_bind().dialect.name == "postgresql":
        # expired leases are released only when the claim statement finds some
        return _claim_next_postgresql(session, agent, now, now + lease)
    release_expired(session, now)
    tried: list[int] = []
    while (entry := _candidate(session, tried)) is not None:
        if not _take_areas(session, entry.id, entry.areas):
            # another claim took one of these areas since we looked: try the next
            tried.append(entry.id)
            continue
        return _mark_claimed(session, entry, agent, now, lease)
    return None


def _mark_claimed(
    session: Session, entry: QueueEntry, agent: str, now: datetime, lease: timedelta
) -> QueueEntryView:
    """The entry, whose guard rows went in, as claimed by `agent` until `now + lease`."""
    entry.state = QueueState.CLAIMED
    entry.agent = agent
    entry.claimed_at = now
    entry.lease_expires_at = now + lease
    entry.brief_outdated = False
    entry.updated_at = now
    session.flush()
    return entry_view(session, entry.id)


def _locked_entry(session: Session, entry_id: int) -> QueueEntry:
    entry = session.scalars(
        select(QueueEntry)
        .where(QueueEntry.id == entry_id)
        .with_for_update(of=QueueEntry)
        .execution_options(populate_existing=True)
    ).first()
    if entry is None:
        raise EntryNotFoundError(entry_id)
    return entry


def _claimed_by(session: Session, entry_id: int, agent: str) -> QueueEntry:
    entry = _locked_entry(session, entry_id)
    if entry.state != QueueState.CLAIMED:
        raise WrongStateError(entry_id, entry.state, QueueState.CLAIMED)
    if entry.agent != agent:
        raise WrongAgentError(entry_id, agent)
    return entry


_QUEUE_ENTRIES: Table = QueueEntry.__table__  # type: ignore[assignment]
_UPDATE_CLAIMED = (
    update(_QUEUE_ENTRIES)
    .where(
        _QUEUE_ENTRIES.c.id == bindparam("b_entry_id"),
        _QUEUE_ENTRIES.c.state == QueueState.CLAIMED.value,
        _QUEUE_ENTRIES.c.agent == bindparam("b_agent"),
    )
    .returning(_QUEUE_ENTRIES.c.id)
)


def _forget_loaded(session: Session, entry_id: int) -> None:
    """The ORM may hold this entry from earlier in the session, and a Core
    statement just changed its row: load it again when it is next used."""
    loaded = session.identity_map.get(identity_key(QueueEntry, entry_id))
    if loaded is not None:
        session.expire(loaded)


def _update_claimed(session: Session, entry_id: int, agent: str, **values: Any) -> None:
    """Set `values` on an entry this agent holds, in one UPDATE (which locks the
    row); EntryNotFoundError, WrongStateError or WrongAgentError when it does not
    hold it."""
    stmt = _UPDATE_CLAIMED.values(**values)
    while True:
        updated = session.connection().execute(stmt, {"b_entry_id": entry_id, "b_agent": agent})
        if updated.first() is not None:
            _forget_loaded(session, entry_id)
            return
        _claimed_by(session, entry_id, agent)  # raises, unless it was claimed meanwhile


def heartbeat(
    session: Session, entry_id: int, agent: str, lease_seconds: float, now: datetime
) -> QueueEntryView:
    """Extend the lease of an entry this agent holds to `now + lease_seconds`."""
    lease = _check_lease(lease_seconds)
    _update_claimed(session, entry_id, agent, lease_expires_at=now + lease, updated_at=now)
    return entry_view(session, entry_id)


def release(session: Session, entry_id: int, agent: str, now: datetime) -> QueueEntryView:
    """Give a claimed entry back: ready again (dropped if its ticket is no longer ready)."""
    entry = _claimed_by(session, entry_id, agent)
    _unclaim(session, entry, now)
    session.flush()
    return entry_view(session, entry_id)


def drop_claimed(session: Session, entry_id: int, agent: str, now: datetime) -> QueueEntryView:
    """Take an entry this agent holds out of the queue (the agent found its ticket
    unclear): dropped, its areas free. A new entry is made for the ticket only
    when it is assessed ready again."""
    entry = _claimed_by(session, entry_id, agent)
    _drop_guard(session, entry_id)
    entry.state = QueueState.DROPPED
    entry.lease_expires_at = None
    entry.updated_at = now
    session.flush()
    return entry_view(session, entry_id)


def complete(session: Session, entry_id: int, agent: str, now: datetime) -> QueueEntryView:
    """Mark a claimed entry done; its areas are free again."""
    _update_claimed(
        session, entry_id, agent, state=QueueState.DONE.value, lease_expires_at=None, updated_at=now
    )
    _drop_guard(session, entry_id)
    return entry_view(session, entry_id)


class OverlapError(QueueError):
    def __init__(self, entry_id: int) -> None:
        super().__init__(f"queue entry {entry_id} shares a code area with claimed work")
        self.entry_id = entry_id


def claim_entry(
    session: Session, entry_id: int, agent: str, lease_seconds: float, now: datetime
) -> QueueEntryView:
    """Claim one given ready entry, as `claim_next` would claim it (the same guard rows
    for its code areas). WrongStateError when it is not ready, OverlapError when it
    shares a code area with a claimed entry."""
    if not agent:
        raise QueueError("agent must be named")
    lease = _check_lease(lease_seconds)
    release_expired(session, now)
    entry = _locked_entry(session, entry_id)
    if entry.state != QueueState.READY:
        raise WrongStateError(entry_id, entry.state, QueueState.READY)
    if not _take_areas(session, entry.id, entry.areas):
        raise OverlapError(entry_id)
    return _mark_claimed(session, entry, agent, now, lease)
