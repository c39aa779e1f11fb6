"""A delivery held by a dead worker is processed once, after its lease runs out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from service import db
from service.config import Settings
from service.inbox_models import WebhookDelivery
from service.metrics import Metrics
from service.webhooks import SourceConnectors, default_handlers
from service.worker import InboxWorker
from tests.fakes.github import FakeGitHub
from tests.integration.api.conftest import REPO, SECRET
from tests.integration.api.signed_deliveries import github_delivery, load_payload, retarget

LABELS = "/repos/{owner}/{repo}/issues/{issue_number}/labels"


def _worker(settings: Settings, sessions: sessionmaker[Session], name: str) -> InboxWorker:
    return InboxWorker(
        sessions,
        SourceConnectors(settings),
        default_handlers(),
        settings.policy,
        settings.file.worker,
        Metrics(),
        worker_id=name,
    )


def test_delivery_of_a_dead_worker_is_taken_after_its_lease(
    settings: Settings, fake_github: FakeGitHub
) -> None:
    engine = db.make_engine(settings.database_url)
    db.ensure_schema(engine)
    sessions = db.make_sessionmaker(engine)
    payload = load_payload()
    number = fake_github.repos[REPO].add_issue(payload["issue"]["title"], payload["issue"]["body"])
    headers, body = github_delivery(retarget(payload, REPO, number, fake_github.base_url), SECRET)
    now = datetime.now(UTC)
    with sessions() as session, session.begin():
        session.add(
            WebhookDelivery(
                tracker="github",
                delivery_id=headers["X-GitHub-Delivery"],
                source="web",
                event="issues",
                action="opened",
                ticket_key=f"{REPO}#{number}",
                headers={k.lower(): v for k, v in headers.items()},
                body=body,
                state="processing",
                attempts=1,
                available_at=now - timedelta(minutes=5),
                lease_owner="dead-worker",
                lease_expires_at=now + timedelta(seconds=30),
                received_at=now - timedelta(minutes=5),
            )
        )
    worker = _worker(settings, sessions, "alive")
    assert worker.run_once() == 0  # the lease still holds: not taken
    assert fake_github.count("POST", LABELS) == 0

    with sessions() as session, session.begin():
        row = session.scalars(select(WebhookDelivery)).one()
        row.lease_expires_at = now - timedelta(seconds=1)
    assert worker.run_once() == 1
    assert worker.run_once() == 0
    other = _worker(settings, sessions, "another")
    assert other.run_once() == 0
    assert fake_github.count("POST", LABELS) == 1
    with sessions() as session:
        row = session.scalars(select(WebhookDelivery)).one()
        assert (row.state, row.attempts, row.lease_owner) == ("done", 2, None)
    engine.dispose()
