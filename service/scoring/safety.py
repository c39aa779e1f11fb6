"""Safety dimension (SCORING.md). Placeholder until implemented."""

from __future__ import annotations

from connectors.base import Ticket
from service.scoring.assessment import Dimension, DimensionScore
from service.scoring.document import Document
from service.scoring.policy import Policy


def score(ticket: Ticket, doc: Document, policy: Policy) -> DimensionScore:
    return DimensionScore(Dimension.SAFETY, 100)
