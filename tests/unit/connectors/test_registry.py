"""The registry: source strings, and `verify_webhook`'s dispatch to each tracker's rule."""

from __future__ import annotations

import pytest

from connectors import UnknownSourceError, parse_source, verify_webhook
from connectors.github import GitHubConnector
from connectors.jira import JiraConnector
from connectors.signing import sign

BODY = b'{"action": "opened"}'
SECRET = "hook-secret"


@pytest.mark.parametrize(
    ("kind", "header", "other"),
    [
        ("github", "X-Hub-Signature-256", "X-Hub-Signature"),
        ("jira", "X-Hub-Signature", "X-Hub-Signature-256"),
    ],
)
def test_each_tracker_is_verified_on_its_own_header(kind: str, header: str, other: str) -> None:
    signature = sign(SECRET, BODY)
    assert verify_webhook(kind, SECRET, {header: signature}, BODY)
    assert verify_webhook(kind, SECRET, {header.lower(): signature}, BODY)
    assert not verify_webhook(kind, SECRET, {other: signature}, BODY)
    assert not verify_webhook(kind, "wrong", {header: signature}, BODY)
    assert not verify_webhook(kind, SECRET, {header: signature}, BODY + b"\n")
    assert not verify_webhook(kind, SECRET, {}, BODY)


def test_a_kind_without_webhooks_is_an_error() -> None:
    with pytest.raises(UnknownSourceError):
        verify_webhook("file", SECRET, {}, BODY)


def test_connectors_verify_through_the_same_rule() -> None:
    github = GitHubConnector("octo/app", token="t", webhook_secret=SECRET)
    jira = JiraConnector("https://jira.example", project="SHOP", token="t", webhook_secret=SECRET)
    for connector, kind, header in [
        (github, "github", "X-Hub-Signature-256"),
        (jira, "jira", "X-Hub-Signature"),
    ]:
        for headers in ({header: sign(SECRET, BODY)}, {header: sign("x", BODY)}, {}):
            assert connector.verify_webhook(headers, BODY) == verify_webhook(
                kind, SECRET, headers, BODY
            )


@pytest.mark.parametrize(
    ("text", "kind", "target"),
    [
        ("github:octo/app", "github", "octo/app"),
        ("jira:SHOP", "jira", "SHOP"),
        ("file:export.json", "file", "export.json"),
        ("export.json", "file", "export.json"),
    ],
)
def test_parse_source(text: str, kind: str, target: str) -> None:
    spec = parse_source(text)
    assert (spec.kind, spec.target, spec.name) == (kind, target, f"{kind}:{target}")


def test_parse_source_refuses_an_unknown_kind() -> None:
    with pytest.raises(UnknownSourceError, match="unknown source kind 'gitlab'"):
        parse_source("gitlab:octo/app")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("github:acme", "malformed GitHub repository 'acme' (use github:OWNER/REPO)"),
        ("github:acme/store/extra", "malformed GitHub repository"),
        ("github:", "the github source names nothing (use github:OWNER/REPO)"),
        ("jira:", "the jira source names nothing (use jira:KEY)"),
        ("jira:NOT A KEY", "malformed Jira project key"),
    ],
)
def test_parse_source_says_what_form_a_source_takes(text: str, says: str) -> None:
    with pytest.raises(UnknownSourceError) as refused:
        parse_source(text)
    assert says in str(refused.value)
