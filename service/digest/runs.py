"""Storing and delivering a digest: the run of one occurrence, and reading stored ones.

A run is three steps, each in transactions of its own, so that no transaction
is open while a channel is called:

1. `claim_delivery` (one transaction): the occurrence's digest is built and
   stored (its row, unique per occurrence, is the claim: a second run finds it)
   and every channel without a recorded success is claimed for this run: its
   `digest_deliveries` row is set to "sending" with the time of the claim.
   Committed before anything is sent.
2. Each claimed channel is sent to, outside any transaction.
3. `record_delivery` (one short transaction per channel): "sent" or "failed".

A channel whose row is "sent" is never sent to again; one that is "sending"
belongs to the run that claimed it until `claim_lease` has passed since the
claim (longer than every delivery can take); after that its runner is taken to
have crashed and the channel may be claimed again: by a second run of the
occurrence or by `resume_interrupted` (the scheduler's `digest:resume` job).

At-least-once window: a channel that took the digest and whose "sent" was not
committed (a crash or a lost database between steps 2 and 3), or whose delivery
outlasted its lease, is sent to once more when it is resumed. Everything else is
exactly once per channel.

Functions take a session and never commit, except the edges that deliver a
digest (`run`, `run_scheduled`, `resume_interrupted`): they take sessions and
own their transactions, so that no transaction is open while a channel is sent
to.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from service import db
from service.config import ChannelConfig, DigestConfig
from service.digest.build import build
from service.digest.channels import DeliveryOutcome, deliver_one, delivery_budget
from service.digest.content import Digest, Format, digest_from_json, digest_to_json
from service.digest.models import DigestDelivery, DigestRecord
from service.digest.render import RenderedDigest, render, render_all
from service.scoring import DEFAULT_POLICY

SENDING = "sending"
SENT = "sent"
FAILED = "failed"
CLAIM_LEASE_MARGIN_SECONDS = 60.0
RESUME_WITHIN = timedelta(hours=6)
"""An interrupted delivery is resumed while its claim is at most this old; an
older digest is news no more (the next digest's window covers it, as its
`delivered_at` stayed empty unless some channel's success was recorded)."""


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
    target_hours: float = DEFAULT_POLICY.target_hours,
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
        built = build(session, config, now, target_hours=target_hours)
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


def run(
    sessions: sessionmaker[Session],
    config: DigestConfig,
    now: datetime,
    *,
    occurrence: str | None = None,
    trigger: Literal["scheduled", "manual"] = "manual",
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], datetime] = db.utcnow,
    target_hours: float = DEFAULT_POLICY.target_hours,
) -> RunResult:
    """Build, store and deliver the digest for the window ending `now`.

    An edge, like the scheduler's job: it owns its transactions (see the steps
    above) and needs sessions, not a session; no transaction is open while a
    channel is sent to.

    `occurrence` names this run (default: `manual:<now>`). A second run of an
    occurrence that already has a digest builds nothing new: it sends the stored
    digest only to the channels that have not had it (those that failed, or whose
    run was cut short), so a digest is delivered to each channel once (see the
    at-least-once window above). `clock` stamps claims and outcomes.
    """
    occurrence = occurrence or f"{trigger}:{now.astimezone(UTC).isoformat()}"
    with sessions.begin() as session:
        claim = claim_delivery(
            session,
            config,
            now,
            occurrence=occurrence,
            trigger=trigger,
            claimed_at=clock(),
            target_hours=target_hours,
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
    clock: Callable[[], datetime] = db.utcnow,
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
    config: DigestConfig,
    now: datetime,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], datetime] = db.utcnow,
    target_hours: float = DEFAULT_POLICY.target_hours,
) -> str:
    """The scheduler's daily job: run the digest for occurrence `now`. Returns a
    one-line summary; raises DigestDeliveryError (after recording what was
    done) when every channel tried failed."""
    result = run(
        sessions,
        config,
        now,
        occurrence=f"scheduled:{now.astimezone(UTC).isoformat()}",
        trigger="scheduled",
        sleep=sleep,
        clock=clock,
        target_hours=target_hours,
    )
    summary = result.summary()
    if result.outcomes and not any(o.ok for o in result.outcomes) and not result.already_sent:
        raise DigestDeliveryError(summary)
    return summary


class DigestDeliveryError(Exception):
    """Every channel failed (the message is one line naming them, no secrets)."""


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
