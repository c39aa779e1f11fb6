"""The MCP server over streamable HTTP, at `/mcp` in the service's own app.

The same bearer tokens as `/api` (`api.tokens` in the config, sha256 there):
a request without a known token is answered 401 before the SDK sees it; the
caller's scopes decide which tools it may call (`claim` for the tools that
change the queue, `read` for the rest; see `service.mcp.server`).

Stateless and answered in JSON: every POST stands alone, so any replica
behind a load balancer can answer any request (no session affinity), and
the queue's claims are as safe as over `/api`. The SDK's DNS-rebinding guard
(a Host allow-list) is off: every request must carry a token, which a page
in a browser that rebinds a name to this host does not have.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp
from mcp.server.transport_security import TransportSecuritySettings
from starlette.datastructures import Headers
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from service.api.deps import TokenTable
from service.mcp.server import PRINCIPAL_SCOPE_KEY

MCP_PATH = "/mcp"


class BearerGate:
    """ASGI: let a request through only with a known bearer token, and leave its
    `Principal` in the scope for the tools to check scopes on."""

    def __init__(self, app: ASGIApp, tokens: TokenTable) -> None:
        self.app = app
        self.tokens = tokens

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scheme, _, token = Headers(scope=scope).get("authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            await _unauthorized(send, "missing bearer token")
            return
        principal = self.tokens.authenticate(token)
        if principal is None:
            await _unauthorized(send, "invalid token")
            return
        scope[PRINCIPAL_SCOPE_KEY] = principal
        await self.app(scope, receive, send)


async def _unauthorized(send: Send, detail: str) -> None:
    """401 with the same body as `/api` answers (`{"detail": ...}`)."""
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"www-authenticate", b"Bearer"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def route(server: MCPServer[Any], tokens: TokenTable) -> Route:
    """The `/mcp` route of `server`, behind the token gate. Run the returned
    route's session manager with `lifespan(server)` while the app serves."""
    server.streamable_http_app(
        streamable_http_path=MCP_PATH,
        stateless_http=True,
        json_response=True,
        transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
    )
    return Route(MCP_PATH, BearerGate(StreamableHTTPASGIApp(server.session_manager), tokens))


@asynccontextmanager
async def lifespan(server: MCPServer[Any]) -> AsyncIterator[None]:
    """The SDK's session manager, running for as long as the app serves."""
    async with server.session_manager.run():
        yield
