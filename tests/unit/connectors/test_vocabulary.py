"""Kind and priority: the same tracker words give the same values on every source."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from connectors.base import Ticket
from connectors.files import load_tickets
from connectors.github import GitHubConnector
from connectors.jira import JiraConnector
from connectors.vocabulary import (
    KINDS,
    kind_from_labels,
    kind_from_type,
    priority_from_labels,
    priority_from_name,
)

# --- each tracker's ticket, built from its own payload (no network) ------------------


def jira_api_ticket(issuetype: dict[str, Any], priority: str | None) -> Ticket:
    connector = JiraConnector("https://jira.example", project="SHOP", token="pat")
    fields: dict[str, Any] = {"summary": "Fix the cart", "issuetype": issuetype}
    if priority is not None:
        fields["priority"] = {"name": priority}
    return connector.ticket_from_issue({"key": "SHOP-1", "fields": fields})


def jira_export_ticket(tmp_path: Path, issuetype: dict[str, Any], priority: str | None) -> Ticket:
    fields: dict[str, Any] = {"summary": "Fix the cart", "issuetype": issuetype}
    if priority is not None:
        fields["priority"] = {"name": priority}
    path = tmp_path / "jira.json"
    path.write_text(json.dumps({"issues": [{"key": "SHOP-1", "fields": fields}]}))
    [ticket] = load_tickets(path)
    return ticket


def github_ticket(labels: list[str], issue_type: str | None = None) -> Ticket:
    """The ticket GitHub's `issues.opened` webhook carries whole (no fetch)."""
    connector = GitHubConnector("octo/app", token="ghp_test")
    issue: dict[str, Any] = {
        "number": 1,
        "title": "Fix the cart",
        "body": "",
        "state": "open",
        "labels": [{"name": name} for name in labels],
        "user": {"login": "mira", "type": "User"},
        "author_association": "MEMBER",
        "comments": 0,
    }
    if issue_type is not None:
        issue["type"] = {"name": issue_type}
    payload = {
        "action": "opened",
        "issue": issue,
        "repository": {"full_name": "octo/app", "private": False, "owner": {"login": "octo"}},
    }
    event = connector.parse_webhook({"X-GitHub-Event": "issues"}, json.dumps(payload).encode())
    assert event is not None and event.ticket is not None
    return event.ticket


def gh_export_ticket(tmp_path: Path, labels: list[str]) -> Ticket:
    path = tmp_path / "gh.json"
    item = {"number": 1, "title": "Fix the cart", "labels": [{"name": name} for name in labels]}
    path.write_text(json.dumps([item]))
    [ticket] = load_tickets(path)
    return ticket


JiraSource = Callable[[Path, dict[str, Any], str | None], Ticket]
LabelSource = Callable[[Path, list[str]], Ticket]

JIRA_SOURCES: dict[str, JiraSource] = {
    "jira api": lambda _tmp, issuetype, priority: jira_api_ticket(issuetype, priority),
    "jira export": jira_export_ticket,
}
LABEL_SOURCES: dict[str, LabelSource] = {
    "github api": lambda _tmp, labels: github_ticket(labels),
    "gh export": gh_export_ticket,
}


# --- priority -----------------------------------------------------------------------


@pytest.mark.parametrize("source", sorted(JIRA_SOURCES))
@pytest.mark.parametrize(
    ("name", "priority"),
    [
        ("Highest", 1),
        ("High", 2),
        ("Medium", 3),
        ("Low", 4),
        ("Lowest", 5),
        ("Blocker", 1),
        ("Critical", 2),
        ("Major", 3),
        ("Minor", 4),
        ("Trivial", 5),
        ("  medium ", 3),
        ("Whenever", None),
        (None, None),
    ],
)
def test_jira_priority_names(
    tmp_path: Path, source: str, name: str | None, priority: int | None
) -> None:
    ticket = JIRA_SOURCES[source](tmp_path, {"name": "Task"}, name)
    assert ticket.priority == priority


@pytest.mark.parametrize("source", sorted(LABEL_SOURCES))
@pytest.mark.parametrize(
    ("labels", "priority"),
    [
        (["priority: high"], 2),
        (["Priority: Highest"], 1),
        (["priority/critical"], 2),
        (["prio-low"], 4),
        (["priority_lowest"], 5),
        (["priority: urgent"], 1),
        (["priority: normal"], 3),
        (["P0"], 1),
        (["P1"], 2),
        (["p2"], 3),
        (["P3"], 4),
        (["P4"], 5),
        (["priority: P1"], 2),
        (["P3", "priority: high"], 2),
        (["high"], None),
        (["P5"], None),
        (["bug"], None),
        ([], None),
    ],
)
def test_github_priority_labels(
    tmp_path: Path, source: str, labels: list[str], priority: int | None
) -> None:
    assert LABEL_SOURCES[source](tmp_path, labels).priority == priority


def test_the_same_word_is_the_same_priority_on_every_tracker(tmp_path: Path) -> None:
    for word in ("Highest", "High", "Critical", "Medium", "Major", "Low", "Minor", "Trivial"):
        values = {
            jira_api_ticket({"name": "Task"}, word).priority,
            jira_export_ticket(tmp_path, {"name": "Task"}, word).priority,
            github_ticket([f"priority: {word}"]).priority,
            gh_export_ticket(tmp_path, [f"priority: {word.lower()}"]).priority,
        }
        assert len(values) == 1 and None not in values, word


# --- kind ---------------------------------------------------------------------------


@pytest.mark.parametrize("source", sorted(JIRA_SOURCES))
@pytest.mark.parametrize(
    ("issuetype", "kind"),
    [
        ({"name": "Bug"}, "bug"),
        ({"name": "Story"}, "story"),
        ({"name": "Task"}, "task"),
        ({"name": "Epic"}, "epic"),
        ({"name": "Initiative"}, "initiative"),
        ({"name": "New Feature"}, "feature"),
        ({"name": "Improvement"}, "feature"),
        ({"name": "Sub-task", "subtask": True}, "subtask"),
        ({"name": "Subtarefa", "subtask": True}, "subtask"),
        ({"name": "Bug Sub-task", "subtask": True}, "subtask"),
        ({"name": "Technical  Debt"}, "technical debt"),
        ({}, "issue"),
    ],
)
def test_jira_issue_types(
    tmp_path: Path, source: str, issuetype: dict[str, Any], kind: str
) -> None:
    assert JIRA_SOURCES[source](tmp_path, issuetype, None).kind == kind


@pytest.mark.parametrize("source", sorted(LABEL_SOURCES))
@pytest.mark.parametrize(
    ("labels", "kind"),
    [
        (["bug"], "bug"),
        (["Defect"], "bug"),
        (["enhancement"], "feature"),
        (["feature-request"], "feature"),
        (["type: epic"], "epic"),
        (["kind/feature"], "feature"),
        (["Type: Bug"], "bug"),
        (["tracking issue"], "epic"),
        (["chore"], "task"),
        (["user story"], "story"),
        (["bug", "enhancement"], "bug"),
        (["enhancement", "Epic"], "epic"),
        (["documentation"], "issue"),
        ([], "issue"),
    ],
)
def test_github_kind_labels(tmp_path: Path, source: str, labels: list[str], kind: str) -> None:
    assert LABEL_SOURCES[source](tmp_path, labels).kind == kind


def test_github_issue_type_comes_before_labels() -> None:
    assert github_ticket(["bug"], issue_type="Feature").kind == "feature"
    assert github_ticket(["bug"], issue_type="Spike").kind == "spike"


def test_every_known_word_is_one_of_the_kinds() -> None:
    words = ["bug", "enhancement", "epic", "initiative", "chore", "user story", "sub-task"]
    assert {kind_from_type(word) for word in words} <= set(KINDS)
    assert {kind_from_labels([word]) for word in words} <= set(KINDS)


def test_functions_agree_on_a_label_and_a_name() -> None:
    assert priority_from_labels(["priority: minor"]) == priority_from_name("Minor") == 4
    assert kind_from_labels(["type: story"]) == kind_from_type("Story") == "story"
