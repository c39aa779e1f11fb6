"""`digest`: the ready-for-AI digest, printed or sent to the configured channels."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from service import db, digest
from service.cli.common import (
    EXIT_FAILURE,
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


@handles_errors
def digest_command(
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, html, slack or json.")] = "md",
    send: Annotated[
        bool, typer.Option("--send", help="Store it and deliver it to the configured channels.")
    ] = False,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """The ready-for-AI digest: print it, or --send it to the configured channels."""
    if as_json and not send:
        fmt = "json"
    if fmt not in digest.FORMATS:
        raise fail(f"--format: unknown format {fmt!r}; use one of {', '.join(digest.FORMATS)}")
    settings, policy = load(config)
    config_with_secrets = settings.digest()
    with database(settings) as sessions:
        if not send:
            with sessions() as session:
                built = digest.build(
                    session, config_with_secrets, db.utcnow(), target_hours=policy.target_hours
                )
            sys.stdout.write(digest.render(built, fmt).rstrip("\n") + "\n")
            return
        # the run owns its transactions
        result = digest.run(
            sessions, config_with_secrets, db.utcnow(), target_hours=policy.target_hours
        )
    if as_json:
        failed = [{"channel": o.channel, "error": o.error} for o in result.failed]
        print_json({"summary": result.summary(), "failed": failed})
    else:
        out.print(shown(result.summary()))
        for outcome in result.failed:
            err.print(f"[red]{shown(outcome.channel)}[/]: {shown(outcome.error or 'failed')}")
    if result.failed:
        raise typer.Exit(EXIT_FAILURE)
