"""Queue claims under concurrency on PostgreSQL: throughput, latency, double claims.

8 claimers (processes, each with its own connection, as agents and replicas
are; or threads of one process with --threads) claim from 10,000 ready entries
whose code areas overlap, read the entry once and complete it, until the queue
is empty. Prints claims per second (full cycles: claim, one read, complete) and
p50/p99 claim latency: the wall time of `with sessions.begin():
queue.claim_next(...)`, i.e. pool checkout, BEGIN, the claim's statements and
COMMIT; not the read nor complete(). With --threads it includes waiting for the
GIL the claimers share. And double claims: an entry claimed twice, or two
entries sharing an area held at overlapping times (checked afterwards on the
monotonic clock). Goal: p99 under 20 ms, double claims 0.

Latency on a small shared machine varies from run to run, so the benchmark runs
--rounds (default 3) rounds, each on a fresh database, and prints each round and
the median of the rounds.

    .venv/bin/python benchmarks/queue_claims.py [--entries 10000] [--claimers 8]
        [--rounds 3] [--threads]

The server comes from BACKLOG_SYNC_TEST_POSTGRES_URL (default: local, user
postgres); the script creates its own database and drops it at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from multiprocessing import get_context
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

from service import queue
from service.db import make_engine, make_sessionmaker, normalise_url, upgrade
from service.queue.models import QueueEntry, QueueEntryArea
from service.tickets.models import Source, TicketRecord

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
NOW = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
LEASE_SECONDS = 600


@contextmanager
def own_database(server: URL) -> Iterator[str]:
    name = f"bs_bench_{secrets.token_hex(6)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def fill(sessions: sessionmaker[Session], entries: int, areas: int, seed: int) -> None:
    rng = random.Random(seed)
    pool = [f"pkg/area{i}" for i in range(areas)]
    tickets, rows, area_rows = [], [], []
    for n in range(1, entries + 1):
        chosen = sorted(rng.sample(pool, rng.randint(1, 3)))
        created = NOW - timedelta(minutes=rng.randint(0, 100_000))
        priority = rng.choice([None, 1, 2, 3, 4])
        overall = rng.randint(70, 100)
        tickets.append(
            {
                "id": n,
                "source_id": 1,
                "key": f"bench#{n}",
                "title": f"ticket {n}",
                "url": None,
                "state": "open",
                "priority": priority,
                "snapshot": {},
                "content_hash": "0" * 64,
                "first_seen": NOW,
                "last_changed": NOW,
                "verdict": "ready",
                "overall": overall,
                "skipped": False,
            }
        )
        rows.append(
            {
                "id": n,
                "ticket_id": n,
                "state": "ready",
                "areas": chosen,
                "priority": priority,
                "sort_priority": priority if priority is not None else 3,
                "overall": overall,
                "sort_score": 100 - overall,
                "estimate_low": 2.0,
                "estimate_high": 4.0,
                "ticket_created_at": created,
                "brief_outdated": False,
                "created_at": NOW,
                "updated_at": NOW,
            }
        )
        area_rows += [{"entry_id": n, "area": a} for a in chosen]
    with sessions.begin() as s:
        s.execute(
            insert(Source),
            [{"id": 1, "name": "bench", "kind": "bench", "created_at": NOW, "updated_at": NOW}],
        )
        s.execute(insert(TicketRecord), tickets)
        s.execute(insert(QueueEntry), rows)
        s.execute(insert(QueueEntryArea), area_rows)
    with sessions() as s:
        s.execute(text("ANALYZE"))
        s.commit()


@dataclass(frozen=True, slots=True)
class Held:
    """One claim as a claimer saw it: held from `start` (its claim committed) to
    `end` (before its completion began), on the system's monotonic clock."""

    entry_id: int
    areas: tuple[str, ...]
    start: float
    end: float
    latency: float


_start: Any = None
"""The barrier every claimer waits at, connected, before its first claim."""


def _set_start(barrier: Any) -> None:
    global _start
    _start = barrier


def claimer(url: str, agent: str) -> tuple[list[Held], float, float]:
    """Connect, wait for the others; then claim, hold briefly, complete, until the
    queue is empty. The claims, and when this claimer began and finished."""
    engine = make_engine(url, pool_size=2, max_overflow=0)
    sessions = make_sessionmaker(engine)
    held: list[Held] = []
    with sessions() as s:
        s.execute(text("SELECT 1"))  # connected, like a running service's pool
    _start.wait()
    began = time.monotonic()
    try:
        while True:
            started = time.monotonic()
            with sessions.begin() as s:
                entry = queue.claim_next(s, agent, LEASE_SECONDS, NOW)
            claimed = time.monotonic()
            if entry is None:
                with sessions() as s:
                    left = s.scalar(
                        select(func.count())
                        .select_from(QueueEntry)
                        .where(QueueEntry.state == "ready")
                    )
                if not left:
                    return held, began, time.monotonic()
                continue  # the remaining entries overlap claims in flight
            # work on it: read the entry while the claim is held, in a transaction
            # that commits, as an API request does (a ROLLBACK would also make
            # psycopg drop the connection's prepared statements)
            with sessions.begin() as s:
                queue.get_entry(s, entry.id)
            released = time.monotonic()
            with sessions.begin() as s:
                queue.complete(s, entry.id, agent, NOW)
            held.append(Held(entry.id, entry.areas, claimed, released, claimed - started))
    finally:
        engine.dispose()


def double_claims(held: list[Held]) -> int:
    """Entries claimed twice, plus pairs sharing an area whose holds overlapped."""
    doubles = len(held) - len({h.entry_id for h in held})
    by_area: dict[str, list[Held]] = {}
    for h in held:
        for area in h.areas:
            by_area.setdefault(area, []).append(h)
    for holds in by_area.values():
        holds.sort(key=lambda h: h.start)
        latest_end = float("-inf")
        for h in holds:
            if h.start < latest_end:
                doubles += 1
            latest_end = max(latest_end, h.end)
    return doubles


def run(url: str, claimers: int, *, processes: bool) -> tuple[list[Held], float]:
    """Every claim, and the wall time from the first claim to the last completion
    (process start-up and connecting are not counted)."""
    agents = [f"agent-{i}" for i in range(claimers)]
    pool: Executor
    if processes:
        context = get_context("spawn")
        barrier: Any = context.Barrier(claimers)
        pool = ProcessPoolExecutor(
            claimers, mp_context=context, initializer=_set_start, initargs=(barrier,)
        )
    else:
        _set_start(threading.Barrier(claimers))
        pool = ThreadPoolExecutor(claimers)
    with pool:
        results = list(pool.map(claimer, [url] * claimers, agents))
    wall = max(end for _, _, end in results) - min(began for _, began, _ in results)
    return [h for r, _, _ in results for h in r], wall


@dataclass(frozen=True, slots=True)
class Round:
    claims: int
    wall: float
    p50: float
    p99: float
    doubles: int

    @property
    def rate(self) -> float:
        return self.claims / self.wall


def one_round(server: URL, args: argparse.Namespace) -> Round:
    with own_database(server) as url:
        engine = make_engine(url)
        try:
            upgrade(engine)
            fill(make_sessionmaker(engine), args.entries, args.areas, args.seed)
        finally:
            engine.dispose()
        held, wall = run(url, args.claimers, processes=not args.threads)
    ms = sorted(h.latency * 1000 for h in held)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    return Round(len(held), wall, statistics.median(ms), p99, double_claims(held))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--claimers", type=int, default=8)
    parser.add_argument("--areas", type=int, default=2_000, help="size of the area pool")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3, help="rounds, each on a fresh database")
    parser.add_argument(
        "--threads", action="store_true", help="claimers as threads of one process (one GIL)"
    )
    args = parser.parse_args()
    if args.rounds < 1 or args.entries < 1 or args.claimers < 1:
        parser.error("--rounds, --entries and --claimers must be at least 1")

    server = normalise_url(os.environ.get("BACKLOG_SYNC_TEST_POSTGRES_URL") or DEFAULT_URL)
    kind = "threads of one process" if args.threads else "processes"
    print(f"entries            {args.entries}  (area pool {args.areas}, 1-3 areas each)")
    print(f"claimers           {args.claimers} {kind}, one connection each")
    rounds = []
    for n in range(1, args.rounds + 1):
        r = one_round(server, args)
        rounds.append(r)
        print(
            f"round {n}            {r.claims} claims in {r.wall:.1f} s, {r.rate:.0f}/s, "
            f"p50 {r.p50:.1f} ms, p99 {r.p99:.1f} ms, double claims {r.doubles}"
        )
    print(
        f"claims per second  {statistics.median(r.rate for r in rounds):.0f}"
        "  (median of rounds; each: claim, one read, complete)"
    )
    print(
        f"claim latency p50  {statistics.median(r.p50 for r in rounds):.1f} ms"
        "  (median of rounds; claim transaction, commit included)"
    )
    print(
        f"claim latency p99  {statistics.median(r.p99 for r in rounds):.1f} ms"
        f"  (median of rounds, worst {max(r.p99 for r in rounds):.1f} ms; goal < 20 ms)"
    )
    print(f"double claims      {sum(r.doubles for r in rounds)}  (must be 0)")


if __name__ == "__main__":
    main()
