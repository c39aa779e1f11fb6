"""The few git commands a workspace needs, run as `git` with a list of arguments.

Never through a shell: no argument is ever parsed by one, and branch names
reach git only after `git check-ref-format --branch` accepted them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


class WorkspaceError(Exception):
    """A workspace that cannot be set up or found as asked (one line)."""


class GitError(WorkspaceError):
    """A git command failed; the message is git's first line of complaint."""


def _git() -> str:
    found = shutil.which("git")
    if found is None:
        raise GitError("git is not installed (or not on PATH)")
    return found


def run(cwd: Path, *args: str) -> str:
    """Run `git ARGS` in `cwd`; its standard output, or GitError."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(  # noqa: S603 - a list of arguments, no shell
            [_git(), *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as exc:
        raise GitError(f"git {args[0]}: {exc.strerror}") from None
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        reason = next((line for line in lines if line.startswith("fatal:")), None)
        reason = reason or (lines[0] if lines else f"exit status {done.returncode}")
        raise GitError(f"git {args[0]}: {reason.removeprefix('fatal: ')}")
    return done.stdout


def toplevel(path: Path) -> Path:
    """The root of the work tree that holds `path`; WorkspaceError when there is none."""
    if not path.is_dir():
        raise WorkspaceError(f"{path}: not a directory")
    try:
        out = run(path, "rev-parse", "--show-toplevel")
    except GitError:
        raise WorkspaceError(f"{path}: not a git repository") from None
    return Path(out.strip()).resolve()


def common_dir(worktree: Path) -> Path:
    """The git directory every worktree of the repository shares."""
    out = run(worktree, "rev-parse", "--git-common-dir").strip()
    return (worktree / out).resolve()


def checked_branch(repo: Path, name: str) -> str:
    """`name` when git takes it as a branch name; WorkspaceError otherwise."""
    try:
        run(repo, "check-ref-format", "--branch", name)
    except GitError:
        raise WorkspaceError(f"{name!r} is not a valid branch name") from None
    return name


def branch_exists(repo: Path, branch: str) -> bool:
    try:
        run(repo, "show-ref", "--verify", "--quiet", f"refs/heads/{branch}")
    except GitError:
        return False
    return True


def add_worktree(repo: Path, path: Path, branch: str) -> None:
    """A new worktree at `path` on a new branch `branch`, from the repository's HEAD."""
    run(repo, "worktree", "add", "-b", branch, "--", str(path), "HEAD")


def remove_worktree(repo: Path, path: Path, *, force: bool = False) -> None:
    """Remove a worktree; git refuses one with changes unless `force`."""
    run(repo, "worktree", "remove", *(["--force"] if force else []), "--", str(path))


def delete_branch(repo: Path, branch: str) -> None:
    run(repo, "branch", "-D", "--", branch)


def restore(worktree: Path, path: str) -> None:
    """Put a file back as HEAD has it."""
    run(worktree, "checkout", "HEAD", "--", path)


@dataclass(frozen=True, slots=True)
class Worktree:
    path: Path
    branch: str | None  # None when detached


def worktrees(repo: Path) -> list[Worktree]:
    """Every worktree of the repository, the main one first."""
    found: list[Worktree] = []
    path: Path | None = None
    branch: str | None = None
    for line in [*run(repo, "worktree", "list", "--porcelain").splitlines(), ""]:
        if line.startswith("worktree "):
            path, branch = Path(line.removeprefix("worktree ")), None
        elif line.startswith("branch "):
            branch = line.removeprefix("branch ").removeprefix("refs/heads/")
        elif not line and path is not None:
            found.append(Worktree(path, branch))
            path = None
    return found


def changes(worktree: Path) -> list[str]:
    """What `git status` reports in the worktree, one `XY path` per changed file
    (each untracked file named, ignored files left out)."""
    out = run(worktree, "status", "--porcelain=v1", "-z", "--untracked-files=all")
    entries = out.split("\0")
    found: list[str] = []
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if not entry:
            continue
        found.append(entry)
        if entry[:1] in ("R", "C"):
            i += 1  # a rename's or copy's original path follows
    return found


def exclude(worktree: Path, pattern: str) -> None:
    """Have git ignore `pattern` in every worktree of the repository (`info/exclude`)."""
    info = common_dir(worktree) / "info"
    info.mkdir(parents=True, exist_ok=True)
    target = info / "exclude"
    text = target.read_text(encoding="utf-8") if target.is_file() else ""
    if pattern in text.splitlines():
        return
    separator = "" if not text or text.endswith("\n") else "\n"
    with target.open("a", encoding="utf-8") as file:
        file.write(f"{separator}{pattern}\n")
