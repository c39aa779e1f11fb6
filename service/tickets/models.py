"""The ticket store's tables: sources and their cursors, tickets, assessments,
and what backlog-sync last wrote to each ticket.

Every schema change is one Alembic revision under `alembic/versions/`; the
tests check that autogenerate finds no difference between the models and the
migrations (see `service.db` for the base, the naming convention and UTC).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base

DEFAULT_PRIORITY = 3
"""The priority of a ticket whose tracker gives none (1 highest .. 5 lowest)."""


class Source(Base):
    """A tracker source (`github:owner/repo`, `jira:PROJ`, `file:path`) and its sync cursor."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    # latest tracker updated_at of the tickets committed by sync; only moves forward
    cursor: Mapped[datetime | None]
    last_synced_at: Mapped[datetime | None]  # when a sync last ended without an error
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class TicketRecord(Base):
    """The latest stored version of one ticket, with its latest verdict denormalised."""

    __tablename__ = "tickets"
    __table_args__ = (UniqueConstraint("source_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255), index=True)
    title: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    priority: Mapped[int | None]
    snapshot: Mapped[dict[str, Any]]
    content_hash: Mapped[str] = mapped_column(String(64))
    tracker_updated_at: Mapped[datetime | None]
    first_seen: Mapped[datetime]
    last_changed: Mapped[datetime]
    deleted_at: Mapped[datetime | None]
    # the latest assessment's verdict and score, for listing and filtering
    verdict: Mapped[str | None] = mapped_column(String(32), index=True)
    overall: Mapped[int | None]
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)

    source: Mapped[Source] = relationship(lazy="joined", innerjoin=True)


class AssessmentRecord(Base):
    """One assessment of one ticket; history is kept, the latest has the highest id."""

    __tablename__ = "assessments"
    __table_args__ = (Index(None, "ticket_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    verdict: Mapped[str] = mapped_column(String(32))
    overall: Mapped[int]
    dimensions: Mapped[dict[str, Any]]
    findings: Mapped[list[Any]]
    missing: Mapped[list[Any]]
    blockers: Mapped[list[Any]]
    areas: Mapped[list[Any]]
    estimate_low: Mapped[float] = mapped_column(Float)
    estimate_high: Mapped[float] = mapped_column(Float)
    estimate_basis: Mapped[str] = mapped_column(String(32))
    scorer_version: Mapped[str] = mapped_column(String(64))
    skipped: Mapped[bool] = mapped_column(Boolean)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class AppliedLabels(Base):
    """What backlog-sync last wrote to a ticket on its tracker: the managed labels,
    and a digest of its own comment (so an unchanged comment is not written again)."""

    __tablename__ = "applied_labels"

    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True
    )
    labels: Mapped[list[Any]]
    applied_at: Mapped[datetime | None]
    comment_digest: Mapped[str | None] = mapped_column(String(64))
    comment_written_at: Mapped[datetime | None]


class ClarityRequest(Base):
    """An agent that took the ticket found it unclear and asked these questions
    (`report_unclear`). It stands while the ticket's content is the one the agent
    read (`content_hash`): a person who answers by editing the ticket ends it."""

    __tablename__ = "clarity_requests"

    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True
    )
    agent: Mapped[str] = mapped_column(String(255))
    questions: Mapped[list[Any]]
    content_hash: Mapped[str] = mapped_column(String(64))
    reported_at: Mapped[datetime]
