"""`queue`: list, batch, claim, heartbeat, release and complete, for agents and people."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy.orm import Session, sessionmaker

from service import db, queue
from service.cli.common import (
    EXIT_NOTHING_TO_DO,
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
from service.config import Settings
from service.runtime import compose
from service.scoring import Policy
from service.tickets.sources import SourceConnectors
from service.tickets.store import estimate_text
from service.triage.claims import show_claims

queue_app = typer.Typer(help="The ready queue: claim work for agents.", no_args_is_help=True)

LEASE_MAX = 7 * 24 * 3600  # a week, as the API allows
ID_MAX = 2**63 - 1  # the largest id a database row can have
LeaseOption = Annotated[
    int,
    typer.Option("--lease", help="Seconds the claim holds unless extended.", min=1, max=LEASE_MAX),
]
AgentOption = Annotated[str, typer.Option("--agent", help="The agent's name.")]
EntryArgument = Annotated[int, typer.Argument(help="The queue entry's id.", min=1, max=ID_MAX)]


def entry_row(entry: queue.QueueEntryView) -> dict[str, Any]:
    row = dataclasses.asdict(entry)
    row["state"] = str(entry.state)
    return row


def print_entries(entries: Sequence[queue.QueueEntryView], title: str) -> None:
    table = Table(title=title, title_justify="left")
    for column in ("id", "key", "title", "state", "agent", "overall", "estimate", "areas"):
        table.add_column(column, overflow="fold", max_width=44 if column == "title" else None)
    for e in entries:
        flag = " [red](brief outdated)[/]" if e.brief_outdated else ""
        table.add_row(
            str(e.id),
            shown(e.key),
            shown(e.title),
            f"{e.state}{flag}",
            shown(e.agent or ""),
            str(e.overall),
            estimate_text(e.estimate_hours),
            shown(", ".join(e.areas)),
        )
    out.print(table)


def answer(entry: queue.QueueEntryView, as_json: bool, line: str) -> None:
    """The entry as JSON (the API's fields), or one line for a person."""
    if as_json:
        print_json(entry_row(entry))
    else:
        out.print(line)


def tracker_follows(
    settings: Settings, policy: Policy, sessions: sessionmaker[Session], entry: queue.QueueEntryView
) -> None:
    """Show the entry's committed claim on its tracker (`ai:in-progress` on or
    off, `service.triage.claims`); a failure is a warning: the queue holds, and
    the next sync writes the labels."""
    sources = SourceConnectors(settings, policy)
    verdicts = compose.comment_verdicts(settings)
    for done in show_claims(sessions, sources, policy, [entry], comment_verdicts=verdicts):
        if done.error is not None:
            err.print(
                f"[yellow]warning:[/] the tracker's labels were not updated "
                f"({shown(str(done.error))}); the next sync retries"
            )


def in_transaction(
    run: Callable[[Session, datetime], Any], config: Path | None, *, on_tracker: bool = False
) -> Any:
    """Run a queue operation in one transaction on the configured database; with
    `on_tracker`, then show the claim of the entry it returns on its tracker
    (`ai:in-progress` on or off, `service.triage.claims`; a failure is a warning:
    the queue holds)."""
    settings, policy = load(config)
    with database(settings) as sessions:
        try:
            with sessions.begin() as session:
                result = run(session, db.utcnow())
        except queue.QueueError as exc:
            raise fail(str(exc), 2) from None
        if on_tracker and isinstance(result, queue.QueueEntryView):
            tracker_follows(settings, policy, sessions, result)
        return result


@queue_app.command("list")
@handles_errors
def queue_list(
    state: Annotated[
        queue.QueueState | None, typer.Option(help="Only entries in this state (default: open).")
    ] = None,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """The queue in the order it hands out work."""
    entries = in_transaction(lambda s, _now: queue.list_entries(s, state), config)
    if as_json:
        print_json([entry_row(e) for e in entries])
    else:
        print_entries(entries, f"{len(entries)} entries")


@queue_app.command("claim")
@handles_errors
def queue_claim(
    agent: AgentOption,
    lease: LeaseOption = 3600,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Claim the best ready entry that overlaps no claimed work (exit 3 when there is none)."""
    entry = in_transaction(
        lambda s, now: queue.claim_next(s, agent, lease, now), config, on_tracker=True
    )
    if entry is None:
        if as_json:
            print_json({"claimed": None})
        else:
            out.print("nothing to claim: the queue is empty or everything overlaps claimed work")
        raise typer.Exit(EXIT_NOTHING_TO_DO)
    if as_json:
        print_json(entry_row(entry))
    else:
        print_entries([entry], f"claimed by {shown(agent)}")


@queue_app.command("heartbeat")
@handles_errors
def queue_heartbeat(
    entry_id: EntryArgument,
    agent: AgentOption,
    lease: LeaseOption = 3600,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Extend a claim's lease."""
    entry = in_transaction(lambda s, now: queue.heartbeat(s, entry_id, agent, lease, now), config)
    until = entry.lease_expires_at.isoformat() if entry.lease_expires_at else "?"
    answer(entry, as_json, f"entry {entry_id}: lease extended to {until}")


@queue_app.command("release")
@handles_errors
def queue_release(
    entry_id: EntryArgument,
    agent: AgentOption,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Give a claimed entry back to the queue."""
    entry = in_transaction(
        lambda s, now: queue.release(s, entry_id, agent, now), config, on_tracker=True
    )
    answer(entry, as_json, f"entry {entry_id}: {entry.state}")


@queue_app.command("complete")
@handles_errors
def queue_complete(
    entry_id: EntryArgument,
    agent: AgentOption,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Mark a claimed entry done."""
    entry = in_transaction(
        lambda s, now: queue.complete(s, entry_id, agent, now), config, on_tracker=True
    )
    answer(entry, as_json, f"entry {entry_id}: {entry.state}")


@queue_app.command("batch")
@handles_errors
def queue_batch(
    n: Annotated[int, typer.Option("-n", help="How many entries.", min=1)] = 5,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """The best set of ready entries that share no code area: today's parallel work."""
    limit = load(config)[0].file.queue.max_unknown_area_in_batch
    entries = in_transaction(lambda s, now: queue.batch(s, n, now, max_unknown=limit), config)
    if as_json:
        print_json([entry_row(e) for e in entries])
    else:
        print_entries(entries, f"a batch of {len(entries)} for parallel agents")
