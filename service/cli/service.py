"""`serve` and `init`: run the service, and start a config file."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Annotated

import typer

from service.cli.common import (
    ConfigOption,
    JsonOption,
    fail,
    handles_errors,
    load,
    out,
    print_json,
    shown,
)
from service.runtime.compose import ROLES


def example_config() -> str:
    """A commented example of the YAML file (what `backlog-sync init` writes)."""
    return (files("service.cli") / "backlog-sync.example.yaml").read_text(encoding="utf-8")


@handles_errors
def serve(
    role: Annotated[
        str, typer.Option("--role", help="Comma-separated roles: api, worker, scheduler.")
    ] = ",".join(ROLES),
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    access_log: Annotated[
        bool,
        typer.Option(
            "--access-log/--no-access-log",
            help="One log line per request (method, path, status, duration, request id).",
        ),
    ] = True,
    log_format: Annotated[
        str, typer.Option("--log-format", help="text, or json: one JSON object per line.")
    ] = "text",
    config: ConfigOption = None,
) -> None:
    """Run the service: the API, the webhook worker and the scheduler (all by default)."""
    from service.runtime.server import serve as run_server

    roles = {r.strip() for r in role.split(",") if r.strip()}
    unknown = roles - set(ROLES)
    if not roles or unknown:
        raise fail(
            f"--role: unknown role(s) {', '.join(sorted(unknown)) or '(none)'}; "
            f"use {', '.join(ROLES)}"
        )
    if log_format not in ("text", "json"):
        raise fail(f"--log-format: unknown format {log_format!r}; use text or json")
    settings, policy = load(config)
    run_server(
        settings,
        policy,
        roles,
        host,
        port,
        access_log=access_log,
        log_format="json" if log_format == "json" else "text",
    )


@handles_errors
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the example config.")] = Path(
        "backlog-sync.yaml"
    ),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Write a commented example config to start from."""
    if path.exists() and not force:
        raise fail(f"{path}: already exists (use --force to overwrite)")
    path.write_text(example_config(), encoding="utf-8")
    if as_json:
        print_json({"written": str(path)})
        return
    out.print(
        f"wrote {shown(str(path))}: edit it, then set the secrets it names in the environment"
    )
