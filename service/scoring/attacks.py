"""The classes of attack on a coding agent that the safety dimension looks for.

A ticket's text becomes an agent's instructions. An attack on the agent falls
into one of a few classes, whatever its wording or language:

- `addressed-to-agent`: text that speaks to the agent or poses as its
  instructions ("note to the assistant:", "@copilot also ...", "SYSTEM: you
  must", `<system>`, `[INST]`, "your real task", "the rules file you were given
  is outdated", role-play set-ups);
- `instruction-override`: the classic "ignore previous instructions", in
  English, German, Spanish, French, Portuguese, Italian, Russian, Chinese and
  Japanese;
- `concealment`: asks the agent to hide what it does ("don't mention it in the
  PR", "quietly add", "without telling the reviewers");
- `fetch-and-run`: downloads code and runs it, installs from a package index or
  registry of its own, or decodes an encoded blob and runs it;
- `secret-exfiltration`: sends, prints, logs or commits secrets, tokens, keys,
  the environment or credentials files;
- `security-weakening`: disables authentication, CSRF or permission checks,
  adds users or keys, or changes CI workflows to use secrets.

Each class is a set of regular expressions over normalised text (see
`service.scoring.safety`), gated by cheap substring hints so that most tickets
never run them. A match preceded in its sentence by words that make it a
mention rather than an order ("never log the token", "replace the `curl | sh`
line", "a test that strips 'ignore previous instructions'") is not an attack:
each class says which of those words it accepts as such a guard.

These are patterns, matched and never followed. A determined attacker can still
write an instruction that reads like a requirement; the README says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from service.scoring.patterns import Pattern, ascii_spaces, text_kind

_I = re.IGNORECASE
_SPAN_LIMIT = 100  # characters of a match quoted in a finding

# --- words shared by several classes -------------------------------------------------

_AGENT_NAMES = (
    r"claude(?:[ -]code)?|copilot|github[ -]copilot|codex|devin|junie|windsurf|cascade|gemini"
    r"|chat-?gpt|gpt-?\d*|openai|aider|cline|roo|cody|tabnine|codeium|sweep|coderabbit(?:ai)?"
)
_MACHINE = (
    r"(?:ai|llm|a\.i\.)(?:\s+(?:coding\s+)?(?:agent|assistant|model|bot|tool))?"
    r"|(?:coding|code|autonomous|software|automated|ai)\s+(?:agent|assistant|bot)"
    r"|agent|assistant|language\s+model|model|bot|copilot|automation"
)
# an imperative or second-person word, the way an order to the agent goes on
_ORDER_WORDS = (
    r"please|you|your|you're|also|make\s+sure|remember|always|never|do|don't|before|after"
    r"|first|now|from\s+now|ignore|disregard|forget|run|add|delete|remove|commit|push|print"
    r"|send|post|install|execute|create|disable|open|change|modify|write|include|insert"
    r"|replace|skip|use|upload|copy|grant|merge|exfiltrate|drop"
)
_CREDENTIAL_WORDS = (
    r"(?:api[\s_-]?|access[\s_-]?|auth[\s_-]?|bearer[\s_-]?|session[\s_-]?|deploy[\s_-]?"
    r"|private[\s_-]?|secret[\s_-]?|ssh[\s_-]?|npm[\s_-]?|pypi[\s_-]?|github[\s_-]?|aws[\s_-]?)?"
    r"(?:tokens?|secrets?|credentials?|passwords?|passwd|keys?|cookies?)"
    r"|env(?:ironment)?\s+(?:variables?|vars?)|environment"
)
# a named secret or a file that holds them: what is sensitive by itself
_SENSITIVE_SOURCE = (
    r"\$\{\{\s*secrets\.\w+\s*\}\}"
    r"|\bsecrets\.[A-Z][A-Z0-9_]+\b"
    # (a token in an Authorization header authenticates a request: it is not sent anywhere)
    r"|(?<!bearer )(?<!Bearer )(?<!token )(?<!Token )(?<!Basic )"
    r"\$\{?[A-Za-z0-9_]*(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY"
    r"|CREDENTIALS?|_DSN|DATABASE_URL|DB_URL)[A-Za-z0-9_]*\}?"
    r"|(?<!bearer \$)(?<!Bearer \$)(?<!token \$)(?<!Token \$)(?<!Basic \$)"
    r"\b[A-Z][A-Z0-9]*_(?:[A-Z0-9]+_)*(?:TOKEN|SECRET|SECRET_KEY|PASSWORD|API_KEY|ACCESS_KEY"
    r"|PRIVATE_KEY|CREDENTIALS)\b"
    r"|\b(?:DATABASE|DB|POSTGRES|MYSQL|REDIS|MONGO(?:DB)?|AMQP|BROKER)_(?:URL|URI|DSN)\b"
    r"|~/\.ssh\b|\.ssh/id_\w+|\bid_(?:rsa|ed25519|ecdsa|dsa)\b|~/\.aws\b|\.aws/credentials"
    r"|\.netrc\b|\.npmrc\b|\.pypirc\b|\.git-credentials\b|\.docker/config\.json|\.kube/config"
    r"|/etc/shadow\b|/etc/passwd\b|\bprintenv\b|`env`|\$\(\s*env\s*\)|\benv\s*\||\bos\.environ\b"
    r"|\bprocess\.env\b(?!\.\w)|\bgpg\s+(?:-\w+\s+)*--export-secret(?:-sub)?-keys\b"
    r"|\b(?:aws\s+configure\s+get|gh\s+auth\s+token|kubectl\s+get\s+secrets?|vault\s+read)\b"
)
_NETWORK_TOOL = r"\b(?:curl|wget|nc|ncat|netcat|scp|rsync|sftp|ftp|invoke-webrequest|iwr|telnet)\b"
_DESTINATION = (
    r"\b(?:to|into|in|on|at|via)\s+(?:<?https?://|ftp://|[\w.+-]+@[\w-]+\.[\w.]+"
    r"|(?:the|a|an|this|my|our|your|every|each)\s+(?:new\s+|public\s+)?(?:pr\b|pull\s+request|comment"
    r"|issue|description|log|logs|commit|chat|channel|webhook|gist|pastebin|paste|bucket|server"
    r"|endpoint|email|url|host|discussion|release|readme|wiki|summary)\b)"
)

# words before a match, in its sentence, that make it a mention rather than an order
_NEGATED = (
    r"never|no|avoid\w*|stop\w*|no\s+longer|instead\s+of|rather\s+than|prevent\w*|without"
    r"|(?:do\s+not|don't|dont|does\s+not|doesn't|must\s+not|mustn't|should\s+not|shouldn't"
    r"|cannot|can't|won't|not)\s+(?:\w+\s+){0,2}?"
)
_DISCUSSED = (
    r"test\w*\s+that|tests?\s+(?:for|with|where)|detect\w*|reject\w*|refus\w*"
    r"|warn\w*|strip\w*|sanitiz\w*|sanitis\w*|escap\w*|filter\w*|example|e\.g\.|such\s+as"
    r"|phrases?|strings?\s+like|patterns?|payloads?|injections?|treat\w*\s+as|quot\w*"
    r"|document\w*|explain\w*|describe\w*|how\s+to|whether"
)
_REPLACED = r"replac\w*|remov\w*|drop\w*|deprecat\w*|get\s+rid\s+of|ban\w*|forbid\w*|disallow\w*"
_REDACTED = r"redact\w*|mask\w*|scrub\w*|obfuscat\w*|hid(?:e|es|ing)\b|leak\w*|expos\w*"


_WORD = re.compile(r"[^\W_]+")


# ASCII text with every character but letters and digits made a space: str.split()
# then finds what _WORD does
_ASCII_WORD_SPACES = ascii_spaces(str.isalnum)
_START = 4  # a gate knows a word by its first _START letters (see _Gate)


@dataclass(frozen=True, slots=True)
class Reading:
    """A normalised text as the gates read it: as written, in lower case, its words
    (maximal runs of letters and digits, in lower case), how they start, and which
    of the hints that gates search for it holds."""

    text: str
    lower: str
    kind: int  # `patterns.text_kind(text)`: which twin of a Pattern reads it fastest
    words: frozenset[str]
    starts: frozenset[str]  # the first _START letters of every word that long
    found: frozenset[str]  # the searched hints (see _Gate) in the lower-case text

    @classmethod
    def of(cls, text: str) -> Reading:
        lower = text.lower()
        if lower.isascii():  # (str.split is much faster than the regular expression)
            words = frozenset(lower.translate(_ASCII_WORD_SPACES).split())
        else:
            words = frozenset(_WORD.findall(lower))
        found = [hint for hint in _SEARCHED if hint in lower]
        if not lower.isascii():
            found += [hint for hint in _SEARCHED_OTHER if hint in lower]
        return cls(
            text,
            lower,
            text_kind(text),
            words,
            frozenset({word[:_START] for word in words}),
            frozenset(found),
        )


@dataclass(frozen=True, slots=True)
class _Gate:
    """What every match of a rule holds: one hint of each group. Checking a gate is
    a few set operations, far cheaper than running the rule, and most texts fail.

    A hint is written `^word` (a whole word), `*text` (anywhere in the text), or
    as the start of a word (`ignor`: a word that starts as it does, known by its
    first _START letters). Hints shorter than that, and hints of other characters
    than ASCII letters and digits (`n't`, `.ssh`, Cyrillic), are searched for in
    the text, as `*text` is."""

    groups: tuple[tuple[frozenset[str], frozenset[str], frozenset[str]], ...]
    # (whole words, word starts, searched)

    @classmethod
    def parse(cls, spec: str) -> _Gate:
        groups = []
        for group in spec.split(" / "):
            whole, starts, searched = set(), set(), set()
            for hint in group.split():
                if hint.startswith("^"):
                    whole.add(hint[1:])
                elif hint.startswith("*"):
                    searched.add(hint[1:])
                elif len(hint) >= _START and hint.isascii() and _WORD.fullmatch(hint):
                    starts.add(hint[:_START])
                else:
                    searched.add(hint)
            _ALL_SEARCHED.update(searched)
            groups.append((frozenset(whole), frozenset(starts), frozenset(searched)))
        return cls(tuple(groups))

    def opens(self, reading: Reading) -> bool:
        words, starts, found = reading.words, reading.starts, reading.found
        for whole, start, searched in self.groups:
            if words.isdisjoint(whole) and starts.isdisjoint(start) and found.isdisjoint(searched):
                return False
        return True


_ALL_SEARCHED: set[str] = set()  # every searched hint of a gate (filled as gates are made)


@dataclass(frozen=True, slots=True)
class _Rule:
    gate: _Gate
    pattern: Pattern


def _rule(gate: str, pattern: str) -> _Rule:
    return _Rule(_Gate.parse(gate), Pattern(pattern, _I))


class _Finder(Protocol):
    def finditer(self, reading: Reading, /) -> Iterator[re.Match[str]]: ...


class _Rules:
    """A class's rules: each runs only on a text its gate opens for.

    The rules are indexed by the hints of their gates' first groups, so that a
    text is matched against the hints it holds (a few set intersections) rather
    than every gate in turn; the other groups of the rules found are checked then.
    """

    def __init__(self, rules: tuple[_Rule, ...]) -> None:
        self.rules = rules
        self._index: tuple[dict[str, list[int]], ...] = ({}, {}, {})  # whole, starts, searched
        for number, rule in enumerate(rules):
            for kind, hints in enumerate(rule.gate.groups[0]):
                for hint in hints:
                    self._index[kind].setdefault(hint, []).append(number)
        self._keys = tuple(frozenset(index) for index in self._index)

    def finditer(self, reading: Reading) -> Iterator[re.Match[str]]:
        held = (reading.words, reading.starts, reading.found)
        numbers: set[int] = set()
        for kind, keys in enumerate(self._keys):
            for key in keys.intersection(held[kind]):
                numbers.update(self._index[kind][key])
        for number in sorted(numbers):
            rule = self.rules[number]
            if len(rule.gate.groups) == 1 or rule.gate.opens(reading):
                yield from rule.pattern.finditer(reading.text, reading.kind, reading.lower)


def _rules(*rules: _Rule) -> _Rules:
    return _Rules(rules)


@dataclass(frozen=True, slots=True)
class AttackClass:
    """One class of attack: its code and wording, and what finds it."""

    code: str
    name: str  # what a finding calls it, after "Text in the description ..."
    pattern: _Finder
    guard: re.Pattern[str] | None  # searched in the sentence before a match
    points: int
    after: re.Pattern[str] | None = None  # searched in the 100 characters after a match

    def matches(self, reading: Reading) -> Iterator[re.Match[str]]:
        """Matches in a normalised text that the guards do not excuse."""
        text = reading.text
        for match in self.pattern.finditer(reading):
            if self.guard is not None and self.guard.search(_sentence_before(text, match.start())):
                continue
            if self.after is not None and self.after.search(text, match.end(), match.end() + 100):
                continue
            yield match


def _sentence_before(text: str, start: int) -> str:
    """At most 80 characters before `start`, from the start of its sentence or line."""
    window = text[max(0, start - 80) : start]
    cut = max(window.rfind(mark) for mark in (". ", "! ", "? ", "\n", "。", ": "))
    return window[cut + 1 :] if cut >= 0 else window


def quote(text: str, match: re.Match[str]) -> str:
    """The span of `text` that `match` found (on `text` or its lower case), on to
    the end of its sentence, as one line of at most _SPAN_LIMIT characters
    (escaped by whatever prints it)."""
    end = match.end()
    rest = text[end : match.start() + _SPAN_LIMIT]
    stops = [i for i in (rest.find(mark) for mark in _SENTENCE_ENDS) if i >= 0]
    return quote_text(text[match.start() : end + (min(stops) + 1 if stops else len(rest))])


def quote_text(text: str) -> str:
    """`text` as one line of at most _SPAN_LIMIT characters."""
    span = " ".join(text.split())
    return span if len(span) <= _SPAN_LIMIT else span[: _SPAN_LIMIT - 1] + "…"


def _guard(*alternatives: str) -> re.Pattern[str]:
    """Any of `alternatives` as a word of prose (not part of a name, a path or a URL)."""
    return re.compile(
        r"(?:^|(?<=[\s(\[\"'`*_]))(?:" + "|".join(alternatives) + r")(?=[\s,;:)\]\"'`*_]|$)", _I
    )


# --- addressed to the agent, or posing as its instructions ---------------------------

_ADDRESSED = _rules(
    _rule(
        "^ai ^ais ^llm ^llms a.i agent assistant model ^bot ^bots copilot automation claude codex "
        "devin junie windsurf cascade gemini gpt openai aider cline ^roo cody tabnine codeium "
        "sweep coderabbit",
        r"\b(?:notes?|messages?|instructions?|reminders?|attention|hints?|n\.?\s?b\.?|p\.?\s?s\.?"
        r"|memo|directives?|important|psa|heads[\s-]up)\s*(?:to|for)\s+(?:the\s+|any\s+|all\s+|our\s+"
        r"|every\s+|whichever\s+|an?\s+)?(?:" + _MACHINE + "|" + _AGENT_NAMES + r")s?\b"
        r"(?:\s*(?:\([^)\n]{0,40}\)))?\s*(?:[:,;\-—–]|\b(?:please|you|if\s+you|when\s+you)\b)",
    ),
    _rule(
        "@ / claude copilot codex devin junie windsurf cascade gemini gpt openai aider cline ^roo "
        "cody tabnine codeium sweep coderabbit",
        r"@(?:" + _AGENT_NAMES + r")(?![\w-])[^\n]{0,60}?\b(?:also|additionally|as\s+well|before"
        r"|after|when\s+you|while\s+you|once\s+you|instead|don't|do\s+not|never|make\s+sure"
        r"|remember|ignore|disregard|keep|quietly|first|cuando|también|además|antes|después"
        r"|quand|aussi|également|wenn|auch|außerdem|quando|anche|inoltre|também|когда|также"
        r"|тоже)\b|@(?:"
        + _AGENT_NAMES
        + r")(?![\w-])[^\n]{0,40}?(?:顺便|也|请|ついでに|も|終わったら)",
    ),
    _rule(
        "^ai ^ais ^llm ^llms a.i agent assistant model ^bot ^bots copilot automation claude codex "
        "devin junie windsurf cascade gemini gpt openai aider cline ^roo cody tabnine codeium "
        "sweep coderabbit",
        r"(?:^|(?<=[.!?:;(\[>\n]))\s*(?:hey|hi|hello|dear|ok(?:ay)?|attention|psst|yo)?\s*,?\s*"
        r"(?:the\s+|an?\s+)?(?:" + _AGENT_NAMES + "|" + _MACHINE + r")s?\s*[:,\-—–]\s*"
        r"(?:\w+\s+){0,2}?(?:" + _ORDER_WORDS + r")\b",
    ),
    _rule(
        "system developer admin root operator",
        r"(?<![\w`])(?:system|developer|admin|root|operator)(?:\s+(?:prompt|message|note|override"
        r"|instructions?|notice))?\s*(?:\*\*)?\s*[:>]\s*(?:\*\*)?\s*(?=[^\n]{0,40}\b(?:you|your|must"
        r"|always|never|ignore|disregard|forget|do\s+not|don't|from\s+now|new\s+instructions?"
        r"|override|the\s+(?:agent|assistant|model))\b)",
    ),
    _rule(
        "< / *sys instruction im_start im_end assistant developer prompt",
        r"(?<!`)<\s*/?\s*(?:system|sys|system[_-]prompt|instructions?|im_start|im_end|assistant"
        r"|developer|prompt)\s*>(?!`)",
    ),
    _rule(
        "inst] ^sys <|",
        r"\[/?INST\]|<<\s*/?SYS\s*>>|<\|(?:im_start|im_end|system|user|assistant|endoftext)\|>",
    ),
    _rule(
        "^system ^instruction ^instructions ^directive ^directives ^orders ^prompt",
        r"(?:^|(?<=\n))[ \t]*(?:#{1,6}[ \t]*|\*\*)(?:new|updated|real|hidden|secret|important"
        r"|additional|agent|ai|assistant|system)?[ \t]*"
        r"(?:system|instructions?|directives?|orders|prompt)"
        r"(?:[ \t]+(?:for|to)[ \t]+(?:the[ \t]+)?(?:"
        + _MACHINE
        + r"))?[ \t]*(?:\*\*)?[ \t]*:?[ \t]*(?=\n|$)"
        r"(?=[\s\S]{0,300}?\b(?:you\s+(?:must|should|will|are|need)|your\b|ignore|disregard"
        r"|from\s+now\s+on|do\s+not|don't)\b)",
    ),
    _rule(
        "^instruction ^instructions ^directive ^directives ^orders ^prompt ^rules ^task",
        r"(?:^|(?<=\n))[ \t]*(?:#{1,6}[ \t]*|\*\*)(?:new|updated|real|hidden|secret|revised|actual"
        r"|true|override)[ \t]+(?:system[ \t]+)?(?:instructions?|directives?|orders|prompt|rules"
        r"|task)\b",
    ),
    _rule(
        "rule instruction guideline prompt context constraint agents.md claude.md brief orders / "
        "outdated obsolete superseded deprecated revoked void invalid cancel replaced wrong "
        "incorrect fake lifted suspended longer apply",
        r"\b(?:(?:the\s+)?(?:rules?(?:\s+file)?|instructions?|guidelines?|prompt|context|constraints?"
        r"|agents\.md|claude\.md|brief)\s+(?:above|below|earlier|before\s+this|you\s+(?:were|have\s+been)"
        r"\s+(?:given|told|provided)|you\s+(?:have|got|received|follow|read)|given\s+to\s+you"
        r"|in\s+your\s+\w+)|your\s+(?:rules?(?:\s+file)?|instructions?|guidelines?|system\s+prompt"
        r"|prompt|constraints?|orders|brief))\b(?:[^.\n]|\.(?=\S)){0,40}?\b(?:(?:is|are|were|was|have\s+been"
        r"|has\s+been)\s+(?:now\s+|all\s+|hereby\s+)?(?:outdated|obsolete|superseded|deprecated"
        r"|revoked|void|invalid|cancell?ed|replaced|wrong|incorrect|fake|lifted|suspended"
        r"|no\s+longer\s+(?:valid|applicable|relevant|in\s+effect|in\s+force))|no\s+longer\s+appl"
        r"|(?:do|does)\s+not\s+apply|(?:don't|doesn't)\s+apply)",
    ),
    _rule(
        "^your / task ^job ^jobs goal objective mission instruction purpose assignment orders",
        r"\byour\s+(?:real|actual|true|new|only|primary|secret|hidden|updated)\s+(?:task|job|goal"
        r"|objective|mission|instructions?|purpose|assignment|orders)\b",
    ),
    _rule(
        "above before / test decoy fake distraction placeholder cover herring",
        r"\bthe\s+(?:ticket|issue|task|text|request|description|content)\s+(?:above|before\s+this)"
        r"\s+(?:is|was)\s+(?:a\s+|just\s+a\s+|only\s+a\s+|merely\s+a\s+)?(?:test|decoy|fake"
        r"|distraction|placeholder|cover|red\s+herring)\b",
    ),
    _rule(
        "^now / ^you",
        r"\byou\s+are\s+now\s+(?:in\s+|an?\s+|the\s+|my\s+)?(?:no\s+longer|free|unrestricted|dan"
        r"|developer|admin|root|jailbroken|god|evil|unfiltered|uncensored|the\s+(?:repo|repository"
        r"|project)\s+owner|a\s+different|in\s+charge)",
    ),
    _rule(
        "pretend imagine ^act role ^now mode ^your",
        r"\b(?:pretend|imagine)\s+(?:to\s+be|you\s+are|you're|that\s+you\s+are)\b"
        r"|\bact\s+as\s+(?:if\s+you|an?\s+(?:unrestricted|different|new|evil|admin|root|jailbroken)"
        r"|the\s+(?:repo(?:sitory)?\s+|project\s+)?(?:owner|admin|maintainer|root))"
        r"|\brole-?\s?play\s+as\b|\bfrom\s+now\s+on,?\s+(?:you|your|always|never|ignore|act)\b"
        r"|\b(?:dan|jailbreak(?:ed)?|god)\s+mode\b"
        r"|\b(?:reveal|print|output|leak|repeat|dump)\s+(?:me\s+)?your\s+(?:system\s+)?(?:prompt"
        r"|instructions|rules)\b",
    ),
    _rule(
        "hinweis nachricht anweisung notiz achtung attention nota mensaje aviso instrucci atenci "
        "recado note "
        "message consigne remarque примечание сообщение заметка внимание указание 给 致 对 "
        "エージェント "
        "アシスタント",
        r"(?:hinweis|nachricht|anweisung|notiz|achtung)\s+(?:an|für)\s+(?:den\s+|die\s+|das\s+)?"
        r"(?:ki|ai)(?:[\s-]?(?:agent\w*|assistent\w*|modell))?\b"
        r"|\b(?:nota|mensaje|aviso|instrucción|atención|recado)\s+(?:para|al?|per|à|pour)\s+"
        r"(?:el\s+|la\s+|o\s+|l'|il\s+|lo\s+)?(?:agente|asistente|assistente|assistant|agent|modelo"
        r"|modello|ia|ki)\b"
        r"|\b(?:note|message|consigne|remarque|à\s+l'attention)\s+(?:à|a|pour|de|du)\s+(?:l'|la\s+"
        r"|le\s+)?(?:agent|assistant|ia|ai|modèle)\b"
        r"|(?:примечание|сообщение|заметка|внимание|указание)\s+(?:для|к)\s+(?:ии|ai|агент\w*"
        r"|ассистент\w*|модел\w*|нейросет\w*)"
        r"|(?:给|致|对)[^。\n]{0,15}?(?:ai|人工智能|智能)\s?\S{0,4}?(?:助手|代理|智能体|模型)\S{0,6}?[:：,，]"
        r"|(?:ai|エーアイ)?(?:エージェント|アシスタント)(?:へ|に)(?:の)?(?:注意|指示|メモ|お願い)?[:：、]",
    ),
    _rule(
        "^you / agent assistant ^bot model",
        r"\byou,?\s+the\s+(?:ai\s+|coding\s+|implementing\s+|autonomous\s+)?(?:assistant|agent|bot"
        r"|model)\b",
    ),
    _rule(
        "implement assign respons which whatever ^any ^each / agent assistant ^bot ^bots model ^ai",
        r"\b(?:the|whichever|any|whatever|each)\s+(?:implementing|assigned|responsible)\s+(?:ai\s+"
        r"|coding\s+)?(?:agent|assistant|bot|model|ai)\b|\b(?:whichever|whatever|any)\s+(?:ai\s+"
        r"|coding\s+)?(?:agent|assistant|bot|model|ai)\s+(?:that\s+|who\s+)?(?:implements|picks\s+up"
        r"|works\s+on|handles|takes|reads)\b",
    ),
    _rule(
        "prompt repl",
        r"\bas\s+(?:its|your|the\s+agent's)\s+(?:new\s+)?system\s+prompt\b|\breplac\w*\s+(?:whatever"
        r"|the|any|all|its|your)\s+(?:rules|instructions|guidelines|prompt|system\s+prompt)\s+(?:it"
        r"|you)\s+(?:was|were|has\s+been|have\s+been|had\s+been)\s+given",
    ),
    _rule(
        "agents.md claude.md rule instr guid prompt / susp void outd obso opti lift canc appl long",
        r"\b(?:agents\.md|claude\.md|rules?(?:\s+file)?|instructions|guidelines|system\s+prompt)\b"
        r"(?:[^.\n]|\.(?=\S)){0,30}?\bas\s+(?:suspended|void|outdated|obsolete|optional|lifted"
        r"|cancell?ed|not\s+appl\w+|no\s+longer\s+\w+)",
    ),
    _rule(
        "role guardrail",
        r"\brole-?\s?play\b(?:[^.\n]|\.(?=\S)){0,60}?[.:!]?\s*\byou\s+are\b"
        r"|\b(?:no|without\s+(?:any\s+)?)guardrails\b",
    ),
    _rule(
        "^as / authori approv allow permit instruct ^order",
        r"\bas\s+(?:the\s+|a\s+|your\s+)?(?:repo(?:sitory)?\s+owner|owner|maintainer|admin(?:istrator)?"
        r"|security\s+lead|tech\s+lead|lead|cto|ceo|manager)\b,?\s+i\s+(?:hereby\s+)?(?:(?:authori[sz]e"
        r"|allow|permit|instruct|order)\s+you\b|approve\s+(?:of\s+)?(?:drop|remov|disabl|skip|push"
        r"|merg|bypass|delet)\w*)",
    ),
    _rule(
        "note message instruction remind hint memo directive / implement assign respons read work",
        r"\b(?:notes?|messages?|instructions?|reminders?|hints?|memo|directives?)\s*(?:to|for)\s+"
        r"(?:the\s+|any\s+|whichever\s+)?(?:implementing|assigned|responsible|reading|working)\s+(?:ai\s+"
        r"|coding\s+)?(?:agent|assistant|bot|model|ai)s?\b",
    ),
    _rule(
        "aan dla agenta asystent asistan yapay ajan 에이전트 어시스턴트 인공지능 асистент агент",
        r"\baan\s+de\s+(?:ai|ki)[-\s]?(?:assistent|agent)\w*|\b(?:dla|do)\s+(?:asystenta|agenta)"
        r"(?:\s+(?:ai|si))?\b|\b(?:yapay\s+zek[aâ]|ai)\s+(?:asistan|ajan)\w*"
        r"|(?:ai|인공지능)\s?(?:에이전트|어시스턴트|비서)(?:에게|께|한테)"
        r"|(?:для|до)\s+(?:ші|ai)[-\s]?(?:агента|асистента)",
    ),
    _rule(
        "system developer admin operator システム 開発者 系统 开发者 systemnachricht entwickler"
        " sistema système системное",
        r"[\[【]\s*(?:system|developer|admin|operator)\s*(?:message|note|prompt|instructions?|notice)"
        r"\s*[\]】]|【\s*(?:システム|開発者)\S{0,6}】|(?:系统|开发者)(?:消息|提示|指令)[:：】\]]"
        r"|\b(?:systemnachricht|entwickler(?:nachricht|hinweis)|mensaje\s+del\s+sistema"
        r"|message\s+(?:du\s+)?système|messaggio\s+di\s+sistema|mensagem\s+do\s+sistema"
        r"|системное\s+сообщение)\b",
    ),
    _rule(
        "agents.md claude.md .cursorrules copilot-instructions ^rules guideline prompt / appl",
        r"(?:agents\.md|claude\.md|\.cursorrules|copilot-instructions\.md|rules\s+file|guidelines"
        r"|system\s+prompt)\b(?:[^.\n]|\.(?=\S)){0,40}?\b(?:do(?:es)?\s+not|don't|doesn't|no\s+longer)"
        r"\s+appl",
    ),
    _rule(
        "regole istruzioni reglas instrucciones règles consignes regeln anweisungen правила"
        " инструкции instruções regras 规则 指令 指示 ルール",
        r"(?:regole|istruzioni|reglas|instrucciones|règles|consignes|regeln|anweisungen|правила"
        r"|инструкции|instruções|regras|规则|指令|指示|ルール)[^.。\n]{0,40}?(?:sostituit\w*"
        r"|non\s+valgono|annullat\w*|reemplazad\w*|ya\s+no\s+(?:aplican|valen|son\s+válidas)"
        r"|anulad\w*|remplacée?s|ne\s+s'appliquent\s+plus|annulée?s|ersetzt|gelten\s+nicht\s+mehr"
        r"|ungültig|aufgehoben|отменен\w*|недействительн\w*|не\s+действуют|substituíd\w*"
        r"|não\s+valem|无效|作废|失效|無効|廃止)",
    ),
)
ADDRESSED = AttackClass(
    code="addressed-to-agent",
    name="addresses the agent or poses as its instructions",
    pattern=_ADDRESSED,
    guard=_guard(_DISCUSSED),
    points=100,
)  # fmt: skip

# --- the classic override, in nine languages ------------------------------------------


@dataclass(frozen=True, slots=True)
class _Language:
    name: str
    verbs: str  # ignore, forget, disregard ...
    nouns: str  # instructions, rules ...
    qualifiers: str  # previous, above, all, your ... (one must be near)
    gate: str  # what every verb holds (see _Gate)
    spaced: bool = True  # words are separated by spaces (not Chinese or Japanese)


_LANGUAGES = (
    _Language(
        "English",
        r"ignor(?:e|ing)|disregard(?:ing)?|forget(?:ting)?|discard|neglect|override|bypass"
        r"|pay\s+no\s+attention\s+to|(?:do\s+not|don't|stop)\s+(?:follow(?:ing)?|obey(?:ing)?)"
        r"|throw\s+out|set\s+aside|abandon|scrap",
        r"instructions?|prompts?|rules?(?:\s+file)?|directions|guidelines|guidance|context"
        r"|messages?|constraints|directives|commands|orders|policies|restrictions|briefs?"
        r"|everything|all\s+(?:of\s+)?(?:the\s+)?above|the\s+above|what\s+you\s+were\s+told"
        r"|(?:agents|claude)\.md|system\s+prompt|training|safety\s+guidelines",
        r"previous(?:ly)?|prior|above|earlier|preceding|former|original|foregoing|initial|all"
        r"|any|every|your|system|given|provided|before|existing\s+instructions|so\s+far"
        r"|you\s+(?:were|have\s+been)\s+(?:given|told)|everything",
        "^ignore ^ignoring ^disregard ^disregarding ^forget ^forgetting ^discard ^neglect "
        "^override ^bypass ^attention ^follow ^following ^obey ^obeying ^throw ^aside ^abandon "
        "^scrap",
    ),
    _Language(
        "German",
        r"ignorier\w*|vergiss|vergessen|missacht\w*|übergeh\w*|verwirf|überspring\w*"
        r"|(?:befolge|beachte)\s+(?:nicht|keine)|setze\s+\w+\s+außer\s+kraft",
        r"anweisung\w*|regel\w*|instruktion\w*|vorgaben|befehl\w*|richtlinie\w*|hinweis\w*"
        r"|vorschrift\w*|alles|systemprompt\w*|prompt\w*",
        r"vorherig\w*|vorig\w*|obig\w*|oben|bisherig\w*|früher\w*|vorangegangen\w*|alle\w*"
        r"|sämtlich\w*|dein\w*|ihre\w*|ursprünglich\w*|gegeben\w*|system\w*|davor|zuvor",
        "ignorier vergiss vergessen missacht übergeh verwirf überspring befolge beachte kraft / "
        "anweisung regel instruktion vorgaben befehl richtlinie hinweis vorschrift ^alles "
        "systemprompt prompt",
    ),
    _Language(
        "Spanish",
        r"ignora\w*|ignore\w*|olvid\w*|descart\w*|desestim\w*|haz\s+caso\s+omiso|omite|omitid"
        r"|no\s+(?:sigas|sigan|obedezcas|hagas\s+caso)",
        r"instrucciones|instrucción|reglas?|indicaciones|órdenes|directrices|normas|todo"
        r"|consignas|mensajes?",
        r"anteriores|anterior|previas?|precedentes|de\s+arriba|arriba|todas?|todos|tus|sus"
        r"|originales|del\s+sistema|recibidas|dadas|hasta\s+ahora",
        "ignor olvid descart desestim omiso omit sigas sigan obedezcas caso / ^instrucciones "
        "^instrucción ^regla ^reglas ^indicaciones ^órdenes ^directrices ^normas ^todo ^consignas "
        "^mensaje ^mensajes",
    ),
    _Language(
        "French",
        r"ignor\w*|oubli\w*|néglig\w*|ne\s+(?:tiens?|tenez)\s+(?:pas|plus)\s+compte|fais\s+abstraction"
        r"|faites\s+abstraction|ne\s+(?:suis|suivez)\s+(?:pas|plus)|écarte\w*",
        r"instructions?|règles?|consignes?|directives?|ordres|indications|tout|messages?"
        r"|prompt\w*",
        r"précédent\w*|antérieur\w*|ci-dessus|plus\s+haut|tou(?:tes|s|t)|tes|vos|initial\w*"
        r"|d'origine|du\s+système|reçu\w*|données|jusqu'ici",
        "ignor oubli néglig compte abstraction suis suivez écarte / ^instruction ^instructions "
        "^règle ^règles ^consigne ^consignes ^directive ^directives ^ordres ^indications ^tout "
        "^message ^messages prompt",
    ),
    _Language(
        "Portuguese",
        r"ignor\w*|esqueç\w*|esquec\w*|desconsider\w*|desprez\w*|não\s+sig\w*|descart\w*",
        r"instruções|instrucoes|instrução|regras?|orientações|ordens|diretrizes|tudo|comandos"
        r"|mensagens?",
        r"anteriores|anterior|prévias|acima|todas?|todos|suas|tuas|originais|do\s+sistema"
        r"|recebidas|dadas|até\s+agora",
        "ignor esqueç esquec desconsider desprez não descart / ^instruções ^instrucoes ^instrução "
        "^regra ^regras ^orientações ^ordens ^diretrizes ^tudo ^comandos ^mensagem ^mensagens",
    ),
    _Language(
        "Italian",
        r"ignor\w*|dimentic\w*|trascur\w*|non\s+(?:seguire|seguite|tenere\s+conto)|scarta\w*",
        r"istruzioni|istruzione|regole|regola|indicazioni|direttive|ordini|tutto|comandi"
        r"|messaggi",
        r"precedenti|precedente|sopra|tutte|tutti|tue|vostre|originali|del\s+sistema|ricevute"
        r"|date|finora|fin\s+qui",
        "ignor dimentic trascur segui tenere scarta / ^istruzioni ^istruzione ^regole ^regola "
        "^indicazioni ^direttive ^ordini ^tutto ^comandi ^messaggi",
    ),
    _Language(
        "Russian",
        r"игнорир\w*|проигнорир\w*|забудь\w*|забыть|забудьте|не\s+обращай\w*\s+внимани\w*"
        r"|пренебре\w*|отбрось\w*|не\s+следуй\w*|не\s+выполняй\w*|отмени\w*",
        r"инструкци\w*|правил\w*|указани\w*|команд\w*|всё|все|подсказк\w*|промпт\w*"
        r"|ограничени\w*|директив\w*",
        r"предыдущ\w*|прежн\w*|выше|вышеуказанн\w*|все|всё|свои|твои|ваши|исходн\w*"
        r"|системн\w*|данн\w*|ранее|полученн\w*",
        "игнорир забуд забыть внимани пренебре отбрось следуй выполняй отмени",
    ),
    _Language(
        "Chinese",
        r"忽略|忽视|无视|不要理会|不用理会|别理会|忘记|忘掉|抛开|抛弃|跳过|别管|不要遵守|不再遵守|无需遵守|不必遵守"
        r"|不要遵循|放弃",
        r"指令|指示|规则|说明|提示词|提示|要求|命令|约束|设定|限制|规定",
        r"之前|以上|上面|上述|先前|此前|前面|所有|全部|一切|原来|原有|系统|你的",
        "忽略 忽视 无视 理会 忘记 忘掉 抛开 抛弃 跳过 别管 遵守 遵循 放弃",
        spaced=False,
    ),
    _Language(
        "Japanese",
        r"無視|忘れ|従わな|従うな|破棄|捨て",
        r"指示|命令|ルール|規則|指令|制約|プロンプト|設定|ガイドライン",
        r"以前|前の|上記|これまで|先の|すべて|全て|全部|元の|システム|今まで|上の",
        "無視 忘れ 従わな 従うな 破棄 捨て",
        spaced=False,
    ),
    _Language(
        "Dutch",
        r"negeer\w*|vergeet|vergeten|veronachtzaam\w*|(?:volg|volgt)\s+(?:niet|geen)",
        r"instructies|instructie|regels|opdrachten|richtlijnen|aanwijzingen|alles|prompt\w*",
        r"vorige|eerdere|bovenstaande|alle|je|jouw|uw|oorspronkelijke|gegeven\w*|systeem\w*"
        r"|hierboven|tot\s+nu\s+toe",
        "negeer vergeet vergeten veronachtzaam volg",
    ),
    _Language(
        "Polish",
        r"zignoruj\w*|ignoruj\w*|zapomnij\w*|pomiń|pomin\w*|nie\s+stosuj\s+się|lekceważ\w*",
        r"polece\w*|instrukcj\w*|zasad\w*|reguł\w*|wytyczn\w*|wszystko",
        r"wszystk\w*|wcześniejsz\w*|poprzedni\w*|powyższ\w*|twoj\w*|swoj\w*|dotychczasow\w*"
        r"|systemow\w*",
        "zignoruj ignoruj zapomnij pomi lekcewa stosuj",
    ),
    _Language(
        "Turkish",
        r"yok\s+say\w*|görmezden\s+gel\w*|unut\w*|dikkate\s+alma\w*|uyma\w*",
        r"talimat\w*|kural\w*|yönerge\w*|komut\w*|her\s+şey\w*|istem\w*",
        r"önceki|tüm|bütün|yukarıdaki|verilen|sistem\w*|senin|şimdiye",
        "^yok görmezden unut dikkate uyma",
    ),
    _Language(
        "Korean",
        r"무시|잊어|잊고|따르지",
        r"지시|지침|규칙|명령|프롬프트|설정",
        r"이전|앞의|위의|모든|기존|시스템|지금까지",
        "무시 잊어 잊고 따르지",
        spaced=False,
    ),
    _Language(
        "Ukrainian",
        r"ігноруй\w*|проігноруй\w*|забудь\w*|не\s+зважай\w*",
        r"інструкці\w*|правил\w*|вказівк\w*|команд\w*|все",
        r"попередн\w*|усі|всі|вище|свої|твої|системн\w*",
        "ігнор забудь зважай",
    ),
    _Language(
        "Arabic",
        r"تجاهل|انس|لا\s+تتبع",
        r"التعليمات|تعليمات|القواعد|الأوامر|الإرشادات",
        r"السابقة|كل|جميع|أعلاه|الأصلية|النظام",
        "تجاهل انس تتبع",
    ),
    _Language(
        "Hindi",
        r"अनदेखा|नज़रअंदाज़|नजरअंदाज|भूल\s+जा",
        r"निर्देश|नियम|आदेश",
        r"पिछले|सभी|ऊपर|पहले|सिस्टम",
        "अनदेखा नज़रअंदाज़ नजरअंदाज भूल",
        spaced=False,
    ),
    _Language(
        "Indonesian",
        r"abaikan|lupakan|jangan\s+ikuti|acuhkan",
        r"instruksi|aturan|perintah|petunjuk|semua",
        r"sebelumnya|semua|di\s+atas|anda|kamu|sistem|awal",
        "abaikan lupakan ikuti acuhkan",
    ),
)


@dataclass(frozen=True, slots=True)
class _Override:
    """One language's override: a verb and a noun close together, in either order
    ("ignore the rules", "die Regeln ignorieren", "指示を無視"), with a qualifier
    ("previous", "above", "all", "your") in the same clause."""

    language: str
    gate: _Gate
    pair: Pattern
    qualifier: re.Pattern[str]

    def finditer(self, reading: Reading) -> Iterator[re.Match[str]]:
        if not self.gate.opens(reading):
            return
        text = reading.text
        for match in self.pair.finditer(text, reading.kind, reading.lower):
            clause = _clause_around(text, match.start(), match.end())
            if self.qualifier.search(clause):
                yield match


def _clause_around(text: str, start: int, end: int) -> str:
    """The match with up to 40 characters either side, within its sentence and line."""
    before = text[max(0, start - 40) : start]
    cut = max(before.rfind(mark) for mark in _SENTENCE_ENDS)
    before = before[cut + 1 :] if cut >= 0 else before
    after = text[end : end + 40]
    stops = [i for i in (after.find(mark) for mark in _SENTENCE_ENDS) if i >= 0]
    return before + text[start:end] + (after[: min(stops)] if stops else after)


_SENTENCE_ENDS = (". ", "! ", "? ", "\n", "。", "！", "？")


def _override(language: _Language) -> _Override:
    if language.spaced:
        verb, noun = rf"\b(?:{language.verbs})\b", rf"\b(?:{language.nouns})\b"
        qualifier = rf"\b(?:{language.qualifiers})\b"
        gap = r"[^.!?\n]{0,60}?"
    else:
        verb, noun = f"(?:{language.verbs})", f"(?:{language.nouns})"
        qualifier = f"(?:{language.qualifiers})"
        gap = r"[^。！？\n]{0,14}?"
    pair = Pattern(f"{verb}{gap}{noun}|{noun}{gap}{verb}", _I)
    return _Override(language.name, _Gate.parse(language.gate), pair, re.compile(qualifier, _I))


_OVERRIDES = tuple(_override(language) for language in _LANGUAGES)


class _OverridePattern:
    """The overrides of every language, searched as one pattern."""

    def finditer(self, reading: Reading) -> Iterator[re.Match[str]]:
        for override in _OVERRIDES:
            yield from override.finditer(reading)


def override_language(span: str) -> str:
    """The language of an override match (for the message)."""
    reading = Reading.of(span)
    for override in _OVERRIDES:
        if next(override.finditer(reading), None) is not None:
            return override.language
    return "English"


OVERRIDE = AttackClass(
    code="instruction-override",
    name="tells the agent to ignore its instructions",
    pattern=_OverridePattern(),
    guard=_guard(_DISCUSSED, r"how\s+(?:do|can|to)", r"option\w*", r"flag\w*", r"setting\w*"),
    points=100,
)  # fmt: skip

# --- concealment ----------------------------------------------------------------------

_CONCEALMENT = _rules(
    _rule(
        "^not ^don ^dont ^never ^need ^avoid ^without / ^mention ^mentioning ^tell ^telling"
        " ^disclose ^disclosing ^reveal ^revealing ^say ^saying ^inform ^informing ^notify"
        " ^notifying ^alert ^alerting ^flag ^flagging ^ask ^asking ^report ^reporting ^note"
        " ^noting ^document ^documenting",
        r"\b(?:do\s+not|don't|dont|never|no\s+need\s+to|avoid|without)\s+(?:ever\s+)?"
        r"(?:mention(?:ing)?|tell(?:ing)?|disclos(?:e|ing)|reveal(?:ing)?|say(?:ing)?|inform(?:ing)?"
        r"|notify(?:ing)?|alert(?:ing)?|flag(?:ging)?|ask(?:ing)?|report(?:ing)?|note|noting"
        r"|document(?:ing)?)\s+(?:it|this|that|these"
        r"|them|anything|any\s+of\s+(?:this|it)|the\s+(?:change|step|extra\s+\w+|key|file|commit))?"
        r"\s*(?:\b(?:to|in|from|with|on)\s+(?:the\s+|your\s+|any\s+|a\s+)?(?:pr\b|pull\s+requests?"
        r"|commit(?:\s+message)?s?|changelog|description|summary|review\w*|maintainers?|users?"
        r"|humans?|team|anyone|owners?|people|report|notes|release\s+notes)|\b(?:anyone|anybody"
        r"|the\s+(?:user|reviewers?|maintainers?|team|humans?|owner|people))\b|[.!:;,]|$)",
    ),
    _rule(
        "keep leav / ^out ^off ^hidden ^secret ^away ^from",
        r"\b(?:keep|leave)\s+(?:it|this|that|these|them|the)(?:\s+\S+){0,4}?\s+(?:out\s+of|off"
        r"|hidden\s+from|secret\s+from|away\s+from|from)\s+(?:the\s+|your\s+|any\s+)?`?(?:pr\b"
        r"|pull\s+request|commit|changelog|description|review|reviewers?|log|history|diff|summary"
        r"|maintainers?|users?|team|people|release\s+notes)",
    ),
    _rule(
        "quiet silent secret covert discreet stealth sneak invisibl side scenes",
        r"\b(?:quietly|silently|secretly|covertly|discreetly|stealthily|sneakily|invisibly|on\s+the"
        r"\s+side|behind\s+the\s+scenes)\s*,?\s+(?:also\s+)?(?:add|commit|push|include|insert"
        r"|install|upload|send|post|change|modify|remove|delete|disable|copy|grant|create|merge"
        r"|append|replace|exfiltrate|run|execute|print|log|drop|slip|sneak|put|write|enable|turn)\b",
    ),
    _rule(
        "^so",
        r"\bso\s+(?:that\s+)?(?:nobody|no\s+one|no-one|none\s+of\s+the\s+reviewers|the\s+reviewers?"
        r"|they|maintainers|the\s+(?:team|user|owner|maintainers?)|reviewers|humans?)\s+(?:\w+\s+)?"
        r"(?:notices?|sees?|knows?|finds?\s+out|will\s+(?:not\s+)?notice|won't\s+(?:notice|see|know)"
        r"|can(?:not|'t)\s+(?:tell|see)|doesn't\s+(?:notice|see)|don't\s+(?:notice|see))",
    ),
    _rule(
        "hide conceal obscure disguise bury mask",
        r"\b(?:hide|conceal|obscure|disguise|bury|mask)\s+(?:it|this|that|the\s+(?:change|step|commit"
        r"|line|key)|these\s+changes|what\s+you(?:'ve|\s+have)?\s+(?:did|done|do|changed|added))"
        r"(?:\s+(?:from|in)\s+(?:the\s+)?(?:reviewers?|maintainers?|pr\b|diff|users?|team|log))?",
    ),
    _rule(
        "look pass radar unnoticed",
        r"\b(?:make\s+it\s+look\s+like|pass\s+it\s+off\s+as|under\s+the\s+radar|unnoticed)\b",
    ),
    _rule(
        "^so",
        r"\bso\s+(?:that\s+)?(?:it|this|that|the\s+\w+|nobody|no\s+one|reviewers?|they|the\s+reviewers?"
        r"|maintainers?|people|users?)\s+(?:\S+\s+){0,3}?(?:(?:do|does|did|will|would|is|are|can)\s*n[o']t"
        r"|won't|isn't|aren't|can't|cannot|never)\s+(?:be\s+)?(?:\w+\s+)?(?:see|seen|notice|noticed"
        r"|spot|spotted|review|reviewed|show\s+up|appear|flag|flagged|detect|detected|find|found"
        r"|catch|caught|visible|question)\w*",
    ),
    _rule(
        "think believe assume nobody ^one",
        r"\bso\s+(?:that\s+)?(?:reviewers?|they|people|maintainers?|the\s+(?:team|reviewers?|owner))\s+"
        r"(?:think|believe|assume)s?\b|\b(?:nobody|no\s+one)\s+(?:reviews?|checks?|reads?|looks\s+at)\b",
    ),
    _rule(
        "^want",
        r"\bwe\s+(?:don't|do\s+not)\s+want\s+(?:users?|anyone|people|them|reviewers?|the\s+\w+)\s+to"
        r"\s+(?:find|know|notice|see|learn)\b",
    ),
    _rule(
        "though",
        r"\b(?:label|title|name|describe|call|mark|present)\s+(?:the\s+|this\s+|your\s+)?(?:pr|pull\s+request"
        r"|commit|change)\b[^\n]{0,60}?\beven\s+though\b",
    ),
    _rule(
        "ohne heimlich ^sin secreto sans douce ^sem senza не тайно незаметно 不要 别告诉 悄悄 "
        "偷偷 秘密 内緒 "
        "こっそり 黙って 言わないで 触れないで",
        r"\bohne\s+(?:es\s+|das\s+)?(?:zu\s+)?(?:erwähnen|sagen|jemandem\s+zu\s+sagen)\b|\bheimlich\b"
        r"|\bsin\s+(?:mencionarlo|decírselo|decirlo|que\s+nadie)\b|\ben\s+secreto\b"
        r"|\bsans\s+(?:le\s+(?:dire|mentionner)|que\s+personne)\b|\ben\s+douce\b"
        r"|\bsem\s+(?:mencionar|contar\s+a\s+ninguém|que\s+ninguém)\b"
        r"|\bsenza\s+(?:dirlo|menzionarlo|che\s+nessuno)\b|\bне\s+(?:говори|упоминай|сообщай)\w*"
        r"|\bтайно\b|\bнезаметно\b|不要告诉|不要提及|别告诉|悄悄|偷偷|秘密地|内緒|こっそり|黙って"
        r"|言わないで|触れないで",
    ),
    _rule(
        "^not ^don ^dont ^never ^avoid / ^pr changelog ^pull ^commit ^release ^review",
        r"\b(?:do\s+not|don't|dont|never|avoid)\s+(?:ever\s+)?(?:mention|describe|document|list|note"
        r"|include|say|write|explain)\w*\s+(?:\S+\s+){0,5}?(?:in|to|from|on)\s+(?:the\s+|your\s+|any\s+"
        r"|a\s+)?`?(?:pr\b|pull\s+requests?|commit\s+messages?|changelog|release\s+notes|review)",
    ),
    _rule(
        "desc ment listed docu noted shown visi incl expl / ^not ^never ^isn ^aren ^won / ^pr ^pull"
        " ^commit changelog ^release descript review ^diff",
        r"(?:\b(?:is|are|be|gets?)\s+(?:not|never)\s+(?:described|mentioned|listed|documented|noted|shown"
        r"|visible|included|explained)|\b(?:isn't|aren't|won't\s+be)\s+(?:described|mentioned|listed"
        r"|documented|noted|shown|visible|included))\s+(?:in|to|from)\s+(?:the\s+|any\s+)?`?(?:pr\b"
        r"|pull\s+request|commit|changelog|release\s+notes|description|review|diff)",
    ),
    _rule(
        "reviewer ^diff",
        r"\breviewers?\s+(?:will\s+)?(?:skip|miss|overlook|ignore|not\s+see|won't\s+see|don't\s+see)"
        r"\w*\b|\bso\s+(?:that\s+)?(?:the\s+)?diff\s+(?:stays|is|gets|remains)\s+(?:collapsed|hidden"
        r"|small|buried)",
    ),
    _rule(
        "menciones mencionar digas comentes incluyas describas erwähn damit mentionne ^dis dites"
        " signale personne mencione diga inclua comente ninguém menzionare ^dire scrivere includere"
        " nessuno vermelden noemen zonder wspominaj cichu bahsetme söyleme gizlice 書かないで "
        "気づかれ "
        "知られ ばれない 伏せて 不要写 不要在 不被发现 别让 不要提 언급하지 말하지 알리지 몰래 "
        "пиши"
        " указывай никто",
        r"\bno\s+(?:lo\s+|la\s+|los\s+|las\s+|le\s+)?(?:menciones|mencionar|digas|comentes|incluyas"
        r"|describas)\b|\bnicht\s+erwähn\w*|\berwähn\w*\s+(?:\S+\s+){0,3}?nicht\b|\bdamit\s+(?:es\s+)?(?:niemand|keiner|die\s+\S+\s+nicht)\b"
        r"|\bne\s+(?:le\s+|la\s+|les\s+|l')?(?:mentionne|mentionnez|dis|dites|signale)\w*\s+pas\b"
        r"|\bsans\s+que\s+personne\b|\bnão\s+(?:mencione|mencionar|diga|inclua|comente)\b"
        r"|\bsem\s+que\s+ninguém\b|\bnon\s+(?:menzionare|dire|dirlo|scrivere|includere)\b"
        r"|\bsenza\s+che\s+nessuno\b|\bniet\s+(?:vermelden|noemen)\b|\bzonder\s+(?:het\s+)?te\s+"
        r"(?:melden|zeggen|vermelden)\b|\bnie\s+wspominaj\b|\bpo\s+cichu\b|\bbahsetme\w*|\bsöyleme\w*"
        r"|\bgizlice\b|書かないで|気づかれ(?:ない|ず)|知られ(?:ない|ず)|ばれない|伏せて|不要写|不要在"
        r"|不被发现|别让|不要提|언급하지|말하지\s?마|알리지\s?마|몰래|\bне\s+(?:пиши|указывай)\w*"
        r"|\bчтобы\s+никто\b",
    ),
)
CONCEALMENT = AttackClass(
    code="concealment",
    name="asks the agent to hide what it does",
    pattern=_CONCEALMENT,
    guard=_guard(_DISCUSSED),
    points=100,
)  # fmt: skip

# --- fetch and run, supply chain, decode and run --------------------------------------

_FETCH_AND_RUN = _rules(
    _rule(
        "|",
        r"\b(?:curl|wget|iwr|invoke-webrequest|fetch|http|httpie|aria2c)\s+[^\n|;]{1,300}\|\s*"
        r"(?:sudo\s+(?:-\w+\s+)*)?(?:(?:ba|z|da|k|fi|c|tc)?sh|python[0-9.]*|perl|ruby|node|php|iex"
        r"|invoke-expression|powershell|pwsh|bun|deno|source)\b",
    ),
    _rule(
        "<(",
        r"(?:\b(?:ba|z|k)?sh|\bsource|\.)\s+<\(\s*(?:curl|wget)\b",
    ),
    _rule(
        "curl wget ^iwr invoke-webrequest",
        r"\b(?:curl|wget|iwr|invoke-webrequest)\s[^\n]{0,200}?(?:&&|;|\|\|)\s*(?:sudo\s+)?(?:chmod\s+\S*x"
        r"|(?:ba|z)?sh\s+\S|python[0-9.]*\s+\S|node\s+\S|\./\S|/tmp/\S|source\s+\S)",
    ),
    _rule(
        "-c / $(",
        r"\b(?:ba|z|k)?sh\s+-c\s+[\"']?\$\(\s*(?:curl|wget)\b",
    ),
    _rule(
        "eval / $(",
        r"\beval\s+[\"']?\$\(\s*(?:curl|wget|echo|printf|base64|xxd|openssl)\b",
    ),
    _rule(
        "^iex invoke-expression",
        r"\b(?:iex|invoke-expression)\b[^\n]{0,60}(?:downloadstring|iwr|invoke-webrequest"
        r"|net\.webclient|irm|invoke-restmethod)",
    ),
    _rule(
        "powershell",
        r"\bpowershell(?:\.exe)?\s+[^\n]{0,40}-e(?:nc(?:odedcommand)?)?\s+[A-Za-z0-9+/=]{20,}",
    ),
    _rule(
        "base64 / |",
        r"\bbase64\s+(?:-d|--decode|-D)\b[^\n]{0,100}\|\s*(?:sudo\s+)?(?:(?:ba|z|da)?sh|python[0-9.]*"
        r"|perl|ruby|node|php)\b",
    ),
    _rule(
        "^xxd openssl / |",
        r"\b(?:xxd\s+-r|openssl\s+(?:base64|enc)\s+-d)[^\n]{0,100}\|\s*(?:(?:ba|z)?sh|python[0-9.]*)\b",
    ),
    _rule(
        "exec eval",
        r"\b(?:exec|eval)\s*\(\s*(?:base64\.b64decode|atob|__import__\(\s*['\"](?:base64|codecs|zlib)"
        r"|codecs\.decode|bytes\.fromhex|zlib\.decompress|buffer\.from|marshal\.loads"
        r"|compile\s*\(\s*base64)",
    ),
    _rule(
        "function / atob",
        r"\bnew\s+Function\s*\(\s*atob\b|\bFunction\s*\(\s*atob\s*\(",
    ),
    _rule(
        "--registry",
        r"\b(?:npm|pnpm|yarn|bun|npx)\s+(?:i|install|add|exec|dlx)\b[^\n]{0,200}?--registry(?:=|\s+)"
        r"(?!https?://registry\.(?:npmjs\.org|yarnpkg\.com))\S+",
    ),
    _rule(
        "registry / ^npm",
        r"\bnpm\s+config\s+set\s+(?:@[\w-]+:)?registry\s+(?!https?://registry\.npmjs\.org)\S+",
    ),
    _rule(
        "install / --index-url --extra-index-url -i --find-links -f --trusted-host",
        r"\b(?:pip[0-9.]*|uv\s+pip|pipx|python[0-9.]*\s+-m\s+pip)\s+install\b[^\n]{0,200}?"
        r"(?:--index-url|--extra-index-url|-i|--find-links|-f|--trusted-host)(?:=|\s+)"
        r"(?!https?://(?:pypi\.org|files\.pythonhosted\.org))\S+",
    ),
    _rule(
        "^gem / source",
        r"\bgem\s+(?:sources?\s+(?:-a|--add)|install\b[^\n]{0,100}--source)\s+\S+",
    ),
    _rule(
        "env gonosumcheck",
        r"\bgo\s+env\s+-w\s+GO(?:PROXY|NOSUMDB|INSECURE|FLAGS)=\S+|\bGONOSUMCHECK\b",
    ),
    _rule(
        "cargo dotnet nuget / --index --registry --source",
        r"\b(?:cargo|dotnet|nuget)\s+(?:add|install|source|sources)\b[^\n]{0,100}"
        r"--(?:index|registry|source)(?:=|\s+)\S+",
    ),
    _rule(
        "registry",
        r"\bregistry\s*=\s*[\"']?https?://(?!registry\.(?:npmjs\.org|yarnpkg\.com))",
    ),
    _rule(
        "index-url trusted-host find-links",
        r"\bpip[0-9.]*\s+config\s+set\s+\S*(?:index-url|trusted-host|find-links)\s+\S+"
        r"|\b(?:extra-)?index-url\s*=\s*https?://(?!pypi\.org)",
    ),
    _rule(
        "downl fetch pull grab ^get curl wget / ^run ^runs exec sourc ^eval / http",
        r"\b(?:download|fetch|pull|grab|get|curl|wget)\w*\s+(?:\S+\s+){0,2}?<?https?://\S+"
        r"(?:\s+\S+){0,4}?\s+(?:and\s+|then\s+|,\s*)+(?:run|execute|exec|source|eval)s?\s+(?:it|them"
        r"|that|the\s+(?:script|binary|installer|file|payload))\b",
    ),
)
FETCH_AND_RUN = AttackClass(
    code="fetch-and-run",
    name="downloads code and runs it, or installs from an index of its own",
    pattern=_FETCH_AND_RUN,
    guard=_guard(_REPLACED, _NEGATED, _DISCUSSED, r"pipes?", r"piping"),
    after=re.compile(
        r"\b(?:replace|remove|drop|delete)\s+(?:it|this|that|the\s+line)\b|\binstead\b|\binsecure\b"
        r"|\bunsafe\b|\bdangerous\b|\bdeprecated\b|\b(?:is|are)\s+(?:a\s+)?(?:security\s+)?risk\b",
        _I,
    ),
    points=100,
)  # fmt: skip

# --- exfiltration ---------------------------------------------------------------------

_EXFILTRATION = _rules(
    _rule(
        "curl wget ^nc ncat netcat ^scp rsync sftp ^ftp invoke-webrequest ^iwr telnet / *secret "
        "*token *password *passwd key *credential _dsn _url _uri .ssh id_ .aws .netrc .npmrc "
        ".pypirc git-credentials .docker .kube /etc/ env ^gpg ^aws ^auth kubectl vault",
        _NETWORK_TOOL + r"[^\n]{0,200}(?:" + _SENSITIVE_SOURCE + ")",
    ),
    _rule(
        "*secret *token *password *passwd key *credential _dsn _url _uri .ssh id_ .aws .netrc "
        ".npmrc .pypirc git-credentials .docker .kube /etc/ env ^gpg ^aws ^auth kubectl vault / |",
        r"(?:" + _SENSITIVE_SOURCE + r")[^\n]{0,200}\|\s*" + _NETWORK_TOOL,
    ),
    _rule(
        "*token *secret *credential *password *passwd key *cookie env *secret *token *password "
        "*passwd key *credential _dsn _url _uri .ssh id_ .aws .netrc .npmrc .pypirc "
        "git-credentials .docker .kube /etc/ env ^gpg ^aws ^auth kubectl vault",
        r"\b(?:send|post|upload|e-?mail|forward|paste|share|transmit|exfiltrate|leak|publish|push"
        r"|beam|pipe|attach|dump|print|echo|log|output|commit|reveal|expose|cat)(?:s|es|ed|ing)?"
        r"\s+(?:out\s+)?"
        r"(?:me\s+)?(?:the\s+|your\s+|all\s+|our\s+|any\s+|its\s+|their\s+|every\s+|each\s+)?"
        r"(?:(?:full\s+|raw\s+|current\s+)?(?:contents?|value|values|output|dump|copy)\s+of\s+"
        r"(?:the\s+|your\s+|all\s+|our\s+|every\s+)?)?(?:[\w.$`/~-]+\s+){0,3}?(?:"
        + _CREDENTIAL_WORDS
        + "|"
        + _SENSITIVE_SOURCE
        + r")(?:[^.\n]|\.(?=\S)){0,80}?"
        + _DESTINATION,
    ),
    _rule(
        "*secret *token *password *passwd key *credential _dsn _url _uri .ssh id_ .aws .netrc "
        ".npmrc .pypirc git-credentials .docker .kube /etc/ env ^gpg ^aws ^auth kubectl vault",
        r"\b(?:print|echo|log|output|dump|write|commit|paste|cat|expose|attach|embed|reveal|post"
        r"|send|upload|push|publish|leak|share|e-?mail|include)(?:ing)?\b"
        r"(?:[^.\n]|\.(?=\S)){0,80}?(?:" + _SENSITIVE_SOURCE + ")",
    ),
    _rule(
        ".env / commit push upload print ^cat paste send post publish echo dump expose share "
        "attach",
        r"\b(?:commit|push|upload|print|cat|paste|send|post|publish|echo|dump|expose|share|attach)\s+"
        r"(?:the\s+|your\s+|our\s+)?(?:(?:full\s+)?contents?\s+of\s+(?:the\s+|your\s+)?)?`?\.env"
        r"(?:\.(?!(?:example|sample|template|dist|defaults?)\b)[\w-]+)?\b`?(?:\s+file)?",
    ),
    _rule(
        "*secret *token *password *passwd key *credential _dsn _url _uri .ssh id_ .aws .netrc "
        ".npmrc .pypirc git-credentials .docker .kube /etc/ env ^gpg ^aws ^auth kubectl vault",
        r"(?:"
        + _SENSITIVE_SOURCE
        + r")[^\n]{0,80}?\b(?:attach|post|send|upload|paste|commit|include|print"
        r"|log|echo|add|put|write|dump|show|display|return|expose|share|email|push)\w*\s+(?:it|them|that"
        r"|its\s+contents?|the\s+contents?|the\s+values?|the\s+output)\b",
    ),
    _rule(
        "exfiltrat",
        r"\bexfiltrat\w*",
    ),
    _rule(
        ".ssh id_ .aws .netrc .npmrc .pypirc git-credentials .docker .kube /etc/shadow hosts.yml"
        " .env. .htpasswd credentials.json account",
        r"(?:~/\.ssh\b|\.ssh/id_\w+|\bid_(?:rsa|ed25519|ecdsa|dsa)\b|\.aws/credentials|~/\.aws\b"
        r"|\.netrc\b|\.npmrc\b|\.pypirc\b|\.git-credentials\b|\.docker/config\.json|\.kube/config"
        r"|/etc/shadow\b|\.config/gh/hosts\.yml|\.env\.(?:production|prod|local)\b|\.htpasswd\b"
        r"|\bcredentials\.json\b|\bservice[-_]account\S*\.json)(?:[^\n]|\n(?!\s*\n)){0,120}?"
        r"(?:\bpr\b|pull\s+request"
        r"|\bcomment\w*|\bcommit\w*|\bgist\b|pastebin|webhook|https?://|\bissue\b|\bdiscussion\b"
        r"|\bpush\w*|kommentar|commentaire|comentario|commento|bijlage)",
    ),
    _rule(
        "curl wget ^nc ncat netcat scp rsync sftp ^ftp invoke-webrequest ^iwr telnet / .env",
        _NETWORK_TOOL + r"[^\n]{0,200}@?\.env\b(?!\.(?:example|sample|template))",
    ),
    _rule(
        "send post upload invia envi envoie sende schick übermittl отправ 发送 上传 送信 / http",
        r"(?:\b(?:send|post|upload|invia\w*|envi[ae]\w*|envoie\w*|sende\w*|schick\w*|übermittl\w*"
        r"|отправ\w*)\b|发送|上传|送信)(?:[^\n]|\n(?!\s*\n)){0,80}?(?:" + _SENSITIVE_SOURCE + r")"
        r"(?:[^\n]|\n(?!\s*\n)){0,80}?https?://",
    ),
    _rule(
        "写入 提交 粘贴 贴到 发到 发送 コミット 貼り付け 送信 書き込",
        r"(?:" + _SENSITIVE_SOURCE + r")[^\n。]{0,60}?(?:写入|提交|粘贴|贴到|发到|发送|コミット"
        r"|貼り付け|送信|書き込)",
    ),
)
EXFILTRATION = AttackClass(
    code="secret-exfiltration",
    name="sends, prints or commits secrets or credentials",
    pattern=_EXFILTRATION,
    guard=_guard(_NEGATED, _REDACTED, _DISCUSSED, r"bug", r"currently"),
    after=re.compile(r"\bnever\b|\bplaceholder\b|\bnot\s+a\s+real\b", _I),
    points=100,
)  # fmt: skip

# --- weakening security, changing CI --------------------------------------------------

_ARTICLE = r"(?:the\s+|all\s+|any\s+|our\s+|every\s+|its\s+)?"
# controls that are safeguards by name: removing one weakens security
_CONTROL = (
    r"(?:csrf(?:\s+protection)?|xsrf|access\s+control|acls?|rbac|2fa|mfa|two-factor(?:\s+\w+)?"
    r"|multi-factor(?:\s+\w+)?|signature\s+(?:verification|checks?|validation)|branch\s+protection"
    r"|code\s*owners?\s+reviews?|required\s+(?:reviews?|status\s+checks?)|security\s+(?:checks?"
    r"|scans?|scanning|middleware|headers)|secret\s+scanning|codeql|sandbox(?:ing)?"
    r"|audit\s+log(?:ging)?|password\s+checks?|tls\s+verification|ssl\s+verification"
    r"|certificate\s+(?:verification|validation|checks?)|permission\s+checks?|auth(?:entication"
    r"|orization|orisation)?\s+(?:middleware|checks?|guards?|requirements?|decorators?|layer|filters?))"
)
_AUTH_NOUN = (
    _ARTICLE + r"(?:[\w-]+\s+){0,2}?(?:authentication|authn|auth|authori[sz]ation|authz"
    r"|permissions?|login\s+requirement|" + _CONTROL + ")"
)
_CHECK_NOUN = (
    r"\s+(?:middleware|checks?|checking|guards?|decorators?|requirements?|verification"
    r"|validation|protection|filters?|layer|gate|hooks?|tests?|rules?|enforcement)"
)
_WEAKENING = _rules(
    _rule(
        "auth ^permission ^permissions ^login csrf xsrf ^access ^acl ^acls rbac ^2fa ^mfa ^factor "
        "^signature ^branch ^owner ^owners ^codeowners ^required ^security ^secret ^codeql sandbox "
        "^audit ^password ^tls ^ssl ^certificate",
        r"\b(?:disable|turn\s+off|switch\s+off|bypass|circumvent|deactivate|short-?circuit"
        r"|comment\s+out|neuter|skip|remove|delete|drop|strip|get\s+rid\s+of|relax|weaken|loosen)"
        r"\s+(?:" + _AUTH_NOUN + _CHECK_NOUN + "|" + _ARTICLE + _CONTROL + r")\b",
    ),
    _rule(
        "login_required *auth _required permission csrf_protect *preauthorize *authorize useguards "
        "rolesallowed secured *isauthenticated *authenticate",
        r"\b(?:remov|delet|drop|strip|comment(?:ing)?\s+out|disabl|skip|bypass)\w*\s+(?:the\s+|all\s+|every\s+"
        r"|each\s+|any\s+)?`?@?(?:login_required|\w*auth\w*_required|permission_required"
        r"|permission_classes|requires?_\w*auth\w*|jwt_required|csrf_protect|PreAuthorize|Authorize"
        r"|UseGuards|RolesAllowed|Secured|IsAuthenticated|authenticate\w*)\b",
    ),
    _rule(
        "csrf_exempt allowanonymous permitall allowany skip_before_action",
        r"\b(?:add|apply|use|put|set)\s+(?:the\s+|an?\s+)?`?@?(?:csrf_exempt|AllowAnonymous|permitAll"
        r"|AllowAny|skip_before_action\s*:?authenticate\w*)\b",
    ),
    _rule(
        "*csrf *xsrf *verify *ssl *tls *secure *auth *signature *check_hostname *hsts *cert "
        "*validat"
        " / ^false ^0 ^off ^none ^disabled ^no",
        r"(?:csrf|xsrf|verify|ssl|tls|secure|auth|authenticat\w*|signature|check_hostname"
        r"|hsts|cert\w*|validat\w*)[\w.]*['\"]?\s*(?:=|:|=>)\s*['\"]?(?:false|0|off|none|disabled|no"
        r"|cert_none)\b",
    ),
    _rule(
        "*insecure *verify *allow *disable *trust *permit",
        r"(?:insecure\w*|skip_?verify|allow_?(?:all|any)_?\w*|disable_?(?:auth|csrf|ssl|tls"
        r"|verify|security)\w*|no_?verify|trust_?all\w*|permit_?all)['\"]?\s*(?:=|:|=>)\s*['\"]?"
        r"(?:true|1|on|yes)\b",
    ),
    _rule(
        "allowed_hosts access-control-allow-origin cors origin node_tls_reject_unauthorized "
        "rejectunauthorized git_ssl_no_verify pythonhttpsverify",
        r"\bALLOWED_HOSTS\s*=\s*\[\s*['\"]\*['\"]|\bAccess-Control-Allow-Origin:?\s*['\"`]?\*"
        r"|\b(?:cors|allowed_origins?|origins?)\w*['\"]?\s*(?:=|:)\s*\[?\s*['\"]\*['\"]"
        r"|\bcors\s+origin\b[^\n]{0,60}?\bto\s+['\"`]\*['\"`]"
        r"|\bNODE_TLS_REJECT_UNAUTHORIZED\s*=\s*['\"]?0|\brejectUnauthorized\s*:\s*false\b"
        r"|\bGIT_SSL_NO_VERIFY\b|\bPYTHONHTTPSVERIFY\s*=\s*0",
    ),
    _rule(
        "return",
        r"\b(?:make|have|let|change)\s+`?[\w.]*(?:permission|auth\w*|allowed|authori[sz]ed|can_\w+"
        r"|is_(?:admin|allowed|authorized|staff|superuser)|check\w*|verify\w*|validate\w*|has_\w+)\w*"
        r"(?:\(\))?`?[^\n]{0,80}?\breturns?\s+`?(?:true|1|null|nil|none|ok)\b",
    ),
    _rule(
        "back door treat",
        r"\bback-?\s?doors?\b|\btreat\w*\s+(?:the\s+|every\s+|all\s+|any\s+|such\s+)?(?:requests?"
        r"|users?|callers?|sessions?|clients?)\s+as\s+(?:an?\s+)?(?:admin\w*|authenticated|authori[sz]ed"
        r"|superusers?|root|trusted|staff)\b",
    ),
    _rule(
        "authorized_keys",
        r"\b(?:add|append|write|put|insert|echo|copy|install)(?:s|ed|ing)?\b[^\n]{0,200}?"
        r"\bauthorized_keys\b",
    ),
    _rule(
        "disable turn switch bypass circumvent deactivate short comment neuter / auth ^permission "
        "^permissions ^login csrf xsrf ^access ^acl ^acls rbac ^2fa ^mfa ^factor ^signature "
        "^branch ^owner ^owners ^codeowners ^required ^security ^secret ^codeql sandbox ^audit "
        "^password ^tls ^ssl ^certificate",
        r"\b(?:disable|turn\s+off|switch\s+off|bypass|circumvent|deactivate|short-?circuit"
        r"|comment\s+out|neuter)\s+" + _AUTH_NOUN + r"\b(?!\s+(?:bug|error|warning|message|banner"
        r"|prompt|popup|dialog|page|screen|tests?\s+(?:flak\w*|fail\w*)))",
    ),
    _rule(
        "make ^let / public unauthenticated auth admin",
        r"\b(?:make|let)\s+(?:every|all|any)\s+(?:endpoints?|routes?|requests?|users?)\s+"
        r"(?:public|unauthenticated|skip\s+auth\w*|admins?)\b",
    ),
    _rule(
        "key id_ / authorized_keys deploy known_hosts .ssh allowed_signers",
        r"\b(?:add|append|write|put|insert|echo|copy|install)\s+(?:my|this|the\s+following|our|your"
        r"|an?|his|her|their|the\s+attacker's|these)?\s*(?:public\s+)?(?:ssh\s+|deploy\s+|gpg\s+)?"
        r"(?:keys?|pubkey|id_\w+\.pub)\b(?:[^.\n]|\.(?=\S)){0,80}?(?:authorized_keys|deploy\s+keys?|known_hosts"
        r"|\.ssh\b|allowed_signers)",
    ),
    _rule(
        "authorized_keys / >>",
        r">>\s*\S*authorized_keys\b",
    ),
    _rule(
        "^add invite make grant give promote elevate ^set / admin owner maintainer collaborator "
        "superuser ^root staff",
        r"\b(?:add|invite|make|grant|give|promote|elevate|set)\s+(?:me|myself|@[\w-]+|user\s+@?[\w.-]+"
        r"|(?:the\s+)?(?:[\w-]+\s+)?(?:user|account)\s+[`'\"]?[\w.@-]+[`'\"]?|my\s+account|this\s+account"
        r"|[`'\"][\w.@-]+[`'\"])\s+(?:as\s+|to\s+)?(?:an?\s+)?(?:admin(?:istrator)?s?|owners?"
        r"|maintainers?|collaborators?|superusers?|root|staff)\b",
    ),
    _rule(
        "grant / access rights permission role privileges",
        r"\bgrant\s+(?:me|@[\w-]+|user\s+\S+|[\w-]+)\s+(?:admin|write|owner|push|maintain|root"
        r"|full)\s+(?:access|rights|permissions?|role|privileges)",
    ),
    _rule(
        "is_superuser is_admin is_staff chmod nopasswd verify",
        r"\bis_(?:superuser|admin|staff)\s*=\s*true\b|\bchmod\s+(?:-R\s+)?0?777\b|\bNOPASSWD\b"
        r"|\bverify\s*=\s*False\b(?=[^\n]{0,60}\b(?:everywhere|all|globally|production)\b)",
    ),
    _rule(
        "secrets pull_request_target write-all contents id-token",
        r"\b(?:add|use|switch|change|move|trigger|run|set|enable|give|grant|expose|pass|edit|update"
        r"|modify|make|put|append|insert|configure)\b(?!\s+(?:away\s+)?from\b)"
        r"(?:[^.\n]|\.(?=\S)){0,120}?"
        r"\.github/workflows/[^\s`'\")]*[^\n]{0,200}?(?:\$\{\{\s*secrets\.|secrets\.[A-Z]"
        r"|pull_request_target|permissions:\s*write-all|contents:\s*write|id-token:\s*write"
        r"|secrets:\s*inherit)",
    ),
    _rule(
        "secrets pull_request_target write-all",
        r"\b(?:add|use|switch|change|move|trigger|run|set|enable|give|grant|expose|pass|edit|update"
        r"|modify|make|put|append|insert|configure)\b(?!\s+(?:away\s+)?from\b)"
        r"(?:[^.\n]|\.(?=\S)){0,120}?"
        r"(?:\$\{\{\s*secrets\.\w+\s*\}\}|pull_request_target|permissions:\s*write-all"
        r"|secrets:\s*inherit)[^\n]{0,200}?"
        r"\.github/workflows/",
    ),
    _rule(
        "step ^job ^jobs action workflow / secrets",
        r"\b(?:github\s+actions?|workflow|ci)\s+(?:step|job|action|workflow)\b(?:[^.\n]|\.(?=\S)){0,120}?"
        r"(?:\$\{\{\s*secrets\.\w+|secrets\.[A-Z][A-Z0-9_]+)(?:[^.\n]|\.(?=\S)){0,120}?(?:https?://|curl|wget"
        r"|echo|print|post|send|upload)",
    ),
    _rule(
        "pull_request_target",
        r"\b(?:add|use|switch|change|move|trigger|run|set|enable|give|grant|expose|pass|edit|update"
        r"|modify|make|put|append|insert|configure)\b(?!\s+(?:away\s+)?from\b)"
        r"(?:[^.\n]|\.(?=\S)){0,120}?"
        r"\bpull_request_target\b",
    ),
    _rule(
        "deaktivier abschalt entfern umgeh desactiva deshabilita elimina quita désactive supprime "
        "contourne desativ desabilit remov disattiva disabilita rimuovi отключи убери удали обойди "
        "禁用 关闭 移除 删除 绕过 認証 権限 csrf / authenti anmeldung autori berechtigung "
        "autentica verificaci "
        "vérification csrf аутентификаци авторизаци прав 身份验证 认证 鉴权 权限 認証 権限",
        r"\b(?:deaktivier\w*|abschalt\w*|entfern\w*|umgeh\w*)\s+(?:die\s+|der\s+|den\s+)?"
        r"(?:authentifizierung|anmeldung|autorisierung|csrf|berechtigungs\w*)"
        r"|\b(?:desactiva\w*|deshabilita\w*|elimina\w*|quita\w*)\s+(?:la\s+|el\s+|los\s+)?"
        r"(?:autenticación|autorización|csrf|verificación\s+de\s+permisos)"
        r"|\b(?:désactive\w*|supprime\w*|contourne\w*)\s+(?:l'|la\s+|le\s+|les\s+)?(?:authentification"
        r"|autorisation|csrf|vérification\s+des\s+permissions)"
        r"|\b(?:desativ\w*|desabilit\w*|remov\w*)\s+(?:a\s+|o\s+)?(?:autenticação|autorização|csrf)"
        r"|\b(?:disattiva\w*|disabilita\w*|rimuovi\w*)\s+(?:l'|la\s+|il\s+)?(?:autenticazione"
        r"|autorizzazione|csrf)"
        r"|\b(?:отключи\w*|убери\w*|удали\w*|обойди\w*)\s+(?:проверк\w+\s+)?(?:аутентификаци\w*"
        r"|авторизаци\w*|csrf|прав\w*\s+доступа)"
        r"|(?:禁用|关闭|移除|删除|绕过)(?:掉)?(?:身份验证|认证|鉴权|权限检查|csrf)"
        r"|(?:認証|権限チェック|csrf)(?:を)?(?:無効|外し|削除|オフ)",
    ),
    _rule(
        "push commit merg / straight direct ^right",
        r"\b(?:push|commit|merge)\w*\s+(?:it\s+|this\s+|them\s+|the\s+(?:change|fix|commit)s?\s+)?"
        r"(?:straight|directly|right)\s+(?:in)?to\s+(?:`?main`?|`?master`?|production|prod"
        r"|the\s+default\s+branch)\b",
    ),
    _rule(
        "skip / ^pr ^pull review",
        r"\bskip\w*\s+(?:opening\s+|creating\s+)?(?:a\s+|the\s+)?(?:pull\s+request|pr|code\s+review"
        r"|review)\b",
    ),
    _rule(
        "approv merg / ^own",
        r"\b(?:approve|merge)\s+(?:your|its)\s+own\s+(?:pr|pull\s+request|change|code)",
    ),
    _rule(
        "--dangerously --yolo --no-sandbox --allow-all --full-auto --approval-mode",
        r"--dangerously[\w-]*|--yolo\b|--no-sandbox\b|--allow-all-tools\b|--full-auto\b"
        r"|--approval-mode[= ]+(?:full-auto|yolo)",
    ),
    _rule(
        "() / ^true ^1 ^ok / *permission *auth *allowed can_ is_ *check *verify *validat has_"
        " *requir *role",
        r"(?:permission|auth\w*|allowed|authori[sz]ed|can_\w+|is_(?:admin|allowed|authorized"
        r"|staff|superuser)|check\w*|verify\w*|validate\w*|has_\w+|require\w*|role\w*)\w*\(\)`?[^\n]{0,60}?"
        r"(?:\b(?:returns?|devuelv\w*|retourn\w*|renvoi\w*|zurück\w*|liefer\w*|restitu\w*|ritorn\w*"
        r"|retorn\w*|возвращ\w*|верн\w*)\s+(?:always\s+|siempre\s+|toujours\s+|immer\s+|sempre\s+"
        r"|всегда\s+)?|返回|返す|を返)`?(?:true|1|ok)\b",
    ),
    _rule(
        "去掉 去除 关掉 禁用 关闭 移除 删除 绕过 跳过 所有请求 認証 権限 検証",
        r"(?:去掉|去除|关掉|禁用|关闭|移除|删除|绕过|跳过)\s?\S{0,10}?(?:校验|验证|认证|鉴权|权限检查)"
        r"|所有请求\S{0,4}(?:放行|通过)|(?:認証|権限チェック|検証)\S{0,6}(?:無効|外し|削除|オフ|スキップ)",
    ),
    _rule(
        "deploy ^ssh gpg public / write push admin maintain / access",
        r"\b(?:add|install|register|upload)\w*\s+(?:this|the\s+following|my|our|a|an)?\s*(?:deploy"
        r"|ssh|gpg|public)\s+key\b(?:[^.\n]|\.(?=\S)){0,60}?\b(?:write|push|admin|maintain)\s+access",
    ),
    _rule(
        "codeql gosec bandit semgrep snyk trivy dependabot secret ^sast security",
        r"\b(?:delete|remove|drop|disable|skip|comment\s+out)\w*\s+(?:\S+\s+){0,3}?`?(?:[\w./-]*codeql"
        r"[\w./-]*|gosec|bandit|semgrep|snyk|trivy|dependabot\w*|secret[-\s]scanning|sast"
        r"|security[-\s](?:scan|test|check)\w*)",
    ),
    _rule(
        "desactiv deshabilit disattiv deaktivier désactiv desativ отключи / seguridad sicurezza"
        " sicherheit sécurité segurança безопасност",
        r"(?:desactiva\w*|deshabilita\w*|disattiva\w*|deaktivier\w*|désactive\w*|desativ\w*"
        r"|отключи\w*)\s+(?:\S+\s+){0,3}?(?:seguridad|sicurezza|sicherheit\w*|sécurité|segurança"
        r"|безопасност\w*)",
    ),
)
WEAKENING = AttackClass(
    code="security-weakening",
    name="weakens security or changes CI to use secrets",
    pattern=_WEAKENING,
    after=re.compile(
        r"\b(?:remove|drop|delete|replace|revert)\s+(?:it|this|that|them)\b|\binstead\b|\binsecure\b"
        r"|\bunsafe\b|\bdangerous\b|\bvulnerab\w*",
        _I,
    ),
    guard=_guard(_NEGATED, _DISCUSSED, _REPLACED, r"unless", r"option\s+to",
                 r"setting\s+to", r"flag\s+to", r"allow\w*\s+(?:admins?|users?|owners?)\s+to",
                 r"let\s+(?:admins?|users?|owners?)", r"bug\w*"),
    points=100,
)  # fmt: skip


_SEARCHED = tuple(sorted(hint for hint in _ALL_SEARCHED if hint.isascii()))
_SEARCHED_OTHER = tuple(sorted(hint for hint in _ALL_SEARCHED if not hint.isascii()))

CLASSES: tuple[AttackClass, ...] = (
    ADDRESSED,
    OVERRIDE,
    CONCEALMENT,
    FETCH_AND_RUN,
    EXFILTRATION,
    WEAKENING,
)
"""Every class, in the order findings are reported."""

# a hidden part (an HTML or Markdown comment) that names an agent is speaking to it
MENTIONS_AGENT = re.compile(
    r"\b(?:" + _AGENT_NAMES + "|" + _MACHINE + r"|llms?|ki|ia|ии)s?\b"
    r"|人工智能|智能体|ai助手|エージェント|アシスタント",
    _I,
)
