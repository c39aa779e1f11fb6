"""A claim is visible on the tracker: `queue claim` adds `ai:in-progress` to the
issue at the fake GitHub, `release` and `complete` take it off, and a sync in
between keeps it; the verdict's label stays throughout."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from service.cli import app as cli
from tests.fakes.github import FakeGitHub
from tests.integration.app_setup import GH_TOKEN, REPO

READY_BODY = (
    "Add a `--since` option to `service/sync.py`.\n\n## Acceptance criteria\n\n"
    "- [ ] `sync --since 2024-01-01` reads only tickets changed since then\n"
    "- [ ] Tests in `tests/test_sync.py`\n\n## Out of scope\n\n- The cursor\n"
)


@pytest.fixture
def github(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    with FakeGitHub() as gh:
        gh.add_repo(REPO)
        gh.add_token(GH_TOKEN, "backlog-bot")
        config = {
            "sources": [
                {
                    "type": "github",
                    "name": "web",
                    "repo": REPO,
                    "base_url": gh.base_url,
                    "min_seconds_between_writes": 0,
                }
            ]
        }
        (workdir / "backlog-sync.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
        monkeypatch.setenv("BACKLOG_SYNC_GITHUB_TOKEN", GH_TOKEN)
        yield gh


def run(*args: str) -> Any:
    result = CliRunner().invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_claim_shows_on_the_issue_until_it_is_released_or_done(github: FakeGitHub) -> None:
    repo = github.repos[REPO]
    first = repo.add_issue("Add --since to sync", READY_BODY)
    second = repo.add_issue("Add --until to sync", READY_BODY.replace("since", "until"))
    run("sync", "web")
    assert "ai:ready" in repo.issue_labels(first)

    claimed = run("queue", "claim", "--agent", "agent-1")
    number = int(claimed["key"].rsplit("#", 1)[1])
    assert set(repo.issue_labels(number)) >= {"ai:ready", "ai:in-progress"}
    other = second if number == first else first
    assert "ai:in-progress" not in repo.issue_labels(other)

    run("sync", "web")  # the claim holds: a sync leaves the label on
    assert "ai:in-progress" in repo.issue_labels(number)

    run("queue", "release", str(claimed["id"]), "--agent", "agent-1")
    assert "ai:in-progress" not in repo.issue_labels(number)
    assert "ai:ready" in repo.issue_labels(number)

    again = run("queue", "claim", "--agent", "agent-2")
    held = int(again["key"].rsplit("#", 1)[1])
    assert "ai:in-progress" in repo.issue_labels(held)
    run("queue", "complete", str(again["id"]), "--agent", "agent-2")
    assert "ai:in-progress" not in repo.issue_labels(held)


def test_a_tracker_that_fails_leaves_the_claim_and_warns(github: FakeGitHub) -> None:
    repo = github.repos[REPO]
    number = repo.add_issue("Add --since to sync", READY_BODY)
    run("sync", "web")
    github.fail(401, times=1)  # the label write of the claim
    result = CliRunner().invoke(cli, ["queue", "claim", "--agent", "agent-1", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["state"] == "claimed"  # the queue holds
    assert "warning" in result.stderr and "next sync" in result.stderr
    assert "ai:in-progress" not in repo.issue_labels(number)
    run("sync", "web")  # the next sync writes what the claim's label plan wants
    assert "ai:in-progress" in repo.issue_labels(number)
