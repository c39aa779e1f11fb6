"""A tracker (or a proxy in front of it) that answers 200 with an HTML page: one
line naming the problem, never a traceback from deep in the paging code."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from connectors.base import UnavailableError
from connectors.github import GitHubConnector
from connectors.jira import JiraConnector
from connectors.retry import Backoff
from service.cli import app

PAGE = b"<html><body>Please sign in to the corporate proxy</body></html>"


class _Html(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def html_server() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Html)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_github_answering_html_is_an_unavailable_tracker(html_server: str) -> None:
    connector = GitHubConnector(
        "acme/app", token="t", base_url=html_server, backoff=Backoff(attempts=1)
    )
    with pytest.raises(UnavailableError, match="GitHub answered with something that is not JSON"):
        list(connector.fetch_changed(None))


def test_jira_answering_html_is_an_unavailable_tracker(html_server: str) -> None:
    connector = JiraConnector(html_server, token="t", project="P", backoff=Backoff(attempts=1))
    with pytest.raises(UnavailableError):
        list(connector.fetch_changed(None))


def test_the_cli_says_it_in_one_line(html_server: str, tmp_path: Path) -> None:
    config = tmp_path / "backlog-sync.yaml"
    config.write_text(
        f"sources:\n  - {{type: github, name: gh, repo: acme/app, base_url: '{html_server}'}}\n"
    )
    result = CliRunner().invoke(app, ["triage", "gh", "-c", str(config)], env={"GITHUB_TOKEN": "t"})
    assert result.exit_code == 1
    assert "not JSON" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
