"""The digest as data: what a digest says, and its JSON form (what is stored,
what the API returns, what the webhook channel posts). Ticket text in it is
untrusted: every renderer escapes it (`service.untrusted`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from service.scoring.policy import Verdict

Format = Literal["md", "html", "slack", "json"]
FORMATS: tuple[Format, ...] = ("md", "html", "slack", "json")

VERDICT_ORDER: tuple[Verdict, ...] = (
    Verdict.READY,
    Verdict.NEEDS_CLARITY,
    Verdict.TOO_LARGE,
    Verdict.BLOCKED,
    Verdict.NEEDS_REVIEW,
)
CONTENT_VERSION = 1


@dataclass(frozen=True, slots=True)
class DigestTicket:
    source: str
    key: str
    title: str  # untrusted: escaped by every renderer
    url: str | None
    verdict: str
    overall: int | None
    priority: int | None = None
    estimate_hours: tuple[float, float] | None = None
    areas: tuple[str, ...] = ()
    todo: str | None = None  # near-ready: the one missing item; needs-review: why


@dataclass(frozen=True, slots=True)
class StaleClaim:
    source: str
    key: str
    title: str
    url: str | None
    agent: str | None
    claimed_at: datetime | None
    lease_expires_at: datetime | None
    lease_expired: bool


@dataclass(frozen=True, slots=True)
class TicketList:
    items: tuple[DigestTicket, ...] = ()
    total: int = 0

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.items))


@dataclass(frozen=True, slots=True)
class ClaimList:
    items: tuple[StaleClaim, ...] = ()
    total: int = 0

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.items))


@dataclass(frozen=True, slots=True)
class VerdictCount:
    verdict: str
    count: int
    change: int | None  # since the previous digest; None when there is none


@dataclass(frozen=True, slots=True)
class Digest:
    title: str
    generated_at: datetime
    window_start: datetime
    window_end: datetime
    counts: tuple[VerdictCount, ...]
    newly_ready: TicketList
    batch: TicketList
    more_ready: TicketList
    near_ready: TicketList
    unblocked: TicketList
    stale_claims: ClaimList
    needs_review: TicketList
    stale_claim_hours: float
    previous_id: int | None = None
    id: int | None = None  # set once stored

    def count(self, verdict: Verdict | str) -> int:
        return next((c.count for c in self.counts if c.verdict == str(verdict)), 0)

    @property
    def is_empty(self) -> bool:
        return not any(c.count for c in self.counts) and not self.stale_claims.total


def _dt(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse_dt(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _ticket_json(t: DigestTicket) -> dict[str, Any]:
    return {
        "source": t.source,
        "key": t.key,
        "title": t.title,
        "url": t.url,
        "verdict": t.verdict,
        "overall": t.overall,
        "priority": t.priority,
        "estimate_hours": list(t.estimate_hours) if t.estimate_hours else None,
        "areas": list(t.areas),
        "todo": t.todo,
    }


def _ticket_from_json(d: Mapping[str, Any]) -> DigestTicket:
    est = d.get("estimate_hours")
    return DigestTicket(
        source=str(d["source"]),
        key=str(d["key"]),
        title=str(d["title"]),
        url=d.get("url"),
        verdict=str(d["verdict"]),
        overall=d.get("overall"),
        priority=d.get("priority"),
        estimate_hours=(float(est[0]), float(est[1])) if est else None,
        areas=tuple(str(a) for a in d.get("areas") or ()),
        todo=d.get("todo"),
    )


def _list_json(lst: TicketList) -> dict[str, Any]:
    return {"total": lst.total, "items": [_ticket_json(t) for t in lst.items]}


def _list_from_json(d: Mapping[str, Any]) -> TicketList:
    return TicketList(tuple(_ticket_from_json(t) for t in d["items"]), int(d["total"]))


def digest_to_json(digest: Digest) -> dict[str, Any]:
    """The digest as plain JSON values (what is stored and what the API returns)."""
    return {
        "version": CONTENT_VERSION,
        "id": digest.id,
        "title": digest.title,
        "generated_at": _dt(digest.generated_at),
        "window_start": _dt(digest.window_start),
        "window_end": _dt(digest.window_end),
        "previous_id": digest.previous_id,
        "stale_claim_hours": digest.stale_claim_hours,
        "counts": [
            {"verdict": c.verdict, "count": c.count, "change": c.change} for c in digest.counts
        ],
        "newly_ready": _list_json(digest.newly_ready),
        "batch": _list_json(digest.batch),
        "more_ready": _list_json(digest.more_ready),
        "near_ready": _list_json(digest.near_ready),
        "unblocked": _list_json(digest.unblocked),
        "needs_review": _list_json(digest.needs_review),
        "stale_claims": {
            "total": digest.stale_claims.total,
            "items": [
                {
                    "source": c.source,
                    "key": c.key,
                    "title": c.title,
                    "url": c.url,
                    "agent": c.agent,
                    "claimed_at": _dt(c.claimed_at),
                    "lease_expires_at": _dt(c.lease_expires_at),
                    "lease_expired": c.lease_expired,
                }
                for c in digest.stale_claims.items
            ],
        },
    }


def digest_from_json(data: Mapping[str, Any], *, digest_id: int | None = None) -> Digest:
    claims = data["stale_claims"]
    generated = _parse_dt(data["generated_at"])
    start = _parse_dt(data["window_start"])
    end = _parse_dt(data["window_end"])
    assert generated is not None and start is not None and end is not None
    return Digest(
        id=digest_id if digest_id is not None else data.get("id"),
        title=str(data["title"]),
        generated_at=generated,
        window_start=start,
        window_end=end,
        previous_id=data.get("previous_id"),
        stale_claim_hours=float(data["stale_claim_hours"]),
        counts=tuple(
            VerdictCount(str(c["verdict"]), int(c["count"]), c.get("change"))
            for c in data["counts"]
        ),
        newly_ready=_list_from_json(data["newly_ready"]),
        batch=_list_from_json(data["batch"]),
        more_ready=_list_from_json(data["more_ready"]),
        near_ready=_list_from_json(data["near_ready"]),
        unblocked=_list_from_json(data["unblocked"]),
        needs_review=_list_from_json(data["needs_review"]),
        stale_claims=ClaimList(
            tuple(
                StaleClaim(
                    source=str(c["source"]),
                    key=str(c["key"]),
                    title=str(c["title"]),
                    url=c.get("url"),
                    agent=c.get("agent"),
                    claimed_at=_parse_dt(c.get("claimed_at")),
                    lease_expires_at=_parse_dt(c.get("lease_expires_at")),
                    lease_expired=bool(c.get("lease_expired")),
                )
                for c in claims["items"]
            ),
            int(claims["total"]),
        ),
    )
