"""Tickets and a hand-made Assessment for the rules tests (independent of scoring)."""

from __future__ import annotations

from connectors.base import Ticket
from service.scoring.assessment import Assessment, Dimension
from tests.unit.scoring.assessments import assessment as build_assessment

FULL_BODY = """\
Cart totals are rounded on every line, so three items at 0.335 EUR show a total of \
1.02 EUR instead of 1.01 EUR. Round once, on the sum.

## Acceptance criteria

- [ ] The cart total is the sum of unrounded line amounts, rounded half-even to the minor unit
- [ ] Currencies without a minor unit (JPY) show no decimals
- [ ] `CartTotals.compute` returns `Decimal`, never `float`

## Out of scope

- Tax calculation
- The order confirmation email

## Technical notes

Rounding happens in `src/checkout/totals.py`; the cart page reads it in `src/cart/summary.ts`.

```python
total = sum(line.amount for line in lines).quantize(minor_unit, ROUND_HALF_EVEN)
```
"""

PROJECT_RULES = """\
- Money is `Decimal`, never `float`.
- Run `make check` before you push.
"""


def full_ticket() -> Ticket:
    return Ticket(
        source="github:acme/storefront",
        key="acme/storefront#12",
        title="Fix cart rounding for multi-item totals",
        url="https://github.com/acme/storefront/issues/12",
        body=FULL_BODY,
        kind="feature",
    )


def minimal_ticket() -> Ticket:
    return Ticket(
        source="jira:PROJ",
        key="PROJ-7",
        title="Show the build number in the footer",
        body="The page footer should show the build number from the BUILD_ID variable.",
    )


def assessment(areas: tuple[str, ...] = (), low: float = 2.0, high: float = 4.0) -> Assessment:
    """A ready assessment built by hand, so golden files do not move with scoring."""
    scores = {Dimension.SIZE: 90, Dimension.INDEPENDENCE: 100, Dimension.CLARITY: 73}
    return build_assessment(
        overall=84, areas=areas, hours=(low, high), scores={**scores, Dimension.SAFETY: 100}
    )


def split_frontmatter(content: str) -> tuple[str | None, str]:
    """(frontmatter YAML, body) of a rendered file; None when it has no frontmatter."""
    if not content.startswith("---\n"):
        return None, content
    end = content.index("\n---\n", 3)
    return content[4 : end + 1], content[end + 5 :]
