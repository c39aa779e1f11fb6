"""One Jira mapping: the live connector and the export reader read an issue alike.

Each case goes through both real entry points, `JiraConnector.ticket_from_issue`
(an API answer or a webhook payload, no request) and `load_tickets` (an export
file), and they must agree; before there was one mapping they did not (a status
without a category was open to the connector and closed to the export reader).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from connectors.base import Link, LinkKind, Ticket, TicketState
from connectors.files import load_tickets
from connectors.jira import JiraConnector
from connectors.jira.mapping import (
    IssueContext,
    epic_link_fields,
    state,
    story_points_fields,
    ticket,
)


def issue(key: str = "SHOP-1", **fields: Any) -> dict[str, Any]:
    return {"key": key, "fields": {"summary": f"Summary of {key}", **fields}}


def both(tmp_path: Path, raw: dict[str, Any], **options: Any) -> tuple[Ticket, Ticket]:
    """The ticket the connector makes of `raw`, and the one an export of it makes."""
    connector = JiraConnector("https://jira.example", project="SHOP", token="pat", **options)
    live = connector.ticket_from_issue(raw)
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"issues": [raw]}))
    [exported] = load_tickets(path, story_points_field=options.get("story_points_field"))
    return live, exported


def same(live: Ticket, exported: Ticket) -> None:
    """Equal but for where the ticket came from (source, browse URL)."""
    assert (live.state, live.links, live.estimate, live.kind, live.priority) == (
        exported.state,
        exported.links,
        exported.estimate,
        exported.kind,
        exported.priority,
    )


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ({"name": "Closed"}, TicketState.CLOSED),  # no category: the name decides
        ({"name": "Resolved"}, TicketState.CLOSED),
        ({"name": "In Progress"}, TicketState.OPEN),
        ({"name": "Shipped", "statusCategory": {"key": "done"}}, TicketState.CLOSED),
        ({"name": "Closed", "statusCategory": {"key": "indeterminate"}}, TicketState.OPEN),
    ],
)
def test_a_status_reads_the_same_live_and_exported(
    tmp_path: Path, status: dict[str, Any], expected: TicketState
) -> None:
    live, exported = both(tmp_path, issue(status=status))
    assert live.state is exported.state is expected


def test_a_status_that_says_nothing_known_is_unknown_and_the_ticket_open() -> None:
    assert state({"name": "Waiting for vendor"}) is None
    assert state(None) is None
    assert ticket(issue(status={"name": "Waiting"}), IssueContext("x")).state is TicketState.OPEN


def test_a_linked_issues_status_without_category_is_read_by_name(tmp_path: Path) -> None:
    blocks = {"name": "Blocks", "inward": "is blocked by", "outward": "blocks"}
    done = {"key": "SHOP-2", "fields": {"summary": "API", "status": {"name": "Done"}}}
    live, exported = both(tmp_path, issue(issuelinks=[{"type": blocks, "inwardIssue": done}]))
    same(live, exported)
    assert live.links == (Link(LinkKind.BLOCKED_BY, "SHOP-2", TicketState.CLOSED, "API"),)


@pytest.mark.parametrize(
    ("link_type", "side", "expected"),
    [
        # phrases the connector knew and the export reader did not
        ({"name": "Needs", "inward": "requires", "outward": "is required for"}, "out", "blocks"),
        ({"name": "Gate", "inward": "is a precondition for", "outward": "x"}, "in", "blocks"),
        # phrases the export reader knew and the connector did not
        (
            {
                "name": "Gantt End to Start",
                "inward": "linked one can't start until this issue is done",
                "outward": "can't start until the linked issue is done",
            },
            "out",
            "blocked_by",
        ),
        (
            {"name": "Hierarchy", "inward": "is parent of", "outward": "is a child of"},
            "out",
            "parent",
        ),
        # a blocker type whose phrases say nothing known: the outward side blocks
        (
            {"name": "Dependency", "inward": "dependency", "outward": "dependency"},
            "in",
            "blocked_by",
        ),
        ({"name": "Dependency", "inward": "dependency", "outward": "dependency"}, "out", "blocks"),
        ({"name": "Relates", "inward": "relates to", "outward": "relates to"}, "in", "relates"),
    ],
)
def test_link_phrases_read_the_same_live_and_exported(
    tmp_path: Path, link_type: dict[str, str], side: str, expected: str
) -> None:
    other = {"key": "SHOP-2", "fields": {"summary": "Other"}}
    link = {"type": link_type, "inwardIssue" if side == "in" else "outwardIssue": other}
    live, exported = both(tmp_path, issue(issuelinks=[link]))
    same(live, exported)
    assert [link.kind for link in live.links] == [LinkKind(expected)]


def test_sub_tasks_parent_and_the_older_sub_tasks_variant(tmp_path: Path) -> None:
    done = {"status": {"name": "Done", "statusCategory": {"key": "done"}}}
    raw = issue(
        subtasks=[{"key": "SHOP-3", "fields": {"summary": "Tests", **done}}],
        parent={"key": "SHOP-0", "fields": {"summary": "Epic"}},
        **{"sub-tasks": [{"outwardIssue": {"key": "SHOP-4"}}]},
    )
    live, exported = both(tmp_path, raw)
    same(live, exported)
    assert live.links == (
        Link(LinkKind.CHILD, "SHOP-3", TicketState.CLOSED, "Tests"),
        Link(LinkKind.CHILD, "SHOP-4"),
        Link(LinkKind.PARENT, "SHOP-0", None, "Epic"),
    )


def test_story_points_by_configured_field_live_and_exported(tmp_path: Path) -> None:
    live, exported = both(
        tmp_path,
        issue(customfield_10016=5, customfield_2=8),
        story_points_field="customfield_10016",
    )
    assert live.estimate == exported.estimate == 5.0


def test_story_points_fields_by_name_best_first() -> None:
    names = {
        "customfield_1": "Story point estimate",
        "customfield_2": "Original story points",
        "customfield_3": "Story Points",
        "customfield_4": "story_points",
    }
    assert story_points_fields(names) == ("customfield_3", "customfield_1", "customfield_4")


def test_epic_link_field_by_name_is_the_parent(tmp_path: Path) -> None:
    names = {"customfield_10008": "Epic Link", "customfield_10009": "Epic Name"}
    assert epic_link_fields(names) == ("customfield_10008",)
    raw = issue(customfield_10008="SHOP-100")
    context = IssueContext("jira:SHOP", epic_fields=epic_link_fields(names))
    assert ticket(raw, context).links == (Link(LinkKind.PARENT, "SHOP-100"),)
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"names": names, "issues": [raw]}))
    assert load_tickets(path)[0].links == (Link(LinkKind.PARENT, "SHOP-100"),)


def test_our_wiki_comment_in_an_export_is_ours(tmp_path: Path) -> None:
    ours = {"id": "1", "body": "Ready.\n\n~backlog-sync:readiness~", "author": {"name": "bot"}}
    theirs = {"id": "2", "body": "Looks good", "author": {"name": "mia"}}
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"issues": [issue(comment={"comments": [ours, theirs]})]}))
    assert [c.is_own for c in load_tickets(path)[0].comments] == [True, False]
