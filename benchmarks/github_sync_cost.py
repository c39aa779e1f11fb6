"""Requests a GitHub sync costs, against the fake GitHub, beside a naive PyGithub loop.

5,000 issues (one in 20 a pull request) and 10,000 comments. Figures:
(a) first sync, (b) re-sync with nothing changed, (c) re-sync after 50 issues
changed. Goals: (a) <= 155 reads + one write per label changed; (b) <= 3
requests, no writes; (c) <= 5 reads + writes for changed verdicts only.

Run: .venv/bin/python benchmarks/github_sync_cost.py [--requests]  (needs ../shared/data)
--requests prints each run's requests by method and route.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from github import Auth, Github

from connectors.github import GitHubConnector
from service.db import make_engine, make_sessionmaker, upgrade
from service.scoring import Policy
from service.triage.sync import sync_source
from tests.fakes.github import FakeGitHub, FakeRepo, shared_data_available

TOKEN = "bench-token"
ISSUES, COMMENTS, CHANGED = 5000, 10000, 50


def seed(fake: FakeGitHub) -> FakeRepo:
    repo = fake.add_repo("octo/big")
    fake.add_token(TOKEN, "maintainer")
    for n in range(1, ISSUES + 1):
        body = (
            f"Add `retry` to `client/http_{n}.py` so that timeouts are retried.\n\n"
            "## Acceptance criteria\n- [ ] retried 3 times\n- [ ] test in tests/test_http.py\n"
            if n % 3
            else "How do I configure this?"
        )
        repo.add_issue(
            f"Issue {n}", body, pull_request=n % 20 == 0, labels=["bug"] if n % 7 == 0 else []
        )
    for i in range(COMMENTS):
        repo.add_comment(1 + (i * 7) % ISSUES, f"comment {i}", user="bob", association="NONE")
    repo.add_blocked_by(10, 11)
    return repo


def counts(fake: FakeGitHub) -> tuple[int, int]:
    return fake.count("GET"), fake.writes()


def ours(
    fake: FakeGitHub, repo: FakeRepo, tmp: Path, *, show_requests: bool = False
) -> list[tuple[str, int, int]]:
    engine = make_engine(f"sqlite:///{tmp / 'bench.db'}")
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    policy = Policy()
    figures = []

    def run(name: str) -> None:
        fake.reset_counts()
        connector = GitHubConnector(
            repo.full_name, token=TOKEN, base_url=fake.base_url, seconds_between_writes=None
        )
        start = time.perf_counter()
        report = sync_source(sessions, connector, policy)
        reads, writes = counts(fake)
        print(
            f"  {name}: {reads} reads, {writes} writes "
            f"(seen {report.seen}, labels written {report.labels_written}, "
            f"error {report.error}) in {time.perf_counter() - start:.1f}s"
        )
        if show_requests:
            for route, n in sorted(fake.requests.items()):
                print(f"      {n:>6}  {route}")
        figures.append((name, reads, writes))

    run("(a) first sync")
    run("(b) re-sync, nothing changed (pays for the echo of our own label writes)")
    run("(b') re-sync again, nothing changed")
    for n in range(1, CHANGED * 2, 2):
        repo.edit_issue(n, body=f"Changed at {datetime.now(UTC).isoformat()}: how do I?")
    run("(c) re-sync after 50 issues changed")
    return figures


def naive(fake: FakeGitHub, repo: FakeRepo) -> tuple[int, int]:
    fake.reset_counts()
    gh = Github(
        auth=Auth.Token(TOKEN),
        base_url=fake.base_url,
        retry=None,
        seconds_between_requests=None,
        seconds_between_writes=None,
    )
    remote = gh.get_repo(repo.full_name)
    for issue in remote.get_issues(state="all"):
        if issue.pull_request is not None:
            continue
        list(issue.get_comments())
        issue.set_labels(*[label.name for label in issue.labels], "ai:ready")
    return counts(fake)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", action="store_true", help="print requests by route")
    args = parser.parse_args()
    if not shared_data_available():
        sys.exit("../shared/data/github is absent: the fake validates against its OpenAPI subset")
    with tempfile.TemporaryDirectory() as tmp, FakeGitHub() as fake:
        repo = seed(fake)
        print(f"fake GitHub: {ISSUES} issues ({ISSUES // 20} pull requests), {COMMENTS} comments")
        figures = ours(fake, repo, Path(tmp), show_requests=args.requests)
        naive_reads, naive_writes = naive(fake, repo)
        print(
            f"  naive PyGithub loop (30 a page, comments per issue, set_labels on every issue): "
            f"{naive_reads} reads, {naive_writes} writes"
        )
        for name, reads, writes in figures:
            ratio = (reads + writes) / (naive_reads + naive_writes)
            print(f"  {name.split(' ')[0]} requests / naive = {ratio:.3f}")
        print(
            f"  goal (a): <= {-(-ISSUES // 100) + -(-COMMENTS // 100) + 5} reads; "
            "(b) <= 3 requests; (c) <= 5 reads"
        )
        assert not fake.mismatches, fake.mismatches[:5]


if __name__ == "__main__":
    main()
