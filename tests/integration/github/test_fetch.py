"""Reading tickets from the fake GitHub: what comes back and what it costs."""

from __future__ import annotations

from connectors.base import LinkKind, TicketState, Trust
from connectors.github import GitHubConnector
from tests.fakes.github import FakeGitHub, FakeRepo

from .conftest import REPO, TOKEN

ISSUES = "/repos/{owner}/{repo}/issues"
COMMENTS = "/repos/{owner}/{repo}/issues/comments"
ISSUE_COMMENTS = "/repos/{owner}/{repo}/issues/{issue_number}/comments"
EVENTS = "/repos/{owner}/{repo}/issues/{issue_number}/events"
BLOCKED_BY = "/repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by"
SUB_ISSUES = "/repos/{owner}/{repo}/issues/{issue_number}/sub_issues"


def test_first_sync_reads_everything_and_skips_pull_requests_without_extra_requests(
    github: FakeGitHub, repo: FakeRepo, connector: GitHubConnector
) -> None:
    for n in range(250):
        repo.add_issue(f"Issue {n}", pull_request=n % 10 == 0)

    tickets = list(connector.fetch_changed(None))

    assert len(tickets) == 225
    assert all("/issues/" in (t.url or "") for t in tickets)
    stamps = [t.updated_at for t in tickets]
    assert stamps == sorted(stamps)
    # 250 items, 100 a page, one repeated item a page: 3 pages; nothing per item
    assert github.count("GET", ISSUES) == 3
    assert github.count("GET", "/repos/{owner}/{repo}/issues/{issue_number}") == 0
    assert github.count() == 3 + 1  # issues, one (empty) comments page
    # every author is the owner: trusted by association, the repository is not read
    assert github.count("GET", "/repos/{owner}/{repo}") == 0


def test_incremental_fetch_returns_only_what_changed_since(
    github: FakeGitHub, repo: FakeRepo, connector: GitHubConnector
) -> None:
    for n in range(5):
        repo.add_issue(f"Issue {n}")
    cursor = max(t.updated_at for t in connector.fetch_changed(None) if t.updated_at)
    repo.edit_issue(2, title="Issue 1, clarified")
    repo.add_comment(4, "What about the edge case?", user="bob", association="NONE")
    github.reset_counts()

    changed = list(connector.fetch_changed(cursor.replace(microsecond=0) + (cursor - cursor)))
    keys = [t.key for t in changed if t.updated_at and t.updated_at > cursor]

    assert keys == [f"{REPO}#2", f"{REPO}#4"]
    assert changed[-1].comments[-1].body == "What about the edge case?"
    assert changed[-1].comments[-1].author_trust is Trust.UNTRUSTED
    assert github.count("GET", ISSUES) == 1 and github.count("GET", COMMENTS) == 1


def test_comments_come_from_one_repository_wide_stream(
    github: FakeGitHub, repo: FakeRepo, connector: GitHubConnector
) -> None:
    for n in range(1, 41):
        repo.add_issue(f"Issue {n}")
    for n in range(1, 41):
        for c in range(5):
            repo.add_comment(n, f"comment {c} on {n}")

    tickets = {t.key: t for t in connector.fetch_changed(None)}

    assert [c.body for c in tickets[f"{REPO}#7"].comments] == [
        f"comment {c} on 7" for c in range(5)
    ]
    assert sum(len(t.comments) for t in tickets.values()) == 200
    assert github.count("GET", COMMENTS) == 3  # 200 comments, 100 a page
    assert github.count("GET", ISSUE_COMMENTS) == 0


def test_nothing_changed_costs_one_listing_request(
    github: FakeGitHub, repo: FakeRepo, connector: GitHubConnector
) -> None:
    repo.add_issue("Only issue")
    list(connector.fetch_changed(None))
    github.reset_counts()

    later = github.now.replace() + (github.now - github.now)
    assert list(connector.fetch_changed(later.replace(year=later.year + 1))) == []
    assert github.count() == 1  # the issues page; the repository is cached, no comments asked


def test_stream_loses_nothing_when_issues_change_between_pages(
    github: FakeGitHub, repo: FakeRepo, connector: GitHubConnector
) -> None:
    for n in range(1, 301):
        repo.add_issue(f"Issue {n}")
    seen: list[str] = []
    for ticket in connector.fetch_changed(None):
        seen.append(ticket.key)
        if len(seen) <= 100:  # as sync does: write labels after reading each page
            connector.apply_labels(ticket.key, ["ai:ready"], [])

    assert sorted(set(seen)) == sorted(f"{REPO}#{n}" for n in range(1, 301))
    assert len(seen) == 300  # our own writes, made after the read began, wait for the next run


def test_dependencies_and_sub_issues_are_read_only_when_the_summary_has_some(
    github: FakeGitHub, repo: FakeRepo, connector: GitHubConnector
) -> None:
    blocker = repo.add_issue("Migrate the schema")
    blocked = repo.add_issue("Use the new column")
    epic = repo.add_issue("Epic: search", labels=["epic"])
    child = repo.add_issue("Search box")
    done_child = repo.add_issue("Search API")
    repo.add_blocked_by(blocked, blocker)
    repo.add_sub_issue(epic, child)
    repo.add_sub_issue(epic, done_child)
    repo.edit_issue(done_child, state="closed", state_reason="completed")
    for n in range(10):
        repo.add_issue(f"Plain {n}")

    tickets = {t.key: t for t in connector.fetch_changed(None)}

    assert (LinkKind.BLOCKED_BY, f"{REPO}#{blocker}", TicketState.OPEN) in {
        (link.kind, link.target, link.state) for link in tickets[f"{REPO}#{blocked}"].links
    }
    children = {
        (link.target, link.state)
        for link in tickets[f"{REPO}#{epic}"].links
        if link.kind is LinkKind.CHILD
    }
    assert children == {
        (f"{REPO}#{child}", TicketState.OPEN),
        (f"{REPO}#{done_child}", TicketState.CLOSED),
    }
    assert tickets[f"{REPO}#{child}"].links[0].kind is LinkKind.PARENT
    assert github.count("GET", BLOCKED_BY) == 1
    assert github.count("GET", SUB_ISSUES) == 1


def test_mentions_resolve_to_keys_without_requests(
    github: FakeGitHub, repo: FakeRepo, connector: GitHubConnector
) -> None:
    repo.add_issue(
        "Follow-up",
        "After #12 and other/lib#3 land; see https://github.com/octo/app/issues/9.\n`#99` is code.",
    )
    ticket = next(connector.fetch_changed(None))
    mentions = [link.target for link in ticket.links if link.kind is LinkKind.MENTIONS]
    assert mentions == [f"{REPO}#12", "other/lib#3", f"{REPO}#9"]


def test_fields_kind_priority_assignees_and_trust(
    github: FakeGitHub, repo: FakeRepo, connector: GitHubConnector
) -> None:
    repo.add_issue(
        "Crash on save",
        user="stranger",
        association="NONE",
        labels=["bug", "priority: high"],
        assignees=["dev1"],
    )
    repo.add_issue(
        "Typed", user="member", association="MEMBER", issue_type="Feature", labels=["P0"]
    )
    repo.add_issue("Collab", user="c", association="COLLABORATOR", labels=["type: epic"])

    first, second, third = connector.fetch_changed(None)

    assert (first.kind, first.priority, first.assignees, first.author) == (
        "bug",
        2,
        ("dev1",),
        "stranger",
    )
    assert first.author_trust is Trust.UNTRUSTED
    assert (second.kind, second.priority, second.author_trust) == ("feature", 1, Trust.TRUSTED)
    assert (third.kind, third.author_trust) == ("epic", Trust.TRUSTED)
    # the stranger's trust needed the repository's `private` flag: read once
    assert github.count("GET", "/repos/{owner}/{repo}") == 1


def test_everyone_is_trusted_on_a_private_repository(github: FakeGitHub) -> None:
    github.add_repo("octo/secret", private=True).add_issue("x", user="intern", association="NONE")
    connector = GitHubConnector("octo/secret", token=TOKEN, base_url=github.base_url)
    (ticket,) = connector.fetch_changed(None)
    assert ticket.author_trust is Trust.TRUSTED
    assert github.count("GET", "/repos/{owner}/{repo}") == 1


def test_approval_counts_only_when_a_trusted_person_added_the_label(
    github: FakeGitHub, repo: FakeRepo, connector: GitHubConnector
) -> None:
    by_maintainer = repo.add_issue("a", user="stranger", association="NONE")
    repo.add_label(by_maintainer, "ai:approved", actor="maintainer")
    by_author = repo.add_issue("b", user="stranger", association="NONE", labels=["ai:approved"])
    by_bot = repo.add_issue("c", user="stranger", association="NONE")
    repo.add_label(by_bot, "ai:approved", actor="labeler[bot]", actor_type="Bot")
    by_owner_author = repo.add_issue("d", user="octo", association="OWNER", labels=["ai:approved"])
    unlabeled = repo.add_issue("e", user="stranger", association="NONE")

    tickets = {t.key: t for t in connector.fetch_changed(None)}

    assert tickets[f"{REPO}#{by_maintainer}"].approval_verified
    assert not tickets[f"{REPO}#{by_author}"].approval_verified
    assert not tickets[f"{REPO}#{by_bot}"].approval_verified
    assert tickets[f"{REPO}#{by_owner_author}"].approval_verified
    assert not tickets[f"{REPO}#{unlabeled}"].approval_verified
    assert github.count("GET", EVENTS) == 4  # only the issues carrying the label


def test_fetch_one_reads_the_issue_and_all_its_comments(
    github: FakeGitHub, repo: FakeRepo, connector: GitHubConnector
) -> None:
    n = repo.add_issue("Fix it", "Steps: ...")
    repo.add_comment(n, "first")
    repo.add_comment(n, "second")
    ticket = connector.fetch_one(f"{REPO}#{n}")
    assert (ticket.title, [c.body for c in ticket.comments]) == ("Fix it", ["first", "second"])
    assert connector.fetch_one(f"#{n}").key == f"{REPO}#{n}"
