"""Every rendering of a digest, by format name, and all of them at once for
the channels (`RenderedDigest`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from service.digest.content import FORMATS, Digest, Format, digest_to_json
from service.digest.render.common import subject
from service.digest.render.html import render_html
from service.digest.render.markdown import render_markdown
from service.digest.render.slack import render_slack


@dataclass(frozen=True, slots=True)
class RenderedDigest:
    """One digest in every form a channel may need."""

    digest_id: int | None
    subject: str  # no ticket text: it goes into a mail header
    markdown: str
    html: str
    slack: Mapping[str, Any]  # {"text": ..., "blocks": [...]}
    json: str
    file_stem: str  # e.g. "digest-20250106T080000Z-12"


def render_json(d: Digest) -> str:
    return json.dumps(digest_to_json(d), indent=2, ensure_ascii=False)


def render(d: Digest, fmt: Format | str) -> str:
    """The digest in one format: md, html, slack (the Block Kit JSON) or json."""
    if fmt == "md":
        return render_markdown(d)
    if fmt == "html":
        return render_html(d)
    if fmt == "slack":
        return json.dumps(render_slack(d), indent=2, ensure_ascii=False)
    if fmt == "json":
        return render_json(d)
    raise ValueError(f"unknown digest format {fmt!r}: expected one of {', '.join(FORMATS)}")


def render_all(d: Digest) -> RenderedDigest:
    stamp = d.window_end.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return RenderedDigest(
        digest_id=d.id,
        subject=subject(d),
        markdown=render_markdown(d),
        html=render_html(d),
        slack=render_slack(d),
        json=render_json(d),
        file_stem=f"digest-{stamp}" + (f"-{d.id}" if d.id is not None else ""),
    )
