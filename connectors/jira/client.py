"""Jira Cloud and Jira Server/Data Center through python-jira.

`JiraConnector` turns Jira issues into `connectors.base.Ticket` values and writes
labels and one comment back. What it relies on, and why:

- Deployment: python-jira reads `/serverInfo` once; when `deploymentType` is
  "Cloud" it searches with `/search/jql` and `nextPageToken`
  (`enhanced_search_issues`), otherwise with `/search` and `startAt`
  (`search_issues`). We call each the way the library intends, one page per call,
  so the caller can commit its cursor after every page.
- Retries: python-jira's own retry loop is switched off (`max_retries=0`); every
  call goes through `connectors.retry.call_with_backoff`, so a 429's Retry-After is
  honoured once, by the one backoff policy, with an injectable sleep.
- Discovery costs nothing up front: `/serverInfo` (read by python-jira when the
  client is made) picks the search endpoint; every other discovery waits until it
  is needed. A re-sync with nothing changed costs serverInfo, `/myself` (only for
  the cursor's time zone, when `time_zone` is not given) and one search page.
- Story points field: we ask for fields by id only, so python-jira's name
  translation (which reads `/field`) is switched off. Until the field is known
  (configured, or found once), searches ask for `*navigable` with
  `expand=names`, and the field is found by name in the `names` of the first
  answer that carries issues (the epic link field with it); later pages ask for
  their ids only. `/field` is read only if such an answer carries no `names`.
- Incremental fetch: JQL dates have minute precision and are read in the account's
  time zone (`/myself` `timeZone`, one request, cached). The cursor is floored to
  the minute and moved back one more minute; tickets seen twice in one run (same
  key and `updated`) are yielded once, and tickets older than the cursor are
  dropped, so the overlap costs nothing downstream.
- Mapping: issue JSON becomes a Ticket in `connectors.jira.mapping`, the one
  mapping the webhook parser and the export reader use too. Descriptions and
  comments are wiki markup on REST v2 and ADF on v3; both go through
  `connectors.jira.markup`. Our comment is written as wiki markup rendered from
  the service's Markdown (`markup.markdown_to_jira_wiki`).
- Our comment: wiki markup shows HTML comments as text, so the marker is the
  subscript footer `~backlog-sync:readiness~` (a small grey line). A comment is
  ours only when it carries the marker token *and* was written by the
  authenticated account (`/myself`, read the first time a fetched comment carries
  the marker): a reporter pasting the marker into their own comment cannot make
  us treat it as ours. A webhook's issue with such a comment, while `/myself` is
  unknown, carries only its key (parsing makes no request).
- Errors: `JIRAError` (whose `str` can include request headers) never escapes and
  its text is never passed on; only the status code and, for a 400, Jira's own
  error messages with any credential scrubbed.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import requests
from jira import JIRA, JIRAError

from connectors.base import (
    AuthError,
    BadRequestError,
    CallObserver,
    LabelSpec,
    NotFoundError,
    RateLimitedError,
    Ticket,
    TrackerError,
    Trust,
    UnavailableError,
    WebhookEvent,
    status_of,
    without_own_marker,
)
from connectors.headers import retry_after
from connectors.jira import mapping, webhook
from connectors.jira.markup import markdown_to_jira_wiki
from connectors.retry import DEFAULT_RETRY_AFTER, Backoff, call_with_backoff
from connectors.secrets import Secret, scrub

__all__ = ["JIRA_COMMENT_MARKER", "JiraConnector"]

T = TypeVar("T")

JIRA_COMMENT_MARKER = "~backlog-sync:readiness~"
"""Our comment's footer in wiki markup: renders as a small subscript line."""

_BASE_FIELDS = (
    "summary",
    "description",
    "issuetype",
    "status",
    "labels",
    "reporter",
    "assignee",
    "priority",
    "created",
    "updated",
    "issuelinks",
    "subtasks",
    "parent",
    "comment",
)

_DEFAULT_BACKOFF = Backoff()
_PROJECT_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_ORDER_BY = re.compile(r"\s+order\s+by\s+[^\"']*$", re.IGNORECASE)
_POST_SEARCH_ABOVE = 1000  # characters of JQL; longer queries go in a POST body


class _JiraClient(JIRA):
    """python-jira's client without its field-name translation.

    The library reads `/field` before a search to translate field *names* to
    ids. We only ever ask for fields by id, so there is nothing to translate and
    the listing is not read for it.
    """

    @property
    def _fields_cache(self) -> dict[str, str]:
        return {}


_SEARCH_PASSES = 3  # reads of a changed-tickets search at most, when edits shifted its pages


class JiraConnector:
    """A Jira project (or JQL query) as a backlog-sync source.

    Authentication: `token` is a Server/Data Center personal access token (sent as
    a bearer token); otherwise `email` with `api_token` is Jira Cloud basic auth.
    `jql` defaults to `project = KEY`. `trusted_groups` empty means every reporter
    is trusted (Jira projects are private); otherwise a reporter is trusted when
    they belong to one of the groups. `time_zone` overrides the account's time zone
    (saves the `/myself` request). Nothing here reads the environment.
    """

    read_only = False

    def __init__(
        self,
        server: str,
        *,
        project: str | None = None,
        jql: str | None = None,
        source: str | None = None,
        email: str | None = None,
        api_token: str | None = None,
        token: str | None = None,
        webhook_secret: str | None = None,
        allow_unsigned: bool = False,
        story_points_field: str | None = None,
        blocker_link_types: Iterable[str] | None = None,
        trusted_groups: Iterable[str] | None = None,
        time_zone: str | None = None,
        timeout: float = 30.0,
        backoff: Backoff = _DEFAULT_BACKOFF,
        sleep: Callable[[float], None] = time.sleep,
        page_size: int = 100,
        observer: CallObserver | None = None,
    ) -> None:
        if project is not None and not _PROJECT_KEY.match(project):
            raise ValueError(f"not a Jira project key: {project!r}")
        if project is None and not jql:
            raise ValueError("a Jira source needs a project key or a JQL query")
        if not token and not (email and api_token):
            raise ValueError("Jira needs a personal access token, or an email with an API token")
        self.server = server.rstrip("/")
        self.project = project
        self.jql = jql.strip() if jql else f'project = "{project}"'
        self.source = source or (f"jira:{project}" if project else f"jira:{self.server}")
        self._email = email
        self._api_token = Secret(api_token) if api_token else None
        self._token = Secret(token) if token else None
        self._webhook_secret = Secret(webhook_secret) if webhook_secret else None
        self._allow_unsigned = allow_unsigned
        self._blocker_types = frozenset(
            name.casefold()
            for name in (
                mapping.DEFAULT_BLOCKER_LINK_TYPES
                if blocker_link_types is None
                else blocker_link_types
            )
        )
        self._trusted_groups = frozenset(trusted_groups or ())
        self._time_zone_override = time_zone
        self._timeout = timeout
        self._backoff = backoff
        self._sleep = sleep
        self._observer = observer
        self._page_size = page_size
        self._client_instance: _JiraClient | None = None
        self._myself_cache: dict[str, Any] | None = None
        self._points_fields: tuple[str, ...] | None = (
            (story_points_field,) if story_points_field else None
        )
        self._epic_fields: tuple[str, ...] = ()  # found with the story points field
        self._user_groups: dict[str, frozenset[str]] = {}

    def __repr__(self) -> str:
        auth = "token" if self._token else "email+api_token"
        return f"JiraConnector(source={self.source!r}, server={self.server!r}, auth={auth})"

    # --- calls, errors and retries -------------------------------------------------

    def _call(self, operation: Callable[[_JiraClient], T], endpoint: str = "other") -> T:
        """Run one library call with our error mapping under the backoff policy (the
        observer, if any, hears of every attempt and every rate-limit wait)."""

        def attempt() -> T:
            failure: TrackerError | None = None
            try:
                return operation(self._client())
            except JIRAError as error:
                failure = self._tracker_error(error)
            except requests.Timeout:
                failure = UnavailableError("Jira timed out", source=self.source)
            except requests.RequestException as error:
                failure = UnavailableError(
                    f"Jira unreachable ({type(error).__name__})", source=self.source
                )
            except ValueError:  # a body that is not the JSON Jira sends
                failure = UnavailableError(
                    "Jira answered with an unreadable body", source=self.source
                )
            finally:
                if self._observer is not None:
                    self._observer.tracker_call(self.source, endpoint, status_of(failure))
            raise failure from None

        def on_wait(error: TrackerError, wait: float) -> None:
            if self._observer is not None and isinstance(error, RateLimitedError):
                self._observer.rate_limit_wait(self.source, wait)

        return call_with_backoff(attempt, self._backoff, sleep=self._sleep, on_wait=on_wait)

    def _client(self) -> _JiraClient:
        if self._client_instance is None:
            auth: dict[str, Any] = (
                {"token_auth": self._token.reveal()}
                if self._token
                else {
                    "basic_auth": (
                        self._email or "",
                        self._api_token.reveal() if self._api_token else "",
                    )
                }
            )
            self._client_instance = _JiraClient(
                server=self.server,
                options={"check_update": False},
                max_retries=0,
                timeout=self._timeout,
                get_server_info=True,
                **auth,
            )
        return self._client_instance

    def _tracker_error(self, error: JIRAError) -> TrackerError:
        status = error.status_code
        if status == 401:
            return AuthError("Jira rejected the credentials (HTTP 401)", source=self.source)
        if status == 403:
            return AuthError("Jira denied permission (HTTP 403)", source=self.source)
        if status == 404:
            return NotFoundError(
                "Jira has no such issue or project, or hides it from this account (HTTP 404)",
                source=self.source,
            )
        if status == 429:
            return RateLimitedError(
                "Jira rate limit reached (HTTP 429)",
                retry_after=_retry_after(error.response),
                source=self.source,
            )
        if status is None or status >= 500:
            code = f"HTTP {status}" if status else "no response"
            return UnavailableError(f"Jira is unavailable ({code})", source=self.source)
        if status in (400, 409, 422):
            detail = self._error_detail(error.response)
            return BadRequestError(
                f"Jira refused the request (HTTP {status})" + (f": {detail}" if detail else ""),
                source=self.source,
            )
        return TrackerError(f"Jira answered HTTP {status}", source=self.source)

    def _error_detail(self, response: requests.Response | None) -> str:
        """Jira's own error messages (bad JQL, bad field), scrubbed of credentials."""
        if response is None:
            return ""
        try:
            body = response.json()
        except ValueError:
            return ""
        if not isinstance(body, dict):
            return ""
        messages = [str(m) for m in body.get("errorMessages") or []]
        errors = body.get("errors")
        if isinstance(errors, dict):
            messages += [f"{k}: {v}" for k, v in errors.items()]
        detail = scrub("; ".join(messages), (self._api_token, self._token, self._webhook_secret))
        return detail[:300]

    # --- account, fields, users ----------------------------------------------------

    def _myself(self) -> dict[str, Any]:
        if self._myself_cache is None:
            self._myself_cache = self._call(lambda c: c.myself())
        return self._myself_cache

    def _own_ids(self) -> frozenset[str]:
        me = self._myself()
        return frozenset(str(me[k]) for k in ("accountId", "name", "key") if me.get(k))

    def _time_zone(self) -> ZoneInfo:
        name = self._time_zone_override or self._myself().get("timeZone") or "UTC"
        try:
            return ZoneInfo(str(name))
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")

    def _learn_points_fields(self, answer: Mapping[str, Any]) -> None:
        """Find the story points (and epic link) field ids in an answer asked with
        `expand=names`.

        Only an answer that carries issues tells (`names` lists the fields of
        its issues); without `names`, the field listing is read once instead.
        """
        if self._points_fields is not None or not answer.get("issues"):
            return
        names = answer.get("names")
        if not isinstance(names, Mapping):
            listing = self._call(lambda c: c.fields())
            names = {str(f["id"]): str(f.get("name", "")) for f in listing if f.get("id")}
        names = {str(k): str(v) for k, v in names.items()}
        self._points_fields = mapping.story_points_fields(names)
        self._epic_fields = mapping.epic_link_fields(names)

    def _fields(self) -> tuple[list[str], str | None]:
        """The fields to ask for, and the expansion that finds the story points field."""
        if self._points_fields is None:
            return [*_BASE_FIELDS, "*navigable"], "names"
        return [*_BASE_FIELDS, *self._points_fields, *self._epic_fields], None

    def _trust(self, user: Mapping[str, Any] | None) -> Trust:
        """Everyone is trusted, or the members of `trusted_groups` (a lookup per user)."""
        if user is None:
            return Trust.UNKNOWN
        if not self._trusted_groups:
            return Trust.TRUSTED
        user_id = mapping.user_id(user)
        if user_id is None:
            return Trust.UNKNOWN
        if user_id not in self._user_groups:
            raw = self._call(lambda c: c.user(user_id, expand="groups").raw)
            items = (raw.get("groups") or {}).get("items") or []
            self._user_groups[user_id] = frozenset(str(g.get("name")) for g in items)
        trusted = self._user_groups[user_id] & self._trusted_groups
        return Trust.TRUSTED if trusted else Trust.UNTRUSTED

    def _is_cloud(self) -> bool:
        return bool(self._call(lambda c: c.deploymentType == "Cloud"))

    # --- reading -------------------------------------------------------------------

    def changed_jql(self, since: datetime | None) -> str:
        """The JQL for tickets changed at or after `since`, oldest change first."""
        base = _ORDER_BY.sub("", self.jql).strip()
        order = " ORDER BY updated ASC, key ASC"
        if since is None:
            return f"({base}){order}"
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        local = since.astimezone(self._time_zone()).replace(second=0, microsecond=0)
        cursor = (local - timedelta(minutes=1)).strftime("%Y/%m/%d %H:%M")
        return f'({base}) AND updated >= "{cursor}"{order}'

    def fetch_changed(self, since: datetime | None) -> Iterator[Ticket]:
        if since is not None and since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        jql = self.changed_jql(since)
        seen: set[tuple[str, str]] = set()
        for _ in range(_SEARCH_PASSES):
            totals: list[int] = []
            keys: set[str] = set()
            for raw in self._search(jql, totals):
                key = str(raw.get("key", ""))
                keys.add(key)
                updated_text = str((raw.get("fields") or {}).get("updated") or "")
                if not key or (key, updated_text) in seen:
                    continue
                seen.add((key, updated_text))
                updated = mapping.parse_time(updated_text)
                if since is not None and updated is not None and updated < since:
                    continue  # inside the minute of overlap: seen by an earlier run
                yield self._ticket(raw, look_up_own=True)
            # An edit by anyone while we paged moves that issue to the end of
            # `ORDER BY updated` and shifts every later offset by one, so one issue
            # is skipped: fewer distinct issues than Server's `total` says. Read
            # again (what was seen is skipped); Cloud's pages carry no total.
            if not totals or len(keys) >= totals[0]:
                return

    def _search(self, jql: str, totals: list[int] | None = None) -> Iterator[dict[str, Any]]:
        """Every issue `jql` finds, one page a call: Cloud pages by token, Server by offset.
        Server's `total` of each page is appended to `totals`, when given."""
        cloud = self._is_cloud()
        position: dict[str, Any] = {"nextPageToken": None} if cloud else {"startAt": 0}
        while True:
            page = self._call(lambda c: self._search_page(c, jql, cloud, position), "search")
            self._learn_points_fields(page)
            issues = page.get("issues") or []
            if totals is not None and isinstance(page.get("total"), int):
                totals.append(int(page["total"]))
            yield from issues
            if cloud:
                position["nextPageToken"] = page.get("nextPageToken")
                if not position["nextPageToken"] or page.get("isLast"):
                    return
            else:
                position["startAt"] += len(issues)
                total = page.get("total")
                if not issues or (isinstance(total, int) and position["startAt"] >= total):
                    return

    def _search_page(
        self, c: _JiraClient, jql: str, cloud: bool, position: Mapping[str, Any]
    ) -> dict[str, Any]:
        fields, expand = self._fields()
        search = c.enhanced_search_issues if cloud else c.search_issues
        result = search(
            jql,
            maxResults=self._page_size,
            fields=fields,
            expand=expand,
            json_result=True,
            use_post=len(jql) > _POST_SEARCH_ABOVE,
            **position,
        )
        assert isinstance(result, dict)  # json_result=True
        return result

    def fetch_one(self, key: str) -> Ticket:
        """The ticket of `key`, or of an issue id (as link webhooks name issues);
        NotFoundError for an id whose issue is outside the source's project."""

        def read(c: _JiraClient) -> dict[str, Any]:
            fields, expand = self._fields()
            return dict(c.issue(key, fields=",".join(fields), expand=expand).raw)

        raw = self._call(read, "issue")
        found = str(raw.get("key") or "")
        if (
            key.isascii()
            and key.isdigit()
            and self.project
            and not found.upper().startswith(f"{self.project}-")
        ):
            raise NotFoundError(
                f"issue {key} ({found}) is not in project {self.project}", source=self.source
            )
        self._learn_points_fields({"issues": [raw], "names": raw.get("names")})
        return self._ticket(raw, look_up_own=True)

    def ticket_from_issue(self, raw: Mapping[str, Any]) -> Ticket:
        """The Ticket for an issue as Jira's REST API (v2 or v3) or a webhook gives it.

        Makes no request: a comment carrying our marker counts as ours only when
        the account (`/myself`) is already known and wrote it."""
        return self._ticket(raw, look_up_own=False)

    def _ticket(self, raw: Mapping[str, Any], *, look_up_own: bool) -> Ticket:
        """`look_up_own`: a comment carrying our marker may make us read `/myself`
        to tell whether we wrote it; otherwise it is ours only if we know already."""

        def wrote(author: Mapping[str, Any] | None) -> bool:
            if not look_up_own and self._myself_cache is None:
                return False
            return mapping.user_id(author) in self._own_ids()

        context = mapping.IssueContext(
            source=self.source,
            server=self.server,
            points_fields=self._points_fields or (),
            epic_fields=self._epic_fields,
            blocker_types=self._blocker_types,
            trust=self._trust,
            wrote=wrote,
        )
        return mapping.ticket(raw, context)

    # --- writing -------------------------------------------------------------------

    def apply_labels(self, key: str, add: Sequence[str], remove: Sequence[str]) -> None:
        for label in (*add, *remove):
            if not label or any(ch.isspace() for ch in label) or len(label) > 255:
                raise BadRequestError(
                    f"{label!r} is not a valid Jira label (no spaces, 1-255 characters)",
                    source=self.source,
                )
        if not add and not remove:
            return
        operations = [{"add": label} for label in add] + [{"remove": label} for label in remove]

        def update(c: _JiraClient) -> None:
            issue = c.issue(key, fields="labels")
            issue.update(update={"labels": operations})

        self._call(update, "edit issue")

    def ensure_labels(self, labels: Sequence[LabelSpec]) -> list[str]:
        """Jira creates a label the first time an issue carries it: nothing to do."""
        return []

    def upsert_comment(self, key: str, body: str) -> None:
        markdown = without_own_marker(body).strip()
        wiki = f"{markdown_to_jira_wiki(markdown)}\n\n{JIRA_COMMENT_MARKER}"
        own_ids = self._own_ids()
        existing = self._call(lambda c: self._own_comment(c, key, own_ids))
        if existing is None:
            self._call(lambda c: c.add_comment(key, wiki), "add comment")
            return
        if existing.raw.get("body") == wiki:
            return  # unchanged: no write, no notification, no `updated` bump
        self._call(lambda c: existing.update(body=wiki), "edit comment")

    @staticmethod
    def _own_comment(c: _JiraClient, key: str, own_ids: frozenset[str]) -> Any:
        start = 0
        page_size = 100
        while True:
            page = c.comments(key, start_at=start, max_results=page_size)
            for comment in page:
                raw = comment.raw
                author = mapping.user_id(raw.get("author"))
                if mapping.carries_marker(raw.get("body")) and author in own_ids:
                    return comment
            if len(page) < page_size:
                return None
            start += len(page)

    # --- webhooks ------------------------------------------------------------------

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> bool:
        if not self._webhook_secret:
            return self._allow_unsigned
        return webhook.verify(self._webhook_secret.reveal(), headers, body)

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookEvent | None:
        return webhook.parse(headers, body, ticket_from=self._whole_ticket)

    def _whole_ticket(self, issue: Mapping[str, Any]) -> Ticket | None:
        """The ticket of a payload's issue when it is whole (see `webhook.is_whole`)."""
        needed = None
        if self._points_fields is not None:
            base = {f for f in _BASE_FIELDS if f != "parent"}
            needed = base | set(self._points_fields) | set(self._epic_fields)
        whole = webhook.is_whole(
            issue,
            needed=needed,
            trust_needs_lookup=bool(self._trusted_groups),
            account_known=self._myself_cache is not None,
        )
        return self.ticket_from_issue(issue) if whole else None


def _retry_after(response: requests.Response | None) -> float:
    wait = retry_after(response.headers) if response is not None else None
    return DEFAULT_RETRY_AFTER if wait is None else wait
