"""GitHub Issues through PyGithub, with a token or as a GitHub App.

Reading (what it costs, in requests):

- `fetch_changed(since)` reads two ascending streams, both sorted by `updated_at`:
  the repository's issues (`GET /repos/{o}/{r}/issues?state=all&sort=updated`)
  and the repository-wide comments (`GET /repos/{o}/{r}/issues/comments`), 100 a
  page, and joins them by issue number: a comment change bumps its issue, so
  every comment an issue needs has arrived by the time the issue does. Pull
  requests are skipped by their payload's `pull_request` key, at no cost. The
  repository itself (its `private` flag and owner) is read at most once per
  connector, and only when a trust decision needs it: an author or commenter
  whose `author_association` is not trusted by itself, or an approval label
  added by someone whose association the event does not give. A re-sync with
  nothing changed therefore costs the two first pages and the few reads the
  re-read issues' summaries ask for.
  Per issue, extra requests are made only when the payload says they are
  needed: the approval label present (its events), open blockers
  (`issue_dependencies_summary.blocked_by`), open sub-issues
  (`sub_issues_summary`).
- The streams are paged by key, not by offset: each next page asks for
  `since=<updated_at of the last item read>`. A change to an issue already read
  (ours: a label write between two pages; or a person's) moves it to the end of
  an `updated`-sorted listing, which shifts every later issue back by one; with
  `page=N` one issue would be skipped, and lost for good once the cursor passed
  it. Paging by key costs one repeated item a page and skips nothing.
- The streams stop at the server's time of the first page (its `Date` header):
  changes made after the read began, our own label writes included, are left
  for the next run, whose `since` starts at or before them. A run therefore ends.
- Ticket.comments: complete for `fetch_one`, for `fetch_changed(None)` and for a
  webhook's ticket; for `fetch_changed(since)` it holds the comments created or
  edited at or after `since` (the store merges them by comment id). Reading
  every comment of every changed issue would cost one request per issue.

Trust: on a private repository everyone who can file is trusted; on a public one
the author's `author_association` decides (OWNER, MEMBER, COLLABORATOR trusted).

The approval label counts (Ticket.approval_verified) when the latest `labeled`
event that added it was made by a trusted actor:
- never a bot or a GitHub App (automation may act on untrusted text);
- the event's `author_association`, when GitHub sends one;
- the repository owner;
- the issue's author only when the author is trusted (issue templates apply
  their labels in the author's name);
- any other person: GitHub lets only people with triage access or above label
  someone else's issue, so the label is a maintainer's act. No extra request.

Writes touch only what they are given: labels are added with one POST and
removed one DELETE each (never the whole set replaced); our comment is found by
`OWN_COMMENT_MARKER` and edited in place, and a failed attempt looks again
before creating. PyGithub's own retries and throttle are off: every call runs
under `connectors.base.call_with_backoff`, which honours Retry-After and the
rate-limit reset. Credentials never appear in messages, reprs or logs.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import requests
from github import Auth, Github, GithubException, GithubIntegration, RateLimitExceededException

from connectors.base import (
    OWN_COMMENT_MARKER,
    AuthError,
    Backoff,
    BadRequestError,
    Comment,
    LabelSpec,
    Link,
    LinkKind,
    NotFoundError,
    RateLimitedError,
    Ticket,
    TicketState,
    TrackerError,
    Trust,
    UnavailableError,
    WebhookEvent,
    call_with_backoff,
    without_own_marker,
)
from connectors.http import DEFAULT_RETRY_AFTER, Secret, header, retry_after, scrub
from connectors.vocabulary import kind_from_labels, kind_from_type, priority_from_labels

log = logging.getLogger(__name__)

T = TypeVar("T")
Json = dict[str, Any]

TRUSTED_ASSOCIATIONS = frozenset({"OWNER", "MEMBER", "COLLABORATOR"})
DEFAULT_BACKOFF = Backoff()

_CODE = re.compile(r"```.*?(?:```|$)|`[^`\n]*`", re.DOTALL)
_REFERENCE = re.compile(
    r"(?:https?://[^/\s]+/(?P<url_repo>[\w.-]+/[\w.-]+)/(?:issues|pull)/(?P<url_num>\d+))"
    r"|(?<![\w/#&])(?:(?P<repo>[A-Za-z0-9][\w.-]*/[\w.-]+))?#(?P<num>\d+)\b"
)
_KEY = re.compile(r"^(?:(?P<repo>[\w.-]+/[\w.-]+))?#?(?P<num>\d+)$")


@dataclass
class _Repository:
    full_name: str
    owner: str
    private: bool


class GitHubConnector:
    """The Connector for one GitHub repository (`github:owner/name`)."""

    read_only = False

    def __init__(
        self,
        repo: str,
        *,
        token: str | None = None,
        app_id: int | str | None = None,
        private_key: str | None = None,
        base_url: str = "https://api.github.com",
        webhook_secret: str | None = None,
        approval_label: str = "ai:approved",
        per_page: int = 100,
        backoff: Backoff = DEFAULT_BACKOFF,
        timeout: int = 15,
        sleep: Callable[[float], None] = time.sleep,
        seconds_between_requests: float | None = None,
        seconds_between_writes: float | None = 1.0,
    ) -> None:
        owner, sep, name = repo.partition("/")
        if not (sep and owner and name) or "/" in name:
            raise ValueError(f"GitHub repository must be OWNER/NAME, got {repo!r}")
        if not token and not (app_id and private_key):
            raise ValueError("GitHub needs a token, or an app_id with its private_key")
        if not 1 <= per_page <= 100:
            raise ValueError("per_page must be between 1 and 100")
        self.repo = repo
        self.source = f"github:{repo}"
        self._token = Secret(token) if token else None
        self._app_id = app_id
        self._private_key = Secret(private_key) if private_key else None
        self._webhook_secret = Secret(webhook_secret) if webhook_secret else None
        self.base_url = base_url.rstrip("/")
        self.approval_label = approval_label
        self.per_page = per_page
        self.backoff = backoff
        self.timeout = timeout
        self._sleep = sleep
        self._seconds_between_requests = seconds_between_requests
        self._seconds_between_writes = seconds_between_writes
        self._client: Github | None = None
        self._repository: _Repository | None = None
        self._path = f"/repos/{urllib.parse.quote(owner)}/{urllib.parse.quote(name)}"

    def __repr__(self) -> str:
        auth = "token" if self._token else "app"
        return f"GitHubConnector(source={self.source!r}, base_url={self.base_url!r}, auth={auth})"

    # --- client, calls and errors ---------------------------------------------------

    def _github(self) -> Github:
        if self._client is not None:
            return self._client
        options: dict[str, Any] = {
            "base_url": self.base_url,
            "timeout": self.timeout,
            "per_page": self.per_page,
            "retry": None,  # one retry policy: ours, which honours Retry-After
            "seconds_between_requests": self._seconds_between_requests,
            "seconds_between_writes": self._seconds_between_writes,
        }
        auth: Auth.Auth
        if self._token is not None:
            auth = Auth.Token(self._token.reveal())
        else:
            assert self._app_id is not None and self._private_key is not None
            try:
                app_auth = Auth.AppAuth(self._app_id, self._private_key.reveal())
                app_auth.create_jwt()
            except Exception:  # noqa: BLE001 - the key's library error may quote the key
                raise AuthError(
                    "the GitHub App private key cannot sign", source=self.source
                ) from None
            integration = GithubIntegration(auth=app_auth, **options)
            owner, name = self.repo.split("/")
            installation = self._call(
                lambda: integration.get_repo_installation(owner, name), "find the app installation"
            )
            auth = app_auth.get_installation_auth(installation.id)
        self._client = Github(auth=auth, lazy=True, **options)
        return self._client

    def _scrub(self, text: str) -> str:
        return scrub(text, (self._token, self._private_key, self._webhook_secret))

    def _translate(self, error: GithubException, what: str) -> TrackerError:
        status = error.status
        headers = error.headers or {}
        data = error.data if isinstance(error.data, dict) else {}
        detail = self._scrub(str(data.get("message") or "")[:200])
        message = f"{what}: GitHub answered {status}" + (f" ({detail})" if detail else "")
        if status == 401:
            return AuthError(message, source=self.source)
        if status in (403, 429):
            wait = _rate_limit_wait(headers)
            limited = (
                status == 429
                or wait is not None
                or isinstance(error, RateLimitExceededException)
                or header(headers, "X-RateLimit-Remaining") == "0"
            )
            if limited:
                wait = DEFAULT_RETRY_AFTER if wait is None else wait
                return RateLimitedError(message, retry_after=wait, source=self.source)
            return AuthError(message, source=self.source)
        if status in (404, 410):
            return NotFoundError(message, source=self.source)
        if status in (400, 422):
            return BadRequestError(message, source=self.source)
        if status >= 500:
            return UnavailableError(message, source=self.source)
        return TrackerError(message, source=self.source)

    def _once(self, call: Callable[[], T], what: str) -> T:
        """One attempt; the library's failures become tracker errors."""
        try:
            return call()
        except TrackerError:
            raise
        except GithubException as error:
            raise self._translate(error, what) from None
        except requests.exceptions.Timeout:
            raise UnavailableError(f"{what}: GitHub timed out", source=self.source) from None
        except requests.exceptions.RequestException as error:
            kind = type(error).__name__
            raise UnavailableError(
                f"{what}: cannot reach GitHub ({kind})", source=self.source
            ) from None

    def _call(self, call: Callable[[], T], what: str) -> T:
        """Attempts under the backoff policy."""

        def on_wait(error: TrackerError, wait: float) -> None:
            log.warning("%s: %s; retrying in %.1fs", self.source, type(error).__name__, wait)

        return call_with_backoff(
            lambda: self._once(call, what), self.backoff, sleep=self._sleep, on_wait=on_wait
        )

    def _request(
        self,
        verb: str,
        url: str,
        what: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        retry: bool = True,
    ) -> tuple[dict[str, Any], Any]:
        def send() -> tuple[dict[str, Any], Any]:
            requester = self._github().requester
            return requester.requestJsonAndCheck(
                verb, url, parameters=dict(params) if params else None, input=body
            )

        return self._call(send, what) if retry else self._once(send, what)

    def _list(self, url: str, what: str, *, retry: bool = True) -> Iterator[Json]:
        """Every item of a listing, following GitHub's `Link: rel="next"`."""
        next_url: str | None = url
        params: dict[str, Any] | None = {"per_page": self.per_page}
        while next_url is not None:
            headers, items = self._request("GET", next_url, what, params=params, retry=retry)
            yield from items
            next_url = _next_link(headers)
            params = None  # the next link carries the query

    def _stream(
        self, url: str, params: Mapping[str, Any], since: str | None, what: str
    ) -> Iterator[Json]:
        """An `updated`-ascending listing, paged by key (see the module docstring)."""
        until: datetime | None = None
        page = 1
        seen: set[tuple[int, str]] = set()
        first = True
        while True:
            query = {**params, "per_page": self.per_page, "page": page}
            if since is not None:
                query["since"] = since
            headers, items = self._request("GET", url, what, params=query)
            if first:
                until = _server_time(headers)
                first = False
            for item in items:
                stamp = str(item["updated_at"])
                if (int(item["id"]), stamp) in seen:
                    continue
                if until is not None and _parse_time(stamp) > until:
                    return
                yield item
            if not items or _next_link(headers) is None:
                return
            last = str(items[-1]["updated_at"])
            if last == since:
                page += 1  # a full page within one second: page on within it
            else:
                since, page, seen = last, 1, set()
            seen |= {(int(i["id"]), last) for i in items if i["updated_at"] == last}

    def _repo_info(self) -> _Repository:
        if self._repository is None:
            _, data = self._request("GET", self._path, "read the repository")
            self._repository = _Repository(
                full_name=str(data.get("full_name") or self.repo),
                owner=str((data.get("owner") or {}).get("login") or self.repo.split("/")[0]),
                private=bool(data.get("private")),
            )
        return self._repository

    # --- reading ---------------------------------------------------------------------

    def fetch_changed(self, since: datetime | None) -> Iterator[Ticket]:
        since_text = _since_param(since)
        repository = self._repo_info  # read only when a trust decision needs it
        issues = self._stream(
            f"{self._path}/issues",
            {"state": "all", "sort": "updated", "direction": "asc"},
            since_text,
            "list issues",
        )
        comments = _Lookahead(
            self._stream(
                f"{self._path}/issues/comments",
                {"sort": "updated", "direction": "asc"},
                since_text,
                "list comments",
            )
        )
        pending: dict[int, list[Json]] = {}
        for issue in issues:
            updated = _parse_time(str(issue["updated_at"]))
            while (head := comments.peek()) is not None and _parse_time(
                str(head["updated_at"])
            ) <= updated:
                comment = comments.pop()
                pending.setdefault(_issue_number(comment), []).append(comment)
            group = pending.pop(int(issue["number"]), [])
            if issue.get("pull_request"):
                continue
            group.sort(key=lambda c: (str(c.get("created_at")), int(c["id"])))
            yield self._enriched(issue, group, repository)

    def fetch_one(self, key: str) -> Ticket:
        number = self._number(key)
        repository = self._repo_info  # read only when a trust decision needs it
        _, issue = self._request("GET", f"{self._path}/issues/{number}", f"read {key}")
        if issue.get("pull_request"):
            raise NotFoundError(f"{key} is a pull request, not an issue", source=self.source)
        comments = list(
            self._list(f"{self._path}/issues/{number}/comments", f"read {key} comments")
        )
        return self._enriched(issue, comments, repository)

    def _enriched(
        self, issue: Json, comments: list[Json], repository: Callable[[], _Repository]
    ) -> Ticket:
        """A ticket from an issue payload, plus the few reads its summaries ask for."""
        number = int(issue["number"])
        links: list[Link] = []
        dependencies = issue.get("issue_dependencies_summary") or {}
        if int(dependencies.get("blocked_by") or 0) > 0:
            for blocker in self._list(
                f"{self._path}/issues/{number}/dependencies/blocked_by", "read blockers"
            ):
                links.append(self._link_to(LinkKind.BLOCKED_BY, blocker))
        sub_issues = issue.get("sub_issues_summary") or {}
        if int(sub_issues.get("total") or 0) > int(sub_issues.get("completed") or 0):
            for child in self._list(f"{self._path}/issues/{number}/sub_issues", "read sub-issues"):
                links.append(self._link_to(LinkKind.CHILD, child))
        author_trust = _trust(issue.get("author_association"), repository)
        approved = False
        if self._has_approval_label(issue):
            approved = self._approval_from_events(issue, author_trust, repository)
        return self._ticket(issue, comments, links, approved, repository)

    def _approval_from_events(
        self, issue: Json, author_trust: Trust, repository: Callable[[], _Repository]
    ) -> bool:
        number = int(issue["number"])
        latest: Json | None = None
        for event in self._list(f"{self._path}/issues/{number}/events", "read issue events"):
            label = event.get("label") or {}
            if event.get("event") == "labeled" and _same_label(
                label.get("name"), self.approval_label
            ):
                latest = event
        if latest is None:
            return False
        return _actor_trusted(
            latest.get("actor"),
            via_app=latest.get("performed_via_github_app") is not None,
            association=latest.get("author_association"),
            issue_author=_login(issue.get("user")),
            author_trust=author_trust,
            repository=repository,
        )

    def _has_approval_label(self, issue: Json) -> bool:
        return any(_same_label(name, self.approval_label) for name in _label_names(issue))

    def _link_to(self, kind: LinkKind, target: Json) -> Link:
        repo = _repo_of(target) or self.repo
        if repo.lower() == self.repo.lower():
            repo = self.repo
        state = TicketState.CLOSED if target.get("state") == "closed" else TicketState.OPEN
        return Link(kind, f"{repo}#{target['number']}", state=state, title=target.get("title"))

    def _ticket(
        self,
        issue: Json,
        comments: list[Json],
        links: list[Link],
        approved: bool,
        repository: Callable[[], _Repository],
    ) -> Ticket:
        number = int(issue["number"])
        key = f"{self.repo}#{number}"
        labels = tuple(_label_names(issue))
        body = str(issue.get("body") or "")
        title = str(issue.get("title") or "")
        parent = issue.get("parent_issue_url")
        all_links = list(links)
        if isinstance(parent, str) and "/issues/" in parent:
            parent_repo = _repo_from_api_url(parent.rsplit("/issues/", 1)[0]) or self.repo
            if parent_repo.lower() == self.repo.lower():
                parent_repo = self.repo
            all_links.append(Link(LinkKind.PARENT, f"{parent_repo}#{parent.rsplit('/', 1)[1]}"))
        known = {link.target for link in all_links}
        for target in self._mentions(f"{title}\n{body}"):
            if target != key and target not in known:
                known.add(target)
                all_links.append(Link(LinkKind.MENTIONS, target))
        issue_type = issue.get("type")
        type_name = issue_type.get("name") if isinstance(issue_type, dict) else None
        return Ticket(
            source=self.source,
            key=key,
            title=title,
            url=issue.get("html_url"),
            body=body,
            kind=kind_from_type(type_name) if type_name else kind_from_labels(labels),
            state=TicketState.CLOSED if issue.get("state") == "closed" else TicketState.OPEN,
            labels=labels,
            author=_login(issue.get("user")),
            author_trust=_trust(issue.get("author_association"), repository),
            approval_verified=approved,
            assignees=tuple(
                login for a in issue.get("assignees") or [] if (login := _login(a)) is not None
            ),
            priority=priority_from_labels(labels),
            links=tuple(all_links),
            comments=tuple(_comment(c, repository) for c in comments),
            created_at=_parse_optional_time(issue.get("created_at")),
            updated_at=_parse_optional_time(issue.get("updated_at")),
        )

    def _mentions(self, text: str) -> list[str]:
        found: list[str] = []
        for match in _REFERENCE.finditer(_CODE.sub(" ", text)):
            repo = match.group("url_repo") or match.group("repo") or self.repo
            number = match.group("url_num") or match.group("num")
            if repo.lower() == self.repo.lower():
                repo = self.repo
            target = f"{repo}#{int(number)}"
            if target not in found:
                found.append(target)
        return found

    def _number(self, key: str) -> int:
        match = _KEY.match(key.strip())
        if match is None:
            raise NotFoundError(f"{key!r} is not an issue key of {self.repo}", source=self.source)
        repo = match.group("repo")
        if repo is not None and repo.lower() != self.repo.lower():
            raise NotFoundError(f"{key} is not in {self.repo}", source=self.source)
        return int(match.group("num"))

    # --- writing -------------------------------------------------------------------

    def apply_labels(self, key: str, add: Sequence[str], remove: Sequence[str]) -> None:
        if not add and not remove:
            return
        number = self._number(key)
        if add:
            self._request(
                "POST",
                f"{self._path}/issues/{number}/labels",
                f"add labels to {key}",
                body={"labels": list(dict.fromkeys(add))},
            )
        for name in dict.fromkeys(remove):
            try:
                self._request(
                    "DELETE",
                    f"{self._path}/issues/{number}/labels/{urllib.parse.quote(name, safe='')}",
                    f"remove a label from {key}",
                )
            except NotFoundError:
                continue  # already gone: the wanted state

    def ensure_labels(self, labels: Sequence[LabelSpec]) -> list[str]:
        existing = {
            str(item["name"]).lower() for item in self._list(f"{self._path}/labels", "list labels")
        }
        created: list[str] = []
        for spec in labels:
            if spec.name.lower() in existing:
                continue
            try:
                self._request(
                    "POST",
                    f"{self._path}/labels",
                    f"create label {spec.name}",
                    body={
                        "name": spec.name,
                        "color": spec.color.lstrip("#"),
                        "description": spec.description,
                    },
                )
            except BadRequestError:
                # created meanwhile by someone else (422 already_exists), or truly refused
                names = {
                    str(i["name"]).lower()
                    for i in self._list(f"{self._path}/labels", "list labels")
                }
                if spec.name.lower() not in names:
                    raise
                continue
            existing.add(spec.name.lower())
            created.append(spec.name)
        return created

    def upsert_comment(self, key: str, body: str) -> None:
        number = self._number(key)
        text = f"{OWN_COMMENT_MARKER}\n{without_own_marker(body)}"
        comments_url = f"{self._path}/issues/{number}/comments"

        def attempt() -> None:
            # Each attempt looks for our comment first: after an ambiguous failure
            # (a timeout, a 5xx) the comment may exist although we saw no answer.
            ours = next(
                (
                    c
                    for c in self._list(comments_url, f"read {key} comments", retry=False)
                    if _is_own(c)
                ),
                None,
            )
            if ours is None:
                self._request(
                    "POST", comments_url, f"comment on {key}", body={"body": text}, retry=False
                )
            elif ours.get("body") != text:
                self._request(
                    "PATCH",
                    f"{self._path}/issues/comments/{int(ours['id'])}",
                    f"edit the comment on {key}",
                    body={"body": text},
                    retry=False,
                )

        call_with_backoff(attempt, self.backoff, sleep=self._sleep)

    # --- webhooks ----------------------------------------------------------------

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> bool:
        if self._webhook_secret is None:
            return False
        signature = header(headers, "X-Hub-Signature-256")
        if not signature or not signature.startswith("sha256="):
            return False
        expected = hmac.new(
            self._webhook_secret.reveal().encode(), body, hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(f"sha256={expected}", signature.strip())

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookEvent | None:
        """`issues.*` and `issue_comment.*` of this repository; None for anything else.

        The ticket is built from the payload, without a fetch, only when the
        payload is the whole ticket: an issue with no comments, no open blockers
        or sub-issues, and no approval label to verify (or the delivery is the
        approval label being added, whose sender is the actor). Otherwise the
        event carries the key and the worker calls `fetch_one`. `issue_comment.*`
        always carries the key alone (the other comments are not in it).
        """
        event = header(headers, "X-GitHub-Event") or ""
        if event not in ("issues", "issue_comment"):
            return None
        try:
            payload = json.loads(body)
        except ValueError:
            return None
        if not isinstance(payload, dict):
            return None
        issue = payload.get("issue")
        repository = payload.get("repository") or {}
        if not isinstance(issue, dict) or "number" not in issue:
            return None
        if str(repository.get("full_name", "")).lower() != self.repo.lower():
            return None
        if issue.get("pull_request"):
            return None
        action = str(payload.get("action") or "")
        delivery = header(headers, "X-GitHub-Delivery") or ""
        key = f"{self.repo}#{int(issue['number'])}"
        if event == "issues" and action in ("deleted", "transferred"):
            return WebhookEvent(delivery, event, action, key=key, deleted=True)
        if event == "issue_comment":
            return WebhookEvent(delivery, event, action, key=key)
        info = _Repository(
            full_name=self.repo,
            owner=_login(repository.get("owner")) or self.repo.split("/")[0],
            private=bool(repository.get("private")),
        )
        approved = False
        if self._has_approval_label(issue):
            label = payload.get("label") or {}
            if action != "labeled" or not _same_label(label.get("name"), self.approval_label):
                return WebhookEvent(delivery, event, action, key=key)
            sender = payload.get("sender")
            approved = _actor_trusted(
                sender,
                via_app=False,
                association=None,
                issue_author=_login(issue.get("user")),
                author_trust=_trust(issue.get("author_association"), lambda: info),
                repository=lambda: info,
            )
        dependencies = issue.get("issue_dependencies_summary") or {}
        sub_issues = issue.get("sub_issues_summary") or {}
        incomplete = (
            "labels" not in issue  # some deliveries (pinned, unpinned) carry a partial issue
            or "state" not in issue
            or int(issue.get("comments") or 0) > 0
            or int(dependencies.get("blocked_by") or 0) > 0
            or int(sub_issues.get("total") or 0) > int(sub_issues.get("completed") or 0)
        )
        if incomplete:
            return WebhookEvent(delivery, event, action, key=key)
        ticket = self._ticket(issue, [], [], approved, lambda: info)
        return WebhookEvent(delivery, event, action, key=key, ticket=ticket)


# --- pure functions of payloads ---------------------------------------------------------


class _Lookahead:
    """An iterator with a one-item look-ahead, pulled only when asked."""

    def __init__(self, items: Iterator[Json]) -> None:
        self._items = items
        self._head: Json | None = None
        self._done = False

    def peek(self) -> Json | None:
        if self._head is None and not self._done:
            self._head = next(self._items, None)
            self._done = self._head is None
        return self._head

    def pop(self) -> Json:
        head = self.peek()
        assert head is not None
        self._head = None
        return head


def _next_link(headers: Mapping[str, Any]) -> str | None:
    link = header(headers, "Link") or ""
    for part in requests.utils.parse_header_links(link) if link else []:
        if part.get("rel") == "next" and part.get("url"):
            return str(part["url"])
    return None


def _server_time(headers: Mapping[str, Any]) -> datetime | None:
    value = header(headers, "Date")
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).astimezone(UTC)
    except (TypeError, ValueError):
        return None


def _rate_limit_wait(headers: Mapping[str, Any]) -> float | None:
    """Seconds to wait: Retry-After, else GitHub's rate-limit reset when none is left."""
    wait = retry_after(headers)
    if wait is not None:
        return wait
    reset = header(headers, "X-RateLimit-Reset")
    if header(headers, "X-RateLimit-Remaining") == "0" and reset:
        try:
            return max(0.0, float(reset) - time.time()) + 1.0
        except ValueError:
            return None
    return None


def _since_param(since: datetime | None) -> str | None:
    if since is None:
        return None
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    # GitHub's `since` has second precision: round down, never skip a change
    return since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def _parse_optional_time(value: Any) -> datetime | None:
    return _parse_time(value) if isinstance(value, str) and value else None


def _login(user: Any) -> str | None:
    if isinstance(user, dict) and user.get("login"):
        return str(user["login"])
    return None


def _trust(association: Any, repository: Callable[[], _Repository]) -> Trust:
    """Trusted by association, else by the repository being private (asked only then)."""
    if str(association or "").upper() in TRUSTED_ASSOCIATIONS:
        return Trust.TRUSTED
    return Trust.TRUSTED if repository().private else Trust.UNTRUSTED


def _actor_trusted(
    actor: Any,
    *,
    via_app: bool,
    association: Any,
    issue_author: str | None,
    author_trust: Trust,
    repository: Callable[[], _Repository],
) -> bool:
    """Whether a label-adding actor vouches for the ticket (rule in the module docstring)."""
    login = _login(actor)
    if login is None or via_app or str(actor.get("type", "")).lower() == "bot":
        return False
    if association:
        return str(association).upper() in TRUSTED_ASSOCIATIONS
    if login.lower() == repository().owner.lower():
        return True
    if issue_author is not None and login.lower() == issue_author.lower():
        return author_trust is Trust.TRUSTED
    return True


def _is_own(comment: Json) -> bool:
    """Our comment: it starts with our marker and its author is us (a bot or a maintainer)."""
    if not str(comment.get("body") or "").startswith(OWN_COMMENT_MARKER):
        return False
    user = comment.get("user") or {}
    is_bot = str(user.get("type", "")).lower() == "bot"
    return is_bot or str(comment.get("author_association") or "").upper() in TRUSTED_ASSOCIATIONS


def _comment(comment: Json, repository: Callable[[], _Repository]) -> Comment:
    return Comment(
        id=str(comment["id"]),
        body=str(comment.get("body") or ""),
        author=_login(comment.get("user")),
        author_trust=_trust(comment.get("author_association"), repository),
        created_at=_parse_optional_time(comment.get("created_at")),
        is_own=_is_own(comment),
    )


def _label_names(issue: Json) -> list[str]:
    names = []
    for label in issue.get("labels") or []:
        name = label.get("name") if isinstance(label, dict) else label
        if isinstance(name, str) and name:
            names.append(name)
    return names


def _same_label(name: Any, wanted: str) -> bool:
    return isinstance(name, str) and name.strip().lower() == wanted.strip().lower()


def _repo_from_api_url(url: str) -> str | None:
    parts = urllib.parse.urlsplit(url).path.rstrip("/").split("/")
    if len(parts) >= 3 and parts[-3] == "repos":
        return f"{parts[-2]}/{parts[-1]}"
    return None


def _repo_of(issue: Json) -> str | None:
    url = issue.get("repository_url")
    return _repo_from_api_url(url) if isinstance(url, str) else None


def _issue_number(comment: Json) -> int:
    return int(str(comment["issue_url"]).rstrip("/").rsplit("/", 1)[1])
