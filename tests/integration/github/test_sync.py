"""service.sync through the GitHub connector and the fake: resumable, minimal writes."""

from __future__ import annotations

from pathlib import Path

from connectors.github import GitHubConnector
from service.db import make_engine, make_sessionmaker, upgrade
from service.scoring import Policy
from service.triage.sync import sync_source
from tests.fakes.github import FakeGitHub, FakeRepo

from .conftest import TOKEN

READY_BODY = "Add `retry` to `client/http.py`.\n\n## Acceptance criteria\n- [ ] retried 3 times\n"


def _sessions(tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'sync.db'}")
    upgrade(engine)
    return make_sessionmaker(engine)


def test_crash_halfway_then_resume_loses_nothing_and_repeats_no_write(
    github: FakeGitHub, repo: FakeRepo, connector: GitHubConnector, tmp_path: Path
) -> None:
    for n in range(30):
        repo.add_issue(f"Issue {n}", READY_BODY if n % 2 else "How do I?", labels=["bug"])
    sessions = _sessions(tmp_path)
    github.fail_after(25)  # the tracker goes down mid-run

    first = sync_source(sessions, connector, Policy(), page_size=10)
    github.fail_after(None)
    second = sync_source(sessions, connector, Policy(), page_size=10)

    assert first.error is not None and second.error is None
    labelled = {n: repo.issue_labels(n) for n in repo.issues}
    assert all("bug" in labels for labels in labelled.values())  # human labels survive
    assert all(any(lab.startswith("ai:") for lab in labels) for labels in labelled.values())
    adds = [w for w in github.label_writes if w[0] == "POST"]
    assert len({w[2] for w in adds}) == len(adds) == 30  # each issue labelled once, none twice


def test_resync_writes_nothing_when_labels_already_match(
    github: FakeGitHub, repo: FakeRepo, connector: GitHubConnector, tmp_path: Path
) -> None:
    for n in range(5):
        repo.add_issue(f"Issue {n}", READY_BODY)
    sessions = _sessions(tmp_path)
    sync_source(sessions, connector, Policy())
    github.reset_counts()
    sync_source(sessions, connector, Policy())
    assert github.writes() == 0


def test_dry_run_writes_nothing(
    github: FakeGitHub, repo: FakeRepo, connector: GitHubConnector, tmp_path: Path
) -> None:
    repo.add_issue("Issue", READY_BODY)
    report = sync_source(_sessions(tmp_path), connector, Policy(), dry_run=True)
    assert report.label_changes and github.writes() == 0


def test_a_settled_re_sync_in_a_new_process_costs_at_most_three_requests(
    github: FakeGitHub, repo: FakeRepo, tmp_path: Path
) -> None:
    for n in range(8):
        repo.add_issue(f"Issue {n}", READY_BODY if n % 2 else "How do I?", pull_request=n == 3)
    repo.add_comment(2, "me too", user="bob", association="NONE")
    sessions = _sessions(tmp_path)

    def run() -> None:
        connector = GitHubConnector(
            repo.full_name, token=TOKEN, base_url=github.base_url, seconds_between_writes=None
        )
        report = sync_source(sessions, connector, Policy())
        assert report.error is None

    run()  # first sync: writes labels, which bump `updated_at`
    run()  # reads back the echo of our own label writes
    github.reset_counts()
    run()

    assert github.writes() == 0
    # the issues page and the comments page; the repository is not read: the issues
    # read back at the cursor are the owner's, trusted by association
    assert github.count() <= 3
    assert github.count("GET", "/repos/{owner}/{repo}") == 0
