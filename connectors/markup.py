"""Jira text to Markdown: wiki markup (REST v2) and Atlassian Document Format (v3).

A ticket's body crosses into the service as Markdown (see `connectors.base.Ticket`),
so every Jira description and comment passes through here. Both converters are
total: odd or malformed input yields the best Markdown we can make of it, never an
exception, and no text is dropped on the way (an unknown ADF node contributes its
text content). The text is untrusted; nothing here interprets it beyond layout.

Wiki markup is bounded. jira2markdown's grammar (pyparsing) is quadratic or worse
on some shapes of text, all on one line: runs of `*a `, `-a `, `+a `, `^a `, `~a `,
`??a `, `*_-a `, `[`, `# ` take from seconds to minutes for one or two
kilobytes, and real descriptions hit it (command lines full of `-x` flags, logs).
So the conversion has a work budget, counted in parser steps (one step is one
attempt of one grammar element at one place in the text; 1-4 microseconds):
`WIKI_STEPS_PER_CHAR` steps a character plus `WIKI_BASE_STEPS`. Real Jira
descriptions use a median of 26 steps a character (90th percentile 36), so
about 1 in 100 falls back, and a 20,000-character description of ordinary prose
and markup converts; hostile text stops after a linear amount of work. Text
longer than `WIKI_MAX_CHARS` (Jira's default limit for a text field) is not
parsed at all, so one conversion costs at most about 1.7 million steps (a few
seconds). Either way, and when the parser fails, the text comes back
unconverted, whole, in a Markdown code fence longer than any run of backticks in
it, so nothing in it can close the fence. The count is of work, not time: the
same text gives the same Markdown on every machine and under any load, and
nothing keeps running once the budget is spent (no thread, no process).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from jira2markdown.elements import MarkupElements
from jira2markdown.markup.text_effects import Monospaced
from pyparsing import FollowedBy, Forward, ParseException, ParserElement, Regex, Token

__all__ = [
    "WIKI_BASE_STEPS",
    "WIKI_MAX_CHARS",
    "WIKI_STEPS_PER_CHAR",
    "adf_to_markdown",
    "jira_text_to_markdown",
    "jira_wiki_to_markdown",
]

log = logging.getLogger(__name__)

# --- wiki markup ----------------------------------------------------------------

WIKI_MAX_CHARS = 32_767
"""Longer wiki text is returned fenced, unparsed (Jira's default text field limit)."""
WIKI_STEPS_PER_CHAR = 50
"""Parser steps allowed per character of wiki text (real descriptions: median 26)."""
WIKI_BASE_STEPS = 50_000
"""Parser steps allowed on top, so short text with dense markup still converts."""

# `{html}...{html}` is a Jira macro that jira2markdown leaves as it is, braces and
# all. Its content is already HTML, which Markdown carries verbatim, so we lift it
# out before conversion (so wiki rules do not rewrite it) and put it back after.
_HTML_MACRO = re.compile(r"\{html\}(.*?)(?:\{html\}|\Z)", re.DOTALL | re.IGNORECASE)
_PLACEHOLDER = "JIRAHTMLMACRO{}PLACEHOLDER"
_PLACEHOLDER_RE = re.compile(r"JIRAHTMLMACRO(\d+)PLACEHOLDER")


# jira2markdown.convert builds its grammar on every call and then tries all of its
# ~30 elements at every character. We build the same grammar once per thread (its
# list elements keep parse state, so threads do not share one) and put in front a
# cheap look-ahead for the characters any element can start with: the output is
# the same as `jira2markdown.convert` (a test checks this) and 5-10 times faster.
_ELEMENT_START = Regex(r"[\s*_\-+^~?{}\[\]|#!\\]|h[1-6]\.|bq\.|(?i:https?|ftp)://")
_parsers = threading.local()


class _ClosedOnItsLine(Token):
    """Matches nothing, where `{{` starts and `}}` follows on the same line.

    jira2markdown's `{{monospace}}` is a regex that, at every `{{`, scans the rest
    of the line for `}}`: a long line of `{{` costs quadratic time inside one
    step of the budget. `str.find` does the same search many times faster, and
    the regex then runs only where it will match (and consume what it scans).
    """

    def __init__(self) -> None:
        super().__init__()
        self.set_name("{{...}} on one line")

    def parseImpl(self, instring: str, loc: int, do_actions: bool = True) -> tuple[int, list[str]]:
        if instring.startswith("{{", loc):
            end = instring.find("\n", loc)
            if instring.find("}}", loc + 2, len(instring) if end < 0 else end) >= 0:
                return loc, []
        raise ParseException(instring, loc, self.errmsg, self)


class _Monospaced(Monospaced):  # type: ignore[misc] # jira2markdown is untyped
    @property
    def expr(self) -> ParserElement:
        monospaced: ParserElement = super().expr
        return _ClosedOnItsLine() + monospaced


class _OverBudget(Exception):
    """The conversion used up its steps; raised from inside the parser."""


class _WikiParser:
    """jira2markdown's grammar with a step counter on every element in it.

    Every element of the grammar, down to the literals inside `SkipTo` scans and
    the expressions a scan skips over, counts one step each time it is tried (a
    pyparsing debug hook), so the work between two counts is small and bounded;
    past the budget the count raises `_OverBudget`, which unwinds the parse.
    """

    def __init__(self) -> None:
        elements = MarkupElements()
        elements.replace(Monospaced, _Monospaced)
        inline_markup = Forward()
        markup = Forward()
        inline_elements = [element for element in elements if element.is_inline_element]
        inline_markup <<= FollowedBy(_ELEMENT_START) + elements.expr(
            inline_markup, markup, {}, inline_elements
        )
        markup <<= FollowedBy(_ELEMENT_START) + elements.expr(inline_markup, markup, {}, elements)
        markup.streamline()
        inline_markup.streamline()
        self.grammar: ParserElement = markup
        self.steps_left = 0
        self._list_states: list[Any] = []
        # `inline_markup` is its own tree: elements reach it from their parse actions
        for element in _all_elements(markup, inline_markup):
            # only the "try" hook: pyparsing's "fail" hook path has a bug when the
            # count raises while skipping ignorables (UnboundLocalError)
            element.debugActions = ParserElement.DebugActions(self._count, None, None)
            element.debug = True
            state = getattr(element, "indent_state", None)  # jira2markdown's list nesting
            if state is not None and hasattr(state, "reset"):
                self._list_states.append(state)

    def _count(self, *_: object, **__: object) -> None:
        self.steps_left -= 1
        if self.steps_left < 0:
            raise _OverBudget

    def convert(self, text: str, steps: int) -> str:
        """`text` as Markdown; `_OverBudget` after `steps` steps."""
        for state in self._list_states:
            state.reset()  # an earlier parse may have stopped in the middle of a list
        self.steps_left = steps
        try:
            converted = self.grammar.transform_string(text)
        finally:
            self.steps_left = 0
        return converted if isinstance(converted, str) else text  # the library is untyped


def _all_elements(*roots: ParserElement) -> list[ParserElement]:
    """Every element reachable from `roots`, including what `SkipTo` skips or fails on."""
    found: dict[int, ParserElement] = {}
    stack = list(roots)
    while stack:
        element = stack.pop()
        if id(element) in found:
            continue
        found[id(element)] = element
        stack.extend(element.recurse())
        stack.extend(element.ignoreExprs)
        for name in ("ignoreExpr", "failOn", "ignorer", "not_ender", "skipper"):
            part = getattr(element, name, None)
            if isinstance(part, ParserElement):
                stack.append(part)
    return list(found.values())


def _wiki_parser() -> _WikiParser:
    parser: _WikiParser | None = getattr(_parsers, "wiki", None)
    if parser is None:
        _parsers.wiki = parser = _WikiParser()
    return parser


def jira_wiki_to_markdown(text: str | None) -> str:
    """Convert Jira wiki markup to Markdown with jira2markdown's grammar.

    `{code}` and `{noformat}` become fenced code, `{panel}` and `{quote}` block
    quotes, `{html}` blocks keep their HTML. Text too long or too costly to
    parse (see the module docstring), or that the parser fails on, is returned
    unconverted, whole, in a code fence: never lost, never read as Markdown.
    """
    if not text:
        return ""
    source = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(source) > WIKI_MAX_CHARS:
        return _unconverted(source, "over the size limit")
    html_blocks: list[str] = []

    def _lift(match: re.Match[str]) -> str:
        html_blocks.append(match.group(1).strip("\n"))
        return "\n\n" + _PLACEHOLDER.format(len(html_blocks) - 1) + "\n\n"

    lifted = _HTML_MACRO.sub(_lift, source)
    steps = WIKI_BASE_STEPS + WIKI_STEPS_PER_CHAR * len(lifted)
    try:
        converted = _wiki_parser().convert(lifted, steps)
    except _OverBudget:
        return _unconverted(source, "over the work budget")
    except Exception as error:  # noqa: BLE001 - a parser failure must not lose the text
        return _unconverted(source, f"the parser failed ({type(error).__name__})")
    if html_blocks:
        converted = _PLACEHOLDER_RE.sub(
            lambda m: (
                html_blocks[int(m.group(1))] if int(m.group(1)) < len(html_blocks) else m.group(0)
            ),
            converted,
        )
    return converted.strip("\n")


def _unconverted(source: str, why: str) -> str:
    """The wiki text as it is, fenced as code so that nothing in it is read as Markdown."""
    log.info("Jira text of %d characters left unconverted: %s", len(source), why)
    return _fence(source.strip("\n"))


# --- Atlassian Document Format ----------------------------------------------------

_INLINE_TYPES = frozenset(
    {
        "text",
        "hardBreak",
        "mention",
        "emoji",
        "inlineCard",
        "status",
        "date",
        "placeholder",
        "inlineExtension",
        "mediaInline",
    }
)
_MAX_DEPTH = 64  # deeper than any real document; beyond it we keep plain text
_MARK_ORDER = ("code", "em", "strong", "strike", "link")  # innermost first


def adf_to_markdown(node: Mapping[str, Any] | None) -> str:
    """Convert an Atlassian Document Format node (usually a `doc`) to Markdown."""
    if not isinstance(node, Mapping):
        return ""
    return _AdfRenderer().block(node, 0).strip("\n")


def jira_text_to_markdown(value: object) -> str:
    """Markdown for a Jira text field: wiki markup (str), ADF (dict) or nothing."""
    if value is None:
        return ""
    if isinstance(value, str):
        return jira_wiki_to_markdown(value)
    if isinstance(value, Mapping):
        return adf_to_markdown(value)
    if isinstance(value, list):
        return "\n\n".join(part for part in map(jira_text_to_markdown, value) if part)
    return str(value)


def _children(node: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    content = node.get("content")
    if not isinstance(content, list):
        return []
    return [child for child in content if isinstance(child, Mapping)]


def _attrs(node: Mapping[str, Any]) -> Mapping[str, Any]:
    attrs = node.get("attrs")
    return attrs if isinstance(attrs, Mapping) else {}


def _attr_text(node: Mapping[str, Any], name: str) -> str:
    value = _attrs(node).get(name)
    return value if isinstance(value, str) else ""


def _plain_text(node: Mapping[str, Any]) -> str:
    """All text under `node`, without layout; iterative, so depth cannot hurt."""
    parts: list[str] = []
    stack: list[Mapping[str, Any]] = [node]
    while stack:
        current = stack.pop()
        text = current.get("text")
        if isinstance(text, str):
            parts.append(text)
        else:
            for name in ("text", "url", "shortName"):
                attr = _attr_text(current, name)
                if attr:
                    parts.append(attr)
                    break
        stack.extend(reversed(_children(current)))
    return " ".join(part for part in parts if part)


def _fence(content: str, language: str = "") -> str:
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * max(3, longest + 1)
    info = re.sub(r"\s+", "", language)
    return f"{fence}{info}\n{content}\n{fence}"


def _code_span(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _indent(text: str, first: str, rest: str) -> str:
    lines = text.split("\n")
    out = [first + lines[0]]
    out.extend((rest + line) if line else "" for line in lines[1:])
    return "\n".join(out)


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))


class _AdfRenderer:
    """Walks one ADF tree; block nodes yield Markdown blocks, inline nodes spans."""

    def block(self, node: Mapping[str, Any], depth: int) -> str:
        if depth > _MAX_DEPTH:
            return _plain_text(node)
        kind = node.get("type")
        if kind in _INLINE_TYPES:
            return self.inline([node], depth)
        match kind:
            case "doc":
                return self.blocks(_children(node), depth)
            case "paragraph":
                return self.inline(_children(node), depth)
            case "heading":
                level = _attrs(node).get("level")
                level = level if isinstance(level, int) and 1 <= level <= 6 else 1
                text = self.inline(_children(node), depth).replace("\n", " ")
                return f"{'#' * level} {text}" if text else ""
            case "bulletList":
                return self.list_items(node, depth, ordered=False)
            case "orderedList":
                return self.list_items(node, depth, ordered=True)
            case "taskList" | "decisionList":
                return self.task_items(node, depth)
            case "taskItem" | "decisionItem":
                return self.task_item(node, depth)
            case "listItem":
                return self.blocks(_children(node), depth, separator="\n")
            case "codeBlock":
                content = "".join(
                    child.get("text", "") if isinstance(child.get("text"), str) else ""
                    for child in _children(node)
                )
                return _fence(content, _attr_text(node, "language"))
            case "blockquote":
                return _quote(self.blocks(_children(node), depth))
            case "panel":
                panel_type = _attr_text(node, "panelType")
                title = f"**{panel_type.capitalize()}:**\n" if panel_type else ""
                return _quote(title + self.blocks(_children(node), depth))
            case "expand" | "nestedExpand":
                title = _attr_text(node, "title")
                body = self.blocks(_children(node), depth)
                return f"**{title}**\n\n{body}" if title else body
            case "rule":
                return "---"
            case "blockCard" | "embedCard":
                url = _attr_text(node, "url")
                return f"<{url}>" if url else _plain_text(node)
            case "table":
                return self.table(node, depth)
            case "mediaSingle" | "mediaGroup":
                return self.blocks(_children(node), depth)
            case "media":
                alt = _attr_text(node, "alt")
                return f"[attachment: {alt}]" if alt else ""
            case _:
                return self.unknown(node, depth)

    def blocks(
        self, nodes: Sequence[Mapping[str, Any]], depth: int, separator: str = "\n\n"
    ) -> str:
        rendered = [part for part in self._block_parts(nodes, depth) if part.strip()]
        return separator.join(rendered)

    def _block_parts(self, nodes: Sequence[Mapping[str, Any]], depth: int) -> Iterator[str]:
        run: list[Mapping[str, Any]] = []  # consecutive inline nodes form one paragraph
        for child in nodes:
            if child.get("type") in _INLINE_TYPES:
                run.append(child)
                continue
            if run:
                yield self.inline(run, depth + 1)
                run = []
            yield self.block(child, depth + 1)
        if run:
            yield self.inline(run, depth + 1)

    def unknown(self, node: Mapping[str, Any], depth: int) -> str:
        children = _children(node)
        if children:
            return self.blocks(children, depth)
        text = node.get("text")
        if isinstance(text, str):
            return text
        return _plain_text(node)

    def list_items(self, node: Mapping[str, Any], depth: int, *, ordered: bool) -> str:
        start = _attrs(node).get("order")
        number = start if isinstance(start, int) and start >= 0 else 1
        lines: list[str] = []
        for item in _children(node):
            marker = f"{number}. " if ordered else "- "
            number += 1
            body = self.block(item, depth + 1)
            lines.append(_indent(body, marker, " " * len(marker)))
        return "\n".join(lines)

    def task_items(self, node: Mapping[str, Any], depth: int) -> str:
        lines: list[str] = []
        for item in _children(node):
            if item.get("type") in {"taskItem", "decisionItem"}:
                lines.append(self.task_item(item, depth + 1))
            else:  # a nested taskList sits beside the items it belongs to
                lines.append(_indent(self.block(item, depth + 1), "  ", "  "))
        return "\n".join(lines)

    def task_item(self, node: Mapping[str, Any], depth: int) -> str:
        state = _attr_text(node, "state").upper()
        box = "[x]" if state in {"DONE", "DECIDED"} else "[ ]"
        marker = f"- {box} "
        return _indent(self.blocks(_children(node), depth, separator="\n"), marker, "  ")

    def table(self, node: Mapping[str, Any], depth: int) -> str:
        rows: list[list[str]] = []
        for row in _children(node):
            cells = [
                self.blocks(_children(cell), depth + 1, separator=" ")
                .replace("\n", " ")
                .replace("|", "\\|")
                .strip()
                for cell in _children(row)
            ]
            rows.append(cells)
        rows = [row for row in rows if row]
        if not rows:
            return ""
        width = max(len(row) for row in rows)
        padded = [row + [""] * (width - len(row)) for row in rows]
        lines = ["| " + " | ".join(padded[0]) + " |", "|" + "---|" * width]
        lines.extend("| " + " | ".join(row) + " |" for row in padded[1:])
        return "\n".join(lines)

    def inline(self, nodes: Sequence[Mapping[str, Any]], depth: int) -> str:
        parts: list[str] = []
        for node in _merge_text_runs(nodes):
            parts.append(self.inline_node(node, depth))
        return "".join(parts)

    def inline_node(self, node: Mapping[str, Any], depth: int) -> str:
        kind = node.get("type")
        match kind:
            case "text":
                text = node.get("text")
                return _marked(text, node.get("marks")) if isinstance(text, str) else ""
            case "hardBreak":
                return "  \n"
            case "mention":
                text = _attr_text(node, "text") or _attr_text(node, "id")
                return text if text.startswith("@") or not text else f"@{text}"
            case "emoji":
                return _attr_text(node, "text") or _attr_text(node, "shortName")
            case "inlineCard":
                url = _attr_text(node, "url")
                return f"<{url}>" if url else _plain_text(node)
            case "status" | "placeholder":
                text = _attr_text(node, "text")
                return f"[{text}]" if text and kind == "status" else text
            case "date":
                return _date_text(_attrs(node).get("timestamp"))
            case "mediaInline":
                alt = _attr_text(node, "alt")
                return f"[attachment: {alt}]" if alt else ""
            case _:
                # a block node where inline was expected: keep its text on one line
                if depth > _MAX_DEPTH:
                    return _plain_text(node)
                return self.block(node, depth + 1).replace("\n", " ")


def _merge_text_runs(nodes: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Join neighbouring text nodes with the same marks, so `**a****b**` is `**ab**`."""
    merged: list[Mapping[str, Any]] = []
    for node in nodes:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and node.get("type") == "text"
            and previous.get("type") == "text"
            and isinstance(node.get("text"), str)
            and isinstance(previous.get("text"), str)
            and node.get("marks") == previous.get("marks")
        ):
            merged[-1] = {**previous, "text": previous["text"] + node["text"]}
        else:
            merged.append(node)
    return merged


def _marked(text: str, marks: object) -> str:
    if not text or not isinstance(marks, list):
        return text
    by_type = {mark.get("type"): mark for mark in marks if isinstance(mark, Mapping)}
    if "code" in by_type:
        inner = _code_span(text)
        lead = trail = ""
    else:
        stripped = text.strip()
        if not stripped:
            return text
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        inner = stripped
    for name in _MARK_ORDER[1:]:
        mark = by_type.get(name)
        if mark is None:
            continue
        if name == "em":
            inner = f"_{inner}_"
        elif name == "strong":
            inner = f"**{inner}**"
        elif name == "strike":
            inner = f"~~{inner}~~"
        elif name == "link":
            href = _attr_text(mark, "href")
            if href:
                inner = f"[{inner}]({href.replace(' ', '%20').replace(')', '%29')})"
    return f"{lead}{inner}{trail}"


def _date_text(timestamp: object) -> str:
    try:
        millis = int(str(timestamp))
        return datetime.fromtimestamp(millis / 1000, tz=UTC).date().isoformat()
    except (TypeError, ValueError, OverflowError, OSError):
        return str(timestamp) if timestamp is not None else ""
