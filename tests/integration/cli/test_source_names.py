"""Tickets are stored under their source's configured name, and a database
from before keeps its tickets, claims and cursor: the first command renames
the source stored as `file:PATH` (or `github:OWNER/REPO`, `jira:NAME`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from service.cli import app as cli


def run(*args: str, config: Path | None = None) -> Any:
    extra = ["-c", str(config)] if config is not None else []
    result = CliRunner().invoke(cli, [*args, *extra, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_database_from_before_keeps_its_tickets_and_claims_under_the_new_name(
    workdir: Path,
) -> None:
    path = (workdir / "backlog.json").resolve()
    # before: stored under the source string `file:PATH`, one entry claimed
    first = run("sync", f"file:{path}")
    assert first["source"] == f"file:{path}"
    claimed = run("queue", "claim", "--agent", "agent-1")
    before = run("queue", "list")

    config = workdir / "cfg.yaml"
    config.write_text(f"sources:\n  - {{type: file, name: examples, path: {path}}}\n")
    after = run("queue", "list", config=config)
    assert [e["id"] for e in after] == [e["id"] for e in before]
    assert {e["source"] for e in after} == {"examples"}
    held = next(e for e in after if e["id"] == claimed["id"])
    assert held["state"] == "claimed" and held["agent"] == "agent-1"

    again = run("sync", "examples", config=config)
    assert again["source"] == "examples"
    assert again["changed"] == 0  # the same tickets: none stored twice
    assert again["cursor_before"] == first["cursor_after"]
