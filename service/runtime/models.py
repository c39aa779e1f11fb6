"""The scheduler's table: one row per job occurrence (revision 0002 creates it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
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
