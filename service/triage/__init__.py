"""The pipeline for one ticket (store, assess, reconcile the queue, plan labels)
and the one round trip to the tracker after it; `sync` drives it for a source.
"""

from service.triage.pipeline import mark_deleted, triage_ticket
from service.triage.results import TriageResult, label_plan
from service.triage.writeback import (
    Refreshed,
    TrackerWrite,
    WriteBack,
    record_writes,
    refresh_tickets,
    render_comment,
    write_back,
)

__all__ = [
    "Refreshed",
    "TrackerWrite",
    "TriageResult",
    "WriteBack",
    "label_plan",
    "mark_deleted",
    "record_writes",
    "refresh_tickets",
    "render_comment",
    "triage_ticket",
    "write_back",
]
