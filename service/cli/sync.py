"""`sync` and `labels ensure`: the tracker round trip from the command line."""

from __future__ import annotations

import dataclasses
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn

from service.cli.common import (
    ConfigOption,
    JsonOption,
    database,
    err,
    fail,
    handles_errors,
    load,
    out,
    print_json,
    shown,
)
from service.runtime.compose import comment_verdicts
from service.tickets.sources import resolve
from service.triage.sync import SyncReport, sync_source

labels_app = typer.Typer(help="Labels on the tracker.", no_args_is_help=True)


@handles_errors
def sync(
    source: Annotated[
        str, typer.Argument(help="A configured source name, github:OWNER/REPO, jira:KEY or a file.")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Write nothing (tracker or database); print the plan.")
    ] = False,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Pull what changed since the last sync, triage it, and write the labels back."""
    settings, policy = load(config)
    connector = resolve(settings, policy, source)
    with (
        database(settings, dry_run=dry_run) as sessions,
        Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("{task.completed} tickets"),
            console=err,
            transient=True,
            disable=as_json or not err.is_terminal,
        ) as progress,
    ):
        task = progress.add_task(f"Syncing {shown(connector.source)}", total=None)
        report = sync_source(
            sessions,
            connector,
            policy,
            dry_run=dry_run,
            comment_verdicts=comment_verdicts(settings),
            on_progress=lambda _result: progress.advance(task),
        )
    if as_json:
        print_json(dataclasses.asdict(report))
    else:
        print_sync_report(report, read_only=connector.read_only)
    if report.error:
        raise fail(report.error, 1)


def print_sync_report(report: SyncReport, *, read_only: bool) -> None:
    mode = " (dry run: nothing written)" if report.dry_run else ""
    out.print(
        f"[bold]{shown(report.source)}[/]{mode}: {report.seen} read, {report.changed} changed"
    )
    if report.newly_ready:
        out.print("[green]newly ready[/]: " + shown(", ".join(report.newly_ready)))
    if report.dropped:
        out.print("[yellow]left the queue[/]: " + shown(", ".join(report.dropped)))
    if report.label_changes:
        verb = "planned" if report.dry_run or read_only else "applied"
        out.print(f"label changes {verb}: {len(report.label_changes)}")
        for key, add, remove in report.label_changes:
            change = " ".join([*(f"+{a}" for a in add), *(f"-{r}" for r in remove)])
            out.print(f"  {shown(key)}  {shown(change)}")
        if read_only and not report.dry_run:
            out.print("  (this source is read-only: labels are planned, not written)")
    if report.comments_written:
        out.print(f"comments written: {report.comments_written}")
    cursor = report.cursor_after.isoformat() if report.cursor_after else "none"
    out.print(f"cursor: {cursor}")


@labels_app.command("ensure")
@handles_errors
def labels_ensure(
    source: Annotated[str, typer.Argument(help="A tracker source.")],
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Create the managed labels (with colour and description) where the tracker lacks them."""
    settings, policy = load(config)
    connector = resolve(settings, policy, source)
    if connector.read_only:
        raise fail(f"{connector.source}: a file source has no labels to create")
    created = connector.ensure_labels(policy.labels.specs())
    if as_json:
        print_json({"source": connector.source, "created": list(created)})
    elif created:
        out.print(f"{shown(connector.source)}: created " + shown(", ".join(created)))
    else:
        out.print(f"{shown(connector.source)}: every managed label exists")
