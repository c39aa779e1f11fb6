"""The one HMAC-SHA256 signer and verifier (`sha256=<hex>`), for webhooks in and out.

GitHub signs its deliveries in `X-Hub-Signature-256`, Jira in `X-Hub-Signature`,
and the digest's webhook channel signs what it sends: all with the same scheme,
so all go through these two pure functions (in the manner of gidgethub's
`validate_event`). `verify` compares in constant time and answers False, never
raises, for a missing or malformed signature (odd characters included).
"""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["PREFIX", "sign", "verify"]

PREFIX = "sha256="
"""What a signature starts with; the lower-case hex HMAC-SHA256 of the body follows."""


def sign(secret: str, body: bytes) -> str:
    """The signature of `body` under `secret`: `sha256=` and the hex HMAC-SHA256."""
    return PREFIX + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str | None) -> bool:
    """Whether `signature` (a header's value, surrounding spaces allowed) signs `body`."""
    if not signature or not signature.startswith(PREFIX):
        return False
    given = signature.removeprefix(PREFIX).strip().encode("utf-8", "replace")
    expected = sign(secret, body).removeprefix(PREFIX).encode("ascii")
    return hmac.compare_digest(given, expected)
