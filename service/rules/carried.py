"""Which of the ticket's own lines a rules file repeats outside its fence.

A rules file's own words (its headings, its instructions to the agent) come
from the templates and the config only. The ticket's goal, criteria, scope and
notes may appear outside the fenced original only as quoted data, each line
marked as the ticket's words by the template, and only when that line by
itself passes the safety scan (`service.scoring.safety`): an instruction to
the agent hidden among the criteria stays inside the fence, where the rules
file says it is data, and nowhere else. The scan is the scorer's, so a line
is judged by the same rules as the ticket it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from connectors.base import Ticket, Trust
from service.rules.sections import TicketSections
from service.scoring import DEFAULT_POLICY, safety
from service.scoring.document import parse


@dataclass(frozen=True, slots=True)
class Carried:
    """The sections whose lines passed the scan, and how many lines did not."""

    sections: TicketSections
    withheld: int


def passes_scan(line: str) -> bool:
    """Whether one line of the ticket, read alone, raises no safety finding."""
    ticket = Ticket(source="rules", key="-", title="", body=line, author_trust=Trust.TRUSTED)
    return not safety.score(ticket, parse("", line), DEFAULT_POLICY).findings


def carried(sections: TicketSections) -> Carried:
    """`sections` with every line that fails the scan left out (a goal that
    fails becomes empty)."""
    withheld = 0

    def keep(lines: tuple[str, ...]) -> tuple[str, ...]:
        nonlocal withheld
        kept = tuple(line for line in lines if passes_scan(line))
        withheld += len(lines) - len(kept)
        return kept

    goal = sections.goal if not sections.goal or passes_scan(sections.goal) else ""
    withheld += bool(sections.goal) and not goal
    return Carried(
        replace(
            sections,
            goal=goal,
            criteria=keep(sections.criteria),
            out_of_scope=keep(sections.out_of_scope),
            notes=keep(sections.notes),
            steps=keep(sections.steps),
            expected=keep(sections.expected),
            actual=keep(sections.actual),
        ),
        withheld,
    )


NOTHING = TicketSections(
    goal="", criteria=(), out_of_scope=(), notes=(), steps=(), expected=(), actual=()
)
"""No line carried: what a forced rules file repeats outside its fence."""
