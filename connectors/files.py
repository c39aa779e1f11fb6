"""Offline sources: tickets read from a JSON export instead of a tracker's API.

`file:PATH` names a file holding one of:

- the array printed by `gh issue list --json number,title,body,labels,...`;
- a Jira search response (`{"issues": [...]}`, REST v2 with wiki markup or v3
  with Atlassian Document Format);
- JSON Lines of either (one issue, array or search response per line);
- one GitHub or Jira issue object.

The format is told from the content, never from the file name. Bad input is a
`SourceFileError` whose one-line message names the file, the place (index, line,
`issues[i]`) and the problem; no item is ever dropped silently. An export cannot
be written back to, so the write methods raise `UnsupportedError`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

from connectors.base import (
    OWN_COMMENT_MARKER,
    Comment,
    LabelSpec,
    Link,
    LinkKind,
    NotFoundError,
    Ticket,
    TicketState,
    Trust,
    UnsupportedError,
    WebhookEvent,
)
from connectors.markup import jira_text_to_markdown
from connectors.vocabulary import (
    kind_from_labels,
    kind_from_type,
    priority_from_labels,
    priority_from_name,
)

__all__ = ["FileConnector", "SourceFileError", "load_tickets"]


class SourceFileError(ValueError):
    """An export file that cannot be read as tickets; the message is one line."""


# --- where in the file we are, for error messages -----------------------------------


@dataclass(frozen=True, slots=True)
class _Place:
    file: Path
    where: str = ""  # "index 3", "line 5", "line 5, issues[2]"; "" for the whole file

    def at(self, step: str) -> _Place:
        return _Place(self.file, f"{self.where}, {step}" if self.where else step)

    def fail(self, problem: str) -> NoReturn:
        parts = [str(self.file), self.where, problem] if self.where else [str(self.file), problem]
        raise SourceFileError(" ".join(": ".join(parts).split()))


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else type(value).__name__


def _shown(value: object, limit: int = 40) -> str:
    """A short, one-line rendering of an untrusted value for an error message."""
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _Fields:
    """Typed access to one JSON object; a wrong type fails naming the field."""

    def __init__(self, data: Mapping[str, Any], place: _Place, prefix: str = "") -> None:
        self.data = data
        self.place = place
        self.prefix = prefix

    def _wrong(self, name: str, expected: str, value: object) -> NoReturn:
        self.place.fail(f'"{self.prefix}{name}" must be {expected}, got {_json_type(value)}')

    def has(self, name: str) -> bool:
        return self.data.get(name) is not None

    def text(self, name: str) -> str | None:
        value = self.data.get(name)
        if value is None or isinstance(value, str):
            return value
        self._wrong(name, "a string", value)

    def required_text(self, name: str, what: str) -> str:
        value = self.text(name)
        if value is None or not value.strip():
            self.place.fail(f'{what} "{self.prefix}{name}" is missing or empty')
        return value

    def obj(self, name: str) -> _Fields | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            self._wrong(name, "an object", value)
        return _Fields(value, self.place, f"{self.prefix}{name}.")

    def objects(self, name: str) -> list[_Fields]:
        value = self.data.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            self._wrong(name, "an array", value)
        items: list[_Fields] = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self._wrong(f"{name}[{index}]", "an object", item)
            items.append(_Fields(item, self.place, f"{self.prefix}{name}[{index}]."))
        return items

    def texts(self, name: str) -> list[str]:
        value = self.data.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            self._wrong(name, "an array", value)
        for index, item in enumerate(value):
            if not isinstance(item, str):
                self._wrong(f"{name}[{index}]", "a string", item)
        return list(value)

    def time(self, name: str) -> datetime | None:
        value = self.text(name)
        if value is None or not value.strip():
            return None
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            self.place.fail(f'"{self.prefix}{name}" is not an ISO 8601 timestamp: {_shown(value)}')
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)

    def number(self, name: str) -> float | None:
        value = self.data.get(name)
        if value is None:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                pass
        self._wrong(name, "a number", value)

    def boolean(self, name: str) -> bool:
        value = self.data.get(name)
        if value is None:
            return False
        if not isinstance(value, bool):
            self._wrong(name, "true or false", value)
        return value


# --- GitHub: `gh issue list --json ...` ------------------------------------------------

_ISSUE_URL = re.compile(r"^https?://[^/\s]+/(?P<repo>[\w.-]+/[\w.-]+)/(?:issues|pull)/\d+/?$")
_TRUSTED_ASSOCIATIONS = frozenset({"OWNER", "MEMBER", "COLLABORATOR"})


def _trust(association: str | None) -> Trust:
    if association is None:
        return Trust.UNKNOWN
    return Trust.TRUSTED if association.upper() in _TRUSTED_ASSOCIATIONS else Trust.UNTRUSTED


def _login(person: _Fields | None) -> str | None:
    return person.text("login") if person is not None else None


def _gh_labels(item: _Fields) -> list[str]:
    value = item.data.get("labels")
    if isinstance(value, list) and all(isinstance(label, str) for label in value):
        return list(value)
    return [label.required_text("name", "label") for label in item.objects("labels")]


def _gh_comment(comment: _Fields, index: int) -> Comment:
    raw_id = comment.data.get("id")
    if raw_id is not None and not isinstance(raw_id, str | int):
        comment.place.fail(f'"{comment.prefix}id" must be a string or number')
    body = comment.text("body") or ""
    return Comment(
        id=str(raw_id) if raw_id is not None else comment.text("url") or str(index),
        body=body,
        author=_login(comment.obj("author")),
        author_trust=_trust(comment.text("authorAssociation")),
        created_at=comment.time("createdAt"),
        is_own=OWN_COMMENT_MARKER in body,
    )


def _gh_issue(item: _Fields, source: str) -> Ticket:
    number = item.data.get("number")
    if number is None:
        item.place.fail('GitHub issue "number" is missing')
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        item.place.fail(f'"number" must be a positive whole number, got {_shown(number)}')
    title = item.required_text("title", "title")
    url = item.text("url")
    repo = _ISSUE_URL.match(url) if url else None
    state = (item.text("state") or "OPEN").upper()
    if state not in {"OPEN", "CLOSED", "MERGED"}:
        item.place.fail(f'"state" must be OPEN or CLOSED, got {_shown(state)}')
    labels = _gh_labels(item)
    return Ticket(
        source=source,
        key=f"{repo.group('repo')}#{number}" if repo else f"#{number}",
        title=title,
        url=url,
        body=item.text("body") or "",
        kind=kind_from_labels(labels),
        state=TicketState.OPEN if state == "OPEN" else TicketState.CLOSED,
        labels=tuple(labels),
        author=_login(item.obj("author")),
        author_trust=_trust(item.text("authorAssociation")),
        assignees=tuple(
            login for login in map(_login, item.objects("assignees")) if login is not None
        ),
        priority=priority_from_labels(labels),
        comments=tuple(
            _gh_comment(comment, index) for index, comment in enumerate(item.objects("comments"))
        ),
        created_at=item.time("createdAt"),
        updated_at=item.time("updatedAt"),
    )


# --- Jira: search responses and issues -------------------------------------------------

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
_STORY_POINTS_NAME = re.compile(r"^\s*story[\s_-]*points?(?:[\s_-]*estimate)?\s*$", re.IGNORECASE)
_EPIC_LINK_NAME = re.compile(r"^\s*epic[\s_-]*link\s*$", re.IGNORECASE)

# How a link phrase, read as "this issue <phrase> the other", relates the two.
_LINK_PHRASES: tuple[tuple[LinkKind, re.Pattern[str]], ...] = (
    (
        LinkKind.BLOCKED_BY,
        re.compile(
            r"\bblocked by\b|^depends? (?:on|upon)$|^requires$|has to be done after"
            r"|can't start until the linked issue is done",
            re.IGNORECASE,
        ),
    ),
    (
        LinkKind.BLOCKS,
        re.compile(
            r"^blocks$|^is blocking$|depended (?:on |upon )?by$|^is required by$"
            r"|has to be done before|linked one can't start until this issue is done",
            re.IGNORECASE,
        ),
    ),
    (LinkKind.DUPLICATES, re.compile(r"^duplicates$", re.IGNORECASE)),
    (LinkKind.PARENT, re.compile(r"^is a child of$|^is subtask of$|^belongs to epic$", re.I)),
    (LinkKind.CHILD, re.compile(r"^is (?:a )?parent (?:task )?of$|^is the epic for$", re.I)),
)


def _link_kind(phrase: str) -> LinkKind:
    phrase = phrase.strip()
    return next((kind for kind, rule in _LINK_PHRASES if rule.search(phrase)), LinkKind.RELATES)


def _jira_state(fields: _Fields | None) -> TicketState | None:
    """The state in an issue's (or linked issue's) `status`, None when it does not say."""
    status = fields.obj("status") if fields is not None else None
    if status is None:
        return None
    category = status.obj("statusCategory")
    key = category.text("key") if category is not None else None
    if key:
        return TicketState.CLOSED if key.lower() == "done" else TicketState.OPEN
    name = (status.text("name") or "").strip().lower()
    if name in _CLOSED_STATUS_NAMES:
        return TicketState.CLOSED
    return TicketState.OPEN if name in _OPEN_STATUS_NAMES else None


def _jira_person(person: _Fields | None) -> str | None:
    if person is None:
        return None
    for name in ("displayName", "name", "accountId", "emailAddress"):
        value = person.text(name)
        if value:
            return value
    return None


def _linked(issue: _Fields, kind: LinkKind) -> Link:
    key = issue.required_text("key", "linked issue")
    fields = issue.obj("fields")
    return Link(
        kind=kind,
        target=key,
        state=_jira_state(fields),
        title=fields.text("summary") if fields is not None else None,
    )


def _jira_links(fields: _Fields) -> list[Link]:
    links: list[Link] = []
    for link in fields.objects("issuelinks"):
        link_type = link.obj("type") or _Fields({}, link.place, f"{link.prefix}type.")
        inward, outward = link.obj("inwardIssue"), link.obj("outwardIssue")
        if inward is not None:
            links.append(_linked(inward, _link_kind(link_type.text("inward") or "")))
        elif outward is not None:
            links.append(_linked(outward, _link_kind(link_type.text("outward") or "")))
        else:
            link.place.fail(f'"{link.prefix}" has neither inwardIssue nor outwardIssue')
    for subtask in fields.objects("subtasks"):
        links.append(_linked(subtask, LinkKind.CHILD))
    for subtask in fields.objects("sub-tasks"):  # an older, link-shaped variant
        target = subtask.obj("outwardIssue") or subtask.obj("inwardIssue") or subtask
        links.append(_linked(target, LinkKind.CHILD))
    parent = fields.obj("parent")
    if parent is not None:
        links.append(_linked(parent, LinkKind.PARENT))
    return links


def _field_ids(fields: _Fields, names: Mapping[str, str], pattern: re.Pattern[str]) -> list[str]:
    """Ids of the fields whose display name (from `names`) or own key matches."""
    ids = [field_id for field_id, name in names.items() if pattern.match(name)]
    ids.extend(key for key in fields.data if pattern.match(key) and key not in ids)
    return ids


def _jira_estimate(
    fields: _Fields, names: Mapping[str, str], story_points_field: str | None
) -> float | None:
    candidates = (
        [story_points_field]
        if story_points_field
        else _field_ids(fields, names, _STORY_POINTS_NAME)
    )
    for field_id in candidates:
        value = fields.number(field_id)
        if value is not None:
            return value
    return None


def _jira_epic_link(fields: _Fields, names: Mapping[str, str]) -> Link | None:
    for field_id in _field_ids(fields, names, _EPIC_LINK_NAME):
        key = fields.text(field_id)
        if key:
            return Link(kind=LinkKind.PARENT, target=key)
    return None


def _jira_comments(fields: _Fields) -> list[Comment]:
    holder = fields.data.get("comment")
    if isinstance(holder, list):  # some responses give the comments directly
        comments = fields.objects("comment")
    else:
        container = fields.obj("comment")
        comments = container.objects("comments") if container is not None else []
    result: list[Comment] = []
    for index, comment in enumerate(comments):
        raw_id = comment.data.get("id")
        body = jira_text_to_markdown(comment.data.get("body"))
        result.append(
            Comment(
                id=str(raw_id) if isinstance(raw_id, str | int) else str(index),
                body=body,
                author=_jira_person(comment.obj("author")),
                author_trust=Trust.TRUSTED,
                created_at=comment.time("created"),
                is_own=OWN_COMMENT_MARKER in body,
            )
        )
    return result


def _browse_url(issue: _Fields, key: str) -> str | None:
    self_url = issue.text("self")
    if not self_url:
        return None
    parts = urlsplit(self_url)
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}/browse/{key}"


def _jira_kind(fields: _Fields) -> str:
    issue_type = fields.obj("issuetype")
    if issue_type is None:
        return "issue"
    return kind_from_type(issue_type.text("name"), subtask=issue_type.boolean("subtask"))


def _jira_issue(
    issue: _Fields, source: str, names: Mapping[str, str], story_points_field: str | None
) -> Ticket:
    key = issue.required_text("key", "Jira issue key")
    fields = issue.obj("fields")
    if fields is None:
        issue.place.fail(f'Jira issue {_shown(key)} has no "fields"')
    own_names = _names(issue)
    all_names = {**names, **own_names}
    labels = fields.texts("labels")
    priority = fields.obj("priority")
    links = _jira_links(fields)
    epic = _jira_epic_link(fields, all_names)
    if epic is not None and all(link.target != epic.target for link in links):
        links.append(epic)
    assignee = _jira_person(fields.obj("assignee"))
    return Ticket(
        source=source,
        key=key,
        title=fields.required_text("summary", "title"),
        url=_browse_url(issue, key),
        body=jira_text_to_markdown(fields.data.get("description")),
        kind=_jira_kind(fields),
        state=_jira_state(fields) or TicketState.OPEN,
        labels=tuple(labels),
        author=_jira_person(fields.obj("reporter")) or _jira_person(fields.obj("creator")),
        author_trust=Trust.TRUSTED,
        assignees=(assignee,) if assignee else (),
        priority=priority_from_name(priority.text("name")) if priority else None,
        estimate=_jira_estimate(fields, all_names, story_points_field),
        links=tuple(links),
        comments=tuple(_jira_comments(fields)),
        created_at=fields.time("created"),
        updated_at=fields.time("updated"),
    )


def _names(container: _Fields) -> dict[str, str]:
    """The `names` map (field id -> display name) that `expand=names` adds."""
    names = container.obj("names")
    if names is None:
        return {}
    return {field_id: value for field_id, value in names.data.items() if isinstance(value, str)}


# --- reading the file ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Options:
    source: str
    story_points_field: str | None


def _item(value: object, place: _Place, options: _Options, names: Mapping[str, str]) -> Ticket:
    if not isinstance(value, dict):
        place.fail(f"expected an issue object, got {_json_type(value)}")
    fields = _Fields(value, place)
    if "fields" in value:
        return _jira_issue(fields, options.source, names, options.story_points_field)
    if "number" in value or "title" in value:
        return _gh_issue(fields, options.source)
    if "key" in value:
        return _jira_issue(fields, options.source, names, options.story_points_field)
    place.fail(
        "unrecognised item: expected a GitHub issue (number, title) or a Jira issue (key, fields)"
    )


_Located = tuple[_Place, Ticket]


def _value(value: object, place: _Place, options: _Options) -> list[_Located]:
    """Tickets in one top-level JSON value (the whole file, or one JSON Lines line)."""
    if isinstance(value, list):
        return [
            (at, _item(item, at, options, {}))
            for i, item in enumerate(value)
            for at in [place.at(f"index {i}")]
        ]
    if isinstance(value, dict) and "issues" in value:
        names = _names(_Fields(value, place))
        issues = value["issues"]
        if not isinstance(issues, list):
            place.fail(f'"issues" must be an array, got {_json_type(issues)}')
        return [
            (at, _item(item, at, options, names))
            for i, item in enumerate(issues)
            for at in [place.at(f"issues[{i}]")]
        ]
    if isinstance(value, dict):
        return [(place, _item(value, place, options, {}))]
    place.fail(
        f"unrecognised content: expected a JSON array of issues, a Jira search response "
        f"or an issue object, got {_json_type(value)}"
    )


def _read_text(path: Path) -> str:
    place = _Place(path)
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        place.fail("no such file")
    except IsADirectoryError:
        place.fail("is a directory, not a file")
    except UnicodeDecodeError as error:
        place.fail(f"not UTF-8 text (byte {error.start})")
    except OSError as error:
        place.fail(f"cannot read: {error.strerror or type(error).__name__}")


def _json_lines(text: str, place: _Place, options: _Options) -> list[_Located]:
    tickets: list[_Located] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        line_place = _Place(place.file, f"line {number}")
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            line_place.fail(f"invalid JSON at column {error.colno}: {error.msg}")
        tickets.extend(_value(value, line_place, options))
    return tickets


def _parse(text: str, place: _Place, options: _Options) -> list[_Located]:
    if not text.strip():
        place.fail("is empty (expected JSON)")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        if error.msg == "Extra data":  # one value, then more: JSON Lines
            return _json_lines(text, place, options)
        place.fail(f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}")
    return _value(value, place, options)


def load_tickets(
    path: Path,
    source: str | None = None,
    *,
    story_points_field: str | None = None,
) -> list[Ticket]:
    """Every ticket in an export file, in file order.

    `source` defaults to `file:PATH`. `story_points_field` names the Jira field
    (`customfield_10016`) holding story points when the export does not carry
    field names. Raises SourceFileError, with a one-line message, on bad input.
    """
    path = Path(path)
    options = _Options(source or f"file:{path}", story_points_field)
    located = _parse(_read_text(path), _Place(path), options)
    seen: dict[str, _Place] = {}
    for place, ticket in located:
        first = seen.setdefault(ticket.key, place)
        if first is not place:
            where = first.where or "earlier in the file"
            place.fail(f"ticket {_shown(ticket.key)} appears twice (first at {where})")
    return [ticket for _, ticket in located]


# --- the connector --------------------------------------------------------------------

_NUMBER_KEY = re.compile(r"^#?(?P<number>\d+)$")


def _oldest_first(tickets: Sequence[Ticket]) -> list[Ticket]:
    """Tickets without `updated_at` first (file order), then by `updated_at`."""
    undated = [ticket for ticket in tickets if ticket.updated_at is None]
    dated = [ticket for ticket in tickets if ticket.updated_at is not None]
    dated.sort(key=lambda ticket: ticket.updated_at or datetime.min.replace(tzinfo=UTC))
    return undated + dated


class FileConnector:
    """A read-only source over one export file (`file:PATH`); the file is re-read per call."""

    read_only = True

    def __init__(
        self,
        path: Path | str,
        *,
        source: str | None = None,
        story_points_field: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.source = source or f"file:{path}"
        self.story_points_field = story_points_field

    def _tickets(self) -> list[Ticket]:
        return load_tickets(self.path, self.source, story_points_field=self.story_points_field)

    def fetch_changed(self, since: datetime | None) -> Iterator[Ticket]:
        tickets = self._tickets()
        if since is not None:
            since = since if since.tzinfo is not None else since.replace(tzinfo=UTC)
            tickets = [t for t in tickets if t.updated_at is None or t.updated_at >= since]
        yield from _oldest_first(tickets)

    def fetch_one(self, key: str) -> Ticket:
        wanted = key.strip()
        tickets = self._tickets()
        for ticket in tickets:
            if ticket.key == wanted or ticket.key.upper() == wanted.upper():
                return ticket
        number = _NUMBER_KEY.match(wanted)
        if number:
            suffix = f"#{int(number.group('number'))}"
            matches = [ticket for ticket in tickets if ticket.key.endswith(suffix)]
            if len(matches) == 1:
                return matches[0]
        raise NotFoundError(f"no ticket {wanted!r} in {self.path}", source=self.source)

    def _read_only(self) -> NoReturn:
        raise UnsupportedError("file sources are read-only", source=self.source)

    def apply_labels(self, key: str, add: Sequence[str], remove: Sequence[str]) -> None:
        self._read_only()

    def ensure_labels(self, labels: Sequence[LabelSpec]) -> list[str]:
        self._read_only()

    def upsert_comment(self, key: str, body: str) -> None:
        self._read_only()

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> bool:
        return False

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookEvent | None:
        return None
