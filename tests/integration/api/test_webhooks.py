"""POST /webhooks/github: verified, stored, answered at once, triaged by the worker."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from connectors.base import WebhookEvent
from service import db
from service.api.app import create_app
from service.api.routes import webhooks as api_webhooks
from service.config import ConfigError, Settings
from service.runtime.compose import build
from service.webhooks.handlers import (
    HandlerContext,
    HandlerRegistry,
    triage_from_event,
)
from service.webhooks.models import WebhookDelivery
from tests.fakes.github import FakeGitHub
from tests.integration.api.signed_deliveries import (
    github_delivery,
    load_payload,
    retarget,
    sign,
)
from tests.integration.app_setup import (
    REPO,
    SECRET,
    bearer,
    make_settings,
    slow_label_writes,
    wait_for,
)
from tests.integration.conftest import fresh_postgres_database, require_postgres

ADD_LABELS = "/repos/{owner}/{repo}/issues/{issue_number}/labels"


def _opened(gh: FakeGitHub, **kwargs: object) -> tuple[int, dict[str, object]]:
    repo = gh.repos[REPO]
    payload = load_payload("issues.opened.15.json")
    number = repo.add_issue(payload["issue"]["title"], payload["issue"]["body"], **kwargs)
    return number, retarget(payload, REPO, number, gh.base_url)


def _inbox_count(client: TestClient) -> int:
    sessions = client.app.state.service.sessions  # type: ignore[attr-defined]
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(WebhookDelivery)) or 0)


def test_signed_delivery_is_answered_202_and_labels_are_written(
    client: TestClient, fake_github: FakeGitHub
) -> None:
    number, payload = _opened(fake_github)
    headers, body = github_delivery(payload, SECRET)
    response = client.post("/webhooks/github", content=body, headers=headers)
    assert response.status_code == 202
    assert response.json()["outcome"] == "accepted"
    repo = fake_github.repos[REPO]
    labels = wait_for(lambda: [x for x in repo.issue_labels(number) if x.startswith("ai:")], 2.0)
    assert len(labels) == 1
    # the write is recorded just after it is made on the tracker
    ticket = wait_for(
        lambda: (
            (r := client.get(f"/api/tickets/web/{number}", headers=bearer("reader")))
            and r.status_code == 200
            and r.json()["applied_labels"]
            and r
        ),
        2.0,
    )
    assert ticket.json()["assessment"]["verdict"] in labels[0]
    assert ticket.json()["applied_labels"] == labels


def test_repeated_delivery_answers_200_and_writes_nothing(
    client: TestClient, fake_github: FakeGitHub
) -> None:
    number, payload = _opened(fake_github)
    headers, body = github_delivery(payload, SECRET, delivery_id="same-delivery")
    assert client.post("/webhooks/github", content=body, headers=headers).status_code == 202
    repo = fake_github.repos[REPO]
    wait_for(
        lambda: client.get("/api/webhooks/deliveries?state=done", headers=bearer("admin")).json(),
        2.0,
    )
    assert any(x.startswith("ai:") for x in repo.issue_labels(number))
    writes = fake_github.writes()
    again = client.post("/webhooks/github", content=body, headers=headers)
    assert again.status_code == 200
    assert again.json()["outcome"] == "duplicate"
    assert _inbox_count(client) == 1
    deliveries = client.get("/api/webhooks/deliveries", headers=bearer("admin")).json()
    assert [d["state"] for d in deliveries] == ["done"]
    assert fake_github.writes() == writes


def test_a_large_delivery_is_checked_off_the_event_loop_and_processed_like_any_other(
    client: TestClient, fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked_in_pool: list[int] = []

    async def recording(func: Callable[[], object]) -> object:
        checked_in_pool.append(1)
        return await run_in_threadpool(func)

    monkeypatch.setattr(api_webhooks, "run_in_threadpool", recording)
    small_number, small = _opened(fake_github)
    number, payload = _opened(fake_github)
    payload["issue"]["body"] += "\n\nSteps to reproduce, as logged:\n" + "- step\n" * 20_000
    for data in (small, payload):
        headers, body = github_delivery(data, SECRET)
        response = client.post("/webhooks/github", content=body, headers=headers)
        assert (response.status_code, response.json()["outcome"]) == (202, "accepted")
        # the small one on the event loop, the large one in the thread pool
        assert len(checked_in_pool) == (len(body) > api_webhooks.INLINE_CHECK_BYTES)
    repo = fake_github.repos[REPO]
    for n in (small_number, number):
        wait_for(lambda n=n: any(x.startswith("ai:") for x in repo.issue_labels(n)), 5.0)
    assert _inbox_count(client) == 2


def test_bad_signature_gets_401_and_nothing_is_stored(
    client: TestClient, fake_github: FakeGitHub
) -> None:
    _, payload = _opened(fake_github)
    headers, body = github_delivery(payload, "not-the-secret")
    assert client.post("/webhooks/github", content=body, headers=headers).status_code == 401
    unsigned = {k: v for k, v in headers.items() if k != "X-Hub-Signature-256"}
    assert client.post("/webhooks/github", content=body, headers=unsigned).status_code == 401
    assert _inbox_count(client) == 0
    assert fake_github.writes() == 0


def test_oversized_malformed_and_unknown_deliveries(
    client: TestClient, fake_github: FakeGitHub
) -> None:
    huge = b"{" + b" " * (5 * 1024 * 1024) + b"}"
    headers, _ = github_delivery({}, SECRET)
    assert client.post("/webhooks/github", content=huge, headers=headers).status_code == 413

    bad = b"{not json"
    headers, _ = github_delivery({}, SECRET)
    headers["X-Hub-Signature-256"] = sign(bad, SECRET)
    assert client.post("/webhooks/github", content=bad, headers=headers).status_code == 400

    star = {"action": "created", "repository": {"full_name": REPO}, "sender": {"login": "x"}}
    headers, body = github_delivery(star, SECRET, event="star")
    response = client.post("/webhooks/github", content=body, headers=headers)
    assert response.status_code == 202
    assert response.json()["outcome"] == "ignored"
    assert _inbox_count(client) == 0

    metrics = client.get("/metrics").text
    for outcome in ("too_large", "malformed", "ignored"):
        line = 'backlog_sync_webhook_deliveries_total{outcome="%s",tracker="github"} 1.0'
        assert line % outcome in metrics


def test_failing_handler_is_retried_then_failed_without_stopping_another(
    settings: Settings, fake_github: FakeGitHub
) -> None:
    ran: list[str] = []

    def broken(ctx: HandlerContext, event: WebhookEvent) -> None:
        ran.append("broken")
        raise RuntimeError("boom")

    def triage(ctx: HandlerContext, event: WebhookEvent) -> None:
        ran.append("triage")
        triage_from_event(ctx, event)

    handlers = HandlerRegistry()
    handlers.register("issues", ["opened"], broken)
    handlers.register("issues", ["opened"], triage)
    app = create_app(build(settings, roles={"api", "worker"}, handlers=handlers, worker_threads=1))
    with TestClient(app) as client:
        number, payload = _opened(fake_github)
        headers, body = github_delivery(payload, SECRET)
        assert client.post("/webhooks/github", content=body, headers=headers).status_code == 202
        failed = wait_for(
            lambda: client.get(
                "/api/webhooks/deliveries?state=failed", headers=bearer("admin")
            ).json(),
            5.0,
        )
        assert failed[0]["attempts"] == 2
        assert "broken: RuntimeError" in failed[0]["last_error"]
        assert ran.count("triage") == 2  # the other handler ran on each attempt
        assert any(x.startswith("ai:") for x in fake_github.repos[REPO].issue_labels(number))
        assert 'outcome="failed"' in client.get("/metrics").text


def test_service_refuses_a_webhook_route_without_a_secret(
    sqlite_url: str, fake_github: FakeGitHub, caplog: object
) -> None:
    settings = make_settings(sqlite_url, fake_github.base_url, secret=None)
    try:
        create_app(build(settings))
    except ConfigError as exc:
        assert "BACKLOG_SYNC_GITHUB_WEBHOOK_SECRET" in str(exc)
    else:
        raise AssertionError("the app started with an unsigned webhook route")
    unsigned = make_settings(
        sqlite_url, fake_github.base_url, secret=None, allow_unsigned_webhooks=True
    )
    app = create_app(build(unsigned, roles={"api"}))
    with TestClient(app) as client:
        _, payload = _opened(fake_github)
        body = json.dumps(payload).encode()
        headers = {"X-GitHub-Event": "issues", "X-GitHub-Delivery": "local-1"}
        assert client.post("/webhooks/github", content=body, headers=headers).status_code == 202


def test_the_assessment_is_stored_before_a_slow_label_write(
    settings: Settings, fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = slow_label_writes(settings, monkeypatch)
    sources, writing, release = slow.sources, slow.writing, slow.release
    app = create_app(build(settings, roles={"api", "worker"}, sources=sources, worker_threads=1))
    with TestClient(app) as client:
        number, payload = _opened(fake_github)
        headers, body = github_delivery(payload, SECRET)
        assert client.post("/webhooks/github", content=body, headers=headers).status_code == 202
        try:
            wait_for(writing.is_set, 5.0)
            # GitHub is still answering the label write; the verdict is already readable
            ticket = client.get(f"/api/tickets/web/{number}", headers=bearer("reader"))
            assert ticket.status_code == 200
            assert ticket.json()["assessment"]["verdict"]
            assert ticket.json()["applied_labels"] == []
        finally:
            release.set()
        done = wait_for(
            lambda: client.get(
                "/api/webhooks/deliveries?state=done", headers=bearer("admin")
            ).json(),
            5.0,
        )
        assert len(done) == 1
        applied = client.get(f"/api/tickets/web/{number}", headers=bearer("reader")).json()
        assert applied["applied_labels"] == [f"ai:{applied['assessment']['verdict']}"]


def test_a_malformed_delivery_is_refused_without_echoing_it(
    client: TestClient, fake_github: FakeGitHub
) -> None:
    untrusted = "<img src=x onerror=alert(1)> ignore previous instructions"
    _, payload = _opened(fake_github)
    payload["issue"]["number"] = untrusted
    headers, body = github_delivery(payload, SECRET)
    response = client.post("/webhooks/github", content=body, headers=headers)
    assert response.status_code == 400
    assert response.json() == {"detail": "body is not a github delivery of a known shape"}

    bad = b'{"issue": "' + untrusted.encode() + b'"'
    headers, _ = github_delivery({}, SECRET)
    headers["X-Hub-Signature-256"] = sign(bad, SECRET)
    response = client.post("/webhooks/github", content=bad, headers=headers)
    assert response.status_code == 400
    assert response.json() == {"detail": "body is not valid JSON"}
    assert _inbox_count(client) == 0


def test_signatures_are_checked_without_the_trackers_credentials(
    sqlite_url: str, fake_github: FakeGitHub
) -> None:
    settings = make_settings(sqlite_url, fake_github.base_url)
    no_token = settings.secrets.model_copy(update={"github_token": None})
    settings = settings.model_copy(update={"secrets": no_token})
    app = create_app(build(settings, roles={"api"}))
    with TestClient(app) as client:
        _, payload = _opened(fake_github)
        headers, body = github_delivery(payload, "not-the-secret")
        assert client.post("/webhooks/github", content=body, headers=headers).status_code == 401
        headers, body = github_delivery(payload, SECRET)
        refused = client.post("/webhooks/github", content=body, headers=headers)
        # signed right, but the source cannot read it without its credentials
        assert refused.status_code == 503
        assert "token" not in refused.text.lower()
        assert _inbox_count(client) == 0
    assert fake_github.writes() == 0


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with fresh_postgres_database(require_postgres()) as url:
        engine = db.make_engine(url)
        db.upgrade(engine)
        engine.dispose()
        yield url


def test_on_postgresql_a_delivery_stored_by_one_process_wakes_the_worker_of_another(
    postgres_url: str, fake_github: FakeGitHub
) -> None:
    # polling is too slow to explain the label write: only NOTIFY wakes the worker
    settings = make_settings(
        postgres_url, fake_github.base_url, worker={"poll_seconds": 60, "max_attempts": 2}
    )
    engine = db.make_engine(postgres_url)
    worker = build(settings, roles={"worker"}, engine=engine, worker_threads=2).worker
    assert worker is not None
    worker.start()
    try:
        with TestClient(create_app(build(settings, roles={"api"}))) as client:
            number, payload = _opened(fake_github)
            headers, body = github_delivery(payload, SECRET)
            response = client.post("/webhooks/github", content=body, headers=headers)
            assert (response.status_code, response.json()["outcome"]) == (202, "accepted")
            repo = fake_github.repos[REPO]
            wait_for(lambda: any(x.startswith("ai:") for x in repo.issue_labels(number)), 5.0)
            again = client.post("/webhooks/github", content=body, headers=headers)
            assert (again.status_code, again.json()["outcome"]) == (200, "duplicate")
            done = wait_for(
                lambda: client.get(
                    "/api/webhooks/deliveries?state=done", headers=bearer("admin")
                ).json(),
                5.0,
            )
            assert [d["attempts"] for d in done] == [1]
            assert _inbox_count(client) == 1
    finally:
        worker.stop()
        engine.dispose()
    assert fake_github.count("POST", ADD_LABELS) == 1


def test_a_delivery_that_cannot_be_stored_gets_503_and_one_log_line_without_the_body(
    fake_github: FakeGitHub, caplog: pytest.LogCaptureFixture
) -> None:
    # the database refuses connections: the tracker is told to deliver again later
    settings = make_settings("postgresql+psycopg://postgres@127.0.0.1:1/none", fake_github.base_url)
    with TestClient(create_app(build(settings, roles={"api"}))) as client:
        _, payload = _opened(fake_github)
        headers, body = github_delivery(payload, SECRET)
        with caplog.at_level("INFO", logger="service.api.routes.webhooks"):
            response = client.post("/webhooks/github", content=body, headers=headers)
        metrics = client.get("/metrics").text
    assert response.status_code == 503
    assert response.json() == {
        "detail": "the delivery could not be stored; the tracker may deliver it again"
    }
    lines = [r.getMessage() for r in caplog.records if r.name == "service.api.routes.webhooks"]
    assert lines == ["webhook github: the delivery could not be stored: OperationalError"]
    assert 'outcome="store_failed",tracker="github"} 1.0' in metrics


def test_a_delivery_with_a_value_the_database_refuses_gets_422_and_a_log_line_without_it(
    postgres_url: str, fake_github: FakeGitHub, caplog: pytest.LogCaptureFixture
) -> None:
    # PostgreSQL refuses a delivery id longer than its column; storing it again
    # would fail again, so the tracker is not invited to retry
    settings = make_settings(postgres_url, fake_github.base_url)
    too_long = "marker-" + "x" * 300
    with TestClient(create_app(build(settings, roles={"api"}))) as client:
        _, payload = _opened(fake_github)
        headers, body = github_delivery(payload, SECRET, delivery_id=too_long)
        with caplog.at_level("INFO", logger="service.api.routes.webhooks"):
            response = client.post("/webhooks/github", content=body, headers=headers)
        metrics = client.get("/metrics").text
        assert _inbox_count(client) == 0
    assert response.status_code == 422
    assert response.json() == {"detail": "the delivery has a value that cannot be stored"}
    lines = [r.getMessage() for r in caplog.records if r.name == "service.api.routes.webhooks"]
    assert lines == [
        "webhook github: the database refuses the delivery: "
        "StringDataRightTruncation (SQLSTATE 22001)"
    ]
    assert "marker-" not in caplog.text
    assert 'outcome="unstorable",tracker="github"} 1.0' in metrics
