"""A Jira text field as Markdown, whichever format it comes in.

REST v2 (and Server/Data Center) gives wiki markup strings, REST v3 gives Atlassian
Document Format objects; a few responses give a list of either. Every Jira
description and comment crosses into the service through `jira_text_to_markdown`.
"""

from __future__ import annotations

from collections.abc import Mapping

from connectors.jira.markup.adf import adf_to_markdown
from connectors.jira.markup.wiki import jira_wiki_to_markdown

__all__ = ["jira_text_to_markdown"]


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
