"""The backlog context of one ticket: what scoring may know of the rest of the
backlog, read from the database (the states of the tickets it names, and the
code areas of other tickets' claims).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.base import Ticket, TicketState
from service.queue.batch import areas_in_flight
from service.scoring import BacklogContext
from service.scoring.document import Document
from service.tickets import store
from service.tickets.models import ClarityRequest, Source, TicketRecord


def _qualified(target: str, ticket_key: str) -> str | None:
    """`owner/repo#12` for a bare `#12` written in a ticket of `owner/repo`."""
    if target.startswith("#") and "#" in ticket_key:
        repo = ticket_key.split("#", 1)[0]
        if repo:
            return repo + target
    return None


def build_context(
    session: Session,
    ticket: Ticket,
    doc: Document,
    *,
    ticket_id: int | None,
    now: datetime,
    content_hash: str | None = None,
) -> BacklogContext:
    """What scoring may know of the rest of the backlog, read from the database:
    the states of the tickets this one names, the areas of other tickets'
    claims, and the questions of an agent that found this ticket unclear while
    its content was `content_hash` (the stored ticket's, when not given).

    A named ticket's state is the freshest known: its own stored row (kept
    current by sync and webhooks) wins over the state a tracker link gave when
    this ticket was read; a link's state counts only for a ticket not stored."""
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
            states.setdefault(link.target, link.state)
    in_flight = _areas_in_flight(session, now, ticket.key, ticket_id)
    questions = _agent_questions(session, ticket_id, content_hash) if ticket_id is not None else ()
    return BacklogContext(
        ticket_states=states, areas_in_flight=in_flight, agent_questions=questions
    )


def _agent_questions(session: Session, ticket_id: int, content_hash: str | None) -> tuple[str, ...]:
    """The questions of the agent that reported the ticket unclear, while the ticket
    is as the agent read it; read once for tickets triaged together."""
    cache = store.shared(session)
    requests: Mapping[int, tuple[str, tuple[str, ...]]] | None = (
        cache.get(("clarity-requests", None)) if cache is not None else None
    )
    if requests is None:
        stmt = select(
            ClarityRequest.ticket_id, ClarityRequest.content_hash, ClarityRequest.questions
        )
        if cache is None:
            stmt = stmt.where(ClarityRequest.ticket_id == ticket_id)
        requests = {tid: (digest, tuple(qs)) for tid, digest, qs in session.execute(stmt)}
        if cache is not None:
            cache[("clarity-requests", None)] = requests
    found = requests.get(ticket_id)
    if found is None:
        return ()
    if content_hash is None:
        content_hash = session.scalar(
            select(TicketRecord.content_hash).where(TicketRecord.id == ticket_id)
        )
    return found[1] if found[0] == content_hash else ()


def _areas_in_flight(
    session: Session, now: datetime, key: str, ticket_id: int | None
) -> Mapping[str, frozenset[str]]:
    """Areas of the claims whose lease holds, but the ticket's own; read once for
    tickets triaged together (triage never claims), unless the ticket holds a claim."""
    cache = store.shared(session)
    if cache is None:
        return areas_in_flight(session, now, exclude_ticket_id=ticket_id)
    every: Mapping[str, frozenset[str]] | None = cache.get(("areas", now))
    if every is None:
        every = cache[("areas", now)] = areas_in_flight(session, now)
    if ticket_id is None or key not in every:
        return every  # the ticket holds no claim: nothing of its own to leave out
    return areas_in_flight(session, now, exclude_ticket_id=ticket_id)
