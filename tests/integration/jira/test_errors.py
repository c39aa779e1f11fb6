"""Jira failures become connectors.base errors, retried under one backoff, without secrets."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from connectors.base import (
    AuthError,
    BadRequestError,
    NotFoundError,
    RateLimitedError,
    TrackerError,
    UnavailableError,
)
from connectors.jira import JiraConnector
from connectors.retry import Backoff
from tests.fakes.jira import FakeJira
from tests.integration.jira.conftest import RecordedSleep

Connect = Callable[..., JiraConnector]
T0 = datetime(2024, 1, 15, 10, 0, tzinfo=UTC)


def secrets_of(fake: FakeJira) -> list[str]:
    import base64

    basic = base64.b64encode(f"{fake.email}:{fake.api_token}".encode()).decode()
    return [fake.api_token, fake.token, basic]


def assert_no_secret(fake: FakeJira, text: str) -> None:
    for secret in secrets_of(fake):
        assert secret not in text


def test_a_429_waits_as_told_once_then_succeeds(
    jira: FakeJira, connect: Connect, sleep: RecordedSleep
) -> None:
    jira.add_issue("x", updated=T0)
    jira.fail(429, retry_after="7", route="/search")

    tickets = list(connect(jira).fetch_changed(None))

    assert [t.key for t in tickets] == ["PROJ-1"]
    assert sleep.waits == [7.0]


def test_503_is_retried_with_backoff(jira: FakeJira, connect: Connect) -> None:
    issue = jira.add_issue("x", updated=T0)
    jira.fail(503, times=2, route="/issue/")

    assert connect(jira).fetch_one(issue.key).key == issue.key


def test_rate_limit_beyond_the_backoff_surfaces_with_its_retry_time(
    jira: FakeJira, connect: Connect
) -> None:
    jira.fail(429, times=5, retry_after="600", route="/search")

    with pytest.raises(RateLimitedError) as caught:
        list(connect(jira, backoff=Backoff(max_wait=60)).fetch_changed(None))
    assert caught.value.retry_after == 600.0


@pytest.mark.parametrize(
    ("status", "error"),
    [(401, AuthError), (403, AuthError), (404, NotFoundError), (503, UnavailableError)],
)
def test_statuses_map_to_tracker_errors_without_secrets(
    jira: FakeJira,
    connect: Connect,
    status: int,
    error: type[TrackerError],
    caplog: pytest.LogCaptureFixture,
) -> None:
    issue = jira.add_issue("x", updated=T0)
    jira.fail(status, times=10, route="/issue/")
    connector = connect(jira, webhook_secret="hook-secret-xyz")
    caplog.set_level(logging.DEBUG)

    with pytest.raises(error) as caught:
        connector.fetch_one(issue.key)

    text = f"{caught.value} {caught.value!r} {connector!r} {caplog.text}"
    assert f"HTTP {status}" in str(caught.value)
    assert_no_secret(jira, text)
    assert "hook-secret-xyz" not in text
    assert caught.value.__cause__ is None  # the library's error (with headers) is not chained


def test_wrong_credentials_are_an_auth_error(jira: FakeJira, connect: Connect) -> None:
    wrong = (
        {"api_token": "wrong-token-abc"}
        if jira.deployment == "Cloud"
        else {"token": "wrong-token-abc"}
    )

    with pytest.raises(AuthError) as caught:
        list(connect(jira, **wrong).fetch_changed(None))
    assert "wrong-token-abc" not in f"{caught.value} {caught.value!r}"


def test_bad_jql_is_a_bad_request_with_jiras_reason(jira: FakeJira, connect: Connect) -> None:
    with pytest.raises(BadRequestError, match="Field 'nosuchfield' does not exist"):
        list(connect(jira, jql="nosuchfield = 3").fetch_changed(None))


def test_an_unreachable_server_is_unavailable(connect: Connect, sleep: RecordedSleep) -> None:
    with FakeJira(deployment="Cloud") as fake:
        url = fake.url
    connector = JiraConnector(
        url, project="PROJ", email="a@b.c", api_token="tok-unreachable-1", sleep=sleep, timeout=1
    )

    with pytest.raises(UnavailableError) as caught:
        connector.fetch_one("PROJ-1")
    assert "tok-unreachable-1" not in str(caught.value)
    assert len(sleep.waits) == Backoff().attempts - 1
