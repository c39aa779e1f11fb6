"""An agent found the ticket it claimed unclear: it leaves the queue, and the
ticket goes back to a person with the agent's questions.

`report_unclear` drops the claimed entry, records the questions (a
`ClarityRequest`, standing while the ticket's content is the one the agent
read), assesses the ticket again (scoring makes it `needs-clarity` with the
finding `agent-reported-unclear`) and writes the label and our one comment,
which quotes the questions escaped, through the one round trip
(`service.triage.writeback`). A person who answers by editing the ticket ends
the request: its next assessment no longer sees the questions, and a ticket
assessed ready again re-enters the queue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from connectors.base import Connector, TrackerError
from service import queue
from service.scoring import Policy, Verdict
from service.scoring.clarity import QUESTION_LIMIT
from service.tickets import store
from service.tickets.models import ClarityRequest
from service.tickets.snapshot import ticket_from_json
from service.triage.pipeline import triage_ticket
from service.triage.writeback import TrackerWrite, refresh_tickets
from service.untrusted import clean_line

MAX_QUESTIONS = 10


class UnclearReportError(queue.QueueError):
    """A report that cannot be taken as given (no questions)."""


@dataclass(frozen=True, slots=True)
class UnclearReport:
    """What `report_unclear` did: the entry (now dropped), the ticket's new
    verdict, what was written to the tracker, and the tracker error that stopped
    the writes (None: none did, or the source is not written to)."""

    entry: queue.QueueEntryView
    verdict: Verdict
    questions: tuple[str, ...]
    writes: tuple[TrackerWrite, ...]
    error: TrackerError | None


def clean_questions(questions: Sequence[str]) -> tuple[str, ...]:
    """The questions as one line each, empty ones left out, at most
    `MAX_QUESTIONS` of at most `QUESTION_LIMIT` characters; UnclearReportError
    when none is left."""
    cleaned = [clean_line(q)[:QUESTION_LIMIT] for q in questions]
    kept = tuple(dict.fromkeys(q for q in cleaned if q))[:MAX_QUESTIONS]
    if not kept:
        raise UnclearReportError(
            "questions: name at least one thing the ticket leaves unclear, one question each"
        )
    return kept


def report_unclear(
    session: Session,
    connector: Connector | None,
    policy: Policy,
    entry_id: int,
    agent: str,
    questions: Sequence[str],
    *,
    now: datetime,
    comment_verdicts: frozenset[Verdict] = frozenset(),
) -> UnclearReport:
    """Drop the entry `agent` holds, record its questions, triage the ticket again
    and write its label and our comment (always written here, whatever
    `comment_verdicts` says: the questions are for a person). `connector` None:
    the source is not configured here, so nothing is written to the tracker.
    Commits; queue errors (unknown entry, wrong agent, not claimed) are raised
    before anything is written."""
    asked = clean_questions(questions)
    entry = queue.drop_claimed(session, entry_id, agent, now)
    row = store.find_row(session, entry.source, entry.key)
    if row is None:  # an entry's ticket is always stored (its row is its foreign key)
        raise queue.EntryNotFoundError(entry_id)
    request = session.get(ClarityRequest, row.id)
    if request is None:
        request = ClarityRequest(ticket_id=row.id)
        session.add(request)
    request.agent = agent
    request.questions = list(asked)
    request.content_hash = row.content_hash
    request.reported_at = now
    session.flush()
    ticket = ticket_from_json(row.snapshot)
    if connector is None:
        result = triage_ticket(session, ticket, policy, now=now, force=True)
        session.commit()
        return UnclearReport(entry, result.verdict, asked, (), None)
    [refreshed] = refresh_tickets(
        session,
        connector,
        policy,
        [ticket],
        now=now,
        commit=session.commit,
        force=True,
        comment_verdicts=comment_verdicts | {Verdict.NEEDS_CLARITY},
    )
    session.commit()
    assert refreshed.result is not None  # the ticket was given, not fetched
    return UnclearReport(entry, refreshed.result.verdict, asked, refreshed.writes, refreshed.error)
