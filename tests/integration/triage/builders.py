"""Small builders for the triage tests: tickets, and a fake connector."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from connectors.base import (
    LabelSpec,
    Link,
    LinkKind,
    Ticket,
    TicketState,
    UnavailableError,
    WebhookEvent,
)
from service.scoring import Policy

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
SOURCE = "github:acme/app"
POLICY = Policy()


def ready_body(area: str = "app/core") -> str:
    """A body every reasonable scorer calls ready: a bug fix with acceptance
    criteria as a checklist, file paths, tests and an out-of-scope section."""
    return (
        f"Fix the crash in `{area}/parser.py` when the input file is empty.\n\n"
        "## Acceptance criteria\n"
        f"- [ ] `parse('')` in `{area}/parser.py` returns an empty list instead of raising\n"
        f"- [ ] a regression test in `{area}/test_parser.py`\n\n"
        "## Out of scope\n"
        "- other input formats\n"
    )


VAGUE_BODY = "How do I make this work? not sure, maybe something is wrong?"


def ticket(
    number: int,
    *,
    area: str = "app/core",
    ready: bool = True,
    updated: datetime = T0,
    labels: Sequence[str] = (),
    state: TicketState = TicketState.OPEN,
    priority: int | None = None,
    blocked_by: str | None = None,
    source: str = SOURCE,
) -> Ticket:
    links = (Link(LinkKind.BLOCKED_BY, blocked_by, TicketState.OPEN),) if blocked_by else ()
    return Ticket(
        source=source,
        key=f"acme/app#{number}",
        title=f"Fix crash in parser {number} when the input is empty" if ready else "question",
        url=f"https://github.com/acme/app/issues/{number}",
        body=ready_body(area) if ready else VAGUE_BODY,
        state=state,
        labels=tuple(labels),
        priority=priority,
        links=links,
        created_at=T0 - timedelta(days=30) + timedelta(minutes=number),
        updated_at=updated,
    )


def edited(t: Ticket, **changes: object) -> Ticket:
    return replace(t, **changes)  # type: ignore[arg-type]


@dataclass
class FakeConnector:
    """An in-memory tracker: tickets by key, label writes applied and recorded.

    `fail_after` makes `fetch_changed` raise after yielding that many tickets;
    `fail_labels_on` makes `apply_labels` fail for that key.
    """

    tickets: dict[str, Ticket] = field(default_factory=dict)
    source: str = SOURCE
    read_only: bool = False
    fail_after: int | None = None
    fail_labels_on: str | None = None
    crash_after: int | None = None  # raise a non-tracker error (a crash) after N tickets
    write_time: datetime | None = None  # updated_at given by a label write (default +1 s)
    label_calls: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)
    comments: dict[str, list[str]] = field(default_factory=dict)
    fetch_since: list[datetime | None] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def put(self, *tickets: Ticket) -> None:
        for t in tickets:
            self.tickets[t.key] = t

    def fetch_changed(self, since: datetime | None) -> Iterator[Ticket]:
        self.fetch_since.append(since)
        changed = sorted(
            (t for t in self.tickets.values() if since is None or (t.updated_at or T0) >= since),
            key=lambda t: (t.updated_at or T0, t.key),
        )
        for index, t in enumerate(changed):
            if self.fail_after is not None and index >= self.fail_after:
                raise UnavailableError("tracker went away", source=self.source)
            if self.crash_after is not None and index >= self.crash_after:
                raise RuntimeError("the process died")
            yield t

    def fetch_one(self, key: str) -> Ticket:
        return self.tickets[key]

    def apply_labels(self, key: str, add: Sequence[str], remove: Sequence[str]) -> None:
        if key == self.fail_labels_on:
            raise UnavailableError("label write failed", source=self.source)
        self.label_calls.append((key, tuple(add), tuple(remove)))
        t = self.tickets[key]
        labels = [lbl for lbl in t.labels if lbl not in remove]
        labels += [lbl for lbl in add if lbl not in labels]
        # a label write bumps the tracker's updated_at, as real trackers do
        bumped = self.write_time or (t.updated_at or T0) + timedelta(seconds=1)
        self.tickets[key] = replace(t, labels=tuple(labels), updated_at=bumped)

    def ensure_labels(self, labels: Sequence[LabelSpec]) -> list[str]:
        return []

    def upsert_comment(self, key: str, body: str) -> None:
        self.comments.setdefault(key, []).append(body)

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> bool:
        return False

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookEvent | None:
        return None
