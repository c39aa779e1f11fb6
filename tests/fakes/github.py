"""A fake GitHub that speaks the real REST API over HTTP, for tests and benchmarks.

`FakeGitHub` is a real HTTP server on 127.0.0.1 (random port) that PyGithub talks
to through `base_url`. It keeps repositories in memory (issues and pull requests,
comments, labels, issue events, dependencies, sub-issues), paginates like GitHub
(`per_page`, `page`, `Link` headers with prev/next/last/first), sends the
rate-limit headers, and bumps an issue's `updated_at` on every change to it
(labels, comments, edits), as GitHub does.

Time is a synthetic clock that moves one second forward at every change, so
every change has its own `updated_at`; the `Date` header is that clock, as
GitHub's `Date` and `updated_at` come from the same clock.

Every JSON body it sends is validated against the shared OpenAPI subset
(`tests/fakes/openapi.py`); error bodies for statuses a route does not describe
are validated against `basic-error`. Mismatches are recorded in `mismatches`
(the pytest fixture asserts there are none).

Use it as a context manager::

    with FakeGitHub() as gh:
        repo = gh.add_repo("octo/app")
        gh.add_token("t0ken", "octocat")
        repo.add_issue(title="Fix the login bug", user="alice", association="NONE")
        ... GitHubConnector("octo/app", token="t0ken", base_url=gh.base_url)
        gh.count("GET", "/repos/{owner}/{repo}/issues")
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import jwt
from openapi_schema_validator import OAS30Validator

from tests.fakes.json_server import JsonHandler, JsonServer, Request
from tests.fakes.openapi import SHARED_DATA, OpenAPIResponses

GITHUB_DATA = SHARED_DATA / "github"
SPEC_PATH = GITHUB_DATA / "openapi-subset.json"
ISSUE_EXAMPLE = GITHUB_DATA / "examples" / "issue.json"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


@dataclass
class Fault:
    """A programmed failure: answer `status` instead of the real response."""

    status: int
    message: str = "Server Error"
    retry_after: int | None = None
    rate_limit_exhausted: bool = False  # primary rate limit: X-RateLimit-Remaining 0
    after_processing: bool = False  # do the work, then answer the error (ambiguous failure)
    method: str | None = None
    route: str | None = None  # a path template such as /repos/{owner}/{repo}/issues

    def matches(self, method: str, route: str) -> bool:
        return (self.method is None or self.method == method) and (
            self.route is None or self.route == route
        )


@dataclass
class FakeUser:
    login: str
    id: int
    type: str = "User"


@dataclass
class FakeRepo:
    server: FakeGitHub
    owner: FakeUser
    name: str
    id: int
    private: bool = False
    issues: dict[int, dict[str, Any]] = field(default_factory=dict)
    comments: dict[int, dict[str, Any]] = field(default_factory=dict)
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)  # lower(name) -> label
    events: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    blocked_by: dict[int, list[int]] = field(default_factory=dict)
    blocking: dict[int, list[int]] = field(default_factory=dict)
    sub_issues: dict[int, list[int]] = field(default_factory=dict)
    installation_id: int | None = None

    @property
    def full_name(self) -> str:
        return f"{self.owner.login}/{self.name}"

    @property
    def api_url(self) -> str:
        return f"{self.server.base_url}/repos/{self.full_name}"

    @property
    def html_url(self) -> str:
        return f"https://github.com/{self.full_name}"

    # --- seeding (python API) ---------------------------------------------------

    def add_issue(
        self,
        title: str,
        body: str | None = "",
        *,
        user: str = "octocat",
        association: str = "OWNER",
        labels: list[str] | tuple[str, ...] = (),
        assignees: list[str] | tuple[str, ...] = (),
        state: str = "open",
        pull_request: bool = False,
        issue_type: str | None = None,
        at: datetime | None = None,
    ) -> int:
        """Create an issue (or pull request); returns its number."""
        with self.server.lock:
            number = len(self.issues) + 1
            moment = at or self.server.tick()
            issue = self.server.issue_json(self, number, title, body, user, association, moment)
            issue["state"] = state
            if state == "closed":
                issue["closed_at"] = _iso(moment)
                issue["state_reason"] = "completed"
            issue["assignees"] = [self.server.user_json(a) for a in assignees]
            issue["assignee"] = issue["assignees"][0] if issue["assignees"] else None
            if pull_request:
                issue["pull_request"] = {
                    "url": f"{self.api_url}/pulls/{number}",
                    "html_url": f"{self.html_url}/pull/{number}",
                    "diff_url": f"{self.html_url}/pull/{number}.diff",
                    "patch_url": f"{self.html_url}/pull/{number}.patch",
                    "merged_at": None,
                }
                issue["html_url"] = f"{self.html_url}/pull/{number}"
            if issue_type is not None:
                issue["type"] = {
                    "id": 1000 + len(issue_type),
                    "node_id": "IT_kwDO" + issue_type,
                    "name": issue_type,
                    "description": None,
                }
            self.issues[number] = issue
            self.events[number] = []
            for name in labels:
                self._add_label(number, name, actor=user, moment=moment)
            issue["updated_at"] = _iso(moment)
            return number

    def add_comment(
        self,
        number: int,
        body: str,
        *,
        user: str = "octocat",
        association: str = "OWNER",
        user_type: str = "User",
    ) -> int:
        """Add a comment to an issue (bumps the issue); returns the comment id."""
        with self.server.lock:
            return self._create_comment(number, body, user, association, user_type)

    def add_label(
        self, number: int, name: str, *, actor: str = "octocat", actor_type: str = "User"
    ) -> None:
        """A person (or bot) adds a label to an issue: an event and a bump, as on GitHub."""
        with self.server.lock:
            self._add_label(number, name, actor=actor, actor_type=actor_type)

    def remove_label(self, number: int, name: str, *, actor: str = "octocat") -> None:
        with self.server.lock:
            self._remove_label(number, name, actor=actor)

    def edit_issue(self, number: int, **fields: Any) -> None:
        """Change an issue's fields (title, body, state...) and bump its updated_at."""
        with self.server.lock:
            self.issues[number].update(fields)
            self._bump(number)

    def create_label(
        self, name: str, color: str = "ededed", description: str | None = None
    ) -> None:
        with self.server.lock:
            self._ensure_label(name, color, description)

    def add_blocked_by(self, number: int, blocker: int) -> None:
        with self.server.lock:
            self.blocked_by.setdefault(number, []).append(blocker)
            self.blocking.setdefault(blocker, []).append(number)
            self._bump(number)
            self._bump(blocker)

    def add_sub_issue(self, parent: int, child: int) -> None:
        with self.server.lock:
            self.sub_issues.setdefault(parent, []).append(child)
            self.issues[child]["parent_issue_url"] = f"{self.api_url}/issues/{parent}"
            self._bump(parent)
            self._bump(child)

    def remove_blocked_by(self, number: int, blocker: int) -> None:
        """Unmake `add_blocked_by`: `number` is no longer blocked by `blocker`."""
        with self.server.lock:
            self.blocked_by[number].remove(blocker)
            self.blocking[blocker].remove(number)
            self._bump(number)
            self._bump(blocker)

    def remove_sub_issue(self, parent: int, child: int) -> None:
        """Unmake `add_sub_issue`."""
        with self.server.lock:
            self.sub_issues[parent].remove(child)
            self.issues[child].pop("parent_issue_url", None)
            self._bump(parent)
            self._bump(child)

    # --- webhook payloads (as GitHub sends them; unsigned) ----------------------

    def dependency_payload(self, action: str, *, blocked: int, blocking: int) -> dict[str, Any]:
        """An `issue_dependencies` delivery's payload (`blocked_by_added`,
        `blocked_by_removed`, `blocking_added`, `blocking_removed`): `blocked` is
        (or was) blocked by `blocking`, both issues of this repository. The
        schema is `webhook-issue-dependencies-<action>`."""
        with self.server.lock:
            other = "blocking_issue" if action.startswith("blocked_by_") else "blocked_issue"
            return {
                "action": action,
                "blocked_issue_id": self.issues[blocked]["id"],
                "blocked_issue": self.issue_view(blocked),
                "blocking_issue_id": self.issues[blocking]["id"],
                "blocking_issue": self.issue_view(blocking),
                f"{other}_repo": self._webhook_repository(),
                **self._delivery_envelope(),
            }

    def sub_issue_payload(self, action: str, *, parent: int, child: int) -> dict[str, Any]:
        """A `sub_issues` delivery's payload (`sub_issue_added`, `sub_issue_removed`,
        `parent_issue_added`, `parent_issue_removed`) about `child` under `parent`,
        both issues of this repository. The schema is `webhook-sub-issues-<action>`."""
        with self.server.lock:
            other = "sub_issue" if action.startswith("sub_issue_") else "parent_issue"
            return {
                "action": action,
                "sub_issue_id": self.issues[child]["id"],
                "sub_issue": self.issue_view(child),
                "parent_issue_id": self.issues[parent]["id"],
                "parent_issue": self.issue_view(parent),
                f"{other}_repo": self._webhook_repository(),
                **self._delivery_envelope(),
            }

    def _webhook_repository(self) -> dict[str, Any]:
        """The repository as deliveries show it (`repository-webhooks`)."""
        return {**self.server.repo_json(self), "has_downloads": True}

    def _delivery_envelope(self) -> dict[str, Any]:
        """What every delivery about this repository carries besides its subject."""
        owner = self.server.user_json(self.owner.login)
        organization = {
            "login": self.owner.login,
            "id": owner["id"],
            "node_id": owner["node_id"],
            "url": f"{self.server.base_url}/orgs/{self.owner.login}",
            "repos_url": f"{self.server.base_url}/orgs/{self.owner.login}/repos",
            "events_url": f"{self.server.base_url}/orgs/{self.owner.login}/events",
            "hooks_url": f"{self.server.base_url}/orgs/{self.owner.login}/hooks",
            "issues_url": f"{self.server.base_url}/orgs/{self.owner.login}/issues",
            "members_url": f"{self.server.base_url}/orgs/{self.owner.login}/members{{/member}}",
            "public_members_url": (
                f"{self.server.base_url}/orgs/{self.owner.login}/public_members{{/member}}"
            ),
            "avatar_url": owner["avatar_url"],
            "description": None,
        }
        return {
            "repository": self._webhook_repository(),
            "organization": organization,
            "sender": self.server.user_json("octocat"),
        }

    def issue_labels(self, number: int) -> list[str]:
        with self.server.lock:
            return [label["name"] for label in self.issues[number]["labels"]]

    def issue_comments(self, number: int) -> list[dict[str, Any]]:
        with self.server.lock:
            url = f"{self.api_url}/issues/{number}"
            return [copy.deepcopy(c) for c in self.comments.values() if c["issue_url"] == url]

    # --- internals (called with the lock held) ----------------------------------

    def _bump(self, number: int, moment: datetime | None = None) -> None:
        self.issues[number]["updated_at"] = _iso(moment or self.server.tick())

    def _ensure_label(
        self, name: str, color: str = "ededed", description: str | None = None
    ) -> dict[str, Any]:
        label = self.labels.get(name.lower())
        if label is None:
            label_id = self.server.next_id()
            label = {
                "id": label_id,
                "node_id": f"LA_{label_id}",
                "url": f"{self.api_url}/labels/{urllib.parse.quote(name, safe='')}",
                "name": name,
                "description": description,
                "color": color,
                "default": False,
            }
            self.labels[name.lower()] = label
        return label

    def _add_label(
        self,
        number: int,
        name: str,
        *,
        actor: str,
        actor_type: str = "User",
        moment: datetime | None = None,
    ) -> bool:
        issue = self.issues[number]
        if any(existing["name"].lower() == name.lower() for existing in issue["labels"]):
            return False
        label = self._ensure_label(name)
        issue["labels"].append(copy.deepcopy(label))
        moment = moment or self.server.tick()
        self.events[number].append(self._event("labeled", label, actor, actor_type, moment))
        self._bump(number, moment)
        return True

    def _remove_label(
        self, number: int, name: str, *, actor: str, actor_type: str = "User"
    ) -> bool:
        issue = self.issues[number]
        kept = [label for label in issue["labels"] if label["name"].lower() != name.lower()]
        if len(kept) == len(issue["labels"]):
            return False
        removed = next(lab for lab in issue["labels"] if lab["name"].lower() == name.lower())
        issue["labels"] = kept
        moment = self.server.tick()
        self.events[number].append(self._event("unlabeled", removed, actor, actor_type, moment))
        self._bump(number, moment)
        return True

    def _event(
        self, kind: str, label: dict[str, Any], actor: str, actor_type: str, moment: datetime
    ) -> dict[str, Any]:
        event_id = self.server.next_id()
        return {
            "id": event_id,
            "node_id": f"LE_{event_id}",
            "url": f"{self.api_url}/issues/events/{event_id}",
            "actor": self.server.user_json(actor, actor_type),
            "event": kind,
            "commit_id": None,
            "commit_url": None,
            "created_at": _iso(moment),
            "performed_via_github_app": None,
            "label": {"name": label["name"], "color": label["color"]},
        }

    def _create_comment(
        self, number: int, body: str, user: str, association: str, user_type: str = "User"
    ) -> int:
        comment_id = self.server.next_id()
        moment = self.server.tick()
        self.comments[comment_id] = {
            "id": comment_id,
            "node_id": f"IC_{comment_id}",
            "url": f"{self.api_url}/issues/comments/{comment_id}",
            "html_url": f"{self.issues[number]['html_url']}#issuecomment-{comment_id}",
            "body": body,
            "user": self.server.user_json(user, user_type),
            "created_at": _iso(moment),
            "updated_at": _iso(moment),
            "issue_url": f"{self.api_url}/issues/{number}",
            "author_association": association,
            "performed_via_github_app": None,
        }
        self.issues[number]["comments"] += 1
        self._bump(number, moment)
        return comment_id

    def _number_of_comment(self, comment: dict[str, Any]) -> int:
        return int(comment["issue_url"].rsplit("/", 1)[1])

    def issue_view(self, number: int) -> dict[str, Any]:
        """The issue as the API shows it now (summaries computed)."""
        issue = copy.deepcopy(self.issues[number])
        blocked_by = self.blocked_by.get(number, [])
        blocking = self.blocking.get(number, [])
        issue["issue_dependencies_summary"] = {
            "blocked_by": sum(1 for n in blocked_by if self.issues[n]["state"] == "open"),
            "blocking": sum(1 for n in blocking if self.issues[n]["state"] == "open"),
            "total_blocked_by": len(blocked_by),
            "total_blocking": len(blocking),
        }
        children = self.sub_issues.get(number, [])
        completed = sum(1 for n in children if self.issues[n]["state"] == "closed")
        issue["sub_issues_summary"] = {
            "total": len(children),
            "completed": completed,
            "percent_completed": (100 * completed // len(children)) if children else 0,
        }
        return issue


class FakeGitHub(JsonServer):
    """The server; see the module docstring."""

    poll_seconds = 0.05

    def __init__(self, *, start: datetime | None = None, validate: bool = True) -> None:
        super().__init__()
        self.lock = threading.RLock()
        self.responses = OpenAPIResponses(SPEC_PATH)
        self._error_validator = OAS30Validator(
            {
                **self.responses.spec["components"]["schemas"]["basic-error"],
                "components": self.responses.spec["components"],
            }
        )
        self.validate = validate
        self._validated: set[bytes] = set()
        self.repos: dict[str, FakeRepo] = {}
        self.tokens: dict[str, FakeUser] = {}
        self.users: dict[str, FakeUser] = {}
        self.apps: dict[str, tuple[str, str]] = {}  # app id -> (public key PEM, slug)
        self.installations: dict[int, str] = {}  # installation id -> app id
        self.label_writes: list[tuple[str, str, int, tuple[str, ...]]] = []
        self.mismatches: list[str] = []
        self.faults: list[Fault] = []
        self.fail_after_requests: int | None = None
        self.fail_after_status = 500
        self.slow_seconds = 0.0
        self.release_slow = threading.Event()
        self.rate_limit = 5000
        self.rate_remaining = 5000
        self._now = (start or datetime.now(UTC) - timedelta(days=30)).replace(microsecond=0)
        self._ids = 1000

    def handler(self) -> type[JsonHandler]:
        return _Handler

    def stop(self) -> None:
        self.release_slow.set()
        super().stop()

    # --- python API -------------------------------------------------------------

    def add_repo(self, full_name: str, *, private: bool = False) -> FakeRepo:
        owner, name = full_name.split("/")
        with self.lock:
            repo = FakeRepo(self, self.user(owner), name, self.next_id(), private=private)
            self.repos[full_name.lower()] = repo
            return repo

    def add_token(self, token: str, login: str, user_type: str = "User") -> None:
        with self.lock:
            self.tokens[token] = self.user(login, user_type)

    def add_app(self, app_id: str, public_key_pem: str, slug: str = "backlog-sync") -> None:
        """Register a GitHub App whose JWTs are signed by the matching private key."""
        with self.lock:
            self.apps[str(app_id)] = (public_key_pem, slug)

    def install_app(self, app_id: str, repo: FakeRepo) -> int:
        with self.lock:
            installation_id = self.next_id()
            self.installations[installation_id] = str(app_id)
            repo.installation_id = installation_id
            return installation_id

    def fail(self, status: int, *, times: int = 1, **kwargs: Any) -> None:
        """The next `times` matching requests answer `status` (see `Fault`)."""
        with self.lock:
            defaults: dict[str, Any] = {}
            if status == 429:
                defaults = {"message": "API rate limit exceeded", "retry_after": 1}
            self.faults.extend(Fault(status, **{**defaults, **kwargs}) for _ in range(times))

    def fail_secondary_rate_limit(self, *, retry_after: int = 1, times: int = 1) -> None:
        self.fail(
            403,
            times=times,
            message="You have exceeded a secondary rate limit. Please wait a few minutes "
            "before you try again.",
            retry_after=retry_after,
        )

    def fail_primary_rate_limit(self, *, reset_in: int = 1, times: int = 1) -> None:
        self.fail(
            403,
            times=times,
            message="API rate limit exceeded for installation.",
            rate_limit_exhausted=True,
            retry_after=None,
        )
        self._reset_in = reset_in

    def fail_after(self, requests: int | None, status: int = 500) -> None:
        """After `requests` more requests, answer `status` to everything (None: stop)."""
        with self.lock:
            self.fail_after_requests = requests
            self.fail_after_status = status

    def count(self, method: str | None = None, route: str | None = None) -> int:
        """Requests served, by method and path template (either may be None for all)."""
        with self.lock:
            return super().count(method, route)

    def writes(self) -> int:
        return self.count("POST") + self.count("PATCH") + self.count("PUT") + self.count("DELETE")

    def reset_counts(self) -> None:
        with self.lock:
            self.requests.clear()
            self.label_writes.clear()

    # --- clock and ids -----------------------------------------------------------

    def tick(self) -> datetime:
        with self.lock:
            self._now += timedelta(seconds=1)
            return self._now

    @property
    def now(self) -> datetime:
        return self._now

    def next_id(self) -> int:
        with self.lock:
            self._ids += 1
            return self._ids

    # --- JSON builders ------------------------------------------------------------

    def user(self, login: str, user_type: str = "User") -> FakeUser:
        with self.lock:
            if login not in self.users:
                self.users[login] = FakeUser(login, self.next_id(), user_type)
            return self.users[login]

    def user_json(self, login: str, user_type: str | None = None) -> dict[str, Any]:
        person = self.user(login, user_type or "User")
        if user_type is not None:
            person.type = user_type
        base = f"https://api.github.com/users/{login}"
        return {
            "login": login,
            "id": person.id,
            "node_id": f"U_{person.id}",
            "avatar_url": f"https://avatars.githubusercontent.com/u/{person.id}?v=4",
            "gravatar_id": "",
            "url": base,
            "html_url": f"https://github.com/{login}",
            "followers_url": f"{base}/followers",
            "following_url": f"{base}/following{{/other_user}}",
            "gists_url": f"{base}/gists{{/gist_id}}",
            "starred_url": f"{base}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{base}/subscriptions",
            "organizations_url": f"{base}/orgs",
            "repos_url": f"{base}/repos",
            "events_url": f"{base}/events{{/privacy}}",
            "received_events_url": f"{base}/received_events",
            "type": person.type,
            "site_admin": False,
        }

    def issue_json(
        self,
        repo: FakeRepo,
        number: int,
        title: str,
        body: str | None,
        login: str,
        association: str,
        moment: datetime,
    ) -> dict[str, Any]:
        issue: dict[str, Any] = json.loads(ISSUE_EXAMPLE.read_text(encoding="utf-8"))
        for drop in ("pull_request", "pinned_comment", "closed_by", "milestone", "state_reason"):
            issue.pop(drop, None)
        url = f"{repo.api_url}/issues/{number}"
        issue_id = self.next_id()
        issue.update(
            {
                "id": issue_id,
                "node_id": f"I_{issue_id}",
                "url": url,
                "repository_url": repo.api_url,
                "labels_url": f"{url}/labels{{/name}}",
                "comments_url": f"{url}/comments",
                "events_url": f"{url}/events",
                "html_url": f"{repo.html_url}/issues/{number}",
                "number": number,
                "state": "open",
                "title": title,
                "body": body,
                "user": self.user_json(login),
                "labels": [],
                "assignee": None,
                "assignees": [],
                "milestone": None,
                "locked": False,
                "active_lock_reason": None,
                "comments": 0,
                "closed_at": None,
                "closed_by": None,
                "created_at": _iso(moment),
                "updated_at": _iso(moment),
                "author_association": association,
            }
        )
        return issue

    def repo_json(self, repo: FakeRepo) -> dict[str, Any]:
        api = repo.api_url
        stamp = "2011-01-26T19:01:12Z"
        data: dict[str, Any] = {
            "id": repo.id,
            "node_id": f"R_{repo.id}",
            "name": repo.name,
            "full_name": repo.full_name,
            "owner": self.user_json(repo.owner.login),
            "private": repo.private,
            "html_url": repo.html_url,
            "description": None,
            "fork": False,
            "url": api,
            "homepage": None,
            "language": None,
            "forks_count": 0,
            "forks": 0,
            "stargazers_count": 0,
            "watchers_count": 0,
            "watchers": 0,
            "size": 0,
            "default_branch": "main",
            "open_issues_count": sum(1 for i in repo.issues.values() if i["state"] == "open"),
            "open_issues": sum(1 for i in repo.issues.values() if i["state"] == "open"),
            "has_issues": True,
            "has_projects": False,
            "has_wiki": False,
            "has_pages": False,
            "has_discussions": False,
            "archived": False,
            "disabled": False,
            "mirror_url": None,
            "license": None,
            "pushed_at": stamp,
            "created_at": stamp,
            "updated_at": stamp,
            "network_count": 0,
            "subscribers_count": 0,
            "clone_url": f"{repo.html_url}.git",
            "git_url": f"git://github.com/{repo.full_name}.git",
            "ssh_url": f"git@github.com:{repo.full_name}.git",
            "svn_url": repo.html_url,
        }
        for name in (
            "archive_url:/{archive_format}{/ref}",
            "assignees_url:/assignees{/user}",
            "blobs_url:/git/blobs{/sha}",
            "branches_url:/branches{/branch}",
            "collaborators_url:/collaborators{/collaborator}",
            "comments_url:/comments{/number}",
            "commits_url:/commits{/sha}",
            "compare_url:/compare/{base}...{head}",
            "contents_url:/contents/{+path}",
            "contributors_url:/contributors",
            "deployments_url:/deployments",
            "downloads_url:/downloads",
            "events_url:/events",
            "forks_url:/forks",
            "git_commits_url:/git/commits{/sha}",
            "git_refs_url:/git/refs{/sha}",
            "git_tags_url:/git/tags{/sha}",
            "hooks_url:/hooks",
            "issue_comment_url:/issues/comments{/number}",
            "issue_events_url:/issues/events{/number}",
            "issues_url:/issues{/number}",
            "keys_url:/keys{/key_id}",
            "labels_url:/labels{/name}",
            "languages_url:/languages",
            "merges_url:/merges",
            "milestones_url:/milestones{/number}",
            "notifications_url:/notifications{?since,all,participating}",
            "pulls_url:/pulls{/number}",
            "releases_url:/releases{/id}",
            "stargazers_url:/stargazers",
            "statuses_url:/statuses/{sha}",
            "subscribers_url:/subscribers",
            "subscription_url:/subscription",
            "tags_url:/tags",
            "teams_url:/teams",
            "trees_url:/git/trees{/sha}",
        ):
            key, suffix = name.split(":", 1)
            data[key] = api + suffix
        return data

    # --- request handling ---------------------------------------------------------

    def check_validation(self, method: str, path: str, status: int, body: Any) -> None:
        """Validate a response body; a list's items are validated one by one, each
        distinct item once (a page of unchanged issues is not checked again)."""
        if not self.validate:
            return
        if isinstance(body, list) and body:
            for item in body:
                digest = hashlib.sha1(
                    f"{method} {self.responses.template_for(path)} {status}".encode()
                    + json.dumps(item, sort_keys=True).encode(),
                    usedforsecurity=False,
                ).digest()
                if digest not in self._validated:
                    self._validate_one(method, path, status, [item])
                    self._validated.add(digest)
            return
        self._validate_one(method, path, status, body)

    def _validate_one(self, method: str, path: str, status: int, body: Any) -> None:
        try:
            self.responses.validate(method, path, status, body)
        except AssertionError as mismatch:
            if "not described" in str(mismatch) and status >= 400:
                errors = list(self._error_validator.iter_errors(body))
                if errors:
                    self.mismatches.append(f"{method} {path} {status}: {errors[0].message}")
            else:
                self.mismatches.append(str(mismatch))


class _Handler(JsonHandler):
    fake: FakeGitHub
    disable_nagle_algorithm = True

    def date_time_string(self, timestamp: float | None = None) -> str:
        return format_datetime(self.fake.now, usegmt=True)  # the clock of updated_at

    def do_PATCH(self) -> None:
        self.handle_request(self.read("PATCH"))

    def do_DELETE(self) -> None:
        self.handle_request(self.read("DELETE"))

    # --- plumbing -------------------------------------------------------------

    def handle_request(self, request: Request) -> None:
        fake = self.fake
        method, raw = request.method, request.body
        path = request.path.rstrip("/") or "/"
        query = {k: v[-1] for k, v in urllib.parse.parse_qs(request.query).items()}
        route = fake.responses.template_for(path) or path
        with fake.lock:
            fake.record(method, route)
            fault = next((f for f in fake.faults if f.matches(method, route)), None)
            if fault is not None:
                fake.faults.remove(fault)
            if fault is None and fake.fail_after_requests is not None:
                if fake.fail_after_requests <= 0:
                    fault = Fault(fake.fail_after_status)
                else:
                    fake.fail_after_requests -= 1
        if fake.slow_seconds:
            fake.release_slow.wait(fake.slow_seconds)
        if fault is not None and not fault.after_processing:
            self._send_fault(method, path, fault)
            return
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            self._send(method, path, 400, {"message": "Problems parsing JSON"})
            return
        user = self._authenticate(path)
        if user is None:
            return
        with fake.lock:
            status, body, headers = self._route(method, path, query, payload, user)
        if fault is not None:
            self._send_fault(method, path, fault)
            return
        self._send(method, path, status, body, headers)

    def _send_fault(self, method: str, path: str, fault: Fault) -> None:
        headers: dict[str, str] = {}
        if fault.retry_after is not None:
            headers["Retry-After"] = str(fault.retry_after)
        if fault.rate_limit_exhausted:
            headers["X-RateLimit-Remaining"] = "0"
            headers["X-RateLimit-Reset"] = str(
                int(time.time()) + getattr(self.fake, "_reset_in", 1)
            )
        body = {
            "message": fault.message,
            "documentation_url": "https://docs.github.com/rest",
        }
        self._send(method, path, fault.status, body, headers)

    def _authenticate(self, path: str) -> FakeUser | None:
        fake = self.fake
        header = self.headers.get("Authorization") or ""
        scheme, _, credential = header.partition(" ")
        if path.startswith("/app/") or path.endswith("/installation"):
            app = self._app_from_jwt(credential) if scheme.lower() == "bearer" else None
            if app is None:
                self._send("GET", path, 401, {"message": "A JSON web token could not be decoded"})
                return None
            return fake.user(app, "Bot")
        with fake.lock:
            user = fake.tokens.get(credential) if scheme.lower() in ("token", "bearer") else None
        if user is None:
            self._send(
                self.command,
                path,
                401,
                {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"},
            )
        return user

    def _app_from_jwt(self, token: str) -> str | None:
        try:
            unverified = jwt.decode(token, options={"verify_signature": False})
            app_id = str(unverified.get("iss"))
            public_key, _slug = self.fake.apps[app_id]
            jwt.decode(token, public_key, algorithms=["RS256"])
        except (jwt.PyJWTError, KeyError):
            return None
        return app_id

    def _send(
        self,
        method: str,
        path: str,
        status: int,
        body: Any,
        headers: dict[str, str] | None = None,
    ) -> None:
        fake = self.fake
        with fake.lock:
            if fake.rate_remaining > 0:
                fake.rate_remaining -= 1
            remaining = fake.rate_remaining
        if body is not None:
            fake.check_validation(method, path, status, body)
        standard = {
            "Content-Type": "application/json; charset=utf-8",
            "X-GitHub-Request-Id": f"FAKE:{fake.next_id()}",
            "X-RateLimit-Limit": str(fake.rate_limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Used": str(fake.rate_limit - remaining),
            "X-RateLimit-Reset": str(int(time.time()) + 3600),
            "X-RateLimit-Resource": "core",
        }
        self.send_json(status, body, {**standard, **(headers or {})})

    # --- routes ------------------------------------------------------------------

    def _route(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        payload: Any,
        user: FakeUser,
    ) -> tuple[int, Any, dict[str, str]]:
        fake = self.fake
        parts = path.strip("/").split("/")
        not_found = (
            404,
            {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"},
            {},
        )
        if parts == ["rate_limit"]:
            core = {
                "limit": fake.rate_limit,
                "remaining": fake.rate_remaining,
                "reset": int(time.time()) + 3600,
                "used": fake.rate_limit - fake.rate_remaining,
            }
            return 200, {"resources": {"core": core, "search": core}, "rate": core}, {}
        if parts[:2] == ["app", "installations"] and parts[3:] == ["access_tokens"]:
            installation = int(parts[2])
            if fake.installations.get(installation) != user.login:
                return not_found
            token = f"ghs_fake{fake.next_id()}"
            slug = fake.apps[user.login][1]
            fake.tokens[token] = fake.user(f"{slug}[bot]", "Bot")
            expires = datetime.now(UTC) + timedelta(hours=1)
            body = {
                "token": token,
                "expires_at": _iso(expires),
                "permissions": {"issues": "write", "metadata": "read"},
                "repository_selection": "selected",
            }
            return 201, body, {}
        if len(parts) < 3 or parts[0] != "repos":
            return not_found
        repo = fake.repos.get(f"{parts[1]}/{parts[2]}".lower())
        if repo is None:
            return not_found
        rest = parts[3:]
        if not rest and method == "GET":
            return 200, fake.repo_json(repo), {}
        if rest == ["installation"] and method == "GET":
            if (
                repo.installation_id is None
                or fake.installations[repo.installation_id] != user.login
            ):
                return not_found
            return 200, self._installation_json(repo, user.login), {}
        if rest == ["labels"]:
            return self._repo_labels(method, path, query, payload, repo)
        if rest == ["issues"] and method == "GET":
            return self._list_issues(path, query, repo)
        if rest == ["issues", "comments"] and method == "GET":
            return self._list_comments(path, query, repo, None)
        if rest[:2] == ["issues", "comments"] and len(rest) == 3:
            comment = repo.comments.get(int(rest[2])) if rest[2].isdigit() else None
            if comment is None:
                return not_found
            if method == "PATCH":
                comment["body"] = (payload or {}).get("body", comment["body"])
                moment = fake.tick()
                comment["updated_at"] = _iso(moment)
                repo._bump(repo._number_of_comment(comment), moment)
            return 200, copy.deepcopy(comment), {}
        if len(rest) >= 2 and rest[0] == "issues" and rest[1].isdigit():
            number = int(rest[1])
            if number not in repo.issues:
                return not_found
            return self._issue_route(method, path, query, payload, repo, number, rest[2:], user)
        return not_found

    def _issue_route(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        payload: Any,
        repo: FakeRepo,
        number: int,
        rest: list[str],
        user: FakeUser,
    ) -> tuple[int, Any, dict[str, str]]:
        fake = self.fake
        not_found = (
            404,
            {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"},
            {},
        )
        if not rest and method == "GET":
            return 200, repo.issue_view(number), {}
        if rest == ["comments"]:
            if method == "POST":
                body = (payload or {}).get("body", "")
                association = "OWNER" if user.login == repo.owner.login else "NONE"
                if user.type != "Bot" and user.login != repo.owner.login:
                    association = "COLLABORATOR"
                comment_id = repo._create_comment(number, body, user.login, association, user.type)
                return 201, copy.deepcopy(repo.comments[comment_id]), {}
            return self._list_comments(path, query, repo, number)
        if rest == ["events"] and method == "GET":
            return self._page(path, query, copy.deepcopy(repo.events[number]))
        if rest == ["labels"]:
            issue = repo.issues[number]
            if method == "GET":
                return self._page(path, query, copy.deepcopy(issue["labels"]))
            if method in ("POST", "PUT"):
                names = payload.get("labels", []) if isinstance(payload, dict) else payload or []
                names = [n if isinstance(n, str) else n["name"] for n in names]
                fake.label_writes.append((method, repo.full_name, number, tuple(names)))
                if method == "PUT":
                    for existing in [lab["name"] for lab in issue["labels"]]:
                        if existing.lower() not in {n.lower() for n in names}:
                            repo._remove_label(number, existing, actor=user.login)
                for name in names:
                    repo._add_label(number, name, actor=user.login, actor_type=user.type)
                return 200, copy.deepcopy(issue["labels"]), {}
            if method == "DELETE":
                fake.label_writes.append(("DELETE", repo.full_name, number, ("*",)))
                for existing in [lab["name"] for lab in issue["labels"]]:
                    repo._remove_label(number, existing, actor=user.login)
                return 204, None, {}
        if rest[:1] == ["labels"] and len(rest) == 2 and method == "DELETE":
            name = urllib.parse.unquote(rest[1])
            fake.label_writes.append(("DELETE", repo.full_name, number, (name,)))
            if not repo._remove_label(number, name, actor=user.login, actor_type=user.type):
                return (
                    404,
                    {
                        "message": "Label does not exist",
                        "documentation_url": "https://docs.github.com/rest",
                    },
                    {},
                )
            return 200, copy.deepcopy(repo.issues[number]["labels"]), {}
        if rest == ["dependencies", "blocked_by"] and method == "GET":
            items = [repo.issue_view(n) for n in repo.blocked_by.get(number, [])]
            return self._page(path, query, items)
        if rest == ["dependencies", "blocking"] and method == "GET":
            items = [repo.issue_view(n) for n in repo.blocking.get(number, [])]
            return self._page(path, query, items)
        if rest == ["sub_issues"] and method == "GET":
            items = [repo.issue_view(n) for n in repo.sub_issues.get(number, [])]
            return self._page(path, query, items)
        return not_found

    def _repo_labels(
        self, method: str, path: str, query: dict[str, str], payload: Any, repo: FakeRepo
    ) -> tuple[int, Any, dict[str, str]]:
        if method == "GET":
            return self._page(path, query, [copy.deepcopy(v) for v in repo.labels.values()])
        if method == "POST":
            name = str(payload.get("name", ""))
            if not name or name.lower() in repo.labels:
                return (
                    422,
                    {
                        "message": "Validation Failed",
                        "errors": [
                            {"resource": "Label", "code": "already_exists", "field": "name"}
                        ],
                        "documentation_url": "https://docs.github.com/rest",
                    },
                    {},
                )
            label = repo._ensure_label(
                name, payload.get("color", "ededed"), payload.get("description")
            )
            self.fake.label_writes.append(("CREATE", repo.full_name, 0, (name,)))
            return 201, copy.deepcopy(label), {}
        return 404, {"message": "Not Found"}, {}

    def _list_issues(
        self, path: str, query: dict[str, str], repo: FakeRepo
    ) -> tuple[int, Any, dict[str, str]]:
        state = query.get("state", "open")
        items = [i for i in repo.issues.values() if state == "all" or i["state"] == state]
        if "since" in query:
            since = _parse_iso(query["since"])
            items = [i for i in items if _parse_iso(i["updated_at"]) >= since]
        sort = query.get("sort", "created")
        field_name = {"created": "created_at", "updated": "updated_at", "comments": "comments"}[
            sort
        ]
        descending = query.get("direction", "desc") == "desc"
        items.sort(key=lambda i: (i[field_name], i["number"]), reverse=descending)
        return self._page(path, query, items, lambda i: repo.issue_view(i["number"]))

    def _list_comments(
        self, path: str, query: dict[str, str], repo: FakeRepo, number: int | None
    ) -> tuple[int, Any, dict[str, str]]:
        items = list(repo.comments.values())
        if number is not None:
            url = f"{repo.api_url}/issues/{number}"
            items = [c for c in items if c["issue_url"] == url]
        if "since" in query:
            since = _parse_iso(query["since"])
            items = [c for c in items if _parse_iso(c["updated_at"]) >= since]
        if number is None:
            field_name = "updated_at" if query.get("sort", "created") == "updated" else "created_at"
            descending = query.get("direction", "desc") == "desc"
            items.sort(key=lambda c: (c[field_name], c["id"]), reverse=descending)
        else:
            items.sort(key=lambda c: c["id"])
        return self._page(path, query, items, copy.deepcopy)

    def _page(
        self,
        path: str,
        query: dict[str, str],
        items: list[Any],
        render: Callable[[Any], Any] | None = None,
    ) -> tuple[int, Any, dict[str, str]]:
        per_page = max(1, min(100, int(query.get("per_page", 30))))
        page = max(1, int(query.get("page", 1)))
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page : page * per_page]
        if render is not None:
            chunk = [render(item) for item in chunk]
        links = []

        def url(n: int) -> str:
            return f"{self.fake.base_url}{path}?{urllib.parse.urlencode({**query, 'page': n})}"

        if page > 1:
            links.append(f'<{url(page - 1)}>; rel="prev"')
        if page < last:
            links.append(f'<{url(page + 1)}>; rel="next"')
            links.append(f'<{url(last)}>; rel="last"')
        if page > 1:
            links.append(f'<{url(1)}>; rel="first"')
        return 200, chunk, ({"Link": ", ".join(links)} if links else {})

    def _installation_json(self, repo: FakeRepo, app_id: str) -> dict[str, Any]:
        assert repo.installation_id is not None
        slug = self.fake.apps[app_id][1]
        tokens_url = f"{self.fake.base_url}/app/installations/{repo.installation_id}/access_tokens"
        return {
            "id": repo.installation_id,
            "account": self.fake.user_json(repo.owner.login),
            "repository_selection": "selected",
            "access_tokens_url": tokens_url,
            "repositories_url": f"{self.fake.base_url}/installation/repositories",
            "html_url": f"https://github.com/settings/installations/{repo.installation_id}",
            "app_id": int(app_id),
            "app_slug": slug,
            "target_id": repo.owner.id,
            "target_type": "User",
            "permissions": {"issues": "write", "metadata": "read"},
            "events": ["issues", "issue_comment"],
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-01T00:00:00Z",
            "single_file_name": None,
            "suspended_by": None,
            "suspended_at": None,
        }


def shared_data_available() -> bool:
    return SPEC_PATH.exists()


__all__ = ["GITHUB_DATA", "FakeGitHub", "FakeRepo", "Fault", "shared_data_available"]
