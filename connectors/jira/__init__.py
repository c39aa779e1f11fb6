"""Jira Cloud and Jira Server/Data Center (re-exports).

`client` talks to Jira through python-jira; `mapping` turns issue JSON into a
Ticket (for the API, webhooks and exports alike); `webhook` verifies and parses
deliveries; `markup` converts Jira's text formats to Markdown and back.
"""

from connectors.jira.client import JIRA_COMMENT_MARKER, JiraConnector
from connectors.jira.mapping import DEFAULT_BLOCKER_LINK_TYPES, STORY_POINTS_FIELD_NAMES

__all__ = [
    "DEFAULT_BLOCKER_LINK_TYPES",
    "JIRA_COMMENT_MARKER",
    "STORY_POINTS_FIELD_NAMES",
    "JiraConnector",
]
