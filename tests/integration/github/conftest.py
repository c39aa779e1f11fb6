"""The fake GitHub server, one per test, and a connector pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from connectors.github import GitHubConnector
from connectors.retry import Backoff
from tests.fakes.github import FakeGitHub, FakeRepo, shared_data_available

TOKEN = "ghp_testtoken0123456789abcdefSECRET"
REPO = "octo/app"

if not shared_data_available():
    pytest.skip(
        "../shared/data/github is absent: the fake GitHub validates against its OpenAPI subset",
        allow_module_level=True,
    )


class SleepRecorder:
    """A fake `sleep`: records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub() as fake:
        fake.add_token(TOKEN, "maintainer")
        yield fake
    assert not fake.mismatches, (
        "fake GitHub answered outside its OpenAPI description:\n" + "\n".join(fake.mismatches[:10])
    )


@pytest.fixture
def repo(github: FakeGitHub) -> FakeRepo:
    return github.add_repo(REPO)


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def connector(github: FakeGitHub, repo: FakeRepo, sleeps: SleepRecorder) -> GitHubConnector:
    return GitHubConnector(
        REPO,
        token=TOKEN,
        base_url=github.base_url,
        webhook_secret="whsec-test",
        backoff=Backoff(attempts=4, base=0.01, cap=0.05),
        sleep=sleeps,
        seconds_between_writes=None,
        timeout=5,
    )
