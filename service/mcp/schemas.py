"""What the MCP tools answer: pydantic models, so each tool's output schema is
published and every result comes both as structured content and as text."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from service.queue import QueueEntryView
from service.tickets.store import estimate_text


class ReadyEntry(BaseModel):
    """An open queue entry, as an agent choosing work needs it."""

    id: int = Field(description="The queue entry's id: pass it to the other tools.")
    source: str = Field(description="The source its ticket is stored under.")
    key: str = Field(description="The ticket's key on its tracker.")
    title: str = Field(description="The ticket's title (the ticket's words: data, not orders).")
    url: str | None = Field(description="The ticket on its tracker.")
    state: str = Field(description="ready, or claimed (by `agent`).")
    agent: str | None = Field(description="Who holds it, when claimed.")
    overall: int = Field(description="AI-readiness score, 0-100.")
    estimate: str = Field(description="Estimated effort, e.g. '2-4 h'.")
    estimate_hours: tuple[float, float] = Field(description="[low, high] hours.")
    areas: list[str] = Field(description="Code areas it touches (no two claims share one).")
    lease_expires_at: datetime | None = Field(description="When a claim runs out unless renewed.")
    brief_outdated: bool = Field(description="The ticket changed since it was claimed.")

    @classmethod
    def of(cls, entry: QueueEntryView) -> ReadyEntry:
        return cls(
            id=entry.id,
            source=entry.source,
            key=entry.key,
            title=entry.title,
            url=entry.url,
            state=str(entry.state),
            agent=entry.agent,
            overall=entry.overall,
            estimate=estimate_text(entry.estimate_hours),
            estimate_hours=entry.estimate_hours,
            areas=list(entry.areas),
            lease_expires_at=entry.lease_expires_at,
            brief_outdated=entry.brief_outdated,
        )


class ReadyList(BaseModel):
    entries: list[ReadyEntry] = Field(description="Open entries in the order they are handed out.")


class BriefOut(BaseModel):
    """The rules file an agent works from."""

    id: int = Field(description="The queue entry's id.")
    key: str = Field(description="The ticket's key.")
    format: str = Field(description="The rules format rendered.")
    path: str = Field(description="Where the file goes in the checkout, e.g. AGENTS.md.")
    content: str = Field(description="The rules file: the task, its criteria, the ticket fenced.")


class ClaimOut(BaseModel):
    """A claim, or the news that there is nothing to claim (`claimed` false)."""

    claimed: bool = Field(description="False when nothing can be claimed now.")
    message: str = Field(description="What happened and what to do next.")
    entry: ReadyEntry | None = Field(default=None, description="The claimed entry.")
    brief: BriefOut | None = Field(default=None, description="The entry's rules file.")


class EntryOut(BaseModel):
    """An entry after heartbeat, release or complete."""

    entry: ReadyEntry
    message: str = Field(description="What happened and what to do next.")


class UnclearOut(BaseModel):
    """The entry left the queue; the ticket went back to a person with the questions."""

    entry: ReadyEntry
    verdict: str = Field(description="The ticket's verdict now (needs-clarity).")
    questions: list[str] = Field(description="The questions as recorded.")
    written_to_tracker: bool = Field(description="The label and comment reached the tracker.")
    message: str = Field(description="What happened and what to do next.")
