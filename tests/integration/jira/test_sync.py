"""service.sync against the fake Jira: a first sync, a quiet re-sync, and a change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from connectors.jira import JiraConnector
from service.db import make_engine, make_sessionmaker, upgrade
from service.scoring import Policy
from service.triage.sync import sync_source
from tests.fakes.jira import FakeJira

Connect = Callable[..., JiraConnector]
T0 = datetime(2024, 1, 15, 10, 0, tzinfo=UTC)

READY = """h2. Goal
Add a {{--dry-run}} flag to {{cli/export.py}} so that the export prints what it would write.

h2. Acceptance criteria
* {{backlog export --dry-run}} writes no file
* the planned files are listed on stdout
* a test in {{tests/cli/test_export.py}} covers both

h2. Out of scope
* changing the export format
"""


def test_sync_through_the_service_labels_once_and_resyncs_quietly(
    jira: FakeJira, connect: Connect, tmp_path: Path
) -> None:
    now = [T0 + timedelta(hours=1)]
    jira.clock = lambda: now[0]
    ready = jira.add_issue("Add a dry-run flag to export", description=READY, updated=T0)
    vague = jira.add_issue("Improvements", description="make it better?", updated=T0, labels=["ux"])
    engine = make_engine(f"sqlite:///{tmp_path / 'sync.db'}")
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    connector = connect(jira)

    first = sync_source(sessions, connector, Policy(), now=lambda: now[0])

    assert first.error is None and first.seen == 2
    assert "ai:ready" in ready.labels
    assert "ux" in vague.labels and any(label.startswith("ai:") for label in vague.labels)
    label_puts = [w for w in jira.writes if w[0] == "PUT"]
    assert all(set(w[2]["update"]) == {"labels"} for w in label_puts)

    # our own label writes bumped `updated`: the next run reads them back (the echo),
    # finds nothing to change, and writes nothing
    now[0] += timedelta(minutes=5)
    jira.reset_counts()
    echo = sync_source(sessions, connector, Policy(), now=lambda: now[0])
    assert echo.error is None and echo.labels_written == 0
    assert jira.writes == []

    now[0] += timedelta(minutes=5)
    jira.reset_counts()
    quiet = sync_source(sessions, connector, Policy(), now=lambda: now[0])
    assert quiet.error is None and quiet.labels_written == 0
    assert jira.total_requests <= 3

    now[0] += timedelta(minutes=5)
    jira.touch(ready.key, status="Done")
    jira.reset_counts()
    changed = sync_source(sessions, connector, Policy(), now=lambda: now[0])
    assert changed.error is None and changed.changed >= 1
    engine.dispose()
