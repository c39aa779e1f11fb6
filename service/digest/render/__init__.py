"""Rendering a digest: Markdown, HTML (mail), Slack Block Kit and JSON."""

from service.digest.render.formats import RenderedDigest, render, render_all, render_json
from service.digest.render.html import render_html
from service.digest.render.markdown import render_markdown
from service.digest.render.slack import render_slack

__all__ = [
    "RenderedDigest",
    "render",
    "render_all",
    "render_html",
    "render_json",
    "render_markdown",
    "render_slack",
]
