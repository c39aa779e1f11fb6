"""Independence dimension (SCORING.md). Placeholder until implemented."""

from __future__ import annotations

from connectors.base import Ticket
from service.scoring.assessment import BacklogContext, Dimension, DimensionScore
from service.scoring.document import Document
from service.scoring.policy import Policy


def score(
    ticket: Ticket, doc: Document, context: BacklogContext, policy: Policy
) -> tuple[DimensionScore, tuple[str, ...]]:
    """The dimension's score and the keys of open blockers."""
    return DimensionScore(Dimension.INDEPENDENCE, 100), ()
