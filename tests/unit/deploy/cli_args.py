"""Check an argv against the real `backlog-sync` Typer app, without running it.

Typer may bring its own copy of click, so commands are told apart by what they
do (a group resolves subcommands), not by click's classes.
"""

from __future__ import annotations

from typing import Any

import typer.main


def resolve(argv: list[str]) -> tuple[list[str], Any]:
    """Parse `argv` (without the program name) as `backlog-sync` would: find the
    (sub)command it names and parse its options and arguments, invoking nothing.
    Returns the command path (e.g. ["db", "upgrade"]) and the leaf's context.
    Raises click's UsageError (no such command or option, bad value) like the CLI."""
    from service.cli import app

    command: Any = typer.main.get_command(app)
    context = command.make_context("backlog-sync", list(argv))
    path: list[str] = []
    while hasattr(command, "resolve_command"):
        protected = getattr(context, "_protected_args", None)
        if protected is None:
            protected = context.protected_args
        rest = [*protected, *context.args]
        assert rest, f"`backlog-sync {' '.join(path)}` needs a subcommand"
        name, command, remaining = command.resolve_command(context, rest)
        path.append(name)
        context = command.make_context(name, remaining, parent=context)
    return path, context


def options(argv: list[str]) -> set[str]:
    """Every option string of the command `argv` names (e.g. {"--host", "--port"})."""
    _, context = resolve(argv)
    return {
        opt
        for param in context.command.params
        if param.param_type_name == "option"
        for opt in (*param.opts, *param.secondary_opts)
    }
