"""What the daily digest says, built from a stored backlog (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from service import digest, queue
from service.config import DigestConfig
from service.scoring import Verdict
from tests.integration.digest.builders import T0, put, sessions_of

NOW = T0 + timedelta(days=1)
TODO = "Add an 'Acceptance criteria' section with checkable items"


def keys(items: object) -> list[str]:
    return [t.key for t in items]  # type: ignore[attr-defined]


def backlog_before(session: Session) -> None:
    """The backlog as it stood when the previous digest went out (at T0)."""
    before = T0 - timedelta(hours=3)
    put(session, 9, Verdict.READY, at=before, areas=["svc/nine"])
    claimed = queue.claim_next(session, "agent-7", lease_seconds=3600, now=before)
    assert claimed is not None and claimed.key == "acme/app#9"
    put(session, 1, Verdict.READY, at=before, areas=["app/a"])
    put(session, 2, Verdict.BLOCKED, at=before, overall=75)
    put(session, 3, Verdict.NEEDS_CLARITY, at=before, overall=65, missing=[TODO])
    put(session, 4, Verdict.TOO_LARGE, at=before, overall=50, missing=["Split it in two"])
    put(session, 5, Verdict.BLOCKED, at=before, overall=90)
    put(session, 6, Verdict.NEEDS_REVIEW, at=before, overall=85, missing=["Have it reviewed"])


def backlog_since(session: Session) -> None:
    """What happened during the day after it."""
    put(session, 2, Verdict.READY, at=T0 + timedelta(hours=2), areas=["app/b"])
    put(session, 7, Verdict.READY, at=T0 + timedelta(hours=3), areas=["app/a"])
    put(session, 8, Verdict.READY, at=T0 + timedelta(hours=4), areas=["app/c"])


def test_digest_reports_the_day_since_the_last_delivered_digest(session: Session) -> None:
    backlog_before(session)
    previous = digest.run(sessions_of(session), DigestConfig(), T0)  # no channels: published as is
    backlog_since(session)

    d = digest.build(session, DigestConfig(batch_size=5), NOW)

    assert d.window_start == T0 and d.window_end == NOW
    assert d.previous_id == previous.digest_id
    counts = {c.verdict: (c.count, c.change) for c in d.counts}
    assert counts == {
        "ready": (5, 3),
        "needs-clarity": (1, 0),
        "too-large": (1, 0),
        "blocked": (1, -1),
        "needs-review": (1, 0),
    }
    assert keys(d.newly_ready.items) == ["acme/app#2", "acme/app#7", "acme/app#8"]
    assert keys(d.unblocked.items) == ["acme/app#2"]
    # #7 shares app/a with #1: the batch holds one of them, the other comes after it
    assert keys(d.batch.items) == ["acme/app#1", "acme/app#2", "acme/app#8"]
    assert d.batch.items[0].areas == ("app/a",)
    assert d.batch.items[0].estimate_hours == (2.0, 4.0)
    assert keys(d.more_ready.items) == ["acme/app#7"]
    # near-ready: best first, never blocked or unsafe, each with its author's to-do
    assert [(t.key, t.todo) for t in d.near_ready.items] == [
        ("acme/app#3", TODO),
        ("acme/app#4", "Split it in two"),
    ]
    assert [(c.key, c.agent, c.lease_expired) for c in d.stale_claims.items] == [
        ("acme/app#9", "agent-7", True)
    ]
    assert [(t.key, t.todo) for t in d.needs_review.items] == [("acme/app#6", "Have it reviewed")]


def test_first_digest_covers_the_last_24_hours_and_has_no_changes(session: Session) -> None:
    put(session, 1, Verdict.READY, at=NOW - timedelta(hours=30), areas=["a"])
    put(session, 2, Verdict.READY, at=NOW - timedelta(hours=5), areas=["b"])

    d = digest.build(session, DigestConfig(), NOW)

    assert d.window_start == NOW - timedelta(hours=24)
    assert keys(d.newly_ready.items) == ["acme/app#2"]
    assert all(c.change is None for c in d.counts)


def test_a_claim_held_too_long_is_stale_even_with_a_live_lease(session: Session) -> None:
    put(session, 1, Verdict.READY, at=NOW - timedelta(hours=60), areas=["a"])
    queue.claim_next(session, "slowpoke", lease_seconds=86400 * 5, now=NOW - timedelta(hours=50))
    put(session, 2, Verdict.READY, at=NOW - timedelta(hours=3), areas=["b"])
    queue.claim_next(session, "fresh", lease_seconds=86400, now=NOW - timedelta(hours=1))

    d = digest.build(session, DigestConfig(stale_claim_hours=48), NOW)

    assert [(c.agent, c.lease_expired) for c in d.stale_claims.items] == [("slowpoke", False)]


def test_long_lists_are_capped_and_say_how_many_more(session: Session) -> None:
    for n in range(1, 31):
        put(
            session, n, Verdict.NEEDS_CLARITY, at=NOW - timedelta(hours=2), overall=n, missing=["x"]
        )

    d = digest.build(session, DigestConfig(near_ready=4), NOW)

    assert keys(d.near_ready.items) == ["acme/app#30", "acme/app#29", "acme/app#28", "acme/app#27"]
    assert d.near_ready.total == 30 and d.near_ready.more == 26
    assert "and 26 more" in digest.render_markdown(d)


def test_stored_digest_reads_back_the_same_in_every_format(session: Session) -> None:
    backlog_before(session)
    result = digest.run(sessions_of(session), DigestConfig(), NOW)

    stored = digest.get(session, result.digest_id)
    assert stored is not None and stored.id == result.digest_id
    assert digest.latest(session) == stored
    for fmt in digest.FORMATS:
        assert digest.get_rendered(session, result.digest_id, fmt) == digest.render(stored, fmt)
    assert digest.get_rendered(session, result.digest_id + 1000, "md") is None


def test_near_ready_holds_only_tickets_one_fix_away(session: Session) -> None:
    at = NOW - timedelta(hours=2)
    put(session, 1, Verdict.NEEDS_CLARITY, at=at, overall=69, missing=[TODO])
    put(session, 2, Verdict.NEEDS_CLARITY, at=at, overall=68, missing=[TODO, "Name files"])
    put(session, 3, Verdict.NEEDS_CLARITY, at=at, overall=67, missing=[TODO],
        findings=["support-request"])  # fmt: skip
    put(session, 4, Verdict.TOO_LARGE, at=at, overall=66, missing=["Cut it"], hours=(5, 9))
    put(session, 5, Verdict.TOO_LARGE, at=at, overall=65, missing=["Cut it"], hours=(17, 38))
    put(session, 6, Verdict.TOO_LARGE, at=at, overall=64, missing=["Split it"],
        findings=["several-problems"])  # fmt: skip

    d = digest.build(session, DigestConfig(), NOW, target_hours=6)

    # two fixes away, a support question, a rewrite and a list of problems are not near ready
    assert keys(d.near_ready.items) == ["acme/app#1", "acme/app#4"]
    assert d.near_ready.total == 2
    # with a larger target, the 17-38 h ticket is one cut away
    wider = digest.build(session, DigestConfig(), NOW, target_hours=10)
    assert keys(wider.near_ready.items) == ["acme/app#1", "acme/app#4", "acme/app#5"]
