"""`sync`, `queue`, `rules` and `db` on the embedded SQLite default, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from service.cli import app

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples" / "backlog.json"

runner = CliRunner()


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_sync_reports_then_resync_changes_nothing(workdir: Path) -> None:
    first = json.loads(invoke("sync", "backlog.json", "--json"))
    assert first["seen"] >= 20 and first["changed"] == first["seen"]
    assert first["newly_ready"], "the example backlog has ready tickets"
    # a file source is read-only: labels are planned, never written
    assert first["label_changes"] and first["labels_written"] == 0

    second = json.loads(invoke("sync", "backlog.json", "--json"))
    assert second["changed"] == 0 and second["newly_ready"] == []


def test_dry_run_stores_nothing(workdir: Path) -> None:
    plan = json.loads(invoke("sync", "backlog.json", "--dry-run", "--json"))
    assert plan["dry_run"] and plan["newly_ready"]
    assert not (workdir / "bs.db").exists(), "a dry run created the database file"
    assert json.loads(invoke("queue", "list", "--json")) == []


def test_dry_run_reads_an_existing_database_and_writes_nothing(workdir: Path) -> None:
    invoke("sync", "backlog.json")
    before = (workdir / "bs.db").read_bytes()
    plan = json.loads(invoke("sync", "backlog.json", "--dry-run", "--json"))
    assert plan["dry_run"] and plan["changed"] == 0  # it saw what the first sync stored
    assert (workdir / "bs.db").read_bytes() == before


def test_ticket_edited_into_readiness_enters_the_queue(workdir: Path) -> None:
    invoke("sync", "backlog.json")
    items = json.loads((workdir / "backlog.json").read_text())
    vague = next(item for item in items if item["title"] == "search is slow")
    vague["title"] = "Cache product search results in `src/search/service.py`"
    vague["body"] = (
        "Search for a product takes 2 s; cache results for 60 s in `SearchService.query`.\n\n"
        "## Acceptance criteria\n- [ ] repeated queries within 60 s hit the cache\n"
        "- [ ] a product update clears the cached entries\n"
        "- [ ] tests in `tests/search/test_service.py`\n\n"
        "## Out of scope\n- the search ranking\n"
    )
    vague["updatedAt"] = "2030-01-01T00:00:00Z"
    (workdir / "backlog.json").write_text(json.dumps(items))
    report = json.loads(invoke("sync", "backlog.json", "--json"))
    assert any(key.endswith(f"#{vague['number']}") for key in report["newly_ready"])


def test_claim_heartbeat_complete_and_batch(workdir: Path) -> None:
    invoke("sync", "backlog.json")
    batch = json.loads(invoke("queue", "batch", "-n", "5", "--json"))
    assert 1 <= len(batch) <= 5
    areas = [set(entry["areas"]) for entry in batch]
    for i, a in enumerate(areas):
        for b in areas[i + 1 :]:
            assert not a & b, "a batch never holds two tickets that share a code area"

    claimed = json.loads(invoke("queue", "claim", "--agent", "agent-1", "--json"))
    assert claimed["state"] == "claimed" and claimed["agent"] == "agent-1"
    entry = str(claimed["id"])
    assert "lease extended" in invoke("queue", "heartbeat", entry, "--agent", "agent-1")

    wrong = runner.invoke(app, ["queue", "complete", entry, "--agent", "someone-else"])
    assert wrong.exit_code == 2 and "Traceback" not in wrong.output

    assert "done" in invoke("queue", "complete", entry, "--agent", "agent-1")
    remaining = {e["id"] for e in json.loads(invoke("queue", "list", "--json"))}
    assert claimed["id"] not in remaining


def test_rules_written_at_the_conventional_paths(workdir: Path) -> None:
    invoke("sync", "backlog.json")
    entry = json.loads(invoke("queue", "list", "--json"))[0]
    number = entry["key"].rpartition("#")[2]
    out = workdir / "checkout"
    invoke("rules", number, "--format", "all", "--out", str(out))
    assert (out / "AGENTS.md").is_file() and (out / "CLAUDE.md").is_file()
    assert (out / ".junie" / "guidelines.md").is_file()
    cursor = next((out / ".cursor" / "rules").glob("*.mdc"))
    front = yaml.safe_load(cursor.read_text().split("---")[1])
    assert set(front) == {"description", "globs", "alwaysApply"}
    assert entry["title"] in (out / "AGENTS.md").read_text()

    printed = invoke("rules", number, "--format", "claude")
    assert entry["title"] in printed


def test_rules_for_an_unknown_ticket_is_one_line(workdir: Path) -> None:
    invoke("sync", "backlog.json")
    result = runner.invoke(app, ["rules", "424242"])
    assert result.exit_code == 2
    assert "no stored ticket 424242" in result.stderr


def test_db_upgrade_and_current(workdir: Path) -> None:
    assert "->" in invoke("db", "upgrade")
    assert "already at" in invoke("db", "upgrade")
    assert "up to date" in invoke("db", "current")


def _outside_fence(content: str) -> str:
    """Every inline text of a rules file that is not inside a fence."""
    tokens = MarkdownIt("commonmark").parse(content)
    return "\n".join(t.content for t in tokens if t.type == "inline")


def test_rules_for_a_ticket_that_needs_review_is_refused_unless_forced(workdir: Path) -> None:
    invoke("sync", "backlog.json")
    refused = runner.invoke(app, ["rules", "108"])
    assert refused.exit_code == 2
    [line] = refused.stderr.strip().splitlines()
    assert "needs a safety review" in line and "fetch-and-run" in line
    assert refused.stdout == ""

    forced = runner.invoke(app, ["rules", "108", "--force"])
    assert forced.exit_code == 0, forced.output
    assert "forced" in forced.stderr
    content = forced.stdout
    assert "this ticket needs a safety review" in content
    items = json.loads((workdir / "backlog.json").read_text())
    body = next(i["body"] for i in items if i["number"] == 108)
    # all of its text is fenced: no line of the body reaches the file's own words
    outside = _outside_fence(content)
    assert not [line for line in body.splitlines() if len(line) > 20 and line in outside]
    assert "curl" not in outside
