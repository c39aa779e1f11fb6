"""The `backlog-sync` command line: thin, like api/ — parse, call a service function, print.

Errors a user can fix (a bad file, a bad config, an unknown source) print one
line on stderr and exit 2; tracker failures exit 1. No tracebacks.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from sqlalchemy.orm import Session, sessionmaker

from connectors import UnknownSourceError
from connectors.base import Ticket, TrackerError
from connectors.files import SourceFileError
from service import briefs, db, queue, sources
from service.config import ConfigError, Settings, load_settings
from service.rules import FORMATS as RULES_FORMATS
from service.rules import write as write_rules
from service.scoring import Assessment, Policy, Verdict, assess, assess_backlog, backlog_context
from service.scoring.policy import PolicyError, load_policy
from service.sync import SyncReport, sync_source

PROGRESS_THRESHOLD = 200  # show a progress bar past this many tickets

app = typer.Typer(
    name="backlog-sync",
    help="Score tracker tickets for AI-readiness and keep a ready queue for coding agents.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

P = ParamSpec("P")
R = TypeVar("R")

USER_ERRORS: tuple[type[Exception], ...] = (
    SourceFileError,
    ConfigError,
    PolicyError,
    sources.SourceError,
    UnknownSourceError,
    briefs.BriefError,
    db.SchemaError,
)


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {escape(message)}")
    return typer.Exit(code)


def handles_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn the errors a user can act on into one line on stderr and an exit code."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except USER_ERRORS as exc:
            raise fail(str(exc), 2) from None
        except TrackerError as exc:
            raise fail(str(exc), 1) from None

    return wrapper


def settings_from(config: Path | None) -> Settings:
    return load_settings(config)


def policy_from(settings: Settings, policy_file: Path | None) -> Policy:
    return load_policy(policy_file) if policy_file is not None else settings.policy


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr for long runs; silent for short ones."""
    if total < PROGRESS_THRESHOLD or not err.is_terminal:
        yield lambda _done: None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task(label, total=total)
        yield lambda done: progress.update(task, completed=done)


def load_all(settings: Settings, source: str) -> list[Ticket]:
    connector = sources.resolve(settings, source)
    with err.status(f"Reading {escape(source)}…") if err.is_terminal else _nothing():
        return list(connector.fetch_changed(None))


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def assessment_row(ticket: Ticket, assessment: Assessment) -> dict[str, Any]:
    """The JSON shape of one assessed ticket (`triage --json`, the API)."""
    row: dict[str, Any] = {"key": ticket.key, "title": ticket.title, "url": ticket.url}
    row.update(assessment.as_dict())
    return row


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


VERDICT_STYLE = {
    Verdict.READY: "green",
    Verdict.NEEDS_CLARITY: "yellow",
    Verdict.TOO_LARGE: "magenta",
    Verdict.BLOCKED: "blue",
    Verdict.NEEDS_REVIEW: "red",
}


VERDICT_ORDER = {v: i for i, v in enumerate(VERDICT_STYLE)}


def hours(assessment: Assessment) -> str:
    low, high = assessment.estimate.low, assessment.estimate.high
    return f"{low:.0f}-{high:.0f}" if high < 100 else f"{low:.0f}+"


ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config", "-c", help="YAML config (default: $BACKLOG_SYNC_CONFIG or ./backlog-sync.yaml)."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


@app.command()
@handles_errors
def triage(
    source: Annotated[
        str,
        typer.Argument(
            help="file:PATH, a path, github:OWNER/REPO, jira:KEY or a configured source name."
        ),
    ],
    as_json: JsonOption = False,
    verdict: Annotated[
        list[Verdict] | None,
        typer.Option("--verdict", help="Only tickets with this verdict (repeatable)."),
    ] = None,
    policy_file: Annotated[
        Path | None, typer.Option("--policy", help="A YAML policy overriding the defaults.")
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Score every ticket of a source and show the verdicts (nothing is stored or written)."""
    settings = settings_from(config)
    policy = policy_from(settings, policy_file)
    tickets = load_all(settings, source)
    with progress_bar(len(tickets), "Scoring") as advance:
        assessments = assess_backlog(tickets, policy, on_progress=advance)
    wanted = set(verdict or ())
    pairs = [
        (t, a)
        for t, a in zip(tickets, assessments, strict=True)
        if not wanted or a.verdict in wanted
    ]
    if as_json:
        print_json([assessment_row(t, a) for t, a in pairs])
        return
    pairs.sort(key=lambda pair: (VERDICT_ORDER[pair[1].verdict], -pair[1].overall))
    prefix = common_key_prefix([t.key for t, _ in pairs])
    caption = f"{len(pairs)} of {len(tickets)} tickets" + (f" in {prefix[:-1]}" if prefix else "")
    table = Table(title=escape(caption), title_justify="left", expand=False)
    table.add_column("key", no_wrap=True)
    table.add_column("title", ratio=3, overflow="fold")
    table.add_column("verdict", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True, min_width=5)
    table.add_column("hours", justify="right", no_wrap=True, min_width=5)
    table.add_column("top missing item", ratio=4, overflow="fold")
    for ticket, assessment in pairs:
        style = VERDICT_STYLE[assessment.verdict]
        table.add_row(
            escape(ticket.key.removeprefix(prefix[:-1]) if prefix else ticket.key),
            escape(ticket.title),
            f"[{style}]{assessment.verdict}[/]",
            str(assessment.overall),
            hours(assessment),
            escape(assessment.missing[0]) if assessment.missing else "",
        )
    out.print(table)
    counts: dict[Verdict, int] = {}
    for assessment in assessments:
        counts[assessment.verdict] = counts.get(assessment.verdict, 0) + 1
    out.print(", ".join(f"{counts[v]} {v}" for v in sorted(counts, key=VERDICT_ORDER.__getitem__)))


def common_key_prefix(keys: Sequence[str]) -> str:
    """`owner/repo#` when every key is `owner/repo#N`, so the table can show `#N`."""
    prefixes = {key.rpartition("#")[0] + "#" for key in keys if "#" in key}
    if len(prefixes) == 1 and all("#" in key for key in keys):
        prefix = prefixes.pop()
        return prefix if prefix != "#" else ""
    return ""


def ticket_from_markdown(text: str) -> Ticket:
    """A ticket typed on stdin: the first line is the title, the rest the body."""
    lines = text.lstrip("\ufeff").splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise SourceFileError("stdin: empty input (the first line is the ticket's title)")
    title = lines[0].strip().lstrip("#").strip()
    return Ticket(source="stdin", key="-", title=title, body="\n".join(lines[1:]).strip())


def find_ticket(tickets: Sequence[Ticket], key: str) -> Ticket | None:
    wanted = key.strip()
    for ticket in tickets:
        if ticket.key == wanted:
            return ticket
    number = wanted.lstrip("#")
    for ticket in tickets:
        if number.isdigit() and ticket.key.rpartition("#")[2] == number:
            return ticket
    return None


def print_assessment(ticket: Ticket, assessment: Assessment) -> None:
    style = VERDICT_STYLE[assessment.verdict]
    out.print(f"[bold]{escape(ticket.key)}[/] {escape(ticket.title)}")
    if ticket.url:
        out.print(escape(ticket.url))
    out.print(
        f"verdict [{style}]{assessment.verdict}[/]  overall {assessment.overall}  "
        f"estimate {hours(assessment)} ({assessment.estimate.basis})"
    )
    if assessment.skipped:
        out.print("labelled to be skipped: backlog-sync never touches it")
    if assessment.areas:
        out.print("code areas: " + escape(", ".join(assessment.areas)))
    if assessment.blockers:
        out.print("open blockers: " + escape(", ".join(assessment.blockers)))
    for name, dim in assessment.dimensions.items():
        out.print(f"\n[bold]{name}[/] {dim.score}/100")
        if not dim.findings:
            out.print("  nothing lost")
        for finding in dim.findings:
            mark = " [red](decides the verdict)[/]" if finding.blocking else ""
            out.print(f"  -{finding.points:>3}  {finding.code}{mark}: {escape(finding.message)}")
            out.print(f"        → {escape(finding.suggestion)}")
    if assessment.missing:
        out.print("\n[bold]To make it ready[/]")
        for line in assessment.missing:
            out.print(f"  • {escape(line)}")


@app.command()
@handles_errors
def score(
    source: Annotated[
        str,
        typer.Argument(
            help="A source (as for triage), or - to read one ticket as Markdown from stdin."
        ),
    ],
    key: Annotated[
        str | None, typer.Argument(help="The ticket's key (e.g. 12, #12, PROJ-7).")
    ] = None,
    as_json: JsonOption = False,
    policy_file: Annotated[Path | None, typer.Option("--policy", help="A YAML policy.")] = None,
    config: ConfigOption = None,
) -> None:
    """Explain one ticket's score: every dimension, finding and suggestion."""
    settings = settings_from(config)
    policy = policy_from(settings, policy_file)
    if source == "-":
        ticket = ticket_from_markdown(sys.stdin.read())
        assessment = assess(ticket, policy=policy)
    else:
        if key is None:
            raise fail("give the ticket's KEY after the source (or use `score -` with stdin)")
        tickets = load_all(settings, source)
        found = find_ticket(tickets, key)
        if found is None:
            raise fail(f"{source}: no ticket {key}")
        ticket = found
        assessment = assess(ticket, backlog_context(tickets), policy)
    if as_json:
        print_json(assessment_row(ticket, assessment))
    else:
        print_assessment(ticket, assessment)


db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
@handles_errors
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
    config: ConfigOption = None,
) -> None:
    """Migrate the database (BACKLOG_SYNC_DATABASE_URL) to the newest schema."""
    settings = settings_from(config)
    engine = db.make_engine(settings.database_url)
    try:
        before = db.current_revision(engine)
        db.upgrade(engine, revision)
        after = db.current_revision(engine)
    finally:
        engine.dispose()
    where = db.safe_url(settings.database_url)
    if before == after:
        out.print(f"{escape(where)}: already at {after}")
    else:
        out.print(f"{escape(where)}: {before or 'empty'} -> {after}")


@db_app.command("current")
@handles_errors
def db_current(config: ConfigOption = None) -> None:
    """Show the database's schema revision and whether it is the newest."""
    settings = settings_from(config)
    engine = db.make_engine(settings.database_url)
    try:
        current = db.current_revision(engine)
    finally:
        engine.dispose()
    head = db.head_revision()
    state = "up to date" if current == head else f"behind (newest is {head})"
    out.print(f"{escape(db.safe_url(settings.database_url))}: {current or 'empty'}, {state}")


# --- database-backed commands ------------------------------------------------------


@contextmanager
def database(settings: Settings) -> Iterator[sessionmaker[Session]]:
    """Sessions on the configured database, its schema checked (SQLite migrates itself)."""
    engine = db.make_engine(settings.database_url)
    try:
        db.ensure_schema(engine)
        yield db.make_sessionmaker(engine)
    finally:
        engine.dispose()


def utcnow() -> datetime:
    return datetime.now(UTC)


@app.command()
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
    settings = settings_from(config)
    connector = sources.resolve(settings, source)
    with (
        database(settings) as sessions,
        Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("{task.completed} tickets"),
            console=err,
            transient=True,
            disable=as_json or not err.is_terminal,
        ) as progress,
    ):
        task = progress.add_task(f"Syncing {escape(connector.source)}", total=None)
        report = sync_source(
            sessions,
            connector,
            settings.policy,
            dry_run=dry_run,
            comment_verdicts=settings.file.comments.verdicts,
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
        f"[bold]{escape(report.source)}[/]{mode}: {report.seen} read, {report.changed} changed"
    )
    if report.newly_ready:
        out.print("[green]newly ready[/]: " + escape(", ".join(report.newly_ready)))
    if report.dropped:
        out.print("[yellow]left the queue[/]: " + escape(", ".join(report.dropped)))
    if report.label_changes:
        verb = "planned" if report.dry_run or read_only else "applied"
        out.print(f"label changes {verb}: {len(report.label_changes)}")
        for key, add, remove in report.label_changes:
            change = " ".join([*(f"+{a}" for a in add), *(f"-{r}" for r in remove)])
            out.print(f"  {escape(key)}  {escape(change)}")
        if read_only and not report.dry_run:
            out.print("  (this source is read-only: labels are planned, not written)")
    if report.comments_written:
        out.print(f"comments written: {report.comments_written}")
    cursor = report.cursor_after.isoformat() if report.cursor_after else "none"
    out.print(f"cursor: {cursor}")


queue_app = typer.Typer(help="The ready queue: claim work for agents.", no_args_is_help=True)
app.add_typer(queue_app, name="queue")

LeaseOption = Annotated[
    int, typer.Option("--lease", help="Seconds the claim holds unless extended.", min=1)
]
AgentOption = Annotated[str, typer.Option("--agent", help="The agent's name.")]
EntryArgument = Annotated[int, typer.Argument(help="The queue entry's id.")]
QUEUE_ERRORS = (queue.QueueError,)


def entry_row(entry: queue.QueueEntryView) -> dict[str, Any]:
    row = dataclasses.asdict(entry)
    row["state"] = str(entry.state)
    return row


def print_entries(entries: Sequence[queue.QueueEntryView], title: str) -> None:
    table = Table(title=title, title_justify="left")
    for column in ("id", "key", "title", "state", "agent", "overall", "estimate", "areas"):
        table.add_column(column, overflow="fold", max_width=44 if column == "title" else None)
    for e in entries:
        low, high = e.estimate_hours
        flag = " [red](brief outdated)[/]" if e.brief_outdated else ""
        table.add_row(
            str(e.id),
            escape(e.key),
            escape(e.title),
            f"{e.state}{flag}",
            escape(e.agent or ""),
            str(e.overall),
            f"{low:.0f}-{high:.0f} h",
            escape(", ".join(e.areas)),
        )
    out.print(table)


def queue_command(
    run: Callable[[Session, datetime], Any], config: Path | None, as_json: bool
) -> Any:
    settings = settings_from(config)
    with database(settings) as sessions:
        try:
            with sessions.begin() as session:
                return run(session, utcnow())
        except queue.QueueError as exc:
            raise fail(str(exc), 2) from None


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
    entries = queue_command(lambda s, _now: queue.list_entries(s, state), config, as_json)
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
    """Claim the best ready entry that overlaps no claimed work."""
    entry = queue_command(lambda s, now: queue.claim_next(s, agent, lease, now), config, as_json)
    if as_json:
        print_json(entry_row(entry) if entry else None)
    elif entry is None:
        out.print("nothing to claim: the queue is empty or everything overlaps claimed work")
    else:
        print_entries([entry], f"claimed by {escape(agent)}")


@queue_app.command("heartbeat")
@handles_errors
def queue_heartbeat(
    entry_id: EntryArgument,
    agent: AgentOption,
    lease: LeaseOption = 3600,
    config: ConfigOption = None,
) -> None:
    """Extend a claim's lease."""
    entry = queue_command(
        lambda s, now: queue.heartbeat(s, entry_id, agent, lease, now), config, False
    )
    until = entry.lease_expires_at.isoformat() if entry.lease_expires_at else "?"
    out.print(f"entry {entry_id}: lease extended to {until}")


@queue_app.command("release")
@handles_errors
def queue_release(entry_id: EntryArgument, agent: AgentOption, config: ConfigOption = None) -> None:
    """Give a claimed entry back to the queue."""
    entry = queue_command(lambda s, now: queue.release(s, entry_id, agent, now), config, False)
    out.print(f"entry {entry_id}: {entry.state}")


@queue_app.command("complete")
@handles_errors
def queue_complete(
    entry_id: EntryArgument, agent: AgentOption, config: ConfigOption = None
) -> None:
    """Mark a claimed entry done."""
    entry = queue_command(lambda s, now: queue.complete(s, entry_id, agent, now), config, False)
    out.print(f"entry {entry_id}: {entry.state}")


@queue_app.command("batch")
@handles_errors
def queue_batch(
    n: Annotated[int, typer.Option("-n", help="How many entries.", min=1)] = 5,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """The best set of ready entries that share no code area: today's parallel work."""
    entries = queue_command(lambda s, now: queue.batch(s, n, now), config, as_json)
    if as_json:
        print_json([entry_row(e) for e in entries])
    else:
        print_entries(entries, f"a batch of {len(entries)} for parallel agents")


@app.command()
@handles_errors
def rules(
    key: Annotated[str, typer.Argument(help="The ticket's key (12, #12, owner/repo#12, PROJ-7).")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=f"One of {', '.join(RULES_FORMATS)}, or all.")
    ] = "agents",
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Write at the conventional path inside DIR.")
    ] = None,
    source: Annotated[
        str | None, typer.Option(help="The ticket's source, when keys clash.")
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Render a stored ticket's rules file for an agent (print it, or write it into --out DIR)."""
    if fmt != "all" and fmt not in RULES_FORMATS:
        raise fail(f"--format: unknown format {fmt!r}; use one of {', '.join(RULES_FORMATS)}, all")
    settings = settings_from(config)
    project_rules = briefs.read_project_rules(settings.file.rules.project_rules)
    with database(settings) as sessions, sessions() as session:
        matches = briefs.find_keys(session, key)
        if source is not None:
            matches = [m for m in matches if m[0] == source]
        if not matches:
            raise fail(f"no stored ticket {key} (run `backlog-sync sync SOURCE` first)")
        if len(matches) > 1:
            names = ", ".join(f"{s} {k}" for s, k in matches)
            raise fail(f"{key} matches several tickets ({names}); add --source")
        brief = briefs.brief_for_ticket(
            session, *matches[0], settings.policy, project_rules=project_rules, now=utcnow()
        )
    files = brief.render_all() if fmt == "all" else [brief.render(fmt)]
    if out_dir is None:
        for rendered in files:
            if len(files) > 1:
                sys.stdout.write(f"==> {rendered.path} <==\n")
            sys.stdout.write(
                rendered.content if rendered.content.endswith("\n") else rendered.content + "\n"
            )
        return
    for path in write_rules(files, out_dir):
        out.print(f"wrote {escape(str(path))}")


labels_app = typer.Typer(help="Labels on the tracker.", no_args_is_help=True)
app.add_typer(labels_app, name="labels")


@labels_app.command("ensure")
@handles_errors
def labels_ensure(
    source: Annotated[str, typer.Argument(help="A tracker source.")], config: ConfigOption = None
) -> None:
    """Create the managed labels (with colour and description) where the tracker lacks them."""
    settings = settings_from(config)
    connector = sources.resolve(settings, source)
    if connector.read_only:
        raise fail(f"{connector.source}: a file source has no labels to create")
    created = connector.ensure_labels(settings.policy.labels.specs())
    if created:
        out.print(f"{escape(connector.source)}: created " + escape(", ".join(created)))
    else:
        out.print(f"{escape(connector.source)}: every managed label exists")


DIGEST_FORMATS = ("md", "html", "slack", "json")


@app.command("digest")
@handles_errors
def digest_command(
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, html, slack or json.")] = "md",
    send: Annotated[
        bool, typer.Option("--send", help="Store it and deliver it to the configured channels.")
    ] = False,
    config: ConfigOption = None,
) -> None:
    """The ready-for-AI digest: print it, or --send it to the configured channels."""
    from service import digest

    if fmt not in DIGEST_FORMATS:
        raise fail(f"--format: unknown format {fmt!r}; use one of {', '.join(DIGEST_FORMATS)}")
    settings = settings_from(config)
    digest_config = digest.config_from_settings(settings)
    with database(settings) as sessions:
        if not send:
            with sessions() as session:
                built = digest.build(session, digest_config, utcnow())
            sys.stdout.write(digest.render(built, fmt).rstrip("\n") + "\n")
            return
        result = digest.run(sessions, digest_config, utcnow())  # owns its transactions
    out.print(escape(result.summary()))
    for outcome in result.failed:
        err.print(f"[red]{escape(outcome.channel)}[/]: {escape(outcome.error or 'failed')}")
    if result.failed:
        raise typer.Exit(1)


ROLES = ("api", "worker", "scheduler")


@app.command()
@handles_errors
def serve(
    role: Annotated[
        str, typer.Option("--role", help="Comma-separated roles: api, worker, scheduler.")
    ] = ",".join(ROLES),
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    config: ConfigOption = None,
) -> None:
    """Run the service: the API, the webhook worker and the scheduler (all by default)."""
    from service.server import serve as run_server

    roles = {r.strip() for r in role.split(",") if r.strip()}
    unknown = roles - set(ROLES)
    if not roles or unknown:
        raise fail(
            f"--role: unknown role(s) {', '.join(sorted(unknown)) or '(none)'}; "
            f"use {', '.join(ROLES)}"
        )
    settings = settings_from(config)
    run_server(settings, roles, host, port)


@app.command()
@handles_errors
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the example config.")] = Path(
        "backlog-sync.yaml"
    ),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented example config to start from."""
    from service.config import example_config

    if path.exists() and not force:
        raise fail(f"{path}: already exists (use --force to overwrite)")
    path.write_text(example_config(), encoding="utf-8")
    out.print(
        f"wrote {escape(str(path))}: edit it, then set the secrets it names in the environment"
    )


def main() -> None:  # pragma: no cover - console entry for `python -m service.cli`
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
