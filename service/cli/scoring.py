"""`triage` and `score`: verdicts offline, straight from a source (nothing is stored)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from rich.table import Table

from connectors.base import Ticket, TicketState
from connectors.files import SourceFileError, find_ticket, ticket_from_markdown
from service.cli.common import (
    VERDICT_ORDER,
    VERDICT_STYLE,
    ConfigOption,
    JsonOption,
    PolicyOption,
    fail,
    handles_errors,
    load,
    out,
    print_json,
    progress_bar,
    shown,
    status,
)
from service.config import Settings
from service.scoring import Assessment, Policy, Verdict, assess, assess_backlog, backlog_context
from service.tickets.sources import resolve
from service.tickets.store import estimate_text

SourceArgument = Annotated[
    str,
    typer.Argument(
        help="file:PATH, a path, github:OWNER/REPO, jira:KEY or a configured source name."
    ),
]


def load_all(settings: Settings, policy: Policy, source: str) -> list[Ticket]:
    connector = resolve(settings, policy, source)
    with status(f"Reading {shown(source)}…"):
        return list(connector.fetch_changed(None))


def assessment_row(ticket: Ticket, assessment: Assessment) -> dict[str, Any]:
    """The JSON shape of one assessed ticket (`triage --json`, `score --json`)."""
    row: dict[str, Any] = {
        "key": ticket.key,
        "title": ticket.title,
        "url": ticket.url,
        "state": str(ticket.state),
    }
    row.update(assessment.as_dict())
    return row


def hours(assessment: Assessment) -> str:
    return estimate_text((assessment.estimate.low, assessment.estimate.high))


def common_key_prefix(keys: Sequence[str]) -> str:
    """`owner/repo#` when every key is `owner/repo#N`, so the table can show `#N`."""
    prefixes = {key.rpartition("#")[0] + "#" for key in keys if "#" in key}
    if len(prefixes) == 1 and all("#" in key for key in keys):
        prefix = prefixes.pop()
        return prefix if prefix != "#" else ""
    return ""


@handles_errors
def triage(
    source: SourceArgument,
    as_json: JsonOption = False,
    verdict: Annotated[
        list[Verdict] | None,
        typer.Option("--verdict", help="Only tickets with this verdict (repeatable)."),
    ] = None,
    policy_file: PolicyOption = None,
    include_closed: Annotated[
        bool, typer.Option("--all", help="Closed tickets too (left out by default).")
    ] = False,
    config: ConfigOption = None,
) -> None:
    """Score every open ticket of a source and show the verdicts (nothing is stored or written)."""
    settings, policy = load(config, policy_file)
    read = load_all(settings, policy, source)
    with progress_bar(len(read), "Scoring") as advance:
        # every ticket, closed ones too, is context: a closed blocker frees its dependents
        scored = list(zip(read, assess_backlog(read, policy, on_progress=advance), strict=True))
    listed = [p for p in scored if include_closed or p[0].state is not TicketState.CLOSED]
    closed = len(scored) - len(listed)
    tickets = [t for t, _ in listed]
    assessments = [a for _, a in listed]
    wanted = set(verdict or ())
    pairs = [(t, a) for t, a in listed if not wanted or a.verdict in wanted]
    # by verdict, then score: a ticket that needs a safety review is never above a ready one
    pairs.sort(key=lambda pair: (VERDICT_ORDER[pair[1].verdict], -pair[1].overall))
    if as_json:
        print_json([assessment_row(t, a) for t, a in pairs])
        return
    prefix = common_key_prefix([t.key for t, _ in pairs])
    caption = f"{len(pairs)} of {len(tickets)} tickets" + (f" in {prefix[:-1]}" if prefix else "")
    if closed:
        caption += f" ({closed} closed left out: --all shows them)"
    table = Table(title=shown(caption), title_justify="left", expand=False)
    table.add_column("key", no_wrap=True)
    table.add_column("title", ratio=3, overflow="fold")
    table.add_column("verdict", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True, min_width=5)
    table.add_column("estimate", justify="right", no_wrap=True, min_width=5)
    table.add_column("top missing item", ratio=4, overflow="fold")
    for ticket, assessment in pairs:
        style = VERDICT_STYLE[assessment.verdict]
        table.add_row(
            shown(ticket.key.removeprefix(prefix[:-1]) if prefix else ticket.key),
            shown(ticket.title),
            f"[{style}]{assessment.verdict}[/]",
            str(assessment.overall),
            hours(assessment),
            shown(assessment.missing[0]) if assessment.missing else "",
        )
    out.print(table)
    counts: dict[Verdict, int] = {}
    for assessment in assessments:
        counts[assessment.verdict] = counts.get(assessment.verdict, 0) + 1
    out.print(", ".join(f"{counts[v]} {v}" for v in sorted(counts, key=VERDICT_ORDER.__getitem__)))


def print_assessment(ticket: Ticket, assessment: Assessment) -> None:
    style = VERDICT_STYLE[assessment.verdict]
    out.print(f"[bold]{shown(ticket.key)}[/] {shown(ticket.title)}")
    if ticket.url:
        out.print(shown(ticket.url))
    out.print(
        f"verdict [{style}]{assessment.verdict}[/]  overall {assessment.overall}  "
        f"estimate {hours(assessment)} ({assessment.estimate.basis})"
    )
    if assessment.skipped:
        out.print("labelled to be skipped: no label, no queue (managed labels are removed)")
    if assessment.areas:
        out.print("code areas: " + shown(", ".join(assessment.areas)))
    if assessment.blockers:
        out.print("open blockers: " + shown(", ".join(assessment.blockers)))
    for name, dim in assessment.dimensions.items():
        out.print(f"\n[bold]{name}[/] {dim.score}/100")
        if not dim.findings:
            out.print("  nothing lost")
        for finding in dim.findings:
            mark = " [red](decides the verdict)[/]" if finding.blocking else ""
            out.print(f"  -{finding.points:>3}  {finding.code}{mark}: {shown(finding.message)}")
            if finding.evidence:
                out.print(f"        the ticket says: {shown(repr(finding.evidence))}")
            out.print(f"        → {shown(finding.suggestion)}")
    if assessment.missing:
        out.print("\n[bold]To make it ready[/]")
        for line in assessment.missing:
            out.print(f"  • {shown(line)}")


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
    policy_file: PolicyOption = None,
    config: ConfigOption = None,
) -> None:
    """Explain one ticket's score: every dimension, finding and suggestion."""
    settings, policy = load(config, policy_file)
    if source == "-":
        try:
            ticket = ticket_from_markdown(sys.stdin.read())
        except SourceFileError as exc:
            raise fail(str(exc)) from None
        assessment = assess(ticket, policy=policy)
    else:
        if key is None:
            raise fail("give the ticket's KEY after the source (or use `score -` with stdin)")
        tickets = load_all(settings, policy, source)
        found = find_ticket(tickets, key)
        if found is None:
            raise fail(f"{source}: no ticket {key}")
        ticket = found
        assessment = assess(ticket, backlog_context(tickets), policy)
    if as_json:
        print_json(assessment_row(ticket, assessment))
    else:
        print_assessment(ticket, assessment)
