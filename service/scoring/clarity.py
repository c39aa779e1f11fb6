"""Clarity dimension (SCORING.md): would two engineers build the same thing from it?

The score starts at 100 and every point lost is a finding. What is read, in
order of weight:

- intent (measured in service/scoring/intent.py, from the whole text): the
  ticket asks for a change ("Add ...", "X should ...") rather than ask a
  question, ask for help with the reporter's own setup, or open a discussion;
- acceptance criteria (a section, a checklist of work, Given/When/Then), the
  strongest signal; a stated desired or expected behaviour counts for part;
- technical pointers: paths, symbols in backticks, endpoints, tests to add
  (a pasted code block counts less: it is more often the reporter's own code
  or log than a pointer to where the change goes);
- for bug reports: steps, expected and actual behaviour, the error, a version;
- scope limits, a specific title, a body longer than a few words, open
  questions, an unanswered question in the last comments, a wall of text.

Scored from the text alone: the tracker's labels are never read here. The points
each finding costs are `Policy.finding_points` (fitted on the readiness sample by
benchmarks/fit_finding_points.py); a check here only says how strongly it applies.
"""

from __future__ import annotations

import re
from dataclasses import replace

from connectors.base import Ticket
from service.scoring.assessment import Dimension, DimensionScore, Finding, FindingTally
from service.scoring.document import Document
from service.scoring.intent import intent, opening, states_change
from service.scoring.patterns import ANY, Pattern, text_kind
from service.scoring.policy import Policy

# --- strengths (the share of a code's points in Policy.finding_points a finding costs) ---

ACCEPTANCE_PARTIAL = 0.5  # a desired behaviour or an instruction is stated, no checkable items
POINTERS_ENOUGH = 6  # pointer strength (3 per symbol, 2 per area, ...) that needs no finding
BUG_PARTS = 4  # steps, expected/actual, the error, the version
THIN_BODY = 1 / 3  # the share of short-body's points a body of 10-19 words costs
QUESTIONS_FULL = 4  # this many questions left in the text cost all of open-questions' points
HEDGES_PER_QUESTION = 2.5  # undecided words that weigh as much as one question
TEMPLATE_LEFTOVERS_FULL = 3  # leftover instructions or empty sections for full points

OWN_MARKER_PREFIX = "backlog-sync:"  # our own hidden comment marker is not template text
SHORT_BODY_WORDS = 10
THIN_BODY_WORDS = 20
WALL_OF_TEXT_WORDS = 250

_I = re.IGNORECASE

# --- acceptance criteria and behaviour --------------------------------------------

_ACCEPTANCE_HEADING = re.compile(
    r"acceptance|definition\s+of\s+done|done\s+(?:when|if)|success\s+criteria|requirements?"
    r"|tasks?\b|to\s*do|todo|checklist|deliverables?|expected\s+outcome|we're\s+done",
    _I,
)
_ACCEPTANCE_INLINE = Pattern(
    r"^\s*(?:\*\*)?(?:acceptance\s+criteria|definition\s+of\s+done|done\s+when)\b", _I | re.M
)
_GIVEN_WHEN_THEN = Pattern(r"^\s*(?:[-*]\s*)?(?:\*\*)?(?:given|when|then)\b", _I | re.M)
_ATTESTATION = re.compile(r"^(?:i\b|i've|i'm|i\s+have|i\s+agree|i\s+searched)", _I)
_DESIRED = Pattern(
    r"\b(?:should|must|needs?\s+to|expected\s+(?:behaviou?r|result|output)|expected:"
    r"|i\s+expect|we\s+expect|desired\s+behaviou?r|instead\s+of)\b",
    _I,
)

# --- technical pointers -------------------------------------------------------------

_SYMBOL = re.compile(r"^[\w.:$@<>\[\]()/-]{2,80}$")
_ENDPOINT = re.compile(r"\b(?:GET|POST|PUT|PATCH|DELETE)\s+/[\w/{}:.-]*")
_TEST_POINTER = Pattern(
    r"\b(?:add|write|extend|update|with)\s+(?:a\s+|an\s+)?(?:unit\s+|regression\s+|integration\s+)?"
    r"tests?\b|\btests?/[\w/.-]+|\btest_\w+|\w+\.(?:test|spec)\.\w+",
    _I,
)
_SOURCE_LINK = re.compile(r"/(?:blob|tree)/|/src/|\.(?:py|js|ts|go|rs|java|rb|c|h|cpp)(?:#L\d+)?$")

# --- bug reports ---------------------------------------------------------------------

_BUG_WORDS = frozenset(
    {
        "bug", "crash", "crashes", "crashed", "exception", "traceback", "regression", "broken",
        "fail", "fails", "failed", "failing", "error", "segfault", "panic",
    }
)  # fmt: skip
# every word of _BUG_WORDS holds one of these: text without any holds none of the words
_BUG_STEMS = (
    "bug", "crash", "exception", "traceback", "regression", "broken", "fail", "error",
    "segfault", "panic",
)  # fmt: skip
_NOT_WORKING = re.compile(r"\b(?:doesn't|does\s+not|don't|won't|isn't)\s+work", _I)
_STEPS = Pattern(
    r"\b(?:steps?\s+to\s+reproduce|to\s+reproduce|repro(?:duction)?\b|steps)\b",
    _I,
)
_EXPECTED = Pattern(r"\bexpect(?:ed|s|ing)?\b", _I)
_ACTUAL = Pattern(r"\b(?:actual(?:ly)?|instead|but\s+(?:it|i\s+get|got|the)|observed)\b", _I)
# (searched, never matched whole: "Error" or "Exception" ending a word is all that
# "\b\w*(?:Error|Exception)\b" needs, and the pattern need not re-scan each word)
_ERROR_TEXT = Pattern(
    r"(?:Traceback \(most recent call last\)|(?:Error|Exception)\b|\berror:|\bat\s+[\w$.]+\()"
)
_VERSION = Pattern(r"\bv?\d+\.\d+(?:\.\d+)?\b|\bversion\b", _I)

# --- scope, title, questions -----------------------------------------------------------

_SCOPE_HEADING = re.compile(
    r"out\s+of\s+scope|non-?goals?|not\s+in\s+scope|won't\s+do|excluded", _I
)
_SCOPE_INLINE = Pattern(r"\b(?:out\s+of\s+scope|non-?goals?|not\s+in\s+scope)\b", _I)
_VAGUE_TITLE = re.compile(
    r"^\W*(?:bug|bugs|question|questions|help|issue|issues|problem|problems|error|errors"
    r"|doesn't\s+work|does\s+not\s+work|not\s+working|broken|improvements?|enhancements?"
    r"|feature(?:\s+request)?|request|suggestion|update|fix|todo|misc|various|small\s+fixes"
    r"|help\s+needed|need\s+help|urgent|please\s+help|crash|it\s+crashes)\W*$",
    _I,
)
_TITLE_WORD = re.compile(r"[^\W_]+")
_WORD = Pattern(r"[^\W_]+(?:['’][^\W_]+)?")  # as Document counts words
_STRIP_FOR_QUESTIONS = Pattern(r"`[^`]*`|https?://\S+|\[[^\]]*\]\([^)]*\)")
_QUESTION_SENTENCE = Pattern(r"\w[^\w\n]{0,3}\?(?=[\s\"')\]]|$)")  # a "?" ending words
_HEDGE_SINGLE = frozenset(
    {
        "unsure", "tbd", "tbc", "maybe", "perhaps", "somehow", "explore", "brainstorm", "spike",
        "rfc", "proposal", "undecided",
    }
)  # fmt: skip
_HEDGE_PHRASES = ("should we", "not sure", "figure out", "open question")
_HEDGE_PHRASE_PATTERNS = tuple(
    (phrase, re.compile(r"\s+".join(phrase.split()))) for phrase in _HEDGE_PHRASES
)


# Words (as in Document.vocabulary) that every match of a pattern needs: the pattern
# runs only on tickets that have one of them.
_TEST_WORDS = frozenset({"test", "tests", "spec"})
_ACCEPTANCE_WORDS = frozenset({"acceptance", "definition", "done"})
_DESIRED_WORDS = frozenset(
    {"should", "must", "need", "needs", "expected", "expect", "desired", "instead"}
)
_HEDGE_WORDS = frozenset({"should", "not", "figure", "open"})  # first words of _HEDGE_PHRASES
_SCOPE_WORDS = frozenset({"scope", "goal", "goals", "non", "non-goals"})
_HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_STRIP_CODE_SPANS = re.compile(r"`[^`]*`")


def _has_any(lower: str, needles: tuple[str, ...]) -> bool:
    return any(map(lower.__contains__, needles))  # (no generator: this runs often)


def _intent(doc: Document, policy: Policy, out: FindingTally) -> None:
    found = intent(doc)
    if found.question:
        out.charge(
            policy,
            "question",
            found.question,
            f"{found.question_where} a question instead of asking for a change.",
            "Rewrite the title and first line as the change to make ('Add ...', 'Fix ... when').",
        )
    if found.closing_question:
        out.charge(
            policy,
            "closing-question",
            1.0,
            "The closing lines ask a question: the ticket waits for an answer, not a change.",
            "Answer the closing question in the ticket, or turn it into the change to make.",
        )
    out.charge(
        policy,
        "support-request",
        found.support,
        "Reads as a request for help with the reporter's own setup, not a change to the code.",
        "State the change the project needs (what to add or fix, and where), not the "
        "problem on one machine.",
    )
    out.charge(
        policy,
        "discussion",
        found.discussion,
        "Opens a discussion, or proposes a change that awaits the maintainers' decision.",
        "Settle the discussion first, then describe the decided change.",
    )
    if found.no_change:
        out.charge(
            policy,
            "no-change-asked",
            1.0,
            "Neither the title nor the description says what to add, fix or remove.",
            "Start with the change to make: 'Add ...', 'X should ...', 'Fix ... when ...'.",
        )


def _acceptance(
    doc: Document, is_bug: bool, instruction: bool, policy: Policy, out: FindingTally
) -> None:
    sections = doc.sections_matching(_ACCEPTANCE_HEADING)
    if any(not s.is_empty for s in sections):
        return
    work_items = [
        item for item in doc.checklist if not item.checked or not _ATTESTATION.match(item.text)
    ]
    if work_items:
        return
    words = doc.vocabulary
    if (words & _ACCEPTANCE_WORDS and doc.prose_search(_ACCEPTANCE_INLINE)) or (
        "given" in words and doc.prose_count(_GIVEN_WHEN_THEN) >= 2
    ):
        return
    if instruction:
        out.charge(
            policy,
            "no-acceptance-criteria",
            ACCEPTANCE_PARTIAL,
            "Says what to do but gives no checkable acceptance criteria.",
            "Add an 'Acceptance criteria' section with checkable items.",
        )
        return
    expected = bool(doc.sections_matching(_EXPECTED.written)) if is_bug else False
    if expected or (
        words & _DESIRED_WORDS
        and _DESIRED.search(
            f"{doc.title}\n{doc.prose}",
            doc.text_kind,
            f"{doc.title.lower()}\n{doc.prose_lower}" if doc.text_kind != ANY else None,
        )
    ):
        out.charge(
            policy,
            "no-acceptance-criteria",
            ACCEPTANCE_PARTIAL,
            "States the desired behaviour but gives no checkable acceptance criteria.",
            "Add an 'Acceptance criteria' section with checkable items.",
        )
        return
    out.charge(
        policy,
        "no-acceptance-criteria",
        1.0,
        "No acceptance criteria: nothing says when the work is done.",
        "Add an 'Acceptance criteria' section with checkable items.",
    )


def _pointers(doc: Document, policy: Policy, out: FindingTally) -> None:
    symbols = {code for code in doc.inline_code if _SYMBOL.match(code.strip())}
    strength = 3 * len(symbols) + 2 * len(doc.areas)
    if any(f"{method} /" in doc.prose for method in _HTTP_METHODS):
        strength += 3 * len(_ENDPOINT.findall(doc.prose))
    if doc.vocabulary & _TEST_WORDS:
        strength += 3 * doc.prose_count(_TEST_POINTER)
    strength += 3 * sum(1 for link in doc.links if _SOURCE_LINK.search(link))
    strength += 1 if doc.code_blocks else 0
    if strength >= POINTERS_ENOUGH:
        return
    if strength == 0:
        out.charge(
            policy,
            "no-technical-pointers",
            1.0,
            "No technical pointers: no file, symbol, endpoint or test is named.",
            "Name the files, functions or endpoints to change and the tests to add, in backticks.",
        )
        return
    out.charge(
        policy,
        "few-technical-pointers",
        1 - strength / POINTERS_ENOUGH,
        "Few technical pointers: little says where in the code the change goes.",
        "Name the files, functions or endpoints to change and the tests to add, in backticks.",
    )


def _bug_report(doc: Document, policy: Policy, out: FindingTally) -> None:
    missing: list[str] = []
    # (the headings are part of the prose, so `may_hold` speaks for them too)
    numbered_steps = sum(1 for item in doc.list_items if item) >= 2
    if not (
        numbered_steps
        or (
            doc.may_hold("step", "repro")
            and (_STEPS.search(" ".join(doc.headings), doc.text_kind) or doc.prose_search(_STEPS))
        )
    ):
        missing.append("steps to reproduce")
    if not (
        doc.may_hold("expect")
        and doc.prose_search(_EXPECTED)
        and doc.may_hold("actual", "instead", "but", "observed")
        and doc.prose_search(_ACTUAL)
    ):
        missing.append("expected and actual behaviour")
    code = "\n".join(block.content for block in doc.code_blocks)
    code_kind = text_kind(code)
    if not (_ERROR_TEXT.search(code, code_kind) or _ERROR_TEXT.search(doc.prose, doc.text_kind)):
        missing.append("the error message or stack trace")
    if not (doc.prose_search(_VERSION) or _VERSION.search(code, code_kind)):
        missing.append("the version")
    if missing:
        out.charge(
            policy,
            "incomplete-bug-report",
            len(missing) / BUG_PARTS,
            "Bug report without " + ", ".join(missing) + ".",
            "Add " + ", ".join(missing) + ".",
        )


_QUESTION_FOLLOWERS = frozenset("\"')]")  # besides whitespace and the end (_QUESTION_SENTENCE)


def _count_questions(text: str) -> int:
    """How many matches `_QUESTION_SENTENCE.findall(text)` finds, found from each "?".

    A match is a word's last character, at most three characters that are neither word
    characters nor line breaks, a "?", and then whitespace, a closing quote or bracket,
    or the end. So each word's end starts at most one match, which ends before the next
    word: the matches are the word ends that such a "?" follows. Searching the few "?"
    is much cheaper than trying the regular expression at every word character.
    """
    count = 0
    counted = -1  # the word end counted last
    end = len(text)
    q = text.find("?")
    while q >= 0:
        after = q + 1
        if after == end or text[after].isspace() or text[after] in _QUESTION_FOLLOWERS:
            start = q - 1  # back over what lies between the word and the "?"
            while start >= 0 and q - start <= 4:
                ch = text[start]
                if ch.isalnum() or ch == "_":  # a word character (\w): the word's end
                    if start != counted:
                        count += 1
                        counted = start
                    break
                if ch == "\n":
                    break
                start -= 1
        q = text.find("?", after)
    return count


def _open_questions(doc: Document, policy: Policy, out: FindingTally) -> None:
    questions = 0
    if "?" in doc.prose:
        questions = _count_questions(_STRIP_FOR_QUESTIONS.sub(" ", doc.prose, doc.text_kind))
    hedges: list[str] = []
    if doc.vocabulary & _HEDGE_SINGLE:
        heading_words = " ".join(doc.headings).lower().split() if doc.headings else []
        for word in sorted(doc.prose_vocabulary & _HEDGE_SINGLE):
            # (a heading "Proposal" or "Spike" names a section, it hedges nothing)
            hedges += [word] * (doc.lower_words.count(word) - heading_words.count(word))
        hedges += [word for word in _TITLE_WORD.findall(doc.title.lower()) if word in _HEDGE_SINGLE]
    if doc.vocabulary & _HEDGE_WORDS:
        # each phrase, its words apart by any whitespace, in the title and prose
        lower = f"{doc.title.lower()}\n{doc.prose_lower}"
        for phrase, pattern in _HEDGE_PHRASE_PATTERNS:
            hedges += [phrase] * len(pattern.findall(lower))
    count = questions + len(hedges)
    if not count:
        return
    parts = []
    if questions:
        parts.append(f"{questions} question{'s' if questions != 1 else ''} in the text")
    if hedges:
        quoted = ", ".join(sorted({f"'{h.lower()}'" for h in hedges})[:4])
        parts.append(f"undecided wording ({quoted})")
    out.charge(
        policy,
        "open-questions",
        (questions + len(hedges) / HEDGES_PER_QUESTION) / QUESTIONS_FULL,
        "Open questions: " + " and ".join(parts) + ".",
        "Answer the open questions in the ticket, or move them to a separate discussion.",
    )


def _unanswered_comment(ticket: Ticket, policy: Policy, out: FindingTally) -> None:
    comments = [c for c in ticket.comments if not c.is_own and c.body.strip()]
    if not comments:
        return
    last = _STRIP_FOR_QUESTIONS.written.sub(" ", comments[-1].body)
    if _QUESTION_SENTENCE.written.search(last):
        out.charge(
            policy,
            "unanswered-question",
            1.0,
            "The last comment asks a question nobody has answered.",
            "Answer the question in the last comment and fold the answer into the description.",
        )


def _template_leftovers(doc: Document, policy: Policy, out: FindingTally) -> None:
    """Unedited issue-template text: instructions in HTML comments and sections left empty."""
    comments = [c for c in doc.html_comments if c and not c.startswith(OWN_MARKER_PREFIX)]
    empty = [s.heading for s in doc.sections if s.level > 0 and s.is_empty and not s.checklist]
    count = len(comments) + len(empty)
    if not count:
        return
    parts = []
    if comments:
        parts.append(f"{len(comments)} template instruction(s) in HTML comments")
    if empty:
        parts.append("empty section(s) " + ", ".join(f"'{h[:30]}'" for h in empty[:3]))
    out.charge(
        policy,
        "template-leftovers",
        count / TEMPLATE_LEFTOVERS_FULL,
        "The description still holds the issue template: " + " and ".join(parts) + ".",
        "Delete the template's instructions and fill in or remove its empty sections.",
    )


def score(ticket: Ticket, doc: Document, policy: Policy) -> DimensionScore:
    """Clarity 0..100; every point lost is a finding."""
    out = FindingTally(Dimension.CLARITY)
    start = opening(doc)
    _intent(doc, policy, out)
    head = f"{doc.title}\n{start[:200]}".lower()
    is_bug = ticket.kind.lower() == "bug" or bool(
        (_has_any(head, _BUG_STEMS) and _BUG_WORDS.intersection(_WORD.findall(head, doc.text_kind)))
        or _NOT_WORKING.search(doc.title)
    )
    found = intent(doc)
    # a deliverable named anywhere (an instruction, "X should ...") is part of a criterion
    _acceptance(doc, is_bug, found.instruction or not found.no_change, policy, out)
    _pointers(doc, policy, out)
    if is_bug and not states_change(doc):  # a report that states its fix is a task
        _bug_report(doc, policy, out)

    scope_inline = doc.vocabulary & _SCOPE_WORDS and doc.prose_search(_SCOPE_INLINE)
    if not (doc.sections_matching(_SCOPE_HEADING) or scope_inline):
        out.charge(
            policy,
            "no-scope-limits",
            1.0,
            "Nothing says what is out of scope.",
            "Add an 'Out of scope' section listing what not to change.",
        )

    if _VAGUE_TITLE.match(doc.title):
        out.charge(
            policy,
            "vague-title",
            1.0,
            f"The title ({doc.title[:60]!r}) does not say what changes.",
            "Make the title name the change and where: 'Fix X in Y when Z'.",
        )

    if doc.word_count < THIN_BODY_WORDS:
        out.charge(
            policy,
            "short-body",
            1.0 if doc.word_count < SHORT_BODY_WORDS else THIN_BODY,
            f"The description is only {doc.word_count} words.",
            "Describe the current behaviour, the wanted behaviour and where the change goes.",
        )

    _open_questions(doc, policy, out)
    _template_leftovers(doc, policy, out)
    _unanswered_comment(ticket, policy, out)

    structured = doc.headings or doc.list_items or doc.code_blocks
    if doc.word_count >= WALL_OF_TEXT_WORDS and doc.paragraph_count <= 2 and not structured:
        out.charge(
            policy,
            "wall-of-text",
            1.0,
            f"{doc.word_count} words in {doc.paragraph_count} paragraph(s), with no structure.",
            "Split the description into sections (Context, Change, Acceptance criteria).",
        )
    return out.result()


AGENT_REPORTED_UNCLEAR = "agent-reported-unclear"
QUESTION_LIMIT = 500  # characters of one question an agent asks that are kept


def with_agent_questions(score: DimensionScore, questions: tuple[str, ...]) -> DimensionScore:
    """`score` with the finding that decides `needs-clarity` by itself: an agent
    that took the ticket found it unclear and asked `questions` (kept as the
    finding's evidence, one per line, for our comment to quote as the agent's)."""
    finding = Finding(
        AGENT_REPORTED_UNCLEAR,
        Dimension.CLARITY,
        f"An agent that took this ticket found it unclear and asked {len(questions)} question(s).",
        0,
        "Answer the agent's questions in the ticket's description; "
        "the ticket is assessed again when it changes.",
        blocking=True,
        evidence="\n".join(questions),
    )
    return replace(score, findings=(finding, *score.findings))
