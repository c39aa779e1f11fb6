"""`issue_dependencies` and `sub_issues` deliveries, built by the fake GitHub in the
shapes of ../shared/data/github/openapi-subset.json, parsed into the issues at
both ends of the link that are in the connector's repository."""

from __future__ import annotations

import json
from typing import Any

import pytest
from openapi_schema_validator import OAS30Validator

from connectors.github import GitHubConnector
from tests.fakes.github import FakeGitHub

REPO = "octo/app"
SECRET = "whsec-known"

DEPENDENCIES = ("blocked_by_added", "blocked_by_removed", "blocking_added", "blocking_removed")
SUB_ISSUES = ("sub_issue_added", "sub_issue_removed", "parent_issue_added", "parent_issue_removed")


def _schema_errors(github: FakeGitHub, name: str, payload: dict[str, Any]) -> list[str]:
    spec = github.responses.spec
    schema = {**spec["components"]["schemas"][name], "components": spec["components"]}
    return [error.message for error in OAS30Validator(schema).iter_errors(payload)]


def _parse(event: str, payload: dict[str, Any], repo: str = REPO) -> Any:
    connector = GitHubConnector(repo, token="t", webhook_secret=SECRET)
    headers = {"X-GitHub-Event": event, "X-GitHub-Delivery": "d-1"}
    return connector.parse_webhook(headers, json.dumps(payload).encode())


@pytest.mark.parametrize("action", DEPENDENCIES)
def test_a_dependency_delivery_names_the_blocked_issue_and_its_blocker(
    github: FakeGitHub, action: str
) -> None:
    repo = github.add_repo(REPO)
    blocked, blocking = repo.add_issue("blocked"), repo.add_issue("blocker")
    repo.add_blocked_by(blocked, blocking)
    payload = repo.dependency_payload(action, blocked=blocked, blocking=blocking)
    assert (
        _schema_errors(github, "webhook-issue-dependencies-" + action.replace("_", "-"), payload)
        == []
    )

    event = _parse("issue_dependencies", payload)

    assert event is not None
    assert (event.event, event.action, event.delivery_id) == ("issue_dependencies", action, "d-1")
    assert event.ticket is None and not event.deleted  # the worker fetches both
    first, second = (blocked, blocking) if action.startswith("blocked_by_") else (blocking, blocked)
    assert (event.key, event.related) == (f"{REPO}#{first}", (f"{REPO}#{second}",))


@pytest.mark.parametrize("action", SUB_ISSUES)
def test_a_sub_issue_delivery_names_the_parent_and_the_child(
    github: FakeGitHub, action: str
) -> None:
    repo = github.add_repo(REPO)
    parent, child = repo.add_issue("umbrella"), repo.add_issue("part")
    repo.add_sub_issue(parent, child)
    payload = repo.sub_issue_payload(action, parent=parent, child=child)
    assert _schema_errors(github, "webhook-sub-issues-" + action.replace("_", "-"), payload) == []

    event = _parse("sub_issues", payload)

    assert event is not None
    assert (event.event, event.action) == ("sub_issues", action)
    first, second = (parent, child) if action.startswith("sub_issue_") else (child, parent)
    assert (event.key, event.related) == (f"{REPO}#{first}", (f"{REPO}#{second}",))


def test_the_end_of_a_link_in_another_repository_is_left_out(github: FakeGitHub) -> None:
    repo = github.add_repo(REPO)
    blocked, blocking = repo.add_issue("blocked"), repo.add_issue("blocker")
    payload = repo.dependency_payload("blocked_by_added", blocked=blocked, blocking=blocking)
    payload["blocking_issue_repo"] = {**payload["blocking_issue_repo"], "full_name": "octo/other"}

    event = _parse("issue_dependencies", payload)

    assert event is not None
    assert (event.key, event.related) == (f"{REPO}#{blocked}", ())

    # without `blocking_issue_repo`, the issue's own repository_url tells
    del payload["blocking_issue_repo"]
    payload["blocking_issue"]["repository_url"] = "https://api.github.com/repos/octo/other"
    event = _parse("issue_dependencies", payload)
    assert event is not None and event.related == ()
    payload["blocking_issue"]["repository_url"] = repo.api_url
    event = _parse("issue_dependencies", payload)
    assert event is not None and event.related == (f"{REPO}#{blocking}",)


def test_a_link_delivery_of_another_repository_is_not_parsed(github: FakeGitHub) -> None:
    repo = github.add_repo(REPO)
    parent, child = repo.add_issue("umbrella"), repo.add_issue("part")
    payload = repo.sub_issue_payload("sub_issue_added", parent=parent, child=child)
    assert _parse("sub_issues", payload, repo="someone/else") is None


def test_a_link_delivery_with_a_number_that_is_not_one_is_refused(github: FakeGitHub) -> None:
    repo = github.add_repo(REPO)
    blocked, blocking = repo.add_issue("blocked"), repo.add_issue("blocker")
    payload = repo.dependency_payload("blocked_by_added", blocked=blocked, blocking=blocking)
    payload["blocked_issue"]["number"] = "<script>"
    with pytest.raises(TypeError):
        _parse("issue_dependencies", payload)
