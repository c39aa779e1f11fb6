"""SQLite under its own scheduler: `backlog-sync serve` (api, worker, scheduler)
on the embedded default, with N GitHub sources (default 6) syncing every minute
against the fake GitHub, while signed `issues` webhooks arrive (one every
`--webhook-every` seconds, each after an edit of that issue on the fake).

After `--minutes` (default 10) it prints the figures that say whether the
default holds up: "database is locked" (and any other ERROR) lines in the
service's log, scheduled syncs by outcome (`job_runs`), webhook deliveries by
state (the inbox), and the label writes the fake received.

    .venv/bin/python benchmarks/sqlite_soak.py [--minutes 10] [--sources 6]
        [--issues 40] [--webhook-every 2]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
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
from tests.service_process import clean_env, free_port, running  # noqa: E402

TOKEN, SECRET = "soak-token", "soak-secret"
BODY = (
    "Add a `--since` option to `service/sync_{n}.py`.\n\n## Acceptance criteria\n\n"
    "- [ ] `sync --since 2024-01-01` reads only tickets changed since then\n"
    "- [ ] Tests in `tests/test_sync_{n}.py`\n\n## Out of scope\n\n- The cursor\n"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--sources", type=int, default=6)
    parser.add_argument("--issues", type=int, default=40, help="issues per repository")
    parser.add_argument("--webhook-every", type=float, default=2.0, help="seconds")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    payload = load_payload("issues.opened.15.json")

    with FakeGitHub(validate=False) as gh, tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        gh.add_token(TOKEN, "backlog-bot")
        repos = [f"soak/app{i}" for i in range(args.sources)]
        for name in repos:
            repo = gh.add_repo(name)
            for n in range(args.issues):
                repo.add_issue(f"Add --since to sync {n}", BODY.format(n=n))
        config = {
            "sources": [
                {
                    "type": "github",
                    "name": f"app{i}",
                    "repo": name,
                    "base_url": gh.base_url,
                    "sync_interval_minutes": 1,
                    "min_seconds_between_writes": 0,
                }
                for i, name in enumerate(repos)
            ],
            "schedules": {"sync_enabled": True, "digest": {"enabled": False}},
        }
        path = workdir / "backlog-sync.yaml"
        path.write_text(yaml.safe_dump(config), encoding="utf-8")
        database = workdir / "soak.db"
        env = clean_env(
            BACKLOG_SYNC_CONFIG=str(path),
            BACKLOG_SYNC_DATABASE_URL=f"sqlite:///{database}",
            BACKLOG_SYNC_GITHUB_TOKEN=TOKEN,
            BACKLOG_SYNC_GITHUB_WEBHOOK_SECRET=SECRET,
        )
        port = free_port()
        argv = [str(Path(sys.executable).with_name("backlog-sync")), "serve", "--port", str(port)]
        statuses: Counter[int] = Counter()
        with running(argv, port=port, env=env, cwd=workdir) as url:
            deadline = time.monotonic() + args.minutes * 60
            sent = 0
            while time.monotonic() < deadline:
                name = rng.choice(repos)
                number = rng.randint(1, args.issues)
                repo = gh.repos[name]
                repo.edit_issue(number, body=BODY.format(n=number) + f"\n\nEdit {sent}.\n")
                retargeted = retarget(payload, name, number, gh.base_url)
                retargeted["issue"] = repo.issue_view(number)  # as GitHub sends it now
                headers, body = github_delivery(retargeted, SECRET)
                answer = httpx.post(f"{url}/webhooks/github", content=body, headers=headers)
                statuses[answer.status_code] += 1
                sent += 1
                time.sleep(args.webhook_every)
            time.sleep(5)  # let the last deliveries and occurrences end before stopping
        log = (workdir / "service.log").read_text(encoding="utf-8", errors="replace")
        engine = create_engine(f"sqlite:///{database}")
        with engine.connect() as connection:
            runs = {
                outcome: count
                for outcome, count in connection.execute(
                    text("SELECT outcome, count(*) FROM job_runs GROUP BY outcome")
                )
            }
            inbox = {
                state: count
                for state, count in connection.execute(
                    text("SELECT state, count(*) FROM webhook_deliveries GROUP BY state")
                )
            }
        engine.dispose()
    locked = sum("database is locked" in line for line in log.splitlines())
    errors = [line for line in log.splitlines() if " ERROR " in line]
    print(
        f"run                   {args.minutes:g} min, {args.sources} sources x {args.issues} "
        f"issues, syncing every minute, a webhook every {args.webhook_every:g} s"
    )
    print(f"'database is locked'  {locked} log lines")
    print(f"ERROR lines           {len(errors)}")
    for line in errors[:5]:
        print(f"  {line[:160]}")
    print(f"scheduled runs        {runs}")
    print(f"webhooks answered     {dict(statuses)}")
    print(f"webhook inbox         {inbox}")
    print(f"label writes          {len(gh.label_writes)}")


if __name__ == "__main__":
    main()
