"""What the connectors that speak HTTP share: headers, Retry-After and credentials.

- `header` reads a header whatever the case of its name (webhook deliveries and
  client libraries hand headers over as plain dicts, in any case).
- `retry_after` reads a Retry-After value (seconds, or an HTTP date) as seconds
  from now; `DEFAULT_RETRY_AFTER` is the wait when a tracker rate-limits us
  without saying for how long. The waiting itself is `connectors.base.Backoff`.
- `Secret` holds a credential so that it never shows in a repr, a log line or a
  traceback, and `scrub` takes every credential out of text (a tracker's error
  message, say) before that text goes anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = ["DEFAULT_RETRY_AFTER", "Secret", "header", "retry_after", "scrub"]

DEFAULT_RETRY_AFTER = 60.0
"""Seconds to wait when a tracker rate-limits us without a usable Retry-After."""


def header(headers: Mapping[str, object], name: str) -> str | None:
    """The value of header `name` (matched without regard to case), None when absent."""
    wanted = name.lower()
    for key, value in headers.items():
        if str(key).lower() == wanted:
            return None if value is None else str(value)
    return None


def retry_after(headers: Mapping[str, object], *, now: datetime | None = None) -> float | None:
    """Seconds to wait from the Retry-After header: a number of seconds or an HTTP date.

    Never negative; None when the header is absent or unreadable. A date without
    a time zone is read as UTC (HTTP dates are GMT).
    """
    value = (header(headers, "Retry-After") or "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class Secret:
    """A credential that never shows itself in a repr, a log line or a traceback."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "'***'"

    __str__ = __repr__


def scrub(text: str, secrets: Iterable[Secret | str | None]) -> str:
    """`text` with every non-empty secret in it replaced by `***`."""
    for secret in secrets:
        value = secret.reveal() if isinstance(secret, Secret) else secret
        if value:
            text = text.replace(value, "***")
    return text
