"""What the fake trackers share: a JSON-over-HTTP server on 127.0.0.1 and its request log.

`JsonServer` runs a `JsonHandler` subclass in a daemon thread on a random port
(`start` / `stop`, or a `with` block) and counts every request it serves in
`requests`, keyed `"METHOD /route/{template}"`, which tests and benchmarks
assert on. `JsonHandler` reads a request (`read`) and answers JSON (`send_json`);
a fake's handler subclass implements `handle_request(request)` with its routes. Each
fake validates its answers against its tracker's OpenAPI description
(`tests.fakes.openapi`) in its own way: GitHub records mismatches, Jira answers
them with a 500.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, ClassVar, Self
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str  # without the query
    query: str  # the raw query string
    body: bytes


class JsonHandler(BaseHTTPRequestHandler):
    """One request to a fake: read it, route it (`handle_request`), answer JSON.

    GET, POST and PUT are served; a fake that takes other methods adds their
    `do_` methods (any other is answered 501 by the standard library).
    """

    protocol_version = "HTTP/1.1"
    content_type: ClassVar[str] = "application/json"
    fake: Any  # the JsonServer serving this handler (set by `JsonServer.start`)

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def do_GET(self) -> None:
        self.handle_request(self.read("GET"))

    def do_POST(self) -> None:
        self.handle_request(self.read("POST"))

    def do_PUT(self) -> None:
        self.handle_request(self.read("PUT"))

    def read(self, method: str) -> Request:
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        return Request(method, split.path, split.query, body)

    def handle_request(self, request: Request) -> None:
        raise NotImplementedError

    def send_json(self, status: int, body: Any, headers: Mapping[str, str] | None = None) -> None:
        """Answer `status` with `body` as JSON (nothing when None), and `headers`.

        Content-Type is `content_type` unless `headers` name one; Content-Length
        is always the body's.
        """
        data = b"" if body is None else json.dumps(body).encode()
        headers = dict(headers or {})
        self.send_response(status)
        if body is not None and not any(name.lower() == "content-type" for name in headers):
            self.send_header("Content-Type", self.content_type)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data:
            self.wfile.write(data)


class JsonServer:
    """A fake tracker's server: its `handler()` answers, in a thread, on 127.0.0.1."""

    poll_seconds: ClassVar[float] = 0.5  # how soon `stop` is noticed

    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()
        self.base_url = ""
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def handler(self) -> type[JsonHandler]:
        """The fake's handler class (its routes)."""
        raise NotImplementedError

    def start(self) -> Self:
        handler = type("Handler", (self.handler(),), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        host, port = self._server.server_address[:2]
        self.base_url = f"http://{host!s}:{port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(self.poll_seconds,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def started(self) -> bool:
        return self._server is not None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- the request log ---------------------------------------------------------

    def record(self, method: str, route: str) -> None:
        """Count one request (the caller holds the fake's lock)."""
        self.requests[f"{method} {route}"] += 1

    def count(self, method: str | None = None, route: str | None = None) -> int:
        """Requests served, by method and route template (either None for all)."""
        return sum(
            n
            for key, n in list(self.requests.items())
            if (method is None or key.split(" ", 1)[0] == method)
            and (route is None or key.split(" ", 1)[1] == route)
        )

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())
