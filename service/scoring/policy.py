"""Thresholds, weights, label names and verdict rules (SCORING.md defaults).

Every default here can be overridden from the `policy:` section of the YAML
config, or a YAML file given to `backlog-sync triage --policy FILE`.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from connectors.base import LabelSpec
from service.config import ConfigError, read_yaml, validated


class Verdict(enum.StrEnum):
    READY = "ready"
    NEEDS_CLARITY = "needs-clarity"
    TOO_LARGE = "too-large"
    BLOCKED = "blocked"
    NEEDS_REVIEW = "needs-review"


class Weights(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    size: float = Field(0.25, ge=0)
    independence: float = Field(0.25, ge=0)
    clarity: float = Field(0.5, ge=0)

    @model_validator(mode="after")
    def _not_all_zero(self) -> Weights:
        if self.size + self.independence + self.clarity <= 0:
            raise ValueError("at least one weight must be above zero")
        return self


class Labels(BaseModel):
    """Names of the managed labels; only these are ever added or removed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ready: str = "ai:ready"
    needs_clarity: str = "ai:needs-clarity"
    too_large: str = "ai:too-large"
    blocked: str = "ai:blocked"
    needs_review: str = "ai:needs-review"
    in_progress: str = "ai:in-progress"  # an agent holds the ticket's claim
    skip: str = "ai:skip"
    approved: str = "ai:approved"
    # a ticket that closes, or is labelled `skip`, loses the managed labels (none is left
    # claiming it is ready); false leaves them as they were
    remove_on_close: bool = True

    def for_verdict(self, verdict: Verdict) -> str:
        return {
            Verdict.READY: self.ready,
            Verdict.NEEDS_CLARITY: self.needs_clarity,
            Verdict.TOO_LARGE: self.too_large,
            Verdict.BLOCKED: self.blocked,
            Verdict.NEEDS_REVIEW: self.needs_review,
        }[verdict]

    def specs(self) -> list[LabelSpec]:
        """The verdict labels with the colour and description they are created with."""
        return [
            LabelSpec(
                self.ready, "0e8a16", "Ready for an AI agent: small, independent, clear, safe"
            ),
            LabelSpec(self.needs_clarity, "fbca04", "Not ready for AI: see what is missing"),
            LabelSpec(self.too_large, "d93f0b", "Too large for one agent session: split it"),
            LabelSpec(self.blocked, "5319e7", "Waiting on an open blocker"),
            LabelSpec(
                self.needs_review, "b60205", "Needs a person's review before an agent sees it"
            ),
            LabelSpec(self.in_progress, "1d76db", "An AI agent is working on it (claimed)"),
        ]

    def managed(self) -> tuple[str, ...]:
        """The labels backlog-sync writes: the verdict labels in verdict order, then the
        claim's (skip and approved are read, never written)."""
        return (
            self.ready,
            self.needs_clarity,
            self.too_large,
            self.blocked,
            self.needs_review,
            self.in_progress,
        )

    def wanted(self, verdict: Verdict, *, claimed: bool) -> tuple[str, ...]:
        """The managed labels an open ticket should carry: its verdict's, and the
        claim's while an agent holds it."""
        verdict_label = self.for_verdict(verdict)
        return (verdict_label, self.in_progress) if claimed else (verdict_label,)


DEFAULT_POINTS_TO_HOURS: dict[str, tuple[float, float]] = {
    # story points -> hours (low, high); points between keys take the next key up
    "0.5": (0.5, 1.5),
    "1": (1.0, 3.0),
    "2": (2.0, 4.0),
    "3": (3.0, 6.0),
    "5": (5.0, 10.0),
    "8": (8.0, 16.0),
    "13": (13.0, 26.0),
    "21": (24.0, 48.0),
    "40": (40.0, 80.0),
    "100": (80.0, 200.0),
}

DEFAULT_SIZE_LABEL_HOURS: dict[str, tuple[float, float]] = {
    "XS": (0.5, 2.0),
    "S": (1.0, 4.0),
    "M": (3.0, 8.0),
    "L": (8.0, 24.0),
    "XL": (24.0, 80.0),
}


# The points each finding code costs its dimension at full strength (a graded finding,
# such as three open questions rather than one, costs a share: `Finding.strength`).
# The codes marked "fitted" were fitted on the readiness sample by logistic regression
# with folds grouped by repository: benchmarks/fit_finding_points.py (run it with
# --write to refresh them; it prints the held-out fold AUCs). A code fitted to 0
# decides nothing on that sample and costs nothing; its finding is left out.
DEFAULT_FINDING_POINTS: dict[str, int] = {
    "question": 33,  # fitted
    "closing-question": 8,  # fitted
    "support-request": 72,  # fitted
    "discussion": 33,  # hand-set (not fitted)
    "no-change-asked": 27,  # fitted
    "no-acceptance-criteria": 10,  # hand-set (not fitted)
    "no-technical-pointers": 27,  # fitted
    "few-technical-pointers": 22,  # fitted
    "incomplete-bug-report": 39,  # fitted
    "no-scope-limits": 2,  # hand-set (not fitted)
    "vague-title": 10,  # hand-set (not fitted)
    "short-body": 14,  # fitted
    "open-questions": 33,  # fitted
    "template-leftovers": 37,  # fitted
    "unanswered-question": 10,  # hand-set (not fitted)
    "wall-of-text": 10,  # hand-set (not fitted)
    "too-large": 40,  # hand-set (not fitted)
    "may-be-too-large": 0,  # fitted
    "several-problems": 40,  # hand-set (not fitted)
    "broad-scope": 30,  # hand-set (not fitted)
    "many-areas": 30,  # hand-set (not fitted)
    "many-acceptance-items": 30,  # hand-set (not fitted)
    "umbrella-ticket": 50,  # hand-set (not fitted)
    "open-children": 40,  # hand-set (not fitted)
    "open-blocker": 60,  # hand-set (not fitted)
    "waiting-on-decision": 20,  # hand-set (not fitted)
    "area-in-flight": 10,  # hand-set (not fitted)
}


class Policy(BaseModel):
    """The rules a ticket is scored by. Immutable; build a new one to change it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    target_hours: float = Field(6.0, gt=0, description="most hours one agent should need")
    ready_threshold: int = Field(70, ge=0, le=100)
    clarity_threshold: int = Field(60, ge=0, le=100)
    weights: Weights = Weights()
    labels: Labels = Labels()
    points_to_hours: dict[str, tuple[float, float]] = Field(
        default_factory=lambda: dict(DEFAULT_POINTS_TO_HOURS)
    )
    size_label_hours: dict[str, tuple[float, float]] = Field(
        default_factory=lambda: dict(DEFAULT_SIZE_LABEL_HOURS)
    )
    trusted_authors: tuple[str, ...] = Field(
        (), description="logins trusted whatever the tracker says"
    )
    bot_accounts: tuple[str, ...] = Field(
        (),
        description="tracker accounts of backlog-sync and its agents: a ticket assigned "
        "to one of them is not someone else's work in progress",
    )
    finding_points: dict[str, int] = Field(
        default_factory=lambda: dict(DEFAULT_FINDING_POINTS),
        description="points a finding code costs at full strength; codes left out keep "
        "their defaults",
    )

    @field_validator("finding_points", mode="before")
    @classmethod
    def _over_the_defaults(cls, value: Any) -> Any:
        """A policy file names only the codes it changes; the rest keep their defaults."""
        if isinstance(value, dict):
            return {**DEFAULT_FINDING_POINTS, **value}
        return value

    @model_validator(mode="after")
    def _check_tables(self) -> Policy:
        for table_name in ("points_to_hours", "size_label_hours"):
            table: dict[str, tuple[float, float]] = getattr(self, table_name)
            for key, (low, high) in table.items():
                if low < 0 or high < low:
                    raise ValueError(f"{table_name}[{key}]: need 0 <= low <= high")
        for code, points in self.finding_points.items():
            if not 0 <= points <= 100:
                raise ValueError(f"finding_points[{code}]: need 0 <= points <= 100")
        for key in self.points_to_hours:
            try:
                float(key)
            except ValueError:
                raise ValueError(f"points_to_hours: {key!r} is not a number") from None
        return self

    def hours_for_points(self, points: float) -> tuple[float, float]:
        """Map story points to an hours range through `points_to_hours`."""
        table = sorted((float(k), v) for k, v in self.points_to_hours.items())
        if not table:
            return (points, points * 2)
        for key, hours in table:
            if points <= key:
                return hours
        top_key, (low, high) = table[-1]
        scale = points / top_key if top_key else 1.0
        return (low * scale, high * scale)


class PolicyError(ConfigError):
    """A policy file or section is invalid; the message is one line per problem."""


def policy_from_mapping(data: dict[str, Any] | None, *, origin: str = "policy") -> Policy:
    """Build a Policy from a mapping (the YAML `policy:` section)."""
    return validated(Policy, data or {}, origin, error=PolicyError)


def load_policy(path: Path) -> Policy:
    """Read a policy YAML file: either the policy itself or a config with a `policy:` key."""
    try:
        data = read_yaml(path)
    except ConfigError as exc:
        raise PolicyError(str(exc)) from None
    if isinstance(data, dict) and isinstance(data.get("policy"), dict):
        data = data["policy"]
    return validated(Policy, data, str(path), error=PolicyError)
