"""The MCP server over stdio, as an IDE starts it (`backlog-sync mcp`), driven
by the official SDK's client: the tools an agent sees, a claim with its brief,
the errors an agent can act on, and a ticket handed back as unclear."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from tests.integration.mcp.conftest import CLI, EXAMPLES, example_tickets, run_cli
from tests.service_process import clean_env

TOOLS = {
    "list_ready",
    "claim_next",
    "get_brief",
    "heartbeat",
    "release",
    "complete",
    "report_unclear",
}


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example backlog synced into a SQLite file, as a user has it (once)."""
    where = tmp_path_factory.mktemp("synced")
    (where / "backlog.json").write_text(EXAMPLES.read_text(encoding="utf-8"))
    done = run_cli("sync", "backlog.json", env=env_of(where), cwd=where)
    assert done.returncode == 0, done.stderr
    return where


@pytest.fixture
def workdir(synced: Path, tmp_path: Path) -> Path:
    """A copy of the synced directory of its own, for one test."""
    for name in ("backlog.json", "bs.db"):
        shutil.copy(synced / name, tmp_path / name)
    return tmp_path


def env_of(workdir: Path) -> dict[str, str]:
    return clean_env(BACKLOG_SYNC_DATABASE_URL=f"sqlite:///{workdir / 'bs.db'}")


def with_client(workdir: Path, scenario: Callable[[Client], Awaitable[None]]) -> None:
    params = StdioServerParameters(command=CLI, args=["mcp"], env=env_of(workdir), cwd=workdir)

    async def main() -> None:
        async with Client(params) as client:
            await scenario(client)

    anyio.run(main)


def criteria_of(key: str) -> list[str]:
    """The acceptance criteria written in the example ticket `key`."""
    number = int(key.rsplit("#", 1)[1])
    body = next(t["body"] for t in example_tickets() if t["number"] == number)
    section = body.split("## Acceptance criteria", 1)[1].split("\n## ", 1)[0]
    return [m.group(1).strip() for m in re.finditer(r"^- \[ \] (.+)$", section, re.MULTILINE)]


def test_an_agent_sees_the_seven_tools_with_schemas_it_can_act_on(workdir: Path) -> None:
    async def scenario(client: Client) -> None:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        assert set(tools) == TOOLS
        for tool in tools.values():
            assert tool.description, tool.name
            assert tool.output_schema is not None, tool.name
            for name, field in tool.input_schema["properties"].items():
                assert field.get("description"), (tool.name, name)
        claim = tools["claim_next"].input_schema
        assert claim["required"] == ["agent"]
        assert "claude" in claim["properties"]["format"]["enum"]
        prompts = [p.name for p in (await client.list_prompts()).prompts]
        assert prompts == ["work-on-next-task"]
        prompt = await client.get_prompt("work-on-next-task", {"agent": "agent-7"})
        text = prompt.messages[0].content.text  # type: ignore[union-attr]
        assert "agent-7" in text and "claim_next" in text and "report_unclear" in text

    with_client(workdir, scenario)


def test_claim_brief_heartbeat_and_complete(workdir: Path) -> None:
    async def scenario(client: Client) -> None:
        ready = (await client.call_tool("list_ready", {"limit": 50})).structured_content
        assert ready is not None
        first = ready["entries"][0]
        claimed = await client.call_tool("claim_next", {"agent": "agent-1", "format": "claude"})
        assert not claimed.is_error
        answer = claimed.structured_content
        assert answer is not None and answer["claimed"] is True
        entry, brief = answer["entry"], answer["brief"]
        assert entry["id"] == first["id"] and entry["state"] == "claimed"
        assert entry["url"].startswith("https://github.com/acme/storefront/issues/")
        assert brief["path"] == "CLAUDE.md"
        criteria = criteria_of(entry["key"])
        assert criteria and all(c in brief["content"] for c in criteria)
        # the same answer as text, for clients that read only text
        assert json.loads(claimed.content[0].text)["entry"]["id"] == entry["id"]  # type: ignore[union-attr]

        again = await client.call_tool("get_brief", {"id": entry["id"], "format": "cursor"})
        assert again.structured_content is not None
        assert again.structured_content["path"].startswith(".cursor/rules/")
        resource = await client.read_resource(f"brief://{entry['id']}/agents")
        assert all(c in resource.contents[0].text for c in criteria)  # type: ignore[union-attr]

        beat = await client.call_tool(
            "heartbeat", {"id": entry["id"], "agent": "agent-1", "lease_seconds": 7200}
        )
        assert beat.structured_content is not None
        assert beat.structured_content["entry"]["lease_expires_at"] > entry["lease_expires_at"]

        done = await client.call_tool(
            "complete",
            {
                "id": entry["id"],
                "agent": "agent-1",
                "pull_request_url": "https://github.com/acme/storefront/pull/900",
            },
        )
        assert done.structured_content is not None
        assert done.structured_content["entry"]["state"] == "done"
        after = (await client.call_tool("list_ready", {"limit": 50})).structured_content
        assert after is not None
        assert entry["id"] not in [e["id"] for e in after["entries"]]

    with_client(workdir, scenario)


def test_errors_say_what_to_do_next(workdir: Path) -> None:
    async def scenario(client: Client) -> None:
        claimed = (await client.call_tool("claim_next", {"agent": "agent-1"})).structured_content
        assert claimed is not None
        entry_id = claimed["entry"]["id"]

        wrong = await client.call_tool("heartbeat", {"id": entry_id, "agent": "agent-2"})
        assert wrong.is_error
        assert "not claimed by 'agent-2'" in wrong.content[0].text  # type: ignore[union-attr]
        assert "claim_next" in wrong.content[0].text  # type: ignore[union-attr]

        unknown = await client.call_tool("release", {"id": 999999, "agent": "agent-1"})
        assert unknown.is_error
        assert "does not exist" in unknown.content[0].text  # type: ignore[union-attr]
        assert "list_ready" in unknown.content[0].text  # type: ignore[union-attr]

        released = await client.call_tool(
            "release", {"id": entry_id, "agent": "agent-1", "reason": "out of time"}
        )
        assert not released.is_error
        assert released.structured_content is not None
        assert released.structured_content["entry"]["state"] == "ready"
        assert "log" in released.structured_content["message"]
        gone = await client.call_tool("heartbeat", {"id": entry_id, "agent": "agent-1"})
        assert gone.is_error
        assert "call claim_next" in gone.content[0].text  # type: ignore[union-attr]

        bad = await client.call_tool("claim_next", {"agent": "agent-1", "format": "vim"})
        assert bad.is_error

    with_client(workdir, scenario)


def test_nothing_to_claim_is_an_answer_not_an_error(workdir: Path) -> None:
    async def scenario(client: Client) -> None:
        keys: list[str] = []
        while True:
            result = await client.call_tool("claim_next", {"agent": f"agent-{len(keys)}"})
            assert not result.is_error
            answer: dict[str, Any] | None = result.structured_content
            assert answer is not None
            if not answer["claimed"]:
                assert "nothing to claim" in answer["message"]
                break
            keys.append(answer["entry"]["key"])
        assert len(keys) == len(set(keys)) >= 2

    with_client(workdir, scenario)


def test_report_unclear_takes_the_ticket_out_of_the_queue(workdir: Path) -> None:
    async def scenario(client: Client) -> None:
        claimed = (await client.call_tool("claim_next", {"agent": "agent-1"})).structured_content
        assert claimed is not None
        entry = claimed["entry"]
        questions = ["Which currency rounding applies?", "Should `legacy_total()` stay?"]
        result = await client.call_tool(
            "report_unclear", {"id": entry["id"], "agent": "agent-1", "questions": questions}
        )
        assert not result.is_error
        answer = result.structured_content
        assert answer is not None
        assert answer["entry"]["state"] == "dropped"
        assert answer["verdict"] == "needs-clarity"
        assert answer["questions"] == questions
        ready = (await client.call_tool("list_ready", {"limit": 50})).structured_content
        assert ready is not None
        assert entry["key"] not in [e["key"] for e in ready["entries"]]

        number = entry["key"].rsplit("#", 1)[1]
        ticket = await client.read_resource(f"ticket://file:backlog.json/{number}")
        stored = json.loads(ticket.contents[0].text)  # type: ignore[union-attr]
        assert stored["key"] == entry["key"]
        assert stored["assessment"]["verdict"] == "needs-clarity"
        finding = next(
            f for f in stored["assessment"]["findings"] if f["code"] == "agent-reported-unclear"
        )
        assert finding["evidence"].splitlines() == questions

        empty = await client.call_tool(
            "report_unclear", {"id": entry["id"], "agent": "agent-1", "questions": []}
        )
        assert empty.is_error

    with_client(workdir, scenario)
    # the CLI sees the same: the ticket is needs-clarity in the database it shares
    listed = run_cli("queue", "list", "--json", env=env_of(workdir), cwd=workdir)
    assert listed.returncode == 0
    assert all(e["state"] in ("ready", "claimed") for e in json.loads(listed.stdout))
