"""`backlog-sync triage` and `score` on files, as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples" / "backlog.json"
VERDICTS = {"ready", "needs-clarity", "too-large", "blocked", "needs-review"}
ROW_FIELDS = {
    "key",
    "title",
    "url",
    "verdict",
    "overall",
    "dimensions",
    "estimate_hours",
    "areas",
    "missing",
    "findings",
}

runner = CliRunner()


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no ./backlog-sync.yaml, no ./backlog-sync.db from elsewhere
    monkeypatch.delenv("BACKLOG_SYNC_CONFIG", raising=False)


def triage_json(*args: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["triage", str(EXAMPLES), "--json", *args])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    return rows


def test_example_backlog_covers_every_verdict() -> None:
    rows = triage_json()
    assert len(rows) >= 20
    assert {row["verdict"] for row in rows} == VERDICTS
    for row in rows:
        assert set(row) >= ROW_FIELDS
        assert set(row["dimensions"]) == {"size", "independence", "clarity", "safety"}  # type: ignore[arg-type]
        low, high = row["estimate_hours"]  # type: ignore[misc]
        assert 0 < low <= high


def test_example_hard_cases_get_their_verdicts() -> None:
    by_title = {str(row["title"]): row for row in triage_json()}

    def verdict_of(fragment: str) -> object:
        matches = [row["verdict"] for title, row in by_title.items() if fragment in title]
        assert len(matches) == 1, fragment
        return matches[0]

    assert verdict_of("Epic:") == "too-large"
    assert verdict_of("Rewrite the entire") == "too-large"
    assert verdict_of("How do I") == "needs-clarity"
    assert verdict_of("Fix KeyError in cart total") == "ready"


def test_closed_tickets_are_left_out_unless_all_is_asked_for() -> None:
    items = json.loads(EXAMPLES.read_text(encoding="utf-8"))
    closed = {str(i["title"]) for i in items if str(i.get("state", "")).upper() == "CLOSED"}
    assert closed, "the example backlog holds closed tickets"
    rows = triage_json()
    assert {row["state"] for row in rows} == {"open"}
    assert not closed & {str(row["title"]) for row in rows}
    everything = triage_json("--all")
    assert {str(r["title"]) for r in everything if r["state"] == "closed"} == closed
    assert len(everything) == len(rows) + len(closed)

    table = runner.invoke(app, ["triage", str(EXAMPLES)], env={"COLUMNS": "160"})
    assert f"({len(closed)} closed left out: --all shows them)" in table.stdout


def test_table_lists_tickets_and_counts() -> None:
    result = runner.invoke(app, ["triage", str(EXAMPLES)], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "Fix KeyError in cart total" in result.stdout
    assert "ready" in result.stdout and "needs-review" in result.stdout


def test_verdict_filter_keeps_only_that_verdict() -> None:
    rows = triage_json("--verdict", "blocked")
    assert rows and {row["verdict"] for row in rows} == {"blocked"}


def test_policy_file_changes_the_verdicts(tmp_path: Path) -> None:
    strict = tmp_path / "strict.yaml"
    strict.write_text("policy:\n  target_hours: 0.5\n")  # nothing fits in half an hour
    assert "ready" in {row["verdict"] for row in triage_json()}
    verdicts = {row["verdict"] for row in triage_json("--policy", str(strict))}
    assert "ready" not in verdicts and "too-large" in verdicts


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        ('[{"number": 1, "title": "ok"},\n {"number": 2, "title": ', "line 2"),
        ('[{"number": 1, "title": "ok"}, {"number": 2}]', "index 1"),
        ('{"number": 1, "title": "ok"}\n{"number": 2, "body": "no title"}\n', "line 2"),
    ],
    ids=["missing-file", "invalid-json", "array-item-without-title", "jsonl-line-without-title"],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, content: str | None, expected: str
) -> None:
    path = tmp_path / "export.json"
    if content is not None:
        path.write_text(content)
    result = runner.invoke(app, ["triage", str(path)])
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert "export.json" in message and expected in message
    assert "Traceback" not in result.output


def test_score_explains_every_finding_from_stdin() -> None:
    ticket = (
        "How do I make search faster?\n\nIt is slow. Maybe we should explore caching? Not sure.\n"
    )
    result = runner.invoke(app, ["score", "-"], input=ticket, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "needs-clarity" in out
    for dimension in ("size", "independence", "clarity", "safety"):
        assert dimension in out
    assert "→" in out  # each finding carries its suggestion
    assert "To make it ready" in out


def test_score_json_for_one_ticket_of_a_file() -> None:
    result = runner.invoke(app, ["score", str(EXAMPLES), "#105", "--json"])
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)
    assert row["verdict"] == "blocked"
    assert any(f["code"] == "open-blocker" for f in row["findings"])


def test_score_unknown_key_is_an_error() -> None:
    result = runner.invoke(app, ["score", str(EXAMPLES), "99999"])
    assert result.exit_code == 2
    assert "no ticket 99999" in result.stderr


def test_console_script_runs_from_a_fresh_process(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", "triage", str(EXAMPLES), "--json"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) >= 20


def test_a_ticket_assigned_in_the_export_is_not_ready(tmp_path: Path) -> None:
    tickets = json.loads(EXAMPLES.read_text(encoding="utf-8"))
    ready = {str(row["key"]) for row in triage_json() if row["verdict"] == "ready"}
    taken = next(t for t in tickets if f"acme/storefront#{t['number']}" in ready)
    taken["assignees"] = [{"login": "dana"}]
    export = tmp_path / "assigned.json"
    export.write_text(json.dumps(tickets), encoding="utf-8")
    result = runner.invoke(app, ["triage", str(export), "--json"])
    assert result.exit_code == 0, result.output
    row = next(r for r in json.loads(result.stdout) if r["key"].endswith(f"#{taken['number']}"))
    assert row["verdict"] == "blocked"
    finding = next(f for f in row["findings"] if f["code"] == "in-progress-elsewhere")
    assert "dana" in finding["message"]
