"""`start` and `finish` on a real git repository and the embedded SQLite database."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from service.cli import app

runner = CliRunner()
TEAM_RULES = b"# Our rules\n\nTabs, not spaces.\n"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture
def repo(workdir: Path) -> Path:
    """A repository with the team's own CLAUDE.md, committed; the example backlog synced."""
    path = workdir / "storefront"
    path.mkdir()
    git(path, "init", "-q")
    (path / "CLAUDE.md").write_bytes(TEAM_RULES)
    (path / "README.md").write_text("storefront\n")
    git(path, "add", ".")
    git(path, "commit", "-q", "-m", "init")
    assert run("sync", "backlog.json").exit_code == 0
    return path


def run(*args: str) -> Result:
    return runner.invoke(app, list(args))


def json_of(*args: str, code: int = 0) -> Any:
    result = run(*args, "--json")
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


def entries(state: str | None = None) -> list[dict[str, Any]]:
    return json_of("queue", "list", *(["--state", state] if state else []))


def worktrees(repo: Path) -> list[str]:
    listed = git(repo, "worktree", "list", "--porcelain").splitlines()
    return [line.removeprefix("worktree ") for line in listed if line.startswith("worktree ")]


def one_error_line(result: Result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    return lines[0]


def test_start_opens_a_worktree_with_the_brief_and_finish_removes_it(repo: Path) -> None:
    started = json_of("start", "--agent", "a1", "--repo", str(repo), "--format", "claude")
    assert set(started) >= {
        "id",
        "key",
        "source",
        "branch",
        "worktree",
        "rules_files",
        "lease_expires_at",
    }
    tree = Path(started["worktree"])
    number = started["key"].rpartition("#")[2]
    assert tree == repo.parent / f"storefront-{number}"
    assert started["branch"].startswith(f"ai/{number}-")
    assert str(tree) in worktrees(repo)
    assert git(tree, "branch", "--show-current").strip() == started["branch"]

    (brief,) = (Path(p) for p in started["rules_files"])
    assert brief.parent == tree / ".backlog-sync" and brief.is_file()
    assert brief.read_text(encoding="utf-8").startswith("# Task for ticket")
    relative = brief.relative_to(tree).as_posix()
    assert (tree / "CLAUDE.md").read_bytes() == f"@{relative}\n".encode() + TEAM_RULES
    # our files are ignored by git; the team's file shows our one line only
    assert git(tree, "status", "--porcelain") == " M CLAUDE.md\n"

    (claimed,) = [e for e in entries() if e["id"] == started["id"]]
    assert claimed["state"] == "claimed" and claimed["agent"] == "a1"

    pr = "https://github.com/acme/storefront/pull/9"
    finished = json_of(
        "finish", str(started["id"]), "--agent", "a1", "--repo", str(repo), "--pr", pr
    )
    assert finished["state"] == "done" and finished["pr"] == pr
    assert finished["worktree_removed"] is True and finished["worktree"] == str(tree)
    assert not tree.exists() and str(tree) not in worktrees(repo)
    assert started["id"] not in {e["id"] for e in entries()}
    assert started["id"] in {e["id"] for e in entries("done")}
    assert started["branch"] in git(repo, "branch", "--list", started["branch"])  # it stays
    assert (repo / "CLAUDE.md").read_bytes() == TEAM_RULES


def test_a_worktree_with_changes_is_kept_and_reported(repo: Path) -> None:
    started = json_of("start", "--agent", "a1", "--repo", str(repo), "--format", "all")
    tree = Path(started["worktree"])
    (tree / "notes.txt").write_text("the agent's work\n")

    result = run("finish", str(started["id"]), "--agent", "a1", "--repo", str(repo))
    assert result.exit_code == 0, result.output
    assert "kept: it has changes" in result.stdout and "notes.txt" in result.stdout
    assert tree.is_dir() and str(tree) in worktrees(repo)
    # what we wrote is gone again; the team's file is as it was, byte for byte
    assert git(tree, "status", "--porcelain", "--untracked-files=all") == "?? notes.txt\n"
    assert (tree / "CLAUDE.md").read_bytes() == TEAM_RULES
    assert not (tree / ".backlog-sync").exists() and not (tree / "AGENTS.md").exists()


def test_start_claims_the_named_ticket_with_key(repo: Path) -> None:
    wanted = entries()[-1]
    number = wanted["key"].rpartition("#")[2]
    started = json_of("start", "--agent", "a1", "--repo", str(repo), "--key", number)
    assert started["id"] == wanted["id"] and started["key"] == wanted["key"]
    assert Path(started["rules_files"][0]) == Path(started["worktree"]) / "AGENTS.md"

    again = run("start", "--agent", "a2", "--repo", str(repo), "--key", number)
    assert "not ready" in one_error_line(again)
    assert "no stored ticket" in one_error_line(
        run("start", "--agent", "a2", "--repo", str(repo), "--key", "424242")
    )


def test_start_with_nothing_to_claim_exits_3(repo: Path) -> None:
    while run("queue", "claim", "--agent", "greedy").exit_code == 0:
        pass
    assert json_of("start", "--agent", "late", "--repo", str(repo), code=3) == {"claimed": None}
    assert worktrees(repo) == [str(repo)]


def test_start_outside_a_repository_claims_nothing(repo: Path, workdir: Path) -> None:
    (workdir / "plain").mkdir()
    for path in (workdir / "plain", Path("/not/a/repo")):
        result = run("start", "--agent", "a1", "--repo", str(path))
        assert "not a" in one_error_line(result)
    assert all(e["state"] == "ready" for e in entries())


def test_a_worktree_that_cannot_be_made_releases_the_claim(repo: Path, workdir: Path) -> None:
    taken = workdir / "taken"
    taken.mkdir()
    result = run("start", "--agent", "a1", "--repo", str(repo), "--workdir", str(taken))
    line = one_error_line(result)
    assert "exists already" in line and "released" in line
    assert all(e["state"] == "ready" for e in entries())
    assert list(taken.iterdir()) == []

    # a branch left from earlier: released too
    started = json_of("start", "--agent", "a1", "--repo", str(repo))
    released = json_of(
        "finish", str(started["id"]), "--agent", "a1", "--release", "--repo", str(repo)
    )
    assert released["state"] == "ready" and released["worktree_removed"] is True
    number = started["key"].rpartition("#")[2]
    result = run("start", "--agent", "a1", "--repo", str(repo), "--key", number)
    line = one_error_line(result)
    assert f"branch {started['branch']} exists already" in line and "released" in line
    assert all(e["state"] == "ready" for e in entries())
    assert worktrees(repo) == [str(repo)]


def test_finish_refuses_a_bad_pr_url_and_another_agents_entry(repo: Path) -> None:
    started = json_of("start", "--agent", "a1", "--repo", str(repo))
    entry = str(started["id"])
    assert "--pr" in one_error_line(run("finish", entry, "--agent", "a1", "--pr", "javascript:x"))
    assert "not claimed by" in one_error_line(
        run("finish", entry, "--agent", "a2", "--repo", str(repo))
    )
    assert Path(started["worktree"]).is_dir()  # nothing was touched
    assert [e["state"] for e in entries() if e["id"] == started["id"]] == ["claimed"]


def test_rules_out_keeps_the_team_file_and_adds_one_line(repo: Path) -> None:
    key = entries()[0]["key"]
    for _ in range(2):
        written = json_of("rules", key, "--format", "claude", "--out", str(repo))
    (file,) = written["files"]
    assert file["team_file"] == str(repo / "CLAUDE.md")
    brief = Path(file["written"]).relative_to(repo).as_posix()
    assert (repo / "CLAUDE.md").read_bytes() == f"@{brief}\n".encode() + TEAM_RULES
