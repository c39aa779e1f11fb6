"""How long the daily digest takes to build and render over a large backlog.

Fills a fresh database with 100,000 tickets (fixed seed; bulk inserts with
SQLAlchemy core): verdicts spread like a real backlog (about 20% ready), one or
two assessments each (some re-assessed inside the digest's window, some of them
unblocked), a ready queue with code areas, a few hundred claims (some stale)
and a delivered previous digest. Then times `digest.build` and rendering in all
four formats (Markdown, HTML, Slack, JSON), best of a few runs. Goal: build and
render under 2 seconds, on SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/digest_build.py [--count N] [--backend sqlite|postgresql|both]
        [--postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import random
import secrets
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import service.digest.models  # its tables are part of the schema
import service.webhooks.models  # noqa: F401
from service import digest
from service.db import make_engine, make_sessionmaker, normalise_url, upgrade
from service.digest.models import DigestRecord
from service.queue.models import QueueEntry, QueueEntryArea
from service.tickets.models import AssessmentRecord, Source, TicketRecord

SEED = 20250303
GOAL_SECONDS = 2.0
NOW = datetime(2025, 3, 4, 8, 0, tzinfo=UTC)
WINDOW_START = NOW - timedelta(days=1)
VERDICTS = [
    ("ready", 0.20),
    ("needs-clarity", 0.45),
    ("too-large", 0.15),
    ("blocked", 0.12),
    ("needs-review", 0.08),
]
AREAS = [f"{top}/{sub}" for top in ("api", "web", "core", "jobs", "db") for sub in range(40)]
CHUNK = 5000


def _verdict(rng: random.Random) -> str:
    x = rng.random()
    for verdict, share in VERDICTS:
        if x < share:
            return verdict
        x -= share
    return VERDICTS[-1][0]


def _chunks(rows: list[dict[str, Any]]) -> Any:
    for i in range(0, len(rows), CHUNK):
        yield rows[i : i + CHUNK]


def fill(engine: Engine, count: int) -> dict[str, int]:
    rng = random.Random(SEED)
    created = NOW - timedelta(days=90)
    with engine.begin() as conn:
        conn.execute(
            insert(Source),
            [
                {
                    "id": 1,
                    "name": "github:acme/big",
                    "kind": "github",
                    "cursor": None,
                    "last_synced_at": None,
                    "created_at": created,
                    "updated_at": created,
                }
            ],
        )
        tickets: list[dict[str, Any]] = []
        assessments: list[dict[str, Any]] = []
        entries: list[dict[str, Any]] = []
        entry_areas: list[dict[str, Any]] = []
        assessment_id = 0
        ready = claimed = 0
        for n in range(1, count + 1):
            verdict = _verdict(rng)
            overall = rng.randint(70, 98) if verdict == "ready" else rng.randint(20, 85)
            priority = rng.choice([None, 1, 2, 3, 4])
            areas = sorted(set(rng.sample(AREAS, rng.randint(0, 3))))
            first = created + timedelta(minutes=n)
            tickets.append(
                {
                    "id": n,
                    "source_id": 1,
                    "key": f"acme/big#{n}",
                    "title": f"Fix the export of widget {n} when the page is empty",
                    "url": f"https://github.com/acme/big/issues/{n}",
                    "state": "open",
                    "priority": priority,
                    "snapshot": {},
                    "content_hash": "h",
                    "tracker_updated_at": first,
                    "first_seen": first,
                    "last_changed": first,
                    "deleted_at": None,
                    "verdict": verdict,
                    "overall": overall,
                    "skipped": False,
                }
            )
            history = [(verdict, NOW - timedelta(days=rng.randint(2, 80)))]
            if rng.random() < 0.05:  # re-assessed during the window
                before = rng.choice(["blocked", "needs-clarity", verdict])
                history = [
                    (before, history[0][1]),
                    (verdict, NOW - timedelta(hours=rng.randint(1, 23))),
                ]
            for v, at in history:
                assessment_id += 1
                assessments.append(
                    {
                        "id": assessment_id,
                        "ticket_id": n,
                        "verdict": v,
                        "overall": overall,
                        "dimensions": {
                            "size": 80,
                            "independence": 80,
                            "clarity": 70,
                            "safety": 100,
                        },
                        "findings": [],
                        "missing": ["Add an 'Acceptance criteria' section"],
                        "blockers": [],
                        "areas": areas,
                        "estimate_low": 2.0,
                        "estimate_high": 4.0,
                        "estimate_basis": "inferred",
                        "scorer_version": "1",
                        "skipped": False,
                        "content_hash": "h",
                        "created_at": at,
                    }
                )
            if verdict == "ready":
                ready += 1
                is_claimed = rng.random() < 0.02
                claimed += is_claimed
                claimed_at = NOW - timedelta(hours=rng.randint(1, 80)) if is_claimed else None
                entries.append(
                    {
                        "id": n,
                        "ticket_id": n,
                        "state": "claimed" if is_claimed else "ready",
                        "agent": f"agent-{n % 7}" if is_claimed else None,
                        "claimed_at": claimed_at,
                        "lease_expires_at": claimed_at + timedelta(hours=2) if claimed_at else None,
                        "areas": areas,
                        "priority": priority,
                        "sort_priority": priority if priority is not None else 3,
                        "overall": overall,
                        "sort_score": 100 - overall,
                        "estimate_low": 2.0,
                        "estimate_high": 4.0,
                        "ticket_created_at": first,
                        "brief_outdated": False,
                        "created_at": first,
                        "updated_at": first,
                    }
                )
                entry_areas += [{"entry_id": n, "area": a} for a in areas]
        for table, rows in (
            (TicketRecord, tickets),
            (AssessmentRecord, assessments),
            (QueueEntry, entries),
            (QueueEntryArea, entry_areas),
        ):
            for part in _chunks(rows):
                conn.execute(insert(table), part)
        conn.execute(
            insert(DigestRecord),
            [
                {
                    "occurrence": "scheduled:previous",
                    "trigger": "scheduled",
                    "window_start": WINDOW_START - timedelta(days=1),
                    "window_end": WINDOW_START,
                    "created_at": WINDOW_START,
                    "delivered_at": WINDOW_START,
                    "content": {
                        "counts": [{"verdict": v, "count": int(count * s)} for v, s in VERDICTS]
                    },
                }
            ],
        )
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()
    return {"tickets": count, "assessments": assessment_id, "ready": ready, "claimed": claimed}


def measure(engine: Engine, runs: int) -> tuple[float, float, digest.Digest]:
    sessions = make_sessionmaker(engine)
    config = digest.DigestConfig()
    best_build = best_render = float("inf")
    built = None
    for _ in range(runs):
        with sessions() as session:
            start = time.perf_counter()
            built = digest.build(session, config, NOW)
            middle = time.perf_counter()
            digest.render_all(built)
            end = time.perf_counter()
        best_build = min(best_build, middle - start)
        best_render = min(best_render, end - middle)
    assert built is not None
    return best_build, best_render, built


def bench(name: str, url: str, count: int, runs: int) -> bool:
    engine = make_engine(url)
    try:
        upgrade(engine)
        start = time.perf_counter()
        sizes = fill(engine, count)
        filled = time.perf_counter() - start
        build_s, render_s, d = measure(engine, runs)
    finally:
        engine.dispose()
    total = build_s + render_s
    print(
        f"{name}: {sizes['tickets']:,} tickets, {sizes['assessments']:,} assessments, "
        f"{sizes['ready']:,} ready ({sizes['claimed']:,} claimed); filled in {filled:.1f} s"
    )
    print(f"  build  {build_s * 1000:8.1f} ms   (best of {runs})")
    print(f"  render {render_s * 1000:8.1f} ms   (md + html + slack + json)")
    print(
        f"  total  {total * 1000:8.1f} ms   goal < {GOAL_SECONDS * 1000:.0f} ms: "
        f"{'OK' if total < GOAL_SECONDS else 'MISSED'}"
    )
    print(
        f"  digest: ready {d.count('ready'):,}, newly ready {d.newly_ready.total:,}, "
        f"unblocked {d.unblocked.total:,}, batch {d.batch.total}, "
        f"near-ready {d.near_ready.total:,}, stale claims {d.stale_claims.total}, "
        f"needs review {d.needs_review.total:,}"
    )
    return total < GOAL_SECONDS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    args = parser.parse_args()
    ok = True
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            ok &= bench("SQLite", f"sqlite:///{tmp}/bench.db", args.count, args.runs)
    if args.backend in ("postgresql", "both"):
        server = normalise_url(args.postgres_url)
        name = f"bs_bench_{secrets.token_hex(4)}"
        admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = server.set(database=name).render_as_string(hide_password=False)
            ok &= bench("PostgreSQL", url, args.count, args.runs)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
