"""The `backlog-sync` command line: thin, like api/ — parse, call a service
function, print. One module per command group; this one puts them together."""

from __future__ import annotations

from typing import Annotated

import typer

from service.cli import database, digest, mcp, queue, rules, scoring, service, sync, workspace
from service.runtime.compose import installed_version

app = typer.Typer(
    name="backlog-sync",
    help="Score tracker tickets for AI-readiness and keep a ready queue for coding agents.",
    epilog=(
        "Exit codes: 0 success, 1 a failure outside your input (tracker, database), "
        "2 bad input or refused, 3 nothing to do."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,  # --install-completion, --show-completion
    rich_markup_mode=None,  # plain help, as click prints it: no "<bool>" after a flag
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"backlog-sync {installed_version()}")
        raise typer.Exit(0)


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Options of the program itself (the commands have their own)."""


app.command()(scoring.triage)
app.command()(scoring.score)
app.add_typer(database.db_app, name="db")
app.command()(sync.sync)
app.add_typer(queue.queue_app, name="queue")
app.command()(rules.rules)
app.command()(workspace.start)
app.command()(workspace.finish)
app.add_typer(sync.labels_app, name="labels")
app.command("digest")(digest.digest_command)
app.command()(service.serve)
app.command()(service.init)
app.command()(mcp.mcp)


def main() -> None:  # pragma: no cover - console entry for `python -m service.cli`
    app()
