"""What every rendering of a digest shares: its sections in order, and the
few values they all print the same way (counts' changes, times, notes)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from service.digest.content import ClaimList, Digest, DigestTicket, StaleClaim, TicketList
from service.scoring.policy import Verdict
from service.tickets.store import estimate_text
from service.untrusted import clean_line, shorten


def change_text(change: int | None) -> str:
    if change is None:
        return ""
    if change == 0:
        return "±0"
    return f"+{change}" if change > 0 else f"−{-change}"


def when_text(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if value is not None else "?"


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    heading: str
    tickets: TicketList | None = None
    claims: ClaimList | None = None
    empty: str | None = None  # shown when empty; None hides the section

    @property
    def total(self) -> int:
        if self.claims is not None:
            return self.claims.total
        return self.tickets.total if self.tickets is not None else 0


def sections(d: Digest) -> list[Section]:
    return [
        Section(
            "batch",
            f"Today's parallel batch ({d.batch.total})",
            d.batch,
            empty="No ready ticket can be handed out today.",
        ),
        Section("newly_ready", f"Newly ready ({d.newly_ready.total})", d.newly_ready),
        Section("more_ready", f"More ready tickets ({d.more_ready.total})", d.more_ready),
        Section("near_ready", f"Almost ready ({d.near_ready.total})", d.near_ready),
        Section("unblocked", f"Unblocked since the last digest ({d.unblocked.total})", d.unblocked),
        Section("stale", f"Stale claims ({d.stale_claims.total})", claims=d.stale_claims),
        Section("needs_review", f"Needs review: safety ({d.needs_review.total})", d.needs_review),
    ]


def claim_note(c: StaleClaim, hours: float) -> str:
    who = f"claimed by {shorten(clean_line(c.agent or ''), 80)}" if c.agent else "claimed"
    since = f" since {when_text(c.claimed_at)}"
    why = "lease expired" if c.lease_expired else f"held for more than {hours:g} h"
    return f"{who}{since}, {why}"


def subject(d: Digest) -> str:
    """A mail subject; no ticket text in it."""
    return (
        f"{d.title}: {d.count(Verdict.READY)} ready, {d.newly_ready.total} newly ready, "
        f"batch of {d.batch.total} ({d.window_end.astimezone(UTC):%Y-%m-%d})"
    )


def ticket_details(t: DigestTicket, section: str, areas: Callable[[tuple[str, ...]], str]) -> str:
    """What a ticket's line says after its title, by section: its estimate, its
    score, its code areas (`areas` renders them, escaped for the format) and,
    for an unblocked ticket, its verdict now; "" when there is nothing."""
    details = []
    if section != "near_ready" and t.estimate_hours:
        details.append(estimate_text(t.estimate_hours))
    if t.overall is not None and section in ("near_ready", "more_ready", "newly_ready"):
        details.append(f"score {t.overall}")
    if t.areas and section in ("batch", "more_ready", "newly_ready"):
        details.append(areas(t.areas))
    if section == "unblocked" and t.verdict:
        details.append(f"now {t.verdict}")
    return " — " + " · ".join(details) if details else ""


def todo_label(section: str) -> str:
    """What a ticket's second line is: the one thing to do (near-ready) or why (review)."""
    return "to do" if section == "near_ready" else "why"
