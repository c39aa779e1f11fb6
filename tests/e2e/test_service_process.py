"""The service as a real process (`service.runtime.server.serve` in a subprocess, on a
random port) against the fake GitHub: a signed real payload leads to the label
write within 2 seconds; the same delivery again writes nothing; a bad
signature gets 401."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from tests.fakes.github import FakeGitHub
from tests.integration.api.signed_deliveries import (
    WEBHOOKS,
    github_delivery,
    load_payload,
    retarget,
)
from tests.integration.app_setup import GH_TOKEN, REPO, SECRET, wait_for
from tests.service_process import clean_env, free_port, running

ROOT = Path(__file__).resolve().parents[2]
LABELS = "/repos/{owner}/{repo}/issues/{issue_number}/labels"
LAUNCH = (
    "import sys; from service.runtime.compose import load; "
    "from service.runtime.server import serve; "
    "serve(*load(), {'api', 'worker', 'scheduler'}, '127.0.0.1', int(sys.argv[1]))"
)


@pytest.fixture
def fake_github() -> Iterator[FakeGitHub]:
    if not WEBHOOKS.is_dir():
        pytest.skip(f"{WEBHOOKS} is absent (../shared/data is needed)")
    with FakeGitHub() as gh:
        gh.add_repo(REPO)
        gh.add_token(GH_TOKEN, "backlog-bot")
        yield gh


@pytest.fixture
def service_url(fake_github: FakeGitHub, tmp_path: Path) -> Iterator[str]:
    config = tmp_path / "backlog-sync.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "sources": [
                    {
                        "type": "github",
                        "name": "web",
                        "repo": REPO,
                        "base_url": fake_github.base_url,
                    }
                ],
                "schedules": {"sync_enabled": False},
            }
        )
    )
    port = free_port()
    env = clean_env(
        BACKLOG_SYNC_CONFIG=str(config),
        BACKLOG_SYNC_DATABASE_URL=f"sqlite:///{tmp_path / 'service.db'}",
        BACKLOG_SYNC_GITHUB_TOKEN=GH_TOKEN,
        BACKLOG_SYNC_GITHUB_WEBHOOK_SECRET=SECRET,
    )
    argv = [sys.executable, "-c", LAUNCH, str(port)]
    with running(argv, port=port, env=env, cwd=tmp_path) as url:
        yield url


def test_webhook_to_label_write_through_the_real_process(
    service_url: str, fake_github: FakeGitHub
) -> None:
    repo = fake_github.repos[REPO]
    payload = load_payload("issues.opened.15.json")
    number = repo.add_issue(payload["issue"]["title"], payload["issue"]["body"])
    headers, body = github_delivery(retarget(payload, REPO, number, fake_github.base_url), SECRET)

    bad_headers, _ = github_delivery(payload, "wrong-secret")
    bad_headers["X-Hub-Signature-256"] = github_delivery({}, "wrong")[0]["X-Hub-Signature-256"]
    refused = httpx.post(f"{service_url}/webhooks/github", content=body, headers=bad_headers)
    assert refused.status_code == 401

    started = time.monotonic()
    response = httpx.post(f"{service_url}/webhooks/github", content=body, headers=headers)
    assert response.status_code == 202
    wait_for(lambda: fake_github.count("POST", LABELS) >= 1, timeout=2.0, interval=0.01)
    elapsed = time.monotonic() - started
    assert elapsed < 2.0
    assert any(label.startswith("ai:") for label in repo.issue_labels(number))

    writes = fake_github.writes()
    again = httpx.post(f"{service_url}/webhooks/github", content=body, headers=headers)
    assert again.status_code == 200
    # the duplicate is not stored, so there is no later write to wait for: the
    # inbox holds one delivery, processed once
    metrics = httpx.get(f"{service_url}/metrics").text
    assert 'backlog_sync_webhook_deliveries_total{outcome="duplicate",tracker="github"} 1.0' in (
        metrics
    )
    assert (
        'backlog_sync_webhook_deliveries_total{outcome="bad_signature",tracker="github"} 1.0'
        in (metrics)
    )
    assert fake_github.writes() == writes
    wait_for(
        lambda: (
            'backlog_sync_webhook_inbox{state="done"} 1.0'
            in httpx.get(f"{service_url}/metrics").text
        )
    )
