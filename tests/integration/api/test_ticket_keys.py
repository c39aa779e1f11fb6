"""One key syntax everywhere: the API's ticket route takes what the CLI takes
(`101`, `#101`, `owner/repo#101`) and names the configured source."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from service.api.app import create_app
from service.cli import app as cli
from service.runtime.compose import build
from tests.integration.app_setup import bearer, make_settings, synced

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "backlog.json"


@pytest.fixture
def examples_client(tmp_path: Path) -> Iterator[TestClient]:
    shutil.copy(EXAMPLES, tmp_path / "backlog.json")
    settings = make_settings(
        f"sqlite:///{tmp_path / 'service.db'}",
        "http://127.0.0.1:9",
        sources=[{"type": "file", "name": "examples", "path": str(tmp_path / "backlog.json")}],
    )
    with TestClient(create_app(build(settings, roles={"api"}))) as client:
        assert synced(client, "examples")["state"] == "ok"
        yield client


@pytest.mark.parametrize("key", ["101", "%23101", quote("acme/storefront#101", safe="")])
def test_the_api_takes_the_cli_key_syntax(examples_client: TestClient, key: str) -> None:
    answer = examples_client.get(f"/api/tickets/examples/{key}", headers=bearer("reader"))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["key"] == "acme/storefront#101"
    assert body["source"] == "examples"


def test_the_api_and_the_cli_show_the_same_ticket(
    examples_client: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cfg.yaml").write_text(
        "sources:\n  - {type: file, name: examples, path: backlog.json}\n"
    )
    result = CliRunner().invoke(cli, ["score", "examples", "101", "--json", "-c", "cfg.yaml"])
    assert result.exit_code == 0, result.output
    scored = json.loads(result.stdout)
    api = examples_client.get("/api/tickets/examples/101", headers=bearer("reader")).json()
    assert scored["key"] == api["key"]
    assert scored["verdict"] == api["assessment"]["verdict"]
    assert scored["overall"] == api["assessment"]["overall"]


def test_an_unknown_number_is_404(examples_client: TestClient) -> None:
    answer = examples_client.get("/api/tickets/examples/999999", headers=bearer("reader"))
    assert answer.status_code == 404


def test_numbers_past_64_bits_are_422_not_500(examples_client: TestClient) -> None:
    huge = "9223372036854775808"
    for path in (f"/api/tickets?offset={huge}", f"/api/queue/{huge}"):
        assert examples_client.get(path, headers=bearer("reader")).status_code == 422, path


def test_every_answer_names_the_configured_source(examples_client: TestClient) -> None:
    listed = examples_client.get("/api/tickets", headers=bearer("reader")).json()
    assert listed["items"] and {t["source"] for t in listed["items"]} == {"examples"}
    queue = examples_client.get("/api/queue", headers=bearer("reader")).json()
    assert queue and {e["source"] for e in queue} == {"examples"}
    sources = examples_client.get("/api/sources", headers=bearer("reader")).json()
    assert [s["name"] for s in sources] == ["examples"]


def test_a_source_string_for_a_configured_file_is_that_source(
    examples_client: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cfg.yaml").write_text(
        "sources:\n  - {type: file, name: examples, path: backlog.json}\n"
    )
    env = {"BACKLOG_SYNC_DATABASE_URL": f"sqlite:///{tmp_path / 'service.db'}"}
    result = CliRunner().invoke(
        cli, ["sync", "file:backlog.json", "--json", "-c", "cfg.yaml"], env=env
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["source"] == "examples"
    assert json.loads(result.stdout)["changed"] == 0  # the same tickets, not a second copy
    listed = CliRunner().invoke(cli, ["queue", "list", "--json", "-c", "cfg.yaml"], env=env)
    assert {e["source"] for e in json.loads(listed.stdout)} == {"examples"}
