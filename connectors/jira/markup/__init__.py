"""Jira's two text formats to Markdown, and Markdown back to wiki markup (re-exports).

A ticket's body crosses into the service as Markdown (see `connectors.base.Ticket`):
`wiki` converts wiki markup (REST v2), `adf` Atlassian Document Format (v3), and
`text` picks between them for a field's value. `to_wiki` renders our own comment,
written in Markdown by the service, as wiki markup for Jira.
"""

from connectors.jira.markup.adf import adf_to_markdown
from connectors.jira.markup.text import jira_text_to_markdown
from connectors.jira.markup.to_wiki import markdown_to_jira_wiki
from connectors.jira.markup.wiki import jira_wiki_to_markdown

__all__ = [
    "adf_to_markdown",
    "jira_text_to_markdown",
    "jira_wiki_to_markdown",
    "markdown_to_jira_wiki",
]
