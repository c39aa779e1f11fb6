"""CPU per ticket of the triage pipeline (`service.triage.refresh_tickets`, as
the webhook worker and sync run it) on PostgreSQL or SQLite: the part of a
webhook delivery's or a sync's cost that is ours, without HTTP, the inbox or
the tracker (the connector is read-only: labels are planned, not written).

Tickets are real GitHub `issues.opened` payloads (../shared/data/github/webhooks),
pointed at one repository and parsed by the real connector. They are triaged as
the worker does it: a few per session (`--batch`, default 5). Three paths, each
over the same `--count` tickets (default 600, after 100 to warm up):

- new: stored for the first time (lookup, insert, assessment, queue);
- unchanged: triaged again with nothing changed (lookup only);
- changed: the body edited (update, new assessment).

Times are CPU seconds of this thread (`time.thread_time`), so other work on the
machine does not count; they still depend on the machine's speed, so compare
runs made close together. The database's own CPU is not included.

    .venv/bin/python benchmarks/triage_cost.py [--count 600] [--batch 5]
        [--database postgresql+psycopg://postgres@127.0.0.1:5432/test | sqlite]
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import secrets
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from connectors.base import Ticket
from connectors.github import GitHubConnector
from service import db, triage
from service.scoring import Policy
from tests.integration.api.signed_deliveries import (
    WEBHOOKS,
    github_delivery,
    load_payload,
    retarget,
)

REPO = "acme/web"
BASE_URL = "http://127.0.0.1:9"  # never called: the payloads are whole tickets
WARMUP = 100


@contextmanager
def database(choice: str) -> Iterator[str]:
    """A fresh database: a new one on the PostgreSQL server `choice`, or a SQLite file."""
    if choice == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/triage.db"
        return
    admin = create_engine(choice, isolation_level="AUTOCOMMIT")
    name = f"bs_triage_{secrets.token_hex(4)}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield choice.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def read_only_connector() -> GitHubConnector:
    """The real connector, made read-only: labels are planned but not written,
    so the tracker's part is left out."""
    connector = GitHubConnector(REPO, token="unused", base_url=BASE_URL, webhook_secret="s")
    connector.read_only = True
    return connector


def tickets(connector: GitHubConnector, count: int) -> list[Ticket]:
    template = load_payload("issues.opened.15.json")
    parsed = []
    for number in range(1, count + 1):
        headers, body = github_delivery(retarget(template, REPO, number, BASE_URL), "s")
        event = connector.parse_webhook({k.lower(): v for k, v in headers.items()}, body)
        assert event is not None and event.ticket is not None
        parsed.append(event.ticket)
    return parsed


def cpu_per_ticket(
    sessions: sessionmaker[Session],
    connector: GitHubConnector,
    batches: Sequence[Sequence[Ticket]],
    policy: Policy,
) -> float:
    """Milliseconds of this thread's CPU per ticket to triage `batches` as the
    worker does (`refresh_tickets`: reads shared within a batch, one commit
    after the triage and one after recording the label writes)."""
    now = datetime.now(UTC)
    started = time.thread_time()
    for batch in batches:
        with sessions() as session:
            commit = session.commit
            triage.refresh_tickets(session, connector, policy, batch, now=now, commit=commit)
            session.commit()
    return 1000 * (time.thread_time() - started) / sum(len(b) for b in batches)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=600)
    parser.add_argument("--batch", type=int, default=5, help="tickets per session and commit")
    parser.add_argument(
        "--database",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/test",
        help="a PostgreSQL server URL (a database is created on it), or `sqlite`",
    )
    args = parser.parse_args()
    if not WEBHOOKS.is_dir():
        sys.exit(f"{WEBHOOKS} is absent: this benchmark needs ../shared/data")
    connector = read_only_connector()
    every = tickets(connector, WARMUP + args.count)
    measured = every[WARMUP:]
    edit = "\n\nEdited: one more detail."
    edited = [dataclasses.replace(t, body=t.body + edit) for t in measured]

    def batches(items: Sequence[Ticket]) -> list[Sequence[Ticket]]:
        return [items[i : i + args.batch] for i in range(0, len(items), args.batch)]

    policy = Policy()
    with database(args.database) as url:
        engine = db.make_engine(url)
        try:
            db.upgrade(engine)
            sessions = db.make_sessionmaker(engine)
            # connections opened, statements prepared
            cpu_per_ticket(sessions, connector, batches(every[:WARMUP]), policy)
            gc.collect()
            gc.freeze()  # as `serve` does after start-up
            paths: list[tuple[str, Callable[[], float]]] = [
                (name, partial(cpu_per_ticket, sessions, connector, batches(items), policy))
                for name, items in (("new", measured), ("unchanged", measured), ("changed", edited))
            ]
            print(
                f"{args.count} tickets, {args.batch} per commit, on {engine.dialect.name}"
                " (CPU of this thread per ticket)"
            )
            for name, run in paths:
                print(f"{name:10} {run():.2f} ms")
        finally:
            engine.dispose()


if __name__ == "__main__":
    main()
