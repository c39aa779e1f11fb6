"""Writing to Jira: label operations and the one comment of ours."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from connectors.base import OWN_COMMENT_MARKER, BadRequestError
from connectors.jira import JIRA_COMMENT_MARKER, JiraConnector
from tests.fakes.jira import FakeJira

Connect = Callable[..., JiraConnector]
T0 = datetime(2024, 1, 15, 10, 0, tzinfo=UTC)


def test_labels_are_added_and_removed_by_operations_leaving_others(
    jira: FakeJira, connect: Connect
) -> None:
    jira.clock = lambda: datetime(2024, 1, 15, 12, 0, tzinfo=UTC)
    issue = jira.add_issue("Labelled", labels=["backend", "ai:blocked", "team-a"], updated=T0)

    connect(jira).apply_labels(issue.key, ["ai:ready"], ["ai:blocked"])

    assert issue.labels == ["backend", "team-a", "ai:ready"]
    (write,) = [w for w in jira.writes if w[0] == "PUT"]
    assert write[2]["update"] == {"labels": [{"add": "ai:ready"}, {"remove": "ai:blocked"}]}
    assert not write[2]["fields"]  # never a replacement of the whole list
    assert issue.updated == datetime(2024, 1, 15, 12, 0, tzinfo=UTC)  # Jira bumps `updated`


def test_no_label_change_makes_no_request(jira: FakeJira, connect: Connect) -> None:
    issue = jira.add_issue("Quiet", labels=["x"], updated=T0)

    connect(jira).apply_labels(issue.key, [], [])

    assert jira.total_requests == 0


def test_a_label_with_a_space_is_refused_before_any_request(
    jira: FakeJira, connect: Connect
) -> None:
    issue = jira.add_issue("Quiet", updated=T0)

    with pytest.raises(BadRequestError, match="not a valid Jira label"):
        connect(jira).apply_labels(issue.key, ["ai ready"], [])
    assert jira.total_requests == 0
    assert connect(jira).ensure_labels([]) == []


def test_our_comment_is_edited_in_place_not_duplicated(jira: FakeJira, connect: Connect) -> None:
    issue = jira.add_issue("Discussed", updated=T0)
    someone = jira.user("alice")
    jira.add_comment(issue.key, "Please look at this", author=someone)
    # someone pastes our marker: still not ours, never edited
    jira.add_comment(issue.key, f"quoting the bot: {JIRA_COMMENT_MARKER}", author=someone)
    connector = connect(jira)

    connector.upsert_comment(
        issue.key, f"{OWN_COMMENT_MARKER}\n## Needs clarity\n\n- Add **acceptance criteria**"
    )
    connector.upsert_comment(issue.key, f"{OWN_COMMENT_MARKER}\n## Ready\n\n- nothing missing")
    connector.upsert_comment(issue.key, f"{OWN_COMMENT_MARKER}\n## Ready\n\n- nothing missing")

    ours = [c for c in issue.comments if c.author is jira.me]
    assert len(ours) == 1
    assert ours[0].body == "h2. Ready\n\n* nothing missing\n\n" + JIRA_COMMENT_MARKER
    assert "<!--" not in ours[0].body  # wiki markup would show an HTML comment as text
    assert [c.body for c in issue.comments[:2]] == [
        "Please look at this",
        f"quoting the bot: {JIRA_COMMENT_MARKER}",
    ]
    methods = [(m, path.rsplit("/", 2)[-2:]) for m, path, _ in jira.writes]
    assert [m for m, _ in methods] == ["POST", "PUT"]  # the unchanged third call wrote nothing
