"""The embedded default holds up on its own: several processes writing one SQLite
file wait for each other (BEGIN IMMEDIATE, busy timeout) instead of failing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from service import db
from service.tickets.models import TicketRecord

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "backlog.json"
SOURCES = 4
COPIES = 8  # 8 x the example backlog per source: long enough for the syncs to overlap


def backlog(repo: str) -> list[dict[str, object]]:
    base = json.loads(EXAMPLES.read_text(encoding="utf-8"))
    items = []
    for copy in range(COPIES):
        for item in base:
            clone = json.loads(json.dumps(item))
            clone["number"] = int(item["number"]) + 1000 * copy
            clone["url"] = f"https://github.com/{repo}/issues/{clone['number']}"
            items.append(clone)
    return items


def test_concurrent_cli_syncs_of_different_sources_on_one_sqlite_file_all_succeed(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    env = {**os.environ, "BACKLOG_SYNC_DATABASE_URL": url}
    env.pop("BACKLOG_SYNC_CONFIG", None)
    files = []
    for n in range(SOURCES):
        path = tmp_path / f"source{n}.json"
        path.write_text(json.dumps(backlog(f"acme/repo{n}")), encoding="utf-8")
        files.append(path)
    upgrade = [sys.executable, "-m", "service.cli", "db", "upgrade"]
    subprocess.run(upgrade, env=env, cwd=tmp_path, check=True, capture_output=True, timeout=120)
    syncs = [
        subprocess.Popen(
            [sys.executable, "-m", "service.cli", "sync", str(path), "--json"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in files
    ]
    outcomes = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in syncs]  # type: ignore[union-attr]
    for code, _, stderr in outcomes:
        assert code == 0, stderr
    seen = [json.loads(stdout)["seen"] for _, stdout, _ in outcomes]
    engine = db.make_engine(url)
    try:
        with db.make_sessionmaker(engine)() as session:
            stored = session.scalar(select(func.count()).select_from(TicketRecord))
    finally:
        engine.dispose()
    assert stored == sum(seen) and all(s > 0 for s in seen)
