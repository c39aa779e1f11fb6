"""service.sync against the fake Jira: a first sync, a quiet re-sync, and a change."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from connectors.base import Ticket
from connectors.jira import JiraConnector
from service.db import make_engine, make_sessionmaker, upgrade
from service.scoring import Policy
from service.tickets.models import TicketRecord
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


def test_label_writes_between_pages_skip_no_ticket(
    jira: FakeJira, connect: Connect, tmp_path: Path
) -> None:
    """130 matching tickets, pages of 100: our label writes on the first page bump
    `updated` and reorder `ORDER BY updated` while the sync still pages through it;
    every ticket must still be read, stored and labelled once."""
    now = [T0 + timedelta(days=1)]
    jira.clock = lambda: now[0]
    issues = [
        jira.add_issue(f"Add export flag {n}", description=READY, updated=T0 + timedelta(minutes=n))
        for n in range(130)
    ]
    engine = make_engine(f"sqlite:///{tmp_path / 'sync.db'}")
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    report = sync_source(sessions, connect(jira), Policy(), now=lambda: now[0])

    assert report.error is None
    assert report.seen == 130
    unlabelled = [i.key for i in issues if "ai:ready" not in i.labels]
    assert unlabelled == []
    again = sync_source(sessions, connect(jira), Policy(), now=lambda: now[0] + timedelta(hours=1))
    assert again.labels_written == 0  # nothing was left for a later run
    engine.dispose()


def test_an_edit_by_someone_else_while_paging_skips_no_ticket_on_server(
    server: FakeJira, connect: Connect, tmp_path: Path
) -> None:
    """Someone edits a ticket of the first page while the sync reads the second: the
    edit moves it to the end of `ORDER BY updated` and shifts every later offset by
    one. The sync must still store every ticket."""
    now = [T0 + timedelta(days=1)]
    server.clock = lambda: now[0]
    issues = [
        server.add_issue(
            f"Add export flag {n}", description=READY, updated=T0 + timedelta(minutes=n)
        )
        for n in range(130)
    ]
    connector = connect(server)
    read = connector.fetch_changed

    def fetch_with_an_edit(since: datetime | None) -> Iterator[Ticket]:
        for count, ticket in enumerate(read(since), 1):
            yield ticket
            if count == 100:  # the first page is read; the second is not asked for yet
                server.touch(issues[5].key, summary="Add export flag 5 (edited)")

    connector.fetch_changed = fetch_with_an_edit  # type: ignore[method-assign]
    engine = make_engine(f"sqlite:///{tmp_path / 'sync.db'}")
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    report = sync_source(sessions, connector, Policy(), now=lambda: now[0])
    assert report.error is None
    with sessions() as session:
        stored = {key for (key,) in session.execute(select(TicketRecord.key))}
    assert stored == {i.key for i in issues}
    engine.dispose()
