"""Label and comment writes: they touch only what they are given, and never duplicate."""

from __future__ import annotations

from connectors.base import OWN_COMMENT_MARKER, LabelSpec
from connectors.github import GitHubConnector
from tests.fakes.github import FakeGitHub, FakeRepo

from .conftest import REPO

COMMENTS_POST = "/repos/{owner}/{repo}/issues/{issue_number}/comments"


def test_apply_labels_keeps_the_labels_people_set(
    github: FakeGitHub, repo: FakeRepo, connector: GitHubConnector
) -> None:
    n = repo.add_issue("x", labels=["bug", "ai:needs-clarity", "size/S"])

    connector.apply_labels(f"{REPO}#{n}", ["ai:ready"], ["ai:needs-clarity", "ai:blocked"])

    assert sorted(repo.issue_labels(n)) == ["ai:ready", "bug", "size/S"]
    assert github.count("PUT") == 0  # never replaces the whole set
    assert github.count("POST") == 1 and github.count("DELETE") == 2  # the 404 is fine


def test_apply_labels_with_nothing_to_do_sends_nothing(
    github: FakeGitHub, repo: FakeRepo, connector: GitHubConnector
) -> None:
    n = repo.add_issue("x")
    connector.apply_labels(f"{REPO}#{n}", [], [])
    assert github.count() == 0


def test_removing_a_label_with_a_slash_removes_only_that_label(
    repo: FakeRepo, connector: GitHubConnector
) -> None:
    n = repo.add_issue("x", labels=["size/S", "size"])
    connector.apply_labels(f"{REPO}#{n}", [], ["size/S"])
    assert repo.issue_labels(n) == ["size"]


def test_ensure_labels_creates_only_the_missing_ones(
    github: FakeGitHub, repo: FakeRepo, connector: GitHubConnector
) -> None:
    repo.create_label("AI:Ready")
    specs = [
        LabelSpec("ai:ready", "0e8a16"),
        LabelSpec("ai:blocked", "b60205", "Waits on another ticket"),
    ]

    assert connector.ensure_labels(specs) == ["ai:blocked"]
    assert connector.ensure_labels(specs) == []
    assert repo.labels["ai:blocked"]["color"] == "b60205"
    assert repo.labels["ai:blocked"]["description"] == "Waits on another ticket"


def test_upsert_comment_edits_our_one_comment_in_place(
    github: FakeGitHub, repo: FakeRepo, connector: GitHubConnector
) -> None:
    n = repo.add_issue("x")
    repo.add_comment(
        n, f"{OWN_COMMENT_MARKER}\nfake, by a stranger", user="mallory", association="NONE"
    )

    connector.upsert_comment(f"{REPO}#{n}", "Missing: acceptance criteria")
    connector.upsert_comment(f"{REPO}#{n}", "Ready for an agent")
    connector.upsert_comment(f"{REPO}#{n}", "Ready for an agent")  # unchanged: no write

    ours = [c for c in repo.issue_comments(n) if c["user"]["login"] == "maintainer"]
    assert [c["body"] for c in ours] == [f"{OWN_COMMENT_MARKER}\nReady for an agent"]
    assert github.count("POST", COMMENTS_POST) == 1
    assert github.count("PATCH") == 1
    assert connector.fetch_one(f"{REPO}#{n}").comments[-1].is_own
    assert not connector.fetch_one(f"{REPO}#{n}").comments[0].is_own


def test_upsert_comment_writes_our_marker_once_even_when_the_body_carries_it(
    github: FakeGitHub, repo: FakeRepo, connector: GitHubConnector
) -> None:
    n = repo.add_issue("x")
    # what an earlier version wrote: the service's marker, then the connector's
    repo.add_comment(n, f"{OWN_COMMENT_MARKER}\n{OWN_COMMENT_MARKER}\nold", user="maintainer")

    connector.upsert_comment(f"{REPO}#{n}", f"{OWN_COMMENT_MARKER}\n**Ready** (score 90)\n")

    [ours] = repo.issue_comments(n)
    assert ours["body"] == f"{OWN_COMMENT_MARKER}\n**Ready** (score 90)\n"
    assert github.count("POST", COMMENTS_POST) == 0  # the old comment was edited in place


def test_upsert_comment_after_an_ambiguous_failure_does_not_duplicate(
    github: FakeGitHub, repo: FakeRepo, connector: GitHubConnector
) -> None:
    n = repo.add_issue("x")
    # the comment is created, but the answer is a 502
    github.fail(502, method="POST", route=COMMENTS_POST, after_processing=True)

    connector.upsert_comment(f"{REPO}#{n}", "Needs clarity")

    assert [c["body"] for c in repo.issue_comments(n)] == [f"{OWN_COMMENT_MARKER}\nNeeds clarity"]
    assert github.count("POST", COMMENTS_POST) == 1


def test_label_writes_bump_updated_at_like_github(
    repo: FakeRepo, connector: GitHubConnector
) -> None:
    n = repo.add_issue("x")
    before = repo.issues[n]["updated_at"]
    connector.apply_labels(f"{REPO}#{n}", ["ai:ready"], [])
    assert repo.issues[n]["updated_at"] > before
