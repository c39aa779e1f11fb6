"""claim_entry: one named ready entry, under the same guard rows as claim_next."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from service import queue
from service.queue import OverlapError, QueueState, WrongStateError
from tests.integration.queue.builders import enqueue
from tests.integration.triage.builders import T0

LEASE = 600


def test_claim_entry_takes_that_entry_and_guards_its_areas(session: Session) -> None:
    enqueue(session, 1, areas=["app/api"], overall=95)
    second = enqueue(session, 2, areas=["app/db"], overall=80)
    enqueue(session, 3, areas=["app/db", "app/ui"], overall=70)

    claimed = queue.claim_entry(session, second, "agent-a", LEASE, T0)
    assert claimed.id == second and claimed.state is QueueState.CLAIMED
    assert claimed.agent == "agent-a" and claimed.lease_expires_at == T0 + timedelta(seconds=LEASE)

    first = queue.claim_next(session, "agent-b", LEASE, T0)
    assert first is not None and first.key.endswith("#1")
    assert queue.claim_next(session, "agent-c", LEASE, T0) is None  # #3 shares app/db


def test_claim_entry_refuses_claimed_work_and_overlaps(session: Session) -> None:
    first = enqueue(session, 1, areas=["app/db"], overall=95)
    second = enqueue(session, 2, areas=["app/db"], overall=80)
    queue.claim_entry(session, first, "agent-a", LEASE, T0)

    with pytest.raises(WrongStateError, match="is claimed, not ready"):
        queue.claim_entry(session, first, "agent-b", LEASE, T0)
    with pytest.raises(OverlapError, match="shares a code area"):
        queue.claim_entry(session, second, "agent-b", LEASE, T0)
    assert queue.get_entry(session, second).state is QueueState.READY

    queue.complete(session, first, "agent-a", T0)
    assert queue.claim_entry(session, second, "agent-b", LEASE, T0).agent == "agent-b"


def test_claim_entry_returns_an_expired_claim_first(session: Session) -> None:
    entry = enqueue(session, 1, areas=["app/db"])
    queue.claim_entry(session, entry, "agent-a", 60, T0)
    again = queue.claim_entry(session, entry, "agent-b", 60, T0 + timedelta(seconds=61))
    assert again.agent == "agent-b"


def test_claim_entry_of_no_entry_is_clear(session: Session) -> None:
    with pytest.raises(queue.EntryNotFoundError):
        queue.claim_entry(session, 424242, "agent-a", LEASE, T0)
    with pytest.raises(queue.QueueError, match="agent"):
        queue.claim_entry(session, 1, "", LEASE, T0)
