"""What scoring returns: findings, dimension scores and the assessment."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from connectors.base import TicketState
from service.scoring.policy import Policy, Verdict


class Dimension(enum.StrEnum):
    SIZE = "size"
    INDEPENDENCE = "independence"
    CLARITY = "clarity"
    SAFETY = "safety"


@dataclass(frozen=True, slots=True)
class Finding:
    """One reason a ticket lost points (or a fact that decides its verdict).

    `points` is what this finding cost its dimension (0..100). `blocking` marks
    findings that by themselves decide a verdict other than ready (an open
    blocker, an umbrella ticket, an injection attempt). `strength` (0..1) is how
    much of the code's full points (`Policy.finding_points`) it costs: a graded
    finding (three open questions rather than one) costs a larger share. It is
    what benchmarks/fit_finding_points.py fits the points on.
    """

    code: str
    dimension: Dimension
    message: str
    points: int
    suggestion: str
    blocking: bool = False
    strength: float = 1.0
    evidence: str = ""  # the ticket's words that raised it (a safety finding's span), as written

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "dimension": str(self.dimension),
            "message": self.message,
            "points": self.points,
            "suggestion": self.suggestion,
            "blocking": self.blocking,
            "evidence": self.evidence,
        }


@dataclass(frozen=True, slots=True)
class DimensionScore:
    dimension: Dimension
    score: int  # 0..100
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True, slots=True)
class SizeEstimate:
    """Estimated hours (low, high) and where the estimate came from."""

    low: float
    high: float
    basis: str  # "story-points", "size-label", "body-estimate", "inferred"

    @property
    def midpoint(self) -> float:
        return (self.low + self.high) / 2


@dataclass(frozen=True, slots=True)
class BacklogContext:
    """What scoring may know about the rest of the backlog (read from the database).

    `ticket_states`: state of other tickets by key, used for blockers named only by
    key. `areas_in_flight`: code areas of claimed queue entries, by ticket key.
    `agent_questions`: what an agent that took this ticket asked when it found it
    unclear (`report_unclear`), while the ticket is unchanged since.
    """

    ticket_states: Mapping[str, TicketState] = field(default_factory=dict)
    areas_in_flight: Mapping[str, frozenset[str]] = field(default_factory=dict)
    agent_questions: tuple[str, ...] = ()


EMPTY_CONTEXT = BacklogContext()


@dataclass(frozen=True, slots=True)
class Assessment:
    verdict: Verdict
    overall: int
    size: DimensionScore
    independence: DimensionScore
    clarity: DimensionScore
    safety: DimensionScore
    estimate: SizeEstimate
    areas: tuple[str, ...]
    blockers: tuple[str, ...]  # keys of open blockers
    missing: tuple[str, ...]  # one actionable line each, most valuable first
    scorer_version: str
    skipped: bool = False  # labelled ai:skip: no label and no queue entry

    @property
    def dimensions(self) -> dict[str, DimensionScore]:
        return {
            "size": self.size,
            "independence": self.independence,
            "clarity": self.clarity,
            "safety": self.safety,
        }

    @property
    def findings(self) -> tuple[Finding, ...]:
        return (
            self.safety.findings
            + self.independence.findings
            + self.size.findings
            + self.clarity.findings
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "verdict": str(self.verdict),
            "overall": self.overall,
            "dimensions": {name: d.score for name, d in self.dimensions.items()},
            "estimate_hours": [round(self.estimate.low, 1), round(self.estimate.high, 1)],
            "estimate_basis": self.estimate.basis,
            "areas": list(self.areas),
            "blockers": list(self.blockers),
            "missing": list(self.missing),
            "findings": [f.as_dict() for f in self.findings],
            "scorer_version": self.scorer_version,
            "skipped": self.skipped,
        }


class FindingTally:
    """Collects one dimension's findings; points never add up to more than 100.

    `add` returns the points actually taken, so a caller can spend a budget.
    """

    def __init__(self, dimension: Dimension) -> None:
        self.dimension = dimension
        self.items: list[Finding] = []
        self.lost = 0

    def add(
        self,
        code: str,
        points: int,
        message: str,
        suggestion: str,
        *,
        blocking: bool = False,
        strength: float = 1.0,
        evidence: str = "",
    ) -> int:
        points = max(0, min(points, 100 - self.lost))
        self.items.append(
            Finding(code, self.dimension, message, points, suggestion, blocking, strength, evidence)
        )
        self.lost += points
        return points

    def charge(
        self,
        policy: Policy,
        code: str,
        strength: float,
        message: str,
        suggestion: str,
        *,
        blocking: bool = False,
    ) -> int:
        """Add `code` at `strength` (0..1) of its points in `policy.finding_points`.

        A code the policy sets to 0 points is left out unless it is blocking: a
        finding that costs nothing and decides nothing would only be noise.
        """
        strength = max(0.0, min(strength, 1.0))
        full = policy.finding_points.get(code, 0)
        if not blocking and (full <= 0 or strength <= 0):
            return 0
        return self.add(
            code, round(full * strength), message, suggestion, blocking=blocking, strength=strength
        )

    def result(self) -> DimensionScore:
        return DimensionScore(self.dimension, 100 - self.lost, tuple(self.items))
