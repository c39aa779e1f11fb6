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

The reader checks the types of what it reads (`connectors.export_json`, where
its messages come from), then maps the checked data with the trackers' own code: Jira issues go
through `connectors.jira.mapping`, the one Jira mapping; the `gh` export, whose
shape differs from the REST API's (camelCase, `author.login`), shares
`connectors.github.mapping`'s trust, labels, kind, state and key rules.

Also here, for the command line: `ticket_from_markdown` (one ticket typed on
stdin) and `find_ticket`, the one way a typed key finds a ticket.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

from connectors.base import (
    OWN_COMMENT_MARKER,
    Comment,
    LabelSpec,
    NotFoundError,
    Ticket,
    UnsupportedError,
    WebhookEvent,
)
from connectors.export_json import Fields, Place, SourceFileError, json_type, shown
from connectors.github import mapping as github_mapping
from connectors.jira import mapping as jira_mapping
from connectors.vocabulary import priority_from_labels

__all__ = [
    "FileConnector",
    "SourceFileError",
    "find_ticket",
    "load_tickets",
    "ticket_from_markdown",
]


# --- GitHub: `gh issue list --json ...` ------------------------------------------------

_ISSUE_URL = re.compile(r"^https?://[^/\s]+/(?P<repo>[\w.-]+/[\w.-]+)/(?:issues|pull)/\d+/?$")


def _login(person: Fields | None) -> str | None:
    return person.text("login") if person is not None else None


def _gh_labels(item: Fields) -> list[str]:
    value = item.data.get("labels")
    if not (isinstance(value, list) and all(isinstance(label, str) for label in value)):
        for label in item.objects("labels"):
            label.required_text("name", "label")
    return github_mapping.label_names(item.data)


def _gh_comment(comment: Fields, index: int) -> Comment:
    raw_id = comment.data.get("id")
    if raw_id is not None and not isinstance(raw_id, str | int):
        comment.place.fail(f'"{comment.prefix}id" must be a string or number')
    body = comment.text("body") or ""
    return Comment(
        id=str(raw_id) if raw_id is not None else comment.text("url") or str(index),
        body=body,
        author=_login(comment.obj("author")),
        author_trust=github_mapping.author_trust(comment.text("authorAssociation"), None),
        created_at=comment.time("createdAt"),
        is_own=OWN_COMMENT_MARKER in body,
    )


def _gh_issue(item: Fields, source: str) -> Ticket:
    number = item.data.get("number")
    if number is None:
        item.place.fail('GitHub issue "number" is missing')
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        item.place.fail(f'"number" must be a positive whole number, got {shown(number)}')
    title = item.required_text("title", "title")
    url = item.text("url")
    repo = _ISSUE_URL.match(url) if url else None
    state = (item.text("state") or "OPEN").upper()
    if state not in {"OPEN", "CLOSED", "MERGED"}:
        item.place.fail(f'"state" must be OPEN or CLOSED, got {shown(state)}')
    labels = _gh_labels(item)
    return Ticket(
        source=source,
        key=github_mapping.issue_key(repo.group("repo") if repo else None, number),
        title=title,
        url=url,
        body=item.text("body") or "",
        kind=github_mapping.kind_of(labels),
        state=github_mapping.state_of(state),
        labels=tuple(labels),
        author=_login(item.obj("author")),
        author_trust=github_mapping.author_trust(item.text("authorAssociation"), None),
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


# --- Jira: search responses and issues, checked, then `connectors.jira.mapping` -------


def _jira_issue(
    issue: Fields, source: str, names: Mapping[str, str], story_points_field: str | None
) -> Ticket:
    """Check the types of what the mapping reads, in the order it reads them."""
    key = issue.required_text("key", "Jira issue key")
    fields = issue.obj("fields")
    if fields is None:
        issue.place.fail(f'Jira issue {shown(key)} has no "fields"')
    # a field is found by its display name (`names`), or by its own key
    all_names = {**names, **_names(issue)}
    by_name = {**all_names, **{k: k for k in fields.data if k not in all_names}}
    fields.texts("labels")
    priority = fields.obj("priority")
    _check_links(fields)
    epic_fields = jira_mapping.epic_link_fields(by_name)
    _first(fields.text, epic_fields)
    _check_person(fields.obj("assignee"))
    fields.required_text("summary", "title")
    issue.text("self")
    issue_type = fields.obj("issuetype")
    if issue_type is not None:
        issue_type.text("name")
        issue_type.boolean("subtask")
    _check_status(fields)
    if not _check_person(fields.obj("reporter")):
        _check_person(fields.obj("creator"))
    if priority is not None:
        priority.text("name")
    points_fields = (
        (story_points_field,) if story_points_field else jira_mapping.story_points_fields(by_name)
    )
    _first(fields.number, points_fields)
    _check_comments(fields)
    fields.time("created")
    fields.time("updated")
    context = jira_mapping.IssueContext(
        source=source, points_fields=points_fields, epic_fields=epic_fields
    )
    return jira_mapping.ticket(issue.data, context)


def _first(read: Callable[[str], object], names: Iterable[str]) -> None:
    """Read fields in order up to the first that has a value, as the mapping does."""
    for name in names:
        if read(name):
            return


def _check_person(person: Fields | None) -> bool:
    """Whether `person` has a name to show; checks the fields the mapping reads for it."""
    if person is None:
        return False
    return any(person.text(name) for name in ("displayName", "name", "accountId", "emailAddress"))


def _check_status(fields: Fields | None) -> None:
    status = fields.obj("status") if fields is not None else None
    if status is None:
        return
    category = status.obj("statusCategory")
    if not (category is not None and category.text("key")):
        status.text("name")


def _check_linked(issue: Fields) -> None:
    issue.required_text("key", "linked issue")
    fields = issue.obj("fields")
    _check_status(fields)
    if fields is not None:
        fields.text("summary")


def _check_links(fields: Fields) -> None:
    for link in fields.objects("issuelinks"):
        link_type = link.obj("type") or Fields({}, link.place, f"{link.prefix}type.")
        inward, outward = link.obj("inwardIssue"), link.obj("outwardIssue")
        if inward is not None:
            link_type.text("inward")
            _check_linked(inward)
        elif outward is not None:
            link_type.text("outward")
            _check_linked(outward)
        else:
            link.place.fail(f'"{link.prefix}" has neither inwardIssue nor outwardIssue')
    for subtask in fields.objects("subtasks"):
        _check_linked(subtask)
    for subtask in fields.objects("sub-tasks"):  # an older, link-shaped variant
        _check_linked(subtask.obj("outwardIssue") or subtask.obj("inwardIssue") or subtask)
    parent = fields.obj("parent")
    if parent is not None:
        _check_linked(parent)


def _check_comments(fields: Fields) -> None:
    if isinstance(fields.data.get("comment"), list):  # some responses give them directly
        comments = fields.objects("comment")
    else:
        container = fields.obj("comment")
        comments = container.objects("comments") if container is not None else []
    for comment in comments:
        _check_person(comment.obj("author"))
        comment.time("created")


def _names(container: Fields) -> dict[str, str]:
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


def _item(value: object, place: Place, options: _Options, names: Mapping[str, str]) -> Ticket:
    if not isinstance(value, dict):
        place.fail(f"expected an issue object, got {json_type(value)}")
    fields = Fields(value, place)
    if "fields" in value:
        return _jira_issue(fields, options.source, names, options.story_points_field)
    if "number" in value or "title" in value:
        return _gh_issue(fields, options.source)
    if "key" in value:
        return _jira_issue(fields, options.source, names, options.story_points_field)
    place.fail(
        "unrecognised item: expected a GitHub issue (number, title) or a Jira issue (key, fields)"
    )


_Located = tuple[Place, Ticket]


def _value(value: object, place: Place, options: _Options) -> list[_Located]:
    """Tickets in one top-level JSON value (the whole file, or one JSON Lines line)."""
    if isinstance(value, list):
        return [
            (at, _item(item, at, options, {}))
            for i, item in enumerate(value)
            for at in [place.at(f"index {i}")]
        ]
    if isinstance(value, dict) and "issues" in value:
        names = _names(Fields(value, place))
        issues = value["issues"]
        if not isinstance(issues, list):
            place.fail(f'"issues" must be an array, got {json_type(issues)}')
        return [
            (at, _item(item, at, options, names))
            for i, item in enumerate(issues)
            for at in [place.at(f"issues[{i}]")]
        ]
    if isinstance(value, dict):
        return [(place, _item(value, place, options, {}))]
    place.fail(
        f"unrecognised content: expected a JSON array of issues, a Jira search response "
        f"or an issue object, got {json_type(value)}"
    )


def _read_text(path: Path) -> str:
    place = Place(path)
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


def _json_lines(text: str, place: Place, options: _Options) -> list[_Located]:
    tickets: list[_Located] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        line_place = Place(place.file, f"line {number}")
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            line_place.fail(f"invalid JSON at column {error.colno}: {error.msg}")
        tickets.extend(_value(value, line_place, options))
    return tickets


def _parse(text: str, place: Place, options: _Options) -> list[_Located]:
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
    located = _parse(_read_text(path), Place(path), options)
    seen: dict[str, Place] = {}
    for place, ticket in located:
        first = seen.setdefault(ticket.key, place)
        if first is not place:
            where = first.where or "earlier in the file"
            place.fail(f"ticket {shown(ticket.key)} appears twice (first at {where})")
    return [ticket for _, ticket in located]


# --- keys and stdin -------------------------------------------------------------------

_NUMBER_KEY = re.compile(r"^#?(?P<number>\d+)$")


def find_ticket(tickets: Sequence[Ticket], key: str) -> Ticket | None:
    """The ticket a typed key means: the exact key, else the key in any case, else a bare
    number (`12`, `#12`) when exactly one ticket's key ends with `#12`."""
    wanted = key.strip()
    found = next((ticket for ticket in tickets if ticket.key == wanted), None) or next(
        (ticket for ticket in tickets if ticket.key.upper() == wanted.upper()), None
    )
    if found is not None:
        return found
    number = _NUMBER_KEY.match(wanted)
    if number:
        suffix = f"#{int(number.group('number'))}"
        matches = [ticket for ticket in tickets if ticket.key.endswith(suffix)]
        if len(matches) == 1:
            return matches[0]
    return None


def ticket_from_markdown(text: str) -> Ticket:
    """A ticket typed on stdin: the first line is the title, the rest the body.

    Leading blank lines are skipped and a heading's `#` marks dropped from the
    title; empty input is a SourceFileError.
    """
    lines = text.lstrip("\ufeff").splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise SourceFileError("stdin: empty input (the first line is the ticket's title)")
    title = lines[0].strip().lstrip("#").strip()
    return Ticket(source="stdin", key="-", title=title, body="\n".join(lines[1:]).strip())


# --- the connector --------------------------------------------------------------------


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
        found = find_ticket(self._tickets(), key)
        if found is None:
            raise NotFoundError(f"no ticket {key.strip()!r} in {self.path}", source=self.source)
        return found

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
