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
    payload is the whole ticket, else it is fetched by `key`."""

    key: str
    ticket: Ticket | None = None


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

    def refresh(self, *, key: str | None = None, ticket: Ticket | None = None) -> None:
        """Triage the ticket (`ticket` as given, else fetched by `key`), write its labels."""
        if ticket is not None:
            self.work.append(Refresh(ticket.key, ticket))
        elif key is not None:
            self.work.append(Refresh(key))
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


def default_handlers() -> HandlerRegistry:
    """GitHub `issues` and `issue_comment`, and every Jira issue and comment event."""
    registry = HandlerRegistry()
    registry.register("issues", TICKET_ACTIONS, route)
    registry.register("issue_comment", COMMENT_ACTIONS, route)
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
