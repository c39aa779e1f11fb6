"""MCP through the official SDK's own client: over stdio, spawning
`backlog-sync mcp`, and over streamable HTTP against a real `serve` process.

The example backlog (examples/backlog.json) is what the agents work on: as a
file source for stdio, and as issues of the fake GitHub for HTTP, so that
`report_unclear` can be seen on the tracker."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml

from service.api.deps import token_digest
from tests.integration.app_setup import GH_TOKEN, REPO, SECRET, TOKENS
from tests.service_process import free_port, running

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples" / "backlog.json"
CLI = str(Path(sys.executable).with_name("backlog-sync"))


def example_tickets() -> list[dict[str, Any]]:
    tickets: list[dict[str, Any]] = json.loads(EXAMPLES.read_text(encoding="utf-8"))
    return tickets


def tokens_config() -> dict[str, Any]:
    return {
        "tokens": [
            {"name": name, "sha256": token_digest(token), "scopes": scopes}
            for name, (token, scopes) in TOKENS.items()
        ]
    }


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CLI, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


@contextmanager
def serve(config: dict[str, Any], env: dict[str, str], workdir: Path) -> Iterator[str]:
    """`backlog-sync serve` as a real process on a free port; yields its URL."""
    path = workdir / "serve.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    port = free_port()
    argv = [CLI, "serve", "--role", "api", "--port", str(port), "--config", str(path)]
    with running(argv, port=port, env=env, cwd=workdir) as url:
        yield url


@pytest.fixture
def github_config() -> Callable[[str], dict[str, Any]]:
    def make(base_url: str) -> dict[str, Any]:
        return {
            "sources": [
                {
                    "type": "github",
                    "name": "web",
                    "repo": REPO,
                    "base_url": base_url,
                    "min_seconds_between_writes": 0,  # a fake: no secondary rate limit
                }
            ],
            "api": tokens_config(),
            "schedules": {"sync_enabled": False},
        }

    return make


GH_ENV = {"BACKLOG_SYNC_GITHUB_TOKEN": GH_TOKEN, "BACKLOG_SYNC_GITHUB_WEBHOOK_SECRET": SECRET}
