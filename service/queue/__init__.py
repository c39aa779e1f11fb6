"""The ready queue: entries, claims under a lease, and conflict-free batches.

Two entries that share a code area are never claimed at the same time (see
`service.queue.claims`). Every function takes a session and never commits.
"""

from service.queue.batch import areas_in_flight, batch, claimed_ticket_ids, is_claimed
from service.queue.claims import (
    OverlapError,
    claim_entry,
    claim_next,
    complete,
    drop_claimed,
    heartbeat,
    release,
    release_expired,
)
from service.queue.models import QueueState
from service.queue.reconcile import QueueChange, normalise_areas
from service.queue.views import (
    EntryNotFoundError,
    QueueEntryView,
    QueueError,
    WrongAgentError,
    WrongStateError,
    get_entry,
    list_entries,
    open_entry_for_ticket,
)

__all__ = [
    "EntryNotFoundError",
    "OverlapError",
    "QueueChange",
    "QueueEntryView",
    "QueueError",
    "QueueState",
    "WrongAgentError",
    "WrongStateError",
    "areas_in_flight",
    "batch",
    "claim_entry",
    "claim_next",
    "claimed_ticket_ids",
    "complete",
    "drop_claimed",
    "get_entry",
    "heartbeat",
    "is_claimed",
    "list_entries",
    "normalise_areas",
    "open_entry_for_ticket",
    "release",
    "release_expired",
]
