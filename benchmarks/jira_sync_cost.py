"""Requests a Jira sync costs, against the fake Jira over HTTP (Cloud and Server/DC).

Prints, per deployment type:
- reads only (JiraConnector.fetch_changed): a first sync of 3,000 issues
  (goal: ceil(3000/100) + 5 = 35 at most), a re-sync with no change (goal: 3 at
  most), and a re-sync after 20 issues changed;
- the same through service.sync (triage, label writes, SQLite in a temporary
  directory), when --with-sync is given: the label writes, the echo of our own
  writes (each bumps the issue's `updated`), then a quiet re-sync.

Descriptions are left empty for the 3,000 issues so the figures are about
requests; --convert-sample N times Markdown conversion of N real descriptions.

    .venv/bin/python benchmarks/jira_sync_cost.py [--issues 3000] [--with-sync]
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connectors.jira import JiraConnector
from tests.fakes.jira import FakeJira, iter_storypoints_rows

T0 = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=30)


def connector_for(fake: FakeJira, *, configured: bool = False) -> JiraConnector:
    """`configured`: time zone and story points field given, so nothing is discovered."""
    settings: dict[str, str] = (
        {"time_zone": fake.me.time_zone, "story_points_field": fake.story_points_field}
        if configured
        else {}
    )
    auth = (
        {"email": fake.email, "api_token": fake.api_token}
        if fake.deployment == "Cloud"
        else {"token": fake.token}
    )
    return JiraConnector(fake.url, project=fake.project, **auth, **settings)  # type: ignore[arg-type]


def seed(fake: FakeJira, count: int) -> None:
    for n in range(count):
        fake.add_issue(
            f"Issue {n}",
            story_points=float(n % 8),
            labels=["backend"] if n % 3 else [],
            updated=T0 + timedelta(minutes=10 * n),  # three weeks of changes
        )


def row(label: str, requests: int, goal: int | None, seconds: float) -> None:
    verdict = "" if goal is None else ("  ok" if requests <= goal else "  OVER GOAL")
    goal_text = "" if goal is None else f" (goal <= {goal})"
    print(f"  {label:<44} {requests:>6} requests{goal_text}  {seconds:6.1f}s{verdict}")


def reads(deployment: str, count: int) -> None:
    print(f"{deployment}: reads only, {count} issues")
    with FakeJira(deployment=deployment, time_zone="Europe/Berlin", validate=False) as fake:
        seed(fake, count)
        fake.clock = lambda: NOW
        connector = connector_for(fake)
        start = time.perf_counter()
        tickets = list(connector.fetch_changed(None))
        cursor = max(t.updated_at for t in tickets if t.updated_at)
        row(
            "first sync",
            fake.total_requests,
            math.ceil(count / 100) + 5,
            time.perf_counter() - start,
        )

        fake.reset_counts()
        start = time.perf_counter()
        again = list(connector.fetch_changed(cursor))
        row(
            f"re-sync, no change ({len(again)} re-read)",
            fake.total_requests,
            3,
            time.perf_counter() - start,
        )

        for configured in (False, True):
            fresh = connector_for(fake, configured=configured)
            fake.reset_counts()
            start = time.perf_counter()
            list(fresh.fetch_changed(cursor))
            label = "new process, " + ("tz+points configured" if configured else "discovering")
            row(f"re-sync, no change, {label}", fake.total_requests, 3, time.perf_counter() - start)
            print("    " + ", ".join(f"{r} x{n}" for r, n in sorted(fake.requests.items())))

        for n in range(20):
            fake.touch(f"PROJ-{n * 100 + 1}", summary=f"Changed {n}")
        fake.reset_counts()
        start = time.perf_counter()
        changed = list(connector.fetch_changed(cursor))
        row(
            f"after 20 changes ({len(changed)} read)",
            fake.total_requests,
            None,
            time.perf_counter() - start,
        )


def through_sync(deployment: str, count: int) -> None:
    try:
        from service.db import make_engine, make_sessionmaker, upgrade
        from service.scoring import Policy
        from service.triage.sync import sync_source
    except ImportError as error:
        print(f"{deployment}: service.sync not available ({error})")
        return
    print(f"{deployment}: through service.sync, {count} issues (labels written)")
    now = [NOW]
    with (
        tempfile.TemporaryDirectory() as folder,
        FakeJira(deployment=deployment, time_zone="Europe/Berlin", validate=False) as fake,
    ):
        seed(fake, count)
        fake.clock = lambda: now[0]
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        upgrade(engine)
        sessions = make_sessionmaker(engine)
        connector = connector_for(fake)

        def run(label: str, goal: int | None = None) -> None:
            fake.reset_counts()
            start = time.perf_counter()
            report = sync_source(sessions, connector, Policy(), now=lambda: now[0])
            writes = len(fake.writes)
            reads_ = fake.total_requests
            row(
                f"{label} (seen {report.seen}, {writes} writes)",
                reads_,
                goal,
                time.perf_counter() - start,
            )
            if report.error:
                print(f"    error: {report.error}")
            now[0] += timedelta(minutes=5)

        run("first sync", None)
        run("echo of our own label writes", None)
        run("re-sync, no change", 3)
        for n in range(20):
            fake.touch(f"PROJ-{n * 100 + 1}", summary=f"Changed {n}")
        run("after 20 changes", None)
        engine.dispose()


def conversion(sample: int) -> None:
    import logging

    from connectors.jira.markup import jira_text_to_markdown

    class Unconverted(logging.Handler):
        """Counts the descriptions left unconverted (over the size limit or budget)."""

        def __init__(self) -> None:
            super().__init__(logging.INFO)
            self.count = 0

        def emit(self, record: logging.LogRecord) -> None:
            self.count += "left unconverted" in record.getMessage()

    unconverted = Unconverted()
    markup_log = logging.getLogger("connectors.jira.markup.wiki")
    markup_log.addHandler(unconverted)
    markup_log.setLevel(logging.INFO)
    rows = list(iter_storypoints_rows(sample))
    slowest = 0.0
    start = time.perf_counter()
    for r in rows:
        one = time.perf_counter()
        jira_text_to_markdown(r["description"])
        slowest = max(slowest, time.perf_counter() - one)
    elapsed = time.perf_counter() - start
    markup_log.removeHandler(unconverted)
    each = elapsed / max(1, len(rows)) * 1000
    print(
        f"wiki->Markdown: {len(rows)} real descriptions in {elapsed:.1f}s ({each:.0f} ms each, "
        f"slowest {slowest:.2f}s); {unconverted.count} left unconverted (fenced)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=3000)
    parser.add_argument("--with-sync", action="store_true")
    parser.add_argument("--convert-sample", type=int, default=0)
    args = parser.parse_args()
    for deployment in ("Cloud", "Server"):
        reads(deployment, args.issues)
        if args.with_sync:
            through_sync(deployment, args.issues)
    if args.convert_sample:
        conversion(args.convert_sample)


if __name__ == "__main__":
    main()
