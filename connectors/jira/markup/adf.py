"""Atlassian Document Format (REST v3 descriptions and comments) to Markdown.

The conversion is total: odd or malformed input yields the best Markdown we can
make of it, never an exception, and no text is dropped on the way (an unknown
node contributes its text content). Depth is bounded: past `_MAX_DEPTH` a
subtree becomes its plain text, gathered without recursion.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from connectors.jira.markup.fences import code_span, fence

__all__ = ["adf_to_markdown"]

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
                return fence(content, _attr_text(node, "language"))
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
        inner = code_span(text)
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
