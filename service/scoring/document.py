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
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

_CHECKBOX = re.compile(r"^\[( |x|X)\]\s+")
_HTML_COMMENT = re.compile(r"<!--(.*?)(?:-->|$)", re.DOTALL)
_GITHUB_REF = re.compile(
    r"(?<![\w/&])(?:(?P<repo>[A-Za-z0-9][\w.-]*/[\w.-]+))?#(?P<number>\d{1,7})\b"
)
_GITHUB_URL_REF = re.compile(
    r"https?://github\.com/(?P<repo>[\w.-]+/[\w.-]+)/(?:issues|pull)/(?P<number>\d+)"
)
_JIRA_REF = re.compile(r"(?<![\w/-])(?P<key>[A-Z][A-Z0-9_]{1,15}-\d{1,7})\b")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_REF_CONTEXT_CHARS = 80
_REF_AFTER_CHARS = 40
_PATH = re.compile(
    r"(?<![\w./:-])(?:[\w.-]+/)+[\w.-]*\w(?:\.[A-Za-z0-9]{1,8})?/?"
    r"|(?<![\w./:-])[\w-]+\.(?:py|pyi|js|jsx|ts|tsx|go|rs|java|kt|rb|php|cs|c|h|cc|cpp|hpp"
    r"|swift|m|scala|sql|yaml|yml|toml|json|md|html|css|scss|vue|svelte|sh|tf|proto)\b"
)
_DOTTED_TOKEN = re.compile(r"(?<!\S)\S*[/.]\S*")  # whitespace-free tokens with a "/" or "."
_FILE_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,7}$")
_NOT_AREA = re.compile(r"^(?:https?|ftp|mailto)|^\.\.?/?$|^\d+(?:/\d+)+$|^[\w.-]+/[\w.-]+#")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
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

    def sections_matching(self, pattern: re.Pattern[str]) -> list[Section]:
        """Sections whose heading matches `pattern` (searched, case as compiled)."""
        return [s for s in self.sections if s.level > 0 and pattern.search(s.heading)]

    @property
    def words(self) -> list[str]:
        return list(self.lower_words)


def _inline_parts(token: Token) -> tuple[str, list[str], list[str], list[str]]:
    """Plain text, inline code spans, link targets and inline HTML of an inline token."""
    text_parts: list[str] = []
    code: list[str] = []
    links: list[str] = []
    html: list[str] = []
    for child in token.children or ():
        kind = child.type
        if kind == "text":
            text_parts.append(child.content)
        elif kind == "code_inline":
            code.append(child.content)
            text_parts.append(f"`{child.content}`")
        elif kind in ("softbreak", "hardbreak"):
            text_parts.append("\n")
        elif kind == "link_open":
            href = child.attrGet("href")
            if isinstance(href, str):
                links.append(href)
        elif kind == "image":
            src = child.attrGet("src")
            if isinstance(src, str):
                links.append(src)
        elif kind == "html_inline":
            html.append(child.content)
    return "".join(text_parts), code, links, html


def _find_refs(
    text: str, section_starts: list[int] | None = None, section_names: list[str] | None = None
) -> list[TicketRef]:
    """Ticket references in `text`; `section_starts[i]` is where `section_names[i]` begins."""
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
        for m in pattern.finditer(text):
            repo = m.group("repo")
            target = f"{repo}#{m.group('number')}" if repo else f"#{m.group('number')}"
            refs.append(ref(target, m.start(), m.end()))
    for m in _JIRA_REF.finditer(text) if "-" in text else ():
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
    """
    found: list[str] = []
    for in_code, text in ((False, title), (False, prose), *((True, c) for c in inline_code)):
        for token in _DOTTED_TOKEN.findall(text):
            if (
                "/" in token
                or (in_code and "." in token)
                or _FILE_EXTENSION.search(token.rstrip(".,;:!?)]}'\"`"))
            ):
                found.extend(_areas_in(token, in_code))
    return tuple(sorted(set(found)))


def _areas_in(text: str, in_code: bool) -> list[str]:
    """Areas of the paths in one whitespace-free token."""
    found: list[str] = []
    for m in _PATH.finditer(text):
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
    """Parse a ticket's title and Markdown body into a Document."""
    body = body or ""
    tokens = _parser().parse(body)

    sections: list[Section] = [Section(heading="", level=0)]
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
        if kind == "heading_open":
            in_heading = int(token.tag[1:]) if token.tag[1:].isdigit() else 1
        elif kind == "heading_close":
            in_heading = 0
        elif kind == "list_item_open":
            list_item_depth += 1
            item_first_inline = True
        elif kind == "list_item_close":
            list_item_depth -= 1
        elif kind == "inline":
            text, code, found_links, html = _inline_parts(token)
            inline_code.extend(code)
            links.extend(found_links)
            html_chunks.extend(html)
            if in_heading:
                heading = text.strip().rstrip(":").strip()
                headings.append(heading)
                sections.append(Section(heading=heading, level=in_heading))
                section_starts.append(prose_length)
                section_names.append(heading.lower())
                prose.append(heading)
                prose_length += len(heading) + 1
                continue
            current = sections[-1]
            if list_item_depth and item_first_inline:
                item_first_inline = False
                m = _CHECKBOX.match(text)
                if m:
                    text = text[m.end() :]
                    item = ChecklistItem(text=text.strip(), checked=m.group(1) != " ")
                    checklist.append(item)
                    current.checklist.append(item)
                list_items.append(text.strip())
                current.items.append(text.strip())
            else:
                current.paragraphs.append(text.strip())
                paragraph_count += 1
            prose.append(text)
            prose_length += len(text) + 1
        elif kind in ("fence", "code_block"):
            code_blocks.append(CodeBlock(info=token.info.strip(), content=token.content))
            sections[-1].code_blocks += 1
        elif kind == "html_block":
            html_chunks.append(token.content)

    html_comments = tuple(
        m.group(1).strip() for chunk in html_chunks for m in _HTML_COMMENT.finditer(chunk)
    )
    prose_text = "\n".join(prose)
    offset = len(title) + 1  # refs are searched in the title and the prose together
    refs = _find_refs(
        title + "\n" + prose_text, [start + offset for start in section_starts], section_names
    )
    refs.extend(
        TicketRef(target=f"{m.group('repo')}#{m.group('number')}", context="")
        for url in links
        for m in [_GITHUB_URL_REF.match(url)]
        if m is not None
    )
    unique_refs = tuple(dict.fromkeys(refs))
    lower_words = tuple(_WORD.findall(prose_text.lower()))
    vocabulary = frozenset(lower_words).union(_WORD.findall(title.lower()))
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
    )
