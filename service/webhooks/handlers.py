"""Webhook handlers, registered per (event, action), as in gidgethub and bedevere.

Each handler receives what it needs as arguments (`HandlerContext`, the parsed
`WebhookEvent`) and only records work (`HandlerContext.refresh`,
`HandlerContext.forget`), which the worker then does (`service.webhooks.inbox`);
one handler's failure is recorded without stopping the others.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from connectors.base import Connector, Ticket, WebhookEvent
from service.scoring import Policy


@dataclass(frozen=True, slots=True)
class Refresh:
    """Work: triage the ticket again and write its labels. `ticket` when the
    payload is the whole ticket, else it is fetched by `key`. With
    `missing_ok`, a ticket the tracker says is not found (deleted, or not the
    source's) is left alone instead of failing the delivery."""

    key: str
    ticket: Ticket | None = None
    missing_ok: bool = False


@dataclass(frozen=True, slots=True)
class Forget:
    """Work: the ticket was deleted on the tracker (keep its history, leave the queue)."""

    key: str


Work = Refresh | Forget


@dataclass(frozen=True, slots=True)
class HandlerContext:
    """What a handler may use. A handler only records work (`refresh`, `forget`);
    the worker does it once the handlers ran, reading and writing the tracker
    while no database transaction is open."""

    connector: Connector
    policy: Policy
    now: datetime
    received_at: datetime
    work: list[Work] = field(default_factory=list)

    def refresh(
        self, *, key: str | None = None, ticket: Ticket | None = None, missing_ok: bool = False
    ) -> None:
        """Triage the ticket (`ticket` as given, else fetched by `key`), write its
        labels; with `missing_ok`, a ticket not found is left alone (see `Refresh`)."""
        if ticket is not None:
            self.work.append(Refresh(ticket.key, ticket, missing_ok))
        elif key is not None:
            self.work.append(Refresh(key, missing_ok=missing_ok))
        else:
            raise ValueError("refresh needs a key or a ticket")

    def forget(self, key: str) -> None:
        """Mark the ticket deleted: its history stays, it leaves the queue."""
        self.work.append(Forget(key))


Handler = Callable[[HandlerContext, WebhookEvent], None]


class HandlerRegistry:
    """Handlers by (event, action); action "*" matches every action of the event."""

    def __init__(self) -> None:
        self._handlers: dict[tuple[str, str], list[tuple[str, Handler]]] = {}

    def register(self, event: str, actions: Sequence[str], handler: Handler) -> None:
        name = getattr(handler, "__name__", repr(handler))
        for action in actions:
            self._handlers.setdefault((event, action), []).append((name, handler))

    def for_event(self, event: str, action: str) -> list[tuple[str, Handler]]:
        return self._handlers.get((event, action), []) + self._handlers.get((event, "*"), [])

    def handles(self, event: str, action: str) -> bool:
        return bool(self.for_event(event, action))


def triage_from_event(ctx: HandlerContext, event: WebhookEvent) -> None:
    """Triage the ticket (from the payload when complete, else fetched) and write labels."""
    if event.ticket is not None:
        ctx.refresh(ticket=event.ticket)
    elif event.key is not None:
        ctx.refresh(key=event.key)


def forget_deleted(ctx: HandlerContext, event: WebhookEvent) -> None:
    """The ticket was deleted on the tracker: keep its history, drop it from the queue."""
    key = event.key or (event.ticket.key if event.ticket else None)
    if key is not None:
        ctx.forget(key)


def route(ctx: HandlerContext, event: WebhookEvent) -> None:
    """The default routing: deletions are forgotten, everything else is triaged."""
    if event.deleted:
        forget_deleted(ctx, event)
    else:
        triage_from_event(ctx, event)


def triage_linked(ctx: HandlerContext, event: WebhookEvent) -> None:
    """A link between two tickets was made or unmade (a dependency, a sub-issue,
    a Jira issue link): fetch and triage both ends, so that a ticket a removed
    link blocked is freed, and one an added link blocks is blocked, at once.
    An end the tracker does not find (deleted, or outside the source) is left
    alone: the link event says nothing else about it."""
    for key in (event.key, *event.related):
        if key is not None:
            ctx.refresh(key=key, missing_ok=True)


TICKET_ACTIONS = (
    "opened",
    "edited",
    "reopened",
    "closed",
    "labeled",
    "unlabeled",
    "transferred",
    "deleted",
)
COMMENT_ACTIONS = ("created", "edited", "deleted")
DEPENDENCY_ACTIONS = (
    "blocked_by_added",
    "blocked_by_removed",
    "blocking_added",
    "blocking_removed",
)
SUB_ISSUE_ACTIONS = (
    "sub_issue_added",
    "sub_issue_removed",
    "parent_issue_added",
    "parent_issue_removed",
)


def default_handlers() -> HandlerRegistry:
    """GitHub `issues`, `issue_comment`, `issue_dependencies` and `sub_issues`, and
    every Jira issue, comment and issue link event."""
    registry = HandlerRegistry()
    registry.register("issues", TICKET_ACTIONS, route)
    registry.register("issue_comment", COMMENT_ACTIONS, route)
    registry.register("issue_dependencies", DEPENDENCY_ACTIONS, triage_linked)
    registry.register("sub_issues", SUB_ISSUE_ACTIONS, triage_linked)
    registry.register("issuelink_created", ("*",), triage_linked)
    registry.register("issuelink_deleted", ("*",), triage_linked)
    for jira_event in (
        "jira:issue_created",
        "jira:issue_updated",
        "jira:issue_deleted",
        "comment_created",
        "comment_updated",
        "comment_deleted",
    ):
        registry.register(jira_event, ("*",), route)
    return registry
