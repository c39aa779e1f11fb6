"""`mcp`: the MCP server over stdio, for an agent's IDE to start (`claude mcp add
backlog-sync -- backlog-sync mcp`). It reads the same config and database as
every other command; stdout carries the protocol alone, logs go to stderr."""

from __future__ import annotations

from service.cli.common import ConfigOption, handles_errors, load
from service.runtime import compose


@handles_errors
def mcp(config: ConfigOption = None) -> None:
    """Serve the ready queue to agents over MCP on stdin/stdout."""
    from service.mcp.server import create_server  # the SDK loads only for this command

    settings, policy = load(config)
    service = compose.build(settings, policy=policy, roles=("api",))
    try:
        compose.prepare_database(settings, service.engine)
        create_server(service).run("stdio")
    finally:
        service.engine.dispose()
