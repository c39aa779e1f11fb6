"""The one round trip: labels and our comment, written by sync and by the
webhook worker's path alike, only when they change."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from service import triage
from service.scoring import Verdict
from service.triage.sync import sync_source
from tests.integration.triage.builders import POLICY, T0, FakeConnector, edited, ticket

LATER = T0 + timedelta(hours=1)

ASK = frozenset({Verdict.NEEDS_CLARITY})


def test_a_verdict_changed_outside_a_sync_updates_our_comment(session: Session) -> None:
    connector = FakeConnector()
    vague = ticket(1, ready=False)
    connector.put(vague)
    [first] = triage.refresh_tickets(
        session,
        connector,
        POLICY,
        ["acme/app#1"],
        now=T0,
        commit=session.commit,
        comment_verdicts=ASK,
    )
    assert [w.comment is not None for w in first.writes] == [True]
    assert "needs-clarity" in connector.comments["acme/app#1"][-1]

    # the author fixes the ticket; a webhook (not a sync) brings the edit
    fixed = edited(ticket(1), updated_at=LATER)
    connector.put(fixed)
    [second] = triage.refresh_tickets(
        session,
        connector,
        POLICY,
        ["acme/app#1"],
        now=LATER,
        commit=session.commit,
        comment_verdicts=ASK,
    )

    assert second.result is not None and second.result.verdict is Verdict.READY
    assert len(connector.comments["acme/app#1"]) == 2
    assert "`ready`" in connector.comments["acme/app#1"][-1]
    # nothing changed since: neither labels nor the comment are written again
    [third] = triage.refresh_tickets(
        session,
        connector,
        POLICY,
        ["acme/app#1"],
        now=LATER,
        commit=session.commit,
        comment_verdicts=ASK,
    )
    assert third.writes == () and len(connector.comments["acme/app#1"]) == 2


def test_sync_and_the_worker_path_write_the_same_comment(
    sessions: sessionmaker[Session],
) -> None:
    other = "github:acme/other"
    synced, refreshed = FakeConnector(), FakeConnector(source=other)
    synced.put(ticket(2, ready=False))
    refreshed.put(ticket(2, ready=False, source=other))

    report = sync_source(sessions, synced, POLICY, comment_verdicts=ASK, now=lambda: T0)
    with sessions() as session:
        triage.refresh_tickets(
            session,
            refreshed,
            POLICY,
            ["acme/app#2"],
            now=T0,
            commit=session.commit,
            comment_verdicts=ASK,
        )
        session.commit()

    assert report.comments_written == 1
    assert synced.comments == refreshed.comments


def test_a_ticket_never_commented_on_gets_no_comment_for_another_verdict(
    session: Session,
) -> None:
    connector = FakeConnector()
    ready = ticket(3)
    connector.put(ready)
    [done] = triage.refresh_tickets(
        session, connector, POLICY, [ready], now=T0, commit=session.commit, comment_verdicts=ASK
    )
    assert [w.labels for w in done.writes] == [("ai:ready",)]
    assert connector.comments == {}
