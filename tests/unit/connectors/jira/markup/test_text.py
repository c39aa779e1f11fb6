"""A Jira text field becomes Markdown whichever its format (wiki, ADF, a list)."""

from __future__ import annotations

from connectors.jira.markup.text import jira_text_to_markdown
from tests.unit.connectors.jira.markup.adf_nodes import doc, para, text

# --- dispatch ---------------------------------------------------------------------


def test_jira_text_dispatches_on_the_value() -> None:
    assert jira_text_to_markdown(None) == ""
    assert jira_text_to_markdown("*bold*") == "**bold**"
    assert jira_text_to_markdown(doc(para(text("adf")))) == "adf"
    assert jira_text_to_markdown(42) == "42"
