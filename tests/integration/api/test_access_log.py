"""The access log: one line per request, with a request id the answer carries too."""

from __future__ import annotations

import json
import logging
import re

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from service.api.app import create_app
from service.cli import app as cli
from service.config import Settings
from service.runtime.compose import build
from service.runtime.logs import JsonLines
from tests.integration.app_setup import bearer


def lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "backlog_sync.access"]


def test_each_request_is_one_line_with_its_id_and_no_query(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="backlog_sync.access")
    with TestClient(create_app(build(settings, roles={"api"}))) as client:
        answer = client.get(
            "/api/tickets?limit=5&token=s3cr3t-in-the-query", headers=bearer("reader")
        )
        assert answer.status_code == 200
        given = client.get("/healthz", headers={"X-Request-ID": "trace-42"})
        assert client.get("/api/tickets").status_code == 401  # no token
    first, second, third = lines(caplog)
    request_id = answer.headers["X-Request-ID"]
    assert re.fullmatch(r"GET /api/tickets 200 \d+\.\d ms id=" + re.escape(request_id), first)
    assert "s3cr3t" not in " ".join(lines(caplog))
    assert given.headers["X-Request-ID"] == "trace-42" and second.endswith("id=trace-42")
    assert third.startswith("GET /api/tickets 401 ")


def test_a_request_id_that_is_not_a_plain_token_is_replaced(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="backlog_sync.access")
    with TestClient(create_app(build(settings, roles={"api"}))) as client:
        answer = client.get("/healthz", headers={"X-Request-ID": "x\ninjected line"})
    assert re.fullmatch(r"[0-9a-f]{32}", answer.headers["X-Request-ID"])
    assert "injected" not in " ".join(lines(caplog))


def test_no_access_log_writes_no_line(settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="backlog_sync.access")
    with TestClient(create_app(build(settings, roles={"api"}), access_log=False)) as client:
        assert client.get("/healthz").status_code == 200
    assert lines(caplog) == []


def test_the_json_log_format_carries_the_request_id(settings: Settings) -> None:
    captured: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            captured.append(self.format(record))

    handler = Collect()
    handler.setFormatter(JsonLines())
    access = logging.getLogger("backlog_sync.access")
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    try:
        with TestClient(create_app(build(settings, roles={"api"}))) as client:
            answer = client.get("/healthz", headers={"X-Request-ID": "trace-7"})
    finally:
        access.removeHandler(handler)
    [line] = [json.loads(text) for text in captured]
    assert answer.headers["X-Request-ID"] == "trace-7"
    assert line["request_id"] == "trace-7" and line["logger"] == "backlog_sync.access"
    assert line["level"] == "info" and line["message"].startswith("GET /healthz 200 ")
    assert line["time"].endswith("+00:00")


def test_serve_refuses_an_unknown_log_format() -> None:
    result = CliRunner().invoke(cli, ["serve", "--log-format", "xml"])
    assert result.exit_code == 2 and "--log-format" in result.stderr
