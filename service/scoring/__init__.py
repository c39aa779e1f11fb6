"""AI-readiness scoring: pure functions from (Ticket, BacklogContext, Policy) to Assessment.

`assess` parses the ticket once (`document.parse`), scores the four dimensions
of SCORING.md and decides the verdict. No I/O, no clock, no randomness: the
same input gives the same output on every machine.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence

from connectors.base import Ticket
from service.scoring import clarity, independence, safety, size
from service.scoring.assessment import (
    EMPTY_CONTEXT,
    Assessment,
    BacklogContext,
    Dimension,
    DimensionScore,
    Finding,
    SizeEstimate,
)
from service.scoring.document import Document, parse
from service.scoring.policy import Policy, Verdict

SCORER_VERSION = "1"
"""Bump when a change to scoring should re-score stored tickets."""

DEFAULT_POLICY = Policy()

__all__ = [
    "DEFAULT_POLICY",
    "EMPTY_CONTEXT",
    "SCORER_VERSION",
    "Assessment",
    "BacklogContext",
    "Dimension",
    "DimensionScore",
    "Document",
    "Finding",
    "Policy",
    "SizeEstimate",
    "Verdict",
    "assess",
    "assess_backlog",
    "backlog_context",
    "scorer_version",
]


_VERSIONS: dict[int, tuple[Policy, str]] = {}


def scorer_version(policy: Policy) -> str:
    """The scorer version plus a digest of the policy: a policy change re-scores too.

    Policies are immutable, so the digest is computed once per policy object.
    """
    cached = _VERSIONS.get(id(policy))
    if cached is not None and cached[0] is policy:
        return cached[1]
    digest = hashlib.sha256(
        json.dumps(policy.model_dump(mode="json"), sort_keys=True).encode()
    ).hexdigest()
    version = f"{SCORER_VERSION}+{digest[:8]}"
    if len(_VERSIONS) > 64:
        _VERSIONS.clear()
    _VERSIONS[id(policy)] = (policy, version)
    return version


def _overall(policy: Policy, sz: int, ind: int, cla: int) -> int:
    w = policy.weights
    total = w.size + w.independence + w.clarity
    return round((w.size * sz + w.independence * ind + w.clarity * cla) / total)


def _verdict(
    policy: Policy,
    overall: int,
    sz: DimensionScore,
    ind: DimensionScore,
    cla: DimensionScore,
    saf: DimensionScore,
    blockers: tuple[str, ...],
    estimate: SizeEstimate,
) -> Verdict:
    if any(f.blocking for f in saf.findings):
        return Verdict.NEEDS_REVIEW
    if blockers or any(f.blocking for f in ind.findings):
        return Verdict.BLOCKED
    if estimate.low > policy.target_hours or any(f.blocking for f in sz.findings):
        return Verdict.TOO_LARGE
    if cla.score < policy.clarity_threshold:
        return Verdict.NEEDS_CLARITY
    if overall >= policy.ready_threshold:
        return Verdict.READY
    return Verdict.NEEDS_CLARITY


def _missing(
    verdict: Verdict, findings_by_dimension: dict[Dimension, DimensionScore]
) -> tuple[str, ...]:
    """The findings that stand between the ticket and `ready`, most valuable first."""
    if verdict is Verdict.READY:
        return ()
    decisive = {
        Verdict.NEEDS_REVIEW: Dimension.SAFETY,
        Verdict.BLOCKED: Dimension.INDEPENDENCE,
        Verdict.TOO_LARGE: Dimension.SIZE,
        Verdict.NEEDS_CLARITY: Dimension.CLARITY,
    }[verdict]
    first = sorted(
        findings_by_dimension[decisive].findings, key=lambda f: (not f.blocking, -f.points, f.code)
    )
    rest = sorted(
        (
            f
            for dim, score in findings_by_dimension.items()
            if dim is not decisive
            for f in score.findings
            if f.points > 0 or f.blocking
        ),
        key=lambda f: (not f.blocking, -f.points, f.code),
    )
    lines = [f.suggestion for f in first if f.points > 0 or f.blocking]
    lines += [f.suggestion for f in rest]
    return tuple(dict.fromkeys(lines))


def assess(
    ticket: Ticket,
    context: BacklogContext = EMPTY_CONTEXT,
    policy: Policy = DEFAULT_POLICY,
    *,
    document: Document | None = None,
) -> Assessment:
    """Score one ticket for AI-readiness."""
    doc = document if document is not None else parse(ticket.title, ticket.body)
    saf = safety.score(ticket, doc, policy)
    ind, blockers = independence.score(ticket, doc, context, policy)
    sz, estimate = size.score(ticket, doc, policy)
    cla = clarity.score(ticket, doc, policy)
    overall = _overall(policy, sz.score, ind.score, cla.score)
    verdict = _verdict(policy, overall, sz, ind, cla, saf, blockers, estimate)
    by_dim = {
        Dimension.SAFETY: saf,
        Dimension.INDEPENDENCE: ind,
        Dimension.SIZE: sz,
        Dimension.CLARITY: cla,
    }
    return Assessment(
        verdict=verdict,
        overall=overall,
        size=sz,
        independence=ind,
        clarity=cla,
        safety=saf,
        estimate=estimate,
        areas=doc.areas,
        blockers=blockers,
        missing=_missing(verdict, by_dim),
        scorer_version=scorer_version(policy),
        skipped=policy.labels.skip in ticket.labels,
    )


def backlog_context(tickets: Iterable[Ticket]) -> BacklogContext:
    """Context for assessing a set of tickets together, from those tickets alone.

    Used where no database holds the rest of the backlog (offline `triage`):
    a blocker named in a ticket is looked up among the others.
    """
    return BacklogContext(ticket_states={t.key: t.state for t in tickets})


def assess_backlog(
    tickets: Sequence[Ticket],
    policy: Policy = DEFAULT_POLICY,
    *,
    on_progress: Callable[[int], None] | None = None,
) -> list[Assessment]:
    """Assess every ticket against the others; `on_progress(n)` after each one."""
    context = backlog_context(tickets)
    results = []
    for done, ticket in enumerate(tickets, start=1):
        results.append(assess(ticket, context, policy))
        if on_progress is not None:
            on_progress(done)
    return results
