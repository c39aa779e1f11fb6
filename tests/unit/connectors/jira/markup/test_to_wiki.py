"""Our comment's Markdown becomes Jira wiki markup (markdown-it-py tokens, no mistletoe).

The comment is `service.triage.render_comment`'s template: a bold verdict line
with inline code, a sentence, an optional bullet list of what is missing (made
inert for HTML, `@` broken), and a `<sub>` footer. The expected wiki text is
what the comments already on Jira say (rendered by mistletoe's Jira renderer
before), so an unchanged verdict is not rewritten.
"""

from __future__ import annotations

import pytest

from connectors.jira.markup.to_wiki import markdown_to_jira_wiki

FOOTER = "<sub>Written by backlog-sync; it updates this comment when the ticket changes.</sub>"
WIKI_FOOTER = (
    "<sub>Written by backlog\\-sync; it updates this comment when the ticket changes.</sub>"
)


def comment(verdict: str, score: int, sentence: str, missing: list[str]) -> str:
    """The template's shape, as render_comment builds it."""
    lines = [f"**AI-readiness: `{verdict}`** (score {score}/100)", "", sentence]
    if missing:
        lines += ["", "What would make it ready:", ""]
        lines += [f"- {item}" for item in missing]
    return "\n".join([*lines, "", FOOTER]) + "\n"


def test_a_ready_comment() -> None:
    markdown = comment("ready", 92, "This ticket is ready to be handed to an AI coding agent.", [])
    assert markdown_to_jira_wiki(markdown) == (
        "*AI\\-readiness: {{ready}}* (score 92/100)\n\n"
        "This ticket is ready to be handed to an AI coding agent.\n\n" + WIKI_FOOTER
    )


def test_a_comment_with_what_is_missing() -> None:
    markdown = comment(
        "needs_clarity",
        41,
        "This ticket needs a clearer description before an agent can take it.",
        [
            "Describe the expected behaviour (an example input and output).",
            "Split it: 3 sub-tasks of about a day each.",
        ],
    )
    assert markdown_to_jira_wiki(markdown) == (
        "*AI\\-readiness: {{needs\\_clarity}}* (score 41/100)\n\n"
        "This ticket needs a clearer description before an agent can take it.\n\n"
        "What would make it ready:\n\n"
        "* Describe the expected behaviour (an example input and output).\n"
        "* Split it: 3 sub\\-tasks of about a day each.\n\n" + WIKI_FOOTER
    )


def test_escaped_html_and_a_broken_mention_stay_inert_text() -> None:
    item = "Say what &quot;done&quot; means &amp; ask @\u200bbob about &lt;b&gt;"
    wiki = markdown_to_jira_wiki(comment("needs_review", 60, "Review it.", [item]))
    assert '* Say what "done" means & ask @\u200bbob about <b>\n' in wiki


def test_wiki_markup_characters_in_text_are_escaped() -> None:
    wiki = markdown_to_jira_wiki("Use snake_case in {code} and [x] not -this- or +that+ ^up^")
    assert wiki == (
        "Use snake\\_case in \\{code\\} and \\[x\\] not \\-this\\- or \\+that\\+ \\^up\\^"
    )


@pytest.mark.parametrize(
    ("markdown", "wiki"),
    [
        ("## Ready\n\n- nothing missing", "h2. Ready\n\n* nothing missing"),
        ("# T\n\ntext", "h1. T\n\ntext"),
        ("*a* and _b_ and **c**", "_a_ and _b_ and *c*"),
        ("~~gone~~", "-gone-"),
        ("[the docs](https://e.x/a?b=1)", "[the docs|https://e.x/a?b=1]"),
        ("<https://e.x/a>", "[https://e.x/a]"),
        ("- a\n  - b\n- c", "* a\n** b\n* c"),
        ("1. one\n2. two", "# one\n# two"),
        ("> quoted", "bq. quoted"),
        ("```py\nx = 1\n```", "{code:py}\nx = 1\n{code}"),
        ("line one\nline two  \nline three", "line one line two\\\\\nline three"),
        ("above\n\n---\n\nbelow", "above\n\n----\nbelow"),
        ("a \\* b", "a \\* b"),  # an escaped character stays escaped
    ],
)
def test_what_a_comment_can_contain(markdown: str, wiki: str) -> None:
    assert markdown_to_jira_wiki(markdown) == wiki


def test_markdown_quoting_our_wiki_marker_does_not_carry_it() -> None:
    # the connector appends the `~backlog-sync:readiness~` footer after rendering:
    # the marker token is then in the comment once, in the footer
    wiki = markdown_to_jira_wiki("~backlog-sync:readiness~")
    assert wiki == "\\~backlog\\-sync:readiness\\~"
    assert "backlog-sync:readiness" not in wiki
