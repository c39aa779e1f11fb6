"""Atlassian Document Format becomes Markdown, losing no text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from connectors.jira.markup.adf import adf_to_markdown
from tests.unit.connectors.jira.markup.adf_nodes import doc, para, text

JIRA_EXAMPLES = Path(__file__).resolve().parents[6] / "shared" / "data" / "jira" / "examples"


# --- ADF --------------------------------------------------------------------------


def test_adf_paragraph_with_marks() -> None:
    markdown = adf_to_markdown(
        doc(
            para(
                text("Call "),
                text("Cart.total()", {"type": "code"}),
                text(" from "),
                text("checkout ", {"type": "strong"}),
                text("now", {"type": "em"}),
                text(" ("),
                text("docs", {"type": "link", "attrs": {"href": "https://docs.example/x"}}),
                text(") "),
                text("old", {"type": "strike"}),
            )
        )
    )
    assert markdown == (
        "Call `Cart.total()` from **checkout** _now_ ([docs](https://docs.example/x)) ~~old~~"
    )


def test_adf_code_mark_with_backtick_uses_a_longer_code_span() -> None:
    assert adf_to_markdown(doc(para(text("a`b", {"type": "code"})))) == "``a`b``"


def test_adf_adjacent_text_with_same_marks_is_merged() -> None:
    bold = {"type": "strong"}
    assert adf_to_markdown(doc(para(text("fix ", bold), text("now", bold)))) == "**fix now**"


def test_adf_heading_levels() -> None:
    markdown = adf_to_markdown(
        doc(
            {"type": "heading", "attrs": {"level": 3}, "content": [text("Acceptance criteria")]},
            para(text("body")),
        )
    )
    assert markdown == "### Acceptance criteria\n\nbody"


def test_adf_nested_lists() -> None:
    def item(*content: dict[str, Any]) -> dict[str, Any]:
        return {"type": "listItem", "content": list(content)}

    markdown = adf_to_markdown(
        doc(
            {
                "type": "bulletList",
                "content": [
                    item(
                        para(text("one")),
                        {
                            "type": "orderedList",
                            "attrs": {"order": 3},
                            "content": [item(para(text("three"))), item(para(text("four")))],
                        },
                    ),
                    item(para(text("two"))),
                ],
            }
        )
    )
    assert markdown == "- one\n  3. three\n  4. four\n- two"


def test_adf_task_list_becomes_checkboxes() -> None:
    markdown = adf_to_markdown(
        doc(
            {
                "type": "taskList",
                "attrs": {"localId": "l1"},
                "content": [
                    {"type": "taskItem", "attrs": {"state": "DONE"}, "content": [text("shipped")]},
                    {"type": "taskItem", "attrs": {"state": "TODO"}, "content": [text("tests")]},
                ],
            }
        )
    )
    assert markdown == "- [x] shipped\n- [ ] tests"


def test_adf_code_block_is_fenced_with_its_language() -> None:
    block = {
        "type": "codeBlock",
        "attrs": {"language": "python"},
        "content": [text("raise KeyError('sku')")],
    }
    assert adf_to_markdown(doc(block)) == "```python\nraise KeyError('sku')\n```"


def test_adf_code_block_containing_a_fence_gets_a_longer_fence() -> None:
    block = {"type": "codeBlock", "content": [text("```\ninner\n```")]}
    assert adf_to_markdown(doc(block)) == "````\n```\ninner\n```\n````"


def test_adf_blockquote_rule_hard_break_panel() -> None:
    markdown = adf_to_markdown(
        doc(
            {"type": "blockquote", "content": [para(text("q1")), para(text("q2"))]},
            {"type": "rule"},
            para(text("line one"), {"type": "hardBreak"}, text("line two")),
            {
                "type": "panel",
                "attrs": {"panelType": "warning"},
                "content": [para(text("Do not deploy on Fridays"))],
            },
        )
    )
    assert markdown == (
        "> q1\n>\n> q2\n\n---\n\nline one  \nline two\n\n> **Warning:**\n> Do not deploy on Fridays"
    )


def test_adf_mention_emoji_and_cards() -> None:
    markdown = adf_to_markdown(
        doc(
            para(
                {"type": "mention", "attrs": {"id": "5b10", "text": "@Mia Krystof"}},
                text(" see "),
                {"type": "inlineCard", "attrs": {"url": "https://acme.atlassian.net/browse/EX-2"}},
                text(" "),
                {"type": "emoji", "attrs": {"shortName": ":smile:", "text": "😄"}},
            ),
            {"type": "blockCard", "attrs": {"url": "https://status.example"}},
        )
    )
    assert markdown == (
        "@Mia Krystof see <https://acme.atlassian.net/browse/EX-2> 😄\n\n<https://status.example>"
    )


def test_adf_table_becomes_a_github_table() -> None:
    def cell(kind: str, value: str) -> dict[str, Any]:
        return {"type": kind, "content": [para(text(value))]}

    table = {
        "type": "table",
        "content": [
            {
                "type": "tableRow",
                "content": [cell("tableHeader", "Field"), cell("tableHeader", "Rule")],
            },
            {"type": "tableRow", "content": [cell("tableCell", "sku"), cell("tableCell", "a|b")]},
            {"type": "tableRow", "content": [cell("tableCell", "qty")]},
        ],
    }
    assert adf_to_markdown(doc(table)) == (
        "| Field | Rule |\n|---|---|\n| sku | a\\|b |\n| qty |  |"
    )


def test_adf_media_becomes_a_placeholder_only_when_it_has_a_name() -> None:
    markdown = adf_to_markdown(
        doc(
            {"type": "mediaSingle", "content": [{"type": "media", "attrs": {"alt": "cart.png"}}]},
            {"type": "mediaSingle", "content": [{"type": "media", "attrs": {"id": "abc"}}]},
            para(text("after")),
        )
    )
    assert markdown == "[attachment: cart.png]\n\nafter"


def test_adf_unknown_nodes_keep_their_text() -> None:
    markdown = adf_to_markdown(
        doc(
            {"type": "futureBlock", "content": [para(text("inside a new block"))]},
            para(text("a "), {"type": "futureInline", "content": [text("inline text")]}),
            {"type": "extension", "attrs": {"text": "macro text"}},
        )
    )
    assert "inside a new block" in markdown
    assert "a inline text" in markdown
    assert "macro text" in markdown


def test_adf_malformed_input_never_raises() -> None:
    assert adf_to_markdown(None) == ""
    assert adf_to_markdown({"type": "doc", "content": "not a list"}) == ""
    malformed = doc(
        {"type": "heading", "attrs": {"level": "x"}, "content": [text("Title")]},
        {"type": "paragraph", "content": [None, 3, text("ok"), {"type": "text", "text": 5}]},
        {"type": "orderedList", "attrs": {"order": "seven"}, "content": [{"type": "listItem"}]},
    )
    markdown = adf_to_markdown(malformed)
    assert "# Title" in markdown
    assert "ok" in markdown


def test_adf_deep_nesting_keeps_the_text() -> None:
    root = doc()
    current = root
    for _ in range(3000):
        child: dict[str, Any] = {"type": "blockquote", "content": []}
        current["content"].append(child)
        current = child
    current["content"].append(para(text("deep down")))
    assert "deep down" in adf_to_markdown(root)


@pytest.mark.skipif(not JIRA_EXAMPLES.is_dir(), reason="../shared/data/jira is absent")
def test_adf_real_issue_description_and_comment() -> None:
    issue = json.loads((JIRA_EXAMPLES / "getIssue.200.response.json").read_text())
    assert adf_to_markdown(issue["fields"]["description"]) == "Main order flow broken"
    assert adf_to_markdown(issue["fields"]["comment"][0]["body"]).startswith("Lorem ipsum dolor")
