"""Offline export files (`file:PATH`) read as tickets, and their errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from connectors.base import (
    OWN_COMMENT_MARKER,
    Connector,
    LabelSpec,
    Link,
    LinkKind,
    NotFoundError,
    TicketState,
    Trust,
    UnsupportedError,
)
from connectors.files import FileConnector, SourceFileError, load_tickets

SHARED_JIRA = Path(__file__).resolve().parents[4] / "shared" / "data" / "jira" / "examples"
EXAMPLE_BACKLOG = Path(__file__).resolve().parents[3] / "examples" / "backlog.json"


def gh_issue(number: int, **overrides: Any) -> dict[str, Any]:
    issue: dict[str, Any] = {
        "number": number,
        "title": f"Fix cart rounding {number}",
        "body": "Steps to reproduce ...",
        "labels": [],
        "state": "OPEN",
        "author": {"login": "mira", "is_bot": False, "name": "Mira"},
        "assignees": [],
        "createdAt": "2024-03-01T09:00:00Z",
        "updatedAt": "2024-03-02T10:00:00Z",
        "url": f"https://github.com/acme/storefront/issues/{number}",
        "comments": [],
    }
    issue.update(overrides)
    return issue


def jira_issue(key: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "summary": f"Summary of {key}",
        "description": "h3. Goal\n*Add* the export",
        "issuetype": {"name": "Story", "subtask": False},
        "status": {"name": "To Do", "statusCategory": {"key": "new"}},
        "labels": ["backend"],
        "reporter": {"displayName": "Mia Krystof", "accountId": "5b10"},
        "priority": {"name": "High"},
        "created": "2024-01-02T03:04:05.000+0000",
        "updated": "2024-01-03T03:04:05.000+0000",
    }
    base.update(fields)
    return {
        "id": "10002",
        "key": key,
        "self": "https://acme.atlassian.net/rest/api/2/issue/10002",
        "fields": base,
    }


def write(tmp_path: Path, content: Any, name: str = "export.json") -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


def write_lines(tmp_path: Path, values: list[Any], name: str = "export.jsonl") -> Path:
    return write(tmp_path, "\n".join(json.dumps(value) for value in values) + "\n", name)


def load_error(path: Path) -> str:
    with pytest.raises(SourceFileError) as caught:
        load_tickets(path)
    message = str(caught.value)
    assert "\n" not in message
    assert str(path) in message
    return message


# --- gh issue list --json -----------------------------------------------------------


def test_gh_array_maps_every_field(tmp_path: Path) -> None:
    issue = gh_issue(
        12,
        body="Cart total is off by one cent.",
        labels=[
            {"id": "LA_1", "name": "type: bug", "description": "", "color": "d73a4a"},
            {"id": "LA_2", "name": "priority: high", "description": "", "color": "ff0000"},
        ],
        assignees=[{"login": "dev1", "name": "Dev One"}, {"login": "dev2"}],
        comments=[
            {
                "id": "IC_1",
                "author": {"login": "lead"},
                "authorAssociation": "MEMBER",
                "body": "Confirmed on 2.3.1",
                "createdAt": "2024-03-01T12:00:00Z",
                "url": "https://github.com/acme/storefront/issues/12#issuecomment-1",
            },
            {
                "id": "IC_2",
                "author": {"login": "drive-by"},
                "authorAssociation": "NONE",
                "body": f"{OWN_COMMENT_MARKER}\nScore 80",
                "createdAt": "2024-03-01T13:00:00Z",
            },
        ],
    )
    path = write(tmp_path, [issue])
    [ticket] = load_tickets(path)
    assert ticket.source == f"file:{path}"
    assert ticket.key == "acme/storefront#12"
    assert ticket.url == "https://github.com/acme/storefront/issues/12"
    assert ticket.title == "Fix cart rounding 12"
    assert ticket.body == "Cart total is off by one cent."
    assert ticket.kind == "bug"
    assert ticket.priority == 2
    assert ticket.state is TicketState.OPEN
    assert ticket.labels == ("type: bug", "priority: high")
    assert ticket.author == "mira"
    assert ticket.author_trust is Trust.UNKNOWN
    assert ticket.assignees == ("dev1", "dev2")
    assert ticket.created_at == datetime(2024, 3, 1, 9, tzinfo=UTC)
    assert ticket.updated_at == datetime(2024, 3, 2, 10, tzinfo=UTC)
    assert ticket.links == ()
    first, second = ticket.comments
    assert (first.id, first.author, first.author_trust) == ("IC_1", "lead", Trust.TRUSTED)
    assert first.created_at == datetime(2024, 3, 1, 12, tzinfo=UTC)
    assert not first.is_own
    assert (second.author_trust, second.is_own) == (Trust.UNTRUSTED, True)


def test_gh_minimal_item_needs_only_number_and_title(tmp_path: Path) -> None:
    [ticket] = load_tickets(write(tmp_path, [{"number": 3, "title": "Add a robots.txt"}]))
    assert ticket.key == "#3"
    assert ticket.url is None
    assert (ticket.body, ticket.kind, ticket.state) == ("", "issue", TicketState.OPEN)
    assert ticket.created_at is None and ticket.updated_at is None


def test_gh_text_references_are_not_turned_into_links(tmp_path: Path) -> None:
    [ticket] = load_tickets(write(tmp_path, [gh_issue(5, body="Blocked by #4")]))
    assert ticket.links == ()
    assert ticket.body == "Blocked by #4"


@pytest.mark.parametrize(
    ("association", "trust"),
    [
        ("OWNER", Trust.TRUSTED),
        ("MEMBER", Trust.TRUSTED),
        ("COLLABORATOR", Trust.TRUSTED),
        ("CONTRIBUTOR", Trust.UNTRUSTED),
        ("NONE", Trust.UNTRUSTED),
    ],
)
def test_gh_author_association_sets_trust(tmp_path: Path, association: str, trust: Trust) -> None:
    path = write(tmp_path, [gh_issue(1, authorAssociation=association)])
    assert load_tickets(path)[0].author_trust is trust


def test_gh_closed_state(tmp_path: Path) -> None:
    path = write(tmp_path, [gh_issue(1, state="CLOSED")])
    assert load_tickets(path)[0].state is TicketState.CLOSED


def test_gh_jsonl_and_single_object(tmp_path: Path) -> None:
    lines = write_lines(tmp_path, [gh_issue(1), gh_issue(2)])
    assert [t.key for t in load_tickets(lines)] == ["acme/storefront#1", "acme/storefront#2"]
    single = write(tmp_path, gh_issue(7), "one.json")
    assert [t.key for t in load_tickets(single)] == ["acme/storefront#7"]


def test_format_is_detected_from_content_not_the_name(tmp_path: Path) -> None:
    path = write_lines(tmp_path, [gh_issue(1), gh_issue(2)], name="backlog.json")
    assert len(load_tickets(path)) == 2


def test_explicit_source_name(tmp_path: Path) -> None:
    path = write(tmp_path, [gh_issue(1)])
    assert load_tickets(path, "file:exports/x.json")[0].source == "file:exports/x.json"


# --- Jira ---------------------------------------------------------------------------


def test_jira_v2_search_response_with_wiki_markup(tmp_path: Path) -> None:
    issue = jira_issue(
        "SHOP-7",
        assignee={"displayName": "Dev One"},
        comment={
            "comments": [
                {
                    "id": "100",
                    "author": {"displayName": "Lead"},
                    "body": "Use {{Cart.total}}",
                    "created": "2024-01-04T00:00:00.000+0000",
                }
            ]
        },
    )
    path = write(tmp_path, {"startAt": 0, "total": 1, "issues": [issue]})
    [ticket] = load_tickets(path)
    assert ticket.key == "SHOP-7"
    assert ticket.url == "https://acme.atlassian.net/browse/SHOP-7"
    assert ticket.body == "### Goal\n**Add** the export"
    assert ticket.kind == "story"
    assert ticket.state is TicketState.OPEN
    assert ticket.labels == ("backend",)
    assert ticket.author == "Mia Krystof"
    assert ticket.author_trust is Trust.TRUSTED
    assert ticket.assignees == ("Dev One",)
    assert ticket.priority == 2
    assert ticket.created_at == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    [comment] = ticket.comments
    assert (comment.id, comment.body, comment.author) == ("100", "Use `Cart.total`", "Lead")
    assert comment.author_trust is Trust.TRUSTED


def test_jira_v3_search_response_with_adf(tmp_path: Path) -> None:
    adf = {
        "type": "doc",
        "version": 1,
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": "Main flow"}]}],
    }
    issue = jira_issue("SHOP-8", description=adf, comment={"comments": [{"id": "1", "body": adf}]})
    path = write(tmp_path, {"isLast": True, "issues": [issue]})
    [ticket] = load_tickets(path)
    assert ticket.body == "Main flow"
    assert ticket.comments[0].body == "Main flow"


def test_jira_done_status_category_is_closed(tmp_path: Path) -> None:
    status = {"name": "Shipped", "statusCategory": {"key": "done"}}
    path = write(tmp_path, {"issues": [jira_issue("A-1", status=status)]})
    assert load_tickets(path)[0].state is TicketState.CLOSED


def test_jira_links_subtasks_and_parent(tmp_path: Path) -> None:
    blocks = {"name": "Blocks", "inward": "is blocked by", "outward": "blocks"}
    relates = {"name": "Relates", "inward": "relates to", "outward": "relates to"}
    done = {"status": {"name": "Done", "statusCategory": {"key": "done"}}}
    todo = {"status": {"name": "To Do", "statusCategory": {"key": "new"}}}
    issue = jira_issue(
        "A-1",
        issuelinks=[
            {"type": blocks, "inwardIssue": {"key": "A-2", "fields": {"summary": "API", **todo}}},
            {"type": blocks, "inwardIssue": {"key": "A-3", "fields": done}},
            {"type": blocks, "outwardIssue": {"key": "A-4", "fields": todo}},
            {"type": relates, "outwardIssue": {"key": "A-5"}},
        ],
        subtasks=[{"key": "A-6", "fields": {"summary": "Write tests", **done}}],
        parent={"key": "A-0", "fields": {"summary": "Checkout epic", **todo}},
    )
    [ticket] = load_tickets(write(tmp_path, {"issues": [issue]}))
    assert ticket.links == (
        Link(LinkKind.BLOCKED_BY, "A-2", TicketState.OPEN, "API"),
        Link(LinkKind.BLOCKED_BY, "A-3", TicketState.CLOSED),
        Link(LinkKind.BLOCKS, "A-4", TicketState.OPEN),
        Link(LinkKind.RELATES, "A-5", None),
        Link(LinkKind.CHILD, "A-6", TicketState.CLOSED, "Write tests"),
        Link(LinkKind.PARENT, "A-0", TicketState.OPEN, "Checkout epic"),
    )


def test_jira_story_points_found_through_names(tmp_path: Path) -> None:
    response = {
        "names": {
            "customfield_10016": "Story point estimate",
            "customfield_1": "Actual Story Points",
        },
        "issues": [jira_issue("A-1", customfield_1=13, customfield_10016=3)],
    }
    assert load_tickets(write(tmp_path, response))[0].estimate == 3.0


def test_jira_story_points_unknown_field_stays_none(tmp_path: Path) -> None:
    path = write(tmp_path, {"issues": [jira_issue("A-1", customfield_10016=3)]})
    assert load_tickets(path)[0].estimate is None
    named = write(tmp_path, {"issues": [jira_issue("A-1", customfield_10016=3)]}, "b.json")
    assert load_tickets(named, story_points_field="customfield_10016")[0].estimate == 3.0


def test_jira_story_points_under_a_readable_field_name(tmp_path: Path) -> None:
    path = write(tmp_path, {"issues": [jira_issue("A-1", **{"Story Points": 5})]})
    assert load_tickets(path)[0].estimate == 5.0


def test_jira_jsonl_of_issues_and_of_responses_and_single_issue(tmp_path: Path) -> None:
    issues = write_lines(tmp_path, [jira_issue("A-1"), jira_issue("A-2")], "issues.jsonl")
    assert [t.key for t in load_tickets(issues)] == ["A-1", "A-2"]
    pages = write_lines(
        tmp_path, [{"issues": [jira_issue("A-1")]}, {"issues": [jira_issue("A-2")]}], "pages.jsonl"
    )
    assert [t.key for t in load_tickets(pages)] == ["A-1", "A-2"]
    single = write(tmp_path, jira_issue("A-9"), "single.json")
    assert [t.key for t in load_tickets(single)] == ["A-9"]


@pytest.mark.skipif(not SHARED_JIRA.is_dir(), reason="../shared/data/jira is absent")
def test_jira_real_search_example(tmp_path: Path) -> None:
    real = SHARED_JIRA / "searchAndReconsileIssuesUsingJql.200.response.json"
    # Atlassian's example issue has no summary: refused, naming the issue and field.
    message = load_error(real)
    assert "issues[0]" in message and "fields.summary" in message
    # With a summary (and a real timestamp) the rest of the real shape loads.
    response = json.loads(real.read_text())
    response["issues"][0]["fields"]["summary"] = "Order flow"
    response["issues"][0]["fields"]["updated"] = "2021-01-18T23:45:00.000+0000"
    [ticket] = load_tickets(write(tmp_path, response))
    assert (ticket.key, ticket.body) == ("ED-1", "Main order flow broken")
    assert ticket.url == "https://your-domain.atlassian.net/browse/ED-1"
    assert {(link.kind, link.target, link.state) for link in ticket.links} == {
        (LinkKind.BLOCKS, "PR-2", TicketState.OPEN),  # PR-2 "is depended by" this one
        (LinkKind.BLOCKED_BY, "PR-3", TicketState.OPEN),  # this one "depends on" PR-3
        (LinkKind.CHILD, "ED-2", TicketState.OPEN),
    }
    assert ticket.comments[0].body.startswith("Lorem ipsum")


# --- errors -------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    assert "no such file" in load_error(tmp_path / "absent.json")


def test_directory_is_unreadable(tmp_path: Path) -> None:
    assert "directory" in load_error(tmp_path)


def test_empty_file(tmp_path: Path) -> None:
    assert "empty" in load_error(write(tmp_path, "  \n"))


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'[{"number": 1, "title": "caf\xe9"}]')
    assert "UTF-8" in load_error(path)


def test_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    message = load_error(write(tmp_path, '[\n  {"number": 1,\n   "title" "x"}\n]'))
    assert "invalid JSON at line 3, column 12" in message


def test_invalid_jsonl_line_names_the_line(tmp_path: Path) -> None:
    text = json.dumps(gh_issue(1)) + "\n" + json.dumps(gh_issue(2)) + "\n{oops\n"
    message = load_error(write(tmp_path, text))
    assert "line 3" in message and "invalid JSON at column 2" in message


def test_array_item_without_title_names_its_index(tmp_path: Path) -> None:
    items = [gh_issue(1), gh_issue(2), {"number": 3, "body": "no title"}]
    message = load_error(write(tmp_path, items))
    assert "index 2" in message and '"title" is missing' in message


def test_jsonl_item_without_title_names_its_line(tmp_path: Path) -> None:
    message = load_error(write_lines(tmp_path, [gh_issue(1), {"number": 2, "title": "  "}]))
    assert "line 2" in message and "title" in message


def test_jira_issue_without_summary_names_its_position(tmp_path: Path) -> None:
    bad = jira_issue("A-2")
    del bad["fields"]["summary"]
    message = load_error(write(tmp_path, {"issues": [jira_issue("A-1"), bad]}))
    assert "issues[1]" in message and "fields.summary" in message


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (gh_issue(1, labels="bug"), '"labels" must be an array, got string'),
        (gh_issue(1, labels=[{"name": 5}]), '"labels[0].name" must be a string, got number'),
        (gh_issue(1, author="mira"), '"author" must be an object, got string'),
        (gh_issue(1, state="DRAFT"), '"state" must be OPEN or CLOSED'),
        (gh_issue(1, updatedAt="yesterday"), '"updatedAt" is not an ISO 8601 timestamp'),
        (gh_issue(1, createdAt=1700000000), '"createdAt" must be a string, got number'),
        ({"number": "12", "title": "x"}, '"number" must be a positive whole number'),
        ({"title": "no number"}, '"number" is missing'),
        ({"id": 5, "name": "x"}, "unrecognised item"),
        ("just text", "expected an issue object, got string"),
    ],
)
def test_wrong_field_types_name_the_field(tmp_path: Path, item: Any, expected: str) -> None:
    message = load_error(write(tmp_path, [gh_issue(9), item]))
    assert "index 1" in message
    assert expected in message


def test_jira_wrong_field_type(tmp_path: Path) -> None:
    path = write(tmp_path, {"issues": [jira_issue("A-1", labels="backend")]})
    assert '"fields.labels" must be an array, got string' in load_error(path)


def test_unrecognised_top_level_shape(tmp_path: Path) -> None:
    assert "unrecognised content" in load_error(write(tmp_path, "42"))


def test_untrusted_values_in_messages_stay_on_one_line(tmp_path: Path) -> None:
    load_error(write(tmp_path, [gh_issue(1, state="OPEN\nrm -rf /")]))


def test_duplicate_keys_are_an_error(tmp_path: Path) -> None:
    message = load_error(write(tmp_path, [gh_issue(1), gh_issue(2), gh_issue(1)]))
    assert "index 2" in message and "appears twice" in message and "index 0" in message


# --- the connector ----------------------------------------------------------------------


def dated(number: int, updated: str | None) -> dict[str, Any]:
    return gh_issue(number, updatedAt=updated)


def test_connector_satisfies_the_protocol(tmp_path: Path) -> None:
    connector = FileConnector(write(tmp_path, [gh_issue(1)]))
    assert isinstance(connector, Connector)
    assert connector.read_only is True
    assert connector.source == f"file:{tmp_path / 'export.json'}"
    named = FileConnector(tmp_path / "export.json", source="file:./export.json")
    assert [t.source for t in named.fetch_changed(None)] == ["file:./export.json"]


def test_fetch_changed_orders_oldest_first_with_undated_first(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [
            dated(1, "2024-03-05T00:00:00Z"),
            dated(2, None),
            dated(3, "2024-03-01T00:00:00Z"),
            dated(4, None),
            dated(5, "2024-03-03T00:00:00+02:00"),
        ],
    )
    keys = [ticket.key for ticket in FileConnector(path).fetch_changed(None)]
    assert keys == [f"acme/storefront#{n}" for n in (2, 4, 3, 5, 1)]


def test_fetch_changed_since_keeps_changes_at_or_after_it(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [
            dated(1, "2024-03-05T00:00:00Z"),
            dated(2, None),
            dated(3, "2024-03-01T00:00:00Z"),
            dated(4, "2024-03-03T00:00:00Z"),
        ],
    )
    since = datetime(2024, 3, 3, tzinfo=UTC)
    keys = [ticket.key for ticket in FileConnector(path).fetch_changed(since)]
    assert keys == ["acme/storefront#2", "acme/storefront#4", "acme/storefront#1"]


def test_fetch_changed_rereads_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, [gh_issue(1)])
    connector = FileConnector(path)
    assert len(list(connector.fetch_changed(None))) == 1
    write(tmp_path, [gh_issue(1), gh_issue(2)])
    assert len(list(connector.fetch_changed(None))) == 2


@pytest.mark.parametrize("key", ["12", "#12", "acme/storefront#12", " #12 "])
def test_fetch_one_accepts_number_hash_or_full_key(tmp_path: Path, key: str) -> None:
    connector = FileConnector(write(tmp_path, [gh_issue(1), gh_issue(12), gh_issue(120)]))
    assert connector.fetch_one(key).key == "acme/storefront#12"


def test_fetch_one_jira_key(tmp_path: Path) -> None:
    connector = FileConnector(write(tmp_path, {"issues": [jira_issue("SHOP-7")]}))
    assert connector.fetch_one("shop-7").key == "SHOP-7"


def test_fetch_one_absent_is_not_found(tmp_path: Path) -> None:
    connector = FileConnector(write(tmp_path, [gh_issue(1)]))
    with pytest.raises(NotFoundError):
        connector.fetch_one("#2")


def test_writes_are_unsupported_and_webhooks_ignored(tmp_path: Path) -> None:
    connector = FileConnector(write(tmp_path, [gh_issue(1)]))
    with pytest.raises(UnsupportedError, match="read-only"):
        connector.apply_labels("#1", ["ai:ready"], [])
    with pytest.raises(UnsupportedError, match="read-only"):
        connector.upsert_comment("#1", "hello")
    with pytest.raises(UnsupportedError, match="read-only"):
        connector.ensure_labels([LabelSpec("ai:ready")])
    assert connector.verify_webhook({}, b"{}") is False
    assert connector.parse_webhook({}, b"{}") is None


# --- the shipped example ----------------------------------------------------------------


def test_example_backlog_loads() -> None:
    tickets = load_tickets(EXAMPLE_BACKLOG)
    assert len(tickets) >= 20
    assert all(ticket.key.startswith("acme/storefront#") for ticket in tickets)
    assert any(ticket.author_trust is Trust.UNTRUSTED for ticket in tickets)
