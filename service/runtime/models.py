"""The runtime's tables: one row per scheduled job occurrence (revision 0002), and
one per sync asked for through the API (revision 0005)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base


class JobRun(Base):
    """One occurrence of a scheduled job. The primary key (job, scheduled_for)
    is the claim: the replica whose insert created the row runs it."""

    __tablename__ = "job_runs"

    job: Mapped[str] = mapped_column(String(255), primary_key=True)
    scheduled_for: Mapped[datetime] = mapped_column(primary_key=True)
    runner: Mapped[str] = mapped_column(String(255))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    outcome: Mapped[str] = mapped_column(String(16))  # running, ok, failed
    detail: Mapped[str | None] = mapped_column(Text)


class SyncRun(Base):
    """A sync asked for through the API (`POST /api/sources/{name}/sync`): its
    state (running, ok, failed), and its report or error once it ended. Any
    replica answers `GET /api/sources/{name}/runs/{id}` from this row."""

    __tablename__ = "sync_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(255), index=True)
    state: Mapped[str] = mapped_column(String(16))  # running, ok, failed
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    report: Mapped[dict[str, Any] | None]
    error: Mapped[str | None] = mapped_column(Text)
