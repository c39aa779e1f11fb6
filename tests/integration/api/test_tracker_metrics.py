"""The tracker-call and rate-limit metrics count what the connectors really do."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.fakes.github import FakeGitHub
from tests.integration.api.signed_deliveries import load_payload
from tests.integration.app_setup import REPO, bearer, synced


def metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample of `name` whose labels include `labels` (0 when absent)."""
    total = 0.0
    for line in text.splitlines():
        sample = re.fullmatch(re.escape(name) + r"\{(.*)\} (\S+)", line)
        if sample is None:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', sample.group(1)))
        if all(found.get(k) == v for k, v in labels.items()):
            total += float(sample.group(2))
    return total


def test_tracker_calls_and_rate_limit_waits_are_counted(
    client: TestClient, fake_github: FakeGitHub
) -> None:
    payload = load_payload("issues.opened.15.json")
    number = fake_github.repos[REPO].add_issue(payload["issue"]["title"], payload["issue"]["body"])
    fake_github.fail_secondary_rate_limit(retry_after=1, times=1)
    answer = client.post(f"/api/tickets/web/{number}/rescore", headers=bearer("admin"))
    assert answer.status_code == 200, answer.text

    text = client.get("/metrics").text
    source = "web"  # the configured name, as every answer gives it
    calls = "backlog_sync_tracker_calls_total"
    assert metric(text, calls, source=source, operation="GET issues/{n}", status="ok") >= 1
    assert metric(text, calls, source=source, status="RateLimitedError") == 1
    assert metric(text, calls, source=source, operation="POST issues/{n}/labels", status="ok") == 1
    assert metric(text, "backlog_sync_rate_limit_waits_total", source=source) == 1
    assert metric(text, "backlog_sync_rate_limit_wait_seconds_total", source=source) >= 1
    operations = re.findall(calls + r'\{operation="([^"]*)"', text)
    assert operations and not any(ch.isdigit() for op in operations for ch in op)  # no keys


def test_requests_and_the_last_successful_sync_are_measured(
    client: TestClient, fake_github: FakeGitHub
) -> None:
    payload = load_payload("issues.opened.15.json")
    fake_github.repos[REPO].add_issue(payload["issue"]["title"], payload["issue"]["body"])
    assert client.get("/api/queue/12345", headers=bearer("reader")).status_code == 404
    run = synced(client, "web")
    assert run["state"] == "ok" and run["report"]["error"] is None

    text = client.get("/metrics").text
    requests = "backlog_sync_http_requests_total"
    assert metric(text, requests, method="GET", route="/api/queue/{entry_id}", status="404") == 1
    assert (
        metric(text, requests, method="POST", route="/api/sources/{name}/sync", status="202") == 1
    )
    assert "12345" not in "".join(line for line in text.splitlines() if line.startswith(requests))
    last = metric(text, "backlog_sync_source_last_success_timestamp_seconds", source="web")
    assert last > 1.7e9  # a Unix time: the sync just ended without an error
