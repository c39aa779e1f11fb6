"""The digest routes: nothing before the first run; a run stores and delivers it once."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from service.api.app import create_app
from service.runtime.compose import build
from tests.fakes.github import FakeGitHub
from tests.integration.app_setup import bearer, make_settings


def test_run_stores_and_delivers_then_latest_and_formats(
    sqlite_url: str, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    archive = tmp_path / "digests"
    settings = make_settings(
        sqlite_url,
        fake_github.base_url,
        digest={"channels": [{"type": "file", "name": "archive", "directory": str(archive)}]},
    )
    with TestClient(create_app(build(settings, roles={"api"}))) as client:
        assert client.get("/api/digests/latest", headers=bearer("reader")).status_code == 404

        # running a digest is an admin's act
        assert client.post("/api/digests/run", headers=bearer("agent")).status_code == 403
        ran = client.post("/api/digests/run", headers=bearer("admin"))
        assert ran.status_code == 200, ran.text
        body = ran.json()
        assert body["created"] is True
        assert [o["channel"] for o in body["outcomes"]] == ["archive"]
        assert len(list(archive.iterdir())) == 1

        latest = client.get("/api/digests/latest", headers=bearer("reader"))
        assert latest.status_code == 200
        assert latest.json()["counts"] is not None

        digest_id = body["digest_id"]
        html = client.get(f"/api/digests/{digest_id}?format=html", headers=bearer("reader"))
        assert html.status_code == 200
        assert html.headers["content-type"].startswith("text/html")
        assert "<html" in html.text.lower()

        md = client.get(f"/api/digests/{digest_id}?format=md", headers=bearer("reader"))
        assert md.headers["content-type"].startswith("text/markdown")

        bad = client.get(f"/api/digests/{digest_id}?format=pdf", headers=bearer("reader"))
        assert bad.status_code == 422
        assert "pdf" in bad.json()["detail"]
        assert client.get("/api/digests/999?format=md", headers=bearer("reader")).status_code == 404
