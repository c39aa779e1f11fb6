"""An agent's brief: a stored ticket with its assessment, ready to render as rules files.

The API's rules routes and `backlog-sync rules` both start here, so a queue
entry's rules files are the same whichever way they are asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from connectors.base import Ticket
from service import queue
from service.rules.render import RulesFile, render, render_all
from service.scoring import Assessment, Policy, assess
from service.scoring.document import parse
from service.tickets import store
from service.triage.context import build_context


class BriefError(LookupError):
    """No stored ticket for the key or entry asked for (one line)."""


@dataclass(frozen=True, slots=True)
class Brief:
    ticket: Ticket
    assessment: Assessment
    project_rules: str | None

    def render(self, fmt: str) -> RulesFile:
        return render(self.ticket, self.assessment, fmt, project_rules=self.project_rules)

    def render_all(self) -> list[RulesFile]:
        return render_all(self.ticket, self.assessment, project_rules=self.project_rules)


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
    stored = store.get_ticket(session, source, key)
    if stored is None:
        raise BriefError(f"{source}: no stored ticket {key} (run `backlog-sync sync` first)")
    ticket = stored.ticket
    doc = parse(ticket.title, ticket.body)
    # scoring is deterministic: the stored ticket in today's context gives its assessment
    context = build_context(session, ticket, doc, ticket_id=None, now=now)
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
