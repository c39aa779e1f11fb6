"""Markdown to Jira wiki markup, for the one comment backlog-sync writes.

The service writes its comment in Markdown (`service.triage.render_comment`):
paragraphs, bold, italic, inline code, bullet lists, links, headings and a
`<sub>` line. Jira (REST v2) wants wiki markup, so `markdown_to_jira_wiki`
parses the Markdown with markdown-it-py (CommonMark, plus strikethrough) and
renders its token tree. It covers what such a comment can contain, and the
other CommonMark blocks (numbered lists, quotes, code blocks, rules) so that
nothing is lost; an HTML tag is kept as it is, as text, since wiki markup has no
HTML. The output is what mistletoe's Jira renderer gave for the same Markdown,
so comments written before the change compare equal and are not rewritten.

Text is escaped the way that renderer escaped it: a wiki markup character
(`{}[]-*_+^~`) next to a non-space character, or standing alone, gets a
backslash, so words such as `backlog-sync` or `needs_clarity` are never read as
strikethrough or emphasis.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

__all__ = ["markdown_to_jira_wiki"]

# without `text_join`, a backslash escape stays a token of its own (`text_special`),
# so an escaped `\*` is escaped again in wiki markup, as the old renderer did
_PARSER = MarkdownIt("commonmark").enable("strikethrough").disable("text_join")
_SPECIAL = r"[{}\[\]\-*_+^~]"
_ESCAPE = re.compile(rf"(^{_SPECIAL}$)|((?<=\S){_SPECIAL})|({_SPECIAL}(?=\S))")
_URL_SAFE = ":/?#[]@!$&'()*+,;=%"
_INLINE_MARKS = {"strong": "*", "em": "_", "s": "-"}


def markdown_to_jira_wiki(markdown: str) -> str:
    """Jira wiki markup for Markdown (headings, lists, emphasis, code, links)."""
    root = SyntaxTreeNode(_PARSER.parse(markdown))
    return _Renderer().blocks(root.children).strip()


def _escape(text: str) -> str:
    return _ESCAPE.sub(lambda match: "\\" + match.group(0), text)


def _escape_link(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]").replace("|", "\\|")


def _url(href: str) -> str:
    return _escape_link(quote(href, safe=_URL_SAFE))


class _Renderer:
    """One rendering. A block ends in a blank line, except inside a list (a blank
    line would end a wiki list) and as the last block of a quote."""

    def __init__(self) -> None:
        self.list_marks: list[str] = []  # "*" or "#" for each list we are inside
        self.quote_ends: list[SyntaxTreeNode] = []  # the last child of each open quote

    def _end(self, node: SyntaxTreeNode) -> str:
        in_quote_end = bool(self.quote_ends) and node is self.quote_ends[-1]
        return "\n" if self.list_marks or in_quote_end else "\n\n"

    def blocks(self, nodes: list[SyntaxTreeNode]) -> str:
        return "".join(self.block(node) for node in nodes)

    def block(self, node: SyntaxTreeNode) -> str:
        match node.type:
            case "paragraph":
                return self.inline(node) + self._end(node)
            case "heading":
                return f"h{node.tag[1:]}. {self.inline(node)}" + self._end(node)
            case "bullet_list" | "ordered_list":
                self.list_marks.append("*" if node.type == "bullet_list" else "#")
                items = self.blocks(node.children)
                self.list_marks.pop()
                return items + self._end(node)[:-1]
            case "list_item":
                return f"{''.join(self.list_marks)} {self.blocks(node.children)}"
            case "blockquote":
                return self.quote(node)
            case "fence" | "code_block":
                language = node.info.split()[0] if node.info.strip() else ""
                attribute = f":{language}" if language else ""
                return f"{{code{attribute}}}\n{node.content}{{code}}" + self._end(node)
            case "hr":
                return "----\n"
            case "html_block":
                return node.content.rstrip("\n") + self._end(node)
            case _:
                return self.blocks(node.children)

    def quote(self, node: SyntaxTreeNode) -> str:
        if not node.children:
            return ""
        self.quote_ends.append(node.children[-1])
        inner = self.blocks(node.children)
        self.quote_ends.pop()
        if len(node.children) == 1 and node.children[0].type == "paragraph":
            return f"bq. {inner}" + self._end(node)[:-1]
        return f"{{quote}}\n{inner}{{quote}}" + self._end(node)

    def inline(self, node: SyntaxTreeNode) -> str:
        return "".join(self.span(child) for child in node.children)

    def span(self, node: SyntaxTreeNode) -> str:
        match node.type:
            case "inline":
                return self.inline(node)
            case "text" | "text_special":
                return _escape(node.content)
            case "strong" | "em" | "s":
                mark = _INLINE_MARKS[node.type]
                return f"{mark}{self.inline(node)}{mark}"
            case "code_inline":
                return f"{{{{{_escape(node.content)}}}}}"
            case "link":
                href = str(node.attrs.get("href", ""))
                if node.markup == "autolink":
                    return f"[{_url(href)}]"
                title = node.attrs.get("title")
                suffix = f"|{_escape_link(str(title))}" if title else ""
                return f"[{self.inline(node)}|{_url(href)}{suffix}]"
            case "image":
                return f"!{node.attrs.get('src', '')}!"
            case "softbreak":
                return " "
            case "hardbreak":
                return "\\\\\n"
            case "html_inline":
                return node.content
            case _:
                return self.inline(node)
