"""An agent's brief: a stored ticket with its assessment, ready to render as rules files.

The API's rules routes and `backlog-sync rules` both start here, so a queue
entry's rules files are the same whichever way they are asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from connectors.base import Ticket
from service import queue, rules, triage
from service.models import Source, TicketRecord
from service.scoring import Assessment, Policy, assess
from service.scoring.document import parse


class BriefError(LookupError):
    """No stored ticket for the key or entry asked for (one line)."""


@dataclass(frozen=True, slots=True)
class Brief:
    ticket: Ticket
    assessment: Assessment
    project_rules: str | None

    def render(self, fmt: str) -> rules.RulesFile:
        return rules.render(self.ticket, self.assessment, fmt, project_rules=self.project_rules)

    def render_all(self) -> list[rules.RulesFile]:
        return rules.render_all(self.ticket, self.assessment, project_rules=self.project_rules)


def read_project_rules(path: Path | None) -> str | None:
    """The team's own rules file named in the config; BriefError when unreadable."""
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BriefError(f"{path}: cannot read the project rules file: {exc.strerror}") from None


def brief_for_ticket(
    session: Session,
    source: str,
    key: str,
    policy: Policy,
    *,
    project_rules: str | None,
    now: datetime,
) -> Brief:
    stored = triage.get_ticket(session, source, key)
    if stored is None:
        raise BriefError(f"{source}: no stored ticket {key} (run `backlog-sync sync` first)")
    ticket = stored.ticket
    doc = parse(ticket.title, ticket.body)
    # scoring is deterministic: the stored ticket in today's context gives its assessment
    context = triage.build_context(session, ticket, doc, ticket_id=None, now=now)
    assessment = assess(ticket, context, policy, document=doc)
    return Brief(ticket=ticket, assessment=assessment, project_rules=project_rules)


def brief_for_entry(
    session: Session,
    entry_id: int,
    policy: Policy,
    *,
    project_rules: str | None,
    now: datetime,
) -> Brief:
    """The brief of a queue entry; queue.EntryNotFoundError when there is no such entry."""
    entry = queue.get_entry(session, entry_id)
    return brief_for_ticket(
        session, entry.source, entry.key, policy, project_rules=project_rules, now=now
    )


def find_keys(session: Session, key: str) -> list[tuple[str, str]]:
    """(source, key) of stored tickets matching `key` exactly, or by number (`12`, `#12`)."""
    wanted = key.strip()
    number = wanted.lstrip("#")
    condition = TicketRecord.key == wanted
    if number.isdigit():
        condition = or_(condition, TicketRecord.key.endswith(f"#{number}"))
    rows = session.execute(
        select(Source.name, TicketRecord.key)
        .join(Source, Source.id == TicketRecord.source_id)
        .where(condition, TicketRecord.deleted_at.is_(None))
        .order_by(Source.name, TicketRecord.key)
    )
    return [(source, found) for source, found in rows]
