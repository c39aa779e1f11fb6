"""What a ticket asks for: a change, or an answer, help with one setup, a decision.

SCORING.md rewards a ticket that asks for a change and penalises one that asks a
question, asks for support with the reporter's own setup, or opens a discussion.
The whole text is read, not only the title and the opening lines:

- a question: the title is one, the opening lines ask one ("How do I ...", "Is
  there a way ..."), or the closing lines do ("Did I mess up a step?"): the ask
  of a report is often its last paragraph;
- a support request: help wanted ("I am trying to ...", "any help would be
  appreciated", "I was wondering ..."), a greeting, a text about "I" and "my",
  details of the reporter's machine, a build log pasted from it, paths in the
  reporter's home directory (`/home/ana/...`, `C:\\Users\\ana\\...`); but a
  ticket that sets out the change itself (a "Proposal" or "Change" section,
  acceptance criteria) is no support request, whatever its tone;
- a discussion, or a proposal that awaits a decision: a request for opinions
  ("I would like to know other people's opinions", "thoughts?") or for
  permission ("would you be open to a pull request?", "is this something you
  would accept?", "up for discussion");
- a change asked for: the title or a sentence of the body is an instruction (its
  first word a verb in its base form: "Reject expired coupons ...", "Deprecate
  ...", "Forbid ..."), or the text says what should be ("X should ...", "it
  would be nice to ...", "X is missing"), or a section of the body is the
  change ("## Change", "## Proposal", "## Fix"). The verb is recognised by its
  grammar, not looked up in a list of verbs: the first word is no function word
  (pronoun, article, auxiliary, preposition ...), is not inflected ("-ed",
  "-ing", a third-person "-s"), and what follows reads as its object.

The closing question is a finding of its own (`closing-question`), so that the
fit of the points (benchmarks/fit_finding_points.py) can weigh it apart from a
question in the title. The result (`Intent`) is measured once per document:
clarity charges its points,
and size reads it only to say that an estimate of such a ticket is a guess (the
intent points are charged once, in clarity).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.scoring.document import Document
from service.scoring.patterns import Pattern

_I = re.IGNORECASE

# --- questions ------------------------------------------------------------------------

_QUESTION_TITLE = re.compile(
    r"^\W*(?:\[?(?:question|q|help|support)\]?\s*[:\-\]]"
    r"|(?:a\s+)?(?:question|help|support)\s+(?:about|on|with|regarding|needed|wanted|request)\b"
    r"|(?:how|why|what|where|which|who|when)\b"
    r"|(?:is|are|can|could|does|do|did|will|would|was|were|has|have|am)\s+"
    r"(?:it|there|this|that|i|we|you|anyone|someone|one|my|the|a|an)\b)",
    _I,
)
_QUESTION_PHRASE = Pattern(
    r"\b(?=[hicdawptslm])(?:how\s+(?:do|can|could|should|would|to)\s+(?:i|we|one|you)?"
    r"|is\s+(?:it|there)\s+(?:possible|a\s+way|any\s+way)"
    r"|(?:can|could)\s+(?:i|someone|anyone|somebody)\b"
    r"|does\s+(?:anyone|anybody|someone)"
    r"|any\s+(?:idea|ideas|help|suggestions?|advice|pointers)\b"
    r"|what\s+am\s+i\s+(?:doing\s+)?(?:wrong|missing)"
    r"|(?:am|did)\s+i\s+(?:doing|do|miss|missing|mess|messed|make|misunderstand)\b"
    r"|why\s+(?:does|do|is|am|are|can't|doesn't|isn't|won't)\b"
    r"|is\s+there\s+(?:a|any)\s+(?:chance|plan|way|reason)"
    r"|answer\s+my\s+question|my\s+question\s+is"
    r"|(?:please\s+)?(?:tell|show|let)\s+me\s+(?:know\s+)?(?:how|if|whether|what|why|the\s+best))",
    _I,
)
# the first words of _QUESTION_PHRASE's alternatives: a text without any holds no match
_QUESTION_WORDS = frozenset(
    {"how", "is", "can", "could", "does", "any", "what", "am", "did", "why", "answer", "my"}
    | {"please", "tell", "show", "let"}
)
OPENING_CHARS = 500
CLOSING_CHARS = 300
OPENING_QUESTION = 0.4  # the strength of each question asked in the opening lines
_MIN_CLOSING_WORDS = 3  # a shorter last sentence is a sign-off or a name, not the ask
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_SIGN_OFF = re.compile(
    r"^\W*(?:thanks|thank\s+you|thx|regards|best|cheers|greetings|kind\s+regards|br\b|ty\b)",
    _I,
)

# --- support requests -------------------------------------------------------------------

# the reporter's own setup: help wanted with their machine, code or install
# (each pattern below opens with a look-ahead on the first letters of its alternatives:
# the same matches, but most positions are rejected before any alternative is tried)
_SUPPORT_PHRASE = Pattern(
    r"\b(?=[adhimnoptw])(?:help\s+me|please\s+help|need\s+(?:some\s+)?help|any\s+help"
    r"|thanks?\s+in\s+advance|(?:i\s+am|i'm|am)\s+(?:a\s+)?(?:new|beginner|newbie)"
    r"|i\s+(?:am|was|'m)\s+(?:trying|unable|not\s+able|getting|stuck|having|wondering)"
    r"|i\s+(?:can't|cannot|couldn't|could\s+not|can\s+not)\b"
    r"|i\s+(?:tried|installed|followed|downloaded|reinstalled|updated|upgraded)\b"
    r"|(?:on|in|with)\s+my\s+(?:computer|machine|laptop|pc|mac|system|server|project|code|app)"
    r"|my\s+(?:code|program|script|project|app|application|setup|environment|installation)\b"
    r"|(?:would\s+be|is)\s+(?:much\s+|greatly\s+|very\s+much\s+)?appreciated"
    r"|doesn't\s+work\s+for\s+me|not\s+working\s+for\s+me)",
    _I,
)
_SUPPORT_WORDS = frozenset(
    {"help", "thanks", "thank", "i", "i'm", "am", "my", "me", "appreciated"}
)  # one is in every match of _SUPPORT_PHRASE
_GREETING = re.compile(
    r"^\W*(?:hi|hello|hey|dear|greetings|good\s+(?:morning|day|afternoon|evening))\b", _I
)
_FIRST_PERSON_WORDS = frozenset({"i", "i'm", "i've", "i'd", "i'll", "me", "my", "mine", "myself"})
# details of the reporter's own machine: a report about one setup, not about the code
_ENVIRONMENT = Pattern(
    r"\b(?=[bcdfghjmnoprsuw])(?:operating\s+system|os\s*(?:version)?\s*[:=]|platform\s*[:=]"
    r"|compiler"
    r"|system\s+info(?:rmation)?|(?:python|node(?:\.js)?|java|browser|driver|cuda|gcc)"
    r"\s+version|browser\s*[:=]|hardware|cpus?|gpu|ram|windows\s*(?:\d+|xp)|ubuntu|debian"
    r"|fedora|centos|macos|mac\s*os|os\s*x)\b",
    _I,
)
_ENVIRONMENT_WORDS = frozenset(
    {
        "operating", "os", "platform", "compiler", "system", "python", "node", "java",
        "browser", "driver", "cuda", "gcc", "hardware", "cpu", "cpus", "gpu", "ram", "windows",
        "ubuntu", "debian", "fedora", "centos", "macos", "mac",
    }
)  # fmt: skip
ENVIRONMENT_MENTIONS = 2  # this many mentions of the reporter's machine count as one signal
# a path in someone's home directory: text copied from the reporter's own machine
_HOME_PATH = re.compile(
    r"(?:^|[\s'\"(=:`])(?:/home/[\w.-]+/|/Users/[\w.-]+/|[A-Za-z]:[\\/]+Users[\\/]+[\w. -]+[\\/]"
    r"|~/[\w.-])"
)
# the lines a build prints when it fails on the reporter's machine
_BUILD_LOG = re.compile(
    r"^\s*(?:make(?:\[\d+\])?:\s+\*\*\*|CMake\s+(?:Error|Warning)|npm\s+ERR!|error:\s+command\b"
    r"|FAILED:\s|BUILD\s+FAILED|ninja:\s+build\s+stopped|collect2:|configure:\s+error"
    r"|fatal\s+error:|ld:\s|error\s+MSB\d|\[ERROR\]\s+Failed\s+to\s+execute"
    r"|gyp\s+ERR!|Could\s+not\s+find\s+a\s+version|ERROR:\s+Could\s+not\s+(?:build|install))",
    re.MULTILINE,
)
# one of these is in every match of _HOME_PATH or of _BUILD_LOG
_HOME_MARKS = ("/home/", "/Users/", "Users\\", "~/")
_BUILD_LOG_MARKS = (
    "make", "CMake", "ERR!", "error: ", "FAILED", "ninja:", "collect2", "ld: ", "MSB", "[ERROR]",
    "Could not",
)  # fmt: skip
_SUPPORT_SIGNALS_FULL = 4  # this many signals make a full support request

# --- discussions and proposals awaiting a decision ----------------------------------------

_DISCUSSION = Pattern(
    r"\b(?:what\s+do\s+(?:you|people|others|folks)\s+think|thoughts\s*\?|opinions?\s*\?"
    r"|open\s+(?:for|to)\s+discussion|let's\s+discuss|discussion|(?:rfc|proposal)\b|wdyt"
    # a request for opinions
    r"|(?:know|hear|get)\s+(?:\S+\s+){0,2}(?:opinions?|thoughts|views)"
    r"|(?:your|any)\s+(?:opinions?|thoughts|views|feedback)\s+(?:on|about|would|are|is|welcome)"
    r"|feedback\s+(?:is\s+)?welcome"
    # a request for permission: the decision is the maintainers', not yet taken
    r"|(?:would|are)\s+you\s+(?:guys\s+|folks\s+|all\s+)?(?:be\s+)?(?:open|willing|interested)"
    r"\s+(?:to|in)\b"
    r"|you\s+(?:guys\s+|folks\s+|all\s+)?(?:would|might)\s+be\s+(?:open|willing|interested)\b"
    r"|would\s+(?:you|the\s+maintainers|the\s+team)\s+(?:accept|consider|welcome)"
    r"|is\s+(?:this|that|it)\s+something\s+(?:you|that|the)"
    r"|(?:would|is)\s+(?:it|this|that)\s+be\s+(?:ok|okay|acceptable|fine|welcome)"
    r"|may\s+i\s+(?:submit|open|send|make|work)"
    r"|up\s+for\s+(?:discussion|debate)"
    r"|(?:if|when)\s+(?:this|it)\s+(?:is|gets)\s+(?:accepted|approved))",
    _I,
)
_DISCUSSION_WORDS = frozenset(
    {
        "think", "thoughts", "opinion", "opinions", "discussion", "discussions", "discuss",
        "let's", "rfc", "proposal", "wdyt", "views", "feedback", "open", "willing", "interested",
        "accept", "consider", "welcome", "something", "ok", "okay", "acceptable", "fine", "may",
        "debate", "accepted", "approved",
    }
)  # fmt: skip
_DISCUSSION_SIGNALS_FULL = 2

# --- a change asked for -------------------------------------------------------------------


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_LEADING_TAGS = re.compile(r"^[^\w\[]*(?:\[[^\]]{0,40}\]\s*|[\w./-]{1,30}:\s+)*")
# Function words: a sentence that opens with one of these is not an instruction.
_FUNCTION_WORDS = _word_set(
    """a an the this that these those there here it its it's i i'm i've me my mine we our us
    you your they their them he she his her him one some any all each every no not none is
    are was were be been being am do does did done has have had having can could will would
    shall should may might must isn't aren't wasn't weren't doesn't don't didn't hasn't
    haven't can't cannot couldn't won't wouldn't shouldn't of in on at by for with without
    from to into onto over under about after before during since until upon via per vs
    versus than as like between through across against along and or but nor so yet if when
    while because although though unless whether where which who whom whose what why how
    also just only even still then now currently recently already always never often
    sometimes maybe perhaps probably actually basically please thanks thank hi hello hey
    dear yes ok okay sure"""
)
# Words after which the verb's object, or what it applies to, begins.
_OBJECT_STARTS = _word_set(
    """a an the this that these those it its them all any each every some no our their your my
    another other both more less new existing support"""
)
_LINKS = _word_set(
    """in on at for with to from into onto by of via per across over under about after before
    during through between against along upon within without instead than like as when if
    where unless because while until since so"""
)
_PARTICLES = _word_set("up out down off back away")
# Words that make the first word a subject or a noun ("Sitemap does not ...", "Search is
# slow", "Checkout and payment ..."): an auxiliary, a negation, a conjunction, a pronoun.
_AUXILIARY = _word_set(
    """is are was were be been being am do does did has have had can could will would shall
    should may might must isn't aren't wasn't weren't doesn't don't didn't hasn't haven't
    can't cannot couldn't won't wouldn't shouldn't not never seems seem appears gets and or
    but nor yet also then now currently i i'm we you they he she there here which who whom
    whose what why how"""
)
_SENTENCE_START = re.compile(r"(?:^|(?<=[.!?;])[ \t]+|\n)[ \t>*+\-#\d.)\[\]]*(?=[A-Za-z`])")
_OBJECT_WINDOW = 4  # words after the verb in which its object or a link must show
# a stated change: what should be, what is missing, a wish
_CHANGE_MARKS = _word_set(
    """lack lacks lacking instead missing typo typos feature enhancement option ability"""
)
# "X should ...", "it must not ...": what should be, said of something; not "should we ...?"
_STATED_SHOULD = re.compile(
    r"[\w`'\")\]]\s+(?:should|must|shall)\s+(?!(?:we|i|you|they|he|she|it|this|that)\b)\w", _I
)
_MODAL_WORDS = frozenset({"should", "must", "shall"})
_CHANGE_PHRASES = (
    "need to", "needs to", "ought to", "would be nice", "would be good", "would be great",
    "would be useful", "would be helpful", "would be better", "it'd be", "we need", "we want",
    "we could", "no longer", "is missing", "are missing", "doesn't support", "does not support",
    "not supported", "there is no", "there's no", "no way to", "would like to have",
    "would like to see", "would like to add",
)  # fmt: skip
# a section of the body that is the change itself
_CHANGE_HEADING = re.compile(
    r"^(?:the\s+)?(?:proposed\s+)?(?:change|changes|fix|proposal|solution|suggested\s+(?:fix"
    r"|change|solution)|what\s+to\s+(?:do|change|build)|implementation|task|tasks|todo|to\s+do"
    r"|describe\s+the\s+solution|desired\s+(?:behaviou?r|outcome)|acceptance\s+criteria"
    r"|definition\s+of\s+done)\b",
    _I,
)
# sections of what the reporter's machine says: no ask is put there
_MACHINE_HEADING = re.compile(
    r"environment|system|version|logs?\b|output|traceback|screenshots?|configuration", _I
)
# sections whose sentences are a reporter's steps or output, not instructions to the agent
_REPORT_HEADING = re.compile(
    r"steps|reproduc|environment|system|version|logs?\b|output|actual|observed|traceback|error",
    _I,
)


def _token(word: str) -> str:
    return word.rstrip(",.;:!?)]'\"")


def _inflected(word: str) -> bool:
    """A word whose ending marks it as no base form: "-ing", "-ed", a third-person
    "-s", an adverb's "-ly", a possessive."""
    if len(word) <= 3:
        return False
    if word.endswith(("ing", "ly", "'s", "’s")):
        return True
    if word.endswith("ed"):
        return not word.endswith("eed")
    if word.endswith("s"):
        return not word.endswith(("ss", "us", "is", "ys"))
    return False


def _is_word(token: str) -> bool:
    return token.replace("-", "").replace("'", "").isalpha()


def is_instruction(text: str) -> bool:
    """True when `text` opens with a verb in its base form followed by what it acts on:
    "Reject expired coupons with ...", "[docs] Deprecate the `--old` flag", "cli: add
    `--since`". Told by grammar (see the module's docstring), not from a list of verbs:
    "Sitemap does not include ..." (an auxiliary follows), "Support for X" (a
    preposition follows at once) and "Checkout improvements" (nothing it acts on)
    are not instructions.
    """
    rest = text[_LEADING_TAGS.match(text).end() :]  # type: ignore[union-attr]
    words = rest[:160].split()[: _OBJECT_WINDOW + 3]
    if words and words[0].lower().rstrip(",") == "please":
        words = words[1:]
    if len(words) < 2 or words[0] != _token(words[0]) or not _is_word(words[0]):
        return False  # (a first word with punctuation attached ends its sentence or is code)
    verb = words[0].lower()
    if verb in _FUNCTION_WORDS or _inflected(verb):
        return False
    following = words[1:]
    if _token(following[0]).lower() in _PARTICLES:
        following = following[1:]
        if not following:
            return True  # "Clean up", "Set up"
    first = _token(following[0]).lower()
    if first in _AUXILIARY or first in _LINKS:
        return False  # "X does not ...", "Support for X"
    for word in following[:_OBJECT_WINDOW]:
        token = _token(word)
        lower = token.lower()
        if lower in _AUXILIARY or lower.endswith(("n't", "’t")):
            return False  # "Docker compose doesn't work", "search is slow"
        if lower in _OBJECT_STARTS or lower in _LINKS or not _is_word(token):
            return True  # an article, a preposition, code, a number, a quote
        if len(token) > 1 and not token[1:].islower():
            return True  # a name or code: "Rate-limit POST /api/...", "Remove TemplateParser"
        if token != word:
            break  # the phrase ends here ("Add events.")
    # only words: an instruction when its object is an adjective or participle before a
    # noun ("Reject expired coupons"), never a lone noun phrase ("Admin dashboard problems")
    return len(following) >= 2 and first.endswith("ed") and _inflected(first)


def _sentences(doc: Document) -> list[str]:
    """The sentences of the body's paragraphs and items, outside sections of steps and logs."""
    found: list[str] = []
    for section in doc.sections:
        if section.level > 0 and _REPORT_HEADING.search(section.heading):
            continue
        for text in section.paragraphs + section.items:
            found.extend(text[m.end() :] for m in _SENTENCE_START.finditer(text))
    return found


def states_change(doc: Document) -> bool:
    """A section of the body is the change itself: "## Change", "## Proposal", "## Fix",
    "## Acceptance criteria" ... with something in it."""
    return any(
        s.level > 0 and not s.is_empty and _CHANGE_HEADING.match(s.heading) for s in doc.sections
    )


def asks_for_change(doc: Document, instruction: bool | None = None) -> bool:
    """The title or the body asks for a change (whatever the title's grammar).

    `instruction`: whether the title is an instruction, when the caller knows."""
    if instruction if instruction is not None else is_instruction(doc.title):
        return True
    if doc.vocabulary & _CHANGE_MARKS:
        return True
    if doc.vocabulary & _MODAL_WORDS and (
        _STATED_SHOULD.search(doc.title) or _STATED_SHOULD.search(doc.prose)
    ):
        return True
    if states_change(doc):
        return True
    lower = " ".join(f"{doc.title.lower()}\n{doc.prose_lower}".split())
    if any(map(lower.__contains__, _CHANGE_PHRASES)):
        return True
    return any(is_instruction(sentence) for sentence in _sentences(doc))


# --- the measure ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Intent:
    """How far a ticket falls short of asking for a change: the strength (0..1) of each
    shortfall, and where a question was asked. Clarity turns the strengths into points
    (`Policy.finding_points`); size reads `names_no_change` for its message."""

    question: float = 0.0
    question_where: str = ""
    closing_question: bool = False  # the last sentences ask a question: where a report's ask is
    support: float = 0.0
    discussion: float = 0.0
    no_change: bool = False
    instruction: bool = False  # the title or the opening lines are an instruction

    @property
    def names_no_change(self) -> bool:
        """Nothing in it names a change whose work could be estimated."""
        return self.no_change or self.question >= 1.0 or self.support >= 1.0

    @property
    def kind(self) -> str:
        """What the ticket reads as instead of a change, for messages."""
        largest = max(
            (max(self.question, 0.6 if self.closing_question else 0.0), "a question"),
            (self.support, "a request for help with one setup"),
            (self.discussion, "a discussion"),
            (1.0 if self.no_change else 0.0, "a report that names no change"),
        )
        return largest[1]


_LAST_INTENT: tuple[Document | None, Intent] = (None, Intent())


def intent(doc: Document) -> Intent:
    """The intent of a parsed ticket (pure; the last result is kept, by identity, since
    size and clarity both read it for the same document)."""
    global _LAST_INTENT
    last_doc, last = _LAST_INTENT
    if last_doc is doc:
        return last
    result = _measure(doc)
    _LAST_INTENT = (doc, result)
    return result


def opening(doc: Document) -> str:
    """The opening lines: the first paragraphs and items before any heading, else the start."""
    preamble = doc.sections[0].text if doc.sections else ""
    return (preamble or doc.prose)[:OPENING_CHARS]


def _closing(doc: Document) -> str:
    """The last sentences of prose, sign-offs ("Thanks in advance!", "Regards, Ana") left
    out, and sections of system information, versions and logs skipped: where a report
    puts its ask."""
    for section in reversed(doc.sections):
        if section.level > 0 and _MACHINE_HEADING.search(section.heading):
            continue
        for text in reversed(section.paragraphs + section.items):
            sentences = _SENTENCE_END.split(text[-CLOSING_CHARS:].strip())
            while sentences and (
                _SIGN_OFF.match(sentences[-1]) or len(sentences[-1].split()) < _MIN_CLOSING_WORDS
            ):
                sentences.pop()
            if sentences:
                return " ".join(sentences[-2:])
    return ""


def _question(doc: Document, start: str) -> tuple[float, str, bool]:
    """The strength of the question the title or the opening lines ask, where, and
    whether the closing lines ask one."""
    kind = doc.text_kind
    phrases = not doc.vocabulary.isdisjoint(_QUESTION_WORDS)
    closing = False
    if phrases or "?" in doc.prose:
        end = _closing(doc)
        closing = bool(
            end and (end.rstrip().endswith("?") or (phrases and _QUESTION_PHRASE.search(end, kind)))
        )
    title = doc.title
    if _QUESTION_TITLE.search(title) or title.rstrip().endswith("?"):
        return 1.0, "The title asks", closing
    in_opening = _QUESTION_PHRASE.count(start, kind) if phrases else 0
    if not in_opening:
        return 0.0, "", closing
    return min(1.0, OPENING_QUESTION * in_opening), "The opening lines ask", closing


def _support_signals(doc: Document) -> int:
    words = doc.vocabulary
    signals = doc.prose_count(_SUPPORT_PHRASE) if words & _SUPPORT_WORDS else 0
    signals += 1 if _GREETING.search(doc.prose) else 0
    if words & _FIRST_PERSON_WORDS and doc.word_count:
        first_person = sum(map(doc.lower_words.count, doc.prose_vocabulary & _FIRST_PERSON_WORDS))
        share = first_person / doc.word_count
        if first_person >= 3 and share >= 0.04:
            signals += 1 + int(share >= 0.07)
    environment = doc.prose_count(_ENVIRONMENT) if words & _ENVIRONMENT_WORDS else 0
    signals += min(2, environment // ENVIRONMENT_MENTIONS)
    body = doc.body
    code = ""
    if any(map(body.__contains__, _HOME_MARKS)):  # (in the prose or the code, not in comments)
        code = "\n".join(block.content for block in doc.code_blocks)
        signals += 1 if _HOME_PATH.search(doc.prose) or _HOME_PATH.search(code) else 0
    if doc.code_blocks and any(map(body.__contains__, _BUILD_LOG_MARKS)):
        code = code or "\n".join(block.content for block in doc.code_blocks)
        signals += 1 if _BUILD_LOG.search(code) else 0
    return signals


def _measure(doc: Document) -> Intent:
    start = opening(doc)
    question, where, closing = _question(doc, start)
    # a ticket that sets out the change the project needs is no request for help with one
    # setup, whatever its tone ("Hi! I shop here a lot ... ## Proposal ...")
    support = 0.0 if states_change(doc) else min(1.0, _support_signals(doc) / _SUPPORT_SIGNALS_FULL)
    discussion = 0.0
    if doc.vocabulary & _DISCUSSION_WORDS:
        kind = doc.text_kind
        # (a heading "Proposal" names the section that holds the change: no discussion)
        signals = (
            2 * _DISCUSSION.count(doc.title, kind)
            + doc.prose_count(_DISCUSSION)
            - sum(_DISCUSSION.count(heading, kind) for heading in doc.headings)
        )
        discussion = min(1.0, signals / _DISCUSSION_SIGNALS_FULL)
    title_instruction = is_instruction(doc.title)
    # (the opening may begin with a template's heading, "Describe the bug": it counts for
    # `instruction`, as the old opening-line rule did, but not as a change asked for)
    instruction = title_instruction or is_instruction(start.lstrip())
    return Intent(
        question=question,
        question_where=where,
        closing_question=closing,
        support=support,
        discussion=discussion,
        no_change=not asks_for_change(doc, title_instruction),
        instruction=instruction,
    )
