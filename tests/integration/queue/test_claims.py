"""The ready queue: order, claims and leases, release and complete, batches, concurrency."""

from __future__ import annotations

import random
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from service import queue
from service.queue import (
    EntryNotFoundError,
    QueueState,
    WrongAgentError,
    WrongStateError,
)
from service.queue.models import ClaimedArea, QueueEntry
from service.tickets.models import TicketRecord
from tests.integration.queue.builders import enqueue
from tests.integration.triage.builders import T0

LEASE = 600


def test_queue_order_is_priority_then_score_then_age(session: Session) -> None:
    enqueue(session, 1, priority=None, overall=90)  # counts as priority 3
    enqueue(session, 2, priority=2, overall=70)
    enqueue(session, 3, priority=4, overall=99)
    enqueue(session, 4, priority=None, overall=95)
    enqueue(session, 5, priority=3, overall=90, age_days=10)  # older than #1, same rank
    enqueue(session, 6, priority=1, overall=50)

    keys = [e.key.split("#")[1] for e in queue.list_entries(session)]
    assert keys == ["6", "2", "4", "5", "1", "3"]


def test_claim_takes_the_best_entry_and_skips_overlapping_areas(session: Session) -> None:
    first = enqueue(session, 1, areas=["app/api", "app/db"], overall=95)
    enqueue(session, 2, areas=["app/db"], overall=90)
    third = enqueue(session, 3, areas=["app/ui"], overall=80)

    a = queue.claim_next(session, "agent-a", LEASE, T0)
    b = queue.claim_next(session, "agent-b", LEASE, T0)
    c = queue.claim_next(session, "agent-c", LEASE, T0)

    assert a is not None and a.id == first and a.state is QueueState.CLAIMED
    assert a.agent == "agent-a" and a.lease_expires_at == T0 + timedelta(seconds=LEASE)
    assert b is not None and b.id == third
    assert c is None  # #2 shares app/db with the claimed #1


def test_an_expired_lease_makes_the_entry_claimable_again(session: Session) -> None:
    entry = enqueue(session, 1, areas=["app/db"])
    assert queue.claim_next(session, "agent-a", 60, T0) is not None
    assert queue.claim_next(session, "agent-b", 60, T0 + timedelta(seconds=59)) is None

    again = queue.claim_next(session, "agent-b", 60, T0 + timedelta(seconds=61))
    assert again is not None and again.id == entry and again.agent == "agent-b"
    with pytest.raises(WrongAgentError):
        queue.complete(session, entry, "agent-a", T0 + timedelta(seconds=62))


def test_heartbeat_extends_the_lease(session: Session) -> None:
    entry = enqueue(session, 1, areas=["app/db"])
    queue.claim_next(session, "agent-a", 60, T0)
    renewed = queue.heartbeat(session, entry, "agent-a", 60, T0 + timedelta(seconds=50))

    assert renewed.lease_expires_at == T0 + timedelta(seconds=110)
    assert queue.claim_next(session, "agent-b", 60, T0 + timedelta(seconds=100)) is None
    with pytest.raises(WrongAgentError):
        queue.heartbeat(session, entry, "agent-b", 60, T0 + timedelta(seconds=100))


def test_an_entry_loaded_earlier_in_the_session_shows_the_claim_and_completion(
    session: Session,
) -> None:
    entry_id = enqueue(session, 1, areas=["app/db"])
    loaded = session.get_one(QueueEntry, entry_id)
    assert loaded.state == QueueState.READY

    queue.claim_next(session, "agent-a", 60, T0)
    assert session.get_one(QueueEntry, entry_id).state == QueueState.CLAIMED
    queue.heartbeat(session, entry_id, "agent-a", 60, T0 + timedelta(seconds=30))
    assert loaded.lease_expires_at == T0 + timedelta(seconds=90)
    queue.complete(session, entry_id, "agent-a", T0 + timedelta(seconds=40))
    assert loaded.state == QueueState.DONE and loaded.lease_expires_at is None


def test_release_and_complete(session: Session) -> None:
    one = enqueue(session, 1, areas=["app/db"], overall=90)
    two = enqueue(session, 2, areas=["app/db"], overall=80)

    claimed = queue.claim_next(session, "agent-a", LEASE, T0)
    assert claimed is not None and claimed.id == one
    released = queue.release(session, one, "agent-a", T0)
    assert released.state is QueueState.READY and released.agent is None

    assert queue.claim_next(session, "agent-b", LEASE, T0) is not None
    done = queue.complete(session, one, "agent-b", T0)
    assert done.state is QueueState.DONE
    nxt = queue.claim_next(session, "agent-c", LEASE, T0)
    assert nxt is not None and nxt.id == two  # app/db is free again
    assert [e.id for e in queue.list_entries(session, "done")] == [one]


def test_queue_errors_are_clear(session: Session) -> None:
    entry = enqueue(session, 1)
    with pytest.raises(EntryNotFoundError):
        queue.get_entry(session, 999_999)
    with pytest.raises(EntryNotFoundError):
        queue.complete(session, 999_999, "agent-a", T0)
    with pytest.raises(WrongStateError):
        queue.complete(session, entry, "agent-a", T0)  # ready, not claimed
    queue.claim_next(session, "agent-a", LEASE, T0)
    with pytest.raises(WrongAgentError):
        queue.release(session, entry, "agent-b", T0)
    with pytest.raises(queue.QueueError):
        queue.claim_next(session, "agent-a", 0, T0)


def test_a_released_entry_whose_ticket_is_no_longer_ready_is_dropped(session: Session) -> None:
    entry = enqueue(session, 1)
    queue.claim_next(session, "agent-a", LEASE, T0)
    record = session.scalars(select(TicketRecord)).one()
    record.verdict = "needs-clarity"
    assert queue.release(session, entry, "agent-a", T0).state is QueueState.DROPPED


def test_batch_is_the_best_set_without_overlaps(session: Session) -> None:
    enqueue(session, 1, areas=["app/api"], overall=99)
    enqueue(session, 2, areas=["app/api", "app/db"], overall=95)  # overlaps #1
    enqueue(session, 3, areas=["app/db"], overall=90)
    enqueue(session, 4, areas=["app/ui"], overall=85)  # overlaps the claimed #5
    enqueue(session, 5, areas=["app/ui", "docs"], priority=1, overall=10)
    enqueue(session, 6, areas=[], overall=80)
    enqueue(session, 7, areas=["lib"], overall=70)
    claimed = queue.claim_next(session, "agent-a", LEASE, T0)
    assert claimed is not None and claimed.key == "acme/app#5"

    picked = [e.key.split("#")[1] for e in queue.batch(session, 3, T0)]
    assert picked == ["1", "3", "6"]
    assert [e.key.split("#")[1] for e in queue.batch(session, 10, T0)] == ["1", "3", "6", "7"]
    # once the claim's lease has run out, its areas count as free
    later = queue.batch(session, 10, T0 + timedelta(seconds=LEASE + 1))
    assert "acme/app#4" in [e.key for e in later]


def test_concurrent_claims_never_overlap_and_never_repeat(
    backend: str, sessions: sessionmaker[Session]
) -> None:
    if backend != "postgresql":
        pytest.skip("claims from concurrent transactions are made safe on PostgreSQL")
    rng = random.Random(7)
    pool = [f"area/{i}" for i in range(30)]
    with sessions.begin() as s:
        for n in range(200):
            enqueue(s, n, areas=rng.sample(pool, rng.randint(1, 3)), overall=rng.randint(70, 99))

    held: dict[str, int] = {}
    claims: list[int] = []
    violations: list[str] = []
    errors: list[BaseException] = []
    changed = threading.Condition()

    def ready_left() -> int:
        with sessions() as s:
            return (
                s.scalar(
                    select(func.count()).select_from(QueueEntry).where(QueueEntry.state == "ready")
                )
                or 0
            )

    def claimer(agent: str) -> None:
        try:
            while True:
                with sessions.begin() as s:
                    entry = queue.claim_next(s, agent, LEASE, T0)
                if entry is None:
                    if ready_left() == 0:
                        return
                    with changed:
                        changed.wait(timeout=0.05)
                    continue
                with changed:
                    claims.append(entry.id)
                    for area in entry.areas:
                        if area in held:
                            violations.append(f"{area}: {held[area]} and {entry.id}")
                        held[area] = entry.id
                # work on it a little (a round trip that lets the other claimers run)
                with sessions() as s:
                    mine = queue.get_entry(s, entry.id)
                if (mine.state, mine.agent) != (QueueState.CLAIMED, agent):
                    violations.append(f"{entry.id} is not claimed by {agent}")
                with sessions.begin() as s:
                    with changed:
                        for area in entry.areas:
                            held.pop(area, None)
                    queue.complete(s, entry.id, agent, T0)
                with changed:
                    changed.notify_all()
        except BaseException as exc:  # reported by the test thread
            errors.append(exc)

    threads = [threading.Thread(target=claimer, args=(f"agent-{i}",)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    assert violations == []
    assert len(claims) == 200 and len(set(claims)) == 200
    with sessions() as s:
        states = s.scalars(select(QueueEntry.state)).all()
    assert set(states) == {"done"}


def test_a_claim_takes_the_next_entry_without_waiting_for_a_claim_in_flight(
    backend: str, sessions: sessionmaker[Session]
) -> None:
    if backend != "postgresql":
        pytest.skip("claims from concurrent transactions are made safe on PostgreSQL")
    with sessions.begin() as s:
        first = enqueue(s, 1, areas=["app/db"], overall=95)
        second = enqueue(s, 2, areas=["app/api", "app/db"], overall=90)
        third = enqueue(s, 3, areas=["app/ui"], overall=80)

    with sessions() as holder, holder.begin():
        held = queue.claim_next(holder, "agent-a", LEASE, T0)  # in flight: not committed
        assert held is not None and held.id == first
        # #2 shares app/db with the claim in flight, which it cannot see yet
        with sessions.begin() as s:
            s.execute(text("SET LOCAL lock_timeout = '5s'"))  # a wait fails the test
            other = queue.claim_next(s, "agent-b", LEASE, T0)
        assert other is not None and other.id == third and other.agent == "agent-b"

    with sessions() as s:
        assert queue.get_entry(s, second).state is QueueState.READY
        guard = {
            row.area: row.entry_id
            for row in s.execute(select(ClaimedArea.area, ClaimedArea.entry_id))
        }
    assert guard == {"app/db": first, "app/ui": third}
    with sessions.begin() as s:
        queue.complete(s, first, "agent-a", T0)
        after = queue.claim_next(s, "agent-c", LEASE, T0)
    assert after is not None and after.id == second  # app/api was left free


def test_a_batch_holds_at_most_max_unknown_tickets_of_unknown_areas(session: Session) -> None:
    enqueue(session, 1, areas=[], overall=99)
    enqueue(session, 2, areas=[], overall=95)
    enqueue(session, 3, areas=["app/db"], overall=90)
    enqueue(session, 4, areas=[], overall=85)
    keys = [e.key.split("#")[1] for e in queue.batch(session, 10, T0)]
    assert keys == ["1", "3"]  # one ticket that could touch anything, by default
    two = [e.key.split("#")[1] for e in queue.batch(session, 10, T0, max_unknown=2)]
    assert two == ["1", "2", "3"]
    assert [e.key for e in queue.batch(session, 10, T0, max_unknown=0)] == ["acme/app#3"]
