"""GitHub webhook deliveries: is it signed by us, and what does it say.

GitHub signs a delivery in `X-Hub-Signature-256` with the `sha256=<hex>` scheme
of `connectors.signing`. `parse` is a pure function of the delivery and of the
repository it is for: it makes no request.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from connectors.base import WebhookEvent
from connectors.github import mapping
from connectors.headers import header
from connectors.signing import verify as signature_matches

__all__ = ["LINK_EVENTS", "SIGNATURE_HEADER", "parse", "verify"]

SIGNATURE_HEADER = "X-Hub-Signature-256"

LINK_EVENTS = {
    # event: (the issue of `repository` by action prefix, the payload's two issues)
    "issue_dependencies": {"blocked_by_": "blocked_issue", "blocking_": "blocking_issue"},
    "sub_issues": {"sub_issue_": "parent_issue", "parent_issue_": "sub_issue"},
}
"""Deliveries about a link between two issues (a dependency, a sub-issue): by
the start of their action, which of the payload's issues is the one in the
delivery's `repository` (the other may be in another repository)."""


def verify(secret: str, headers: Mapping[str, str], body: bytes) -> bool:
    """Whether `X-Hub-Signature-256` signs `body` under `secret`."""
    return signature_matches(secret, body, header(headers, SIGNATURE_HEADER))


def parse(
    headers: Mapping[str, str],
    body: bytes,
    *,
    repo: str,
    source: str,
    approval_label: str,
) -> WebhookEvent | None:
    """`issues.*` and `issue_comment.*` of repository `repo`, and the link events
    (`LINK_EVENTS`, see `_link_event`); None for anything else.

    The ticket is built from the payload, without a fetch, only when the
    payload is the whole ticket: an issue with no comments, no open blockers
    or sub-issues, and no approval label to verify (or the delivery is the
    approval label being added, whose sender is the actor). Otherwise the
    event carries the key and the worker calls `fetch_one`. `issue_comment.*`
    always carries the key alone (the other comments are not in it).
    """
    event = header(headers, "X-GitHub-Event") or ""
    if event not in ("issues", "issue_comment", *LINK_EVENTS):
        return None
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    if not isinstance(payload, dict):
        return None
    if event in LINK_EVENTS:
        return _link_event(headers, event, payload, repo=repo)
    issue = payload.get("issue")
    repository = payload.get("repository") or {}
    if not isinstance(issue, dict) or "number" not in issue:
        return None
    if str(repository.get("full_name", "")).lower() != repo.lower():
        return None
    if issue.get("pull_request"):
        return None
    action = str(payload.get("action") or "")
    delivery = header(headers, "X-GitHub-Delivery") or ""
    key = mapping.issue_key(repo, int(issue["number"]))
    if event == "issues" and action in ("deleted", "transferred"):
        return WebhookEvent(delivery, event, action, key=key, deleted=True)
    if event == "issue_comment":
        return WebhookEvent(delivery, event, action, key=key)
    info = mapping.RepositoryInfo(
        full_name=repo,
        owner=mapping.login(repository.get("owner")) or repo.split("/")[0],
        private=bool(repository.get("private")),
    )
    approved = False
    if mapping.has_label(issue, approval_label):
        label = payload.get("label") or {}
        if action != "labeled" or not mapping.same_label(label.get("name"), approval_label):
            return WebhookEvent(delivery, event, action, key=key)
        approved = mapping.actor_trusted(
            payload.get("sender"),
            via_app=False,
            association=None,
            issue_author=mapping.login(issue.get("user")),
            author_trust=mapping.author_trust(issue.get("author_association"), lambda: info),
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
    ticket = mapping.ticket(
        issue, repo=repo, source=source, approved=approved, repository=lambda: info
    )
    return WebhookEvent(delivery, event, action, key=key, ticket=ticket)


def _link_event(
    headers: Mapping[str, str], event: str, payload: dict[str, Any], *, repo: str
) -> WebhookEvent | None:
    """An `issue_dependencies.*` or `sub_issues.*` delivery of repository `repo`:
    the issues of `repo` at either end of the link, the one of the delivery's
    repository as `key` and the other in `related`, each to be fetched (the
    payload's issues do not carry the other links or the comments). None when
    neither end is an issue of `repo`."""
    repository = payload.get("repository") or {}
    if str(repository.get("full_name", "")).lower() != repo.lower():
        return None
    action = str(payload.get("action") or "")
    roles = LINK_EVENTS[event]
    first = next((role for start, role in roles.items() if action.startswith(start)), None)
    order = sorted(roles.values(), key=lambda role: role != first)
    keys: list[str] = []
    for role in order:
        issue = payload.get(role)
        if not isinstance(issue, dict) or issue.get("pull_request"):
            continue
        number = issue["number"]
        if isinstance(number, bool) or not isinstance(number, int):
            raise TypeError(f"{role}.number is not a number")
        home = repository if role == first else _repository_of(payload, role, issue)
        if str(home.get("full_name", "")).lower() == repo.lower():
            key = mapping.issue_key(repo, number)
            if key not in keys:
                keys.append(key)
    if not keys:
        return None
    delivery = header(headers, "X-GitHub-Delivery") or ""
    return WebhookEvent(delivery, event, action, key=keys[0], related=tuple(keys[1:]))


def _repository_of(
    payload: Mapping[str, Any], role: str, issue: Mapping[str, Any]
) -> Mapping[str, Any]:
    """The repository of the link's other issue: the payload's `<role>_repo`, else
    the one its `repository_url` names (`.../repos/owner/name`)."""
    given = payload.get(f"{role}_repo")
    if isinstance(given, dict) and given.get("full_name"):
        return given
    url = str(issue.get("repository_url") or "")
    _, found, rest = url.rpartition("/repos/")
    return {"full_name": rest} if found and rest.count("/") == 1 else {}
