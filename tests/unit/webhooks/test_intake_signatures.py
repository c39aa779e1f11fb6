"""service.webhooks.signature_matches: a pure function of secret, headers and body."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from service.webhooks.intake import signature_matches

BODY = b'{"action": "opened"}'


def _sign(body: bytes, secret: str = "s3cret") -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.mark.parametrize(
    ("tracker", "header"), [("github", "X-Hub-Signature-256"), ("jira", "X-Hub-Signature")]
)
def test_a_signature_matches_only_its_secret_and_body(tracker: str, header: str) -> None:
    assert signature_matches(tracker, "s3cret", {header: _sign(BODY)}, BODY)
    assert signature_matches(tracker, "s3cret", {header.lower(): _sign(BODY)}, BODY)
    assert not signature_matches(tracker, "other", {header: _sign(BODY)}, BODY)
    assert not signature_matches(tracker, "s3cret", {header: _sign(BODY)}, BODY + b" ")
    assert not signature_matches(tracker, "s3cret", {header: _sign(BODY)[7:]}, BODY)
    assert not signature_matches(tracker, "s3cret", {}, BODY)


def test_the_other_trackers_header_does_not_count() -> None:
    assert not signature_matches("github", "s3cret", {"X-Hub-Signature": _sign(BODY)}, BODY)


def test_a_signature_with_odd_characters_is_refused_not_an_error() -> None:
    assert not signature_matches("github", "s3cret", {"X-Hub-Signature-256": "sha256=é€"}, BODY)
