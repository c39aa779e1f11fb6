"""A workspace: a git worktree of the team's repository, on a branch of its own, for
one claimed queue entry, with the entry's rules files written into it.

`open_workspace` creates it. A small state file, `.backlog-sync/workspace.json`
(ignored by git through the repository's shared `info/exclude`), records the
entry and what we wrote, so that `find_workspace` finds the worktree again by
the entry's id among those `git worktree list` names. `close_workspace` undoes
what we wrote (the line in the team's rules file comes out, the files we wrote
are deleted, or put back as HEAD has them where we replaced one) and removes
the worktree when nothing else changed; a worktree with changes is kept.

Names come from slugs only: the branch `ai/<key-slug>-<title-slug>` and the
default directory `<repo-name>-<key-slug>` beside the repository hold ASCII
letters, digits and hyphens from the ticket, nothing else of it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slugify import slugify

from service.rules.files import BRIEF_DIR, UnsafePathError, inside, place, plan, remove_references
from service.rules.render import RulesFile
from service.workspaces import git
from service.workspaces.git import GitError, WorkspaceError

BRANCH_PREFIX = "ai/"
KEY_SLUG_MAX = 30
TITLE_SLUG_MAX = 40
STATE_PATH = f"{BRIEF_DIR}/workspace.json"
STATE_VERSION = 1


def key_slug(key: str) -> str:
    """`acme/web#12` -> `12`, `PROJ-7` -> `proj-7`: the key as a name, short."""
    number = key.rpartition("#")[2]
    return (
        slugify(number, max_length=KEY_SLUG_MAX)
        or slugify(key, max_length=KEY_SLUG_MAX)
        or "ticket"
    )


def branch_name(key: str, title: str) -> str:
    """`ai/12-fix-login`: the key's slug, then the title's, cut at a word (40 characters)."""
    title_slug = slugify(title, max_length=TITLE_SLUG_MAX, word_boundary=True)
    name = key_slug(key) + (f"-{title_slug}" if title_slug else "")
    return BRANCH_PREFIX + name


def default_workdir(repo: Path, key: str) -> Path:
    """Beside the repository: `~/src/storefront` -> `~/src/storefront-12`."""
    return repo.parent / f"{repo.name}-{key_slug(key)}"


@dataclass(frozen=True, slots=True)
class WrittenFile:
    """A file we wrote into the worktree: its path there, its SHA-256, and whether it
    replaced a file of the checkout (put back on close)."""

    path: str
    sha256: str
    replaced: bool


@dataclass(frozen=True, slots=True)
class Workspace:
    entry_id: int
    source: str
    key: str
    branch: str
    path: Path  # the worktree
    repo: Path  # the repository's main worktree
    files: tuple[WrittenFile, ...]
    references: tuple[tuple[str, str], ...]  # (the team's file, the brief it points to)

    @property
    def rules_files(self) -> list[Path]:
        """The rules files an agent reads, in the worktree."""
        return [self.path / f.path for f in self.files]


@dataclass(frozen=True, slots=True)
class Closed:
    """What closing did: the worktree removed, or kept (with what git still reports
    changed, or why removing failed)."""

    path: Path
    removed: bool
    changes: tuple[str, ...] = ()
    reason: str | None = None


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def repository(path: Path) -> Path:
    """The root of the git repository at `path`; WorkspaceError when it is none."""
    return git.toplevel(path.expanduser().absolute())


def _state(workspace: Workspace) -> dict[str, Any]:
    return {
        "backlog_sync_workspace": STATE_VERSION,
        "entry_id": workspace.entry_id,
        "source": workspace.source,
        "key": workspace.key,
        "branch": workspace.branch,
        "files": [
            {"path": f.path, "sha256": f.sha256, "replaced": f.replaced} for f in workspace.files
        ],
        "references": [{"file": file, "brief": brief} for file, brief in workspace.references],
    }


def _write_rules(
    path: Path, files: Sequence[RulesFile]
) -> tuple[list[WrittenFile], list[tuple[str, str]]]:
    """Write the files; what we wrote, and which team files point to which brief."""
    replaced = {p.path for p in plan(files, path) if p.target.exists()}
    written: dict[str, WrittenFile] = {}
    references: dict[tuple[str, str], None] = {}
    for p in place(files, path):
        written[p.path] = WrittenFile(p.path, _digest(p.target), p.path in replaced)
        if p.reference is not None:
            references[(p.reference, p.path)] = None
    return list(written.values()), list(references)


def open_workspace(
    repo: Path,
    *,
    entry_id: int,
    source: str,
    key: str,
    title: str,
    files: Sequence[RulesFile],
    workdir: Path | None = None,
) -> Workspace:
    """A new worktree of `repo` on a new branch named after the ticket, in `workdir`
    (default: beside the repository), with `files` written into it.

    WorkspaceError when `repo` is not a git repository, the branch or the
    directory exists already, or the files cannot be written (then the worktree
    and its branch are taken away again)."""
    root = repository(repo)
    branch = git.checked_branch(root, branch_name(key, title))
    path = (workdir.expanduser() if workdir is not None else default_workdir(root, key)).absolute()
    if path.exists() or path.is_symlink():
        raise WorkspaceError(f"{path} exists already; choose another --workdir")
    if git.branch_exists(root, branch):
        raise WorkspaceError(f"branch {branch} exists already in {root}")
    git.add_worktree(root, path, branch)
    try:
        git.exclude(path, f"/{BRIEF_DIR}/")
        written, references = _write_rules(path, files)
        workspace = Workspace(
            entry_id, source, key, branch, path, root, tuple(written), tuple(references)
        )
        state = inside(path, STATE_PATH)
        state.parent.mkdir(parents=True, exist_ok=True)
        state.write_text(json.dumps(_state(workspace), indent=2) + "\n", encoding="utf-8")
    except (OSError, UnsafePathError, GitError) as exc:
        with contextlib.suppress(GitError):
            git.remove_worktree(root, path, force=True)
            git.delete_branch(root, branch)
        raise WorkspaceError(f"cannot write the rules files into {path}: {exc}") from None
    return workspace


def _strings(value: Any, *names: str) -> bool:
    return isinstance(value, dict) and all(isinstance(value.get(n), str) for n in names)


def _read_state(worktree: Path, repo: Path) -> Workspace | None:
    """The workspace a worktree's state file describes; None when it has none we wrote."""
    try:
        data = json.loads((worktree / STATE_PATH).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not (
        _strings(data, "source", "key", "branch")
        and data.get("backlog_sync_workspace") == STATE_VERSION
        and type(data.get("entry_id")) is int
        and isinstance(data.get("files"), list)
        and isinstance(data.get("references"), list)
        and all(
            _strings(f, "path", "sha256") and isinstance(f.get("replaced"), bool)
            for f in data["files"]
        )
        and all(_strings(r, "file", "brief") for r in data["references"])
    ):
        return None
    return Workspace(
        entry_id=data["entry_id"],
        source=data["source"],
        key=data["key"],
        branch=data["branch"],
        path=worktree,
        repo=repo,
        files=tuple(WrittenFile(f["path"], f["sha256"], f["replaced"]) for f in data["files"]),
        references=tuple((r["file"], r["brief"]) for r in data["references"]),
    )


def find_workspace(repo: Path, entry_id: int) -> Workspace | None:
    """The workspace of a queue entry among the worktrees of `repo` (any of them), or
    None; WorkspaceError when `repo` is not a git repository."""
    trees = git.worktrees(repository(repo))
    main = trees[0].path if trees else repository(repo)
    for tree in trees[1:]:
        found = _read_state(tree.path, main)
        if found is not None and found.entry_id == entry_id:
            return found
    return None


def _prune_empty(directory: Path, root: Path) -> None:
    """Remove `directory` and its parents below `root` while they are empty."""
    while directory != root and directory.is_relative_to(root):
        try:
            directory.rmdir()
        except OSError:
            return
        directory = directory.parent


def _undo(workspace: Workspace) -> None:
    """Take out what we wrote: the team files' lines, our files, the state file."""
    root = workspace.path
    remove_references(root, [brief for _, brief in workspace.references])
    for written in workspace.files:
        target = inside(root, written.path)
        if not target.is_file() or _digest(target) != written.sha256:
            continue  # changed since we wrote it: the agent's work now
        if written.replaced:
            git.restore(root, written.path)
        else:
            target.unlink()
            _prune_empty(target.parent, root.resolve())
    state = inside(root, STATE_PATH)
    state.unlink(missing_ok=True)
    _prune_empty(state.parent, root.resolve())


def close_workspace(workspace: Workspace) -> Closed:
    """Undo what we wrote, then remove the worktree if git sees no other change (the
    branch stays); a worktree with changes is kept, and `changes` says which."""
    try:
        _undo(workspace)
        left = tuple(
            change
            for change in git.changes(workspace.path)
            if not change[3:].startswith(f"{BRIEF_DIR}/")
        )
        if left:
            return Closed(workspace.path, removed=False, changes=left)
        git.remove_worktree(workspace.repo, workspace.path)
    except (OSError, UnsafePathError, GitError) as exc:
        return Closed(workspace.path, removed=False, reason=str(exc))
    return Closed(workspace.path, removed=True)
