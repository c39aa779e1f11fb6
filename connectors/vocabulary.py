"""One vocabulary for a ticket's kind and priority, whichever tracker it comes from.

Trackers say what a ticket is and how urgent it is in their own words: a Jira
issue type ("Bug", "New Feature", "Sub-task") and priority ("Highest" .. "Lowest",
or the older "Blocker" .. "Trivial"); a GitHub issue type or labels ("bug",
"enhancement", "type: epic", "priority: high", "P1"); the same labels in a
`gh issue list` export. Every connector maps them through the functions here, so
the same word means the same thing on every source.

Kinds: issue, bug, feature, task, story, epic, initiative, subtask; an issue type
we do not know keeps its own name (lower case), a label we do not know is ignored.

Priorities: 1 (highest) .. 5 (lowest). Jira's two default schemes line up one to
one, as Atlassian maps them when a site moves from one to the other: Blocker and
Highest 1, Critical and High 2, Major and Medium 3, Minor and Low 4, Trivial and
Lowest 5. Labels use the same words after a `priority:` (or `prio`, `pri`; with
`:`, `/`, `-`, `_` or a space) prefix, or the P0 (1) .. P4 (5) scale, with or
without the prefix. A bare word label ("high") is not a priority.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "KINDS",
    "kind_from_labels",
    "kind_from_type",
    "priority_from_labels",
    "priority_from_name",
]

KINDS = ("issue", "bug", "feature", "task", "story", "epic", "initiative", "subtask")
"""Every kind this vocabulary gives a ticket (an unknown issue type keeps its name)."""

_KIND_BY_WORD = {
    "bug": "bug",
    "defect": "bug",
    "regression": "bug",
    "enhancement": "feature",
    "feature": "feature",
    "feature request": "feature",
    "new feature": "feature",
    "improvement": "feature",
    "epic": "epic",
    "tracking": "epic",
    "tracking issue": "epic",
    "umbrella": "epic",
    "meta": "epic",
    "initiative": "initiative",
    "task": "task",
    "chore": "task",
    "story": "story",
    "user story": "story",
    "sub task": "subtask",
    "subtask": "subtask",
}
# When labels name several kinds, the first of these wins (an epic labelled "bug"
# is still an epic).
_KIND_RANK = ("initiative", "epic", "bug", "feature", "story", "task", "subtask")
_KIND_LABEL_PREFIX = re.compile(r"^(?:type|kind|issue[ _-]?type|t)\s*[:/-]\s*")

_PRIORITY_BY_WORD = {
    "highest": 1,
    "blocker": 1,
    "urgent": 1,
    "high": 2,
    "critical": 2,
    "medium": 3,
    "major": 3,
    "normal": 3,
    "moderate": 3,
    "low": 4,
    "minor": 4,
    "lowest": 5,
    "trivial": 5,
}
_PRIORITY_LABEL = re.compile(r"^(?:priority|prio|pri)\s*[:/\-_ ]\s*(?P<value>\S.*)$")
_P_LEVEL = re.compile(r"^p(?P<level>[0-4])$")


def _words(text: str) -> str:
    """Lower case, `-` and `_` as spaces, one space between words."""
    return " ".join(text.casefold().replace("-", " ").replace("_", " ").split())


def kind_from_type(name: str | None, *, subtask: bool = False) -> str:
    """The kind for a tracker's issue type (Jira's `issuetype`, GitHub's issue type).

    A type the tracker flags as a sub-task type is a subtask whatever its name;
    a name outside the vocabulary is kept, lower case; no name is "issue".
    """
    if subtask:
        return "subtask"
    if not name or not name.strip():
        return "issue"
    return _KIND_BY_WORD.get(_words(name)) or " ".join(name.casefold().split())


def kind_from_labels(labels: Iterable[str]) -> str:
    """The kind the labels name (`bug`, `type: epic`, `kind/feature`); "issue" if none."""
    kinds = set()
    for label in labels:
        kind = _KIND_BY_WORD.get(_words(_KIND_LABEL_PREFIX.sub("", label.strip().casefold())))
        if kind is not None:
            kinds.add(kind)
    return next((kind for kind in _KIND_RANK if kind in kinds), "issue")


def priority_from_name(name: str | None) -> int | None:
    """1..5 for a priority's name (Jira's `priority.name`, or a label's value)."""
    if not name:
        return None
    word = " ".join(name.casefold().split())
    level = _P_LEVEL.match(word)
    if level is not None:
        return int(level.group("level")) + 1
    return _PRIORITY_BY_WORD.get(word)


def priority_from_labels(labels: Iterable[str]) -> int | None:
    """The highest priority (lowest number) the labels give; None when none does."""
    best: int | None = None
    for label in labels:
        text = label.strip().casefold()
        prefixed = _PRIORITY_LABEL.match(text)
        if prefixed is not None:
            found = priority_from_name(prefixed.group("value"))
        elif _P_LEVEL.match(text):
            found = priority_from_name(text)
        else:
            found = None  # a bare word ("high") may mean anything
        if found is not None and (best is None or found < best):
            best = found
    return best
