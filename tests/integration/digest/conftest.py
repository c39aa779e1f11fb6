"""Real receivers on loopback for the digest channels: an HTTP server (Slack's
incoming webhook and a generic webhook) and an SMTP server (aiosmtpd)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller

import service.digest.models  # noqa: F401  (its tables are emptied between tests too)


@dataclass
class Captured:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class HttpReceiver:
    base_url: str
    requests: list[Captured] = field(default_factory=list)
    failing_paths: set[str] = field(default_factory=set)

    def to(self, path: str) -> list[Captured]:
        return [r for r in self.requests if r.path == path]


@pytest.fixture
def http_receiver() -> Iterator[HttpReceiver]:
    receiver = HttpReceiver(base_url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            with lock:
                receiver.requests.append(
                    Captured(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
            if self.path in receiver.failing_paths:
                # like some proxies, the error page repeats the path (a secret for Slack)
                answer = f"no service at {self.path}".encode()
                self.send_response(500)
            else:
                answer = b"ok"
                self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class Mail:
    sender: str
    recipients: list[str]
    data: bytes


class _Handler:
    def __init__(self) -> None:
        self.mails: list[Mail] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.mails.append(Mail(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    host: str
    port: int
    handler: _Handler

    @property
    def mails(self) -> list[Mail]:
        return self.handler.mails


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    handler = _Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", controller.port, handler)
    finally:
        controller.stop()
