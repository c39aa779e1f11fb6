"""What a signed delivery must carry before it is stored (service/webhooks/intake.check):
a delivery id, and a repository or project that a configured source covers."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from service.config import FileConfig, Secrets, Settings
from service.runtime.compose import policy_of
from service.tickets.sources import SourceConnectors
from service.webhooks import intake
from tests.integration.api.signed_deliveries import github_delivery, load_payload, retarget, sign
from tests.integration.app_setup import REPO, SECRET, make_settings

JIRA_SECRET = "jira-webhook-secret"


def check(
    settings: Settings, tracker: str, headers: dict[str, str], body: bytes, secret: str
) -> intake.Received | intake.Checked:
    return intake.check(
        tracker=tracker,
        headers=headers,
        body=body,
        sources=SourceConnectors(settings, policy_of(settings)),
        secret=secret,
        handles=lambda event, action: True,
        now=datetime.now(UTC),
    )


def test_a_github_delivery_without_its_delivery_id_is_refused(tmp_path: Any) -> None:
    settings = make_settings(f"sqlite:///{tmp_path / 'x.db'}", "http://127.0.0.1:9")
    payload = retarget(load_payload(), REPO, 7, "http://127.0.0.1:9")
    headers, body = github_delivery(payload, SECRET)
    del headers["X-GitHub-Delivery"]
    with pytest.raises(intake.WebhookRejected) as refused:
        check(settings, "github", headers, body, SECRET)
    assert refused.value.status_code == 400
    assert "X-GitHub-Delivery" in refused.value.message

    headers, body = github_delivery(payload, SECRET)  # with its id, the same delivery is stored
    assert isinstance(check(settings, "github", headers, body, SECRET), intake.Checked)


def jira_settings(tmp_path: Any, *sources: dict[str, Any]) -> Settings:
    secrets = Secrets(
        database_url=f"sqlite:///{tmp_path / 'x.db'}",
        jira_token="jira-pat",
        jira_webhook_secret=JIRA_SECRET,
    )
    file = FileConfig.model_validate({"sources": list(sources)})
    return Settings(secrets=secrets, file=file, config_path=None)


def jira_delivery(key: str) -> tuple[dict[str, str], bytes]:
    payload = {
        "timestamp": 1718000000000,
        "webhookEvent": "jira:issue_updated",
        "issue": {"id": "10001", "key": key, "fields": {"summary": "A ticket"}},
    }
    body = json.dumps(payload).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Atlassian-Webhook-Identifier": f"delivery-{key}",
        "X-Hub-Signature": sign(body, JIRA_SECRET),
    }
    return headers, body


def test_a_jira_delivery_for_a_project_no_source_covers_is_not_stored(tmp_path: Any) -> None:
    settings = jira_settings(
        tmp_path,
        {
            "type": "jira",
            "name": "core",
            "project": "CORE",
            "server": "http://127.0.0.1:9",
            "deployment": "server",
        },
    )
    headers, body = jira_delivery("OTHER-1")
    result = check(settings, "jira", headers, body, JIRA_SECRET)
    assert isinstance(result, intake.Received) and result.outcome == "ignored"

    headers, body = jira_delivery("CORE-1")
    checked = check(settings, "jira", headers, body, JIRA_SECRET)
    assert isinstance(checked, intake.Checked) and checked.values["source"] == "core"


def test_a_jira_source_with_its_own_query_covers_any_project(tmp_path: Any) -> None:
    settings = jira_settings(
        tmp_path,
        {
            "type": "jira",
            "name": "mine",
            "jql": "assignee = currentUser()",
            "server": "http://127.0.0.1:9",
            "deployment": "server",
        },
    )
    headers, body = jira_delivery("ANY-5")
    checked = check(settings, "jira", headers, body, JIRA_SECRET)
    assert isinstance(checked, intake.Checked) and checked.values["source"] == "mine"


def jira_link_delivery() -> tuple[dict[str, str], bytes]:
    payload = {
        "timestamp": 1718000000000,
        "webhookEvent": "issuelink_created",
        "issueLink": {"id": 10200, "sourceIssueId": 10001, "destinationIssueId": 10002},
    }
    body = json.dumps(payload).encode()
    headers = {
        "X-Atlassian-Webhook-Identifier": "delivery-link",
        "X-Hub-Signature": sign(body, JIRA_SECRET),
    }
    return headers, body


def _project_source(name: str, project: str) -> dict[str, Any]:
    return {
        "type": "jira",
        "name": name,
        "project": project,
        "server": "http://127.0.0.1:9",
        "deployment": "server",
    }


def test_a_jira_link_delivery_goes_to_the_one_jira_source_and_to_none_of_several(
    tmp_path: Any,
) -> None:
    # the delivery names its issues by id alone, so their project is not known here
    one = jira_settings(tmp_path, _project_source("core", "CORE"))
    headers, body = jira_link_delivery()
    checked = check(one, "jira", headers, body, JIRA_SECRET)
    assert isinstance(checked, intake.Checked)
    assert (checked.values["source"], checked.values["ticket_key"]) == ("core", "10001")

    several = jira_settings(
        tmp_path, _project_source("core", "CORE"), _project_source("ops", "OPS")
    )
    result = check(several, "jira", headers, body, JIRA_SECRET)
    assert isinstance(result, intake.Received) and result.outcome == "ignored"

    headers["X-Hub-Signature"] = sign(body, "not-the-secret")
    with pytest.raises(intake.WebhookRejected) as refused:
        check(one, "jira", headers, body, JIRA_SECRET)
    assert refused.value.status_code == 401
