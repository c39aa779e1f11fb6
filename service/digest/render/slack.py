"""The digest as Slack Block Kit, within Slack's limits. Ticket text is
escaped for mrkdwn (`service.untrusted.slack_text`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from typing import Any

from service.digest.content import Digest, DigestTicket, StaleClaim
from service.digest.render.common import (
    change_text,
    claim_note,
    sections,
    ticket_details,
    todo_label,
    when_text,
)
from service.scoring.policy import Verdict
from service.untrusted import clean_line, safe_url, slack_text

SLACK_MAX_BLOCKS = 50
SLACK_MAX_TEXT = 3000
SLACK_MAX_HEADER = 150
SLACK_ITEMS_PER_SECTION = 15


def _slack_link(t: DigestTicket | StaleClaim) -> str:
    label = slack_text(t.key, 120).replace("|", "¦")
    url = safe_url(t.url)
    if url is None:
        return f"*{label}*"
    url = url.replace("&", "&amp;").replace("|", "%7C")
    return f"<{url}|{label}>"


def _slack_ticket(t: DigestTicket, section: str) -> str:
    line = f"• {_slack_link(t)} {slack_text(t.title, 200)}"
    line += ticket_details(
        t,
        section,
        lambda areas: ", ".join(f"`{slack_text(a, 60).replace('`', '')}`" for a in areas[:4]),
    )
    if t.todo:
        line += f"\n    _{todo_label(section)}:_ {slack_text(t.todo, 200)}"
    return line


def _chunks(lines: Sequence[tuple[str, bool]], limit: int) -> list[tuple[str, int]]:
    """Lines joined into texts of at most `limit` characters (a longer line is cut),
    each with the number of item lines (flag True) it holds."""
    texts: list[tuple[str, int]] = []
    current, items = "", 0
    for line, is_item in lines:
        line = line if len(line) <= limit else line[: limit - 1] + "…"
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            texts.append((current, items))
            current, items = line, 0
        else:
            current = candidate
        items += int(is_item)
    if current:
        texts.append((current, items))
    return texts


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def render_slack(d: Digest) -> dict[str, Any]:
    """Block Kit payload (`text` fallback + `blocks`), within Slack's limits: at most
    50 blocks, 3,000 characters per text, 150 per header; what does not fit is
    counted in an "and N more" line."""
    header = f"{clean_line(d.title)} — {d.window_end.astimezone(UTC):%Y-%m-%d}"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": header[:SLACK_MAX_HEADER]}},
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": f"Window: {when_text(d.window_start)} → {when_text(d.window_end)}",
                }
            ],
        },
        _mrkdwn(
            "\n".join(
                f"*{c.verdict}*: {c.count}"
                + (f" ({change_text(c.change)})" if c.change is not None else "")
                for c in d.counts
            )
        ),
    ]
    # each section: a divider, then its heading and lines in texts of <= 3,000 characters
    budget = SLACK_MAX_BLOCKS - 1  # one block kept for the "not shown" note
    not_shown = 0
    for section in sections(d):
        if section.total == 0 and section.empty is None:
            continue
        lines: list[tuple[str, bool]] = [(f"*{section.heading}*", False)]
        if section.total == 0:
            lines.append((f"_{section.empty}_", False))
        elif section.claims is not None:
            lines += [
                (
                    f"• {_slack_link(c)} {slack_text(c.title, 200)} — "
                    f"{slack_text(claim_note(c, d.stale_claim_hours))}",
                    True,
                )
                for c in section.claims.items[:SLACK_ITEMS_PER_SECTION]
            ]
        else:
            assert section.tickets is not None
            lines += [
                (_slack_ticket(t, section.key), True)
                for t in section.tickets.items[:SLACK_ITEMS_PER_SECTION]
            ]
        shown = sum(1 for _, is_item in lines if is_item)
        if section.total > shown:
            lines.append((f"_and {section.total - shown} more_", False))
        texts = _chunks(lines, SLACK_MAX_TEXT)
        room = budget - len(blocks) - 1  # after the divider
        if room < 1:
            not_shown += section.total
            continue
        blocks.append({"type": "divider"})
        blocks.extend(_mrkdwn(text) for text, _ in texts[:room])
        if len(texts) > room:
            # cut: count the items left out (the section's own "and N more" went too)
            not_shown += section.total - sum(n for _, n in texts[:room])
    if not_shown:
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": f"and {not_shown} more not shown in Slack"}
                ],
            }
        )
    fallback = (
        f"{clean_line(d.title)}: {d.count(Verdict.READY)} ready, "
        f"{d.newly_ready.total} newly ready, batch of {d.batch.total}"
    )
    return {"text": fallback, "blocks": blocks}
