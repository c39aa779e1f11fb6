"""What triaging a ticket gives: its verdict, its queue change, and the label
change its tracker needs (`label_plan`)."""

from __future__ import annotations

from dataclasses import dataclass

from connectors.base import Ticket, TicketState
from service.queue.reconcile import QueueChange
from service.scoring import Policy, Verdict
from service.tickets import store
from service.tickets.models import AssessmentRecord
from service.tickets.store import AssessmentView


@dataclass(frozen=True, slots=True)
class TriageResult:
    """What triaging one ticket did, and the label writes it asks for."""

    source: str
    key: str
    title: str
    verdict: Verdict
    previous_verdict: Verdict | None
    overall: int
    changed: bool  # a new assessment was recorded
    queue_change: QueueChange | None
    labels_add: tuple[str, ...]
    labels_remove: tuple[str, ...]
    assessment: AssessmentView
    state: TicketState = TicketState.OPEN
    # stored tickets re-assessed because this one opened or closed (their blocker)
    dependents: tuple[TriageResult, ...] = ()
    claimed: bool = False  # an agent holds its claim: it carries `ai:in-progress`

    @property
    def needs_labels(self) -> bool:
        return bool(self.labels_add or self.labels_remove)


def label_plan(
    labels: tuple[str, ...],
    verdict: Verdict,
    policy: Policy,
    *,
    skipped: bool,
    state: TicketState,
    claimed: bool = False,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(add, remove): the managed labels the ticket should carry and lacks (its
    verdict's, and `ai:in-progress` while `claimed`), and the other managed
    labels it has. A skipped or closed ticket gets no label; it loses the managed
    ones it has (`labels.remove_on_close`, on by default), so that none is left
    saying it is ready."""
    if skipped or state != TicketState.OPEN:
        if not policy.labels.remove_on_close:
            return (), ()
        return (), tuple(lbl for lbl in policy.labels.managed() if lbl in labels)
    desired = policy.labels.wanted(verdict, claimed=claimed)
    add = tuple(lbl for lbl in desired if lbl not in labels)
    remove = tuple(lbl for lbl in policy.labels.managed() if lbl in labels and lbl not in desired)
    return add, remove


def result_for(
    ticket: Ticket,
    view: AssessmentView,
    policy: Policy,
    *,
    previous_verdict: Verdict | None,
    changed: bool,
    queue_change: QueueChange | None = None,
    claimed: bool = False,
) -> TriageResult:
    """The result of triaging `ticket` to the stored assessment `view`, with the
    label change the ticket's labels need."""
    add, remove = label_plan(
        ticket.labels,
        view.verdict,
        policy,
        skipped=view.skipped,
        state=ticket.state,
        claimed=claimed,
    )
    return TriageResult(
        source=ticket.source,
        key=ticket.key,
        title=ticket.title,
        verdict=view.verdict,
        previous_verdict=previous_verdict,
        overall=view.overall,
        changed=changed,
        queue_change=queue_change,
        labels_add=add,
        labels_remove=remove,
        assessment=view,
        state=ticket.state,
        claimed=claimed,
    )


def unchanged_result(
    ticket: Ticket, latest: AssessmentRecord, policy: Policy, *, claimed: bool = False
) -> TriageResult:
    """The result for a ticket whose stored assessment stands: no change, and the
    label change its labels still need."""
    view = store.assessment_view(latest)
    return result_for(
        ticket, view, policy, previous_verdict=view.verdict, changed=False, claimed=claimed
    )
