"""The digest as Markdown (the CLI, the file channel, the mail's text part).
Ticket text is one inert Markdown line each (`service.untrusted.markdown_line`)."""

from __future__ import annotations

from datetime import UTC

from service.digest.content import Digest, DigestTicket, StaleClaim
from service.digest.render.common import (
    change_text,
    claim_note,
    sections,
    ticket_details,
    todo_label,
    when_text,
)
from service.untrusted import markdown_line, safe_url

TEXT_LIMIT = 300


def _md_link(t: DigestTicket | StaleClaim) -> str:
    label = markdown_line(t.key, limit=120)
    url = safe_url(t.url)
    if url is None:
        return f"**{label}**"
    url = url.replace("(", "%28").replace(")", "%29")
    return f"[{label}]({url})"


def _md_ticket(t: DigestTicket, section: str) -> str:
    parts = [f"{_md_link(t)} {markdown_line(t.title, limit=TEXT_LIMIT)}"]
    parts.append(
        ticket_details(
            t,
            section,
            lambda areas: "areas: " + ", ".join(markdown_line(a, limit=80) for a in areas[:6]),
        )
    )
    if t.todo:
        parts.append(f"  \n  {todo_label(section)}: {markdown_line(t.todo, limit=TEXT_LIMIT)}")
    return "".join(parts)


def render_markdown(d: Digest) -> str:
    lines = [
        f"# {markdown_line(d.title, limit=80)} — {d.window_end.astimezone(UTC):%Y-%m-%d}",
        "",
        f"Window: {when_text(d.window_start)} → {when_text(d.window_end)}",
        "",
        "| Verdict | Tickets | Change |",
        "| --- | ---: | ---: |",
    ]
    lines += [f"| {c.verdict} | {c.count} | {change_text(c.change)} |" for c in d.counts]
    for section in sections(d):
        if section.total == 0 and section.empty is None:
            continue
        lines += ["", f"## {section.heading}", ""]
        if section.total == 0:
            lines.append(f"_{section.empty}_")
            continue
        numbered = section.key == "batch"
        if section.claims is not None:
            for c in section.claims.items:
                note = markdown_line(claim_note(c, d.stale_claim_hours), limit=TEXT_LIMIT)
                lines.append(f"- {_md_link(c)} {markdown_line(c.title, limit=TEXT_LIMIT)} — {note}")
            more = section.claims.more
        else:
            assert section.tickets is not None
            for i, t in enumerate(section.tickets.items, 1):
                bullet = f"{i}." if numbered else "-"
                lines.append(f"{bullet} {_md_ticket(t, section.key)}")
            more = section.tickets.more
        if more:
            lines.append(f"- _and {more} more_")
    lines.append("")
    return "\n".join(lines)
