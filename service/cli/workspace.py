"""`start` and `finish`: one command each for an agent's piece of work.

`start` claims an entry, opens a git worktree for it on a branch of its own and
writes its rules file there; `finish` completes (or releases) the entry and
removes the worktree when nothing in it changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import typer
from sqlalchemy.orm import Session, sessionmaker

from service import db, queue, workspaces
from service.cli.common import (
    EXIT_NOTHING_TO_DO,
    ConfigOption,
    JsonOption,
    database,
    fail,
    handles_errors,
    load,
    out,
    print_json,
    shown,
)
from service.cli.queue import AgentOption, EntryArgument, LeaseOption, tracker_follows
from service.rules import FORMATS as RULES_FORMATS
from service.rules import briefs
from service.rules.briefs import Brief
from service.scoring import Policy
from service.tickets.store import find_keys, find_row
from service.untrusted import safe_url


def _entry_of_key(session: Session, key: str, source: str | None) -> int:
    """The id of the open entry of the ticket named `key`; QueueError when there is none."""
    matches = find_keys(session, key, source=source)
    if not matches:
        raise queue.QueueError(f"no stored ticket {key} (run `backlog-sync sync SOURCE` first)")
    if len(matches) > 1:
        names = ", ".join(f"{s} {k}" for s, k in matches)
        raise queue.QueueError(f"{key} matches several tickets ({names}); add --source")
    row = find_row(session, *matches[0])
    entry = queue.open_entry_for_ticket(session, row.id) if row is not None else None
    if entry is None:
        raise queue.QueueError(f"{matches[0][1]} has no open entry in the ready queue")
    return entry.id


def _claim(
    sessions: sessionmaker[Session],
    agent: str,
    key: str | None,
    source: str | None,
    lease: int,
    policy: Policy,
    project_rules: str | None,
) -> tuple[queue.QueueEntryView, Brief] | None:
    """Claim the entry and read its brief in one transaction: a ticket that gets no
    brief (it needs a safety review) is not left claimed."""
    try:
        with sessions.begin() as session:
            now = db.utcnow()
            if key is None:
                entry = queue.claim_next(session, agent, lease, now)
            else:
                entry_id = _entry_of_key(session, key, source)
                entry = queue.claim_entry(session, entry_id, agent, lease, now)
            if entry is None:
                return None
            brief = briefs.brief_for_entry(
                session, entry.id, policy, project_rules=project_rules, now=now
            )
            return entry, brief
    except queue.QueueError as exc:
        raise fail(str(exc)) from None
    except briefs.NeedsReviewError as exc:
        raise fail(f"{exc}; `start` claims no such ticket") from None


def _release(sessions: sessionmaker[Session], entry_id: int, agent: str) -> str:
    try:
        with sessions.begin() as session:
            queue.release(session, entry_id, agent, db.utcnow())
    except queue.QueueError as exc:
        return f"; releasing entry {entry_id} failed: {exc}"
    return f"; entry {entry_id} released"


@handles_errors
def start(
    agent: AgentOption,
    repo: Annotated[Path, typer.Option("--repo", help="The git repository to work in.")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=f"One of {', '.join(RULES_FORMATS)}, or all.")
    ] = "agents",
    key: Annotated[
        str | None,
        typer.Option("--key", help="Claim this ticket's entry (12, #12, owner/repo#12, PROJ-7)."),
    ] = None,
    source: Annotated[
        str | None, typer.Option(help="The ticket's source, when keys clash.")
    ] = None,
    workdir: Annotated[
        Path | None,
        typer.Option("--workdir", help="Where the worktree goes (default: beside the repo)."),
    ] = None,
    lease: LeaseOption = 3600,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Claim the next entry (or --key's), open a git worktree for it on a new branch
    ai/<key>-<title> and write its rules file there (exit 3 when there is nothing to claim).

    When the worktree cannot be made, the claim is released again (exit 2)."""
    if fmt != "all" and fmt not in RULES_FORMATS:
        raise fail(f"--format: unknown format {fmt!r}; use one of {', '.join(RULES_FORMATS)}, all")
    settings, policy = load(config)
    project_rules = briefs.read_project_rules(settings.file.rules.project_rules)
    root = workspaces.repository(repo)  # before claiming: not a repository, nothing claimed
    with database(settings) as sessions:
        claimed = _claim(sessions, agent, key, source, lease, policy, project_rules)
        if claimed is None:
            if as_json:
                print_json({"claimed": None})
            else:
                out.print(
                    "nothing to claim: the queue is empty or everything overlaps claimed work"
                )
            raise typer.Exit(EXIT_NOTHING_TO_DO)
        entry, brief = claimed
        try:
            workspace = workspaces.open_workspace(
                root,
                entry_id=entry.id,
                source=entry.source,
                key=entry.key,
                title=entry.title,
                files=brief.render_all() if fmt == "all" else [brief.render(fmt)],
                workdir=workdir,
            )
        except workspaces.WorkspaceError as exc:
            raise fail(f"{exc}{_release(sessions, entry.id, agent)}") from None
        tracker_follows(settings, policy, sessions, entry)
    lease_until = entry.lease_expires_at.isoformat() if entry.lease_expires_at else None
    if as_json:
        print_json(
            {
                "id": entry.id,
                "key": entry.key,
                "source": entry.source,
                "branch": workspace.branch,
                "worktree": str(workspace.path),
                "rules_files": [str(p) for p in workspace.rules_files],
                "team_files": [str(workspace.path / file) for file, _ in workspace.references],
                "lease_expires_at": lease_until,
            }
        )
        return
    out.print(f"claimed entry {entry.id}: {shown(entry.key)} {shown(entry.title)}")
    out.print(f"  worktree: {shown(str(workspace.path))}")
    out.print(f"  branch:   {shown(workspace.branch)}")
    for path in workspace.rules_files:
        out.print(f"  rules:    {shown(str(path))}")
    for file, brief_path in workspace.references:
        out.print(
            f"  the team's {shown(file)} is kept; it got one line pointing to {shown(brief_path)}"
        )
    out.print(f"  lease until {lease_until} (extend: backlog-sync queue heartbeat {entry.id})")
    out.print(f"open {shown(str(workspace.path))}; when done: backlog-sync finish {entry.id}")


def _checked_pr(pr: str | None) -> str | None:
    if pr is None:
        return None
    url = safe_url(pr)
    if url is None or not urlsplit(url).hostname:
        raise fail(f"--pr: {pr!r} is not an http(s) URL")
    return url


@handles_errors
def finish(
    entry_id: EntryArgument,
    agent: AgentOption,
    pr: Annotated[str | None, typer.Option("--pr", help="The pull request's URL.")] = None,
    release: Annotated[
        bool, typer.Option("--release", help="Give the entry back instead of completing it.")
    ] = False,
    repo: Annotated[
        Path | None,
        typer.Option("--repo", help="The repository the worktree belongs to (default: here)."),
    ] = None,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Complete a claimed entry (or --release it) and remove its worktree if nothing
    in it changed; a worktree with changes is kept, and the output says so."""
    pr_url = _checked_pr(pr)
    settings, policy = load(config)
    if repo is not None:
        found = workspaces.find_workspace(repo, entry_id)
    else:  # here: the worktree itself, or the repository it belongs to, or neither
        try:
            found = workspaces.find_workspace(Path.cwd(), entry_id)
        except workspaces.WorkspaceError:
            found = None
    with database(settings) as sessions:
        try:
            with sessions.begin() as session:
                now = db.utcnow()
                done = (queue.release if release else queue.complete)(session, entry_id, agent, now)
        except queue.QueueError as exc:
            raise fail(str(exc)) from None
        tracker_follows(settings, policy, sessions, done)
    if found is not None and (found.source, found.key) != (done.source, done.key):
        found = None  # a worktree of another database's entry of that id: not ours to remove
    closed = workspaces.close_workspace(found) if found is not None else None
    if as_json:
        print_json(_finished(done, pr_url, closed))
        return
    out.print(f"entry {entry_id}: {done.state} ({shown(done.key)})")
    if pr_url is not None:
        out.print(f"  pull request: {shown(pr_url)}")
    if closed is None:
        out.print("  no worktree of this entry found (use --repo to name the repository)")
    elif closed.removed:
        out.print(f"  worktree {shown(str(closed.path))} removed (its branch stays)")
    elif closed.reason is not None:
        out.print(f"  worktree {shown(str(closed.path))} kept: {shown(closed.reason)}")
    else:
        out.print(f"  worktree {shown(str(closed.path))} kept: it has changes")
        for change in closed.changes:
            out.print(f"    {shown(change)}")


def _finished(
    done: queue.QueueEntryView, pr_url: str | None, closed: workspaces.Closed | None
) -> dict[str, Any]:
    return {
        "id": done.id,
        "key": done.key,
        "source": done.source,
        "state": str(done.state),
        "pr": pr_url,
        "worktree": str(closed.path) if closed is not None else None,
        "worktree_removed": closed.removed if closed is not None else False,
        "worktree_changes": list(closed.changes) if closed is not None else [],
        "worktree_kept_because": closed.reason if closed is not None else None,
    }
