"""Incremental sync with an in-memory tracker: cursor, pages, crashes, dry runs."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from connectors.base import TicketState
from service import queue
from service.scoring import Verdict
from service.tickets import store
from service.tickets.models import AssessmentRecord, Source
from service.triage.sync import sync_source
from tests.integration.triage.builders import POLICY, SOURCE, T0, FakeConnector, edited, ticket

RUN = T0 + timedelta(days=1)


def clock(at: datetime = RUN) -> datetime:
    return at


def tickets(n: int, *, ready: bool = True) -> FakeConnector:
    fake = FakeConnector(write_time=RUN + timedelta(minutes=5))
    fake.put(
        *(
            ticket(i, area=f"pkg{i}/mod", ready=ready, updated=T0 + timedelta(minutes=i))
            for i in range(1, n + 1)
        )
    )
    return fake


def stored_cursor(sessions: sessionmaker[Session]) -> datetime | None:
    with sessions() as s:
        return s.scalars(select(Source.cursor).where(Source.name == SOURCE)).one()


def assessments_per_ticket(sessions: sessionmaker[Session]) -> list[int]:
    with sessions() as s:
        return list(
            s.scalars(
                select(func.count())
                .select_from(AssessmentRecord)
                .group_by(AssessmentRecord.ticket_id)
            )
        )


def test_first_sync_stores_queues_labels_and_sets_the_cursor(
    sessions: sessionmaker[Session],
) -> None:
    fake = tickets(3)
    report = sync_source(sessions, fake, POLICY, now=clock, page_size=2)

    assert report.error is None
    assert (report.seen, report.changed) == (3, 3)
    assert set(report.newly_ready) == {"acme/app#1", "acme/app#2", "acme/app#3"}
    assert report.labels_written == 3
    assert sorted(fake.label_calls) == [(f"acme/app#{i}", ("ai:ready",), ()) for i in (1, 2, 3)]
    assert report.cursor_before is None
    assert report.cursor_after == T0 + timedelta(minutes=3) == stored_cursor(sessions)
    with sessions() as s:
        assert len(queue.list_entries(s)) == 3
        stored = store.get_ticket(s, SOURCE, "acme/app#1")
        assert stored is not None and stored.applied_labels == ("ai:ready",)


def test_resyncing_an_unchanged_source_changes_nothing(sessions: sessionmaker[Session]) -> None:
    fake = tickets(3)
    first = sync_source(sessions, fake, POLICY, now=clock)
    second = sync_source(sessions, fake, POLICY, now=lambda: RUN + timedelta(hours=1))

    # our label writes bumped updated_at, so the tracker returns the tickets again
    assert second.seen == 3
    assert second.changed == 0
    assert second.newly_ready == () and second.dropped == ()
    assert second.label_changes == () and second.labels_written == 0
    assert len(fake.label_calls) == 3
    assert second.cursor_before == first.cursor_after
    assert assessments_per_ticket(sessions) == [1, 1, 1]


def test_the_cursor_never_passes_the_run_start_and_never_goes_back(
    sessions: sessionmaker[Session],
) -> None:
    fake = FakeConnector(write_time=RUN)
    fake.put(ticket(1, updated=RUN + timedelta(hours=2)))  # a tracker clock ahead of ours
    report = sync_source(sessions, fake, POLICY, now=clock)
    assert report.cursor_after == RUN

    fake.put(ticket(2, updated=T0))  # an old ticket turning up late
    later = sync_source(sessions, fake, POLICY, now=lambda: RUN + timedelta(hours=1))
    assert later.cursor_after == RUN == stored_cursor(sessions)
    assert fake.fetch_since[-1] == RUN - timedelta(seconds=1)


def test_a_ticket_edited_into_and_out_of_readiness_is_reported(
    sessions: sessionmaker[Session],
) -> None:
    fake = tickets(2, ready=False)
    sync_source(sessions, fake, POLICY, now=clock)
    labels = fake.tickets["acme/app#1"].labels  # an edit keeps the labels on the tracker
    fake.put(
        ticket(1, area="pkg1/mod", ready=True, updated=RUN + timedelta(hours=1), labels=labels)
    )
    up = sync_source(sessions, fake, POLICY, now=lambda: RUN + timedelta(hours=2))
    assert up.newly_ready == ("acme/app#1",)
    assert ("acme/app#1", ("ai:ready",), ("ai:needs-clarity",)) in up.label_changes

    fake.put(ticket(1, area="pkg1/mod", ready=False, updated=RUN + timedelta(hours=3)))
    down = sync_source(sessions, fake, POLICY, now=lambda: RUN + timedelta(hours=4))
    assert down.dropped == ("acme/app#1",)
    with sessions() as s:
        assert queue.list_entries(s) == []


def test_a_tracker_error_mid_run_commits_what_was_done_and_resume_loses_nothing(
    sessions: sessionmaker[Session],
) -> None:
    fake = tickets(7)
    fake.fail_after = 5
    report = sync_source(sessions, fake, POLICY, now=clock, page_size=2)

    assert report.error is not None and "tracker went away" in report.error
    assert report.seen == 5
    assert report.cursor_after == T0 + timedelta(minutes=5) == stored_cursor(sessions)

    fake.fail_after = None
    resumed = sync_source(sessions, fake, POLICY, now=lambda: RUN + timedelta(hours=1))
    assert resumed.error is None
    assert set(resumed.newly_ready) == {"acme/app#6", "acme/app#7"}
    keys = [key for key, _, _ in fake.label_calls]
    assert sorted(keys) == sorted(f"acme/app#{i}" for i in range(1, 8))  # each exactly once
    assert assessments_per_ticket(sessions) == [1] * 7


def test_a_crash_mid_page_keeps_committed_pages_and_resumes_after_them(
    sessions: sessionmaker[Session],
) -> None:
    fake = tickets(5)
    fake.crash_after = 3
    with pytest.raises(RuntimeError):
        sync_source(sessions, fake, POLICY, now=clock, page_size=2)
    # the first page's triage (two tickets) was committed; the third was lost with the
    # crash; nothing was written yet (writes wait until every page is read), so the
    # cursor has not moved and the next run reads the first page again, unchanged
    assert stored_cursor(sessions) is None
    with sessions() as s:
        assert {e.key for e in queue.list_entries(s)} == {"acme/app#1", "acme/app#2"}

    fake.crash_after = None
    resumed = sync_source(sessions, fake, POLICY, now=lambda: RUN + timedelta(hours=1))
    assert set(resumed.newly_ready) == {"acme/app#3", "acme/app#4", "acme/app#5"}
    assert sorted(k for k, _, _ in fake.label_calls) == [f"acme/app#{i}" for i in range(1, 6)]
    assert assessments_per_ticket(sessions) == [1] * 5


def test_a_failed_label_write_stops_the_cursor_before_that_ticket(
    sessions: sessionmaker[Session],
) -> None:
    fake = tickets(4)
    fake.fail_labels_on = "acme/app#3"
    report = sync_source(sessions, fake, POLICY, now=clock, page_size=10)

    assert report.error is not None and "label write failed" in report.error
    assert report.labels_written == 2
    assert report.cursor_after == T0 + timedelta(minutes=2)

    fake.fail_labels_on = None
    resumed = sync_source(sessions, fake, POLICY, now=lambda: RUN + timedelta(hours=1))
    assert resumed.error is None
    assert resumed.changed == 0  # triaged and committed already; only the labels were missing
    assert sorted(k for k, _, _ in fake.label_calls) == [f"acme/app#{i}" for i in range(1, 5)]


def test_a_dry_run_writes_nothing_but_reports_the_plan(sessions: sessionmaker[Session]) -> None:
    fake = tickets(2)
    report = sync_source(sessions, fake, POLICY, now=clock, dry_run=True, page_size=1)

    assert report.dry_run
    assert set(report.newly_ready) == {"acme/app#1", "acme/app#2"}
    assert len(report.label_changes) == 2 and report.labels_written == 0
    assert report.cursor_after == T0 + timedelta(minutes=2)
    assert fake.label_calls == [] and fake.comments == {}
    with sessions() as s:
        assert store.list_tickets(s) == []
        assert s.scalars(select(Source)).all() == []


def test_a_read_only_source_plans_labels_but_never_writes_them(
    sessions: sessionmaker[Session],
) -> None:
    fake = tickets(2)
    fake.read_only = True
    report = sync_source(sessions, fake, POLICY, now=clock)

    assert len(report.label_changes) == 2 and report.labels_written == 0
    assert fake.label_calls == []
    with sessions() as s:
        assert len(store.list_tickets(s)) == 2


def test_comments_are_written_once_and_updated_when_the_verdict_changes(
    sessions: sessionmaker[Session],
) -> None:
    fake = tickets(1, ready=False)
    verdicts = frozenset({Verdict.NEEDS_CLARITY})
    sync_source(sessions, fake, POLICY, now=clock, comment_verdicts=verdicts)
    sync_source(
        sessions, fake, POLICY, now=lambda: RUN + timedelta(hours=1), comment_verdicts=verdicts
    )
    [first] = fake.comments["acme/app#1"]
    assert "needs-clarity" in first

    fake.put(edited(ticket(1, area="pkg1/mod"), updated_at=RUN + timedelta(hours=2)))
    sync_source(
        sessions, fake, POLICY, now=lambda: RUN + timedelta(hours=3), comment_verdicts=verdicts
    )
    assert len(fake.comments["acme/app#1"]) == 2
    assert "`ready`" in fake.comments["acme/app#1"][-1]


def test_progress_is_reported_per_ticket(sessions: sessionmaker[Session]) -> None:
    seen: list[str] = []
    sync_source(sessions, tickets(3), POLICY, now=clock, on_progress=lambda r: seen.append(r.key))
    assert seen == ["acme/app#1", "acme/app#2", "acme/app#3"]


def test_a_blocker_closing_frees_and_relabels_the_ticket_it_blocked(
    sessions: sessionmaker[Session],
) -> None:
    fake = FakeConnector(write_time=RUN)
    blocked = ticket(8, area="pkg8/mod", updated=T0 + timedelta(minutes=2))
    fake.put(
        ticket(7, area="pkg7/mod", updated=T0 + timedelta(minutes=1)),
        edited(blocked, body="Blocked by #7.\n\n" + blocked.body),
    )
    first = sync_source(sessions, fake, POLICY, now=clock)
    assert ("acme/app#8", ("ai:blocked",), ()) in first.label_changes

    closed = edited(fake.tickets["acme/app#7"], state=TicketState.CLOSED)
    fake.put(edited(closed, updated_at=RUN + timedelta(hours=1)))
    later = sync_source(sessions, fake, POLICY, now=lambda: RUN + timedelta(hours=2))

    assert "acme/app#8" in later.newly_ready
    # the freed ticket is relabelled, then the closed blocker loses its ai:ready
    assert fake.label_calls[-2:] == [
        ("acme/app#8", ("ai:ready",), ("ai:blocked",)),
        ("acme/app#7", (), ("ai:ready",)),
    ]
    assert fake.tickets["acme/app#8"].labels == ("ai:ready",)
    assert fake.tickets["acme/app#7"].labels == ()


def test_a_freed_ticket_whose_label_write_failed_is_relabelled_by_the_next_sync(
    sessions: sessionmaker[Session],
) -> None:
    # label writes date tickets before the cursor, so the blocked ticket is not
    # read again by later syncs: only its blocker is
    fake = FakeConnector(write_time=T0 + timedelta(minutes=5))
    blocked = ticket(8, area="pkg8/mod", updated=T0 + timedelta(minutes=2))
    fake.put(
        ticket(7, area="pkg7/mod", updated=T0 + timedelta(minutes=1)),
        edited(blocked, body="Blocked by #7.\n\n" + blocked.body),
        ticket(9, area="pkg9/mod", updated=T0 + timedelta(minutes=30)),
    )
    sync_source(sessions, fake, POLICY, now=clock)
    closed = edited(fake.tickets["acme/app#7"], state=TicketState.CLOSED)
    fake.put(edited(closed, updated_at=RUN + timedelta(hours=1)))

    fake.fail_labels_on = "acme/app#8"  # #7 closes, #8 is freed, its label write fails
    failed = sync_source(sessions, fake, POLICY, now=lambda: RUN + timedelta(hours=2))
    assert failed.error is not None
    assert fake.tickets["acme/app#8"].labels == ("ai:blocked",)

    fake.fail_labels_on = None
    resumed = sync_source(sessions, fake, POLICY, now=lambda: RUN + timedelta(hours=3))
    assert resumed.error is None
    assert fake.fetch_since[-1] is not None and fake.fetch_since[-1] > T0 + timedelta(minutes=5)
    assert fake.tickets["acme/app#8"].labels == ("ai:ready",)


def test_a_native_blocker_link_gives_way_to_the_blockers_own_fresher_state(
    sessions: sessionmaker[Session],
) -> None:
    """A tracker link carries the blocker's state as it was when the dependent was
    read; the blocker's own stored row, kept current by sync and webhooks, wins."""
    fake = FakeConnector()
    blocker = ticket(7, area="pkg7/mod", updated=T0 + timedelta(minutes=1))
    dependent = ticket(
        8, area="pkg8/mod", updated=T0 + timedelta(minutes=2), blocked_by="acme/app#7"
    )
    fake.put(blocker, dependent)
    first = sync_source(sessions, fake, POLICY, now=clock)
    assert ("acme/app#8", ("ai:blocked",), ()) in first.label_changes

    # an unrelated edit of the dependent: its snapshot keeps the link, the blocker open
    fake.put(
        edited(fake.tickets["acme/app#8"], title="Fix crash in parser 8 (typo)", updated_at=RUN)
    )
    sync_source(sessions, fake, POLICY, now=lambda: RUN + timedelta(minutes=30))

    closed = edited(
        fake.tickets["acme/app#7"], state=TicketState.CLOSED, updated_at=RUN + timedelta(hours=1)
    )
    fake.put(closed)
    later = sync_source(sessions, fake, POLICY, now=lambda: RUN + timedelta(hours=2))
    assert "acme/app#8" in later.newly_ready
    assert fake.tickets["acme/app#8"].labels == ("ai:ready",)
