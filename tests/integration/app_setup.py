"""The service in-process (FastAPI TestClient, lifespan running the worker) on a
SQLite file, with a real GitHubConnector talking to the fake GitHub over HTTP:
settings, fixtures and helpers that the API, webhook and runtime tests share
(their conftest.py files import the fixtures from here)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.api.deps import token_digest
from service.config import FileConfig, Secrets, Settings
from service.runtime.compose import policy_of
from service.tickets.sources import SourceConnectors
from tests.fakes.github import FakeGitHub
from tests.integration.api.signed_deliveries import WEBHOOKS

SECRET = "webhook-s3cret"
GH_TOKEN = "gh-token-for-tests"
REPO = "acme/web"
TOKENS = {
    "reader": ("read-token", ["read"]),
    "agent": ("claim-token", ["read", "claim"]),
    "admin": ("admin-token", ["read", "claim", "admin"]),
}


def wait_for(condition: Callable[[], Any], timeout: float = 5.0, interval: float = 0.02) -> Any:
    """Poll `condition` until it is truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(interval)


@pytest.fixture(scope="session")
def shared_data() -> None:
    if not WEBHOOKS.is_dir():
        pytest.skip(f"{WEBHOOKS} is absent (../shared/data is needed for these tests)")


@pytest.fixture
def fake_github() -> Iterator[FakeGitHub]:
    with FakeGitHub() as gh:
        gh.add_repo(REPO)
        gh.add_token(GH_TOKEN, "backlog-bot")
        yield gh


def file_config(base_url: str, **overrides: Any) -> FileConfig:
    data: dict[str, Any] = {
        "sources": [{"type": "github", "name": "web", "repo": REPO, "base_url": base_url}],
        "api": {
            "tokens": [
                {"name": name, "sha256": token_digest(token), "scopes": scopes}
                for name, (token, scopes) in TOKENS.items()
            ]
        },
        "worker": {"poll_seconds": 0.2, "retry_base_seconds": 0.05, "max_attempts": 2},
        "schedules": {"sync_enabled": False, "digest": {"enabled": False}},
    }
    data.update(overrides)
    return FileConfig.model_validate(data)


def make_settings(
    database_url: str, base_url: str, *, secret: str | None = SECRET, **overrides: Any
) -> Settings:
    secrets = Secrets(
        database_url=database_url,
        GITHUB_TOKEN=GH_TOKEN,
        github_webhook_secret=secret,
        config=Path("/nonexistent/backlog-sync.yaml"),
    )
    return Settings(secrets=secrets, file=file_config(base_url, **overrides), config_path=None)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'service.db'}"


@pytest.fixture
def settings(sqlite_url: str, fake_github: FakeGitHub) -> Settings:
    return make_settings(sqlite_url, fake_github.base_url)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    from service.api.app import create_app
    from service.runtime.compose import build

    app = create_app(build(settings, roles={"api", "worker"}, worker_threads=2))
    with TestClient(app) as test_client:
        yield test_client


def bearer(who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKENS[who][0]}"}


@dataclass(frozen=True, slots=True)
class SlowLabelWrites:
    """Sources whose `web` connector holds every label write until `release` is
    set; `writing` is set when one has begun."""

    sources: SourceConnectors
    writing: threading.Event
    release: threading.Event


def sources_of(settings: Settings) -> SourceConnectors:
    """The connectors of the settings' sources, as the service builds them."""
    return SourceConnectors(settings, policy_of(settings))


def slow_label_writes(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> SlowLabelWrites:
    sources = sources_of(settings)
    connector = sources.get("web")
    write = connector.apply_labels
    writing, release = threading.Event(), threading.Event()

    def slow_write(key: str, add: Sequence[str], remove: Sequence[str]) -> None:
        writing.set()
        release.wait(30)
        write(key, add, remove)

    monkeypatch.setattr(connector, "apply_labels", slow_write)
    sources.put("web", connector)
    return SlowLabelWrites(sources, writing, release)


def synced(client: TestClient, source: str, timeout: float = 20.0) -> dict[str, Any]:
    """Start a sync of `source` through the API (202 with its run) and wait for
    the run to end; the run as the API answers it."""
    started = client.post(f"/api/sources/{source}/sync", headers=bearer("admin"))
    assert started.status_code == 202, started.text
    location = started.headers["Location"]
    assert location == f"/api/sources/{source}/runs/{started.json()['id']}"

    def ended() -> dict[str, Any] | None:
        run: dict[str, Any] = client.get(location, headers=bearer("reader")).json()
        return run if run["state"] != "running" else None

    return wait_for(ended, timeout=timeout, interval=0.05)  # type: ignore[no-any-return]
