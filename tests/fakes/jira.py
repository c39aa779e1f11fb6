"""A fake Jira that speaks the real REST API over HTTP, for tests and benchmarks.

`FakeJira` runs a threaded HTTP server on 127.0.0.1 (a random port) that
python-jira talks to through `server=`. It plays Jira Cloud (`deploymentType`
"Cloud": `/search/jql` with `nextPageToken`; `/search` answers 410 Gone as on
Cloud today) or Jira Server/Data Center ("Server": `/search` with `startAt` and
`total`; no `/search/jql`).

What it covers: serverInfo, myself (with `timeZone`), field (with a story points
custom field whose id is chosen per instance), search (GET and POST), issue GET
and PUT (`fields` and `update` label operations), comments (list, add, get,
update), issue links and sub-tasks, user (with groups), and programmable faults
(`fail`). A change bumps the issue's `updated` like Jira. The JQL subset: `AND`,
`OR`, `NOT`, parentheses, `project`, `key`, `labels`, `status`, `issuetype`,
`updated`/`created` compared with `"yyyy/MM/dd HH:mm"` read in the account's time
zone (minute precision), `IN (...)`, `ORDER BY field [ASC|DESC], ...`. Any other
field is a 400 with Jira's error message, like a bad query on a real instance.
`expand=names` on a search or an issue GET adds `names` (field id -> display name,
from the field listing) for the fields of the issues answered.

Every JSON response is validated against `../shared/data/jira/openapi-subset.json`
(the REST v3 description). python-jira calls `/rest/api/2`: those paths are
checked against their `/rest/api/3` description. The v2 bodies differ only in
that descriptions and comment bodies are wiki-markup strings rather than ADF;
the subset leaves `IssueBean.fields` open and `Comment.body` untyped, so string
bodies validate as they are and nothing needs relaxing. `/rest/api/2/search`
(Server/DC only, not in the v3 subset) is checked by validating its issues as a
`/search/jql` page; `/user` is not in the subset and is not validated. A
mismatch is recorded in `errors` and answered with a 500, so the test fails.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

from tests.fakes.json_server import JsonHandler, JsonServer, Request
from tests.fakes.openapi import SHARED_DATA, OpenAPIResponses

SPEC_PATH = SHARED_DATA / "jira" / "openapi-subset.json"

STATUS_CATEGORIES = {
    "new": {"id": 2, "key": "new", "name": "To Do", "colorName": "blue-gray"},
    "indeterminate": {
        "id": 4,
        "key": "indeterminate",
        "name": "In Progress",
        "colorName": "yellow",
    },
    "done": {"id": 3, "key": "done", "name": "Done", "colorName": "green"},
}
DEFAULT_STATUSES = {"To Do": "new", "In Progress": "indeterminate", "Done": "done"}
DEFAULT_LINK_TYPES = {
    "Blocks": {"id": "10000", "name": "Blocks", "inward": "is blocked by", "outward": "blocks"},
    "Depends": {
        "id": "10001",
        "name": "Depends",
        "inward": "is depended on by",
        "outward": "depends on",
    },
    "Relates": {"id": "10003", "name": "Relates", "inward": "relates to", "outward": "relates to"},
    "Duplicate": {
        "id": "10002",
        "name": "Duplicate",
        "inward": "is duplicated by",
        "outward": "duplicates",
    },
}
ISSUE_TYPES = {
    "Bug": "10001",
    "Story": "10002",
    "Task": "10003",
    "Epic": "10004",
    "Sub-task": "10005",
}


class JqlError(ValueError):
    """A query the fake (like Jira) refuses with a 400."""


@dataclass
class FakeUser:
    account_id: str
    name: str
    display_name: str
    email: str = ""
    time_zone: str = "UTC"
    groups: tuple[str, ...] = ()


@dataclass
class FakeComment:
    id: str
    body: Any
    author: FakeUser
    created: datetime
    updated: datetime


@dataclass
class FakeIssue:
    id: str
    key: str
    summary: str
    description: Any = None
    issuetype: str = "Task"
    status: str = "To Do"
    labels: list[str] = field(default_factory=list)
    reporter: FakeUser | None = None
    assignee: FakeUser | None = None
    priority: str | None = "Medium"
    story_points: float | None = None
    parent: str | None = None
    created: datetime = field(default_factory=lambda: datetime.now(UTC))
    updated: datetime = field(default_factory=lambda: datetime.now(UTC))
    comments: list[FakeComment] = field(default_factory=list)


@dataclass
class FakeLink:
    id: str
    type: dict[str, str]
    outward_from: str  # reads "outward_from <type.outward> inward_to"
    inward_to: str


@dataclass
class Fault:
    status: int
    times: int
    retry_after: str | None
    route: str | None  # a substring of the path; None for any request


class FakeJira(JsonServer):
    """A Jira instance in memory behind a real HTTP server.

    Use as a context manager (or `start()` / `stop()`); `url` is the server URL to
    give python-jira. `clock` returns "now" for `updated` bumps; tests set it.
    """

    def __init__(
        self,
        *,
        deployment: str = "Cloud",
        project: str = "PROJ",
        time_zone: str = "UTC",
        story_points_field: str = "customfield_10016",
        story_points_name: str = "Story Points",
        email: str = "bot@example.com",
        api_token: str = "cloud-api-token-0123456789",
        token: str = "server-pat-0123456789",
        link_types: dict[str, dict[str, str]] | None = None,
        validate: bool = True,
        clock: Callable[[], datetime] | None = None,
        fields: list[dict[str, Any]] | None = None,
    ) -> None:
        if deployment not in ("Cloud", "Server"):
            raise ValueError("deployment is Cloud or Server")
        super().__init__()
        self.deployment = deployment
        self.project = project
        self.story_points_field = story_points_field
        self.story_points_name = story_points_name
        self.email = email
        self.api_token = api_token
        self.token = token
        self.link_types = dict(link_types or DEFAULT_LINK_TYPES)
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self.me = FakeUser(
            "5b10a2844c20165700ede21g", "backlog-bot", "Backlog Bot", email, time_zone
        )
        self.users: dict[str, FakeUser] = {self.me.account_id: self.me}
        self.issues: dict[str, FakeIssue] = {}
        self.links: list[FakeLink] = []
        self.statuses = dict(DEFAULT_STATUSES)
        self.writes: list[tuple[str, str, Any]] = []  # (method, path, JSON body)
        self.errors: list[str] = []
        self.faults: list[Fault] = []
        self.fields = fields  # a real instance's /field listing, served instead of ours
        self._validator = OpenAPIResponses(SPEC_PATH) if validate else None
        self._ids = itertools.count(10001)
        self._lock = threading.RLock()

    def handler(self) -> type[JsonHandler]:
        return _Handler

    @property
    def url(self) -> str:
        assert self.started, "FakeJira is not started"
        return self.base_url

    def reset_counts(self) -> None:
        with self._lock:
            self.requests.clear()
            self.writes.clear()

    # --- seeding ---------------------------------------------------------------------

    def user(self, name: str, *, groups: tuple[str, ...] = (), display_name: str = "") -> FakeUser:
        account_id = hashlib.sha1(name.encode()).hexdigest()[:24]
        found = FakeUser(account_id, name, display_name or name.title(), f"{name}@example.com")
        found.groups = groups
        self.users[account_id] = found
        return found

    def add_issue(
        self,
        summary: str,
        *,
        key: str | None = None,
        updated: datetime | None = None,
        created: datetime | None = None,
        **values: Any,
    ) -> FakeIssue:
        with self._lock:
            issue_id = str(next(self._ids))
            key = key or f"{self.project}-{len(self.issues) + 1}"
            now = self.clock()
            issue = FakeIssue(
                id=issue_id,
                key=key,
                summary=summary,
                created=created or updated or now,
                updated=updated or now,
                **values,
            )
            if issue.reporter is None:
                issue.reporter = self.user("reporter")
            self.issues[key] = issue
            return issue

    def link(self, outward_from: str, type_name: str, inward_to: str) -> FakeLink:
        """`outward_from` <outward phrase> `inward_to`: `link("A", "Blocks", "B")` is A blocks B."""
        with self._lock:
            made = FakeLink(
                str(next(self._ids)), self.link_types[type_name], outward_from, inward_to
            )
            self.links.append(made)
            return made

    def unlink(self, link: FakeLink) -> None:
        """Delete an issue link (as `DELETE /issueLink/{id}` does)."""
        with self._lock:
            self.links.remove(link)

    def link_payload(self, event: str, link: FakeLink) -> dict[str, Any]:
        """An `issuelink_created` / `issuelink_deleted` webhook payload: the link's
        issues by id, its source the issue the link goes outward from."""
        with self._lock:
            return {
                "timestamp": int(self.clock().timestamp() * 1000),
                "webhookEvent": event,
                "issueLink": {
                    "id": int(link.id),
                    "sourceIssueId": int(self.issues[link.outward_from].id),
                    "destinationIssueId": int(self.issues[link.inward_to].id),
                    "issueLinkType": {
                        "id": int(link.type["id"]),
                        "name": link.type["name"],
                        "outwardName": link.type["outward"],
                        "inwardName": link.type["inward"],
                        "isSubTaskLinkType": False,
                        "isSystemLinkType": False,
                    },
                    "systemLink": False,
                },
            }

    def add_comment(self, key: str, body: Any, *, author: FakeUser | None = None) -> FakeComment:
        with self._lock:
            now = self.clock()
            comment = FakeComment(
                str(next(self._ids)), body, author or self.user("someone"), now, now
            )
            self.issues[key].comments.append(comment)
            self.issues[key].updated = now
            return comment

    def touch(self, key: str, **changes: Any) -> None:
        """Change an issue as a person would; `updated` moves to the clock's now."""
        with self._lock:
            issue = self.issues[key]
            for name, value in changes.items():
                setattr(issue, name, value)
            issue.updated = self.clock()

    def fail(
        self,
        status: int,
        *,
        times: int = 1,
        retry_after: str | None = None,
        route: str | None = None,
    ) -> None:
        """The next `times` requests (whose path contains `route`) answer `status`."""
        with self._lock:
            self.faults.append(Fault(status, times, retry_after, route))

    # --- rendering -------------------------------------------------------------------

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.me.time_zone)

    def stamp(self, when: datetime) -> str:
        local = when.astimezone(self.zone)
        return (
            local.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{local.microsecond // 1000:03d}"
            + (local.strftime("%z"))
        )

    def user_json(self, user: FakeUser | None, api: str = "2") -> dict[str, Any] | None:
        if user is None:
            return None
        data: dict[str, Any] = {
            "self": f"{self.url}/rest/api/{api}/user?accountId={user.account_id}",
            "displayName": user.display_name,
            "active": True,
            "timeZone": user.time_zone,
        }
        if self.deployment == "Cloud":
            data["accountId"] = user.account_id
            data["accountType"] = "atlassian"
        else:
            data["name"] = user.name
            data["key"] = user.name
            data["emailAddress"] = user.email
        return data

    def _status_json(self, name: str) -> dict[str, Any]:
        category = STATUS_CATEGORIES[self.statuses.get(name, "indeterminate")]
        return {
            "self": f"{self.url}/rest/api/2/status/{name}",
            "name": name,
            "id": str(abs(hash(name)) % 10000),
            "statusCategory": dict(category),
        }

    def _issuetype_json(self, name: str) -> dict[str, Any]:
        return {
            "id": ISSUE_TYPES.get(name, "10009"),
            "name": name,
            "subtask": name == "Sub-task",
        }

    def _ref_json(self, key: str, api: str) -> dict[str, Any]:
        other = self.issues[key]
        return {
            "id": other.id,
            "key": other.key,
            "self": f"{self.url}/rest/api/{api}/issue/{other.id}",
            "fields": {
                "summary": other.summary,
                "status": self._status_json(other.status),
                "priority": {"name": other.priority} if other.priority else None,
                "issuetype": self._issuetype_json(other.issuetype),
            },
        }

    def _text(self, value: Any, api: str) -> Any:
        if api == "3" and isinstance(value, str):
            return {
                "type": "doc",
                "version": 1,
                "content": [{"type": "paragraph", "content": [{"type": "text", "text": value}]}],
            }
        return value

    def _comment_json(self, issue: FakeIssue, comment: FakeComment, api: str) -> dict[str, Any]:
        return {
            "self": f"{self.url}/rest/api/{api}/issue/{issue.id}/comment/{comment.id}",
            "id": comment.id,
            "author": self.user_json(comment.author, api),
            "updateAuthor": self.user_json(comment.author, api),
            "body": self._text(comment.body, api),
            "created": self.stamp(comment.created),
            "updated": self.stamp(comment.updated),
        }

    def issue_json(
        self, issue: FakeIssue, wanted: set[str] | None, api: str = "2"
    ) -> dict[str, Any]:
        links = []
        for link in self.links:
            if link.outward_from == issue.key:
                links.append(
                    {
                        "id": link.id,
                        "type": link.type,
                        "outwardIssue": self._ref_json(link.inward_to, api),
                    }
                )
            elif link.inward_to == issue.key:
                links.append(
                    {
                        "id": link.id,
                        "type": link.type,
                        "inwardIssue": self._ref_json(link.outward_from, api),
                    }
                )
        subtasks = [
            self._ref_json(i.key, api) for i in self.issues.values() if i.parent == issue.key
        ]
        comments = [self._comment_json(issue, c, api) for c in issue.comments]
        fields: dict[str, Any] = {
            "summary": issue.summary,
            "description": self._text(issue.description, api),
            "issuetype": self._issuetype_json(issue.issuetype),
            "status": self._status_json(issue.status),
            "labels": list(issue.labels),
            "reporter": self.user_json(issue.reporter, api),
            "assignee": self.user_json(issue.assignee, api),
            "priority": {"name": issue.priority, "id": "3"} if issue.priority else None,
            "created": self.stamp(issue.created),
            "updated": self.stamp(issue.updated),
            "issuelinks": links,
            "subtasks": subtasks,
            "comment": {
                "comments": comments,
                "maxResults": len(comments),
                "total": len(comments),
                "startAt": 0,
            },
            "project": {"key": self.project, "id": "10000", "name": self.project},
            self.story_points_field: issue.story_points,
        }
        if issue.parent:
            fields["parent"] = self._ref_json(issue.parent, api)
        if wanted is not None and not wanted & {"*all", "*navigable"}:
            fields = {k: v for k, v in fields.items() if k in wanted}
        return {
            "expand": "renderedFields,names,schema,operations,editmeta,changelog",
            "id": issue.id,
            "key": issue.key,
            "self": f"{self.url}/rest/api/{api}/issue/{issue.id}",
            "fields": fields,
        }

    def field_listing(self) -> list[dict[str, Any]]:
        if self.fields is not None:
            # real Cloud listings carry `untranslatedName`, which the v3 subset's
            # FieldDetails does not describe: served without it
            return [{k: v for k, v in f.items() if k != "untranslatedName"} for f in self.fields]

        def system(field_id: str, name: str, kind: str) -> dict[str, Any]:
            return {
                "id": field_id,
                "key": field_id,
                "name": name,
                "custom": False,
                "orderable": True,
                "navigable": True,
                "searchable": True,
                "clauseNames": [field_id],
                "schema": {"type": kind, "system": field_id},
            }

        custom_id = int(self.story_points_field.removeprefix("customfield_"))
        return [
            system("summary", "Summary", "string"),
            system("description", "Description", "string"),
            system("labels", "Labels", "array"),
            system("updated", "Updated", "datetime"),
            {
                "id": "customfield_10999",
                "key": "customfield_10999",
                "name": "Original story points",
                "custom": True,
                "clauseNames": ["cf[10999]", "Original story points"],
                "schema": {"type": "number", "custom": "com.atlassian.jpo:original-story-points"},
            },
            {
                "id": self.story_points_field,
                "key": self.story_points_field,
                "name": self.story_points_name,
                "custom": True,
                "orderable": True,
                "navigable": True,
                "searchable": True,
                "clauseNames": [f"cf[{custom_id}]", self.story_points_name],
                "schema": {
                    "type": "number",
                    "custom": "com.atlassian.jira.plugin.system.customfieldtypes:float",
                    "customId": custom_id,
                },
            },
        ]

    def names(self, issues: list[dict[str, Any]]) -> dict[str, str]:
        """`expand=names`: the display name of each field of the issues answered."""
        listing = {str(f["id"]): str(f["name"]) for f in self.field_listing()}
        present = {k for issue in issues for k in issue.get("fields") or {}}
        return {k: listing.get(k, k.capitalize()) for k in sorted(present)}

    # --- JQL -------------------------------------------------------------------------

    def search(self, jql: str) -> list[FakeIssue]:
        predicate, order = parse_jql(jql, self.zone)
        found = [i for i in self.issues.values() if predicate(i)]
        for name, descending in reversed(order or [("key", False)]):
            found.sort(key=_SORT_KEYS[name], reverse=descending)
        return found

    # --- writes ----------------------------------------------------------------------

    def edit_issue(self, key: str, body: dict[str, Any]) -> None:
        issue = self.issues[key]
        changed = False
        for name, value in (body.get("fields") or {}).items():
            if name == "labels":
                issue.labels = list(value)
            elif name == "summary":
                issue.summary = value
            elif name == "description":
                issue.description = value
            elif name == self.story_points_field:
                issue.story_points = value
            else:
                raise JqlError(
                    f"Field '{name}' cannot be set. It is not on the appropriate screen."
                )
            changed = True
        for name, operations in (body.get("update") or {}).items():
            if name != "labels":
                raise JqlError(
                    f"Field '{name}' cannot be set. It is not on the appropriate screen."
                )
            for operation in operations:
                for verb, value in operation.items():
                    if verb == "add" and value not in issue.labels:
                        issue.labels.append(value)
                        changed = True
                    elif verb == "remove" and value in issue.labels:
                        issue.labels.remove(value)
                        changed = True
                    elif verb == "set":
                        issue.labels = list(value)
                        changed = True
                    elif verb not in ("add", "remove", "set"):
                        raise JqlError(f"Unknown operation {verb!r}")
        if changed:
            issue.updated = self.clock()


# --- JQL subset ------------------------------------------------------------------------

_TOKEN = re.compile(
    r'\s*(?:(\()|(\))|(,)|(>=|<=|!=|=|>|<|~)|"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([^\s()=,<>!~"\']+))'
)
_SORT_KEYS: dict[str, Callable[[FakeIssue], Any]] = {
    "updated": lambda i: i.updated,
    "created": lambda i: i.created,
    "key": lambda i: (i.key.rsplit("-", 1)[0], int(i.key.rsplit("-", 1)[1])),
}
Predicate = Callable[[FakeIssue], bool]


def _tokens(jql: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    jql = jql.strip()
    while position < len(jql):
        match = _TOKEN.match(jql, position)
        if match is None or match.end() == position:
            raise JqlError(f"Error in the JQL Query: unexpected character at position {position}.")
        position = match.end()
        lparen, rparen, comma, op, dq, sq, word = match.groups()
        if lparen:
            tokens.append(("(", "("))
        elif rparen:
            tokens.append((")", ")"))
        elif comma:
            tokens.append((",", ","))
        elif op:
            tokens.append(("op", op))
        elif dq is not None:
            tokens.append(("str", dq.replace('\\"', '"')))
        elif sq is not None:
            tokens.append(("str", sq))
        elif word:
            tokens.append(("word", word))
    return tokens


def _jql_time(text: str, zone: ZoneInfo) -> datetime:
    for pattern in ("%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M", "%Y/%m/%d", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=zone)
        except ValueError:
            continue
    raise JqlError(
        f"Date value '{text}' for field 'updated' is invalid. Valid formats include: "
        "'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd'."
    )


def parse_jql(jql: str, zone: ZoneInfo) -> tuple[Predicate, list[tuple[str, bool]]]:
    """A predicate and an ORDER BY list for the JQL subset the fake understands."""
    tokens = _tokens(jql)
    order: list[tuple[str, bool]] = []
    lowered = [v.lower() if k == "word" else None for k, v in tokens]
    for index in range(len(tokens) - 1):
        if lowered[index] == "order" and lowered[index + 1] == "by":
            order_tokens = tokens[index + 2 :]
            tokens = tokens[:index]
            for part in " ".join(v for _, v in order_tokens).split(","):
                words = part.split()
                if not words or words[0].lower() not in _SORT_KEYS:
                    raise JqlError(f"Not able to sort using field '{part.strip()}'.")
                descending = len(words) > 1 and words[1].lower() == "desc"
                order.append((words[0].lower(), descending))
            break
    position = 0

    def peek() -> tuple[str, str] | None:
        return tokens[position] if position < len(tokens) else None

    def take() -> tuple[str, str]:
        nonlocal position
        if position >= len(tokens):
            raise JqlError("Error in the JQL Query: Expecting more input.")
        position += 1
        return tokens[position - 1]

    def is_word(token: tuple[str, str] | None, word: str) -> bool:
        return token is not None and token[0] == "word" and token[1].lower() == word

    def or_expr() -> Predicate:
        parts = [and_expr()]
        while is_word(peek(), "or"):
            take()
            parts.append(and_expr())
        return lambda i: any(p(i) for p in parts)

    def and_expr() -> Predicate:
        parts = [unary()]
        while is_word(peek(), "and"):
            take()
            parts.append(unary())
        return lambda i: all(p(i) for p in parts)

    def unary() -> Predicate:
        token = peek()
        if is_word(token, "not"):
            take()
            inner = unary()
            return lambda i: not inner(i)
        if token is not None and token[0] == "(":
            take()
            inner = or_expr()
            if take()[0] != ")":
                raise JqlError("Error in the JQL Query: Expecting ')'.")
            return inner
        return clause()

    def value_list() -> list[str]:
        if take()[0] != "(":
            raise JqlError("Error in the JQL Query: Expecting '(' after IN.")
        values = []
        while True:
            kind, value = take()
            if kind not in ("word", "str"):
                raise JqlError("Error in the JQL Query: Expecting a value.")
            values.append(value)
            kind, _ = take()
            if kind == ")":
                return values
            if kind != ",":
                raise JqlError("Error in the JQL Query: Expecting ',' or ')'.")

    def clause() -> Predicate:
        kind, name = take()
        if kind != "word":
            raise JqlError(f"Error in the JQL Query: Expecting a field name but got '{name}'.")
        name = name.lower()
        if name not in (
            "project",
            "key",
            "labels",
            "status",
            "issuetype",
            "type",
            "updated",
            "created",
        ):
            raise JqlError(
                f"Field '{name}' does not exist or you do not have permission to view it."
            )
        token = take()
        if is_word(token, "in") or is_word(token, "not"):
            negate = is_word(token, "not")
            if negate and not is_word(take(), "in"):
                raise JqlError("Error in the JQL Query: Expecting IN after NOT.")
            values = {v.lower() for v in value_list()}
            getter = _getter(name)
            return lambda i: (bool(set(getter(i)) & values)) != negate
        if token[0] != "op":
            raise JqlError(f"Error in the JQL Query: Expecting an operator but got '{token[1]}'.")
        op = token[1]
        kind, raw_value = take()
        if kind not in ("word", "str"):
            raise JqlError("Error in the JQL Query: Expecting a value.")
        if name in ("updated", "created"):
            when = _jql_time(raw_value, zone)
            compare = {
                ">=": lambda a: a >= when,
                ">": lambda a: a >= when + timedelta(minutes=1),
                "<=": lambda a: a < when + timedelta(minutes=1),
                "<": lambda a: a < when,
                "=": lambda a: when <= a < when + timedelta(minutes=1),
            }.get(op)
            if compare is None:
                raise JqlError(f"The operator '{op}' is not supported by the '{name}' field.")
            attribute = name
            return lambda i: compare(getattr(i, attribute))
        getter = _getter(name)
        wanted = raw_value.lower()
        if op == "=":
            return lambda i: wanted in getter(i)
        if op == "!=":
            return lambda i: wanted not in getter(i)
        raise JqlError(f"The operator '{op}' is not supported by the '{name}' field.")

    predicate: Predicate = (lambda i: True) if not tokens else or_expr()
    if position != len(tokens):
        raise JqlError(f"Error in the JQL Query: unexpected '{tokens[position][1]}'.")
    return predicate, order


def _getter(name: str) -> Callable[[FakeIssue], list[str]]:
    if name == "project":
        return lambda i: [i.key.rsplit("-", 1)[0].lower()]
    if name == "key":
        return lambda i: [i.key.lower()]
    if name == "labels":
        return lambda i: [label.lower() for label in i.labels]
    if name == "status":
        return lambda i: [i.status.lower()]
    return lambda i: [i.issuetype.lower()]


# --- HTTP ------------------------------------------------------------------------------


def _page_token(jql: str, offset: int) -> str:
    raw = json.dumps({"q": hashlib.sha256(jql.encode()).hexdigest()[:12], "o": offset})
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _page_offset(jql: str, token: str | None) -> int:
    if not token:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
    except ValueError as error:
        raise JqlError("The provided next page token is invalid or expired.") from error
    if data.get("q") != hashlib.sha256(jql.encode()).hexdigest()[:12]:
        raise JqlError("The provided next page token is invalid or expired.")
    return int(data["o"])


class _Reply(Exception):
    def __init__(self, status: int, body: Any = None, headers: dict[str, str] | None = None):
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


class _Handler(JsonHandler):
    fake: FakeJira
    content_type = "application/json;charset=UTF-8"

    def handle_request(self, request: Request) -> None:
        fake = self.fake
        method, path, raw_body = request.method, request.path, request.body
        query = {k: v for k, v in parse_qs(request.query, keep_blank_values=True).items()}
        try:
            with fake._lock:
                route, api, rest = _route(path)
                fake.record(method, route)
                self._check_fault(path)
                self._check_auth()
                body = json.loads(raw_body) if raw_body else None
                status, payload = self._dispatch(method, api, rest, query, body)
                if payload is not None and fake._validator is not None:
                    self._validate(method, path, api, rest, status, payload)
            self._send(status, payload)
        except _Reply as reply:
            self._send(reply.status, reply.body, reply.headers)
        except JqlError as error:
            self._send(400, {"errorMessages": [str(error)], "errors": {}})
        except AssertionError as error:  # a response the API description does not allow
            fake.errors.append(str(error))
            self._send(500, {"errorMessages": [f"fake Jira: {error}"], "errors": {}})

    def _check_fault(self, path: str) -> None:
        fake = self.fake
        for fault in fake.faults:
            if fault.times > 0 and (fault.route is None or fault.route in path):
                fault.times -= 1
                headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                message = {401: "Unauthorized", 429: "Rate limit exceeded"}.get(fault.status, "")
                raise _Reply(fault.status, {"errorMessages": [message], "errors": {}}, headers)
        fake.faults = [f for f in fake.faults if f.times > 0]

    def _check_auth(self) -> None:
        fake = self.fake
        header = self.headers.get("Authorization", "")
        basic = base64.b64encode(f"{fake.email}:{fake.api_token}".encode()).decode()
        if fake.deployment == "Cloud" and header == f"Basic {basic}":
            return
        if fake.deployment == "Server" and header == f"Bearer {fake.token}":
            return
        raise _Reply(
            401,
            {"errorMessages": ["You are not authenticated. Authentication required."]},
            {"WWW-Authenticate": 'Basic realm="protected-area"'},
        )

    def _validate(
        self, method: str, path: str, api: str, rest: str, status: int, payload: Any
    ) -> None:
        validator = self.fake._validator
        assert validator is not None
        spec_path = f"/rest/api/3/{rest}"
        if rest == "search":  # Server/DC search: check its issues as a search/jql page
            page = {"issues": payload["issues"], "isLast": True}
            validator.validate("GET", "/rest/api/3/search/jql", 200, page)
            return
        if rest == "user":
            return
        validator.validate(method, spec_path, status, payload)

    def _dispatch(
        self, method: str, api: str, rest: str, query: dict[str, list[str]], body: Any
    ) -> tuple[int, Any]:
        fake = self.fake
        parts = rest.split("/")
        if rest == "serverInfo" and method == "GET":
            cloud = fake.deployment == "Cloud"
            return 200, {
                "baseUrl": fake.url,
                "version": "1001.0.0-SNAPSHOT" if cloud else "9.12.2",
                "versionNumbers": [1001, 0, 0] if cloud else [9, 12, 2],
                "deploymentType": fake.deployment,
                "buildNumber": 100280 if cloud else 9120002,
                "buildDate": "2025-01-06T00:00:00.000+0000",
                "serverTime": fake.stamp(fake.clock()),
                "scmInfo": "1f51473f5c7b75c1a69a0090f4832cdc5053702a",
                "serverTitle": "Fake Jira",
            }
        if rest == "myself" and method == "GET":
            return 200, fake.user_json(fake.me, api)
        if rest == "field" and method == "GET":
            return 200, fake.field_listing()
        if rest == "user" and method == "GET":
            return 200, self._user(query)
        if rest in ("search/jql", "search"):
            return 200, self._search(method, api, rest, query, body)
        if parts[0] == "issue" and len(parts) >= 2:
            issue = self._issue(parts[1])
            if len(parts) == 2:
                if method == "GET":
                    found = fake.issue_json(issue, _wanted(query), api)
                    if "names" in _expand(query.get("expand", [""])[0]):
                        found["names"] = fake.names([found])
                    return 200, found
                if method == "PUT":
                    fake.writes.append((method, f"/rest/api/{api}/{rest}", body))
                    fake.edit_issue(issue.key, body or {})
                    return 204, None
            if len(parts) == 3 and parts[2] == "comment":
                if method == "GET":
                    start = int(query.get("startAt", ["0"])[0])
                    size = int(query.get("maxResults", ["100"])[0])
                    page = issue.comments[start : start + size]
                    return 200, {
                        "comments": [fake._comment_json(issue, c, api) for c in page],
                        "startAt": start,
                        "maxResults": size,
                        "total": len(issue.comments),
                    }
                if method == "POST":
                    fake.writes.append((method, f"/rest/api/{api}/{rest}", body))
                    added = fake.add_comment(issue.key, (body or {})["body"], author=fake.me)
                    return 201, fake._comment_json(issue, added, api)
            if len(parts) == 4 and parts[2] == "comment":
                comment = next((c for c in issue.comments if c.id == parts[3]), None)
                if comment is None:
                    raise _Reply(404, {"errorMessages": ["Can not find a comment for the id."]})
                if method == "GET":
                    return 200, fake._comment_json(issue, comment, api)
                if method == "PUT":
                    if comment.author is not fake.me:
                        raise _Reply(403, {"errorMessages": ["You do not have the permission."]})
                    fake.writes.append((method, f"/rest/api/{api}/{rest}", body))
                    now = fake.clock()
                    comment.body = (body or {})["body"]
                    comment.updated = now
                    issue.updated = now
                    return 200, fake._comment_json(issue, comment, api)
        raise _Reply(404, {"errorMessages": [f"No route for {method} /rest/api/{api}/{rest}"]})

    def _issue(self, id_or_key: str) -> FakeIssue:
        fake = self.fake
        issue = fake.issues.get(id_or_key) or next(
            (i for i in fake.issues.values() if i.id == id_or_key), None
        )
        if issue is None:
            raise _Reply(
                404,
                {
                    "errorMessages": [
                        "Issue does not exist or you do not have permission to see it."
                    ]
                },
            )
        return issue

    def _user(self, query: dict[str, list[str]]) -> dict[str, Any]:
        fake = self.fake
        wanted = (query.get("accountId") or query.get("username") or query.get("key") or [""])[0]
        user = next((u for u in fake.users.values() if wanted in (u.account_id, u.name)), None)
        if user is None:
            raise _Reply(404, {"errorMessages": ["The user does not exist."]})
        data = fake.user_json(user) or {}
        data["groups"] = {"size": len(user.groups), "items": [{"name": g} for g in user.groups]}
        return data

    def _search(
        self, method: str, api: str, rest: str, query: dict[str, list[str]], body: Any
    ) -> dict[str, Any]:
        fake = self.fake
        cloud = fake.deployment == "Cloud"
        if rest == "search" and cloud:
            raise _Reply(
                410,
                {
                    "errorMessages": [
                        "The requested API has been removed. Use /rest/api/3/search/jql."
                    ]
                },
            )
        if rest == "search/jql" and not cloud:
            raise _Reply(404, {"errorMessages": ["null for uri: /rest/api/2/search/jql"]})
        params: dict[str, Any]
        if method == "POST":
            params = dict(body or {})
        else:
            params = {k: (v if k == "fields" else v[0]) for k, v in query.items()}
        jql = str(params.get("jql") or "")
        found = fake.search(jql)
        wanted = _wanted({"fields": _as_list(params.get("fields"))} if params.get("fields") else {})
        size = min(int(params.get("maxResults") or 50), 100 if cloud else 1000)
        names = "names" in _expand(params.get("expand"))
        if rest == "search/jql":
            start = _page_offset(jql, params.get("nextPageToken"))
            page = found[start : start + size]
            result: dict[str, Any] = {
                "issues": [fake.issue_json(i, wanted, api) for i in page],
                "isLast": start + size >= len(found),
            }
            if start + size < len(found):
                result["nextPageToken"] = _page_token(jql, start + size)
            if names:
                result["names"] = fake.names(result["issues"])
            return result
        start = int(params.get("startAt") or 0)
        page = found[start : start + size]
        result = {
            "expand": "schema,names",
            "startAt": start,
            "maxResults": size,
            "total": len(found),
            "issues": [fake.issue_json(i, wanted, api) for i in page],
        }
        if names:
            result["names"] = fake.names(result["issues"])
        return result

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        self.send_json(status, payload, headers)


def _route(path: str) -> tuple[str, str, str]:
    """('GET /rest/api/2/issue/{key}'-style template, API version, path after the version)."""
    match = re.match(r"^/rest/api/(2|3|latest)/(.+?)/?$", path)
    if match is None:
        raise _Reply(404, {"errorMessages": [f"No route for {path}"]})
    api, rest = match.group(1), match.group(2)
    api = "2" if api == "latest" else api
    parts = rest.split("/")
    if parts[0] == "issue" and len(parts) >= 2:
        parts[1] = "{key}"
        if len(parts) == 4:
            parts[3] = "{id}"
    return f"/rest/api/{api}/" + "/".join(parts), api, rest


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def _expand(value: Any) -> set[str]:
    """The comma-separated `expand` options (a string in a query and in a POST body)."""
    return {part.strip() for part in str(value or "").split(",") if part.strip()}


def _wanted(query: dict[str, Any]) -> set[str] | None:
    values = query.get("fields")
    if not values:
        return None
    wanted: set[str] = set()
    for value in values:
        wanted.update(part.strip() for part in str(value).split(",") if part.strip())
    return wanted


def iter_storypoints_rows(limit: int) -> Iterator[dict[str, str]]:
    """Real Jira issues (title, description in wiki markup, story points) from the shared data."""
    import csv

    folder = SHARED_DATA / "storypoints"
    count = 0
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                yield row
                count += 1
                if count >= limit:
                    return
