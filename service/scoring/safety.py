"""Safety dimension (SCORING.md): may an agent be handed this text at all?

A ticket's text becomes an agent's instructions, so it is attack surface. This
module reads every field the agent may see: the title, the body (prose, code,
HTML and Markdown comments, link titles, image alt text, `<details>`) and every
comment but backlog-sync's own. Each text is first normalised the way an
attacker's obfuscation is undone:

- zero-width, bidirectional control and Unicode tag characters are removed (and
  reported: they hide text from a reviewer), and a message spelt in tag
  characters is read as the ASCII it stands for;
- HTML entities are decoded (`&#105;gnore` is "ignore"), the text is put in NFKC
  (full-width and other compatibility letters become plain ones), and Cyrillic
  or Greek look-alike letters inside a Latin word become Latin.

The normalised text is matched against the classes of attack of
`service.scoring.attacks` (addressed to the agent, instruction override in nine
languages, concealment, fetch-and-run, exfiltration, weakening security). Each
class found is one blocking finding that says which class it is, where it was
found and, in `evidence`, the offending span. Besides:

- hidden content: an HTML or Markdown comment that speaks to an agent; long
  encoded blobs (decoded and checked);
- author trust: an untrusted author needs the approval label, added by a
  trusted person (`approval_verified`); an unknown trust (offline exports) is
  not held back for trust alone.

A blocking finding sends the ticket to needs-review and a person decides. The
text is only matched against patterns, never followed.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
import unicodedata
from dataclasses import dataclass

from connectors.base import OWN_COMMENT_MARKER, Ticket, Trust
from service.scoring import attacks
from service.scoring.assessment import Dimension, DimensionScore, FindingTally
from service.scoring.document import Document
from service.scoring.policy import Policy

HIDDEN_COMMENT_POINTS = 60
INVISIBLE_POINTS = 60
STRAY_INVISIBLE_POINTS = 5  # a zero-width space alone between words or lines: pasted, hides nothing
ENCODED_BLOB_POINTS = 20  # a blob that decodes to nothing suspicious: worth a look, not a block
HOSTILE_BLOB_POINTS = 100
UNTRUSTED_POINTS = 50
TEMPLATE_COMMENT_POINTS = 5  # an ordinary HTML comment: text the agent sees and reviewers don't

_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0"  # zero-width, bidi and other blanks
    "\U000e0000-\U000e007f]"  # Unicode tags: invisible ASCII look-alikes
)
_TAGS = re.compile("[\U000e0020-\U000e007e]+")
# bidirectional controls and tags hide or reorder text wherever they are
_ALWAYS_HIDING = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f]")
_BASE64_BLOB = re.compile(r"(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{120,}={0,2}(?![A-Za-z0-9+/=])")
_HEX_BLOB = re.compile(r"(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}){100,}(?![0-9A-Fa-f])")
_BLOB_CHARS = 120  # the shortest blob either blob pattern matches
_PRINTABLE_RATIO = 0.9
_OWN_MARKER_TEXT = OWN_COMMENT_MARKER.strip("<!-> ")  # our own comment's marker, unwrapped

# Where in a text a match was: parts a reader of the rendered ticket does not see
_HIDDEN_PARTS = (
    ("an HTML comment", re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)),
    (
        "a Markdown comment",
        re.compile(r"(?m)^[ \t]{0,3}\[(?://|#|comment|_|\s*)\]:[ \t]*(?:#|<>)[^\n]*"),
    ),
    ("a link title", re.compile(r"\]\([^()\s]*\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\))\s*\)")),
    ("an image's alt text", re.compile(r"!\[[^\]\n]*\]")),
    ("a collapsed <details> block", re.compile(r"<details\b.*?(?:</details>|$)", re.DOTALL | re.I)),
)
_COMMENTS = (_HIDDEN_PARTS[0][1], _HIDDEN_PARTS[1][1])  # invisible even when expanded

# Cyrillic and Greek letters that look like Latin ones, for words that mix them
_LOOK_ALIKES = str.maketrans(
    "АВЕЅІЈКМНОРСТХУаеіјоросхуѕԁԛԝһӏΑΒΕΗΙΚΜΝΟΡΤΥΧΖαεικνορτυχ",
    "ABESIJKMHOPCTXYaeijopocxysdqwhlABEHIKMNOPTYXZaeiknoptux",
)
_MIXED_WORD = re.compile(r"\w*[A-Za-z]\w*")
# emphasis inside a word ("ig**no**re") reads as the word
_INNER_EMPHASIS = re.compile(r"(?<=[^\W\d_])(?:\*{1,3}|~~)(?=[^\W\d_])")
# a ticket that is about invisible characters shows some: that is no attempt to hide
_DISCUSSES_INVISIBLE = re.compile(
    r"zero[- ]width|invisible\s+(?:unicode\s+)?char|u\+(?:200[b-f]|feff|2060)|\bzwsp\b|\bzwj\b"
    r"|\bzwnj\b|\bsoft\s+hyphen",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Normalised:
    """A text as matched: obfuscation undone, and what was removed from it."""

    text: str
    invisible: tuple[str, ...]  # hiding characters removed: inside a word, bidi controls, tags
    stray: tuple[str, ...]  # zero-width characters removed that stood between words or lines
    tag_message: str  # the ASCII a run of Unicode tag characters spells, "" when none


def normalise(text: str) -> Normalised:
    """Undo the ways an instruction is hidden from a reader or a pattern."""
    if text.isascii():
        if "&" in text:
            text = html.unescape(text)
        if "*" in text or "~" in text:
            text = _INNER_EMPHASIS.sub("", text)
        if text.isascii():
            return Normalised(text, (), (), "")
    tag_message = " ".join(
        "".join(chr(ord(ch) - 0xE0000) for ch in run) for run in _TAGS.findall(text)
    )
    invisible: list[str] = []
    stray: list[str] = []
    for m in _INVISIBLE.finditer(text):
        if (m.start() == 0 and m.group(0) == "\ufeff") or _joins_script(text, m.start()):
            continue  # a byte-order mark at the start, a joiner in an emoji or a script
        hiding = _ALWAYS_HIDING.match(m.group(0)) or _inside_word(text, m.start(), m.end())
        (invisible if hiding else stray).append(m.group(0))
    text = _INVISIBLE.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text)
    text = _MIXED_WORD.sub(_fold_look_alikes, text)
    text = _INNER_EMPHASIS.sub("", text)
    if invisible and _DISCUSSES_INVISIBLE.search(text):
        # shown as examples, not hiding anything: bidi controls and tags still are
        stray += [ch for ch in invisible if not _ALWAYS_HIDING.match(ch)]
        invisible = [ch for ch in invisible if _ALWAYS_HIDING.match(ch)]
    return Normalised(text, tuple(invisible), tuple(stray), tag_message)


def _inside_word(text: str, start: int, end: int) -> bool:
    """Visible characters on both sides of text[start:end] (once the invisible
    ones around it are left out): it splits a word, as obfuscation does."""
    before = _INVISIBLE.sub("", text[max(0, start - 8) : start])[-1:]
    after = _INVISIBLE.sub("", text[end : end + 8])[:1]
    return bool(before and after and not before.isspace() and not after.isspace())


def _fold_look_alikes(word: re.Match[str]) -> str:
    text = word.group(0)
    return text if text.isascii() else text.translate(_LOOK_ALIKES)


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


@dataclass(frozen=True, slots=True)
class _Text:
    """One field the agent may see, normalised, and what to call it in messages."""

    where: str
    text: Normalised
    reading: attacks.Reading
    title_length: int = 0  # the description starts with the title and a line break


def _texts(ticket: Ticket) -> list[_Text]:
    description = normalise(f"{ticket.title}\n{ticket.body}")
    title_length = len(normalise(ticket.title).text)
    texts = [
        _Text("the description", description, attacks.Reading.of(description.text), title_length)
    ]
    for comment in ticket.comments:
        if comment.is_own:
            continue
        who = f"comment {comment.id}" + (f" by {comment.author}" if comment.author else "")
        body = normalise(comment.body)
        texts.append(_Text(who, body, attacks.Reading.of(body.text)))
    return texts


def _where(item: _Text, start: int) -> str:
    """Where a match at `start` is, for a reader: the title, a hidden part, the text."""
    if start < item.title_length:
        return "the title"
    text = item.text.text
    for name, part in _HIDDEN_PARTS:
        if part.search(text) is None:
            continue
        for m in part.finditer(text):
            if m.start() <= start < m.end():
                return f"{name} in {item.where}"
    return item.where


def _check_classes(texts: list[_Text], out: FindingTally) -> None:
    for attack in attacks.CLASSES:
        for item in texts:
            found = _first(attack, item)
            if found is not None:
                where, evidence = found
                name = attack.name
                if attack is attacks.OVERRIDE:
                    name += f" ({attacks.override_language(evidence)})"
                out.add(
                    attack.code,
                    attack.points,
                    f"Text in {where} {name} ({attack.code}).",
                    "Remove the text aimed at the agent; a maintainer must review the ticket.",
                    blocking=True,
                    evidence=evidence,
                )
                break


def _first(attack: attacks.AttackClass, item: _Text) -> tuple[str, str] | None:
    """Where `attack` first matches in `item` and the quoted span, or None."""
    for match in attack.matches(item.reading):
        return _where(item, match.start()), attacks.quote(item.reading.text, match)
    if item.text.tag_message:
        hidden = attacks.Reading.of(item.text.tag_message)
        for match in attack.matches(hidden):
            return f"Unicode tag characters in {item.where}", attacks.quote(hidden.text, match)
    return None


def _hidden_comments(item: _Text) -> list[str]:
    text = item.text.text
    if "<!--" not in text and "]:" not in text:
        return []
    return [
        m.group(0)
        for part in _COMMENTS
        for m in part.finditer(text)
        if _OWN_MARKER_TEXT not in m.group(0) and m.group(0).strip("<!-> \t\n")
    ]


def _check_hidden(item: _Text, out: FindingTally) -> None:
    comments = _hidden_comments(item)
    speaking = [c for c in comments if attacks.MENTIONS_AGENT.search(c)]
    if speaking:
        out.add(
            "hidden-html-comment",
            HIDDEN_COMMENT_POINTS,
            f"{len(speaking)} hidden comment(s) in {item.where} speak to an agent.",
            "Remove hidden comments or move their content into the visible text.",
            blocking=True,
            evidence=attacks.quote_text(speaking[0]),
        )
    elif comments:
        out.add(
            "html-comment",
            TEMPLATE_COMMENT_POINTS,
            f"{len(comments)} hidden comment(s) in {item.where}: text the agent sees "
            "and a reviewer does not.",
            "Delete leftover HTML comments (issue-template instructions) from the text.",
        )
    invisible = list(item.text.invisible)
    if invisible:
        out.add(
            "invisible-characters",
            INVISIBLE_POINTS,
            f"{len(invisible)} invisible or text-direction control character(s) in {item.where} "
            f"({_describe(invisible)}).",
            "Remove zero-width and bidirectional control characters from the text.",
            blocking=True,
        )
    elif item.text.stray:
        out.add(
            "stray-invisible-characters",
            STRAY_INVISIBLE_POINTS,
            f"{len(item.text.stray)} zero-width character(s) between words or lines in "
            f"{item.where} ({_describe(list(item.text.stray))}).",
            "Remove zero-width characters left over from pasting.",
        )
    _check_blobs(item, out)


def _describe(characters: list[str]) -> str:
    names = sorted({f"U+{ord(ch):04X}" for ch in characters})
    return ", ".join(names[:5]) + (" ..." if len(names) > 5 else "")


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


def _has_long_run(text: str) -> bool:
    """A run of _BLOB_CHARS characters without whitespace, which every blob is.

    (`str.split` and the regex class `\\s` agree on what whitespace is.)
    """
    return len(text) >= _BLOB_CHARS and max(map(len, text.split()), default=0) >= _BLOB_CHARS


def _check_blobs(item: _Text, out: FindingTally) -> None:
    text = item.text.text
    if not _has_long_run(text):
        return
    blobs = _BASE64_BLOB.findall(text) + _HEX_BLOB.findall(text)
    if not blobs:
        return
    hostile = None
    for blob in blobs:
        decoded = _decoded_blob(blob)
        if decoded is None:
            continue
        reading = attacks.Reading.of(normalise(decoded).text)
        hostile = next(
            (attack for attack in attacks.CLASSES if next(attack.matches(reading), None)),
            None,
        )
        if hostile is not None:
            break
    out.add(
        "encoded-blob",
        HOSTILE_BLOB_POINTS if hostile else ENCODED_BLOB_POINTS,
        f"{len(blobs)} long encoded blob(s) in {item.where}"
        + (f" that decode to text which {hostile.name} ({hostile.code})." if hostile else "."),
        "Replace encoded blobs with a link to the file, or explain what they hold.",
        blocking=hostile is not None,
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
    """Safety 0..100; a blocking finding sends the ticket to needs-review.

    (`doc` is the parsed body the other dimensions read; safety reads the raw text,
    normalised, since an attack hides where a parser looks away.)
    """
    del doc
    out = FindingTally(Dimension.SAFETY)
    texts = _texts(ticket)
    _check_classes(texts, out)
    for item in texts:
        _check_hidden(item, out)
    _check_author(ticket, policy, out)
    return out.result()
