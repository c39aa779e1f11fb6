"""The `backlog-sync` command line: thin, like api/ — parse, call a service function, print.

Errors a user can fix (a bad file, a bad config, an unknown source) print one
line on stderr and exit 2; tracker failures exit 1. No tracebacks.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from connectors import UnknownSourceError
from connectors.base import Ticket, TrackerError
from connectors.files import SourceFileError
from service import sources
from service.config import ConfigError, Settings, load_settings
from service.scoring import Assessment, Policy, Verdict, assess, assess_backlog, backlog_context
from service.scoring.policy import PolicyError, load_policy

PROGRESS_THRESHOLD = 200  # show a progress bar past this many tickets

app = typer.Typer(
    name="backlog-sync",
    help="Score tracker tickets for AI-readiness and keep a ready queue for coding agents.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)

P = ParamSpec("P")
R = TypeVar("R")

USER_ERRORS: tuple[type[Exception], ...] = (
    SourceFileError,
    ConfigError,
    PolicyError,
    sources.SourceError,
    UnknownSourceError,
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


def hours(assessment: Assessment) -> str:
    low, high = assessment.estimate.low, assessment.estimate.high
    return f"{low:.0f}-{high:.0f} h" if high < 100 else f"{low:.0f}+ h"


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
    table = Table(title=f"{len(pairs)} of {len(tickets)} tickets", title_justify="left")
    table.add_column("key", no_wrap=True)
    table.add_column("title", max_width=48, overflow="ellipsis", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("overall", justify="right")
    table.add_column("estimate", justify="right", no_wrap=True)
    table.add_column("top missing item", max_width=60, overflow="fold")
    for ticket, assessment in pairs:
        style = VERDICT_STYLE[assessment.verdict]
        table.add_row(
            escape(ticket.key),
            escape(ticket.title),
            f"[{style}]{assessment.verdict}[/]",
            str(assessment.overall),
            hours(assessment),
            escape(assessment.missing[0]) if assessment.missing else "",
        )
    out.print(table)
    counts: dict[str, int] = {}
    for assessment in assessments:
        counts[str(assessment.verdict)] = counts.get(str(assessment.verdict), 0) + 1
    out.print(", ".join(f"{n} {v}" for v, n in sorted(counts.items())))


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


def main() -> None:  # pragma: no cover - console entry for `python -m service.cli`
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
