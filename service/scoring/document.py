"""A ticket's Markdown, parsed once into the parts scoring reads.

The body is parsed with markdown-it-py into a token stream and walked once.
Prose (paragraphs, list items, headings, table cells) is kept apart from code
(fenced and indented blocks, inline code), so a question mark or a "TODO" inside
a stack trace is not mistaken for an open question, and a path in a code span is
recognised as a technical pointer. The dimensions (size, independence, clarity,
safety) read this document; none of them parses the body again.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt

from service.scoring.patterns import ANY, ASCII, Pattern, ascii_spaces, ascii_words, text_kind

_CHECKBOX = re.compile(r"^\[( |x|X)\]\s+")
_HTML_COMMENT = re.compile(r"<!--(.*?)(?:-->|$)", re.DOTALL)
_GITHUB_REF = Pattern(r"(?<![\w/&])(?:(?P<repo>[A-Za-z0-9][\w.-]*/[\w.-]+))?#(?P<number>\d{1,7})\b")
_GITHUB_URL_REF = Pattern(
    r"https?://github\.com/(?P<repo>[\w.-]+/[\w.-]+)/(?:issues|pull)/(?P<number>\d+)"
)
# (the look-behind comes after the first letter, where it checks the same character,
# so that the search can skip to capital letters)
_JIRA_REF = Pattern(r"(?P<key>[A-Z](?<![\w/-].)[A-Z0-9_]{1,15}-\d{1,7})\b")
_WORD = Pattern(r"[^\W_]+(?:['’][^\W_]+)?")
# ASCII text with every character that is neither a letter, a digit nor "'" made a space
_ASCII_WORD_SPACES = ascii_spaces(lambda c: c.isalnum() or c == "'")
_REF_CONTEXT_CHARS = 80
_REF_AFTER_CHARS = 40
_PATH = Pattern(
    r"(?<![\w./:-])(?:[\w.-]+/)+[\w.-]*\w(?:\.[A-Za-z0-9]{1,8})?/?"
    r"|(?<![\w./:-])[\w-]+\.(?:py|pyi|js|jsx|ts|tsx|go|rs|java|kt|rb|php|cs|c|h|cc|cpp|hpp"
    r"|swift|m|scala|sql|yaml|yml|toml|json|md|html|css|scss|vue|svelte|sh|tf|proto)\b"
)
_TRAILING_PUNCTUATION = ".,;:!?)]}'\"`"
_FILE_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,7}$")
_NOT_AREA = re.compile(r"^(?:https?|ftp|mailto)|^\.\.?/?$|^\d+(?:/\d+)+$|^[\w.-]+/[\w.-]+#")


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    """The one markdown-it-py parser ticket bodies go through: CommonMark, HTML, tables.

    Shared, so that a benchmark can time parsing alone with the same configuration.
    """
    return MarkdownIt("commonmark", {"html": True}).enable("table")


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    text: str
    checked: bool


@dataclass(frozen=True, slots=True)
class CodeBlock:
    info: str  # the fence's language tag, "" when none
    content: str


@dataclass(frozen=True, slots=True)
class TicketRef:
    """A reference to another ticket in the prose.

    `target` is as written, normalised: `#12`, `owner/repo#12` or `PROJ-7`.
    `context` is the prose just before the reference (lower case), which is
    where "blocked by", "depends on" or "after" would be; `after` is the prose
    just after it ("... lands", "... first"), and `section` the heading of the
    section it appears in (lower case, "" for the preamble and the title).
    """

    target: str
    context: str
    after: str = ""
    section: str = ""


@dataclass(slots=True)
class Section:
    """The text under one heading (the preamble before any heading has level 0)."""

    heading: str
    level: int
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # list items, checkbox stripped
    checklist: list[ChecklistItem] = field(default_factory=list)
    code_blocks: int = 0

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs + self.items)

    @property
    def is_empty(self) -> bool:
        return not (self.paragraphs or self.items or self.code_blocks)


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    body: str  # the raw body, for checks on characters (zero-width, bidi)
    sections: tuple[Section, ...]
    prose: str  # all prose outside code, paragraphs separated by newlines
    checklist: tuple[ChecklistItem, ...]
    list_items: tuple[str, ...]
    code_blocks: tuple[CodeBlock, ...]
    inline_code: tuple[str, ...]
    links: tuple[str, ...]  # link targets (URLs) in the body
    refs: tuple[TicketRef, ...]
    html_comments: tuple[str, ...]
    headings: tuple[str, ...]
    paragraph_count: int
    word_count: int  # words of prose
    areas: tuple[str, ...]  # code areas named: directories of the paths and files mentioned
    lower_words: tuple[str, ...] = ()  # words of prose, lower case, in order
    vocabulary: frozenset[str] = frozenset()  # distinct lower-case words of the title and prose
    prose_vocabulary: frozenset[str] = frozenset()  # distinct lower-case words of the prose
    prose_lower: str = ""  # the prose in lower case
    text_kind: int = ANY  # what kind of text the title and prose are (see patterns.py)

    def prose_search(self, pattern: Pattern) -> re.Match[str] | None:
        """`pattern` searched in the prose (a match's positions are the prose's)."""
        return pattern.search(self.prose, self.text_kind, self.prose_lower)

    def prose_count(self, pattern: Pattern) -> int:
        """How many matches of `pattern` the prose holds."""
        return pattern.count(self.prose, self.text_kind, self.prose_lower)

    def may_hold(self, *needles: str) -> bool:
        """False only when the prose holds none of `needles` (lower-case ASCII words)
        whatever the case: a cheap test before a case-insensitive regex whose every
        match holds one of them. True whenever that cannot be told from `prose_lower`
        (in text of kind ANY, a case-insensitive match need not show there)."""
        if self.text_kind == ANY:
            return True
        return any(map(self.prose_lower.__contains__, needles))

    def sections_matching(self, pattern: re.Pattern[str]) -> list[Section]:
        """Sections whose heading matches `pattern` (searched, case as compiled)."""
        return [s for s in self.sections if s.level > 0 and pattern.search(s.heading)]

    @property
    def words(self) -> list[str]:
        return list(self.lower_words)


def _words(lower: str, kind: int) -> list[str]:
    """The words of `lower` (of kind `kind`) as _WORD finds them, in order."""
    if kind != ASCII:
        return _WORD.findall(lower, kind)
    return ascii_words(lower, _ASCII_WORD_SPACES, _WORD.ascii.findall)


def _find_refs(
    text: str,
    section_starts: list[int] | None = None,
    section_names: list[str] | None = None,
    kind: int = ANY,
) -> list[TicketRef]:
    """Ticket references in `text` (of kind `kind`); `section_starts[i]` is where
    `section_names[i]` begins."""
    starts = section_starts or []
    names = section_names or []

    def ref(target: str, start: int, end: int) -> TicketRef:
        index = bisect.bisect_right(starts, start) - 1
        return TicketRef(
            target=target,
            context=text[max(0, start - _REF_CONTEXT_CHARS) : start].lower(),
            after=text[end : end + _REF_AFTER_CHARS].lower(),
            section=names[index] if index >= 0 else "",
        )

    refs: list[TicketRef] = []
    for pattern in (_GITHUB_URL_REF, _GITHUB_REF) if "#" in text or "github.com" in text else ():
        for m in pattern.finditer(text, kind):
            repo = m.group("repo")
            target = f"{repo}#{m.group('number')}" if repo else f"#{m.group('number')}"
            refs.append(ref(target, m.start(), m.end()))
    for m in _JIRA_REF.finditer(text, kind) if "-" in text else ():
        refs.append(ref(m.group("key"), m.start(), m.end()))
    return refs


def area_of(path: str) -> str:
    """The code area a path belongs to: its directory, at most two levels deep.

    `service/scoring/clarity.py` and `service/scoring/size.py` share the area
    `service/scoring`; a bare file name (`setup.py`) is its own area.
    """
    path = path.strip().strip("`'\"").lstrip("./").rstrip("/.,;:")
    parts = [p for p in path.split("/") if p]
    if len(parts) <= 1:
        return path
    directories = parts[:-1] if "." in parts[-1] else parts
    return "/".join(directories[:2])


def _find_areas(title: str, prose: str, inline_code: list[str]) -> tuple[str, ...]:
    """Code areas named in the title, the prose and inline code.

    In prose a bare `word/word` is more often "and/or" or "client/server" than a
    directory, so outside code a path counts only with a file extension, a
    trailing slash or at least two slashes.

    Candidates are the whitespace-free tokens that hold a "/" or a "." (`str.split`
    and the regex class `\\s` agree on what whitespace is).
    """
    found: set[str] = set()
    for text in (title, prose):
        for token in _path_tokens(text):
            if "/" in token:
                found.update(_areas_in(token, False))
            else:
                stripped = token.rstrip(_TRAILING_PUNCTUATION)
                if "." in stripped and _FILE_EXTENSION.search(stripped):
                    found.update(_areas_in(token, False))
    for code in inline_code:
        for token in code.split():
            if "/" in token or "." in token:
                found.update(_areas_in(token, True))
    return tuple(sorted(found))


_PATH_MARK = re.compile(r"/|\.[A-Za-z]")
_NON_SPACE = re.compile(r"\S*")


def _path_tokens(text: str) -> Iterator[str]:
    """The whitespace-free tokens of `text` that hold a "/" or a "." before a letter,
    in order: those where a path or a file name can be (every other token of
    `text.split()` holds neither).

    Found from the marks, which are few, rather than by looking at every token.
    """
    reverse = ""
    covered = 0  # the end of the last token yielded
    for m in _PATH_MARK.finditer(text):
        at = m.start()
        if at < covered:
            continue  # in the token just yielded
        if not reverse:
            reverse = text[::-1]
        # (the token's start is where its characters before `at`, read backwards, end)
        start = len(text) - _NON_SPACE.match(reverse, len(text) - at).end()  # type: ignore[union-attr]
        covered = _NON_SPACE.match(text, at).end()  # type: ignore[union-attr]
        yield text[start:covered]


def _areas_in(text: str, in_code: bool) -> list[str]:
    """Areas of the paths in one whitespace-free token."""
    found: list[str] = []
    # (no whitespace, so no information separator: ASCII is the token's kind if it is ASCII)
    for m in _PATH.finditer(text, ASCII if text.isascii() else ANY):
        candidate = m.group(0)
        if text[m.end() : m.end() + 1] == "#":  # owner/repo#12 is a ticket, not code
            continue
        if _NOT_AREA.search(candidate) or "//" in candidate:
            continue
        if not in_code and not (
            candidate.endswith("/")
            or candidate.count("/") >= 2
            or _FILE_EXTENSION.search(candidate)
        ):
            continue
        area = area_of(candidate)
        if area:
            found.append(area)
    return found


def parse(title: str, body: str) -> Document:
    """Parse a ticket's title and Markdown body into a Document.

    One pass over the token stream builds every view (sections, prose, checklist,
    code, links, HTML); the prose is then joined once and lower-cased once.
    """
    body = body or ""
    tokens = markdown_parser().parse(body)

    current = Section(heading="", level=0)
    sections: list[Section] = [current]
    prose: list[str] = []
    checklist: list[ChecklistItem] = []
    list_items: list[str] = []
    code_blocks: list[CodeBlock] = []
    inline_code: list[str] = []
    links: list[str] = []
    html_chunks: list[str] = []
    headings: list[str] = []
    paragraph_count = 0
    prose_length = 0  # characters of prose so far, "\n" separators included
    section_starts: list[int] = []
    section_names: list[str] = []

    in_heading = 0  # heading level while inside heading_open .. heading_close
    list_item_depth = 0
    item_first_inline = False

    for token in tokens:
        kind = token.type
        if kind == "inline":
            # the inline token's plain text; code spans, link targets and HTML on the side
            parts: list[str] = []
            for child in token.children or ():
                child_kind = child.type
                if child_kind == "text":
                    parts.append(child.content)
                elif child_kind == "softbreak" or child_kind == "hardbreak":
                    parts.append("\n")
                elif child_kind == "code_inline":
                    inline_code.append(child.content)
                    parts.append(f"`{child.content}`")
                elif child_kind == "link_open":
                    href = child.attrs.get("href")
                    if isinstance(href, str):
                        links.append(href)
                elif child_kind == "image":
                    src = child.attrs.get("src")
                    if isinstance(src, str):
                        links.append(src)
                elif child_kind == "html_inline":
                    html_chunks.append(child.content)
            text = "".join(parts)
            if in_heading:
                heading = text.strip().rstrip(":").strip()
                headings.append(heading)
                current = Section(heading=heading, level=in_heading)
                sections.append(current)
                section_starts.append(prose_length)
                section_names.append(heading.lower())
                prose.append(heading)
                prose_length += len(heading) + 1
                continue
            if list_item_depth and item_first_inline:
                item_first_inline = False
                m = _CHECKBOX.match(text)
                if m:
                    text = text[m.end() :]
                    item = ChecklistItem(text=text.strip(), checked=m.group(1) != " ")
                    checklist.append(item)
                    current.checklist.append(item)
                stripped = text.strip()
                list_items.append(stripped)
                current.items.append(stripped)
            else:
                current.paragraphs.append(text.strip())
                paragraph_count += 1
            prose.append(text)
            prose_length += len(text) + 1
        elif kind == "list_item_open":
            list_item_depth += 1
            item_first_inline = True
        elif kind == "list_item_close":
            list_item_depth -= 1
        elif kind == "heading_open":
            in_heading = int(token.tag[1:]) if token.tag[1:].isdigit() else 1
        elif kind == "heading_close":
            in_heading = 0
        elif kind == "fence" or kind == "code_block":
            code_blocks.append(CodeBlock(info=token.info.strip(), content=token.content))
            current.code_blocks += 1
        elif kind == "html_block":
            html_chunks.append(token.content)

    html_comments = tuple(
        m.group(1).strip() for chunk in html_chunks for m in _HTML_COMMENT.finditer(chunk)
    )
    prose_text = "\n".join(prose)
    prose_kind = text_kind(title, prose_text)  # lower-casing keeps the kind
    offset = len(title) + 1  # refs are searched in the title and the prose together
    refs = _find_refs(
        title + "\n" + prose_text,
        [start + offset for start in section_starts],
        section_names,
        prose_kind,
    )
    refs.extend(
        TicketRef(target=f"{m.group('repo')}#{m.group('number')}", context="")
        for url in links
        for m in [_GITHUB_URL_REF.written.match(url)]
        if m is not None
    )
    unique_refs = tuple(dict.fromkeys(refs))
    prose_lower = prose_text.lower()
    lower_words = tuple(_words(prose_lower, prose_kind))
    prose_vocabulary = frozenset(lower_words)
    vocabulary = prose_vocabulary.union(_words(title.lower(), prose_kind))
    return Document(
        title=title.strip(),
        body=body,
        sections=tuple(sections),
        prose=prose_text,
        checklist=tuple(checklist),
        list_items=tuple(list_items),
        code_blocks=tuple(code_blocks),
        inline_code=tuple(inline_code),
        links=tuple(links),
        refs=unique_refs,
        html_comments=html_comments,
        headings=tuple(headings),
        paragraph_count=paragraph_count,
        word_count=len(lower_words),
        areas=_find_areas(title, prose_text, inline_code),
        lower_words=lower_words,
        vocabulary=vocabulary,
        prose_vocabulary=prose_vocabulary,
        prose_lower=prose_lower,
        text_kind=prose_kind,
    )
