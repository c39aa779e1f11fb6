"""A Jira issue's JSON as a `Ticket`: the one mapping, for the API, webhooks and exports.

The live connector (search and issue answers, REST v2 or v3), its webhook
parser and the offline export reader (`connectors.files`, after it has checked
the file's types) all build tickets here, so a status, a link or a story points
field means the same thing whichever way the issue arrived. The mapping is
lenient: a field of the wrong type or missing reads as absent, never raises.
What differs between the callers (where browse URLs point, which fields hold
story points and the epic link, whom to trust, which comments are ours) is
given in an `IssueContext`.

- State: the status category (`done` is closed, any other open); when the
  status carries no category (some exports and webhooks), its name decides,
  from the usual names of done and open statuses; otherwise unknown (None).
- Links: the phrase on this issue's side of a link says what it is ("is blocked
  by", "depends on", "is a child of"...). A link type named as a blocker type
  (`DEFAULT_BLOCKER_LINK_TYPES`, configurable) whose phrases say nothing known
  follows Jira's convention: the outward side blocks. Sub-tasks (also the older
  link-shaped `sub-tasks`) are children, open or done, with their state; the
  `parent` field and an epic link field are the parent.
- Story points and epic link: the fields the context names; for an export that
  names none, the fields whose display name (`names`, from `expand=names`) or
  own key reads "Story Points" / "Story point estimate" / "Epic Link".
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from connectors.base import Comment, Link, LinkKind, Ticket, TicketState, Trust
from connectors.jira.markup import jira_text_to_markdown
from connectors.vocabulary import kind_from_type, priority_from_name

__all__ = [
    "DEFAULT_BLOCKER_LINK_TYPES",
    "MARKER_TOKEN",
    "IssueContext",
    "carries_marker",
    "comment_items",
    "epic_link_fields",
    "number",
    "parse_time",
    "state",
    "story_points_fields",
    "ticket",
    "user_id",
]

MARKER_TOKEN = "backlog-sync:readiness"  # noqa: S105 - in both the wiki and the HTML marker
"""What marks our comment, in its wiki footer and in the service's HTML comment."""

DEFAULT_BLOCKER_LINK_TYPES = (
    "Blocks",
    "Blocker",
    "Blockers",
    "Blocked",
    "Dependency",
    "Dependent",
    "Depends",
    "Depend",
    "Required",
)
"""Link type names that mean "cannot start before" on real instances (case-insensitive).

Which side blocks is read from the link's own phrases; a type of these names
whose phrases say nothing we know ("Dependency" both ways) follows Jira's
convention, the outward side blocks.
"""

_CLOSED_STATUS_NAMES = frozenset({"done", "closed", "resolved", "fixed", "cancelled", "canceled"})
_OPEN_STATUS_NAMES = frozenset(
    {
        "open",
        "to do",
        "todo",
        "backlog",
        "in progress",
        "reopened",
        "in review",
        "selected for development",
    }
)

# How the phrase on this issue's side of a link, read "this issue <phrase> the
# other", relates the two (phrases are compared casefolded, spaces collapsed).
_DEPENDENCY_PHRASES: tuple[tuple[LinkKind, re.Pattern[str]], ...] = (
    (
        LinkKind.BLOCKED_BY,
        re.compile(
            r"\bblocked by\b|^depends? (?:on|upon)$|^requires$|has to be done after"
            r"|can't start until the linked issue is done"
        ),
    ),
    (
        LinkKind.BLOCKS,
        re.compile(
            r"^blocks$|^is blocking$|depended (?:on |upon )?by$|^is required (?:by|for)$"
            r"|^is a precondition for$|has to be done before"
            r"|linked one can't start until this issue is done"
        ),
    ),
)
_OTHER_PHRASES: tuple[tuple[LinkKind, re.Pattern[str]], ...] = (
    (LinkKind.DUPLICATES, re.compile(r"^(?:duplicates|is a duplicate of)$")),
    (LinkKind.PARENT, re.compile(r"^is a child of$|^is subtask of$|^belongs to epic$")),
    (LinkKind.CHILD, re.compile(r"^is (?:a )?parent (?:task )?of$|^is the epic for$")),
)

STORY_POINTS_FIELD_NAMES = ("story points", "story point estimate")
"""Story points field names in order of preference (other spellings rank after them)."""
_STORY_POINTS_NAME = re.compile(r"^\s*story[\s_-]*points?(?:[\s_-]*estimate)?\s*$", re.IGNORECASE)
_EPIC_LINK_NAME = re.compile(r"^\s*epic[\s_-]*link\s*$", re.IGNORECASE)


def _trusted(_: Mapping[str, Any] | None) -> Trust:
    return Trust.TRUSTED


def _anyone(_: Mapping[str, Any] | None) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class IssueContext:
    """What the mapping needs to know about where an issue came from.

    `server`: browse URLs are `{server}/browse/KEY`; None reads the host from the
    issue's own `self` URL (an export). `points_fields` and `epic_fields`: the
    ids of those fields. `trust(person)`: a reporter's or commenter's trust
    (None when the issue names nobody). `wrote(author)`: whether a comment that
    carries our marker was written by us; asked only for such comments.
    """

    source: str
    server: str | None = None
    points_fields: Sequence[str] = ()
    epic_fields: Sequence[str] = ()
    blocker_types: frozenset[str] = frozenset(t.casefold() for t in DEFAULT_BLOCKER_LINK_TYPES)
    trust: Callable[[Mapping[str, Any] | None], Trust] = _trusted
    wrote: Callable[[Mapping[str, Any] | None], bool] = _anyone


def ticket(raw: Mapping[str, Any], context: IssueContext) -> Ticket:
    """The Ticket for one issue as Jira's REST API (v2 or v3), a webhook or an export gives it."""
    key = str(raw["key"])
    fields = _mapping(raw.get("fields"))
    issuetype = _mapping(fields.get("issuetype"))
    priority = _mapping(fields.get("priority"))
    person = next((u for u in (fields.get("reporter"), fields.get("creator")) if display(u)), None)
    assignee = display(fields.get("assignee"))
    return Ticket(
        source=context.source,
        key=key,
        url=_browse_url(raw, key, context.server),
        title=str(fields.get("summary") or ""),
        body=jira_text_to_markdown(fields.get("description")),
        kind=kind_from_type(_text(issuetype.get("name")), subtask=bool(issuetype.get("subtask"))),
        state=state(fields.get("status")) or TicketState.OPEN,
        labels=tuple(str(label) for label in fields.get("labels") or () if label is not None),
        author=display(person),
        author_trust=context.trust(person),
        assignees=(assignee,) if assignee else (),
        priority=priority_from_name(_text(priority.get("name"))),
        estimate=_estimate(fields, context.points_fields),
        links=_links(fields, context),
        comments=_comments(fields.get("comment"), context),
        created_at=parse_time(fields.get("created")),
        updated_at=parse_time(fields.get("updated")),
    )


# --- state, links ------------------------------------------------------------------


def state(status: Any) -> TicketState | None:
    """The state a `status` says: its category, else its name; None when it does not say."""
    if not isinstance(status, Mapping):
        return None
    category = status.get("statusCategory")
    key = category.get("key") if isinstance(category, Mapping) else None
    if isinstance(key, str) and key:
        return TicketState.CLOSED if key.lower() == "done" else TicketState.OPEN
    name = _words(status.get("name"))
    if name in _CLOSED_STATUS_NAMES:
        return TicketState.CLOSED
    return TicketState.OPEN if name in _OPEN_STATUS_NAMES else None


def link_kind(link: Mapping[str, Any], blocker_types: frozenset[str]) -> LinkKind | None:
    """What an `issuelinks` entry makes the other issue; None when it names none."""
    link_type = _mapping(link.get("type"))
    if link.get("inwardIssue"):
        phrase, inward_side = _words(link_type.get("inward")), True
    elif link.get("outwardIssue"):
        phrase, inward_side = _words(link_type.get("outward")), False
    else:
        return None
    found = _phrase_kind(phrase, _DEPENDENCY_PHRASES)
    if found is not None:
        return found
    if _words(link_type.get("name")) in blocker_types:
        # a blocker type whose phrases we do not know: the outward side blocks
        return LinkKind.BLOCKED_BY if inward_side else LinkKind.BLOCKS
    return _phrase_kind(phrase, _OTHER_PHRASES) or LinkKind.RELATES


def _phrase_kind(
    phrase: str, rules: tuple[tuple[LinkKind, re.Pattern[str]], ...]
) -> LinkKind | None:
    return next((kind for kind, rule in rules if rule.search(phrase)), None)


def _links(fields: Mapping[str, Any], context: IssueContext) -> tuple[Link, ...]:
    links: list[Link] = []
    for link in _objects(fields.get("issuelinks")):
        kind = link_kind(link, context.blocker_types)
        other = _mapping(link.get("inwardIssue") or link.get("outwardIssue"))
        if kind is not None and other.get("key"):
            links.append(_link_to(kind, other))
    for subtask in _objects(fields.get("subtasks")):
        if subtask.get("key"):
            links.append(_link_to(LinkKind.CHILD, subtask))
    for subtask in _objects(fields.get("sub-tasks")):  # an older, link-shaped variant
        target = _mapping(subtask.get("outwardIssue") or subtask.get("inwardIssue") or subtask)
        if target.get("key"):
            links.append(_link_to(LinkKind.CHILD, target))
    parent = fields.get("parent")
    if isinstance(parent, Mapping) and parent.get("key"):
        links.append(_link_to(LinkKind.PARENT, parent))
    epics = (fields.get(field_id) for field_id in context.epic_fields)
    epic = next((value for value in epics if isinstance(value, str) and value), None)
    if epic is not None and all(link.target != epic for link in links):
        links.append(Link(kind=LinkKind.PARENT, target=epic))
    return tuple(links)


def _link_to(kind: LinkKind, issue: Mapping[str, Any]) -> Link:
    fields = _mapping(issue.get("fields"))
    summary = fields.get("summary")
    return Link(
        kind=kind,
        target=str(issue["key"]),
        state=state(fields.get("status")),
        title=str(summary) if summary else None,
    )


# --- fields found by name ----------------------------------------------------------


def story_points_fields(names: Mapping[str, str]) -> tuple[str, ...]:
    """Ids of the story points fields among `names` (id -> display name), best first."""
    preferred = STORY_POINTS_FIELD_NAMES
    matching = [
        (preferred.index(words) if words in preferred else len(preferred), order, field_id)
        for order, (field_id, name) in enumerate(names.items())
        if _STORY_POINTS_NAME.match(name)
        for words in [_words(name)]
    ]
    return tuple(field_id for _, _, field_id in sorted(matching))


def epic_link_fields(names: Mapping[str, str]) -> tuple[str, ...]:
    """Ids of the epic link fields among `names` (id -> display name)."""
    return tuple(field_id for field_id, name in names.items() if _EPIC_LINK_NAME.match(name))


def _estimate(fields: Mapping[str, Any], field_ids: Iterable[str]) -> float | None:
    values = (number(fields.get(field_id)) for field_id in field_ids)
    return next((value for value in values if value is not None), None)


def number(value: Any) -> float | None:
    """A field's number: a JSON number, or text that reads as one; None otherwise."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


# --- comments, people, text --------------------------------------------------------


def _comments(value: Any, context: IssueContext) -> tuple[Comment, ...]:
    comments: list[Comment] = []
    for index, item in enumerate(comment_items(value)):
        body = item.get("body")
        author = item.get("author")
        raw_id = item.get("id")
        comments.append(
            Comment(
                id=str(raw_id) if isinstance(raw_id, str | int) else str(index),
                body=jira_text_to_markdown(body),
                author=display(author),
                author_trust=context.trust(author if isinstance(author, Mapping) else None),
                created_at=parse_time(item.get("created")),
                is_own=carries_marker(body)
                and context.wrote(author if isinstance(author, Mapping) else None),
            )
        )
    return tuple(comments)


def comment_items(value: Any) -> list[Mapping[str, Any]]:
    """The comments of an issue's `comment` field (a page object or a plain list)."""
    items = value.get("comments") if isinstance(value, Mapping) else value
    return _objects(items)


def carries_marker(body: Any) -> bool:
    """Whether a comment body (wiki text or ADF) carries our marker."""
    if isinstance(body, str):
        return MARKER_TOKEN in body
    if isinstance(body, Mapping | list):
        return MARKER_TOKEN in json.dumps(body)
    return False


def user_id(user: Any) -> str | None:
    """The id Jira knows a user by: accountId (Cloud), else name or key (Server/DC)."""
    if not isinstance(user, Mapping):
        return None
    for key in ("accountId", "name", "key"):
        if user.get(key):
            return str(user[key])
    return None


def display(user: Any) -> str | None:
    """The name to show for a user."""
    if not isinstance(user, Mapping):
        return None
    for key in ("displayName", "name", "accountId", "emailAddress"):
        value = user.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def parse_time(value: Any) -> datetime | None:
    """Jira's timestamps: `2021-01-17T12:34:00.000+0000` (or ISO, or epoch ms)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    for pattern in ("%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z"):
        try:
            return datetime.strptime(value, pattern)
        except ValueError:
            continue
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _browse_url(raw: Mapping[str, Any], key: str, server: str | None) -> str | None:
    if server:
        return f"{server}/browse/{key}"
    self_url = raw.get("self")
    if not isinstance(self_url, str) or not self_url:
        return None
    parts = urlsplit(self_url)
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}/browse/{key}"


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _objects(value: Any) -> list[Mapping[str, Any]]:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _words(value: Any) -> str:
    return " ".join(str(value or "").casefold().split())
