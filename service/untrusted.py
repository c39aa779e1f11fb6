"""The one policy for ticket text in any output: shown as written, never obeyed.

Everything copied from a ticket is untrusted, in every field. Wherever it goes
(a rules file, the digest in Markdown, HTML or Slack, our tracker comment, the
CLI) it passes through one of the functions here:

- `clean_line`: one line of visible text: HTML comments and invisible format
  characters (zero-width, bidi controls, tag characters) removed, line breaks
  collapsed. Every other function starts from it (but `fenced`).
- `markdown_line`: one inert Markdown line: whatever could start a block (a
  heading, a quote, a list, a code fence, an HTML block), open HTML, or form a
  link, an image or an entity is escaped; code spans and emphasis stay.
  `mentions=False` also breaks `@name` so a tracker comment pings no one.
- `slack_text`: Slack mrkdwn with `&`, `<` and `>` escaped, so no link,
  mention (`<@U..>`, `<!channel>`) or markup can be formed.
- HTML: Jinja's autoescape, in the one template `environment()` (HTML
  templates escape, Markdown templates print ticket text through the filters).
- `code_span`, `fenced`: inline code and a fenced block of data, delimited by
  more backticks than the text holds, so nothing inside can close them; the
  fenced text keeps its lines, with invisible characters made visible.
- `frontmatter`: YAML values as one line each, quoted by `yaml.safe_dump`.
- `safe_url`: a ticket URL fit for a link (http(s), no quotes or spaces).
- `terminal_text`: a line for a terminal: control and format characters shown
  escaped (`\u202e`), never raw.

`Untrusted` wraps ticket text handed to a template: it refuses to be turned
into a string, so a template can only print it through one of the filters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

import yaml
from jinja2 import ChoiceLoader, PackageLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment

_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_BACKTICK_RUN = re.compile(r"`+")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_LINK_OR_ENTITY = re.compile(r"[\[\]]|&(?=#?\w+;)")
_MENTION = re.compile(r"@(?=\w)")
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


def _escape_inline(text: str, mentions: bool) -> str:
    """Escape what could open HTML, a link, an image or an entity (and break
    mentions unless `mentions`), except inside code spans."""

    def escape(part: str) -> str:
        part = _LINK_OR_ENTITY.sub(lambda m: "\\" + m.group(0), _TAG_START.sub(r"\\<", part))
        return part if mentions else _MENTION.sub("@\u200b", part)

    parts: list[str] = []
    position = 0
    for span in _CODE_SPAN.finditer(text):
        parts.append(escape(text[position : span.start()]))
        parts.append(span.group(0))
        position = span.end()
    parts.append(escape(text[position:]))
    return "".join(parts)


def markdown_line(
    value: Untrusted | str, *, limit: int | None = None, mentions: bool = True
) -> str:
    """Ticket text as one inert Markdown line: it cannot start a block, open
    HTML, form a link or hide text; cut to `limit` characters when given;
    `mentions=False` breaks `@name` (for text written back to a tracker)."""
    line = clean_line(reveal(value))
    if limit is not None:
        line = shorten(line, limit)
    if not line:
        return ""
    if line[0] in "#>" or _THEMATIC_BREAK.match(line) or _SETEXT_OR_FENCE.match(line):
        line = "\\" + line
    elif m := _LIST_MARKER.match(line):
        marker_end = m.end() - (1 if m.group(0)[-1].isspace() else 0) - 1
        line = line[:marker_end] + "\\" + line[marker_end:]
    return _escape_inline(line, mentions)


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


def slack_text(value: str | None, limit: int = 300) -> str:
    """Ticket text for Slack mrkdwn: one visible line, `&`, `<` and `>` escaped."""
    text = shorten(clean_line(value or ""), limit)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def safe_url(url: str | None) -> str | None:
    """A ticket URL fit for a link: http(s) only, no whitespace or quotes; else None."""
    if not url:
        return None
    url = url.strip()
    if not url.lower().startswith(("https://", "http://")):
        return None
    if any(ch.isspace() or ch in "\"'<>`\\" for ch in url):
        return None
    return url


def terminal_text(value: str) -> str:
    """Text for a terminal: control, format and separator characters (a
    right-to-left override, an escape sequence) shown as `\\uXXXX`, never raw."""
    return "".join(
        ch
        if ch in "\n\t" or unicodedata.category(ch) not in _INVISIBLE_CATEGORIES
        else f"\\u{ord(ch):04x}"
        for ch in value
    )


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    """The one Jinja environment: every template of the service (rules files,
    the digest's HTML), sandboxed, undefined names failing. HTML templates
    autoescape; Markdown ones do not, and ticket text reaches them as
    `Untrusted`, printable only through the filters `md`, `code` and `fenced`."""
    env = SandboxedEnvironment(
        loader=ChoiceLoader(
            [
                PackageLoader("service.rules", "templates"),
                PackageLoader("service.digest.render", "templates"),
            ]
        ),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_line
    env.filters["code"] = code_span
    env.filters["fenced"] = fenced
    env.filters["text"] = lambda value, limit=300: shorten(clean_line(value or ""), limit)
    env.filters["safe_url"] = safe_url
    return env
