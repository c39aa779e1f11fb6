"""A delivery is processed once: held by a dead worker, it is taken after its
lease runs out; a crash between the triage and the label write still ends with
the labels written once; a slow tracker call does not lose the lease."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from connectors.base import Ticket, WebhookEvent
from service import db
from service.config import Settings, WorkerConfig
from service.runtime.compose import policy_of
from service.runtime.metrics import Metrics
from service.runtime.worker import InboxWorker
from service.scoring import Verdict
from service.tickets import store
from service.tickets.sources import SourceConnectors
from service.triage.sync import sync_source
from service.webhooks.handlers import default_handlers
from service.webhooks.inbox import Inbox
from service.webhooks.models import WebhookDelivery
from tests.fakes.github import FakeGitHub
from tests.integration.api.signed_deliveries import github_delivery, load_payload, retarget
from tests.integration.app_setup import (
    REPO,
    SECRET,
    make_settings,
    slow_label_writes,
    sources_of,
    wait_for,
)

LABELS = "/repos/{owner}/{repo}/issues/{issue_number}/labels"
ASK = frozenset({Verdict.NEEDS_CLARITY})
READY_BODY = """Fix the crash in `app/core/parser.py` when the input file is empty.

## Acceptance criteria
- [ ] `parse('')` in `app/core/parser.py` returns an empty list instead of raising
- [ ] a regression test in `app/core/test_parser.py`

## Out of scope
- other input formats
"""


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


class Crash(BaseException):
    """The process dies (not an error any handler would catch)."""


def _worker(
    settings: Settings,
    sessions: sessionmaker[Session],
    name: str,
    *,
    sources: SourceConnectors | None = None,
    config: WorkerConfig | None = None,
    clock: Clock | None = None,
) -> InboxWorker:
    inbox = Inbox(
        sessions,
        sources or sources_of(settings),
        default_handlers(),
        policy_of(settings),
        config or settings.file.worker,
        Metrics(),
        worker_id=name,
        **({"clock": clock} if clock is not None else {}),
    )
    return InboxWorker(inbox)


@pytest.fixture
def sessions(settings: Settings) -> Iterator[sessionmaker[Session]]:
    engine = db.make_engine(settings.database_url)
    db.ensure_schema(engine)
    yield db.make_sessionmaker(engine)
    engine.dispose()


def _store(
    sessions: sessionmaker[Session],
    gh: FakeGitHub,
    now: datetime,
    **fields: object,
) -> int:
    """A delivery of an `issues.opened` for a new issue; the issue's number."""
    payload = load_payload()
    number = gh.repos[REPO].add_issue(payload["issue"]["title"], payload["issue"]["body"])
    _store_about(sessions, gh, number, now, **fields)
    return number


def _store_about(
    sessions: sessionmaker[Session],
    gh: FakeGitHub,
    number: int,
    now: datetime | None = None,
    *,
    issue: dict[str, object] | None = None,
    **fields: object,
) -> None:
    """A delivery of an `issues.opened` for issue `number` (its `issue` fields
    replaced by those given)."""
    now = now or datetime.now(UTC)
    payload = load_payload()
    payload["issue"].update(issue or {})
    headers, body = github_delivery(retarget(payload, REPO, number, gh.base_url), SECRET)
    values: dict[str, object] = {
        "state": "pending",
        "attempts": 0,
        "available_at": now - timedelta(minutes=5),
        "received_at": now - timedelta(minutes=5),
    }
    values.update(fields)
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
                **values,
            )
        )


def _delivery(sessions: sessionmaker[Session]) -> WebhookDelivery:
    with sessions() as session:
        return session.scalars(select(WebhookDelivery)).one()


def test_delivery_of_a_dead_worker_is_taken_after_its_lease(
    settings: Settings, fake_github: FakeGitHub, sessions: sessionmaker[Session]
) -> None:
    now = datetime.now(UTC)
    _store(
        sessions,
        fake_github,
        now,
        state="processing",
        attempts=1,
        lease_owner="dead-worker",
        lease_expires_at=now + timedelta(seconds=30),
    )
    worker = _worker(settings, sessions, "alive")
    assert worker.run_once() == 0  # the lease still holds: not taken
    assert fake_github.count("POST", LABELS) == 0

    with sessions() as session, session.begin():
        session.execute(update(WebhookDelivery).values(lease_expires_at=now - timedelta(seconds=1)))
    assert worker.run_once() == 1
    assert worker.run_once() == 0
    other = _worker(settings, sessions, "another")
    assert other.run_once() == 0
    assert fake_github.count("POST", LABELS) == 1
    row = _delivery(sessions)
    assert (row.state, row.attempts, row.lease_owner) == ("done", 2, None)


def test_a_crash_between_triage_and_label_write_still_writes_the_labels_once(
    settings: Settings,
    fake_github: FakeGitHub,
    sessions: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    number = _store(sessions, fake_github, datetime.now(UTC))
    key = f"{REPO}#{number}"
    crashing = sources_of(settings)
    connector = crashing.get("web")

    def die(key: str, add: Sequence[str], remove: Sequence[str]) -> None:
        raise Crash

    monkeypatch.setattr(connector, "apply_labels", die)
    crashing.put("web", connector)
    with pytest.raises(Crash):
        _worker(settings, sessions, "crashes", sources=crashing).run_once()

    # the triage was committed before the tracker was written to
    with sessions() as session:
        stored = store.get_ticket(session, connector.source, key)
    assert stored is not None and stored.assessment is not None
    assert stored.applied_labels == ()
    assert fake_github.count("POST", LABELS) == 0
    row = _delivery(sessions)
    assert (row.state, row.lease_owner) == ("processing", "crashes")

    with sessions() as session, session.begin():
        session.execute(
            update(WebhookDelivery).values(
                lease_expires_at=datetime.now(UTC) - timedelta(seconds=1)
            )
        )
    assert _worker(settings, sessions, "next").run_once() == 1

    assert fake_github.count("POST", LABELS) == 1
    labels = [x for x in fake_github.repos[REPO].issue_labels(number) if x.startswith("ai:")]
    assert labels == [f"ai:{stored.assessment.verdict}"]
    with sessions() as session:
        assert len(store.assessment_history(session, connector.source, key)) == 1
        again = store.get_ticket(session, connector.source, key)
    assert again is not None and list(again.applied_labels) == labels
    row = _delivery(sessions)
    assert (row.state, row.attempts, row.lease_owner) == ("done", 2, None)


def test_a_slow_label_write_keeps_the_lease(
    settings: Settings,
    fake_github: FakeGitHub,
    sessions: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = Clock()
    config = settings.file.worker.model_copy(update={"lease_seconds": 0.6})
    slow = slow_label_writes(settings, monkeypatch)
    writing, release = slow.writing, slow.release
    holder = _worker(settings, sessions, "holder", sources=slow.sources, config=config, clock=clock)
    _store(sessions, fake_github, clock.now)
    holder.start()
    try:
        wait_for(writing.is_set, 10.0)
        # the triage is committed: the tracker is written with no transaction open
        with sessions() as session:
            assert store.list_tickets(session)
        # far past the lease taken with the claim: only a renewal keeps it ours
        clock.now += timedelta(seconds=5)
        wait_for(lambda: (_delivery(sessions).lease_expires_at or clock.now) > clock.now, 5.0)
        assert _worker(settings, sessions, "other", config=config, clock=clock).run_once() == 0
        release.set()
        wait_for(lambda: _delivery(sessions).state == "done", 10.0)
    finally:
        release.set()
        holder.stop()
    assert fake_github.count("POST", LABELS) == 1
    assert _delivery(sessions).attempts == 1


def _deliveries(sessions: sessionmaker[Session]) -> dict[str, WebhookDelivery]:
    with sessions() as session:
        return {d.ticket_key or "": d for d in session.scalars(select(WebhookDelivery))}


def test_deliveries_claimed_together_are_each_processed_once(
    settings: Settings, fake_github: FakeGitHub, sessions: sessionmaker[Session]
) -> None:
    numbers = [_store(sessions, fake_github, datetime.now(UTC)) for _ in range(5)]
    worker = _worker(settings, sessions, "batch")

    assert worker.run_once(limit=5) == 5

    assert fake_github.count("POST", LABELS) == 5
    for number in numbers:
        labels = fake_github.repos[REPO].issue_labels(number)
        assert len([x for x in labels if x.startswith("ai:")]) == 1
    rows = _deliveries(sessions).values()
    assert {(d.state, d.attempts, d.lease_owner) for d in rows} == {("done", 1, None)}
    with sessions() as session:
        stored = [store.get_ticket(session, s.source, s.key) for s in store.list_tickets(session)]
    assert len(stored) == 5
    assert all(s is not None and len(s.applied_labels) == 1 for s in stored)


def test_a_delivery_claimed_again_meanwhile_is_left_to_its_new_worker(
    settings: Settings, fake_github: FakeGitHub, sessions: sessionmaker[Session]
) -> None:
    numbers = [_store(sessions, fake_github, datetime.now(UTC)) for _ in range(3)]
    worker = _worker(settings, sessions, "slow")
    claimed = worker.inbox.claim(3)
    taken = f"{REPO}#{numbers[1]}"
    # our lease on the second ran out and another worker claimed it again
    with sessions() as session, session.begin():
        session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.ticket_key == taken)
            .values(lease_owner="newer", attempts=WebhookDelivery.attempts + 1)
        )

    worker.inbox.process(claimed)

    rows = _deliveries(sessions)
    assert (rows[taken].state, rows[taken].lease_owner) == ("processing", "newer")
    others = [rows[f"{REPO}#{n}"] for n in (numbers[0], numbers[2])]
    assert [(d.state, d.lease_owner) for d in others] == [("done", None), ("done", None)]
    assert fake_github.count("POST", LABELS) == 2
    assert not any(x.startswith("ai:") for x in fake_github.repos[REPO].issue_labels(numbers[1]))
    source = sources_of(settings).get("web").source
    with sessions() as session:
        assert store.get_ticket(session, source, f"{REPO}#{numbers[0]}") is not None
        assert store.get_ticket(session, source, taken) is None


def test_a_failing_delivery_in_a_batch_does_not_hold_back_the_others(
    settings: Settings,
    fake_github: FakeGitHub,
    sessions: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    numbers = [_store(sessions, fake_github, datetime.now(UTC)) for _ in range(3)]
    bad = f"{REPO}#{numbers[1]}"
    broken = sources_of(settings)
    connector = broken.get("web")
    parse = connector.parse_webhook

    def parse_without_ticket(headers: dict[str, str], body: bytes) -> WebhookEvent | None:
        event = parse(headers, body)  # the worker has to fetch: the fetch of one crashes
        return None if event is None else replace(event, ticket=None)

    fetch = connector.fetch_one

    def fetch_one(key: str) -> Ticket:
        if key == bad:
            raise RuntimeError("bug")
        return fetch(key)

    monkeypatch.setattr(connector, "parse_webhook", parse_without_ticket)
    monkeypatch.setattr(connector, "fetch_one", fetch_one)
    broken.put("web", connector)

    assert _worker(settings, sessions, "batch", sources=broken).run_once(limit=3) == 3

    rows = _deliveries(sessions)
    assert (rows[bad].state, rows[bad].attempts) == ("pending", 1)
    assert rows[bad].last_error == "route: RuntimeError"
    assert {rows[f"{REPO}#{n}"].state for n in (numbers[0], numbers[2])} == {"done"}
    assert fake_github.count("POST", LABELS) == 2


def test_a_webhook_that_changes_the_verdict_rewrites_our_comment(
    fake_github: FakeGitHub, sqlite_url: str
) -> None:
    settings = make_settings(
        sqlite_url, fake_github.base_url, comments={"verdicts": ["needs-clarity"]}
    )
    engine = db.make_engine(settings.database_url)
    db.ensure_schema(engine)
    sessions = db.make_sessionmaker(engine)
    repo = fake_github.repos[REPO]
    number = repo.add_issue("question", "How do I make this work? not sure, maybe?")
    connector = sources_of(settings).get("web")
    sync_source(sessions, connector, policy_of(settings), comment_verdicts=ASK)
    [ours] = repo.issue_comments(number)
    assert "needs-clarity" in ours["body"]

    # the author rewrites the ticket; only a webhook tells us (no sync runs)
    fixed = {"title": "Fix crash in the parser when the input is empty", "body": READY_BODY}
    repo.edit_issue(number, **fixed)
    _store_about(sessions, fake_github, number, issue={**fixed, "comments": 1})
    inbox = Inbox(
        sessions,
        sources_of(settings),
        default_handlers(),
        policy_of(settings),
        settings.file.worker,
        Metrics(),
        comment_verdicts=ASK,
    )
    assert inbox.run_once() == 1
    assert (_delivery(sessions).state, _delivery(sessions).last_error) == ("done", None)

    [rewritten] = repo.issue_comments(number)
    assert rewritten["id"] == ours["id"]  # edited in place, not a second comment
    assert "needs-clarity" not in rewritten["body"] and "`ready`" in rewritten["body"]
    assert "ai:ready" in repo.issue_labels(number)
    engine.dispose()
