"""The access log: one line per request, with a request id the answer carries too."""

from __future__ import annotations

import logging
import re

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.config import Settings
from service.runtime.compose import build
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
