"""The one-ticket pipeline against a real database."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from connectors.base import BadRequestError, NotFoundError, Ticket, TicketState
from service import queue, triage
from service.queue import QueueState
from service.scoring import Policy, Verdict
from service.tickets import store
from service.tickets.snapshot import ticket_to_json
from service.triage import TrackerWrite
from tests.integration.triage.builders import POLICY, SOURCE, T0, FakeConnector, edited, ticket

LATER = T0 + timedelta(hours=1)


def test_a_ready_ticket_is_stored_assessed_queued_and_labelled(session: Session) -> None:
    t = ticket(1)
    result = triage.triage_ticket(session, t, POLICY, now=T0)

    assert result.verdict is Verdict.READY
    assert result.changed and result.previous_verdict is None
    assert result.queue_change == "entered"
    assert result.labels_add == ("ai:ready",) and result.labels_remove == ()
    stored = store.get_ticket(session, SOURCE, t.key)
    assert stored is not None
    assert stored.ticket == t
    assert stored.assessment is not None and stored.assessment.verdict is Verdict.READY
    [entry] = queue.list_entries(session)
    assert (entry.key, entry.state, entry.title) == (t.key, QueueState.READY, t.title)


def test_triaging_an_unchanged_ticket_again_changes_nothing(session: Session) -> None:
    t = ticket(1, labels=("bug",))
    triage.triage_ticket(session, t, POLICY, now=T0)
    # our own label write bumps updated_at and adds a managed label: not a change
    relabelled = edited(t, labels=("bug", "ai:ready"), updated_at=T0 + timedelta(minutes=5))
    result = triage.triage_ticket(session, relabelled, POLICY, now=LATER)

    assert not result.changed
    assert result.queue_change is None
    assert result.labels_add == () and result.labels_remove == ()
    assert len(store.assessment_history(session, SOURCE, t.key)) == 1
    assert len(queue.list_entries(session)) == 1


def test_an_unchanged_ticket_still_gets_its_label_plan(session: Session) -> None:
    t = ticket(1, labels=("ai:needs-clarity", "bug"))
    first = triage.triage_ticket(session, t, POLICY, now=T0)
    again = triage.triage_ticket(session, t, POLICY, now=LATER)

    assert first.changed and not again.changed
    assert again.labels_add == ("ai:ready",)
    assert again.labels_remove == ("ai:needs-clarity",)


def test_label_plan_touches_only_managed_labels(session: Session) -> None:
    t = ticket(1, ready=False, labels=("ai:ready", "ai:blocked", "bug", "ai:approved", "help"))
    result = triage.triage_ticket(session, t, POLICY, now=T0)

    assert result.verdict is Verdict.NEEDS_CLARITY
    assert result.labels_add == ("ai:needs-clarity",)
    assert set(result.labels_remove) == {"ai:ready", "ai:blocked"}


def test_a_ticket_edited_into_readiness_enters_the_queue(session: Session) -> None:
    vague = ticket(1, ready=False)
    first = triage.triage_ticket(session, vague, POLICY, now=T0)
    assert first.verdict is Verdict.NEEDS_CLARITY and first.queue_change is None
    assert queue.list_entries(session) == []

    clear = ticket(1, ready=True, updated=LATER)
    result = triage.triage_ticket(session, clear, POLICY, now=LATER)

    assert result.changed
    assert (result.previous_verdict, result.verdict) == (Verdict.NEEDS_CLARITY, Verdict.READY)
    assert result.queue_change == "entered"
    assert [e.key for e in queue.list_entries(session)] == [clear.key]
    assert len(store.assessment_history(session, SOURCE, clear.key)) == 2


def test_a_ticket_edited_out_of_readiness_leaves_the_queue(session: Session) -> None:
    triage.triage_ticket(session, ticket(1), POLICY, now=T0)
    result = triage.triage_ticket(session, ticket(1, ready=False, updated=LATER), POLICY, now=LATER)

    assert result.queue_change == "left"
    assert queue.list_entries(session) == []
    assert [e.key for e in queue.list_entries(session, QueueState.DROPPED)] == ["acme/app#1"]


def test_a_closed_ticket_leaves_the_queue_and_gets_no_labels(session: Session) -> None:
    triage.triage_ticket(session, ticket(1), POLICY, now=T0)
    closed = ticket(1, state=TicketState.CLOSED, updated=LATER)
    result = triage.triage_ticket(session, closed, POLICY, now=LATER)

    assert result.queue_change == "left"
    assert (result.labels_add, result.labels_remove) == ((), ())


def test_a_ticket_that_closes_loses_its_managed_labels_unless_configured_otherwise(
    session: Session,
) -> None:
    triage.triage_ticket(session, ticket(1, labels=("ai:ready", "bug")), POLICY, now=T0)
    closed = ticket(1, labels=("ai:ready", "bug"), state=TicketState.CLOSED, updated=LATER)
    result = triage.triage_ticket(session, closed, POLICY, now=LATER)
    assert (result.labels_add, result.labels_remove) == ((), ("ai:ready",))

    keep = POLICY.model_copy(
        update={"labels": POLICY.labels.model_copy(update={"remove_on_close": False})}
    )
    again = ticket(
        1,
        labels=("ai:ready", "bug"),
        state=TicketState.CLOSED,
        updated=LATER + timedelta(minutes=1),
    )
    kept = triage.triage_ticket(session, again, keep, now=LATER)
    assert (kept.labels_add, kept.labels_remove) == ((), ())


def test_a_claimed_ticket_that_changes_is_flagged_not_dropped(session: Session) -> None:
    triage.triage_ticket(session, ticket(1), POLICY, now=T0)
    claimed = queue.claim_next(session, "agent-1", 3600, T0)
    assert claimed is not None and not claimed.brief_outdated

    result = triage.triage_ticket(session, ticket(1, ready=False, updated=LATER), POLICY, now=LATER)

    assert result.queue_change is None
    entry = queue.get_entry(session, claimed.id)
    assert entry.state is QueueState.CLAIMED and entry.agent == "agent-1"
    assert entry.brief_outdated


def test_a_ticket_labelled_skip_gets_no_label_and_loses_the_managed_ones(
    session: Session,
) -> None:
    t = ticket(1, labels=("ai:skip", "ai:needs-clarity", "bug"))
    result = triage.triage_ticket(session, t, POLICY, now=T0)

    assert result.assessment.skipped
    assert (result.labels_add, result.labels_remove) == ((), ("ai:needs-clarity",))
    assert result.queue_change is None
    assert queue.list_entries(session) == []


def test_a_new_scorer_policy_reassesses_an_unchanged_ticket(session: Session) -> None:
    t = ticket(1)
    triage.triage_ticket(session, t, POLICY, now=T0)
    stricter = Policy(target_hours=0.5)
    result = triage.triage_ticket(session, t, stricter, now=LATER)

    assert result.changed
    assert result.verdict is Verdict.TOO_LARGE
    assert result.queue_change == "left"


def test_a_stored_open_blocker_named_in_the_text_blocks(session: Session) -> None:
    blocker = ticket(7, ready=False)
    triage.triage_ticket(session, blocker, POLICY, now=T0)
    dependent = edited(ticket(8), body="Blocked by #7.\n\n" + ticket(8).body)
    result = triage.triage_ticket(session, dependent, POLICY, now=T0)
    assert result.verdict is Verdict.BLOCKED

    closed_blocker = edited(blocker, state=TicketState.CLOSED, updated_at=LATER)
    triage.triage_ticket(session, closed_blocker, POLICY, now=LATER)
    other = edited(ticket(9), body="Blocked by #7.\n\n" + ticket(9).body)
    assert triage.triage_ticket(session, other, POLICY, now=LATER).verdict is Verdict.READY


def test_mark_deleted_drops_the_entry_and_hides_the_ticket(session: Session) -> None:
    triage.triage_ticket(session, ticket(1), POLICY, now=T0)
    assert triage.mark_deleted(session, SOURCE, "acme/app#1", now=LATER) == "left"
    assert queue.list_entries(session) == []
    assert store.list_tickets(session) == []
    assert [s.key for s in store.list_tickets(session, include_deleted=True)] == ["acme/app#1"]
    assert triage.mark_deleted(session, SOURCE, "acme/app#404") is None


def test_list_tickets_filters_by_verdict_and_source(session: Session) -> None:
    triage.triage_ticket(session, ticket(1), POLICY, now=T0)
    triage.triage_ticket(session, ticket(2, ready=False), POLICY, now=T0)
    triage.triage_ticket(session, ticket(3, source="jira:APP"), POLICY, now=T0)

    ready = store.list_tickets(session, verdict=Verdict.READY)
    assert {(s.source, s.key) for s in ready} == {
        (SOURCE, "acme/app#1"),
        ("jira:APP", "acme/app#3"),
    }
    assert [s.key for s in store.list_tickets(session, verdict="needs-clarity")] == ["acme/app#2"]
    assert len(store.list_tickets(session, source=SOURCE)) == 2
    assert len(store.list_tickets(session, limit=1, offset=2)) == 1


def test_stored_snapshot_round_trips_and_applied_labels_are_recorded(session: Session) -> None:
    t = ticket(1, labels=("bug",), priority=2)
    triage.triage_ticket(session, t, POLICY, now=T0)
    triage.record_writes(session, [TrackerWrite(SOURCE, t.key, ("ai:ready",))], now=T0)
    stored = store.get_ticket(session, SOURCE, t.key)

    assert stored is not None
    # the snapshot follows our label write; everything else round-trips exactly
    assert ticket_to_json(stored.ticket) == ticket_to_json(edited(t, labels=("bug", "ai:ready")))
    assert stored.ticket.updated_at == t.updated_at  # aware, same instant
    assert stored.applied_labels == ("ai:ready",)


def test_the_comment_names_what_is_missing_but_never_echoes_the_ticket(session: Session) -> None:
    t = edited(ticket(1, ready=False), title="<script>alert(1)</script> secret title")
    result = triage.triage_ticket(session, t, POLICY, now=T0)
    comment = triage.render_comment(result)

    assert "needs-clarity" in comment
    assert "secret title" not in comment and "<script>" not in comment
    assert result.assessment.missing
    assert all(line.split()[0] in comment for line in result.assessment.missing)


def test_closing_a_blocker_reassesses_the_tickets_it_blocks(session: Session) -> None:
    blocker = ticket(7, ready=False)
    triage.triage_ticket(session, blocker, POLICY, now=T0)
    dependent = edited(ticket(8), body="Blocked by #7.\n\n" + ticket(8).body)
    blocked = triage.triage_ticket(session, dependent, POLICY, now=T0)
    assert blocked.verdict is Verdict.BLOCKED
    triage.record_writes(session, [TrackerWrite(SOURCE, dependent.key, ("ai:blocked",))], now=T0)

    closed = edited(blocker, state=TicketState.CLOSED, updated_at=LATER)
    result = triage.triage_ticket(session, closed, POLICY, now=LATER)

    [freed] = result.dependents
    assert freed.key == dependent.key
    assert (freed.previous_verdict, freed.verdict) == (Verdict.BLOCKED, Verdict.READY)
    assert freed.queue_change == "entered"
    assert (freed.labels_add, freed.labels_remove) == (("ai:ready",), ("ai:blocked",))
    # an unrelated edit of the (still closed) blocker re-assesses nobody
    retitled = edited(closed, title="renamed", updated_at=LATER + timedelta(hours=1))
    assert triage.triage_ticket(session, retitled, POLICY, now=LATER).dependents == ()


def test_closing_a_blocker_reassesses_only_the_tickets_that_name_it(session: Session) -> None:
    blocker = ticket(7, ready=False)
    triage.triage_ticket(session, blocker, POLICY, now=T0)
    other = ticket(70, ready=False)
    triage.triage_ticket(session, other, POLICY, now=T0)
    bare = edited(ticket(8), body="Blocked by #7.\n\n" + ticket(8).body)
    qualified = edited(ticket(9), body="Blocked by acme/app#7.\n\n" + ticket(9).body)
    near_miss = edited(ticket(10), body="Blocked by #70.\n\n" + ticket(10).body)
    for t in (bare, qualified, near_miss):
        assert triage.triage_ticket(session, t, POLICY, now=T0).verdict is Verdict.BLOCKED

    closed = edited(blocker, state=TicketState.CLOSED, updated_at=LATER)
    result = triage.triage_ticket(session, closed, POLICY, now=LATER)

    assert sorted(d.key for d in result.dependents) == [bare.key, qualified.key]
    assert all(d.verdict is Verdict.READY for d in result.dependents)
    stored = store.get_ticket(session, SOURCE, near_miss.key)
    assert stored is not None and stored.assessment is not None
    assert stored.assessment.verdict is Verdict.BLOCKED


def test_refresh_commits_the_triage_before_it_writes_labels(session: Session) -> None:
    connector = FakeConnector()
    connector.put(ticket(1))
    seen_at_commit: list[list[object]] = []

    [refreshed] = triage.refresh_tickets(
        session,
        connector,
        POLICY,
        ["acme/app#1"],
        now=T0,
        commit=lambda: seen_at_commit.append(list(connector.label_calls)),
    )

    assert seen_at_commit == [[]]  # committed once, before any label write
    assert connector.label_calls == [("acme/app#1", ("ai:ready",), ())]
    assert refreshed.error is None
    assert refreshed.result is not None and refreshed.result.verdict is Verdict.READY
    stored = store.get_ticket(session, SOURCE, "acme/app#1")
    assert stored is not None and stored.applied_labels == ("ai:ready",)


def test_refresh_reports_a_failed_label_write_and_keeps_the_triage(session: Session) -> None:
    connector = FakeConnector(fail_labels_on="acme/app#1")
    connector.put(ticket(1))

    [refreshed] = triage.refresh_tickets(
        session, connector, POLICY, ["acme/app#1"], now=T0, commit=session.commit
    )

    assert refreshed.error is not None and refreshed.writes == ()
    stored = store.get_ticket(session, SOURCE, "acme/app#1")
    assert stored is not None and stored.assessment is not None
    assert stored.applied_labels == ()
    # triaged again (a retry), the unchanged ticket still asks for its label
    connector.fail_labels_on = None
    [again] = triage.refresh_tickets(
        session, connector, POLICY, ["acme/app#1"], now=LATER, commit=session.commit
    )
    assert again.result is not None and not again.result.changed
    assert [w.key for w in again.writes] == ["acme/app#1"]
    assert len(store.assessment_history(session, SOURCE, "acme/app#1")) == 1


def test_refreshing_several_tickets_writes_each_ones_last_plan_once(session: Session) -> None:
    connector = FakeConnector()
    first, second = ticket(1), ticket(2, ready=False)
    connector.put(first, second)
    vague_then_ready = [edited(first, body="What is this?"), first]

    refreshed = triage.refresh_tickets(
        session,
        connector,
        POLICY,
        [*vague_then_ready, "acme/app#2"],
        now=T0,
        commit=session.commit,
    )

    assert [r.key for r in refreshed] == ["acme/app#1", "acme/app#1", "acme/app#2"]
    # the first plan for #1 was made from older data: only the last one is written
    assert connector.label_calls == [
        ("acme/app#1", ("ai:ready",), ()),
        ("acme/app#2", ("ai:needs-clarity",), ()),
    ]
    assert [len(r.writes) for r in refreshed] == [0, 1, 1]
    assert len(store.assessment_history(session, SOURCE, "acme/app#1")) == 2
    stored = store.get_ticket(session, SOURCE, "acme/app#2")
    assert stored is not None and stored.applied_labels == ("ai:needs-clarity",)


def test_one_tickets_tracker_error_does_not_stop_the_others(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    connector = FakeConnector()
    connector.put(ticket(1), ticket(2), ticket(3))
    fetch, write = connector.fetch_one, connector.apply_labels

    def fetch_one(key: str) -> Ticket:
        if key == "acme/app#404":
            raise NotFoundError("no such issue", source=SOURCE)
        return fetch(key)

    def apply_labels(key: str, add: Sequence[str], remove: Sequence[str]) -> None:
        if key == "acme/app#2":
            raise BadRequestError("label refused", source=SOURCE)
        write(key, add, remove)

    monkeypatch.setattr(connector, "fetch_one", fetch_one)
    monkeypatch.setattr(connector, "apply_labels", apply_labels)
    refreshed = triage.refresh_tickets(
        session,
        connector,
        POLICY,
        ["acme/app#1", "acme/app#404", "acme/app#2", "acme/app#3"],
        now=T0,
        commit=session.commit,
    )

    assert [(r.result is not None, r.error is not None) for r in refreshed] == [
        (True, False),
        (False, True),
        (True, True),
        (True, False),
    ]
    assert [c[0] for c in connector.label_calls] == ["acme/app#1", "acme/app#3"]
    assert [s.key for s in store.list_tickets(session)] == [
        "acme/app#1",
        "acme/app#2",
        "acme/app#3",
    ]


def test_a_tracker_that_asks_to_wait_is_not_called_again_for_the_rest(session: Session) -> None:
    connector = FakeConnector(fail_labels_on="acme/app#2")  # unavailable: retriable
    connector.put(ticket(1), ticket(2), ticket(3))

    refreshed = triage.refresh_tickets(
        session,
        connector,
        POLICY,
        ["acme/app#1", "acme/app#2", "acme/app#3"],
        now=T0,
        commit=session.commit,
    )

    assert [c[0] for c in connector.label_calls] == ["acme/app#1"]
    assert [len(r.writes) for r in refreshed] == [1, 0, 0]
    assert refreshed[1].error is not None and refreshed[2].error is refreshed[1].error
    # all three are triaged and stored; the last two get their labels on a retry
    assert len(store.list_tickets(session)) == 3


def test_tickets_refreshed_together_see_the_claims_in_flight_but_not_their_own(
    session: Session,
) -> None:
    claimed = ticket(1, area="app/core")
    triage.triage_ticket(session, claimed, POLICY, now=T0)
    assert queue.claim_next(session, "agent-1", 3600, T0) is not None
    connector = FakeConnector()
    edited_claimed = edited(claimed, title=claimed.title + " (edited)")
    newcomer = ticket(2, area="app/core")
    connector.put(edited_claimed, newcomer)

    refreshed = triage.refresh_tickets(
        session, connector, POLICY, [edited_claimed, newcomer], now=T0, commit=session.commit
    )

    codes = [
        {f.code for f in r.result.assessment.findings} if r.result is not None else set()
        for r in refreshed
    ]
    assert "area-in-flight" not in codes[0]  # its own claim is no conflict
    assert "area-in-flight" in codes[1]
    alone = triage.triage_ticket(session, edited(newcomer, title="again"), POLICY, now=T0)
    assert "area-in-flight" in {f.code for f in alone.assessment.findings}


class Crash(BaseException):
    """The process dies between the triage's commit and the label writes."""


def test_a_retry_after_a_crash_still_writes_the_labels_of_the_tickets_it_freed(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = ticket(7, ready=False)
    dependent = edited(ticket(8), body="Blocked by #7.\n\n" + ticket(8).body)
    connector = FakeConnector()
    connector.put(blocker, dependent)
    triage.refresh_tickets(
        session, connector, POLICY, [blocker, dependent], now=T0, commit=session.commit
    )
    assert connector.label_calls[-1] == ("acme/app#8", ("ai:blocked",), ())
    closed = edited(blocker, state=TicketState.CLOSED, updated_at=LATER)

    def crash(key: str, add: object, remove: object) -> None:
        raise Crash

    with monkeypatch.context() as patched:
        patched.setattr(connector, "apply_labels", crash)
        with pytest.raises(Crash):
            triage.refresh_tickets(
                session, connector, POLICY, [closed], now=LATER, commit=session.commit
            )

    # the freed ticket was re-assessed and committed; its label write was lost
    stored = store.get_ticket(session, SOURCE, dependent.key)
    assert stored is not None and stored.assessment is not None
    assert stored.assessment.verdict is Verdict.READY
    assert stored.applied_labels == ("ai:blocked",)
    # triaged again as if for the first time, the closed blocker frees no one...
    [plain] = triage.refresh_tickets(
        session, connector, POLICY, [closed], now=LATER, commit=session.commit
    )
    assert plain.writes == ()
    # ...but a retry finds the freed ticket whose labels lag behind its verdict
    [again] = triage.refresh_tickets(
        session, connector, POLICY, [closed], now=LATER, commit=session.commit, retry=True
    )
    assert [(w.key, w.labels, w.removed) for w in again.writes] == [
        ("acme/app#8", ("ai:ready",), ("ai:blocked",))
    ]
    stored = store.get_ticket(session, SOURCE, dependent.key)
    assert stored is not None and stored.applied_labels == ("ai:ready",)
    # once written, nothing lags any more
    [last] = triage.refresh_tickets(
        session, connector, POLICY, [closed], now=LATER, commit=session.commit, retry=True
    )
    assert last.writes == ()
