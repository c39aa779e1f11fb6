"""Workspaces on a real git repository: what closing puts back, and what it never touches."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from service.rules import RulesFile
from service.workspaces import (
    Workspace,
    WorkspaceError,
    branch_name,
    close_workspace,
    find_workspace,
    open_workspace,
)

OURS = "# Task for ticket `acme/web#12`\n\nBuild it.\n"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    path = tmp_path / "web"
    path.mkdir()
    git(path, "init", "-q")
    (path / "README.md").write_text("web\n")
    git(path, "add", ".")
    git(path, "commit", "-q", "-m", "init")
    return path


def open_one(repo: Path, files: list[RulesFile], title: str = "Fix login") -> Workspace:
    return open_workspace(
        repo,
        entry_id=7,
        source="github:acme/web",
        key="acme/web#12",
        title=title,
        files=files,
    )


@pytest.mark.parametrize(
    "title", ["refs/heads/main..HEAD@{1}~^:?*[\\", "-f --force", "Ünïcödé — 日本語", ".lock"]
)
def test_git_takes_every_branch_name_we_make(repo: Path, title: str) -> None:
    name = branch_name("acme/web#12", title)
    git(repo, "check-ref-format", "--branch", name)


def test_a_committed_file_we_generated_earlier_is_put_back(repo: Path) -> None:
    earlier = "# Task for ticket `acme/web#3`\n\nAn older brief, committed.\n"
    (repo / "AGENTS.md").write_text(earlier)
    git(repo, "add", "AGENTS.md")
    git(repo, "commit", "-q", "-m", "agents")

    workspace = open_one(repo, [RulesFile("agents", "AGENTS.md", OURS, slug="acme-web-12")])
    assert (workspace.path / "AGENTS.md").read_text() == OURS  # ours: overwritten
    assert find_workspace(repo, 7) == workspace
    assert find_workspace(workspace.path, 7) == workspace  # from inside it, too
    assert find_workspace(repo, 8) is None

    closed = close_workspace(workspace)
    assert closed.removed and not workspace.path.exists()


def test_a_file_the_agent_edited_is_kept(repo: Path) -> None:
    workspace = open_one(repo, [RulesFile("agents", "AGENTS.md", OURS, slug="acme-web-12")])
    (workspace.path / "AGENTS.md").write_text(OURS + "\nMy notes.\n")
    closed = close_workspace(workspace)
    assert not closed.removed and closed.changes == ("?? AGENTS.md",)
    assert (workspace.path / "AGENTS.md").read_text().endswith("My notes.\n")


def test_a_state_file_pointing_outside_the_worktree_touches_nothing(
    repo: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.md"
    victim.write_text(OURS)
    workspace = open_one(repo, [RulesFile("agents", "AGENTS.md", OURS, slug="acme-web-12")])
    state_file = workspace.path / ".backlog-sync" / "workspace.json"
    state = json.loads(state_file.read_text())
    state["files"] = [{**state["files"][0], "path": "../victim.md"}]
    state_file.write_text(json.dumps(state))

    tampered = find_workspace(repo, 7)
    assert tampered is not None
    closed = close_workspace(tampered)
    assert not closed.removed and closed.reason and "refusing" in closed.reason
    assert victim.read_text() == OURS
    assert workspace.path.is_dir()


def test_refusals_leave_no_worktree_and_no_branch(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="not a git repository"):
        open_one(tmp_path, [])
    unsafe = [RulesFile("agents", "../escape.md", OURS)]
    with pytest.raises(WorkspaceError, match="cannot write the rules files"):
        open_one(repo, unsafe)
    assert not (tmp_path / "escape.md").exists()
    assert git(repo, "worktree", "list", "--porcelain").count("worktree ") == 1
    assert git(repo, "branch", "--list", "ai/*") == ""
