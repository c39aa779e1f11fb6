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
from service.scoring import Assessment, Dimension, Policy, Verdict, assess
from service.scoring.document import parse
from service.tickets import store
from service.triage.context import build_context
from service.untrusted import clean_line


class BriefError(LookupError):
    """No stored ticket for the key or entry asked for (one line)."""


class NeedsReviewError(BriefError):
    """The ticket needs a safety review: no rules file is written for it."""


@dataclass(frozen=True, slots=True)
class Brief:
    """What an agent is told about one ticket. `forced`: a person chose to hand
    out a ticket that needs a safety review (see `brief_for_ticket`)."""

    ticket: Ticket
    assessment: Assessment
    project_rules: str | None
    forced: bool = False

    def render(self, fmt: str) -> RulesFile:
        return render(
            self.ticket,
            self.assessment,
            fmt,
            project_rules=self.project_rules,
            forced=self.forced,
        )

    def render_all(self) -> list[RulesFile]:
        return render_all(
            self.ticket, self.assessment, project_rules=self.project_rules, forced=self.forced
        )


def refusal(key: str, assessment: Assessment) -> str | None:
    """Why no rules file may be written for a ticket (one line), or None when one may."""
    if assessment.verdict is not Verdict.NEEDS_REVIEW:
        return None
    safety = [f for f in assessment.findings if f.dimension is Dimension.SAFETY]
    deciding = [f for f in safety if f.blocking] or safety
    codes = ", ".join(dict.fromkeys(f.code for f in deciding))
    first = f": {clean_line(deciding[0].message)}" if deciding else ""
    return (
        f"{key} needs a safety review ({codes}{first}): no rules file is written for it "
        "(--force writes one with all of its text fenced as data)"
    )


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
    force: bool = False,
) -> Brief:
    """The brief of a stored ticket, assessed in today's context. NeedsReviewError
    for a ticket that needs a safety review, unless `force`."""
    stored = store.get_ticket(session, source, key)
    if stored is None:
        raise BriefError(f"{source}: no stored ticket {key} (run `backlog-sync sync` first)")
    ticket = stored.ticket
    doc = parse(ticket.title, ticket.body)
    # scoring is deterministic: the stored ticket in today's context gives its assessment
    context = build_context(session, ticket, doc, ticket_id=None, now=now)
    assessment = assess(ticket, context, policy, document=doc)
    refused = refusal(ticket.key, assessment)
    if refused is not None and not force:
        raise NeedsReviewError(refused)
    return Brief(ticket, assessment, project_rules, forced=refused is not None)


def brief_for_entry(
    session: Session,
    entry_id: int,
    policy: Policy,
    *,
    project_rules: str | None,
    now: datetime,
    force: bool = False,
) -> Brief:
    """The brief of a queue entry; queue.EntryNotFoundError when there is no such entry."""
    entry = queue.get_entry(session, entry_id)
    return brief_for_ticket(
        session, entry.source, entry.key, policy, project_rules=project_rules, now=now, force=force
    )
