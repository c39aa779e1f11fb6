"""The digest as Markdown (the CLI, the file channel, the mail's text part).
Ticket text is one inert Markdown line each (`service.untrusted.markdown_line`)."""

from __future__ import annotations

from datetime import UTC

from service.digest.content import Digest, DigestTicket, StaleClaim
from service.digest.render.common import change_text, claim_note, sections, when_text
from service.tickets.store import estimate_text
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
    details = []
    if section != "near_ready" and t.estimate_hours:
        details.append(estimate_text(t.estimate_hours))
    if t.overall is not None and section in ("near_ready", "more_ready", "newly_ready"):
        details.append(f"score {t.overall}")
    if t.areas and section in ("batch", "more_ready", "newly_ready"):
        details.append("areas: " + ", ".join(markdown_line(a, limit=80) for a in t.areas[:6]))
    if section == "unblocked" and t.verdict:
        details.append(f"now {t.verdict}")
    if details:
        parts.append(" — " + " · ".join(details))
    if t.todo:
        label = "to do" if section == "near_ready" else "why"
        parts.append(f"  \n  {label}: {markdown_line(t.todo, limit=TEXT_LIMIT)}")
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
