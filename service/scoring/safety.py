"""Safety dimension (SCORING.md): may an agent be handed this text at all?

A ticket's text becomes an agent's instructions, so it is attack surface. This
module looks at the title, the body (prose, code, HTML comments) and every
comment the agent may see (all but backlog-sync's own), for:

- prompt injection: text that addresses the agent ("ignore previous
  instructions", "you are now ...", "do not tell the user");
- hidden content: HTML comments carrying instructions, zero-width, bidirectional
  control and Unicode tag characters, long encoded blobs (decoded and checked);
- commands that fetch and run code (`curl ... | sh`) or send secrets elsewhere;
- author trust: an untrusted author needs the approval label, added by a
  trusted person (`approval_verified`); an unknown trust (offline exports) is
  not held back for trust alone.

Each of these is a blocking finding: the verdict becomes needs-review and a
person decides. The text is only matched against patterns, never followed.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from connectors.base import OWN_COMMENT_MARKER, Ticket, Trust
from service.scoring.assessment import Dimension, DimensionScore, FindingTally
from service.scoring.document import Document
from service.scoring.patterns import ASCII, Pattern, ascii_spaces, text_kind
from service.scoring.policy import Policy

INJECTION_POINTS = 100
HIDDEN_COMMENT_POINTS = 60
INVISIBLE_POINTS = 60
FETCH_AND_RUN_POINTS = 60
EXFILTRATION_POINTS = 80
ENCODED_BLOB_POINTS = 20  # a blob that decodes to nothing suspicious: worth a look, not a block
UNTRUSTED_POINTS = 50
TEMPLATE_COMMENT_POINTS = 5  # an ordinary HTML comment: text the agent sees and reviewers don't

_I = re.IGNORECASE

# text that talks to the agent rather than describing the work
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass|skip)\s+(?:all\s+|any\s+|the\s+|your\s+|every\s+)?"
    r"(?:previous|prior|above|earlier|preceding|former|original|system|other|existing)\s+"
    r"(?:instructions?|prompts?|rules|directions|guidelines|context|messages?|constraints)"
    r"|\b(?:ignore|disregard|forget)\s+(?:everything|all)\s+(?:above|before|you\s+were\s+told)"
    r"|\byou\s+are\s+now\s+(?:a|an|the|in|my|no\s+longer|free|unrestricted|dan)\b"
    r"|\b(?:do\s+not|don't|never)\s+(?:tell|inform|mention\s+(?:this|it)\s+to|alert|notify)"
    r"\s+(?:the\s+)?(?:user|users|human|humans|reviewer|reviewers|maintainers?|anyone|them)\b"
    r"|\bwithout\s+(?:telling|informing|notifying|alerting)\s+(?:the\s+)?"
    r"(?:user|human|reviewer|maintainers?|anyone)\b"
    r"|\b(?:new|updated|real|actual|hidden)\s+(?:system\s+)?instructions\s*:"
    r"|\b(?:reveal|print|output|leak)\s+(?:your|the)\s+(?:system\s+)?(?:prompt|instructions)\b"
    r"|\b(?:attention|note\s+to|message\s+to|instructions?\s+for)\s+(?:the\s+)?"
    r"(?:ai|llm|agent|assistant|copilot|language\s+model|coding\s+agent|bot)\b"
    r"|\bas\s+an?\s+(?:ai|llm|language\s+model)\b[^.\n]{0,40}\b(?:must|should|will)\b"
    r"|\b(?:ai|llm|agent|assistant|copilot)s?\s*[:,]\s*(?:ignore|you\s+must|do\s+not|always|never)"
    r"|\bpretend\s+(?:to\s+be|you\s+are)\b|\bact\s+as\s+(?:if\s+you|an?\s+unrestricted)",
    _I,
)
# an HTML comment that speaks to a machine reader (template instructions speak to people)
_ADDRESSES_AGENT = re.compile(
    r"\b(?:ai|llm|agent|assistant|copilot|language\s+model|claude|gpt|chatgpt|gemini)s?\b", _I
)
_INVISIBLE = re.compile(
    "[\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\u180e\ufeff"  # zero-width
    "\u202a-\u202e\u2066-\u2069"  # bidirectional embedding, override and isolate controls
    "\U000e0000-\U000e007f]"  # Unicode tags: invisible ASCII look-alikes
)
_BASE64_BLOB = re.compile(r"(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{120,}={0,2}(?![A-Za-z0-9+/=])")
_HEX_BLOB = re.compile(r"(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}){100,}(?![0-9A-Fa-f])")
_FETCH_AND_RUN = re.compile(
    r"\b(?:curl|wget|iwr|invoke-webrequest|fetch)\b[^\n|;]{0,300}\|\s*(?:sudo\s+)?"
    r"(?:ba|z|da|k|fi)?sh\b"
    r"|\b(?:curl|wget|iwr|invoke-webrequest)\b[^\n|;]{0,300}\|\s*(?:sudo\s+)?"
    r"(?:python[0-9.]*|perl|ruby|node|php|iex|invoke-expression|powershell)\b"
    r"|(?:ba|z)?sh\s+<\(\s*(?:curl|wget)\b"
    r"|\b(?:ba|z)?sh\s+-c\s+[\"']?\$\(\s*(?:curl|wget)\b"
    r"|\b(?:iex|invoke-expression)\b[^\n]{0,40}(?:downloadstring|iwr|invoke-webrequest|net\.webclient)"
    r"|\bpowershell(?:\.exe)?\s+[^\n]{0,40}-e(?:nc(?:odedcommand)?)?\s+[A-Za-z0-9+/=]{20,}",
    _I,
)
_SENSITIVE_SOURCES = (  # names of secrets and the files that hold them
    r"(?:\$\{?\w*(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_?KEY|CREDENTIALS?)\w*\}?"
    r"|~/\.ssh\b|\.ssh/id_\w+|~/\.aws\b|\.aws/credentials|\.netrc|\.env\b|/etc/shadow"
    r"|\bprintenv\b|\$\(\s*env\s*\)|`env`|\benv\s*\|)"
)
_EXFILTRATION = re.compile(
    r"\b(?:curl|wget|nc|ncat|netcat|scp|rsync|invoke-webrequest|iwr|http)\b[^\n]{0,200}"
    + _SENSITIVE_SOURCES
    + r"|"
    + _SENSITIVE_SOURCES
    + r"[^\n]{0,200}\|\s*(?:curl|wget|nc|ncat|netcat)\b"
    r"|\b(?:send|post|upload|email|forward|paste|share)\s+(?:the\s+|your\s+|all\s+|our\s+)?"
    r"(?:\w+\s+)?(?:tokens?|secrets?|credentials?|passwords?|api\s+keys?|private\s+keys?"
    r"|ssh\s+keys?|env(?:ironment)?\s+variables?)\s+to\b",
    _I,
)
_HTML_COMMENT = re.compile(r"<!--(.*?)(?:-->|$)", re.DOTALL)
_OWN_MARKER_TEXT = OWN_COMMENT_MARKER.strip("<!-> ")  # our own comment's marker, unwrapped

# Cheap substring tests, in lower case, that every match of a pattern needs: the
# pattern runs only on text that has one of them (most tickets have none).
_WORD = Pattern(r"[^\W_]+")  # maximal runs of letters and digits: what \b delimits
# ASCII text with every character but letters and digits made a space: str.split()
# then finds what _WORD does (and faster)
_ASCII_WORD_SPACES = ascii_spaces(str.isalnum)
_IGNORE = frozenset({"ignore", "disregard", "forget", "override", "bypass", "skip"})
_MACHINE = frozenset(
    {
        "ai", "ais", "llm", "llms", "agent", "agents", "assistant", "assistants", "copilot",
        "copilots", "language", "coding", "bot", "bots",
    }
)  # fmt: skip
_EARLIER = frozenset(
    {
        "previous", "prior", "above", "earlier", "preceding", "former", "original", "system",
        "other", "existing",
    }
)  # fmt: skip
# Every match of _INJECTION holds, as whole words, one word of each set of one of these
# combinations (one combination per alternative of the pattern, in order), so the
# pattern runs only on text whose words pass one of them (most tickets pass none).
_INJECTION_GATES: tuple[tuple[frozenset[str], ...], ...] = (
    (_IGNORE, _EARLIER),
    (_IGNORE, frozenset({"everything", "all"})),
    (frozenset({"you"}), frozenset({"are"}), frozenset({"now"})),
    (
        frozenset({"tell", "inform", "mention", "alert", "notify"}),
        frozenset({"not", "don", "never"}),
    ),
    (frozenset({"without"}), frozenset({"telling", "informing", "notifying", "alerting"})),
    (frozenset({"instructions"}),),
    (frozenset({"prompt"}), frozenset({"reveal", "print", "output", "leak"})),
    (frozenset({"attention", "note", "message", "instruction", "instructions"}), _MACHINE),
    (frozenset({"ai", "llm", "language"}), frozenset({"must", "should", "will"})),
    (_MACHINE,),
    (frozenset({"pretend"}),),
    (frozenset({"act"}), frozenset({"as"})),
)
_GATE_OPENERS = frozenset().union(*(gate[0] for gate in _INJECTION_GATES))
# Finds an opener that is a whole word (a maximal run of letters and digits), in text
# whose underscores were made spaces (then `\b` delimits exactly what _WORD does).
# Cheaper than splitting the whole text into words, and most texts hold no opener.
_GATE_OPENER = Pattern(
    r"\b(?=["
    + "".join(sorted({word[0] for word in _GATE_OPENERS}))
    + r"])(?:"
    + "|".join(sorted(_GATE_OPENERS, key=lambda word: (-len(word), word)))
    + r")\b"
)
_BLOB_CHARS = 120  # the shortest blob either blob pattern matches
_FETCH_HINTS = ("curl", "wget", "iwr", "invoke-", "iex", "powershell", "<(", "sh -c")
_SENSITIVE_HINTS = (
    "token", "secret", "password", "passwd", "api_key", "apikey", "api key", "access_key",
    "accesskey", "credential", "private key", "ssh", ".aws", ".netrc", ".env", "/etc/shadow",
    "printenv", "env", "environment variable",
)  # fmt: skip
_PRINTABLE_RATIO = 0.9


@dataclass(frozen=True, slots=True)
class _Text:
    """One piece of text the agent may see, and where it came from (for messages)."""

    where: str
    text: str
    html_comments: tuple[str, ...]


def _texts(ticket: Ticket, doc: Document) -> list[_Text]:
    texts = [_Text("the description", f"{ticket.title}\n{ticket.body}", doc.html_comments)]
    for comment in ticket.comments:
        if comment.is_own:
            continue
        who = f"comment {comment.id}" + (f" by {comment.author}" if comment.author else "")
        comments = tuple(m.group(1).strip() for m in _HTML_COMMENT.finditer(comment.body))
        texts.append(_Text(who, comment.body, comments))
    return texts


def _decoded_blob(blob: str) -> str | None:
    """The text a base64 or hex blob decodes to, when it is mostly printable text."""
    raw: bytes
    try:
        if _HEX_BLOB.fullmatch(blob):
            raw = bytes.fromhex(blob)
        else:
            raw = base64.b64decode(blob + "=" * (-len(blob) % 4), validate=False)
    except (binascii.Error, ValueError):
        return None
    text = raw.decode("utf-8", errors="replace")
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\n\t")
    return text if text and printable / len(text) >= _PRINTABLE_RATIO else None


def _joins_script(text: str, index: int) -> bool:
    """A zero-width joiner inside an emoji sequence, or a non-joiner inside a word of a
    script that needs it (Persian, Indic): ordinary writing, not hidden content."""
    before = text[index - 1] if index > 0 else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    if text[index] == "\u200d":
        return any(
            ch and (ord(ch) >= 0x1F000 or 0x2600 <= ord(ch) <= 0x27BF or ord(ch) == 0xFE0F)
            for ch in (before, after)
        )
    if text[index] == "\u200c":
        return bool(
            before
            and after
            and ord(before) > 0x5FF
            and ord(after) > 0x5FF
            and before.isalpha()
            and after.isalpha()
        )
    return False


def _invisible_characters(text: str) -> list[str]:
    if text.isascii():  # every character _INVISIBLE matches is outside ASCII
        return []
    return [
        m.group(0)
        for m in _INVISIBLE.finditer(text)
        if not (m.start() == 0 and m.group(0) == "\ufeff")  # a byte-order mark at the start
        and not _joins_script(text, m.start())
    ]


def _describe(characters: list[str]) -> str:
    names = sorted({f"U+{ord(ch):04X}" for ch in characters})
    return ", ".join(names[:5]) + (" ..." if len(names) > 5 else "")


def _has(lower: str, hints: tuple[str, ...]) -> bool:
    return any(map(lower.__contains__, hints))  # (no generator: this runs often)


def _may_address_agent(lower: str, kind: int | None = None) -> bool:
    """False when no match of _INJECTION can be in the text (see _INJECTION_GATES).

    `lower` is the text in lower case; `kind` its `text_kind`, if known.
    """
    if kind is None:
        kind = text_kind(lower)
    if kind == ASCII:
        tokens = lower.translate(_ASCII_WORD_SPACES).split()  # (a fast path of CPython's)
        if _GATE_OPENERS.isdisjoint(tokens):
            return False
        words = frozenset(tokens)
    else:
        if _GATE_OPENER.search(lower.replace("_", " "), kind) is None:
            return False
        words = frozenset(_WORD.findall(lower, kind))
    if words.isdisjoint(_GATE_OPENERS):
        return False
    return any(all(words & needed for needed in gate) for gate in _INJECTION_GATES)


def _has_long_run(text: str) -> bool:
    """A run of _BLOB_CHARS characters without whitespace, which every blob is.

    (`str.split` and the regex class `\\s` agree on what whitespace is.)
    """
    return len(text) >= _BLOB_CHARS and max(map(len, text.split()), default=0) >= _BLOB_CHARS


def _check_text(item: _Text, out: FindingTally) -> None:
    lower = item.text.lower()
    if _may_address_agent(lower, text_kind(item.text)) and _INJECTION.search(item.text):
        out.add(
            "prompt-injection",
            INJECTION_POINTS,
            f"Text in {item.where} addresses the agent (an attempt to steer it).",
            "Remove the text addressed to the agent; a maintainer must review the ticket.",
            blocking=True,
        )
    instructions = [c for c in item.html_comments if c and _OWN_MARKER_TEXT not in c]
    ordering = [
        c
        for c in instructions
        if _ADDRESSES_AGENT.search(c)
        or _INJECTION.search(c)
        or _FETCH_AND_RUN.search(c)
        or _EXFILTRATION.search(c)
    ]
    if ordering:
        out.add(
            "hidden-html-comment",
            HIDDEN_COMMENT_POINTS,
            f"{len(ordering)} HTML comment(s) in {item.where} carry hidden instructions.",
            "Remove hidden HTML comments or move their content into the visible text.",
            blocking=True,
        )
    elif instructions:
        out.add(
            "html-comment",
            TEMPLATE_COMMENT_POINTS,
            f"{len(instructions)} HTML comment(s) in {item.where}: text the agent sees "
            "and a reviewer does not.",
            "Delete leftover HTML comments (issue-template instructions) from the text.",
        )
    invisible = _invisible_characters(item.text)
    if invisible:
        out.add(
            "invisible-characters",
            INVISIBLE_POINTS,
            f"{len(invisible)} invisible or text-direction control character(s) in {item.where} "
            f"({_describe(invisible)}).",
            "Remove zero-width and bidirectional control characters from the text.",
            blocking=True,
        )
    if _has(lower, _FETCH_HINTS) and _FETCH_AND_RUN.search(item.text):
        out.add(
            "fetch-and-run",
            FETCH_AND_RUN_POINTS,
            f"{item.where.capitalize()} contains a command that downloads code and runs it.",
            "Replace the download-and-run command with a pinned, reviewed install step.",
            blocking=True,
        )
    if _has(lower, _SENSITIVE_HINTS) and _EXFILTRATION.search(item.text):
        out.add(
            "secret-exfiltration",
            EXFILTRATION_POINTS,
            f"{item.where.capitalize()} asks to send secrets or credentials elsewhere.",
            "Remove any step that reads secrets or sends them to another host.",
            blocking=True,
        )
    blobs = (
        _BASE64_BLOB.findall(item.text) + _HEX_BLOB.findall(item.text)
        if _has_long_run(item.text)
        else []
    )
    if blobs:
        decoded = [_decoded_blob(blob) for blob in blobs]
        hostile = any(
            text is not None
            and (
                _INJECTION.search(text) or _FETCH_AND_RUN.search(text) or _EXFILTRATION.search(text)
            )
            for text in decoded
        )
        out.add(
            "encoded-blob",
            INJECTION_POINTS if hostile else ENCODED_BLOB_POINTS,
            f"{len(blobs)} long encoded blob(s) in {item.where}"
            + (" that decode to instructions for the agent." if hostile else "."),
            "Replace encoded blobs with a link to the file, or explain what they hold.",
            blocking=hostile,
        )


def _check_author(ticket: Ticket, policy: Policy, out: FindingTally) -> None:
    if ticket.author_trust is not Trust.UNTRUSTED:
        return
    if ticket.author is not None and ticket.author in policy.trusted_authors:
        return
    approval = policy.labels.approved
    if approval in ticket.labels and ticket.approval_verified:
        return
    if approval in ticket.labels:
        message = (
            f"Written by an untrusted author, and the '{approval}' label was not added by a "
            "trusted person."
        )
    else:
        message = f"Written by an untrusted author and not approved with '{approval}'."
    out.add(
        "untrusted-author",
        UNTRUSTED_POINTS,
        message,
        f"A maintainer reviews the ticket and adds the '{approval}' label.",
        blocking=True,
    )


def score(ticket: Ticket, doc: Document, policy: Policy) -> DimensionScore:
    """Safety 0..100; a blocking finding sends the ticket to needs-review."""
    out = FindingTally(Dimension.SAFETY)
    for item in _texts(ticket, doc):
        _check_text(item, out)
    _check_author(ticket, policy, out)
    return out.result()
