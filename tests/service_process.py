"""The service as a real process, for the tests that need one: a free port,
an environment without this machine's backlog-sync settings, and a process
that is waited for until /readyz answers and stopped afterwards."""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.integration.app_setup import wait_for


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a child process: none of this machine's backlog-sync settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BACKLOG_SYNC_", "GITHUB_"))}
    env.update(extra)
    return env


@contextmanager
def running(argv: Sequence[str], *, port: int, env: dict[str, str], cwd: Path) -> Iterator[str]:
    """Run `argv` (a service listening on `port`) until /readyz answers 200; yields
    its URL; the process's output goes to `cwd/service.log`, shown if it dies."""
    log_path = cwd / "service.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            list(argv), cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}"

        def ready() -> bool:
            if process.poll() is not None:
                raise AssertionError(log_path.read_text())
            try:
                return httpx.get(f"{url}/readyz", timeout=0.5).status_code == 200
            except httpx.HTTPError:
                return False

        try:
            wait_for(ready, timeout=30.0, interval=0.1)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
