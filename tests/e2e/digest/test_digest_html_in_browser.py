"""The email HTML opened in a real browser (headless chromium): hostile ticket
titles are shown as text and nothing in them runs.

Needs Debian's chromium (`apt-get install -y chromium`); skipped when it is
absent, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from service import digest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
SCRIPT_TITLE = "<script>alert(1)</script> & <@channel>"
PWN_SCRIPT = "<script>document.body.setAttribute('data-pwned','script')</script> & <@channel>"
PWN_IMG = "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">"
RECORD_ALERTS = (
    "<script>window.alert = function (m) "
    "{ document.documentElement.setAttribute('data-alert', String(m)); };</script>"
)
PROVE_JS = "<script>document.body.setAttribute('data-js','on')</script></body>"
NOW = datetime(2025, 3, 4, 8, 0, tzinfo=UTC)


def chromium() -> str:
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    reason = "chromium is not installed (apt-get install -y chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def dump_dom(browser: str, page: Path, profile: Path) -> str:
    result = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return result.stdout


class Dom(HTMLParser):
    """The body's attributes, the tags present, and the text of each ticket title."""

    def __init__(self) -> None:
        super().__init__()
        self.html: dict[str, str | None] = {}
        self.body: dict[str, str | None] = {}
        self.tags: list[str] = []
        self.titles: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "html":
            self.html = dict(attrs)
        if tag == "body":
            self.body = dict(attrs)
        self._in_title = tag == "span" and ("class", "ticket-title") in attrs
        if self._in_title:
            self.titles.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "span":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.titles[-1] += data


def hostile_digest() -> digest.Digest:
    def ticket(n: int, title: str, verdict: str = "ready") -> digest.DigestTicket:
        return digest.DigestTicket(
            "github:acme/app",
            f"acme/app#{n}",
            title,
            f"https://github.com/acme/app/issues/{n}",
            verdict,
            80,
            estimate_hours=(2, 4),
            areas=("app/core",),
            todo=None,
        )

    ready = (ticket(1, SCRIPT_TITLE), ticket(2, PWN_SCRIPT), ticket(3, PWN_IMG))
    return digest.Digest(
        title="Ready for AI",
        generated_at=NOW,
        window_start=NOW - timedelta(days=1),
        window_end=NOW,
        counts=(digest.VerdictCount("ready", 3, 3),),
        newly_ready=digest.TicketList(ready, 3),
        batch=digest.TicketList(ready, 3),
        more_ready=digest.TicketList(),
        near_ready=digest.TicketList(),
        unblocked=digest.TicketList(),
        stale_claims=digest.ClaimList(),
        needs_review=digest.TicketList(),
        stale_claim_hours=48,
    )


def test_hostile_titles_show_as_text_and_never_run(tmp_path: Path) -> None:
    browser = chromium()
    html = digest.render_html(hostile_digest())
    # our own scripts: one that records any alert() instead of blocking on it, and
    # one at the end that proves scripts do run in this browser
    page = tmp_path / "digest.html"
    page.write_text(
        html.replace("<head>", "<head>" + RECORD_ALERTS, 1).replace("</body>", PROVE_JS),
        encoding="utf-8",
    )

    dom = Dom()
    dom.feed(dump_dom(browser, page, tmp_path / "profile"))

    assert dom.body.get("data-js") == "on"
    assert "data-alert" not in dom.html and "data-pwned" not in dom.body
    assert "img" not in dom.tags
    assert dom.tags.count("script") == 2  # only ours
    assert dom.titles.count(SCRIPT_TITLE) == 2  # in the batch and in newly ready
    assert dom.titles.count(PWN_SCRIPT) == 2
    assert dom.titles.count(PWN_IMG) == 2
