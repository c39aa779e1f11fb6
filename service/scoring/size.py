"""Size dimension (SCORING.md). Placeholder until implemented."""

from __future__ import annotations

from connectors.base import Ticket
from service.scoring.assessment import Dimension, DimensionScore, SizeEstimate
from service.scoring.document import Document
from service.scoring.policy import Policy


def score(ticket: Ticket, doc: Document, policy: Policy) -> tuple[DimensionScore, SizeEstimate]:
    """The dimension's score and the estimated hours."""
    return DimensionScore(Dimension.SIZE, 100), SizeEstimate(2.0, 4.0, "inferred")
