"""Independence dimension (SCORING.md): can it start now without stepping on other work?

- Open blockers decide the verdict `blocked`: tracker links (`LinkKind.BLOCKED_BY`)
  and text ("blocked by #12", "depends on PROJ-7", "after #9 lands", "requires
  #3 first", a "Blocked by" / "Depends on" section). A blocker's state comes from
  the backlog context (the blocker's own, fresher record), else from the link;
  a closed blocker is no blocker. A
  blocker whose state nobody knows counts as open when the ticket says so
  explicitly (a tracker link, or "blocked by", "depends on", ...), and the
  finding says that its state is unknown.
- Waiting on a decision ("pending design", "needs decision", "waiting for")
  loses points but does not block.
- Code areas this ticket names that tickets in flight (claimed from the queue)
  also touch lose a few points: the queue will not hand both out at once.
"""

from __future__ import annotations

import re

from connectors.base import LinkKind, Ticket, TicketState
from service.scoring.assessment import BacklogContext, Dimension, DimensionScore, FindingTally
from service.scoring.document import Document, TicketRef
from service.scoring.patterns import Pattern, text_kind
from service.scoring.policy import Policy

OPEN_BLOCKER_POINTS = 60  # per open blocker; any one of them blocks the ticket
WAITING_POINTS = 20
AREA_IN_FLIGHT_POINTS = 10
IN_PROGRESS_POINTS = 60  # assigned to a person: not for an agent while they are on it

_I = re.IGNORECASE

# a reference, with what may sit between a blocking phrase and it in a list: "#1, #2 and"
_LIST_SO_FAR = r"(?:\s*(?:[\w./-]*#\d+|[A-Z][A-Z0-9_]+-\d+|,|;|:|&|\band\b|\bor\b|[-*+]|\n)\s*)*"
_BLOCKING_BEFORE = Pattern(
    r"(?:\bblocked\s+(?:by|on)|\bdepends\s+on|\bdependent\s+on|\bdepending\s+on|\brequires"
    r"|\bneeds|\bwaiting\s+(?:for|on)|\bwaits\s+(?:for|on)|\bafter|\bprerequisites?"
    r"|\bdependenc(?:y|ies)|\bon\s+top\s+of|\bbuilds\s+on|\bfollow-?up\s+(?:to|of|on))"
    r"[\s:]*(?:(?:the\s+)?(?:fix\s+(?:for|in)|work\s+in|changes?\s+in|pr|issue|ticket|task)\s+)?"
    + _LIST_SO_FAR
    + r"$",
    _I,
)
# every match of _BLOCKING_BEFORE holds one of these (lower case, as a ref's context is)
_BLOCKING_STEMS = (
    "blocked", "depend", "requires", "needs", "wait", "after", "prerequisite", "top", "builds",
    "follow",
)  # fmt: skip
_NEGATED = Pattern(r"\b(?:no\s+longer|not|isn't|wasn't)\s*(?:\w+\s+){0,2}$", _I)
_AFTER_ONLY = Pattern(r"\bafter\b[\s:]*" + _LIST_SO_FAR + r"$", _I)
_LANDS = Pattern(
    r"^[\s)]*(?:(?:is|has\s+been|gets|are)\s+)?(?:lands?|landed|merged|is\s+merged|done|fixed"
    r"|closed|resolved|ships?|shipped|released|completed?|finished)\b"
    r"|^[\s)]*(?:first|beforehand|before\s+(?:this|starting|we\s+start))\b",
    _I,
)
_REQUIRES_ONLY = Pattern(r"\b(?:requires|needs)\b[\s:]*" + _LIST_SO_FAR + r"$", _I)
_FIRST = Pattern(r"^[\s)]*(?:to\s+be\s+(?:done|merged|fixed)\s+)?first\b", _I)
_BLOCKER_SECTION = re.compile(
    r"^(?:blocked\s+by|blockers?|depends\s+on|dependencies|prerequisites?|requires)\b", _I
)
_WAITING = Pattern(
    r"\bpending\s+(?:design|decision|approval|review|discussion|confirmation|input|feedback"
    r"|sign-?off|product|legal|ux|spec)"
    r"|\bneeds?\s+(?:a\s+)?(?:decision|design|product\s+input|sign-?off|approval|consensus)"
    r"|\b(?:waiting|wait)\s+(?:for|on)\b(?![^.\n]{0,60}[\w./-]*#\d)"
    r"|\bawaiting\b|\bon\s+hold\b|\bto\s+be\s+decided\b|\bundecided\b|\bblocked\s+on\s+"
    r"(?:design|product|legal|a\s+decision|decision|ux)",
    _I,
)
# one of these words (as Document splits them) is in every match of _WAITING
_WAITING_WORDS = frozenset(
    {"pending", "need", "needs", "waiting", "wait", "awaiting", "hold", "decided", "undecided"}
    | {"blocked"}
)
_KEY_PREFIX = re.compile(r"^(?P<prefix>.*)#\d+$")


def resolve(target: str, own_key: str) -> str:
    """A text reference as a ticket key: `#12` in `owner/repo#5` is `owner/repo#12`."""
    if target.startswith("#"):
        m = _KEY_PREFIX.match(own_key)
        if m and m.group("prefix"):
            return f"{m.group('prefix')}{target}"
    return target


def _explicit_blocker(ref: TicketRef) -> bool:
    """True when the prose says the ticket cannot start before `ref` is done."""
    context = ref.context
    kind = text_kind(context)  # (a part of a text is of the text's kind)
    if _BLOCKER_SECTION.match(ref.section) and not _NEGATED.search(context[-40:], kind):
        return True
    if context.isascii() and not any(map(context.__contains__, _BLOCKING_STEMS)):
        return False  # (outside ASCII, case-insensitive matching may see more: search)
    m = _BLOCKING_BEFORE.search(context, kind)
    if m is None or _NEGATED.search(context[: m.start()][-30:], kind):
        return False
    if _AFTER_ONLY.search(context, kind):  # "after #9" alone may be history: want "lands"
        after_kind = text_kind(ref.after)
        return bool(_LANDS.match(ref.after, after_kind))
    if _REQUIRES_ONLY.search(context, kind):  # "requires #3" may be a feature: want "first"
        after_kind = text_kind(ref.after)
        return bool(_FIRST.match(ref.after, after_kind) or _LANDS.match(ref.after, after_kind))
    return True


def _blockers(
    ticket: Ticket, doc: Document, context: BacklogContext
) -> list[tuple[str, TicketState | None, str]]:
    """Open blockers as (key, state or None when unknown, where it was named)."""
    found: dict[str, tuple[TicketState | None, str]] = {}
    for link in ticket.links:
        if link.kind is not LinkKind.BLOCKED_BY or link.target == ticket.key:
            continue
        # the backlog's state of the ticket (its own row, fresher) before the link's
        state = context.ticket_states.get(link.target) or link.state
        if state is not TicketState.CLOSED:
            found.setdefault(link.target, (state, "a tracker link"))
    for ref in doc.refs:
        key = resolve(ref.target, ticket.key)
        if key == ticket.key or key in found or not _explicit_blocker(ref):
            continue
        state = context.ticket_states.get(key)
        if state is not TicketState.CLOSED:
            found[key] = (state, "the description")
    return [(key, state, where) for key, (state, where) in found.items()]


def _people(assignees: tuple[str, ...], policy: Policy) -> tuple[str, ...]:
    """The assignees that are people: not one of the policy's bot accounts."""
    bots = {name.lower() for name in policy.bot_accounts}
    return tuple(a for a in assignees if a.lower() not in bots)


def score(
    ticket: Ticket, doc: Document, context: BacklogContext, policy: Policy
) -> tuple[DimensionScore, tuple[str, ...]]:
    """The dimension's score and the keys of open blockers."""
    out = FindingTally(Dimension.INDEPENDENCE)
    people = _people(ticket.assignees, policy) if ticket.assignees else ()
    if people and ticket.state == TicketState.OPEN:
        out.add(
            "in-progress-elsewhere",
            IN_PROGRESS_POINTS,
            f"Assigned to {', '.join(people[:3])}: someone is on it already.",
            "Leave it to them, or unassign it if nobody works on it any more.",
            blocking=True,
        )
    blockers = _blockers(ticket, doc, context)
    for key, state, where in blockers:
        unknown = "" if state is not None else " (its state is unknown: counted as open)"
        out.add(
            "open-blocker",
            OPEN_BLOCKER_POINTS,
            f"Blocked by {key}, named in {where}, which is still open{unknown}.",
            f"Finish or close {key} first, or remove the dependency if it no longer holds.",
            blocking=True,
        )

    waiting = None  # the words that say so, as written
    if doc.vocabulary & _WAITING_WORDS:
        for text, lower in ((doc.prose, doc.prose_lower), (doc.title, None)):
            m = _WAITING.search(text, doc.text_kind, lower)
            if m is not None:
                waiting = text[m.start() : m.end()]
                break
    if waiting:
        out.add(
            "waiting-on-decision",
            WAITING_POINTS,
            f"Waits on a decision ('{waiting.strip()[:40]}').",
            "Record the decision in the ticket, or keep it out of the queue until it is made.",
        )

    areas = set(doc.areas)
    if not areas:
        out.add(
            "areas-unknown",
            0,
            "No code area could be found in the ticket: it could touch anything, so it is "
            "not assumed to conflict with nothing (a batch holds few such tickets).",
            "Name the files, modules or directories the change touches.",
        )
    overlapping = {
        key: sorted(areas & in_flight)
        for key, in_flight in sorted(context.areas_in_flight.items())
        if key != ticket.key and areas & in_flight
    }
    if overlapping:
        shared = sorted({area for found in overlapping.values() for area in found})
        out.add(
            "area-in-flight",
            AREA_IN_FLIGHT_POINTS,
            f"Touches {', '.join(shared[:3])}, which {', '.join(list(overlapping)[:3])} "
            "in flight also change(s).",
            "Start it after the work in flight on the same code is done, or split the "
            "shared part out.",
        )
    return out.result(), tuple(key for key, _, _ in blockers)
