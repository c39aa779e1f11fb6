"""The `backlog-sync` command line: thin, like api/ — parse, call a service
function, print. One module per command group; this one puts them together."""

from __future__ import annotations

import typer

from service.cli import database, digest, queue, rules, scoring, service, sync

app = typer.Typer(
    name="backlog-sync",
    help="Score tracker tickets for AI-readiness and keep a ready queue for coding agents.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

app.command()(scoring.triage)
app.command()(scoring.score)
app.add_typer(database.db_app, name="db")
app.command()(sync.sync)
app.add_typer(queue.queue_app, name="queue")
app.command()(rules.rules)
app.add_typer(sync.labels_app, name="labels")
app.command("digest")(digest.digest_command)
app.command()(service.serve)
app.command()(service.init)


def main() -> None:  # pragma: no cover - console entry for `python -m service.cli`
    app()
