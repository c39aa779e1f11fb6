"""Tracker failures surface as connectors.base errors, retried under one policy, without secrets."""

from __future__ import annotations

import logging

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from connectors.base import (
    AuthError,
    NotFoundError,
    RateLimitedError,
    UnavailableError,
)
from connectors.github import GitHubConnector
from connectors.retry import Backoff
from tests.fakes.github import FakeGitHub, FakeRepo

from .conftest import REPO, TOKEN, SleepRecorder

ISSUES = "/repos/{owner}/{repo}/issues"


def test_bad_credentials_are_an_auth_error_without_the_token(
    github: FakeGitHub, repo: FakeRepo, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = "ghp_wrongtoken_SECRET_987654321"
    connector = GitHubConnector(REPO, token=wrong, base_url=github.base_url)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(AuthError) as raised:
        list(connector.fetch_changed(None))
    assert "401" in str(raised.value)
    for text in (str(raised.value), repr(raised.value), repr(connector), caplog.text):
        assert wrong not in text
    assert (
        raised.value.__cause__ is None and raised.value.__context__ is None
    ) or wrong not in str(raised.value.__context__)


def test_missing_issue_is_not_found(repo: FakeRepo, connector: GitHubConnector) -> None:
    with pytest.raises(NotFoundError):
        connector.fetch_one(f"{REPO}#404")
    with pytest.raises(NotFoundError):
        connector.fetch_one("someone/else#1")


def test_429_waits_for_retry_after_then_succeeds(
    github: FakeGitHub, repo: FakeRepo, connector: GitHubConnector, sleeps: SleepRecorder
) -> None:
    repo.add_issue("x")
    github.fail(429, retry_after=2, route=ISSUES)
    assert len(list(connector.fetch_changed(None))) == 1
    assert sleeps.waits == [2.0]
    assert github.count("GET", ISSUES) == 2


def test_secondary_rate_limit_honours_retry_after(
    github: FakeGitHub, repo: FakeRepo, connector: GitHubConnector, sleeps: SleepRecorder
) -> None:
    n = repo.add_issue("x")
    github.fail_secondary_rate_limit(retry_after=3)
    connector.apply_labels(f"{REPO}#{n}", ["ai:ready"], [])
    assert sleeps.waits == [3.0]
    assert repo.issue_labels(n) == ["ai:ready"]


def test_primary_rate_limit_waits_until_the_reset(
    github: FakeGitHub, repo: FakeRepo, connector: GitHubConnector, sleeps: SleepRecorder
) -> None:
    repo.add_issue("x")
    github.fail_primary_rate_limit(reset_in=5)
    list(connector.fetch_changed(None))
    assert len(sleeps.waits) == 1 and 3.0 <= sleeps.waits[0] <= 7.0


def test_a_wait_longer_than_the_policy_allows_is_raised_with_its_time(
    github: FakeGitHub, repo: FakeRepo, sleeps: SleepRecorder
) -> None:
    connector = GitHubConnector(
        REPO, token=TOKEN, base_url=github.base_url, backoff=Backoff(max_wait=10), sleep=sleeps
    )
    github.fail(429, retry_after=600)
    with pytest.raises(RateLimitedError) as raised:
        connector.fetch_one(f"{REPO}#1")
    assert raised.value.retry_after == 600 and sleeps.waits == []


def test_server_errors_are_retried_then_reported_unavailable(
    github: FakeGitHub, repo: FakeRepo, connector: GitHubConnector, sleeps: SleepRecorder
) -> None:
    n = repo.add_issue("x")
    github.fail(500, times=1)
    assert connector.fetch_one(f"{REPO}#{n}").title == "x"

    github.fail(500, times=10)
    with pytest.raises(UnavailableError):
        connector.fetch_one(f"{REPO}#{n}")
    assert len(sleeps.waits) == 1 + 3  # one retry, then three before giving up (4 attempts)


def test_unreachable_server_is_unavailable(github: FakeGitHub, sleeps: SleepRecorder) -> None:
    connector = GitHubConnector(
        REPO,
        token=TOKEN,
        base_url="http://127.0.0.1:9",
        backoff=Backoff(attempts=2, base=0.01),
        sleep=sleeps,
    )
    with pytest.raises(UnavailableError):
        connector.fetch_one(f"{REPO}#1")
    assert len(sleeps.waits) == 1


def test_github_app_auth_resolves_the_installation_from_the_repository(
    github: FakeGitHub, repo: FakeRepo
) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    github.add_app("4242", public_pem, slug="backlog-sync")
    github.install_app("4242", repo)
    n = repo.add_issue("Fix it")
    connector = GitHubConnector(
        REPO, app_id="4242", private_key=private_pem, base_url=github.base_url
    )

    assert connector.fetch_one(f"{REPO}#{n}").title == "Fix it"
    connector.apply_labels(f"{REPO}#{n}", ["ai:ready"], [])

    assert repo.events[n][-1]["actor"]["login"] == "backlog-sync[bot]"
    assert github.count("GET", "/repos/{owner}/{repo}/installation") == 1
    assert github.count("POST", "/app/installations/{installation_id}/access_tokens") == 1
    assert "PRIVATE KEY" not in repr(connector) and private_pem not in repr(vars(connector))


def test_an_unusable_private_key_is_an_auth_error_that_does_not_quote_it(
    github: FakeGitHub,
) -> None:
    connector = GitHubConnector(
        REPO, app_id="1", private_key="not-a-key-SECRET", base_url=github.base_url
    )
    with pytest.raises(AuthError) as raised:
        connector.fetch_one(f"{REPO}#1")
    assert "not-a-key-SECRET" not in str(raised.value)
