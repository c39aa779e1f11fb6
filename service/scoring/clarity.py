"""Clarity dimension (SCORING.md): would two engineers build the same thing from it?

The score starts at 100 and every point lost is a finding. What is read, in
order of weight:

- intent: the title and opening lines ask for a change ("Add ...", "X should
  ...") rather than ask a question, ask for help with the reporter's own setup,
  or open a discussion;
- acceptance criteria (a section, a checklist of work, Given/When/Then), the
  strongest signal; a stated desired or expected behaviour counts for part;
- technical pointers: paths, symbols in backticks, endpoints, tests to add
  (a pasted code block counts less: it is more often the reporter's own code
  or log than a pointer to where the change goes);
- for bug reports: steps, expected and actual behaviour, the error, a version;
- scope limits, a specific title, a body longer than a few words, open
  questions, an unanswered question in the last comments, a wall of text.

Scored from the text alone: the tracker's labels are never read here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from connectors.base import Ticket
from service.scoring.assessment import Dimension, DimensionScore, FindingTally
from service.scoring.document import Document
from service.scoring.patterns import ANY, Pattern, text_kind
from service.scoring.policy import Policy

# --- points (each the most a check can cost) ------------------------------------

QUESTION_POINTS = 25
SUPPORT_POINTS = 25
DISCUSSION_POINTS = 15
NO_CHANGE_POINTS = 10
INTENT_MAX = 45
ACCEPTANCE_POINTS = 25
ACCEPTANCE_PARTIAL_POINTS = 12  # a desired / expected behaviour is stated, not checkable items
POINTER_POINTS = 20
BUG_DETAIL_POINTS = 3  # per missing part of a bug report (steps, expected/actual, error, version)
SCOPE_POINTS = 5
VAGUE_TITLE_POINTS = 10
SHORT_BODY_POINTS = 15
QUESTION_SENTENCE_POINTS = 5  # per question left in the text
HEDGE_POINTS = 2  # per undecided word (maybe, TBD, ...)
OPEN_QUESTIONS_MAX = 20
UNANSWERED_COMMENT_POINTS = 10
WALL_OF_TEXT_POINTS = 10
TEMPLATE_LEFTOVER_POINTS = 4  # per leftover template instruction or empty section
TEMPLATE_LEFTOVERS_MAX = 12

OWN_MARKER_PREFIX = "backlog-sync:"  # our own hidden comment marker is not template text
SHORT_BODY_WORDS = 10
THIN_BODY_WORDS = 20
WALL_OF_TEXT_WORDS = 250
OPENING_CHARS = 500

_I = re.IGNORECASE

# --- intent ---------------------------------------------------------------------

_QUESTION_TITLE = re.compile(
    r"^\W*(?:\[?(?:question|q|help|support)\]?\s*[:\-\]]"
    r"|(?:how|why|what|where|which|who|when)\b"
    r"|(?:is|are|can|could|does|do|did|will|would|was|were|has|have|am)\s+"
    r"(?:it|there|this|that|i|we|you|anyone|someone|one|my|the|a|an)\b)",
    _I,
)
_QUESTION_OPENING = Pattern(
    r"\b(?=[hicdaw])(?:how\s+(?:do|can|could|should|would|to)\s+(?:i|we|one|you)?"
    r"|is\s+(?:it|there)\s+(?:possible|a\s+way|any\s+way)"
    r"|(?:can|could)\s+(?:i|someone|anyone|somebody)\b"
    r"|does\s+(?:anyone|anybody|someone)"
    r"|any\s+(?:idea|ideas|help|suggestions?|advice|pointers)\b"
    r"|what\s+am\s+i\s+(?:doing\s+)?(?:wrong|missing)"
    r"|why\s+(?:does|do|is|am|are|can't|doesn't|isn't|won't)\b)",
    _I,
)
# the reporter's own setup: help wanted with their machine, code or install
# (each pattern below opens with a look-ahead on the first letters of its alternatives:
# the same matches, but most positions are rejected before any alternative is tried)
_SUPPORT_PHRASE = Pattern(
    r"\b(?=[adhimnoptw])(?:help\s+me|please\s+help|need\s+(?:some\s+)?help|any\s+help"
    r"|thanks?\s+in\s+advance|(?:i\s+am|i'm|am)\s+(?:a\s+)?(?:new|beginner|newbie)"
    r"|i\s+(?:am|was|'m)\s+(?:trying|unable|not\s+able|getting|stuck|having)"
    r"|i\s+(?:can't|cannot|couldn't|could\s+not|can\s+not)\b"
    r"|i\s+(?:tried|installed|followed|downloaded|reinstalled|updated|upgraded)\b"
    r"|(?:on|in|with)\s+my\s+(?:computer|machine|laptop|pc|mac|system|server|project|code|app)"
    r"|my\s+(?:code|program|script|project|app|application|setup|environment|installation)\b"
    r"|doesn't\s+work\s+for\s+me|not\s+working\s+for\s+me)",
    _I,
)
_GREETING = re.compile(
    r"^\W*(?:hi|hello|hey|dear|greetings|good\s+(?:morning|day|afternoon))\b", _I
)
_DISCUSSION = Pattern(
    r"\b(?:what\s+do\s+(?:you|people|others|folks)\s+think|thoughts\s*\?|opinions?\s*\?"
    r"|open\s+(?:for|to)\s+discussion|let's\s+discuss|discussion|(?:rfc|proposal)\b|wdyt)",
    _I,
)
# The base form of the verbs a task is given with: a title or opening sentence that
# starts with one is an instruction ("Move the logger to ...", "Save the settings
# with ..."), whose outcome can be checked, rather than a report or a question.
_IMPERATIVE_VERBS = frozenset(
    {
        "add", "fix", "remove", "delete", "drop", "implement", "support", "allow", "enable",
        "disable", "make", "rename", "move", "replace", "refactor", "update", "upgrade", "improve",
        "document", "expose", "deprecate", "change", "create", "handle", "avoid", "convert",
        "switch", "migrate", "extract", "split", "merge", "clean", "simplify", "introduce",
        "provide", "show", "hide", "display", "validate", "raise", "return", "prevent", "ensure",
        "include", "exclude", "port", "bump", "write", "translate", "standardise", "standardize",
        "normalise", "normalize", "optimise", "optimize", "speed", "reduce", "increase", "limit",
        "sort", "unify", "extend", "rewrite", "reword", "tidy", "correct", "check", "warn",
        "expand", "generate", "accept", "respect", "honor", "honour", "preserve", "cache",
        "parallelize", "parallelise", "use", "set", "save", "read", "load", "pass", "integrate",
        "download", "export", "import", "parse", "store", "print", "plot", "render", "format",
        "wrap", "link", "list", "let", "apply", "emit", "register", "skip", "keep", "reuse",
        "annotate", "lint", "explain", "clarify", "describe", "mention", "publish", "adopt",
        "automate", "compute", "calculate", "detect", "notify", "filter", "group", "rank", "count",
        "measure", "benchmark", "send", "fetch", "query", "serialize", "serialise", "deserialize",
        "encode", "decode", "escape", "trim", "strip", "pin", "unpin", "vendor", "package", "ship",
        "release", "cover", "verify", "assert", "catch", "retry", "close", "open", "reset",
        "restore", "resize", "scale", "align", "center", "centre", "colour", "color", "style",
        "label", "tag", "transfer", "copy", "clone", "reorganize", "reorganise", "restructure",
        "revise", "review", "audit", "deduplicate", "consolidate", "separate", "combine", "inline",
        "embed", "attach", "insert", "append", "prepend",
    }
)  # fmt: skip
_LEADING_TAGS = re.compile(r"^[^\w\[]*(?:\[[^\]]{0,40}\]\s*|[\w./-]{1,30}:\s+)*")
_FIRST_SENTENCE = re.compile(r"^[^.!?\n]*")

# a change asked for: a change verb in any form ("add", "adding", "improvements") ...
_CHANGE_STEMS = (
    "add", "fix", "remov", "delet", "drop", "implement", "support", "allow", "enabl", "disabl",
    "mak", "renam", "mov", "replac", "refactor", "updat", "upgrad", "improv", "document",
    "expos", "deprecat", "chang", "creat", "handl", "avoid", "convert", "switch", "migrat",
    "extract", "split", "merg", "clean", "simplif", "introduc", "provid", "show", "hid",
    "display", "validat", "rais", "return", "prevent", "ensur", "includ", "exclud", "port",
    "bump", "writ", "test", "translat", "standardis", "standardiz", "normalis", "normaliz",
    "optimis", "optimiz", "speed", "reduc", "increas", "limit", "sort", "unif", "extend",
    "rewrit", "reword", "tidy", "correct", "check", "warn", "log", "expand", "generat", "accept",
    "respect", "honor", "honour", "preserv", "cach", "parallel",
)  # fmt: skip
_CHANGE_SUFFIXES = (
    "", "e", "es", "ed", "s", "ing", "ings", "ment", "ments", "ion", "ions", "ify", "ifies",
    "ified", "ation", "y", "ies", "ied",
)  # fmt: skip
_CHANGE_WORDS = frozenset(
    {stem + suffix for stem in _CHANGE_STEMS for suffix in _CHANGE_SUFFIXES}
    | _IMPERATIVE_VERBS
    | {"new", "better", "missing", "option", "feature", "enhancement", "typo", "doc", "docs"}
    | {"should", "must", "currently", "lack", "lacks", "instead"}
)
# ... or a statement of what should be
_CHANGE_PHRASES = (
    "need to", "needs to", "ought to", "would be nice", "would be good", "would be great",
    "would be useful", "would be helpful", "would be better", "it'd be", "we need", "we want",
    "we could", "we can", "at the moment", "right now", "no longer", "is missing",
    "doesn't support", "does not support", "not supported",
)  # fmt: skip
# details of the reporter's own machine: a report about one setup, not about the code
_ENVIRONMENT = Pattern(
    r"\b(?=[bcdfghjmnoprsuw])(?:operating\s+system|os\s*(?:version)?\s*[:=]|platform\s*[:=]"
    r"|compiler"
    r"|system\s+info(?:rmation)?|(?:python|node(?:\.js)?|java|browser|driver|cuda|gcc)"
    r"\s+version|browser\s*[:=]|hardware|cpus?|gpu|ram|windows\s*(?:\d+|xp)|ubuntu|debian"
    r"|fedora|centos|macos|mac\s*os|os\s*x)\b",
    _I,
)
ENVIRONMENT_MENTIONS = 2  # this many mentions of the reporter's machine count as one support signal

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
_SUPPORT_WORDS = frozenset({"help", "thanks", "thank", "i", "i'm", "am", "my", "me"})
_FIRST_PERSON_WORDS = frozenset({"i", "i'm", "i've", "i'd", "i'll", "me", "my", "mine", "myself"})
_ENVIRONMENT_WORDS = frozenset(
    {
        "operating", "os", "platform", "compiler", "system", "python", "node", "java",
        "browser", "driver", "cuda", "gcc", "hardware", "cpu", "cpus", "gpu", "ram", "windows",
        "ubuntu", "debian", "fedora", "centos", "macos", "mac",
    }
)  # fmt: skip
# the words (as Document splits them) that every match of _DISCUSSION or _TEST_POINTER holds
_DISCUSSION_WORDS = frozenset(
    {
        "think",
        "thoughts",
        "opinion",
        "opinions",
        "discussion",
        "discussions",
        "discuss",
        "let's",
        "rfc",
        "proposal",
        "wdyt",
    }
)
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


def _count(pattern: re.Pattern[str], texts: Iterable[str]) -> int:
    return sum(len(pattern.findall(text)) for text in texts)


def _asks_for_change(text: str, kind: int) -> bool:
    """`kind` is `text_kind(text)`."""
    lower = text.lower()
    for m in _WORD.finditer(lower, kind):  # a change word most often comes early: stop there
        if m.group() in _CHANGE_WORDS:
            return True
    lower = " ".join(lower.split())
    return any(phrase in lower for phrase in _CHANGE_PHRASES)


def _is_instruction(text: str) -> bool:
    """True when `text` starts with a verb in its base form: "Move X to Y", "[docs] Add Z"."""
    rest = text[_LEADING_TAGS.match(text).end() :]  # type: ignore[union-attr]
    m = _WORD.written.match(rest)
    return m is not None and m.group(0).lower() in _IMPERATIVE_VERBS


def _opening(doc: Document) -> str:
    """The opening lines: the first paragraphs and items before any heading, else the start."""
    preamble = doc.sections[0].text if doc.sections else ""
    return (preamble or doc.prose)[:OPENING_CHARS]


@dataclass(frozen=True, slots=True)
class Intent:
    """How far the title and opening lines fall short of asking for a change.

    Each field is the points the shortfall costs clarity (0 when absent); `lost`
    is their sum within INTENT_MAX. Size reads it too: a ticket that names no
    change names no work whose hours could be estimated.
    """

    question: int = 0
    question_where: str = ""
    support: int = 0
    discussion: int = 0
    no_change: int = 0
    no_change_where: tuple[str, ...] = ()

    @property
    def lost(self) -> int:
        return self.question + self.support + self.discussion + self.no_change

    @property
    def kind(self) -> str:
        """What the ticket reads as instead of a change, for messages."""
        largest = max(
            (self.question, "a question"),
            (self.support, "a request for help with one setup"),
            (self.discussion, "a discussion"),
            (self.no_change, "a report that names no change"),
        )
        return largest[1]


_NO_INTENT_GAP = Intent()
_LAST_INTENT: tuple[Document | None, Intent] = (None, _NO_INTENT_GAP)


def intent(doc: Document) -> Intent:
    """The intent shortfall of a parsed ticket (pure; the last result is kept, by identity,
    since size and clarity both read it for the same document)."""
    global _LAST_INTENT
    last_doc, last = _LAST_INTENT
    if last_doc is doc:
        return last
    result = _measure_intent(doc, _opening(doc))
    _LAST_INTENT = (doc, result)
    return result


def _measure_intent(doc: Document, opening: str) -> Intent:
    title = doc.title
    budget = INTENT_MAX
    question = 0
    question_where = ""
    question_title = bool(_QUESTION_TITLE.search(title)) or title.rstrip().endswith("?")
    kind = doc.text_kind  # the opening is made of the prose
    question_opening = _QUESTION_OPENING.count(opening, kind)
    if question_title or question_opening:
        points = QUESTION_POINTS if question_title else min(QUESTION_POINTS, 10 * question_opening)
        question = min(points, budget)
        question_where = "The title" if question_title else "The opening lines"
        budget -= question
    words = doc.vocabulary
    support_signals = doc.prose_count(_SUPPORT_PHRASE) if words & _SUPPORT_WORDS else 0
    support_signals += 1 if _GREETING.search(doc.prose) else 0
    first_person = (
        sum(map(doc.lower_words.count, doc.prose_vocabulary & _FIRST_PERSON_WORDS))
        if words & _FIRST_PERSON_WORDS
        else 0
    )
    if doc.word_count and first_person >= 3 and first_person / doc.word_count >= 0.04:
        support_signals += 1 + int(first_person / doc.word_count >= 0.07)
    environment = doc.prose_count(_ENVIRONMENT) if words & _ENVIRONMENT_WORDS else 0
    support_signals += min(2, environment // ENVIRONMENT_MENTIONS)
    support = min(SUPPORT_POINTS, 6 * support_signals, max(budget, 0))
    budget -= support
    discussion_signals = (
        _DISCUSSION.count(title, kind) * 2 + _DISCUSSION.count(opening, kind)
        if words & _DISCUSSION_WORDS
        else 0
    )
    discussion = min(DISCUSSION_POINTS, 8 * discussion_signals, max(budget, 0))
    budget -= discussion
    missing = tuple(
        where
        for where, text in (("title", title), ("opening lines", opening))
        if not _asks_for_change(text, kind)
    )
    no_change = min(NO_CHANGE_POINTS * len(missing), max(budget, 0))
    return Intent(
        question=question,
        question_where=question_where,
        support=support,
        discussion=discussion,
        no_change=no_change,
        no_change_where=missing if no_change else (),
    )


def _intent(doc: Document, out: FindingTally) -> None:
    found = intent(doc)
    if found.question_where:
        out.add(
            "question",
            found.question,
            f"{found.question_where} ask a question instead of asking for a change.",
            "Rewrite the title and first line as the change to make ('Add ...', 'Fix ... when').",
        )
    if found.support:
        out.add(
            "support-request",
            found.support,
            "Reads as a request for help with the reporter's own setup, not a change to the code.",
            "State the change the project needs (what to add or fix, and where), not the "
            "problem on one machine.",
        )
    if found.discussion:
        out.add(
            "discussion",
            found.discussion,
            "Opens a discussion rather than describing a decided change.",
            "Settle the discussion first, then describe the decided change.",
        )
    if found.no_change_where:
        out.add(
            "no-change-asked",
            found.no_change,
            f"The {' and the '.join(found.no_change_where)} do not say what to add, fix or remove.",
            "Start with the change to make: 'Add ...', 'X should ...', 'Fix ... when ...'.",
        )


def _acceptance(doc: Document, is_bug: bool, instruction: bool, out: FindingTally) -> None:
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
        out.add(
            "no-acceptance-criteria",
            ACCEPTANCE_PARTIAL_POINTS,
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
        out.add(
            "no-acceptance-criteria",
            ACCEPTANCE_PARTIAL_POINTS,
            "States the desired behaviour but gives no checkable acceptance criteria.",
            "Add an 'Acceptance criteria' section with checkable items.",
        )
        return
    out.add(
        "no-acceptance-criteria",
        ACCEPTANCE_POINTS,
        "No acceptance criteria: nothing says when the work is done.",
        "Add an 'Acceptance criteria' section with checkable items.",
    )


def _pointers(doc: Document, out: FindingTally) -> None:
    symbols = {code for code in doc.inline_code if _SYMBOL.match(code.strip())}
    strength = 3 * len(symbols) + 2 * len(doc.areas)
    if any(f"{method} /" in doc.prose for method in _HTTP_METHODS):
        strength += 3 * len(_ENDPOINT.findall(doc.prose))
    if doc.vocabulary & _TEST_WORDS:
        strength += 3 * doc.prose_count(_TEST_POINTER)
    strength += 3 * sum(1 for link in doc.links if _SOURCE_LINK.search(link))
    strength += 1 if doc.code_blocks else 0
    if strength >= 6:
        return
    if strength == 0:
        out.add(
            "no-technical-pointers",
            POINTER_POINTS,
            "No technical pointers: no file, symbol, endpoint or test is named.",
            "Name the files, functions or endpoints to change and the tests to add, in backticks.",
        )
        return
    out.add(
        "few-technical-pointers",
        POINTER_POINTS - 3 * strength,
        "Few technical pointers: little says where in the code the change goes.",
        "Name the files, functions or endpoints to change and the tests to add, in backticks.",
    )


def _bug_report(doc: Document, out: FindingTally) -> None:
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
        out.add(
            "incomplete-bug-report",
            BUG_DETAIL_POINTS * len(missing),
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


def _open_questions(doc: Document, out: FindingTally) -> None:
    questions = 0
    if "?" in doc.prose:
        questions = _count_questions(_STRIP_FOR_QUESTIONS.sub(" ", doc.prose, doc.text_kind))
    hedges: list[str] = []
    if doc.vocabulary & _HEDGE_SINGLE:
        for word in sorted(doc.prose_vocabulary & _HEDGE_SINGLE):
            hedges += [word] * doc.lower_words.count(word)
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
    out.add(
        "open-questions",
        min(OPEN_QUESTIONS_MAX, QUESTION_SENTENCE_POINTS * questions + HEDGE_POINTS * len(hedges)),
        "Open questions: " + " and ".join(parts) + ".",
        "Answer the open questions in the ticket, or move them to a separate discussion.",
    )


def _unanswered_comment(ticket: Ticket, out: FindingTally) -> None:
    comments = [c for c in ticket.comments if not c.is_own and c.body.strip()]
    if not comments:
        return
    last = _STRIP_FOR_QUESTIONS.written.sub(" ", comments[-1].body)
    if _QUESTION_SENTENCE.written.search(last):
        out.add(
            "unanswered-question",
            UNANSWERED_COMMENT_POINTS,
            "The last comment asks a question nobody has answered.",
            "Answer the question in the last comment and fold the answer into the description.",
        )


def _template_leftovers(doc: Document, out: FindingTally) -> None:
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
    out.add(
        "template-leftovers",
        min(TEMPLATE_LEFTOVERS_MAX, TEMPLATE_LEFTOVER_POINTS * count),
        "The description still holds the issue template: " + " and ".join(parts) + ".",
        "Delete the template's instructions and fill in or remove its empty sections.",
    )


def score(ticket: Ticket, doc: Document, policy: Policy) -> DimensionScore:
    """Clarity 0..100; every point lost is a finding."""
    out = FindingTally(Dimension.CLARITY)
    opening = _opening(doc)
    _intent(doc, out)
    head = f"{doc.title}\n{opening[:200]}".lower()
    is_bug = ticket.kind.lower() == "bug" or bool(
        (_has_any(head, _BUG_STEMS) and _BUG_WORDS.intersection(_WORD.findall(head, doc.text_kind)))
        or _NOT_WORKING.search(doc.title)
    )
    instruction = _is_instruction(doc.title) or _is_instruction(opening.lstrip())
    _acceptance(doc, is_bug, instruction, out)
    _pointers(doc, out)
    if is_bug:
        _bug_report(doc, out)

    scope_inline = doc.vocabulary & _SCOPE_WORDS and doc.prose_search(_SCOPE_INLINE)
    if not (doc.sections_matching(_SCOPE_HEADING) or scope_inline):
        out.add(
            "no-scope-limits",
            SCOPE_POINTS,
            "Nothing says what is out of scope.",
            "Add an 'Out of scope' section listing what not to change.",
        )

    title_words = _TITLE_WORD.findall(doc.title)
    if _VAGUE_TITLE.match(doc.title) or (len(title_words) < 3 and not doc.inline_code):
        out.add(
            "vague-title",
            VAGUE_TITLE_POINTS,
            f"The title ({doc.title[:60]!r}) does not say what changes.",
            "Make the title name the change and where: 'Fix X in Y when Z'.",
        )

    if doc.word_count < THIN_BODY_WORDS:
        points = SHORT_BODY_POINTS if doc.word_count < SHORT_BODY_WORDS else SHORT_BODY_POINTS // 3
        out.add(
            "short-body",
            points,
            f"The description is only {doc.word_count} words.",
            "Describe the current behaviour, the wanted behaviour and where the change goes.",
        )

    _open_questions(doc, out)
    _template_leftovers(doc, out)
    _unanswered_comment(ticket, out)

    structured = doc.headings or doc.list_items or doc.code_blocks
    if doc.word_count >= WALL_OF_TEXT_WORDS and doc.paragraph_count <= 2 and not structured:
        out.add(
            "wall-of-text",
            WALL_OF_TEXT_POINTS,
            f"{doc.word_count} words in {doc.paragraph_count} paragraph(s), with no structure.",
            "Split the description into sections (Context, Change, Acceptance criteria).",
        )
    return out.result()
