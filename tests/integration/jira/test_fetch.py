"""Reading Jira through the connector: both deployment types, incremental fetch,
links, story points and text conversion, against the fake over HTTP."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from connectors.base import LinkKind, TicketState
from connectors.jira import JiraConnector
from tests.fakes.jira import FakeJira, iter_storypoints_rows
from tests.fakes.openapi import SHARED_DATA

Connect = Callable[..., JiraConnector]
T0 = datetime(2024, 1, 15, 10, 0, 5, tzinfo=UTC)


def test_full_fetch_pages_through_the_search_api_of_each_deployment(
    jira: FakeJira, connect: Connect
) -> None:
    for n in range(1, 251):
        jira.add_issue(f"Issue {n}", updated=T0 + timedelta(seconds=n))

    tickets = list(connect(jira).fetch_changed(None))

    assert [t.key for t in tickets] == [f"PROJ-{n}" for n in range(1, 251)]
    if jira.deployment == "Cloud":  # new search API, nextPageToken
        assert jira.requests["GET /rest/api/2/search/jql"] == 3
        assert jira.requests["GET /rest/api/2/search"] == 0
    else:  # Server/DC: startAt and total
        assert jira.requests["GET /rest/api/2/search"] == 3
        assert jira.requests["GET /rest/api/2/search/jql"] == 0
    # serverInfo once; no /myself (no cursor, no marked comment) and no /field: the
    # story points field is found in the first page's `names`
    assert jira.total_requests == 3 + 1
    assert jira.requests["GET /rest/api/2/field"] == 0


def test_long_queries_are_posted(cloud: FakeJira, connect: Connect) -> None:
    cloud.add_issue("Only one", updated=T0)
    long_jql = "project = PROJ AND " + " AND ".join(f"labels != unused{n}" for n in range(80))

    tickets = list(connect(cloud, jql=long_jql).fetch_changed(None))

    assert [t.key for t in tickets] == ["PROJ-1"]
    assert cloud.requests["POST /rest/api/2/search/jql"] == 1


def test_incremental_fetch_uses_the_account_time_zone_and_loses_nothing_in_the_minute(
    cloud: FakeJira, connect: Connect
) -> None:
    # account in New York (UTC-5 in January); the cursor is 10:01:10 UTC
    cursor = datetime(2024, 1, 15, 10, 1, 10, tzinfo=UTC)
    cloud.add_issue("before the overlap", updated=cursor - timedelta(minutes=3))
    cloud.add_issue("in the overlap, before the cursor", updated=cursor - timedelta(seconds=50))
    cloud.add_issue("the cursor itself", updated=cursor)
    cloud.add_issue("same minute, after", updated=cursor + timedelta(seconds=20))
    cloud.add_issue("next minute", updated=cursor + timedelta(seconds=55))
    connector = connect(cloud)

    assert connector.changed_jql(cursor) == (
        '(project = "PROJ") AND updated >= "2024/01/15 05:00" ORDER BY updated ASC, key ASC'
    )
    keys = [t.key for t in connector.fetch_changed(cursor)]

    assert keys == ["PROJ-3", "PROJ-4", "PROJ-5"]  # at or after the cursor, oldest first


def test_a_ticket_repeated_across_pages_is_yielded_once(server: FakeJira, connect: Connect) -> None:
    for n in range(1, 6):
        server.add_issue(f"Issue {n}", updated=T0 + timedelta(minutes=n))
    fetched = connect(server, page_size=2).fetch_changed(None)
    first_page = [next(fetched).key, next(fetched).key]
    # an import lands with an older `updated`: every later issue shifts one place right
    server.add_issue("Imported", updated=T0, key="PROJ-99")
    rest = [t.key for t in fetched]

    keys = first_page + rest
    assert keys == ["PROJ-1", "PROJ-2", "PROJ-3", "PROJ-4", "PROJ-5"]
    assert len(keys) == len(set(keys))


def test_user_jql_with_its_own_order_is_wrapped(jira: FakeJira, connect: Connect) -> None:
    jira.add_issue("a", labels=["backend"], updated=T0 + timedelta(minutes=2))
    jira.add_issue("b", labels=["frontend"], updated=T0 + timedelta(minutes=1))
    jira.add_issue("c", labels=["backend"], updated=T0)
    connector = connect(jira, jql="project = PROJ AND labels = backend ORDER BY created DESC")

    assert [t.key for t in connector.fetch_changed(None)] == ["PROJ-3", "PROJ-1"]


def _realistic_rows(count: int) -> list[dict[str, str]]:
    if not (SHARED_DATA / "storypoints").is_dir():
        pytest.skip(f"story points data absent ({SHARED_DATA / 'storypoints'})")
    rows = [
        r
        for r in iter_storypoints_rows(2000)
        if ("{code}" in r["description"] or "*" in r["description"]) and len(r["description"]) < 400
    ]
    return rows[:count]


def test_real_ticket_texts_links_and_story_points(jira: FakeJira, connect: Connect) -> None:
    rows = _realistic_rows(3)
    blocker, blocked, dependent = (
        jira.add_issue(
            row["title"],
            description=row["description"],
            story_points=float(row["storypoint"]),
            issuetype="Story",
            updated=T0 + timedelta(minutes=n),
        )
        for n, row in enumerate(rows)
    )
    jira.link(blocker.key, "Blocks", blocked.key)  # blocker blocks blocked
    jira.link(dependent.key, "Depends", blocked.key)  # dependent depends on blocked
    jira.touch(blocker.key, status="Done")

    tickets = {t.key: t for t in connect(jira).fetch_changed(None)}

    middle = tickets[blocked.key]
    assert middle.estimate == float(rows[1]["storypoint"])
    assert middle.title == rows[1]["title"]
    assert "{code}" not in middle.body and "{html}" not in middle.body  # Markdown, not wiki
    assert middle.body
    assert set(middle.links) >= {
        # a done blocker is a closed link: it no longer blocks
        _link(LinkKind.BLOCKED_BY, blocker.key, TicketState.CLOSED, rows[0]["title"]),
        _link(LinkKind.BLOCKS, dependent.key, TicketState.OPEN, rows[2]["title"]),
    }
    assert tickets[blocker.key].state is TicketState.CLOSED
    assert tickets[dependent.key].links[0].kind is LinkKind.BLOCKED_BY
    assert tickets[blocker.key].url == f"{jira.url}/browse/{blocker.key}"


def _link(kind: LinkKind, target: str, state: TicketState, title: str) -> Any:
    from connectors.base import Link

    return Link(kind, target, state, title)


def test_epics_sub_tasks_parents_priority_and_ownership(jira: FakeJira, connect: Connect) -> None:
    epic = jira.add_issue("Checkout rewrite", issuetype="Epic", priority="Highest", updated=T0)
    story = jira.add_issue(
        "Pay by card", issuetype="Story", parent=epic.key, priority="Low", updated=T0
    )
    open_task = jira.add_issue("Card form", issuetype="Sub-task", parent=story.key, updated=T0)
    done_task = jira.add_issue(
        "Old form", issuetype="Sub-task", parent=story.key, status="Done", updated=T0
    )

    tickets = {t.key: t for t in connect(jira).fetch_changed(None)}

    assert tickets[epic.key].kind == "epic"
    assert tickets[epic.key].priority == 1
    assert tickets[story.key].priority == 4
    assert tickets[open_task.key].kind == "subtask"
    kinds = {(link.kind, link.target, link.state) for link in tickets[story.key].links}
    # a done sub-task is a closed child (as GitHub's closed sub-issues): no open work
    assert kinds == {
        (LinkKind.PARENT, epic.key, TicketState.OPEN),
        (LinkKind.CHILD, open_task.key, TicketState.OPEN),
        (LinkKind.CHILD, done_task.key, TicketState.CLOSED),
    }


def test_our_comment_is_recognised_only_when_we_wrote_it(jira: FakeJira, connect: Connect) -> None:
    issue = jira.add_issue("Has comments", updated=T0)
    jira.add_comment(issue.key, "Ready?\n\n~backlog-sync:readiness~", author=jira.me)
    jira.add_comment(
        issue.key, "I copied ~backlog-sync:readiness~ here", author=jira.user("mallory")
    )

    (ticket,) = connect(jira).fetch_changed(None)

    assert [c.is_own for c in ticket.comments] == [True, False]
    assert jira.requests["GET /rest/api/2/myself"] == 1  # asked once a marker showed up


def test_a_fresh_process_re_sync_with_no_change_costs_at_most_three_requests(
    jira: FakeJira, connect: Connect
) -> None:
    for n in range(150):
        jira.add_issue(f"Issue {n}", story_points=float(n % 5), updated=T0 + timedelta(minutes=n))
    first = list(connect(jira).fetch_changed(None))
    cursor = max(t.updated_at for t in first if t.updated_at)
    assert [t.estimate for t in first[:3]] == [0.0, 1.0, 2.0]  # found from the first page
    assert first[-1].estimate == float(149 % 5)  # later pages ask for the field by id

    jira.reset_counts()
    (again,) = connect(jira).fetch_changed(cursor)  # a new connector: a new process

    assert again.estimate == float(149 % 5)
    search = "search/jql" if jira.deployment == "Cloud" else "search"
    assert dict(jira.requests) == {
        "GET /rest/api/2/serverInfo": 1,  # which search endpoint
        "GET /rest/api/2/myself": 1,  # the account's time zone, for the cursor
        f"GET /rest/api/2/{search}": 1,  # story points found in its `names`
    }

    jira.reset_counts()
    configured = connect(
        jira, time_zone="Europe/Berlin", story_points_field=jira.story_points_field
    )
    (same,) = configured.fetch_changed(cursor)
    assert same.estimate == again.estimate
    assert jira.total_requests == 2  # serverInfo and the search


def test_fetch_one_finds_the_story_points_field_without_the_field_listing(
    jira: FakeJira, connect: Connect
) -> None:
    issue = jira.add_issue("Sized", story_points=3.0, updated=T0)
    connector = connect(jira)

    assert connector.fetch_one(issue.key).estimate == 3.0
    assert connector.fetch_one(issue.key).estimate == 3.0
    assert jira.requests["GET /rest/api/2/field"] == 0
    assert jira.requests["GET /rest/api/2/myself"] == 0


ADF_DESCRIPTION = {
    "type": "doc",
    "version": 1,
    "content": [
        {"type": "heading", "attrs": {"level": 2}, "content": [{"type": "text", "text": "Goal"}]},
        {
            "type": "paragraph",
            "content": [{"type": "text", "text": "Fix it", "marks": [{"type": "strong"}]}],
        },
    ],
}


def test_adf_descriptions_become_markdown(cloud: FakeJira, connect: Connect) -> None:
    cloud.add_issue("ADF", description=ADF_DESCRIPTION, updated=T0)

    (ticket,) = connect(cloud).fetch_changed(None)

    assert ticket.body == "## Goal\n\n**Fix it**"


def _instances(path: str) -> dict[str, Any]:
    file = SHARED_DATA / "jira" / path
    if not file.exists():
        pytest.skip(f"public instance data absent ({file})")
    data: dict[str, Any] = json.loads(file.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("instance", ["Apache", "RedHat", "IntelDAOS", "Spring"])
def test_story_points_field_found_by_name_on_real_field_listings(
    instance: str, connect: Connect
) -> None:
    listing = _instances("public-instances-fields.json")[instance]
    field_id = next(
        f["id"] for f in listing if f["name"] in ("Story Points", "Story point estimate")
    )
    with FakeJira(deployment="Server", fields=listing, story_points_field=field_id) as fake:
        fake.add_issue("Sized", story_points=5.0, updated=T0)

        (ticket,) = connect(fake).fetch_changed(None)

        assert ticket.estimate == 5.0
        assert not fake.errors


def test_every_real_blocking_link_type_reads_in_the_right_direction(connect: Connect) -> None:
    instances = _instances("public-instances-linktypes.json")
    blocked_words = ("blocked by", "depends on", "depends upon", "requires", "has to be done after")
    cases: list[tuple[dict[str, str], bool]] = []
    for types in instances.values():
        for link_type in types.values():
            inward, outward = link_type["inward"].lower(), link_type["outward"].lower()
            if inward != outward and any(
                w in f"{inward} {outward}" for w in ("block", "depend", "requir", "done after")
            ):
                cases.append((link_type, any(w in outward for w in blocked_words)))
    assert len(cases) >= 20
    link_types = {f"T{n}": link_type for n, (link_type, _) in enumerate(cases)}
    with FakeJira(deployment="Server", link_types=link_types) as fake:
        pairs = []
        for n in range(len(cases)):
            a = fake.add_issue(f"A{n}", updated=T0)
            b = fake.add_issue(f"B{n}", updated=T0)
            fake.link(a.key, f"T{n}", b.key)  # "A <outward> B"
            pairs.append((a.key, b.key))
        tickets = {t.key: t for t in connect(fake).fetch_changed(None)}
        assert not fake.errors
    for (link_type, a_waits), (a_key, b_key) in zip(cases, pairs, strict=True):
        # "A depends on B": A is blocked by B; "A blocks B": B is blocked by A
        expected_a = LinkKind.BLOCKED_BY if a_waits else LinkKind.BLOCKS
        expected_b = LinkKind.BLOCKS if a_waits else LinkKind.BLOCKED_BY
        assert tickets[a_key].links[0].kind is expected_a, link_type
        assert tickets[b_key].links[0].kind is expected_b, link_type
