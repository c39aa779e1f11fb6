"""AI-readiness scoring: pure functions from (Ticket, BacklogContext, Policy) to Assessment.

`assess` (in `scorer`) parses the ticket once (`document.parse`), scores the
four dimensions of SCORING.md (`size`, `independence`, `clarity`, `safety`)
and decides the verdict. No I/O, no clock, no randomness: the same input gives
the same output on every machine.
"""

from service.scoring.assessment import (
    EMPTY_CONTEXT,
    Assessment,
    BacklogContext,
    Dimension,
    DimensionScore,
    Finding,
    SizeEstimate,
)
from service.scoring.document import Document
from service.scoring.policy import Policy, Verdict
from service.scoring.scorer import (
    DEFAULT_POLICY,
    SCORER_VERSION,
    assess,
    assess_backlog,
    backlog_context,
    scorer_version,
)

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
