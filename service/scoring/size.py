"""Size dimension (SCORING.md "Size"): can one agent finish it in 2-6 focused hours?

First an hours range is estimated, then scored against `policy.target_hours`.

An explicit estimate wins, in this order: the tracker's story points (mapped
through `policy.hours_for_points`), a size label (`size/S`, `size: M`, `XL`,
`effort/large`; mapped through `policy.size_label_hours`), then an estimate the
author wrote in the body ("Estimate: 4h", "~2 days", "Estimate: 3 points").

Otherwise the range is inferred from the text. The inference is a log-linear
model of the amount of work a ticket describes:

- what the title asks for: building something ("implement", "support",
  "design", "refactor", "integrate", "investigate") takes longer than a local
  change ("typo", "rename", "label", "text", "default") or a defect report
  ("fails", "NPE", "error when ...");
- how much the body describes: its length, the acceptance items and checklist
  entries, the distinct code areas it names, code blocks, and words of
  breadth ("all", "every", "entire", "migrate", "rewrite", "overhaul");
- the ticket's kind (an epic or initiative is large, a sub-task small).

The text weights were calibrated on the `train` split of the DeepSE story point
data, pooled over its 16 projects (benchmarks/fit_size_weights.py reproduces them),
then spread by a calibration slope so that sizes do not crowd the middle;
benchmarks/size_vs_storypoints.py measures the result on `test`. The structural
weights (items, areas) are set by principle, since that data has no Markdown
structure. Too large (the verdict) is a blocking finding: the low end of the
range above the target, an umbrella (epic or initiative, a tracking issue, open
child tickets) whatever its hours, or several separate problems listed in one
ticket (the finding proposes the parts, in the ticket's own words). A ticket that
names no change gets only a guessed estimate: `unsized-work` says so, costs no
points (clarity charges the intent once) and the guess is not held against the
target.

Ticket text is untrusted: it is only matched against fixed, linear-time
patterns, never interpreted.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from connectors.base import LinkKind, Ticket, TicketState
from service.scoring.assessment import Dimension, DimensionScore, FindingTally, SizeEstimate
from service.scoring.document import Document
from service.scoring.intent import intent
from service.scoring.patterns import ascii_spaces, ascii_words
from service.scoring.policy import Policy

# --- explicit estimates --------------------------------------------------------

FOCUSED_HOURS_PER_DAY = 6.0
"""A day of estimate is one sitting of focused work, not eight office hours."""
FOCUSED_HOURS_PER_WEEK = 5 * FOCUSED_HOURS_PER_DAY

_SIZE_WORDS = {
    "extra-small": "XS",
    "x-small": "XS",
    "xsmall": "XS",
    "tiny": "XS",
    "small": "S",
    "medium": "M",
    "large": "L",
    "big": "L",
    "x-large": "XL",
    "xlarge": "XL",
    "extra-large": "XL",
    "huge": "XL",
}
_SIZE_LABEL = re.compile(
    r"^\s*(?:(?P<prefix>size|effort|t-?shirt(?:[ _-]?size)?|estimate)\s*[/:=_-]?\s*)?"
    r"(?P<size>[a-z][a-z-]{0,11})\s*$",
    re.IGNORECASE,
)

_NUMBER = r"(\d{1,4}(?:[.,]\d{1,2})?|an?|one|two|three|four|five|half[^\S\n]+an?)"
_UNIT = r"(h(?:ou)?rs?|h|d(?:ays?)?|w(?:ee)?ks?|w|(?:story[\s-]?)?points?|pts?|sp)\b"
_BODY_ESTIMATE = re.compile(
    # "Estimate: 4h", "Estimated effort (dev): about 2-3 days", "Effort: 3 points" ...
    r"(?:\b(?:estimated?|estimation|effort)\b[^\S\n]*(?:\([^)\n]{0,20}\))?[^\S\n]*"
    r"(?:[:=]|\bis\b|\bof\b)?[^\S\n]*(?:[~≈]|about|around|roughly|approx\.?|approximately)?"
    # ... or a line that opens with "~": "~2 days"
    r"|^[^\S\n]*[~≈])"
    rf"[^\S\n]*{_NUMBER}(?:[^\S\n]*(?:-|–|to)[^\S\n]*{_NUMBER})?[^\S\n]*{_UNIT}",
    re.IGNORECASE | re.MULTILINE,
)
_ESTIMATE_WORDS = frozenset({"estimate", "estimated", "estimation", "effort"})
_WORD_NUMBERS = {
    "a": 1.0,
    "an": 1.0,
    "one": 1.0,
    "two": 2.0,
    "three": 3.0,
    "four": 4.0,
    "five": 5.0,
}


def _number(text: str) -> float:
    text = text.strip().lower()
    if text.startswith("half"):
        return 0.5
    if text in _WORD_NUMBERS:
        return _WORD_NUMBERS[text]
    return float(text.replace(",", "."))


def _hours_for_unit(value: float, unit: str, policy: Policy) -> tuple[float, float]:
    unit = unit.lower()
    if unit.startswith("d"):
        return value * FOCUSED_HOURS_PER_DAY, value * FOCUSED_HOURS_PER_DAY
    if unit.startswith("w"):
        return value * FOCUSED_HOURS_PER_WEEK, value * FOCUSED_HOURS_PER_WEEK
    if unit.startswith(("p", "s")):
        return policy.hours_for_points(value)
    return value, value


def _size_label_hours(labels: tuple[str, ...], policy: Policy) -> tuple[float, float] | None:
    if not labels:
        return None
    table = {key.upper(): hours for key, hours in policy.size_label_hours.items()}
    for label in labels:
        m = _SIZE_LABEL.match(label)
        if m is None:
            continue
        size = m.group("size").lower()
        # a bare label counts only when it is a size itself (XS..XL), never a word
        key = size.upper() if m.group("prefix") is None else _SIZE_WORDS.get(size, size.upper())
        if key in table:
            return table[key]
    return None


def _body_estimate_hours(doc: Document, policy: Policy) -> tuple[float, float] | None:
    if not (doc.vocabulary & _ESTIMATE_WORDS or "~" in doc.prose or "≈" in doc.prose):
        return None  # every match names the estimate or opens a line with "~"
    for text in (doc.title, doc.prose):
        m = _BODY_ESTIMATE.search(text)
        if m is None:
            continue
        first = _number(m.group(1))
        second = _number(m.group(2)) if m.group(2) else first
        low_value, high_value = sorted((first, second))
        low, _ = _hours_for_unit(low_value, m.group(3), policy)
        _, high = _hours_for_unit(high_value, m.group(3), policy)
        if high > 0:
            return low, high
    return None


# --- inference from the text ---------------------------------------------------

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
# ASCII text with every character but a..z and "'" made a space
_ASCII_WORD_SPACES = ascii_spaces(lambda c: "a" <= c <= "z" or c == "'")


def _words(lower: str) -> list[str]:
    """_WORD's words in `lower` (lower-case text), in order."""
    if not lower.isascii():
        return _WORD.findall(lower)
    return ascii_words(lower, _ASCII_WORD_SPACES, _WORD.findall)


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# The title asks to build or rework something.
_BUILD_WORDS = _word_set(
    """implement implementation implementing support supporting functionality feature features
    design redesign refactor refactoring rewrite migrate migration overhaul prototype spike
    investigate investigation research analysis integrate integration framework infrastructure
    architecture system subsystem performance modules library interface engine storage database
    deployment testing improve improvements provide enable allow introduce develop development
    automate extend wizard editor client server service registry management strategy model
    query data basic custom"""
)
# The title names a small, local change.
_LOCAL_WORDS = _word_set(
    """typo typos rename text label labels wording spelling message messages string strings
    tooltip icon icons color colour style button dialog link url page section field property
    name title doc docs documentation readme guide comment comments log logging warning
    warnings version bump default flag config value values remove delete update change set
    disable fix hotfix npe nullpointerexception flaky"""
)
# The title is phrased as a defect ("X is not shown when Y", "Z fails if ...").
_DEFECT_TITLE_WORDS = _word_set(
    """is isn't not no doesn't don't does can't cannot won't when if instead wrong incorrect
    missing broken fails failing failed error errors exception crash crashes unable
    should"""
)
# The title joins several pieces of work.
_JOINING_WORDS = _word_set("and across per multiple both")
# Words of breadth (SCORING.md): the change reaches everywhere something is used.
_SWEEPING_WORDS = _word_set("migrate migration rewrite redesign overhaul")
_QUANTIFIER_WORDS = _word_set("all every entire whole everywhere")
_BREADTH_WORDS = _SWEEPING_WORDS | _QUANTIFIER_WORDS
# The title asks to find something out first: the work is not known yet.
_EXPLORE_WORDS = _word_set(
    "investigate investigation research spike prototype poc evaluate explore"
)
# Prose that plans work ("we need to provide ... based on ... for each ...").
_PLAN_WORDS = _word_set(
    """implement implementation implemented provide support supported need needs will able
    design each based possible allow allows require requires requirement requirements
    multiple many another separate specific define specify existing components features
    functionality integration development related similar single part way information"""
)
# Prose that reports a defect: an error, a trace, steps, expected vs actual.
_DEFECT_WORDS = _word_set(
    """exception error errors stack trace traceback failed fails failure null npe crash
    crashes warning reproduce expected actual workaround regression broken"""
)
_ACCEPTANCE_HEADING = re.compile(
    r"acceptance|definition of done|done when|requirements|tasks|to ?do|deliverables", re.I
)
_TRACKING_TITLE = re.compile(
    r"^\s*(?:\[(?:meta|tracking|umbrella|epic)\]|(?:meta|tracking|umbrella|epic)\s*(?:issue)?\s*[:-])"
    r"|\btracking (?:issue|ticket|bug)\b|\bumbrella (?:issue|ticket)\b",
    re.IGNORECASE,
)
_TRACKING_LABELS = frozenset({"epic", "tracking", "tracking-issue", "meta", "umbrella", "roadmap"})
_UMBRELLA_KINDS = frozenset({"epic", "initiative", "theme", "saga"})
_SMALL_KINDS = frozenset({"subtask", "sub-task", "sub_task", "sub-issue", "subissue"})
_MIN_TRACKED_ITEMS = 3  # a checklist of this many ticket references is a tracking issue

# Several separate problems in one ticket (SCORING.md "too-large"): clauses of the prose,
# each stating something wrong, split at sentence ends, semicolons, commas and the
# words that chain one complaint to the next ("..., and the export button is hidden,
# plus the search box only ...").
_CLAUSE_BREAK = re.compile(
    r"(?<=[.!?;])\s+|,\s+|\s+(?:and\s+also|and\s+then|also|plus|and)\s+(?=(?:the|a|an|it|its"
    r"|they|there|sometimes|when|someone|nobody|nothing|some|many|most|all|this|that|these)\b)",
    re.IGNORECASE,
)
# what marks a clause as a complaint: a negation or a word of fault
_PROBLEM_WORDS = _word_set(
    """not never nothing nobody cannot can't doesn't don't isn't aren't won't didn't wrong
    wrongly incorrect incorrectly broken fails confusing confuses hidden slow resets missing
    crash crashes"""
)
_REPORT_SECTIONS = re.compile(
    r"steps|reproduc|expected|actual|environment|system|version|logs?\b|output|traceback", re.I
)
SEVERAL_PROBLEMS = 5  # complaints in one paragraph or list that make it several tickets
_MIN_CLAUSE_WORDS = 4
_MIN_CHAINED_CHARS = SEVERAL_PROBLEMS * _MIN_CLAUSE_WORDS * 4  # a shorter paragraph chains fewer
_PROBLEMS_PER_ESTIMATE = 2  # the text model sizes a report as about two problems' work
_PARTS_SHOWN = 10
_PART_CHARS = 60


_LEADING_JOINER = re.compile(r"^(?:(?:and|also|plus|but|so|then)\s+)+", re.IGNORECASE)


def _complaints(texts: list[str]) -> list[str]:
    found: list[str] = []
    for text in texts:
        for clause in _CLAUSE_BREAK.split(text):
            clause = " ".join(clause.split()).rstrip(".,;")
            words = _words(clause.lower())
            if (
                len(words) < _MIN_CLAUSE_WORDS
                or words[0] in ("i", "i'm", "i've", "if")
                or clause.endswith("?")
            ):
                continue  # the reporter's story, a condition or a question: no complaint
            if _PROBLEM_WORDS.intersection(words):
                found.append(_LEADING_JOINER.sub("", clause))
    return found


def separate_problems(doc: Document) -> tuple[str, ...]:
    """The separate complaints a ticket lists, one short line each, in its own words.

    Read from one paragraph that chains them ("the table is slow, and the count in
    the header is wrong, also the export button is hidden, plus ...") or one list of
    them, outside acceptance criteria, steps and logs. Complaints spread over a long
    report are one problem told at length, not several: they are not counted.
    """
    if doc.word_count < SEVERAL_PROBLEMS * _MIN_CLAUSE_WORDS:
        return ()
    marks = doc.prose_vocabulary & _PROBLEM_WORDS
    if len(marks) < 2 or sum(map(doc.lower_words.count, marks)) < SEVERAL_PROBLEMS:
        return ()  # each complaint holds a word of fault: too few of them in all the prose
    best: list[str] = []
    for section in doc.sections:
        if section.level > 0 and (
            _ACCEPTANCE_HEADING.search(section.heading) or _REPORT_SECTIONS.search(section.heading)
        ):
            continue
        groups = [[p] for p in section.paragraphs if len(p) >= _MIN_CHAINED_CHARS]
        for group in [*groups, section.items] if len(section.items) >= SEVERAL_PROBLEMS else groups:
            found = _complaints(group)
            if len(found) > len(best):
                best = found
    return tuple(dict.fromkeys(best)) if len(best) >= SEVERAL_PROBLEMS else ()


def _clip(text: str) -> str:
    return text if len(text) <= _PART_CHARS else text[: _PART_CHARS - 3].rstrip() + "..."


# log-hours model:
#   ln(midpoint hours) = ln(_MEDIAN_HOURS) + _CALIBRATION_SLOPE * (text - _MEDIAN_TEXT)
#                        + structure
# `text` is sum(weight * min(signal, cap)) over _TEXT_WEIGHTS. Those weights are a ridge
# regression (penalty 10) of ln(story points), centred per project, on the `train` split
# of the DeepSE data, rounded to 0.01; _MEDIAN_TEXT is the median `text` of that split.
# A regression of that kind is compressed (it predicts the mean for all it cannot tell),
# so sizes would crowd the middle: _CALIBRATION_SLOPE spreads them, set on `train` so
# that the 95th percentile estimate is about twice the default target (12 h), and the
# median ticket is estimated in the middle of the 2-6 h band (_MEDIAN_HOURS).
# benchmarks/size_vs_storypoints.py measures the result on `test`.
_MEDIAN_HOURS = 3.5
_MEDIAN_TEXT = 0.09
_CALIBRATION_SLOPE = 2.5
_TEXT_WEIGHTS: dict[str, tuple[float, float]] = {
    # signal: (weight, cap)
    "title_build": (0.18, 2),  # distinct build words in the title
    "title_local": (-0.19, 2),  # distinct local-change words in the title
    "title_defect": (-0.07, 2),  # distinct defect words in the title
    "title_joining": (0.07, 2),  # distinct joining words in the title
    "title_explore": (0.3, 1),  # the title asks to investigate or prototype first
    "title_plan": (0.05, 3),  # distinct planning words in the title
    "body_words": (0.01, 12),  # ln(1 + words of prose)
    "no_body": (0.06, 1),  # no description at all
    "plan_words": (0.06, 10),  # distinct planning words in the body
    "body_build": (0.04, 6),  # distinct build words in the body
    "defect_words": (-0.01, 4),  # distinct defect words in the body (code blocks included)
    "breadth": (0.05, 3),  # distinct breadth words, title and body
    "list_items": (0.14, 3),  # ln(1 + list items)
    "inline_code": (-0.1, 3),  # ln(1 + code spans): named symbols mark a local change
    "areas": (-0.05, 6),  # distinct code areas named
    "code_blocks": (-0.04, 4),
}
_TEXT_TERMS = tuple((name, weight, cap) for name, (weight, cap) in _TEXT_WEIGHTS.items())
_LOG_MEDIAN_HOURS = math.log(_MEDIAN_HOURS)
# Set by principle (the story point data has no Markdown structure): ln-hours per item.
_STRUCTURE_WEIGHTS: dict[str, tuple[float, float]] = {
    "extra_items": (0.12, 12),  # acceptance items and checklist entries beyond the fifth
    "extra_areas": (0.3, 8),  # distinct code areas beyond the second
}
_UMBRELLA_KIND_FACTOR = 12.0
# A title that sweeps ("Rewrite the entire frontend", "Migrate all services") over a body
# that confirms the breadth is a project, not a task: its work multiplies.
_SWEEPING_TITLE_FACTOR = 4.0
_SWEEPING_TITLE_BREADTH = 3  # distinct breadth words, title and body, that confirm it
_SMALL_KIND_FACTOR = 0.5
_SPREAD = 1.5  # the inferred range is midpoint / spread .. midpoint * spread
_ORDINARY_ITEMS = 5
_MANY_ITEMS = 8  # more acceptance items than this: split them
_ORDINARY_AREAS = 2
_BROAD_BODY_QUANTIFIERS = 3  # "all tests pass" or "the whole backlog" alone is not broad
_DEFECT_REPORT_WORDS = 2  # this many distinct defect words make the body a defect report
_CODE_SCAN_CHARS = 4000  # of each code block, read for defect words


@dataclass(frozen=True, slots=True)
class _Signals:
    values: dict[str, float]
    breadth: tuple[str, ...]  # distinct words of breadth, title and body
    broad: bool  # a sweeping verb, a word of breadth in the title, or several in the body
    sweeping_title: bool  # the title itself sweeps: a sweeping verb or "all", "entire", ...
    items: int
    areas: int  # distinct code areas the work touches (0 in a defect report)


def _signals(doc: Document) -> _Signals:
    title_words = frozenset(_words(doc.title.lower()))
    prose_words = doc.prose_vocabulary  # as Document splits them: letters and digits
    code_words: set[str] = set()
    for block in doc.code_blocks:
        code_words.update(_words(block.content[:_CODE_SCAN_CHARS].lower()))
    acceptance_items = sum(
        len(section.items)
        for section in doc.sections
        if section.level > 0 and _ACCEPTANCE_HEADING.search(section.heading)
    )
    items = max(len(doc.checklist), acceptance_items)
    breadth = tuple(sorted((_BREADTH_WORDS & title_words) | (_BREADTH_WORDS & prose_words)))
    defect_words = (_DEFECT_WORDS & prose_words) | (_DEFECT_WORDS & code_words)
    # paths in a defect report are where an error shows (a trace, a build log), not the work
    areas = len(doc.areas) if len(defect_words) < _DEFECT_REPORT_WORDS else 0
    values = {
        "title_build": float(len(_BUILD_WORDS & title_words)),
        "title_local": float(len(_LOCAL_WORDS & title_words)),
        "title_defect": float(len(_DEFECT_TITLE_WORDS & title_words)),
        "title_joining": float(len(_JOINING_WORDS & title_words)),
        "body_words": math.log1p(doc.word_count),
        "plan_words": float(len(_PLAN_WORDS & prose_words)),
        "defect_words": float(len(defect_words)),
        "breadth": float(len(breadth)),
        "extra_items": float(max(items - _ORDINARY_ITEMS, 0)),
        "extra_areas": float(max(areas - _ORDINARY_AREAS, 0)),
        "code_blocks": float(len(doc.code_blocks)),
        "title_explore": float(len(_EXPLORE_WORDS & title_words)),
        "title_plan": float(len(_PLAN_WORDS & title_words)),
        "body_build": float(len(_BUILD_WORDS & prose_words)),
        "no_body": 1.0 if doc.word_count == 0 else 0.0,
        "list_items": math.log1p(len(doc.list_items)),
        "inline_code": math.log1p(len(doc.inline_code)),
        "areas": float(len(doc.areas)),
    }
    return _Signals(
        values=values,
        breadth=breadth,
        broad=bool(
            _SWEEPING_WORDS & title_words
            or _SWEEPING_WORDS & prose_words
            or _QUANTIFIER_WORDS & title_words
            or len(_QUANTIFIER_WORDS & prose_words) >= _BROAD_BODY_QUANTIFIERS
        ),
        sweeping_title=bool(_BREADTH_WORDS & title_words),
        items=items,
        areas=areas,
    )


def _inferred_log_hours(ticket: Ticket, signals: _Signals) -> float:
    values = signals.values
    text = sum([weight * min(values[name], cap) for name, weight, cap in _TEXT_TERMS])
    log_hours = _LOG_MEDIAN_HOURS + _CALIBRATION_SLOPE * (text - _MEDIAN_TEXT)
    for name, (weight, cap) in _STRUCTURE_WEIGHTS.items():
        log_hours += weight * min(values[name], cap)
    if signals.sweeping_title and len(signals.breadth) >= _SWEEPING_TITLE_BREADTH:
        log_hours += math.log(_SWEEPING_TITLE_FACTOR)
    kind = ticket.kind.lower()
    if kind in _UMBRELLA_KINDS:
        log_hours += math.log(_UMBRELLA_KIND_FACTOR)
    elif kind in _SMALL_KINDS:
        log_hours += math.log(_SMALL_KIND_FACTOR)
    return log_hours


def _explicit_estimate(ticket: Ticket, doc: Document, policy: Policy) -> SizeEstimate | None:
    """The estimate someone gave: story points, a size label or one written in the body."""
    if ticket.estimate is not None and ticket.estimate >= 0:
        return SizeEstimate(*policy.hours_for_points(ticket.estimate), "story-points")
    label_hours = _size_label_hours(ticket.labels, policy)
    if label_hours is not None:
        return SizeEstimate(*label_hours, "size-label")
    body_hours = _body_estimate_hours(doc, policy)
    if body_hours is not None:
        return SizeEstimate(*body_hours, "body-estimate")
    return None


def _inferred_estimate(ticket: Ticket, signals: _Signals) -> SizeEstimate:
    midpoint = math.exp(_inferred_log_hours(ticket, signals))
    return SizeEstimate(round(midpoint / _SPREAD, 2), round(midpoint * _SPREAD, 2), "inferred")


# --- scoring -------------------------------------------------------------------


def _hours(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def _umbrella_reason(ticket: Ticket, doc: Document) -> str | None:
    kind = ticket.kind.lower()
    if kind in _UMBRELLA_KINDS:
        return f"it is an {kind}" if kind[0] in "aeiou" else f"it is a {kind}"
    if _TRACKING_TITLE.search(doc.title):
        return "its title marks it as a tracking issue"
    if any(label.lower() in _TRACKING_LABELS for label in ticket.labels):
        return "it is labelled as a tracking issue"
    tracked = (
        sum(1 for item in doc.checklist if _mentions_ticket(item.text))
        if len(doc.checklist) >= _MIN_TRACKED_ITEMS
        else 0
    )
    if tracked >= _MIN_TRACKED_ITEMS:
        return f"its checklist tracks {tracked} other tickets"
    return None


_TICKET_MENTION = re.compile(
    r"(?:^|[\s(])(?:[\w.-]+/[\w.-]+)?#\d+\b|\b[A-Z][A-Z0-9_]+-\d+\b|/(?:issues|pull)/\d+"
)


def _mentions_ticket(text: str) -> bool:
    # every match holds a "#", a "-" or a "/"
    return ("#" in text or "-" in text or "/" in text) and _TICKET_MENTION.search(text) is not None


def score(ticket: Ticket, doc: Document, policy: Policy) -> tuple[DimensionScore, SizeEstimate]:
    """The dimension's score and the estimated hours."""
    explicit = _explicit_estimate(ticket, doc, policy)
    signals: _Signals | None = None
    problems: tuple[str, ...] = ()
    if explicit is None:
        signals = _signals(doc)
        size = _inferred_estimate(ticket, signals)
        problems = separate_problems(doc)
        if problems:  # each problem is a piece of work of its own
            factor = len(problems) / _PROBLEMS_PER_ESTIMATE
            size = SizeEstimate(
                round(size.low * factor, 2), round(size.high * factor, 2), size.basis
            )
    else:
        size = explicit
    target = policy.target_hours
    out = FindingTally(Dimension.SIZE)

    reason = _umbrella_reason(ticket, doc)
    if reason is not None:
        out.charge(
            policy,
            "umbrella-ticket",
            1.0,
            f"An umbrella ticket: {reason}; no agent can finish it in one sitting.",
            "Split it into sub-tasks of at most "
            f"{_hours(target)} h each and hand those out instead of the umbrella.",
            blocking=True,
        )
    open_children = [
        link.target
        for link in ticket.links
        if link.kind is LinkKind.CHILD and link.state is not TicketState.CLOSED
    ]
    if open_children:
        shown = ", ".join(open_children[:3]) + (" ..." if len(open_children) > 3 else "")
        out.charge(
            policy,
            "open-children",
            1.0,
            f"{len(open_children)} child ticket(s) still open ({shown}).",
            "Hand out the open child tickets one by one; this parent is done when they are.",
            blocking=True,
        )

    if problems:
        parts = "; ".join(f"({n}) {_clip(p)}" for n, p in enumerate(problems[:_PARTS_SHOWN], 1))
        more = f"; and {len(problems) - _PARTS_SHOWN} more" if len(problems) > _PARTS_SHOWN else ""
        out.charge(
            policy,
            "several-problems",
            1.0,
            f"It lists {len(problems)} separate problems; each is a ticket of its own.",
            f"Split it into one ticket per problem: {parts}{more}.",
            blocking=True,
        )

    gap = intent(doc) if signals is not None else None
    guessed = gap is not None and gap.names_no_change  # no work named: hours are a guess
    if size.low > target and not guessed:
        overshoot = math.log2(size.low / target)
        out.charge(
            policy,
            "too-large",
            min(1.0, 0.5 + overshoot / 4),
            f"Estimated {_hours(size.low)}-{_hours(size.high)} h ({size.basis}), "
            f"above the {_hours(target)} h target.",
            f"Split it into tickets of at most {_hours(target)} h each: one per component, "
            "endpoint or acceptance item, each with its own tests.",
            blocking=True,  # the low end above the target decides the verdict
        )
    elif (
        size.high > target and not guessed and policy.finding_points.get("may-be-too-large", 0) > 0
    ):
        out.charge(
            policy,
            "may-be-too-large",
            min(1.0, max(1 / 6, math.log2(size.high / target))),
            f"Estimated {_hours(size.low)}-{_hours(size.high)} h ({size.basis}); "
            f"the upper end is above the {_hours(target)} h target.",
            "Narrow the scope: move nice-to-have acceptance items into a follow-up ticket.",
        )

    if signals is not None:  # inferred: say which parts of the text make it large
        if signals.broad:
            words = ", ".join(f"'{w}'" for w in signals.breadth)
            out.charge(
                policy,
                "broad-scope",
                len(signals.breadth) / 3,
                f"Words of breadth ({words}) suggest a change across the code base.",
                "Split the sweeping change into one ticket per module or directory, "
                "or state the exact places it touches.",
            )
        if signals.areas > _ORDINARY_AREAS + 1:
            out.charge(
                policy,
                "many-areas",
                (signals.areas - _ORDINARY_AREAS) / 6,
                f"It names {signals.areas} distinct code areas.",
                "Split it into one ticket per code area, so agents can work on them "
                "in parallel without conflicts.",
            )
        if signals.items > _MANY_ITEMS:
            out.charge(
                policy,
                "many-acceptance-items",
                (signals.items - _ORDINARY_ITEMS) / 10,
                f"It has {signals.items} acceptance items or checklist entries.",
                "Group the acceptance items into two or three tickets that can each be "
                "reviewed on their own.",
            )
        if gap is not None and gap.names_no_change:
            # a note, not a charge: clarity already charges the intent points (SCORING.md)
            out.add(
                "unsized-work",
                0,
                f"It reads as {gap.kind}, not a change: the work it would take cannot "
                f"be told from the text, so the estimate ({_hours(size.low)}-"
                f"{_hours(size.high)} h) is a guess, not held against the target.",
                "Say what to change and where, so the work can be sized, or give an "
                "estimate (story points, a size label or 'Estimate: 4h').",
            )
    return out.result(), size
