"""The MCP server over streamable HTTP at /mcp of a real `serve` process, with
the official SDK's client: the API's tokens and scopes, `report_unclear` seen
on the (fake) GitHub, a person's answer putting the ticket back in the queue,
and two agents claiming at once on PostgreSQL."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from tests.fakes.github import FakeGitHub
from tests.integration.app_setup import GH_TOKEN, REPO, TOKENS
from tests.integration.conftest import fresh_postgres_database, require_postgres
from tests.integration.mcp.conftest import GH_ENV, example_tickets, run_cli, serve
from tests.service_process import clean_env


@pytest.fixture
def fake_github() -> Iterator[FakeGitHub]:
    """The example backlog's open tickets as issues of acme/web."""
    with FakeGitHub() as gh:
        repo = gh.add_repo(REPO)
        gh.add_token(GH_TOKEN, "backlog-bot")
        for ticket in example_tickets():
            if str(ticket.get("state", "open")).lower() == "open":
                repo.add_issue(ticket["title"], ticket["body"])
        yield gh


def synced(config: dict[str, Any], env: dict[str, str], workdir: Path) -> None:
    """`backlog-sync sync web`, as a person runs it, before the service starts."""
    import yaml

    path = workdir / "sync.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    done: subprocess.CompletedProcess[str] = run_cli(
        "sync", "web", "--config", str(path), env=env, cwd=workdir
    )
    assert done.returncode == 0, done.stderr


def with_client(url: str, token: str, scenario: Callable[[Client], Awaitable[None]]) -> None:
    async def main() -> None:
        headers = {"Authorization": f"Bearer {token}"}
        async with (
            httpx2.AsyncClient(headers=headers, timeout=30) as http,
            Client(streamable_http_client(f"{url}/mcp", http_client=http)) as client,
        ):
            await scenario(client)

    anyio.run(main)


@pytest.fixture
def sqlite_env(tmp_path: Path) -> dict[str, str]:
    return clean_env(BACKLOG_SYNC_DATABASE_URL=f"sqlite:///{tmp_path / 'bs.db'}", **GH_ENV)


def test_report_unclear_reaches_the_tracker_and_an_answer_brings_the_ticket_back(
    fake_github: FakeGitHub,
    github_config: Callable[[str], dict[str, Any]],
    sqlite_env: dict[str, str],
    tmp_path: Path,
) -> None:
    config = github_config(fake_github.base_url)
    synced(config, sqlite_env, tmp_path)
    repo = fake_github.repos[REPO]
    claimed: dict[str, Any] = {}

    async def report(client: Client) -> None:
        answer = (await client.call_tool("claim_next", {"agent": "agent-1"})).structured_content
        assert answer is not None and answer["claimed"]
        claimed.update(answer["entry"])
        held = int(claimed["key"].rsplit("#", 1)[1])
        assert "ai:in-progress" in repo.issue_labels(held)  # the claim shows on the issue
        result = await client.call_tool(
            "report_unclear",
            {
                "id": claimed["id"],
                "agent": "agent-1",
                "questions": ["Which rounding applies, @bob?", "Keep <b>legacy</b> totals?"],
            },
        )
        assert not result.is_error, result.content
        assert result.structured_content is not None
        assert result.structured_content["written_to_tracker"] is True
        ready = (await client.call_tool("list_ready", {"limit": 50})).structured_content
        assert ready is not None
        assert claimed["key"] not in [e["key"] for e in ready["entries"]]

    with serve(config, sqlite_env, tmp_path) as url:
        with_client(url, TOKENS["agent"][0], report)
    number = int(claimed["key"].rsplit("#", 1)[1])
    labels = repo.issue_labels(number)
    assert "ai:needs-clarity" in labels and "ai:ready" not in labels
    assert "ai:in-progress" not in labels  # nobody holds it any more
    [comment] = [c["body"] for c in repo.issue_comments(number)]
    assert "Which rounding applies" in comment and "Keep" in comment
    assert "@bob" not in comment  # no one is pinged by an agent's words
    assert re.search(r"(?<!\\)<b>", comment) is None  # the agent's HTML is escaped, inert

    # the next sync leaves it as it is: the ticket did not change
    synced(config, sqlite_env, tmp_path)
    assert "ai:needs-clarity" in repo.issue_labels(number)

    # a person answers in the ticket: the request ends, the ticket is ready again
    body = repo.issues[number]["body"]
    repo.edit_issue(number, body=body + "\n\nRound half to even; drop the legacy totals.")
    synced(config, sqlite_env, tmp_path)
    assert "ai:ready" in repo.issue_labels(number)
    [comment] = [c["body"] for c in repo.issue_comments(number)]
    assert "Which rounding applies" not in comment

    listed = run_cli("queue", "list", "--json", env=sqlite_env, cwd=tmp_path)
    assert claimed["key"] in [e["key"] for e in json.loads(listed.stdout)]


def test_tokens_and_scopes_as_on_the_api(
    fake_github: FakeGitHub,
    github_config: Callable[[str], dict[str, Any]],
    sqlite_env: dict[str, str],
    tmp_path: Path,
) -> None:
    config = github_config(fake_github.base_url)
    synced(config, sqlite_env, tmp_path)

    async def reader(client: Client) -> None:
        ready = await client.call_tool("list_ready", {"limit": 5})
        assert not ready.is_error
        refused = await client.call_tool("claim_next", {"agent": "agent-1"})
        assert refused.is_error
        assert "lacks scope 'claim'" in refused.content[0].text  # type: ignore[union-attr]
        assert ready.structured_content is not None
        entry = ready.structured_content["entries"][0]
        assert entry["state"] == "ready"  # nothing was claimed

    async def agent(client: Client) -> None:
        claimed = await client.call_tool("claim_next", {"agent": "agent-1", "format": "copilot"})
        answer = claimed.structured_content
        assert answer is not None and answer["claimed"]
        entry_id = answer["entry"]["id"]
        assert answer["brief"]["path"].startswith(".github/instructions/")
        beat = await client.call_tool(
            "heartbeat", {"id": entry_id, "agent": "agent-1", "lease_seconds": 600}
        )
        assert beat.structured_content is not None
        assert beat.structured_content["entry"]["state"] == "claimed"
        url = "https://github.com/acme/web/pull/77"
        done = await client.call_tool(
            "complete", {"id": entry_id, "agent": "agent-1", "pull_request_url": url}
        )
        assert done.structured_content is not None
        assert done.structured_content["entry"]["state"] == "done"
        number = int(answer["entry"]["key"].rsplit("#", 1)[1])
        assert "ai:in-progress" not in fake_github.repos[REPO].issue_labels(number)

    with serve(config, sqlite_env, tmp_path) as url:
        with_client(url, TOKENS["reader"][0], reader)
        with_client(url, TOKENS["agent"][0], agent)
        initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}}
        for headers in ({}, {"Authorization": "Bearer not-a-token"}):
            answer = httpx.post(f"{url}/mcp", json=initialize, headers=headers)
            assert answer.status_code == 401
            assert answer.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.postgres
def test_two_agents_claiming_at_once_never_share_an_entry_or_an_area(
    fake_github: FakeGitHub,
    github_config: Callable[[str], dict[str, Any]],
    tmp_path: Path,
) -> None:
    with fresh_postgres_database(require_postgres()) as database_url:
        env = clean_env(BACKLOG_SYNC_DATABASE_URL=database_url, **GH_ENV)
        config = github_config(fake_github.base_url)
        migrated = run_cli("db", "upgrade", env=env, cwd=tmp_path)
        assert migrated.returncode == 0, migrated.stderr
        synced(config, env, tmp_path)
        claims: dict[str, list[dict[str, Any]]] = {"agent-a": [], "agent-b": []}

        async def agent(client: Client, name: str) -> None:
            while True:
                result = await client.call_tool("claim_next", {"agent": name})
                assert not result.is_error, result.content
                answer = result.structured_content
                assert answer is not None
                if not answer["claimed"]:
                    return
                claims[name].append(answer["entry"])

        async def both(first: Client) -> None:
            headers = {"Authorization": f"Bearer {TOKENS['agent'][0]}"}
            async with httpx2.AsyncClient(headers=headers, timeout=30) as http:
                transport = streamable_http_client(f"{url}/mcp", http_client=http)
                async with Client(transport) as second, anyio.create_task_group() as group:
                    group.start_soon(agent, first, "agent-a")
                    group.start_soon(agent, second, "agent-b")

        with serve(config, env, tmp_path) as url:
            with_client(url, TOKENS["agent"][0], both)
    held = claims["agent-a"] + claims["agent-b"]
    assert claims["agent-a"] and claims["agent-b"]
    ids = [e["id"] for e in held]
    assert len(ids) == len(set(ids))
    areas = [a for e in held for a in e["areas"]]
    assert len(areas) == len(set(areas)), "two claims share a code area"
