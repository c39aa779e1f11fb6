"""Sync over an offline export (`connectors.files.FileConnector`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from connectors.files import FileConnector, load_tickets
from service.tickets import store
from service.triage.sync import sync_source
from tests.integration.triage.builders import POLICY, VAGUE_BODY, ready_body


@pytest.fixture
def export_file(tmp_path: Path) -> Path:
    """A `gh issue list --json number,title,body,state,labels,...` export."""
    issues = [
        {
            "number": n,
            "title": f"Fix crash in parser {n} when the input is empty" if n % 2 else "question",
            "body": ready_body(f"pkg{n}/mod") if n % 2 else VAGUE_BODY,
            "state": "OPEN",
            "labels": [{"name": "bug"}],
            "author": {"login": "maintainer"},
            "url": f"https://github.com/acme/app/issues/{n}",
            "createdAt": "2025-01-01T10:00:00Z",
            "updatedAt": f"2025-01-0{n}T10:00:00Z",
            "comments": [],
        }
        for n in range(1, 5)
    ]
    path = tmp_path / "issues.json"
    path.write_text(json.dumps(issues), encoding="utf-8")
    return path


def test_a_file_export_syncs_once_and_then_changes_nothing(
    sessions: sessionmaker[Session], export_file: Path
) -> None:
    connector = FileConnector(export_file)
    expected = {t.key for t in load_tickets(export_file, connector.source)}
    assert len(expected) == 4

    first = sync_source(sessions, connector, POLICY)
    assert first.error is None
    assert first.seen == 4 and first.changed == 4
    assert len(first.newly_ready) == 2
    assert first.labels_written == 0  # read-only: planned, never written
    assert len(first.label_changes) == 4
    with sessions() as s:
        stored = {t.key for t in store.list_tickets(s, source=connector.source)}
    assert stored == expected

    second = sync_source(sessions, connector, POLICY)
    assert second.error is None
    assert second.seen == 1  # the newest change, re-read across the cursor's overlap
    assert second.changed == 0 and second.newly_ready == () and second.dropped == ()
    assert second.cursor_after == first.cursor_after
