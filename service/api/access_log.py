"""One access-log line per HTTP request, and a request id that follows it.

A pure ASGI middleware (no per-request objects beyond the line itself, so the
webhook path stays cheap): it takes the caller's `X-Request-ID` when it is a
plain token (letters, digits, `.`, `_`, `-`, at most 64) or makes one, returns
it in the answer's `X-Request-ID`, keeps it in `REQUEST_ID` for any log line
written while the request runs, and logs, on logger `backlog_sync.access`:

    GET /api/queue 200 3.1 ms id=5f2c...

The path is logged without its query string, which may carry a secret.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("backlog_sync.access")

REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
"""The id of the request being served (None outside one)."""

_PLAIN_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            given = bytes(value).decode("latin-1")
            if _PLAIN_ID.fullmatch(given):
                return given
            break
    return uuid.uuid4().hex


class AccessLog:
    """ASGI middleware: the request id and the access line (see the module)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status: list[int] = [500]  # what the line says when the app fails before answering

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
                headers: list[Any] = list(message.get("headers", ()))
                headers.append((b"x-request-id", request_id.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            log.info(
                "%s %s %d %.1f ms id=%s",
                scope.get("method", "?"),
                scope.get("path", "?"),
                status[0],
                elapsed,
                request_id,
            )
            REQUEST_ID.reset(token)
