"""Credentials never show themselves, and scrubbing takes them out of any text."""

from __future__ import annotations

from connectors.secrets import Secret, scrub


def test_secret_never_shows_itself() -> None:
    secret = Secret("ghp_abc123")
    assert "ghp_abc123" not in repr(secret)
    assert "ghp_abc123" not in str(secret)
    assert "ghp_abc123" not in f"{[secret]}"
    assert secret.reveal() == "ghp_abc123"


def test_scrub_removes_every_credential_given_as_text_or_secret() -> None:
    text = "token ghp_abc123 rejected; key pat-xyz; hook whsec"
    cleaned = scrub(text, [Secret("ghp_abc123"), "pat-xyz", None, "", Secret("whsec")])
    assert cleaned == "token *** rejected; key ***; hook ***"


def test_scrub_takes_the_longer_secret_first() -> None:
    # "abc" inside "abcdef": replacing the short one first would leave "***def"
    assert scrub("key abcdef", ["abc", "abcdef"]) == "key ***"


def test_scrub_removes_a_url_secrets_path_when_only_the_path_is_quoted() -> None:
    hook = "https://hooks.slack.com/services/T000/B000/XXXXSECRET"
    text = f"POST {hook} failed; 404 for /services/T000/B000/XXXXSECRET"
    assert scrub(text, [Secret(hook)]) == "POST *** failed; 404 for /***"


def test_scrub_removes_a_url_path_quoted_decoded() -> None:
    hook = "https://example.com/hooks/a%20b"
    assert scrub("sent to /hooks/a b", [hook]) == "sent to /***"


def test_scrub_keeps_a_bare_host_url_and_ordinary_text() -> None:
    assert scrub("GET / on https://example.com/", ["https://example.com/"]) == "GET / on ***"
