"""The daily ready-for-AI digest: build it (data), store it, render it, send it.

A digest covers a window: from the end of the last delivered digest (else the
last `default_window_hours`) to now. It says:

- how many open tickets hold each verdict, and the change since the previous
  delivered digest;
- which tickets became ready in the window;
- today's suggested parallel batch (`queue.batch`: no two share a code area),
  each with its estimate and areas, then the best ready tickets beyond it;
- the near-ready tickets (not ready, not blocked, not needing review, highest
  overall first), each with the one item its author should add (the first of
  the assessment's `missing`);
- the tickets unblocked in the window (blocked at its start, not now);
- stale claims (lease expired, or claimed longer than `stale_claim_hours`) and
  the tickets that need a safety review.

Queries are a fixed handful whatever the backlog's size: verdict counts from
the tickets' denormalised verdict; the verdict at the window's start from the
latest assessment before it, one grouped subquery; the displayed tickets' latest
assessments in one query. Lists are capped, each with its total.

Functions take a session and never commit, except the edges that deliver a
digest (`run`, `run_scheduled`, `resume_interrupted`): they take sessions and
own their transactions, so that no transaction is open while a channel is sent
to (see "storing, delivering, reading" below).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from pydantic import BaseModel, ConfigDict, Field, SecretStr
from sqlalchemy import ColumnElement, Select, and_, func, or_, select, update
from sqlalchemy.orm import Session, aliased, sessionmaker

from service import db, queue
from service.delivery import (
    ChannelConfig,
    DeliveryOutcome,
    RenderedDigest,
    RetryPolicy,
    apply_channel_secrets,
    deliver_one,
    delivery_budget,
)
from service.digest_models import DigestDelivery, DigestRecord
from service.models import AssessmentRecord, QueueEntry, Source, TicketRecord
from service.rules.untrusted import clean_line, shorten
from service.scoring.policy import Verdict

if TYPE_CHECKING:
    from service.config import Settings

log = logging.getLogger(__name__)

Format = Literal["md", "html", "slack", "json"]
FORMATS: tuple[Format, ...] = ("md", "html", "slack", "json")

VERDICT_ORDER: tuple[Verdict, ...] = (
    Verdict.READY,
    Verdict.NEEDS_CLARITY,
    Verdict.TOO_LARGE,
    Verdict.BLOCKED,
    Verdict.NEEDS_REVIEW,
)
NEAR_READY_VERDICTS = (str(Verdict.NEEDS_CLARITY), str(Verdict.TOO_LARGE))
DEFAULT_PRIORITY = 3
CONTENT_VERSION = 1


class DigestConfig(BaseModel):
    """The `digest:` section of the YAML config (channel secrets come from the environment)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field("Ready for AI", min_length=1, max_length=80)
    batch_size: int = Field(5, ge=0, le=50, description="tickets in today's parallel batch")
    top_ready: int = Field(10, ge=0, le=200, description="ready tickets listed beyond the batch")
    near_ready: int = Field(10, ge=0, le=200, description="near-ready tickets listed")
    list_limit: int = Field(
        25, ge=1, le=1000, description="most tickets listed in the other sections"
    )
    stale_claim_hours: float = Field(48.0, gt=0, description="a claim older than this is stale")
    default_window_hours: float = Field(24.0, gt=0, description="window when none was delivered")
    channels: tuple[ChannelConfig, ...] = ()
    retry: RetryPolicy = RetryPolicy()

    def with_secrets(self, secrets: Mapping[str, SecretStr]) -> DigestConfig:
        """This config with channel secrets (by channel name) filled in."""
        return self.model_copy(update={"channels": apply_channel_secrets(self.channels, secrets)})


# --- the digest as data --------------------------------------------------------


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


# --- JSON (stored content, API, webhook) ----------------------------------------


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


# --- building ------------------------------------------------------------------


def _live() -> ColumnElement[bool]:
    """Open tickets that exist and are not skipped: the ones a digest speaks of."""
    return and_(
        TicketRecord.state == "open",
        TicketRecord.deleted_at.is_(None),
        TicketRecord.skipped.is_(False),
    )


def _priority_order() -> tuple[ColumnElement[Any], ...]:
    return (
        func.coalesce(TicketRecord.priority, DEFAULT_PRIORITY).asc(),
        func.coalesce(TicketRecord.overall, -1).desc(),
        TicketRecord.key.asc(),
        TicketRecord.id.asc(),
    )


def _latest_assessments(session: Session, ticket_ids: Iterable[int]) -> dict[int, AssessmentRecord]:
    """The latest assessment of each ticket, in one query."""
    ids = sorted(set(ticket_ids))
    if not ids:
        return {}
    latest_ids = (
        select(func.max(AssessmentRecord.id))
        .where(AssessmentRecord.ticket_id.in_(ids))
        .group_by(AssessmentRecord.ticket_id)
    )
    records = session.scalars(select(AssessmentRecord).where(AssessmentRecord.id.in_(latest_ids)))
    return {r.ticket_id: r for r in records}


_TicketRow = tuple[int, str, str, str | None, str | None, int | None, int | None]


def _ticket_columns() -> tuple[Any, ...]:
    return (
        TicketRecord.id,
        Source.name,
        TicketRecord.key,
        TicketRecord.title,
        TicketRecord.url,
        TicketRecord.verdict,
        TicketRecord.overall,
        TicketRecord.priority,
    )


def _ticket_list(
    session: Session,
    stmt: Select[Any],
    limit: int,
    *,
    todo: Callable[[AssessmentRecord], str | None] | None = None,
) -> TicketList:
    """Run a select of `_ticket_columns()` (filtered, ordered) as a capped list with its total."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    if total == 0 or limit <= 0:
        return TicketList((), total)
    rows = session.execute(stmt.limit(limit)).all()
    latest = _latest_assessments(session, (row[0] for row in rows))
    items = []
    for ticket_id, source, key, title, url, verdict, overall, priority in rows:
        record = latest.get(ticket_id)
        items.append(
            DigestTicket(
                source=source,
                key=key,
                title=title,
                url=url,
                verdict=verdict or "",
                overall=overall,
                priority=priority,
                estimate_hours=(record.estimate_low, record.estimate_high) if record else None,
                areas=tuple(str(a) for a in record.areas) if record else (),
                todo=todo(record) if todo is not None and record is not None else None,
            )
        )
    return TicketList(tuple(items), total)


def _first_missing(record: AssessmentRecord) -> str | None:
    for item in record.missing:
        if str(item).strip():
            return str(item)
    for finding in record.findings:
        if isinstance(finding, Mapping) and finding.get("suggestion"):
            return str(finding["suggestion"])
    return None


def _review_reason(record: AssessmentRecord) -> str | None:
    for finding in record.findings:
        if isinstance(finding, Mapping) and finding.get("dimension") == "safety":
            return str(finding.get("message") or finding.get("suggestion") or "") or None
    return _first_missing(record)


def _queue_ticket(view: queue.QueueEntryView) -> DigestTicket:
    return DigestTicket(
        source=view.source,
        key=view.key,
        title=view.title,
        url=view.url,
        verdict=str(Verdict.READY),
        overall=view.overall,
        priority=view.priority,
        estimate_hours=view.estimate_hours,
        areas=view.areas,
    )


def previous_delivered(session: Session, before: datetime) -> DigestRecord | None:
    """The latest digest delivered to at least one channel whose window ended by `before`."""
    return session.scalars(
        select(DigestRecord)
        .where(DigestRecord.delivered_at.is_not(None), DigestRecord.window_end <= before)
        .order_by(DigestRecord.window_end.desc(), DigestRecord.id.desc())
        .limit(1)
    ).first()


def _counts(session: Session, previous: Mapping[str, Any] | None) -> tuple[VerdictCount, ...]:
    rows = session.execute(
        select(TicketRecord.verdict, func.count())
        .where(_live(), TicketRecord.verdict.is_not(None))
        .group_by(TicketRecord.verdict)
    ).all()
    now_counts = {str(v): int(n) for v, n in rows}
    before: dict[str, int] | None = None
    if previous is not None:
        before = {str(c["verdict"]): int(c["count"]) for c in previous.get("counts", [])}
    return tuple(
        VerdictCount(
            str(v),
            now_counts.get(str(v), 0),
            None if before is None else now_counts.get(str(v), 0) - before.get(str(v), 0),
        )
        for v in VERDICT_ORDER
    )


def _changed_in_window(start: datetime, end: datetime) -> Any:
    """Subquery (ticket_id, previous_verdict) of tickets assessed in (start, end]:
    their verdict at `start` (from their latest assessment then; None if none)."""
    in_window = (
        select(AssessmentRecord.ticket_id)
        .where(AssessmentRecord.created_at > start, AssessmentRecord.created_at <= end)
        .distinct()
        .subquery()
    )
    latest_before = (
        select(
            AssessmentRecord.ticket_id.label("ticket_id"),
            func.max(AssessmentRecord.id).label("assessment_id"),
        )
        .join(in_window, in_window.c.ticket_id == AssessmentRecord.ticket_id)
        .where(AssessmentRecord.created_at <= start)
        .group_by(AssessmentRecord.ticket_id)
        .subquery()
    )
    before = aliased(AssessmentRecord)
    return (
        select(
            in_window.c.ticket_id.label("ticket_id"),
            before.verdict.label("previous_verdict"),
        )
        .select_from(in_window)
        .outerjoin(latest_before, latest_before.c.ticket_id == in_window.c.ticket_id)
        .outerjoin(before, before.id == latest_before.c.assessment_id)
        .subquery()
    )


def window_for(
    session: Session, config: DigestConfig, now: datetime
) -> tuple[datetime, DigestRecord | None]:
    """The default window's start (the end of the last delivered digest, else
    `default_window_hours` ago) and that previous digest."""
    previous = previous_delivered(session, now)
    if previous is not None and previous.window_end < now:
        return previous.window_end, previous
    return now - timedelta(hours=config.default_window_hours), previous


def build(
    session: Session,
    config: DigestConfig,
    now: datetime,
    *,
    window_start: datetime | None = None,
) -> Digest:
    """Build the digest for the window ending `now` (reads only; stores nothing)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    default_start, previous = window_for(session, config, now)
    start = window_start or default_start
    counts = _counts(session, previous.content if previous is not None else None)

    base = select(*_ticket_columns()).join(Source, Source.id == TicketRecord.source_id)
    changed = _changed_in_window(start, now)
    in_window = base.join(changed, changed.c.ticket_id == TicketRecord.id).where(_live())
    newly_ready = _ticket_list(
        session,
        in_window.where(
            TicketRecord.verdict == str(Verdict.READY),
            or_(
                changed.c.previous_verdict.is_(None),
                changed.c.previous_verdict != str(Verdict.READY),
            ),
        ).order_by(*_priority_order()),
        config.list_limit,
    )
    unblocked = _ticket_list(
        session,
        in_window.where(
            changed.c.previous_verdict == str(Verdict.BLOCKED),
            TicketRecord.verdict != str(Verdict.BLOCKED),
        ).order_by(*_priority_order()),
        config.list_limit,
    )

    batch_views = queue.batch(session, config.batch_size, now)
    batch = TicketList(tuple(_queue_ticket(v) for v in batch_views), len(batch_views))
    more_ready = _more_ready(session, [v.id for v in batch_views], config.top_ready)

    near_ready = _ticket_list(
        session,
        base.where(_live(), TicketRecord.verdict.in_(NEAR_READY_VERDICTS)).order_by(
            func.coalesce(TicketRecord.overall, -1).desc(),
            func.coalesce(TicketRecord.priority, DEFAULT_PRIORITY).asc(),
            TicketRecord.key.asc(),
            TicketRecord.id.asc(),
        ),
        config.near_ready,
        todo=_first_missing,
    )
    needs_review = _ticket_list(
        session,
        base.where(_live(), TicketRecord.verdict == str(Verdict.NEEDS_REVIEW)).order_by(
            *_priority_order()
        ),
        config.list_limit,
        todo=_review_reason,
    )
    stale = _stale_claims(session, now, config.stale_claim_hours, config.list_limit)
    return Digest(
        title=config.title,
        generated_at=now,
        window_start=start,
        window_end=now,
        previous_id=previous.id if previous is not None else None,
        counts=counts,
        newly_ready=newly_ready,
        batch=batch,
        more_ready=more_ready,
        near_ready=near_ready,
        unblocked=unblocked,
        stale_claims=stale,
        needs_review=needs_review,
        stale_claim_hours=config.stale_claim_hours,
    )


def _more_ready(session: Session, batch_ids: Sequence[int], limit: int) -> TicketList:
    stmt = select(QueueEntry).where(QueueEntry.state == queue.QueueState.READY)
    if batch_ids:
        stmt = stmt.where(QueueEntry.id.not_in(batch_ids))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    if total == 0 or limit <= 0:
        return TicketList((), total)
    # the queue's own order (see the report: a public name for it is requested)
    entries = session.scalars(stmt.order_by(*queue._queue_order()).limit(limit)).all()
    items = tuple(
        DigestTicket(
            source=e.ticket.source.name,
            key=e.ticket.key,
            title=e.ticket.title,
            url=e.ticket.url,
            verdict=str(Verdict.READY),
            overall=e.overall,
            priority=e.priority,
            estimate_hours=(e.estimate_low, e.estimate_high),
            areas=tuple(str(a) for a in e.areas),
        )
        for e in entries
    )
    return TicketList(items, total)


def _stale_claims(session: Session, now: datetime, hours: float, limit: int) -> ClaimList:
    stale = and_(
        QueueEntry.state == queue.QueueState.CLAIMED,
        or_(
            QueueEntry.lease_expires_at <= now,
            QueueEntry.claimed_at <= now - timedelta(hours=hours),
        ),
    )
    total = session.scalar(select(func.count()).select_from(QueueEntry).where(stale)) or 0
    if total == 0:
        return ClaimList((), 0)
    entries = session.scalars(
        select(QueueEntry)
        .where(stale)
        .order_by(QueueEntry.claimed_at.asc(), QueueEntry.id.asc())
        .limit(limit)
    ).all()
    items = tuple(
        StaleClaim(
            source=e.ticket.source.name,
            key=e.ticket.key,
            title=e.ticket.title,
            url=e.ticket.url,
            agent=e.agent,
            claimed_at=e.claimed_at,
            lease_expires_at=e.lease_expires_at,
            lease_expired=e.lease_expires_at is not None and e.lease_expires_at <= now,
        )
        for e in entries
    )
    return ClaimList(items, total)


# --- rendering: shared ---------------------------------------------------------


def _hours(estimate: tuple[float, float] | None) -> str:
    if estimate is None:
        return ""
    low, high = round(estimate[0], 1), round(estimate[1], 1)
    return f"{low:g} h" if low == high else f"{low:g}–{high:g} h"


def _change(change: int | None) -> str:
    if change is None:
        return ""
    if change == 0:
        return "±0"
    return f"+{change}" if change > 0 else f"−{-change}"


def _when(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if value is not None else "?"


def _safe_url(url: str | None) -> str | None:
    """A ticket URL fit for a link: http(s) only, no whitespace or quotes."""
    if not url:
        return None
    url = url.strip()
    if not url.lower().startswith(("https://", "http://")):
        return None
    if any(ch.isspace() or ch in "\"'<>`\\" for ch in url):
        return None
    return url


def _text(value: str | None, limit: int = 300) -> str:
    """Untrusted text as one visible line (no hidden characters), shortened."""
    return shorten(clean_line(value or ""), limit)


@dataclass(frozen=True, slots=True)
class _Section:
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


def _sections(d: Digest) -> list[_Section]:
    return [
        _Section(
            "batch",
            f"Today's parallel batch ({d.batch.total})",
            d.batch,
            empty="No ready ticket can be handed out today.",
        ),
        _Section("newly_ready", f"Newly ready ({d.newly_ready.total})", d.newly_ready),
        _Section("more_ready", f"More ready tickets ({d.more_ready.total})", d.more_ready),
        _Section("near_ready", f"Almost ready ({d.near_ready.total})", d.near_ready),
        _Section(
            "unblocked", f"Unblocked since the last digest ({d.unblocked.total})", d.unblocked
        ),
        _Section("stale", f"Stale claims ({d.stale_claims.total})", claims=d.stale_claims),
        _Section("needs_review", f"Needs review: safety ({d.needs_review.total})", d.needs_review),
    ]


def _claim_note(c: StaleClaim, hours: float) -> str:
    who = f"claimed by {_text(c.agent, 80)}" if c.agent else "claimed"
    since = f" since {_when(c.claimed_at)}"
    why = "lease expired" if c.lease_expired else f"held for more than {hours:g} h"
    return f"{who}{since}, {why}"


def subject(d: Digest) -> str:
    """A mail subject; no ticket text in it."""
    return (
        f"{d.title}: {d.count(Verdict.READY)} ready, {d.newly_ready.total} newly ready, "
        f"batch of {d.batch.total} ({d.window_end.astimezone(UTC):%Y-%m-%d})"
    )


# --- Markdown -----------------------------------------------------------------

_MD_SPECIAL = set("\\`*_{}[]()<>#+-.!|~&")


def md_escape(value: str | None, limit: int = 300) -> str:
    """Untrusted text as inert Markdown: every punctuation mark that could mean
    something (links, emphasis, HTML, entities) is backslash-escaped."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in _text(value, limit))


def _md_link(t: DigestTicket | StaleClaim) -> str:
    label = md_escape(t.key, 120)
    url = _safe_url(t.url)
    if url is None:
        return f"**{label}**"
    url = url.replace("(", "%28").replace(")", "%29")
    return f"[{label}]({url})"


def _md_ticket(t: DigestTicket, section: str) -> str:
    parts = [f"{_md_link(t)} {md_escape(t.title)}"]
    details = []
    if section != "near_ready" and t.estimate_hours:
        details.append(_hours(t.estimate_hours))
    if t.overall is not None and section in ("near_ready", "more_ready", "newly_ready"):
        details.append(f"score {t.overall}")
    if t.areas and section in ("batch", "more_ready", "newly_ready"):
        details.append("areas: " + ", ".join(md_escape(a, 80) for a in t.areas[:6]))
    if section == "unblocked" and t.verdict:
        details.append(f"now {t.verdict}")
    if details:
        parts.append(" — " + " · ".join(details))
    if t.todo:
        label = "to do" if section == "near_ready" else "why"
        parts.append(f"  \n  {label}: {md_escape(t.todo)}")
    return "".join(parts)


def render_markdown(d: Digest) -> str:
    lines = [
        f"# {md_escape(d.title, 80)} — {d.window_end.astimezone(UTC):%Y-%m-%d}",
        "",
        f"Window: {_when(d.window_start)} → {_when(d.window_end)}",
        "",
        "| Verdict | Tickets | Change |",
        "| --- | ---: | ---: |",
    ]
    lines += [f"| {c.verdict} | {c.count} | {_change(c.change)} |" for c in d.counts]
    for section in _sections(d):
        if section.total == 0 and section.empty is None:
            continue
        lines += ["", f"## {section.heading}", ""]
        if section.total == 0:
            lines.append(f"_{section.empty}_")
            continue
        numbered = section.key == "batch"
        if section.claims is not None:
            for c in section.claims.items:
                note = md_escape(_claim_note(c, d.stale_claim_hours))
                lines.append(f"- {_md_link(c)} {md_escape(c.title)} — {note}")
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


# --- HTML (email) ---------------------------------------------------------------


@lru_cache(maxsize=1)
def _html_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("service", "digest_templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["text"] = _text
    env.filters["hours"] = _hours
    env.filters["change"] = _change
    env.filters["when"] = _when
    env.filters["safe_url"] = _safe_url
    return env


def render_html(d: Digest) -> str:
    """The digest as one HTML page for mail clients: inline CSS, every value escaped."""
    template = _html_environment().get_template("digest.html.j2")
    sections = [
        {
            "key": s.key,
            "heading": s.heading,
            "total": s.total,
            "empty": s.empty,
            "tickets": s.tickets.items if s.tickets is not None else (),
            "claims": [(c, _claim_note(c, d.stale_claim_hours)) for c in s.claims.items]
            if s.claims is not None
            else [],
            "more": (s.claims.more if s.claims is not None else s.tickets.more if s.tickets else 0),
        }
        for s in _sections(d)
    ]
    return template.render(d=d, sections=sections, subject=subject(d))


# --- Slack Block Kit -----------------------------------------------------------

SLACK_MAX_BLOCKS = 50
SLACK_MAX_TEXT = 3000
SLACK_MAX_HEADER = 150
SLACK_ITEMS_PER_SECTION = 15


def slack_escape(value: str | None, limit: int = 300) -> str:
    """Untrusted text for Slack mrkdwn: `&`, `<` and `>` escaped, so no link,
    mention (`<@U..>`, `<!channel>`) or markup can be formed from it."""
    text = _text(value, limit)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_link(t: DigestTicket | StaleClaim) -> str:
    label = slack_escape(t.key, 120).replace("|", "¦")
    url = _safe_url(t.url)
    if url is None:
        return f"*{label}*"
    url = url.replace("&", "&amp;").replace("|", "%7C")
    return f"<{url}|{label}>"


def _slack_ticket(t: DigestTicket, section: str) -> str:
    line = f"• {_slack_link(t)} {slack_escape(t.title, 200)}"
    details = []
    if section != "near_ready" and t.estimate_hours:
        details.append(_hours(t.estimate_hours))
    if t.overall is not None and section in ("near_ready", "more_ready", "newly_ready"):
        details.append(f"score {t.overall}")
    if t.areas and section in ("batch", "more_ready", "newly_ready"):
        details.append(", ".join(f"`{slack_escape(a, 60).replace('`', '')}`" for a in t.areas[:4]))
    if section == "unblocked" and t.verdict:
        details.append(f"now {t.verdict}")
    if details:
        line += " — " + " · ".join(details)
    if t.todo:
        label = "to do" if section == "near_ready" else "why"
        line += f"\n    _{label}:_ {slack_escape(t.todo, 200)}"
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
                    "text": f"Window: {_when(d.window_start)} → {_when(d.window_end)}",
                }
            ],
        },
        _mrkdwn(
            "\n".join(
                f"*{c.verdict}*: {c.count}"
                + (f" ({_change(c.change)})" if c.change is not None else "")
                for c in d.counts
            )
        ),
    ]
    # each section: a divider, then its heading and lines in texts of <= 3,000 characters
    budget = SLACK_MAX_BLOCKS - 1  # one block kept for the "not shown" note
    not_shown = 0
    for section in _sections(d):
        if section.total == 0 and section.empty is None:
            continue
        lines: list[tuple[str, bool]] = [(f"*{section.heading}*", False)]
        if section.total == 0:
            lines.append((f"_{section.empty}_", False))
        elif section.claims is not None:
            lines += [
                (
                    f"• {_slack_link(c)} {slack_escape(c.title, 200)} — "
                    f"{slack_escape(_claim_note(c, d.stale_claim_hours))}",
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


# --- JSON and dispatch -----------------------------------------------------------


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


# --- storing, delivering, reading -------------------------------------------------
#
# A run is three steps, each in transactions of its own, so that no transaction
# is open while a channel is called:
#
# 1. `claim_delivery` (one transaction): the occurrence's digest is built and
#    stored (its row, unique per occurrence, is the claim: a second run finds it)
#    and every channel without a recorded success is claimed for this run: its
#    `digest_deliveries` row is set to "sending" with the time of the claim.
#    Committed before anything is sent.
# 2. Each claimed channel is sent to, outside any transaction.
# 3. `record_delivery` (one short transaction per channel): "sent" or "failed".
#
# A channel whose row is "sent" is never sent to again; one that is "sending"
# belongs to the run that claimed it until `claim_lease` has passed since the
# claim (longer than every delivery can take); after that its runner is taken to
# have crashed and the channel may be claimed again: by a second run of the
# occurrence or by `resume_interrupted` (the scheduler's `digest:resume` job).
#
# At-least-once window: a channel that took the digest and whose "sent" was not
# committed (a crash or a lost database between steps 2 and 3), or whose delivery
# outlasted its lease, is sent to once more when it is resumed. Everything else is
# exactly once per channel.

SENDING = "sending"
SENT = "sent"
FAILED = "failed"
CLAIM_LEASE_MARGIN_SECONDS = 60.0
RESUME_WITHIN = timedelta(hours=6)
"""An interrupted delivery is resumed while its claim is at most this old; an
older digest is news no more (the next digest's window covers it, as its
`delivered_at` stayed empty unless some channel's success was recorded)."""


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class RunResult:
    digest_id: int
    created: bool  # False: this occurrence had a digest already
    outcomes: tuple[DeliveryOutcome, ...]  # the channels tried in this run
    already_sent: tuple[str, ...]  # channels that had it from an earlier run
    digest: Digest = field(repr=False)
    in_progress: tuple[str, ...] = ()  # channels another live run is sending to

    @property
    def failed(self) -> tuple[DeliveryOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.ok)

    def summary(self) -> str:
        sent = [o.channel for o in self.outcomes if o.ok]
        parts = [f"digest {self.digest_id}" + ("" if self.created else " (existing)")]
        parts.append(f"sent to {', '.join(sent)}" if sent else "sent nowhere new")
        if self.failed:
            parts.append("failed: " + ", ".join(o.channel for o in self.failed))
        if self.already_sent:
            parts.append("already sent: " + ", ".join(self.already_sent))
        if self.in_progress:
            parts.append("being sent by another run: " + ", ".join(self.in_progress))
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class DeliveryView:
    channel: str
    kind: str
    outcome: str
    attempts: int
    error: str | None
    finished_at: datetime


@dataclass(frozen=True, slots=True)
class DeliveryClaim:
    """A stored digest and the channels one run has claimed to send it to."""

    digest: Digest
    created: bool
    rendered: RenderedDigest = field(repr=False)
    channels: tuple[ChannelConfig, ...]  # claimed by this run, in config order
    already_sent: tuple[str, ...]
    in_progress: tuple[str, ...]

    @property
    def digest_id(self) -> int:
        assert self.digest.id is not None
        return self.digest.id


def claim_lease(config: DigestConfig) -> timedelta:
    """How long a claim on a digest's channels stays its run's: every configured
    channel's delivery budget (they are sent one after the other) and a margin."""
    seconds = sum(delivery_budget(c, config.retry) for c in config.channels)
    return timedelta(seconds=seconds + CLAIM_LEASE_MARGIN_SECONDS)


def _insert_digest(
    session: Session, digest: Digest, occurrence: str, trigger: str, now: datetime
) -> int | None:
    """Insert the digest row; its id, or None when the occurrence already has one."""
    values = {
        "occurrence": occurrence,
        "trigger": trigger,
        "window_start": digest.window_start,
        "window_end": digest.window_end,
        "created_at": now,
        "delivered_at": None,
        "content": digest_to_json(digest),
    }
    ids = db.insert_ignore(
        session, DigestRecord, values, DigestRecord.id, conflict_on=["occurrence"]
    )
    return ids[0] if ids else None


def _stored(record: DigestRecord) -> Digest:
    return digest_from_json(record.content, digest_id=record.id)


def _digest_for_update(session: Session, occurrence: str) -> DigestRecord | None:
    return session.scalars(
        select(DigestRecord)
        .where(DigestRecord.occurrence == occurrence)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()


def claim_delivery(
    session: Session,
    config: DigestConfig,
    now: datetime,
    *,
    occurrence: str,
    trigger: str,
    claimed_at: datetime,
) -> DeliveryClaim:
    """Store the occurrence's digest (built for the window ending `now` when the
    occurrence has none) and claim, for the caller, each configured channel that
    has no recorded success and that no live run holds: one with no delivery row
    yet, one that failed, or one claimed before `claimed_at - claim_lease(config)`.

    Takes a session and never commits: the caller commits before it sends, so the
    digest and the claims are kept whatever happens while sending. The digest row
    is locked meanwhile (PostgreSQL), so claims on one digest never interleave;
    and a claim is a conditional UPDATE, so two runs never claim one channel."""
    record = _digest_for_update(session, occurrence)
    created = False
    if record is None:
        built = build(session, config, now)
        created = _insert_digest(session, built, occurrence, trigger, now) is not None
        record = _digest_for_update(session, occurrence)
        assert record is not None  # inserted above, or by a run that committed first
    digest = _stored(record)
    rendered = render_all(digest)  # before claiming: a digest that cannot render claims nothing
    if not config.channels:
        if record.delivered_at is None:
            record.delivered_at = claimed_at  # nowhere to send it: published as stored
        session.flush()
        return DeliveryClaim(digest, created, rendered, (), (), ())

    names = [c.name for c in config.channels]
    kinds = {c.name: c.type for c in config.channels}
    new_rows = [
        {
            "digest_id": record.id,
            "channel": name,
            "kind": kinds[name],
            "outcome": SENDING,
            "attempts": 0,
            "error": None,
            "started_at": claimed_at,
            "finished_at": claimed_at,
        }
        for name in names
    ]
    claimed = set(
        db.insert_ignore(
            session,
            DigestDelivery,
            new_rows,
            DigestDelivery.channel,
            conflict_on=["digest_id", "channel"],
        )
    )
    abandoned_before = claimed_at - claim_lease(config)
    retake = [n for n in names if n not in claimed]
    if retake:
        claimed |= set(
            session.scalars(
                update(DigestDelivery)
                .where(
                    DigestDelivery.digest_id == record.id,
                    DigestDelivery.channel.in_(retake),
                    or_(
                        DigestDelivery.outcome == FAILED,
                        and_(
                            DigestDelivery.outcome == SENDING,
                            DigestDelivery.started_at <= abandoned_before,
                        ),
                    ),
                )
                .values(outcome=SENDING, started_at=claimed_at, finished_at=claimed_at)
                .returning(DigestDelivery.channel)
                .execution_options(synchronize_session=False)
            )
        )
    others = {
        channel: outcome
        for channel, outcome in session.execute(
            select(DigestDelivery.channel, DigestDelivery.outcome).where(
                DigestDelivery.digest_id == record.id,
                DigestDelivery.channel.in_([n for n in names if n not in claimed]),
            )
        )
    }
    return DeliveryClaim(
        digest=digest,
        created=created,
        rendered=rendered,
        channels=tuple(c for c in config.channels if c.name in claimed),
        already_sent=tuple(n for n in names if others.get(n) == SENT),
        in_progress=tuple(n for n in names if n in others and others[n] != SENT),
    )


def record_delivery(
    session: Session, digest_id: int, outcome: DeliveryOutcome, finished_at: datetime
) -> None:
    """Record one channel's outcome for a digest (takes a session, never commits).
    A recorded success is never overwritten by a failure (of a run whose claim
    had lapsed); the first success stamps the digest's `delivered_at`."""
    stmt = update(DigestDelivery).where(
        DigestDelivery.digest_id == digest_id, DigestDelivery.channel == outcome.channel
    )
    if not outcome.ok:
        stmt = stmt.where(DigestDelivery.outcome != SENT)
    session.execute(
        stmt.values(
            kind=outcome.kind,
            outcome=SENT if outcome.ok else FAILED,
            attempts=DigestDelivery.attempts + outcome.attempts,
            error=outcome.error,
            finished_at=finished_at,
        ).execution_options(synchronize_session=False)
    )
    if outcome.ok:
        session.execute(
            update(DigestRecord)
            .where(DigestRecord.id == digest_id, DigestRecord.delivered_at.is_(None))
            .values(delivered_at=finished_at)
            .execution_options(synchronize_session=False)
        )


def _as_sessionmaker(sessions: sessionmaker[Session] | Session) -> sessionmaker[Session]:
    if not isinstance(sessions, Session):
        return sessions
    # an older caller's session (`with sessions.begin() as session: run(session, ...)`):
    # only its bind is used; what it flushed is visible when it is bound to a
    # connection, not when it is bound to an engine (then it must hold no writes)
    sessions.flush()
    return sessionmaker(bind=sessions.get_bind(), expire_on_commit=False)


def run(
    sessions: sessionmaker[Session] | Session,
    config: DigestConfig,
    now: datetime,
    *,
    occurrence: str | None = None,
    trigger: Literal["scheduled", "manual"] = "manual",
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], datetime] = _utcnow,
) -> RunResult:
    """Build, store and deliver the digest for the window ending `now`.

    An edge, like the scheduler's job: it owns its transactions (see the steps
    above) and needs sessions, not a session; no transaction is open while a
    channel is sent to. A `Session` is accepted from older callers and only its
    bind is used, so run it outside that session's transaction.

    `occurrence` names this run (default: `manual:<now>`). A second run of an
    occurrence that already has a digest builds nothing new: it sends the stored
    digest only to the channels that have not had it (those that failed, or whose
    run was cut short), so a digest is delivered to each channel once (see the
    at-least-once window above). `clock` stamps claims and outcomes.
    """
    sessions = _as_sessionmaker(sessions)
    occurrence = occurrence or f"{trigger}:{now.astimezone(UTC).isoformat()}"
    with sessions.begin() as session:
        claim = claim_delivery(
            session, config, now, occurrence=occurrence, trigger=trigger, claimed_at=clock()
        )
    outcomes: list[DeliveryOutcome] = []
    for channel in claim.channels:
        outcome = deliver_one(channel, claim.rendered, config.retry, sleep=sleep)
        with sessions.begin() as session:
            record_delivery(session, claim.digest_id, outcome, clock())
        outcomes.append(outcome)
    return RunResult(
        claim.digest_id,
        claim.created,
        tuple(outcomes),
        claim.already_sent,
        claim.digest,
        claim.in_progress,
    )


def interrupted(session: Session, config: DigestConfig, now: datetime) -> list[str]:
    """Occurrences whose delivery was cut short: a configured channel claimed, never
    recorded, its claim lapsed (older than `claim_lease`) but not older than
    RESUME_WITHIN."""
    rows = session.execute(
        select(DigestRecord.occurrence, func.min(DigestRecord.id))
        .join(DigestDelivery, DigestDelivery.digest_id == DigestRecord.id)
        .where(
            DigestDelivery.channel.in_([c.name for c in config.channels]),
            DigestDelivery.outcome == SENDING,
            DigestDelivery.started_at <= now - claim_lease(config),
            DigestDelivery.started_at > now - RESUME_WITHIN,
        )
        .group_by(DigestRecord.occurrence)
        .order_by(func.min(DigestRecord.id))
    ).all()
    return [occurrence for occurrence, _ in rows]


def resume_interrupted(
    sessions: sessionmaker[Session],
    config: DigestConfig,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], datetime] = _utcnow,
) -> list[RunResult]:
    """Run again each digest whose delivery was cut short (see `interrupted`): it
    goes to every channel with no recorded success. An edge (the scheduler's
    `digest:resume` job): it owns its transactions."""
    now = clock()
    with sessions() as session:
        occurrences = interrupted(session, config, now)
    return [
        run(sessions, config, now, occurrence=occurrence, sleep=sleep, clock=clock)
        for occurrence in occurrences
    ]


def run_scheduled(
    sessions: sessionmaker[Session],
    settings: Settings | DigestConfig,
    now: datetime,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], datetime] = _utcnow,
) -> str:
    """The scheduler's daily job: run the digest for occurrence `now`.
    `settings` is the service Settings or a DigestConfig. Returns a one-line
    summary; raises DigestDeliveryError (after recording what was done) when
    every channel tried failed."""
    config = settings if isinstance(settings, DigestConfig) else config_from_settings(settings)
    result = run(
        sessions,
        config,
        now,
        occurrence=f"scheduled:{now.astimezone(UTC).isoformat()}",
        trigger="scheduled",
        sleep=sleep,
        clock=clock,
    )
    summary = result.summary()
    if result.outcomes and not any(o.ok for o in result.outcomes) and not result.already_sent:
        raise DigestDeliveryError(summary)
    return summary


class DigestDeliveryError(Exception):
    """Every channel failed (the message is one line naming them, no secrets)."""


def config_from_settings(settings: Settings) -> DigestConfig:
    """The `digest:` section of the settings with the channel secrets (environment,
    `BACKLOG_SYNC_DIGEST_CHANNEL_SECRETS`, by channel name) filled in."""
    config = settings.file.digest
    secrets = settings.secrets.digest_channel_secrets
    return config.with_secrets(dict(secrets)) if secrets else config


def latest(session: Session) -> Digest | None:
    """The most recent stored digest (by window end)."""
    record = session.scalars(
        select(DigestRecord)
        .order_by(DigestRecord.window_end.desc(), DigestRecord.id.desc())
        .limit(1)
    ).first()
    return _stored(record) if record is not None else None


def get(session: Session, digest_id: int) -> Digest | None:
    record = session.get(DigestRecord, digest_id)
    return _stored(record) if record is not None else None


def get_rendered(session: Session, digest_id: int, fmt: Format | str) -> str | None:
    """A stored digest rendered in `fmt`; None when there is no such digest."""
    digest = get(session, digest_id)
    return render(digest, fmt) if digest is not None else None


def deliveries(session: Session, digest_id: int) -> list[DeliveryView]:
    """The delivery outcomes of one digest, by channel."""
    rows = session.scalars(
        select(DigestDelivery)
        .where(DigestDelivery.digest_id == digest_id)
        .order_by(DigestDelivery.channel)
    )
    return [
        DeliveryView(r.channel, r.kind, r.outcome, r.attempts, r.error, r.finished_at) for r in rows
    ]
