"""Webhook load: N signed deliveries (default 5,000) from a thread pool (32) on
loopback against `service.server.serve` on PostgreSQL, with the fake GitHub.

Prints: accepted per second; p50 and p99 time to the 202; p50 and p95 time from
the delivery to the label write at the fake; and checks nothing was lost (every
delivery processed exactly once: one label write per issue, every inbox row done).

    .venv/bin/python benchmarks/webhook_load.py [--n 5000] [--concurrency 32]
        [--postgres postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import yaml
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.test_service_process import LAUNCH, free_port  # noqa: E402
from tests.fakes.github import FakeGitHub  # noqa: E402
from tests.integration.api.signed_deliveries import (  # noqa: E402
    github_delivery,
    load_payload,
    retarget,
)

REPO, TOKEN, SECRET = "bench/app", "bench-token", "bench-secret"
LABELS = "/repos/{owner}/{repo}/issues/{issue_number}/labels"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()

    from service.db import make_engine, upgrade

    admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
    name = f"bs_bench_{secrets.token_hex(4)}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    db_url = args.postgres.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(db_url)
    upgrade(engine)
    tmp = Path(tempfile.mkdtemp())
    with FakeGitHub(validate=False) as gh:
        repo = gh.add_repo(REPO)
        gh.add_token(TOKEN, "bench-bot")
        template = load_payload("issues.opened.15.json")
        deliveries = []
        for _ in range(args.n):
            number = repo.add_issue(template["issue"]["title"], template["issue"]["body"])
            payload = retarget(template, REPO, number, gh.base_url)
            deliveries.append((number, *github_delivery(payload, SECRET)))
        config = tmp / "backlog-sync.yaml"
        config.write_text(
            yaml.safe_dump(
                {
                    "sources": [
                        {"type": "github", "name": "app", "repo": REPO, "base_url": gh.base_url}
                    ],
                    "schedules": {"sync_enabled": False},
                    "worker": {"poll_seconds": 0.5},
                }
            )
        )
        env = dict(os.environ)
        env.update(
            BACKLOG_SYNC_CONFIG=str(config),
            BACKLOG_SYNC_DATABASE_URL=db_url,
            BACKLOG_SYNC_GITHUB_TOKEN=TOKEN,
            BACKLOG_SYNC_GITHUB_WEBHOOK_SECRET=SECRET,
        )
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = (tmp / "service.log").open("w")
        proc = subprocess.Popen(
            [sys.executable, "-c", LAUNCH, str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(f"{url}/readyz").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit("service did not start:\n" + (tmp / "service.log").read_text())
                time.sleep(0.1)

            sent_at: dict[int, float] = {}
            accept_times: list[float] = []
            statuses: list[int] = []
            client = httpx.Client(limits=httpx.Limits(max_connections=args.concurrency))

            def send(item: tuple[int, dict[str, str], bytes]) -> None:
                number, headers, body = item
                start = time.monotonic()
                sent_at[number] = start
                r = client.post(f"{url}/webhooks/github", content=body, headers=headers)
                accept_times.append(time.monotonic() - start)
                statuses.append(r.status_code)

            labelled_at: dict[int, float] = {}
            t0 = time.monotonic()
            with ThreadPoolExecutor(args.concurrency) as pool:
                futures = [pool.submit(send, d) for d in deliveries]
                pending = {d[0] for d in deliveries}
                while pending and not all(f.done() for f in futures):
                    for number in list(pending):
                        if repo.issue_labels(number):
                            labelled_at[number] = time.monotonic()
                            pending.discard(number)
                    time.sleep(0.005)
            send_seconds = time.monotonic() - t0
            deadline = time.monotonic() + 600
            while pending and time.monotonic() < deadline:
                for number in list(pending):
                    if repo.issue_labels(number):
                        labelled_at[number] = time.monotonic()
                        pending.discard(number)
                time.sleep(0.005)
            total_seconds = time.monotonic() - t0
            to_label = [labelled_at[n] - sent_at[n] for n in labelled_at]
            with engine.connect() as c:
                states = dict(
                    c.execute(
                        text("SELECT state, count(*) FROM webhook_deliveries GROUP BY state")
                    ).all()
                )
            label_posts = gh.count("POST", LABELS)
            print(f"deliveries            {args.n} (concurrency {args.concurrency})")
            print(f"answers               {dict((s, statuses.count(s)) for s in set(statuses))}")
            print(f"accepted per second   {args.n / send_seconds:.0f}")
            print(
                f"time to 202           p50 {statistics.median(accept_times) * 1000:.1f} ms, "
                f"p99 {pct(accept_times, 0.99) * 1000:.1f} ms"
            )
            if to_label:
                print(
                    f"delivery -> label     p50 {statistics.median(to_label) * 1000:.0f} ms, "
                    f"p95 {pct(to_label, 0.95) * 1000:.0f} ms"
                )
            print(f"all labelled after    {total_seconds:.1f} s")
            print(f"inbox states          {states}")
            print(f"label writes at fake  {label_posts}")
            lost = args.n - len(labelled_at)
            ok = lost == 0 and label_posts == args.n and states == {"done": args.n}
            print("nothing lost, each processed once" if ok else f"PROBLEM: {lost} unlabelled")
        finally:
            proc.terminate()
            proc.wait(15)
            log.close()
            engine.dispose()
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
