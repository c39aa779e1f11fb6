"""The database tables (SQLAlchemy 2, typed `Mapped[]` declarations).

Every schema change is one Alembic revision under `alembic/versions/`; the
tests check that autogenerate finds no difference between these models and the
migrations. Constraint and index names come from the naming convention on
`Base.metadata`, so migrations can refer to them on SQLite and PostgreSQL alike.

Datetimes are stored in UTC: `UTCDateTime` refuses naive values on the way in
and gives back aware UTC values on the way out (SQLite keeps no time zone).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

OPEN_QUEUE_STATES = ("ready", "claimed")
"""Queue entry states in which an entry still holds its ticket's place."""


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored as UTC on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass a timezone-aware value")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


class Source(Base):
    """A tracker source (`github:owner/repo`, `jira:PROJ`, `file:path`) and its sync cursor."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    # latest tracker updated_at of the tickets committed by sync; only moves forward
    cursor: Mapped[datetime | None]
    last_synced_at: Mapped[datetime | None]
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


class QueueEntry(Base):
    """A ticket's place in the ready queue.

    A ticket has at most one open (ready or claimed) entry; done and dropped
    entries are kept as history. `sort_priority` is the tracker priority with
    None counted as 3 and `sort_score` is 100 - overall, so every column of the
    queue order ascends and one partial index serves it.
    """

    __tablename__ = "queue_entries"
    __table_args__ = (
        Index(
            "uq_queue_entries_open_ticket",
            "ticket_id",
            unique=True,
            sqlite_where=text("state IN ('ready', 'claimed')"),
            postgresql_where=text("state IN ('ready', 'claimed')"),
        ),
        # the queue order over ready entries, so a claim reads a few index entries
        Index(
            "ix_queue_entries_ready_order",
            "sort_priority",
            "sort_score",
            "ticket_created_at",
            "id",
            sqlite_where=text("state = 'ready'"),
            postgresql_where=text("state = 'ready'"),
        ),
        Index(None, "state", "lease_expires_at"),
        Index(None, "ticket_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(16))
    agent: Mapped[str | None] = mapped_column(String(255))
    claimed_at: Mapped[datetime | None]
    lease_expires_at: Mapped[datetime | None]
    areas: Mapped[list[Any]]
    priority: Mapped[int | None]
    sort_priority: Mapped[int]
    sort_score: Mapped[int]
    overall: Mapped[int]
    estimate_low: Mapped[float] = mapped_column(Float)
    estimate_high: Mapped[float] = mapped_column(Float)
    ticket_created_at: Mapped[datetime]
    brief_outdated: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    ticket: Mapped[TicketRecord] = relationship(lazy="joined", innerjoin=True)


class QueueEntryArea(Base):
    """The code areas of a queue entry, one row each, so overlap is a join."""

    __tablename__ = "queue_entry_areas"

    entry_id: Mapped[int] = mapped_column(
        ForeignKey("queue_entries.id", ondelete="CASCADE"), primary_key=True
    )
    area: Mapped[str] = mapped_column(String(512), primary_key=True, index=True)


class ClaimedArea(Base):
    """An area held by a claimed entry. The primary key on `area` is the guard that
    stops two overlapping claims from both committing on PostgreSQL."""

    __tablename__ = "claimed_areas"

    area: Mapped[str] = mapped_column(String(512), primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("queue_entries.id", ondelete="CASCADE"), index=True
    )


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
