"""The tracker-neutral contract: what crosses from a tracker into the service.

A connector turns one tracker's API into `Ticket` values and back into label and
comment writes. It knows nothing of scoring or storage. Every failure of the
tracker reaches the service as one of the `TrackerError` classes below, never as
a client library's own exception, and never with a credential in its message.
Which of them to retry, and how long to wait, is `connectors.retry`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable


class Trust(enum.StrEnum):
    """How far the tracker vouches for the person who wrote a piece of text."""

    TRUSTED = "trusted"  # owner, member, collaborator; a Jira reporter in a private project
    UNTRUSTED = "untrusted"  # anyone else on a public repository
    UNKNOWN = "unknown"  # the source does not say (offline exports)


class LinkKind(enum.StrEnum):
    BLOCKED_BY = "blocked_by"  # this ticket cannot start before the target is done
    BLOCKS = "blocks"
    PARENT = "parent"  # the target is this ticket's epic or parent issue
    CHILD = "child"  # the target is a sub-task / sub-issue of this ticket
    RELATES = "relates"
    DUPLICATES = "duplicates"
    MENTIONS = "mentions"  # a reference in the text, resolved to a ticket key


class TicketState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Link:
    """A relationship from one ticket to another, by the other's key.

    `state` is the target's state when the tracker told us; None when unknown, in
    which case the service looks the target up among the tickets it has stored.
    """

    kind: LinkKind
    target: str
    state: TicketState | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Comment:
    id: str
    body: str  # Markdown; untrusted
    author: str | None = None
    author_trust: Trust = Trust.UNKNOWN
    created_at: datetime | None = None
    is_own: bool = False  # written by backlog-sync itself (carries its marker)


@dataclass(frozen=True, slots=True)
class Ticket:
    """One ticket, as any tracker describes it.

    `key` is unique within `source` and is what people type: `owner/repo#12` for
    GitHub (`#12` when an export does not name the repository), `PROJ-7` for Jira.
    `body` is Markdown (Jira wiki markup and ADF are converted by the connector)
    and is untrusted input. `estimate` is the tracker's own estimate in story
    points, when it has one; the scoring policy maps points to hours.
    `approval_verified` is True when the connector saw a trusted person add the
    approval label (see `labels`).
    """

    source: str
    key: str
    title: str
    url: str | None = None
    body: str = ""
    kind: str = "issue"  # issue, bug, feature, task, story, epic, initiative, subtask, ...
    state: TicketState = TicketState.OPEN
    labels: tuple[str, ...] = ()
    author: str | None = None
    author_trust: Trust = Trust.UNKNOWN
    approval_verified: bool = False
    assignees: tuple[str, ...] = ()
    priority: int | None = None  # 1 (highest) .. 5 (lowest); None when the tracker has none
    estimate: float | None = None  # story points
    links: tuple[Link, ...] = ()
    comments: tuple[Comment, ...] = ()
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """A verified, parsed webhook delivery.

    `ticket` is set when the payload carried the whole ticket, so no fetch is
    needed; otherwise the worker fetches `key`. `deleted` marks a ticket that no
    longer exists on the tracker. `related` names the other tickets the event
    concerns (the other end of a link that was made or unmade), each to be
    fetched and triaged too; `key` and `related` are then what the tracker
    names them by (a Jira link event gives issue ids, which fetch like keys).
    """

    delivery_id: str
    event: str
    action: str
    key: str | None = None
    ticket: Ticket | None = None
    deleted: bool = False
    related: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LabelSpec:
    """A managed label as it should exist on the tracker."""

    name: str
    color: str = "ededed"  # hex, no '#'
    description: str = ""


# --- what a connector reports of its calls --------------------------------------------


class CallObserver(Protocol):
    """Told of every tracker call a connector makes (the service counts them in its
    metrics; connectors know nothing of metrics). `endpoint` is a class of endpoint
    with no key or number in it (`GET issues/{n}/labels`, `search`); `status` is
    `ok` or the tracker error's class name."""

    def tracker_call(self, source: str, endpoint: str, status: str) -> None: ...

    def rate_limit_wait(self, source: str, seconds: float) -> None: ...


def status_of(error: BaseException | None) -> str:
    """A call's status for a CallObserver: `ok`, or the error's class name."""
    return "ok" if error is None else type(error).__name__


# --- errors --------------------------------------------------------------------


class TrackerError(Exception):
    """A tracker call failed. `retriable` says whether trying again may help."""

    retriable: bool = False

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message


class AuthError(TrackerError):
    """Credentials missing, wrong, expired or without the needed permission."""


class NotFoundError(TrackerError):
    """The repository, project or ticket does not exist (or is hidden from us)."""


class BadRequestError(TrackerError):
    """The tracker refused the request as malformed (a bad JQL query, say)."""


class RateLimitedError(TrackerError):
    """The tracker asks us to wait; `retry_after` is in seconds from now."""

    retriable = True

    def __init__(self, message: str, *, retry_after: float, source: str | None = None) -> None:
        super().__init__(message, source=source)
        self.retry_after = max(0.0, retry_after)


class UnavailableError(TrackerError):
    """The tracker is down, timing out, or answering 5xx."""

    retriable = True


class UnsupportedError(TrackerError):
    """The source cannot do this (writing labels to an offline export, say)."""


# --- the connector protocol ----------------------------------------------------


@runtime_checkable
class Connector(Protocol):
    """What the service asks of a tracker.

    `source` is the source's name as stored (`github:owner/repo`, `jira:PROJ`,
    `file:path`). `read_only` sources (offline exports) plan label changes but
    never write them.
    """

    source: str
    read_only: bool

    def fetch_changed(self, since: datetime | None) -> Iterator[Ticket]:
        """Tickets changed at or after `since` (all when None), oldest change first."""
        ...

    def fetch_one(self, key: str) -> Ticket:
        """The ticket with this key; NotFoundError when there is none."""
        ...

    def apply_labels(self, key: str, add: Sequence[str], remove: Sequence[str]) -> None:
        """Add `add` and remove `remove`; every other label stays as it is."""
        ...

    def ensure_labels(self, labels: Sequence[LabelSpec]) -> list[str]:
        """Create the labels the tracker lacks; returns the names created."""
        ...

    def upsert_comment(self, key: str, body: str) -> None:
        """Create or edit in place the one comment of ours on this ticket.

        `body` is Markdown without our marker: the connector adds the marker its
        tracker needs (one already in `body` is not repeated).
        """
        ...

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> bool:
        """True when the delivery's signature matches the configured secret."""
        ...

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookEvent | None:
        """The event in a verified delivery; None for events we do not handle."""
        ...


OWN_COMMENT_MARKER = "<!-- backlog-sync:readiness -->"
"""Hidden marker that identifies the one comment backlog-sync keeps per ticket.

The connector writes it, in the form its tracker shows least (GitHub: this HTML
comment, first line; Jira: a subscript footer), exactly once: `upsert_comment`
takes the comment's text without it, and drops it if the text carries it.
"""


def without_own_marker(body: str) -> str:
    """A comment's text with our marker taken out, for a connector to mark once."""
    return body.replace(OWN_COMMENT_MARKER, "").lstrip("\n")


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """A parsed source string such as `github:owner/repo`, `jira:PROJ`, `file:x.json`."""

    kind: str
    target: str
    options: Mapping[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.kind}:{self.target}"
