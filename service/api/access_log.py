"""One access-log line per HTTP request, and a request id that follows it.

A pure ASGI middleware (no per-request objects beyond the line itself, so the
webhook path stays cheap): it takes the caller's `X-Request-ID` when it is a
plain token (letters, digits, `.`, `_`, `-`, at most 64) or makes one, returns
it in the answer's `X-Request-ID`, keeps it in `REQUEST_ID` for any log line
written while the request runs, and logs, on logger `backlog_sync.access`:

    GET /api/queue 200 3.1 ms id=5f2c...

The path is logged without its query string, which may carry a secret. The
same middleware tells the service's metrics of each request, by the matched
route's template (`/api/queue/{entry_id}`), never by the raw path.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar
from typing import Any, Protocol

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


class RequestObserver(Protocol):
    """Told of every answered request (the service's metrics)."""

    def http_request(self, method: str, route: str, status: int, seconds: float) -> None: ...


class AccessLog:
    """ASGI middleware: the request id, the access line (`lines`) and the request
    metrics (`observer`, by the route's template, never the raw path)."""

    def __init__(
        self, app: ASGIApp, *, lines: bool = True, observer: RequestObserver | None = None
    ) -> None:
        self.app = app
        self.lines = lines
        self.observer = observer

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
            seconds = time.perf_counter() - started
            method = scope.get("method", "?")
            if self.lines:
                path = scope.get("path", "?")
                log.info(
                    "%s %s %d %.1f ms id=%s", method, path, status[0], seconds * 1000, request_id
                )
            if self.observer is not None:
                route = getattr(scope.get("route"), "path", None) or "unmatched"
                self.observer.http_request(method, route, status[0], seconds)
            REQUEST_ID.reset(token)
