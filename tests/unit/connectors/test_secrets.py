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
