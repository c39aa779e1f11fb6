"""Fixtures: a fake Jira over real HTTP (Cloud or Server/DC) and connectors for it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from connectors.jira import JiraConnector
from connectors.retry import Backoff
from tests.fakes.jira import SPEC_PATH, FakeJira

if not SPEC_PATH.exists():
    pytest.skip(
        f"Jira reference data absent ({SPEC_PATH}): the fake validates against it",
        allow_module_level=True,
    )


class RecordedSleep:
    """An injected sleep: records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def sleep() -> RecordedSleep:
    return RecordedSleep()


def _fake(**options: Any) -> Iterator[FakeJira]:
    fake = FakeJira(**options)
    with fake:
        yield fake
    assert not fake.errors, f"fake Jira answered outside its API description: {fake.errors}"


@pytest.fixture(params=["Cloud", "Server"])
def jira(request: pytest.FixtureRequest) -> Iterator[FakeJira]:
    """A fake Jira of each deployment type."""
    yield from _fake(deployment=request.param, time_zone="Europe/Berlin")


@pytest.fixture
def cloud() -> Iterator[FakeJira]:
    yield from _fake(deployment="Cloud", time_zone="America/New_York")


@pytest.fixture
def server() -> Iterator[FakeJira]:
    yield from _fake(deployment="Server", time_zone="Asia/Kolkata")


@pytest.fixture
def connect(sleep: RecordedSleep) -> Callable[..., JiraConnector]:
    """Build a JiraConnector for a fake, with the fake's credentials and a recorded sleep."""

    def build(fake: FakeJira, **options: Any) -> JiraConnector:
        auth: dict[str, Any] = (
            {"email": fake.email, "api_token": fake.api_token}
            if fake.deployment == "Cloud"
            else {"token": fake.token}
        )
        settings: dict[str, Any] = {
            "project": fake.project,
            "backoff": Backoff(attempts=3, base=0.01),
            "sleep": sleep,
            "timeout": 5.0,
            **auth,
        }
        settings.update(options)
        return JiraConnector(fake.url, **settings)

    return build
