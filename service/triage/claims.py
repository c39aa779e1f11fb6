"""Claims shown on the tracker: a ticket an agent holds carries `ai:in-progress`.

After a claim, a release or a completion has been committed, `show_claims`
writes the label change of each entry's ticket through the one round trip
(`refresh_tickets` with the stored ticket: triage finds it unchanged, and its
label plan adds `ai:in-progress` while it is claimed and takes it off once it
is not). The queue in the database stays the source of truth: a failed write
is reported and left for the next sync, whose label plans see the same claims
(a lease that ran out included).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from connectors.base import TrackerError
from service import db
from service.queue import QueueEntryView
from service.scoring import Policy, Verdict
from service.tickets import store
from service.tickets.snapshot import ticket_from_json
from service.tickets.sources import SourceConnectors
from service.triage.writeback import refresh_tickets

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ClaimShown:
    """What `show_claims` did for one entry: its labels written or not, and why not."""

    entry_id: int
    written: bool
    error: TrackerError | None = None


def show_claims(
    sessions: sessionmaker[Session],
    sources: SourceConnectors,
    policy: Policy,
    entries: Sequence[QueueEntryView],
    *,
    comment_verdicts: frozenset[Verdict] = frozenset(),
) -> list[ClaimShown]:
    """Write each entry's ticket's managed labels as its claim now stands (after
    the queue change was committed). A source that is not configured here, or
    read-only, is not written to. A tracker error is logged and returned."""
    shown: list[ClaimShown] = []
    for entry in entries:
        connector = sources.for_stored(entry.source)
        if connector is None or connector.read_only:
            shown.append(ClaimShown(entry.id, written=False))
            continue
        with sessions() as session:
            row = store.find_row(session, entry.source, entry.key)
            if row is None:
                shown.append(ClaimShown(entry.id, written=False))
                continue
            ticket = ticket_from_json(row.snapshot)
            session.commit()  # no transaction is open when the round trip starts
            [done] = refresh_tickets(
                session,
                connector,
                policy,
                [ticket],
                now=db.utcnow(),
                commit=session.commit,
                comment_verdicts=comment_verdicts,
            )
            session.commit()
        written = any(w.labels is not None for w in done.writes)
        if done.error is not None:
            log.warning("queue entry %d: tracker labels not updated: %s", entry.id, done.error)
        shown.append(ClaimShown(entry.id, written=written, error=done.error))
    return shown
