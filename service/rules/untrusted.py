"""Ticket text on its way into a rules file: kept in its place, never obeyed.

Everything copied from a ticket is untrusted. In the structured part of a rules
file (title, goal, criteria lines) each piece becomes one neutral Markdown line:
HTML comments and invisible format characters (zero-width, bidi controls, tag
characters) are removed, newlines are collapsed, and whatever could start a
block of its own (a heading, a quote, a list, a code fence, an HTML block) is
escaped. In frontmatter a value is one line, YAML-quoted by `yaml.safe_dump`.
The ticket's original text is quoted whole inside a code fence longer than any
run of backticks it holds, with invisible characters made visible.

`Untrusted` wraps ticket text handed to a template: it refuses to be turned
into a string, so a template can only print it through one of the filters here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import yaml

_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_BACKTICK_RUN = re.compile(r"`+")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_THEMATIC_BREAK = re.compile(r"^(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_LIST_MARKER = re.compile(r"^(?:[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$))")
_SETEXT_OR_FENCE = re.compile(r"^(?:=+$|`{3,}|~{3,})")
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Zl", "Zp", "Co", "Cs"})


class Untrusted:
    """Ticket text that a template may print only through a neutralising filter."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    def __str__(self) -> str:
        raise TypeError(
            "untrusted ticket text must pass through a filter (md, code, fenced) to be printed"
        )

    def __repr__(self) -> str:
        return "Untrusted(...)"

    def __bool__(self) -> bool:
        return bool(self._text.strip())


def reveal(value: Untrusted | str) -> str:
    """The text itself, for the filters below (and plain strings as they are)."""
    return value._text if isinstance(value, Untrusted) else value


def clean_line(text: str) -> str:
    """One line of visible text: no HTML comments, invisible characters or line breaks."""
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
        for ch in text
        if unicodedata.category(ch) != "Cf"
    )
    return " ".join(_HTML_COMMENT.sub(" ", text).split())


def _escape_tags(text: str) -> str:
    """Escape `<` where it could open HTML, except inside code spans."""
    parts: list[str] = []
    position = 0
    for span in _CODE_SPAN.finditer(text):
        parts.append(_TAG_START.sub(r"\\<", text[position : span.start()]))
        parts.append(span.group(0))
        position = span.end()
    parts.append(_TAG_START.sub(r"\\<", text[position:]))
    return "".join(parts)


def markdown_line(value: Untrusted | str) -> str:
    """Ticket text as one inert Markdown line: it cannot start a block or hide text."""
    line = clean_line(reveal(value))
    if not line:
        return ""
    if line[0] in "#>" or _THEMATIC_BREAK.match(line) or _SETEXT_OR_FENCE.match(line):
        line = "\\" + line
    elif m := _LIST_MARKER.match(line):
        marker_end = m.end() - (1 if m.group(0)[-1].isspace() else 0) - 1
        line = line[:marker_end] + "\\" + line[marker_end:]
    return _escape_tags(line)


def code_span(value: Untrusted | str) -> str:
    """Ticket text as one inline code span, delimited by more backticks than it holds."""
    text = clean_line(reveal(value))
    longest = max((len(run) for run in _BACKTICK_RUN.findall(text)), default=0)
    ticks = "`" * (longest + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{padding}{text}{padding}{ticks}"


def _visible(ch: str) -> str:
    if ch in "\n\t" or unicodedata.category(ch) not in _INVISIBLE_CATEGORIES:
        return ch
    return f"<U+{ord(ch):04X}>"


def quoted_text(text: str) -> str:
    """Text to quote verbatim: line endings normalised, invisible characters shown."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(_visible(ch) for ch in text)


def fence_for(text: str) -> str:
    """A backtick fence longer than any run of backticks in `text` (at least 3)."""
    longest = max((len(run) for run in _BACKTICK_RUN.findall(text)), default=0)
    return "`" * max(3, longest + 1)


def fenced(value: Untrusted | str) -> str:
    """Ticket text as a fenced block of data that nothing inside it can close."""
    text = quoted_text(reveal(value)).rstrip("\n")
    fence = fence_for(text)
    return f"{fence}text\n{text}\n{fence}" if text else f"{fence}text\n{fence}"


def frontmatter(values: Mapping[str, object]) -> str:
    """YAML frontmatter between `---` lines; string values are cleaned to one line."""
    cleaned = {key: clean_line(v) if isinstance(v, str) else v for key, v in values.items()}
    dumped = yaml.safe_dump(
        cleaned, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1_000_000
    )
    return f"---\n{dumped}---\n"


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "…"
