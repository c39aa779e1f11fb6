"""`POST /api/sources/{name}/sync` starts the sync and answers 202 with its run
at once, however long the tracker takes; `GET /api/sources/{name}/runs/{id}`
gives the run's outcome (its report, or the tracker's error in one line)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.fakes.github import FakeGitHub
from tests.integration.app_setup import REPO, bearer, synced, wait_for

READY_BODY = (
    "Add a `--since` option to `service/sync.py`.\n\n## Acceptance criteria\n\n"
    "- [ ] `sync --since 2024-01-01` reads only tickets changed since then\n"
    "- [ ] Tests in `tests/test_sync.py`\n\n## Out of scope\n\n- The cursor\n"
)


def test_a_hung_tracker_does_not_hold_the_request(
    client: TestClient, fake_github: FakeGitHub
) -> None:
    number = fake_github.repos[REPO].add_issue("Add --since to sync", READY_BODY)
    fake_github.slow_seconds = 60.0  # every request waits until release_slow is set
    try:
        started = client.post("/api/sources/web/sync", headers=bearer("admin"))
        assert started.status_code == 202
        run = started.json()
        assert run["state"] == "running" and run["report"] is None
        # asked again while it runs: the same run, not a second sync
        again = client.post("/api/sources/web/sync", headers=bearer("admin"))
        assert again.json()["id"] == run["id"]
        location = started.headers["Location"]
        assert client.get(location, headers=bearer("reader")).json()["state"] == "running"
    finally:
        fake_github.release_slow.set()

    def ended() -> dict[str, object] | None:
        answer: dict[str, object] = client.get(location, headers=bearer("reader")).json()
        return answer if answer["state"] != "running" else None

    done = wait_for(ended, timeout=20.0)
    assert done["state"] == "ok" and done["finished_at"] is not None
    assert done["report"]["seen"] == 1  # type: ignore[index]
    assert any(label.startswith("ai:") for label in fake_github.repos[REPO].issue_labels(number))


def test_a_failed_sync_is_a_failed_run_with_one_line(
    client: TestClient, fake_github: FakeGitHub
) -> None:
    fake_github.repos[REPO].add_issue("Add --since to sync", READY_BODY)
    fake_github.fail(401, times=5)
    run = synced(client, "web")
    assert run["state"] == "failed"
    assert run["error"] and "\n" not in run["error"]
    assert "gh-token" not in run["error"]  # the token never appears


def test_unknown_runs_and_sources(client: TestClient) -> None:
    assert client.get("/api/sources/web/runs/999", headers=bearer("reader")).status_code == 404
    assert client.post("/api/sources/nope/sync", headers=bearer("admin")).status_code == 404
    assert client.post("/api/sources/web/sync", headers=bearer("reader")).status_code == 403
