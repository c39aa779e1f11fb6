"""Rendering: untrusted ticket text stays text in every format; Slack's limits hold."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt
from sqlalchemy.orm import Session

from service import digest
from service.config import DigestConfig
from service.digest.render import slack
from service.scoring import Verdict
from tests.integration.digest.builders import T0, put

NOW = T0 + timedelta(days=1)
EVIL = "<script>alert(1)</script> & <@channel>"
EVIL_TODO = "<img src=x onerror=alert(2)> [click](javascript:alert(3)) <!here>"


class Elements(HTMLParser):
    """Tags and text of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(html: str) -> Elements:
    elements = Elements()
    elements.feed(html)
    return elements


def evil_digest(session: Session) -> digest.Digest:
    put(session, 1, Verdict.READY, at=NOW - timedelta(hours=1), title=EVIL, areas=["<b>x</b>"])
    put(session, 2, Verdict.NEEDS_CLARITY, at=NOW, title=EVIL, overall=60, missing=[EVIL_TODO])
    return digest.build(session, DigestConfig(), NOW)


def test_hostile_title_is_text_in_html(session: Session) -> None:
    html = digest.render_html(evil_digest(session))

    elements = parsed(html)
    assert "script" not in elements.tags and "img" not in elements.tags
    text = "".join(elements.text)
    assert EVIL in text  # shown, as text, every time it appears
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;@channel&gt;" in html
    assert "javascript:" not in "".join(v or "" for v in _attribute_values(html))


def _attribute_values(html: str) -> list[str | None]:
    values: list[str | None] = []

    class Attrs(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            values.extend(v for _, v in attrs)

    Attrs().feed(html)
    return values


def test_hostile_title_is_text_in_markdown(session: Session) -> None:
    md = digest.render_markdown(evil_digest(session))

    html = MarkdownIt("commonmark").render(md)
    elements = parsed(html)
    assert not {"script", "img"} & set(elements.tags)
    assert EVIL in "".join(elements.text)
    assert not any((v or "").startswith("javascript:") for v in _attribute_values(html))


def test_hostile_title_cannot_mention_or_link_in_slack(session: Session) -> None:
    payload = digest.render_slack(evil_digest(session))

    texts = [b["text"]["text"] for b in payload["blocks"] if b["type"] == "section"]
    joined = "\n".join(texts)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;@channel&gt;" in joined
    assert "&lt;!here&gt;" in joined
    # every raw < in the text opens one of our own links to a ticket URL
    for piece in joined.split("<")[1:]:
        assert piece.startswith("https://github.com/acme/app/issues/")
    assert EVIL not in payload["text"]


def test_hostile_title_is_exact_data_in_json(session: Session) -> None:
    data = json.loads(digest.render_json(evil_digest(session)))

    assert data["newly_ready"]["items"][0]["title"] == EVIL
    assert data["near_ready"]["items"][0]["todo"] == EVIL_TODO


def test_400_ready_tickets_stay_within_slacks_limits(session: Session) -> None:
    for n in range(1, 401):
        put(
            session,
            n,
            Verdict.READY,
            at=NOW - timedelta(hours=2),
            areas=[f"area/{n}"],
            title=f"Make the {n}th widget configurable " + "x" * 150,
        )
    config = DigestConfig(batch_size=50, top_ready=200, list_limit=1000)
    d = digest.build(session, config, NOW)
    assert d.newly_ready.total == 400 and len(d.newly_ready.items) == 400

    payload = digest.render_slack(d)

    blocks = payload["blocks"]
    assert len(blocks) <= 50
    for block in blocks:
        for text in [block.get("text", {}).get("text", "")] + [
            e.get("text", "") for e in block.get("elements", [])
        ]:
            assert len(text) <= 3000
    assert len(blocks[0]["text"]["text"]) <= 150
    shown = "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert "and 385 more" in shown  # newly ready: 15 shown of 400
    assert "and 35 more" in shown  # the batch: 15 shown of 50
    assert "and 335 more" in shown  # more ready: 15 shown of the 350 beyond the batch
    json.dumps(payload)  # plain JSON values only


def test_slack_cuts_to_50_blocks_and_counts_what_it_left_out(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(slack, "SLACK_ITEMS_PER_SECTION", 100)  # sections longer than fit
    base = digest.build(session, DigestConfig(), NOW)
    items = tuple(
        digest.DigestTicket("s", f"K-{n}", "y" * 280, None, "ready", 80, todo="z" * 280)
        for n in range(100)
    )
    names = ("newly_ready", "batch", "more_ready", "near_ready", "unblocked", "needs_review")
    d = dataclasses.replace(base, **{name: digest.TicketList(items, 100) for name in names})  # type: ignore[arg-type]

    blocks = digest.render_slack(d)["blocks"]

    assert len(blocks) == 50
    shown = sum(b["text"]["text"].count("• ") for b in blocks if b["type"] == "section")
    note = blocks[-1]["elements"][0]["text"]
    assert note == f"and {600 - shown} more not shown in Slack"
    assert 0 < shown < 600
