"""What the ticket itself says it wants, found in its parsed Markdown.

Sections are recognised by their headings; a deeper heading under a recognised
one belongs to it (`### Scenario 2` under `## Acceptance criteria`). Acceptance
criteria come from their own section, else from the ticket's checklist, else
from Given/When/Then paragraphs. The goal is the ticket's opening paragraph.
The text returned is still untrusted: the renderer neutralises it.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from service.scoring.document import Document, Section


class SectionKind(enum.Enum):
    CRITERIA = "criteria"
    OUT_OF_SCOPE = "out-of-scope"
    STEPS = "steps"
    EXPECTED = "expected"
    ACTUAL = "actual"
    NOTES = "notes"


_HEADINGS: tuple[tuple[SectionKind, re.Pattern[str]], ...] = (
    (
        SectionKind.CRITERIA,
        re.compile(r"acceptance|definition of done|\bdone when\b|\bdod\b", re.IGNORECASE),
    ),
    (
        SectionKind.OUT_OF_SCOPE,
        re.compile(r"out of scope|not in scope|non[- ]?goals?", re.IGNORECASE),
    ),
    (
        SectionKind.STEPS,
        re.compile(r"steps to reproduce|\brepro(?:duce|duction)?\b", re.IGNORECASE),
    ),
    (SectionKind.EXPECTED, re.compile(r"\bexpected\b", re.IGNORECASE)),
    (SectionKind.ACTUAL, re.compile(r"\bactual\b|current behaviou?r|\bobserved\b", re.IGNORECASE)),
    (
        SectionKind.NOTES,
        re.compile(r"technical|implementation|\bnotes?\b|\bcontext\b", re.IGNORECASE),
    ),
)
_GIVEN_WHEN_THEN = re.compile(r"^\s*given\b.*^\s*then\b", re.IGNORECASE | re.MULTILINE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class TicketSections:
    """The parts of a ticket a rules file repeats, each a tuple of lines."""

    goal: str
    criteria: tuple[str, ...]
    out_of_scope: tuple[str, ...]
    notes: tuple[str, ...]
    steps: tuple[str, ...]
    expected: tuple[str, ...]
    actual: tuple[str, ...]


def kind_of(heading: str) -> SectionKind | None:
    """The kind of section a heading introduces, or None for any other heading."""
    for kind, pattern in _HEADINGS:
        if pattern.search(heading):
            return kind
    return None


def _classify(sections: tuple[Section, ...]) -> list[tuple[Section, SectionKind | None]]:
    classified: list[tuple[Section, SectionKind | None]] = []
    parent: tuple[int, SectionKind] | None = None  # level and kind of the enclosing section
    for section in sections:
        kind = kind_of(section.heading) if section.level > 0 else None
        if parent is not None and section.level <= parent[0]:
            parent = None
        if kind is not None:
            parent = (section.level, kind)
        elif parent is not None:
            kind = parent[1]
        classified.append((section, kind))
    return classified


def _lines(texts: list[str]) -> list[str]:
    return [t for t in (text.strip() for text in texts) if t]


def extract_sections(document: Document) -> TicketSections:
    """The goal, criteria, scope, notes and bug report parts of a parsed ticket."""
    classified = _classify(document.sections)
    by_kind: dict[SectionKind, list[str]] = {kind: [] for kind in SectionKind}
    goal = ""
    for section, kind in classified:
        if kind is None:
            if not goal:
                goal = next(iter(_lines(section.paragraphs)), "")
            continue
        if kind is SectionKind.CRITERIA:
            # A list is the criteria; a paragraph before it only introduces it.
            by_kind[kind].extend(_lines(section.items) or _lines(section.paragraphs))
        else:
            by_kind[kind].extend(_lines(section.paragraphs) + _lines(section.items))

    criteria = by_kind[SectionKind.CRITERIA]
    if not criteria:
        criteria = [
            item.text
            for section, kind in classified
            if kind is None or kind is SectionKind.CRITERIA
            for item in section.checklist
            if item.text.strip()
        ]
    if not criteria:
        criteria = [
            paragraph
            for section, kind in classified
            if kind is None
            for paragraph in _lines(section.paragraphs)
            if _GIVEN_WHEN_THEN.search(paragraph)
        ]
    return TicketSections(
        goal=goal or document.title,
        criteria=tuple(criteria),
        out_of_scope=tuple(by_kind[SectionKind.OUT_OF_SCOPE]),
        notes=tuple(by_kind[SectionKind.NOTES]),
        steps=tuple(by_kind[SectionKind.STEPS]),
        expected=tuple(by_kind[SectionKind.EXPECTED]),
        actual=tuple(by_kind[SectionKind.ACTUAL]),
    )
