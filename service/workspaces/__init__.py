"""Workspaces: a git worktree per claimed queue entry, on a branch named after the
ticket, with the entry's rules files in it; taken away again when the work is done.
"""

from service.workspaces.git import GitError, WorkspaceError
from service.workspaces.workspace import (
    Closed,
    Workspace,
    branch_name,
    close_workspace,
    default_workdir,
    find_workspace,
    key_slug,
    open_workspace,
    repository,
)

__all__ = [
    "Closed",
    "GitError",
    "Workspace",
    "WorkspaceError",
    "branch_name",
    "close_workspace",
    "default_workdir",
    "find_workspace",
    "key_slug",
    "open_workspace",
    "repository",
]
