"""Group commit of webhook deliveries (service/api/intake.py), on SQLite and
PostgreSQL: deliveries that arrive together are committed together, each
request still gets its own answer, and a row the database refuses fails alone."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from service.db import make_engine, make_sessionmaker
from service.runtime.compose import policy_of
from service.tickets.sources import SourceConnectors
from service.webhooks import intake as webhooks
from service.webhooks.intake import Intake
from service.webhooks.models import WebhookDelivery
from tests.integration.api.signed_deliveries import github_delivery, load_payload, retarget
from tests.integration.app_setup import REPO, SECRET, make_settings


def checked(database_url: str, number: int, delivery_id: str) -> webhooks.Checked:
    """A real issues.opened delivery about issue `number`, checked as the route checks it."""
    settings = make_settings(database_url, "http://127.0.0.1:9")
    payload = retarget(load_payload(), REPO, number, "http://127.0.0.1:9")
    headers, body = github_delivery(payload, SECRET, delivery_id=delivery_id)
    result = webhooks.check(
        tracker="github",
        headers=headers,
        body=body,
        sources=SourceConnectors(settings, policy_of(settings)),
        secret=SECRET,
        handles=lambda event, action: True,
        now=datetime.now(UTC),
    )
    assert isinstance(result, webhooks.Checked)
    return result


@contextmanager
def counting_commits(engine: Engine) -> Iterator[list[int]]:
    """The number of transactions committed on `engine` meanwhile, in a one-item list."""
    commits = [0]

    def on_commit(_connection: object) -> None:
        commits[0] += 1

    event.listen(engine, "commit", on_commit)
    try:
        yield commits
    finally:
        event.remove(engine, "commit", on_commit)


def stored_ids(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as session:
        return sorted(session.scalars(select(WebhookDelivery.delivery_id)))


async def store_together(
    intake: Intake, deliveries: list[webhooks.Checked]
) -> list[webhooks.Received | BaseException]:
    return await asyncio.gather(*(intake.store(d) for d in deliveries), return_exceptions=True)


def test_deliveries_that_arrive_together_are_committed_together_and_each_answered(
    sessions: sessionmaker[Session], engine: Engine, database_url: str
) -> None:
    deliveries = [checked(database_url, n, f"d-{n:02}") for n in range(1, 13)]
    with counting_commits(engine) as commits:
        answers = asyncio.run(store_together(Intake(sessions, max_batch=5), deliveries))
    assert [a.outcome for a in answers if isinstance(a, webhooks.Received)] == ["accepted"] * 12
    assert [a.delivery_id for a in answers if isinstance(a, webhooks.Received)] == [
        f"d-{n:02}" for n in range(1, 13)
    ]
    assert stored_ids(sessions) == [f"d-{n:02}" for n in range(1, 13)]
    assert commits[0] == 3  # 12 deliveries, at most 5 per transaction


def test_a_delivery_repeated_in_one_batch_or_later_is_stored_once(
    sessions: sessionmaker[Session], database_url: str
) -> None:
    first, second = checked(database_url, 1, "same"), checked(database_url, 2, "other")
    again = checked(database_url, 1, "same")
    intake = Intake(sessions)
    answers = asyncio.run(store_together(intake, [first, again, second]))
    assert [a.outcome for a in answers if isinstance(a, webhooks.Received)] == [
        "accepted",
        "duplicate",
        "accepted",
    ]
    later = asyncio.run(store_together(intake, [checked(database_url, 1, "same")]))
    assert [a.outcome for a in later if isinstance(a, webhooks.Received)] == ["duplicate"]
    assert stored_ids(sessions) == ["other", "same"]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(WebhookDelivery)) == 2


def test_a_row_the_database_refuses_fails_only_its_own_request(
    sessions: sessionmaker[Session], backend: str, database_url: str
) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite stores any text; PostgreSQL refuses a NUL character")
    good = [checked(database_url, n, f"good-{n}") for n in (1, 2)]
    bad = checked(database_url, 3, "bad")
    bad = replace(bad, values={**bad.values, "ticket_key": "acme/web#3\x00"})
    answers = asyncio.run(store_together(Intake(sessions), [good[0], bad, good[1]]))
    assert isinstance(answers[1], SQLAlchemyError)
    assert [a.outcome for a in (answers[0], answers[2]) if isinstance(a, webhooks.Received)] == [
        "accepted",
        "accepted",
    ]
    assert stored_ids(sessions) == ["good-1", "good-2"]


def test_when_the_database_is_unreachable_every_request_of_a_batch_fails_at_once() -> None:
    # a server that refuses connections; a row-by-row retry would try once per row
    engine = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/none")
    attempts = [0]

    def on_connect(*_args: object) -> None:
        attempts[0] += 1

    event.listen(engine, "do_connect", on_connect)
    deliveries = [checked("sqlite://", n, f"d-{n}") for n in range(1, 6)]
    try:
        answers = asyncio.run(store_together(Intake(make_sessionmaker(engine)), deliveries))
    finally:
        engine.dispose()
    assert all(isinstance(a, OperationalError) for a in answers)
    assert attempts[0] == 1


def test_a_request_that_goes_away_still_has_its_delivery_stored_and_the_others_answered(
    sessions: sessionmaker[Session], database_url: str
) -> None:
    gone, staying = checked(database_url, 1, "gone"), checked(database_url, 2, "staying")

    async def scenario() -> webhooks.Received:
        intake = Intake(sessions)
        left = asyncio.create_task(intake.store(gone))
        stays = asyncio.create_task(intake.store(staying))
        await asyncio.sleep(0)  # both are waiting for the same commit
        left.cancel()  # the client disconnected
        return await stays

    answer = asyncio.run(scenario())
    assert (answer.outcome, answer.delivery_id) == ("accepted", "staying")
    assert stored_ids(sessions) == ["gone", "staying"]
