"""The API's request bodies and the answers that are not a service value as is.

Routes declare their response model; where a service function already returns
a dataclass with the answer's shape (a queue entry, a stored ticket's summary,
a sync report, a digest), that dataclass is the model, and FastAPI's encoder
turns it into JSON. The models here are the envelopes around them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from connectors.base import Ticket
from service.digest.channels import DeliveryOutcome
from service.tickets.store import AssessmentView, TicketSummary
from service.triage.results import TriageResult

LEASE_SECONDS_MAX = 7 * 24 * 3600

TEXT_ANSWER: dict[str, Any] = {"schema": {"type": "string"}}
"""The schema of an answer that is a text document (Markdown, HTML, a metrics page)."""


def text_answer(media_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    """The 200 answer of a route that returns a document instead of JSON."""
    return {200: {"description": description, "content": {media_type: TEXT_ANSWER}}}


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class HealthOut(_Out):
    status: str


class ReadinessOut(_Out):
    status: str = Field(description="ok, or unavailable")
    database: str = Field(description="reachable or unreachable")
    schema_state: str | None = Field(
        None, serialization_alias="schema", description="at head, or not at head"
    )


class TicketPage(_Out):
    """One page of stored tickets, best first; `next_offset` is None on the last page."""

    items: list[TicketSummary]
    limit: int
    offset: int
    next_offset: int | None


class TicketDetail(_Out):
    """A stored ticket: its snapshot, latest assessment and assessment history."""

    source: str
    key: str
    ticket: Ticket
    assessment: AssessmentView | None
    history: list[AssessmentView]
    applied_labels: list[str]
    first_seen: datetime
    last_changed: datetime
    deleted: bool


@dataclass(frozen=True, slots=True)
class Rescored(TriageResult):
    """The triage of a rescored ticket, and whether a label was written for it."""

    labels_written: bool = False


class ClaimIn(BaseModel):
    agent: str = Field(min_length=1, max_length=255, description="who takes the work")
    lease_seconds: float = Field(3600, gt=0, le=LEASE_SECONDS_MAX)


class AgentIn(BaseModel):
    agent: str = Field(min_length=1, max_length=255, description="the agent holding the entry")


class HeartbeatIn(AgentIn):
    lease_seconds: float = Field(3600, gt=0, le=LEASE_SECONDS_MAX)


class SourceOut(_Out):
    name: str
    type: str
    sync_interval_minutes: int


class DigestRunOut(_Out):
    """What a digest run did: the digest, and each channel's outcome."""

    digest_id: int
    created: bool
    summary: str
    outcomes: list[DeliveryOutcome]
    already_sent: list[str]
    in_progress: list[str]


class WebhookAnswer(_Out):
    """What became of a webhook delivery: accepted, duplicate or ignored (and why)."""

    outcome: str
    delivery: str | None = None
    event: str | None = None
    action: str | None = None
    reason: str | None = None
