"""Webhook load: N signed deliveries (default 5,000) from a thread pool (32) on
loopback against `service.runtime.server.serve` on PostgreSQL, with the fake GitHub.

The service runs as it would in production on PostgreSQL: `--api-processes`
processes with the `api` role (each on its own port; the load generator spreads
requests over them as a load balancer would) and `--worker-processes` processes
(default 1) with the `worker` role (`--worker-threads` threads each), woken by
LISTEN/NOTIFY; worker processes drain the one inbox as replicas do. The fake GitHub runs
in a process of its own and is configured with `min_seconds_between_writes: 0`:
real GitHub keeps the default 1 s between writes (GitHub's guidance against
secondary rate limits), so label writes to real GitHub are paced and the label
figures here measure our pipeline, not GitHub's pacing.

By default the senders send as fast as the service accepts (a burst): the
time to the label then mostly measures the wait behind the deliveries accepted
before it. `--rate R` paces the measured deliveries at R per second instead, to
see the time to the label at a load the workers keep up with. `--worker-nice N`
runs the worker processes at a lower CPU priority, as on a host where answering
the tracker should not wait behind processing.

First --warmup deliveries (default 320, ten per sender) are sent and processed
while nothing is timed: the service's connections are open and its statements
prepared, as in a service that has been running. They are checked for
exactly-once with the rest.

Prints: accepted per second; p50 and p99 time to the 202; p50 and p95 time from
the delivery to the label write at the fake (timestamped by the fake when the
write arrives); CPU seconds of each process and of the whole machine (the load
generator, the service, PostgreSQL and the fake share its cores), and per
measured delivery for each role and the machine; and checks
nothing was lost: every inbox row is done, each issue got exactly one label
write. The end is reached when every inbox row is done
or failed (or a deadline passes), not when the last request was answered.

    .venv/bin/python benchmarks/webhook_load.py [--n 5000] [--concurrency 32]
        [--api-processes 2] [--worker-processes 1] [--worker-threads 4] [--warmup 320]
        [--rate 0] [--worker-nice 0]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path

import httpx
import yaml
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.github import FakeGitHub  # noqa: E402
from tests.integration.api.signed_deliveries import (  # noqa: E402
    github_delivery,
    load_payload,
    retarget,
)
from tests.service_process import free_port  # noqa: E402

REPO, TOKEN, SECRET = "bench/app", "bench-token", "bench-secret"
LAUNCH = (
    "import logging, sys; from service.runtime.compose import load; "
    "from service.runtime.server import serve; "
    "logging.basicConfig(level=logging.WARNING); "
    "serve(*load(), set(sys.argv[1].split(',')), '127.0.0.1', int(sys.argv[2]), "
    "worker_threads=int(sys.argv[3]))"
)


def _report_receiving(
    args: argparse.Namespace,
    statuses: Counter[int],
    accept_times: list[float],
    send_seconds: float,
    states: dict[str, int],
    total: int,
) -> None:
    """With --worker-processes 0: what receiving alone cost, and that every
    delivery was stored once (none is processed: no worker runs)."""
    print(
        f"deliveries            {args.n} after {args.warmup} to warm up"
        f" (concurrency {args.concurrency}, {args.api_processes} api processes, no worker:"
        " receiving alone)"
    )
    print(f"answers               {dict(statuses)}")
    print(f"accepted per second   {args.n / send_seconds:.0f}")
    print(
        f"time to 202           p50 {statistics.median(accept_times) * 1000:.1f} ms, "
        f"p99 {pct(accept_times, 0.99) * 1000:.1f} ms"
    )
    stored = sum(states.values())
    ok = stored == total and set(statuses) == {202}
    print(
        f"stored once each      {stored} of {total}"
        if ok
        else f"PROBLEM: {stored} stored of {total}, answers {dict(statuses)}"
    )


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class _TimedWrites(list[tuple[str, str, int, tuple[str, ...]]]):
    """The fake's `label_writes`, with the monotonic time each write arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[tuple[float, str, int]] = []

    def append(self, item: tuple[str, str, int, tuple[str, ...]]) -> None:
        self.times.append((time.monotonic(), item[0], item[2]))
        super().append(item)


def _fake_github(n: int, pipe: Connection) -> None:
    """The fake GitHub in a process of its own (it does not share the generator's GIL)."""
    with FakeGitHub(validate=False) as gh:
        writes = _TimedWrites()
        gh.label_writes = writes
        repo = gh.add_repo(REPO)
        gh.add_token(TOKEN, "bench-bot")
        template = load_payload("issues.opened.15.json")
        numbers = [
            repo.add_issue(template["issue"]["title"], template["issue"]["body"]) for _ in range(n)
        ]
        pipe.send((gh.base_url, numbers))
        pipe.recv()  # the end
        pipe.send(list(writes.times))


def _cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of a process so far (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _busy_seconds() -> float:
    """CPU seconds the whole machine spent busy so far (user, nice, system; Linux)."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:4]
    except OSError:
        return float("nan")
    return sum(int(f) for f in fields) / os.sysconf("SC_CLK_TCK")


def _wait_ready(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/readyz").status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            raise SystemExit("service did not start:\n" + log.read_text())
        time.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--api-processes", type=int, default=2)
    parser.add_argument("--worker-processes", type=int, default=1)
    parser.add_argument("--worker-threads", type=int, default=4, help="threads per worker process")
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=0,
        help="run the worker processes at this lower CPU priority (nice), as on a shared host",
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="send at most this many deliveries per second (0: as fast as they are accepted)",
    )
    parser.add_argument("--deadline", type=float, default=300.0, help="seconds to wait")
    parser.add_argument(
        "--warmup", type=int, default=320, help="deliveries sent and processed before measuring"
    )
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
    ours, theirs = multiprocessing.get_context("fork").Pipe()
    fake = multiprocessing.get_context("fork").Process(
        target=_fake_github, args=(args.n + args.warmup, theirs), daemon=True
    )
    fake.start()
    base_url, numbers = ours.recv()
    template = load_payload("issues.opened.15.json")
    deliveries: list[tuple[int, dict[str, str], bytes]] = []
    for number in numbers:
        payload = retarget(template, REPO, number, base_url)
        deliveries.append((number, *github_delivery(payload, SECRET)))
    config = tmp / "backlog-sync.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "sources": [
                    {
                        "type": "github",
                        "name": "app",
                        "repo": REPO,
                        "base_url": base_url,
                        # the fake has no secondary rate limit: measure our pipeline
                        "min_seconds_between_writes": 0,
                    }
                ],
                "schedules": {"sync_enabled": False, "digest": {"enabled": False}},
                "worker": {"poll_seconds": 1.0},
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
    procs: list[subprocess.Popen[bytes]] = []
    logs = []
    ports = [free_port() for _ in range(args.api_processes)]
    roles = [("api", port) for port in ports] + [
        ("worker", free_port()) for _ in range(args.worker_processes)
    ]
    try:
        for i, (role, port) in enumerate(roles):
            log_path = tmp / f"service-{i}.log"
            log = log_path.open("w")
            logs.append(log)
            procs.append(
                subprocess.Popen(
                    [
                        *(["nice", "-n", str(args.worker_nice)] if role == "worker" else []),
                        sys.executable,
                        "-c",
                        LAUNCH,
                        role,
                        str(port),
                        str(args.worker_threads),
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        for i, port in enumerate(ports):
            _wait_ready(f"http://127.0.0.1:{port}", procs[i], tmp / f"service-{i}.log")

        sent_at: dict[int, float] = {}
        accept_times: list[float] = []
        statuses: Counter[int] = Counter()
        local = threading.local()
        counter = iter(range(10**9))

        paced: list[float] = []  # with --rate: when the measured part started
        position = {number: i for i, (number, _, _) in enumerate(deliveries[args.warmup :])}

        def send(item: tuple[int, dict[str, str], bytes]) -> None:
            number, headers, body = item
            if paced:  # delivery i of the measured part leaves at start + i / rate
                due = paced[0] + position[number] / args.rate - time.monotonic()
                if due > 0:
                    time.sleep(due)
            start = time.monotonic()
            sent_at[number] = start
            for attempt in (1, 2):
                conn = getattr(local, "conn", None)
                if conn is None:
                    # one keep-alive connection per thread, spread over the api processes
                    port = ports[next(counter) % len(ports)]
                    conn = local.conn = http.client.HTTPConnection("127.0.0.1", port)
                try:
                    conn.request("POST", "/webhooks/github", body=body, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    break
                except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
                    # the server closed a connection left idle (uvicorn's keep-alive
                    # timeout, e.g. during the warm-up's wait): open a new one, once
                    conn.close()
                    local.conn = None
                    if attempt == 2:
                        raise
            accept_times.append(time.monotonic() - start)
            statuses[response.status] += 1

        def inbox_states() -> dict[str, int]:
            with engine.connect() as c:
                return {
                    str(state): int(count)
                    for state, count in c.execute(
                        text("SELECT state, count(*) FROM webhook_deliveries GROUP BY state")
                    ).all()
                }

        def settled(states: dict[str, int]) -> int:
            """Deliveries the run is done with: processed, or, with no worker
            (receiving alone is measured), stored."""
            if not args.worker_processes:
                return sum(states.values())
            return states.get("done", 0) + states.get("failed", 0)

        def wait_processed(count: int, deadline: float) -> dict[str, int]:
            states = inbox_states()
            while settled(states) < count:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.2)
                states = inbox_states()
            return states

        with ThreadPoolExecutor(args.concurrency) as pool:
            # warm-up: connections opened, statements prepared, then processed;
            # checked for exactly-once below with the rest, left out of the times
            list(pool.map(send, deliveries[: args.warmup]))
            wait_processed(args.warmup, time.monotonic() + args.deadline)
            accept_times.clear()
            cpu_before = {proc.pid: _cpu_seconds(proc.pid) for proc in procs}
            cpu_before[fake.pid or 0] = _cpu_seconds(fake.pid or 0)
            cpu_before[os.getpid()] = _cpu_seconds(os.getpid())
            busy_before = _busy_seconds()
            t0 = time.monotonic()
            if args.rate > 0:
                paced.append(t0)
            list(pool.map(send, deliveries[args.warmup :]))
            send_seconds = time.monotonic() - t0

        total = args.n + args.warmup
        states = wait_processed(total, time.monotonic() + args.deadline)
        total_seconds = time.monotonic() - t0
        ours.send("end")
        writes: list[tuple[float, str, int]] = ours.recv()
        if not args.worker_processes:
            _report_receiving(args, statuses, accept_times, send_seconds, states, total)
            return

        labelled_at: dict[int, float] = {}
        writes_per_issue: Counter[int] = Counter()
        for moment, _method, number in writes:
            labelled_at.setdefault(number, moment)
            writes_per_issue[number] += 1
        measured = [number for number, _, _ in deliveries[args.warmup :]]
        to_label = [labelled_at[n] - sent_at[n] for n in measured if n in labelled_at]
        print(
            f"deliveries            {args.n} after {args.warmup} to warm up"
            f" (concurrency {args.concurrency}, "
            f"{args.api_processes} api processes, {args.worker_processes} worker processes"
            f" x {args.worker_threads} threads)"
        )
        print(f"answers               {dict(statuses)}")
        print(
            f"accepted per second   {args.n / send_seconds:.0f}"
            + (f" (sent at {args.rate:.0f}/s at most)" if args.rate > 0 else "")
        )
        print(
            f"time to 202           p50 {statistics.median(accept_times) * 1000:.1f} ms, "
            f"p99 {pct(accept_times, 0.99) * 1000:.1f} ms"
        )
        if to_label:
            print(
                f"delivery -> label     p50 {statistics.median(to_label) * 1000:.0f} ms, "
                f"p95 {pct(to_label, 0.95) * 1000:.0f} ms"
            )
        print(f"all processed after   {total_seconds:.1f} s")
        print(f"inbox states          {states}")
        print(f"label writes at fake  {len(writes)}")
        lost = total - len(labelled_at)
        repeated = sum(1 for count in writes_per_issue.values() if count > 1)
        ok = lost == 0 and repeated == 0 and len(writes) == total and states == {"done": total}
        print(
            "nothing lost, each processed once"
            if ok
            else f"PROBLEM: {lost} unlabelled, {repeated} labelled more than once, inbox {states}"
        )
        # where the two cores went after the warm-up (per process of ours, and the machine's)
        busy = _busy_seconds() - busy_before

        def used(pid: int) -> float:
            return _cpu_seconds(pid) - cpu_before[pid]

        cpu = ", ".join(
            f"{role} {used(proc.pid):.1f}" for (role, _), proc in zip(roles, procs, strict=True)
        )
        print(f"cpu seconds           {cpu}, fake {used(fake.pid or 0):.1f}, ", end="")
        print(f"generator {used(os.getpid()):.1f}; machine busy {busy:.1f}")

        def per_delivery(role: str) -> str:
            seconds = sum(used(p.pid) for (r, _), p in zip(roles, procs, strict=True) if r == role)
            return f"{role} {1000 * seconds / args.n:.1f} ms"

        print(
            f"cpu per delivery      {per_delivery('api')}"
            + (f", {per_delivery('worker')}" if args.worker_processes else "")
            + f", machine {1000 * busy / args.n:.1f} ms"
        )
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
        for log in logs:
            log.close()
        fake.kill()
        engine.dispose()
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
