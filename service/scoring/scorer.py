"""The scorer: `assess` parses the ticket once (`document.parse`), scores the four dimensions
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

SCORER_VERSION = "4"
"""Bump when a change to scoring should re-score stored tickets."""

DEFAULT_POLICY = Policy()


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
    *,
    agent_asked: bool = False,
) -> Verdict:
    if any(f.blocking for f in saf.findings):
        return Verdict.NEEDS_REVIEW
    if blockers or any(f.blocking for f in ind.findings):
        return Verdict.BLOCKED
    if any(f.blocking for f in sz.findings):  # too-large, an umbrella, several problems
        return Verdict.TOO_LARGE
    if agent_asked or cla.score < policy.clarity_threshold:  # asked: an agent found it unclear
        return Verdict.NEEDS_CLARITY
    if overall >= policy.ready_threshold:
        return Verdict.READY
    return Verdict.NEEDS_CLARITY


def _decides(verdict: Verdict, finding: Finding, estimate_too_large: bool) -> bool:
    """True when `finding` is (one of) the reasons for `verdict`: the fix comes first."""
    if verdict is Verdict.NEEDS_REVIEW:
        return finding.dimension is Dimension.SAFETY and finding.blocking
    if verdict is Verdict.BLOCKED:
        return finding.dimension is Dimension.INDEPENDENCE and finding.blocking
    if verdict is Verdict.TOO_LARGE:
        return finding.dimension is Dimension.SIZE and (
            finding.blocking or (estimate_too_large and finding.code == "too-large")
        )
    return finding.dimension is Dimension.CLARITY and finding.blocking  # an agent's questions


def _missing(
    policy: Policy,
    verdict: Verdict,
    by_dimension: dict[Dimension, DimensionScore],
    estimate: SizeEstimate,
) -> tuple[str, ...]:
    """What stands between the ticket and `ready`, most valuable first (SCORING.md).

    First the findings that decide the verdict (the blocker, the attack, the split),
    then the fewest other fixes that would bring the ticket to `ready` once those are
    dealt with, largest gain in the overall score first: a fix that cannot change
    the verdict is not suggested (a blocked ticket that would be ready once unblocked
    is told about its blocker only).
    """
    if verdict is Verdict.READY:
        return ()
    too_large = estimate.low > policy.target_hours
    findings = [f for score in by_dimension.values() for f in score.findings]
    decisive = [f for f in findings if _decides(verdict, f, too_large)]
    weights = policy.weights
    share = {
        Dimension.SIZE: weights.size,
        Dimension.INDEPENDENCE: weights.independence,
        Dimension.CLARITY: weights.clarity,
        Dimension.SAFETY: 0.0,
    }
    total = weights.size + weights.independence + weights.clarity
    scores = {dim: float(score.score) for dim, score in by_dimension.items()}
    for finding in decisive:  # as if the decisive findings were dealt with
        scores[finding.dimension] += finding.points

    def overall() -> float:
        return sum(share[dim] * min(100.0, scores[dim]) for dim in scores) / total

    chosen: list[Finding] = []
    if (
        scores[Dimension.CLARITY] >= policy.clarity_threshold
        and overall() >= policy.ready_threshold
    ):
        candidates: list[Finding] = []  # ready once the decisive findings are dealt with
    else:
        candidates = sorted(
            (
                f
                for f in findings
                if f.points > 0 and f not in decisive and f.dimension is not Dimension.SAFETY
            ),
            key=lambda f: (-share[f.dimension] * f.points, f.code),
        )
    while candidates and (
        scores[Dimension.CLARITY] < policy.clarity_threshold or overall() < policy.ready_threshold
    ):
        if scores[Dimension.CLARITY] < policy.clarity_threshold:
            pick = next((f for f in candidates if f.dimension is Dimension.CLARITY), None)
            pick = pick if pick is not None else candidates[0]
        else:
            pick = candidates[0]
        candidates.remove(pick)
        chosen.append(pick)
        scores[pick.dimension] += pick.points
    chosen.sort(key=lambda f: (-share[f.dimension] * f.points, f.code))
    decisive.sort(key=lambda f: (not f.blocking, -f.points, f.code))
    return tuple(dict.fromkeys(f.suggestion for f in decisive + chosen))


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
    if context.agent_questions:
        cla = clarity.with_agent_questions(cla, context.agent_questions)
    overall = _overall(policy, sz.score, ind.score, cla.score)
    verdict = _verdict(
        policy,
        overall,
        sz,
        ind,
        cla,
        saf,
        blockers,
        estimate,
        agent_asked=bool(context.agent_questions),
    )
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
        missing=_missing(policy, verdict, by_dim, estimate),
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
