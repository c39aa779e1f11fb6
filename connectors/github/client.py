"""GitHub Issues through PyGithub, with a token or as a GitHub App.

Reading (what it costs, in requests):

- `fetch_changed(since)` reads two ascending streams, both sorted by `updated_at`:
  the repository's issues (`GET /repos/{o}/{r}/issues?state=all&sort=updated`)
  and the repository-wide comments (`GET /repos/{o}/{r}/issues/comments`), 100 a
  page, paged by key and joined by issue number (`connectors.github.paging`).
  Pull requests are skipped by their payload's `pull_request` key, at no cost.
  The repository itself (its `private` flag and owner) is read at most once per
  connector, and only when a trust decision needs it: an author or commenter
  whose `author_association` is not trusted by itself, or an approval label
  added by someone whose association the event does not give. A re-sync with
  nothing changed therefore costs the two first pages and the few reads the
  re-read issues' summaries ask for.
  Per issue, extra requests are made only when the payload says they are
  needed: the approval label present (its events), open blockers
  (`issue_dependencies_summary.blocked_by`), open sub-issues
  (`sub_issues_summary`).
- Ticket.comments: complete for `fetch_one`, for `fetch_changed(None)` and for a
  webhook's ticket; for `fetch_changed(since)` it holds the comments created or
  edited at or after `since` (the store merges them by comment id). Reading
  every comment of every changed issue would cost one request per issue.

Mapping (issue JSON to Ticket, trust, the approval rule, mentions) is
`connectors.github.mapping`; webhook deliveries are `connectors.github.webhook`.

Writes touch only what they are given: labels are added with one POST and
removed one DELETE each (never the whole set replaced); our comment is found by
`OWN_COMMENT_MARKER` and edited in place, and a failed attempt looks again
before creating. PyGithub's own retries and throttle are off: every call runs
under `connectors.retry.call_with_backoff`, which honours Retry-After and the
rate-limit reset. Credentials never appear in messages, reprs or logs.
"""

from __future__ import annotations

import logging
import re
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

import requests
from github import Auth, Github, GithubException, GithubIntegration, RateLimitExceededException

from connectors.base import (
    OWN_COMMENT_MARKER,
    AuthError,
    BadRequestError,
    CallObserver,
    LabelSpec,
    Link,
    LinkKind,
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
from connectors.github import mapping, paging, webhook
from connectors.github.mapping import Json, RepositoryInfo
from connectors.headers import header, retry_after
from connectors.retry import DEFAULT_RETRY_AFTER, Backoff, call_with_backoff
from connectors.secrets import Secret, scrub

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_BACKOFF = Backoff()

_KEY = re.compile(r"^(?:(?P<repo>[\w.-]+/[\w.-]+))?#?(?P<num>\d+)$")


_NUMBER = re.compile(r"(?<=/)\d+(?=/|$)")


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
        observer: CallObserver | None = None,
        source: str | None = None,
    ) -> None:
        owner, sep, name = repo.partition("/")
        if not (sep and owner and name) or "/" in name:
            raise ValueError(f"GitHub repository must be OWNER/NAME, got {repo!r}")
        if not token and not (app_id and private_key):
            raise ValueError("GitHub needs a token, or an app_id with its private_key")
        if not 1 <= per_page <= 100:
            raise ValueError("per_page must be between 1 and 100")
        self.repo = repo
        self.source = source or f"github:{repo}"
        self._observer = observer
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
        self._repository: RepositoryInfo | None = None
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

    def _once(self, call: Callable[[], T], what: str, endpoint: str = "other") -> T:
        """One attempt; the library's failures become tracker errors (and the
        observer, if any, hears of the attempt)."""
        failure: TrackerError | None = None
        try:
            return call()
        except TrackerError as error:
            failure = error
            raise
        except GithubException as error:
            failure = self._translate(error, what)
        except requests.exceptions.Timeout:
            failure = UnavailableError(f"{what}: GitHub timed out", source=self.source)
        except requests.exceptions.RequestException as error:
            kind = type(error).__name__
            failure = UnavailableError(f"{what}: cannot reach GitHub ({kind})", source=self.source)
        finally:
            if self._observer is not None:
                self._observer.tracker_call(self.source, endpoint, status_of(failure))
        raise failure from None

    def _call(self, call: Callable[[], T], what: str, endpoint: str = "other") -> T:
        """Attempts under the backoff policy."""

        def on_wait(error: TrackerError, wait: float) -> None:
            log.warning("%s: %s; retrying in %.1fs", self.source, type(error).__name__, wait)
            if self._observer is not None and isinstance(error, RateLimitedError):
                self._observer.rate_limit_wait(self.source, wait)

        return call_with_backoff(
            lambda: self._once(call, what, endpoint),
            self.backoff,
            sleep=self._sleep,
            on_wait=on_wait,
        )

    def _endpoint(self, verb: str, url: str) -> str:
        """`GET issues/{n}/labels`: the call's class, without the repository or a number."""
        path = url.split("?", 1)[0]
        for prefix in (self.base_url, self._path):
            path = path.removeprefix(prefix)
        return f"{verb} " + (_NUMBER.sub("{n}", path.strip("/")) or "repository")

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
            headers, data = requester.requestJsonAndCheck(
                verb, url, parameters=dict(params) if params else None, input=body
            )
            # PyGithub hands back a body that is not JSON as {"data": text, "url": ...}:
            # a proxy's or a captive portal's page, answered 200, is no GitHub answer
            not_json = (
                isinstance(data, dict)
                and isinstance(data.get("data"), str)
                and set(data) <= {"data", "url"}
            )
            if not_json or (data is not None and not isinstance(data, dict | list)):
                raise UnavailableError(
                    f"{what}: GitHub answered with something that is not JSON", source=self.source
                )
            return headers, data

        endpoint = self._endpoint(verb, url)
        return self._call(send, what, endpoint) if retry else self._once(send, what, endpoint)

    def _list(self, url: str, what: str, *, retry: bool = True) -> Iterator[Json]:
        """Every item of a listing, following GitHub's `Link: rel="next"`."""

        def get(page_url: str, params: Mapping[str, Any] | None) -> tuple[dict[str, Any], Any]:
            return self._request("GET", page_url, what, params=params, retry=retry)

        return paging.listing(get, url, self.per_page)

    def _stream(
        self, url: str, params: Mapping[str, Any], since: str | None, what: str
    ) -> Iterator[Json]:
        """An `updated`-ascending listing, paged by key (see `connectors.github.paging`)."""

        def get(page_url: str, query: Mapping[str, Any] | None) -> tuple[dict[str, Any], Any]:
            return self._request("GET", page_url, what, params=query)

        return paging.updated_stream(get, url, params, since, self.per_page)

    def _repo_info(self) -> RepositoryInfo:
        if self._repository is None:
            _, data = self._request("GET", self._path, "read the repository")
            self._repository = RepositoryInfo(
                full_name=str(data.get("full_name") or self.repo),
                owner=str((data.get("owner") or {}).get("login") or self.repo.split("/")[0]),
                private=bool(data.get("private")),
            )
        return self._repository

    # --- reading ---------------------------------------------------------------------

    def fetch_changed(self, since: datetime | None) -> Iterator[Ticket]:
        since_text = paging.since_param(since)
        repository = self._repo_info  # read only when a trust decision needs it
        issues = self._stream(
            f"{self._path}/issues",
            {"state": "all", "sort": "updated", "direction": "asc"},
            since_text,
            "list issues",
        )
        comments = self._stream(
            f"{self._path}/issues/comments",
            {"sort": "updated", "direction": "asc"},
            since_text,
            "list comments",
        )
        for issue, group in paging.with_comments(issues, comments):
            if not issue.get("pull_request"):
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
        self, issue: Json, comments: list[Json], repository: Callable[[], RepositoryInfo]
    ) -> Ticket:
        """A ticket from an issue payload, plus the few reads its summaries ask for."""
        number = int(issue["number"])
        links: list[Link] = []
        dependencies = issue.get("issue_dependencies_summary") or {}
        if int(dependencies.get("blocked_by") or 0) > 0:
            for blocker in self._list(
                f"{self._path}/issues/{number}/dependencies/blocked_by", "read blockers"
            ):
                links.append(mapping.link_to(LinkKind.BLOCKED_BY, blocker, self.repo))
        sub_issues = issue.get("sub_issues_summary") or {}
        if int(sub_issues.get("total") or 0) > int(sub_issues.get("completed") or 0):
            for child in self._list(f"{self._path}/issues/{number}/sub_issues", "read sub-issues"):
                links.append(mapping.link_to(LinkKind.CHILD, child, self.repo))
        author_trust = mapping.author_trust(issue.get("author_association"), repository)
        approved = False
        if mapping.has_label(issue, self.approval_label):
            approved = self._approval_from_events(issue, author_trust, repository)
        return mapping.ticket(
            issue,
            repo=self.repo,
            source=self.source,
            comments=comments,
            links=links,
            approved=approved,
            repository=repository,
        )

    def _approval_from_events(
        self, issue: Json, author_trust: Trust, repository: Callable[[], RepositoryInfo]
    ) -> bool:
        number = int(issue["number"])
        latest: Json | None = None
        for event in self._list(f"{self._path}/issues/{number}/events", "read issue events"):
            label = event.get("label") or {}
            if event.get("event") == "labeled" and mapping.same_label(
                label.get("name"), self.approval_label
            ):
                latest = event
        if latest is None:
            return False
        return mapping.actor_trusted(
            latest.get("actor"),
            via_app=latest.get("performed_via_github_app") is not None,
            association=latest.get("author_association"),
            issue_author=mapping.login(issue.get("user")),
            author_trust=author_trust,
            repository=repository,
        )

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
                    if mapping.is_own(c)
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
        return webhook.verify(self._webhook_secret.reveal(), headers, body)

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookEvent | None:
        """See `connectors.github.webhook.parse`."""
        return webhook.parse(
            headers,
            body,
            repo=self.repo,
            source=self.source,
            approval_label=self.approval_label,
        )


# --- rate limits ---------------------------------------------------------


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
