"""Reading HTTP headers the way every tracker sends them.

- `header` reads a header whatever the case of its name: webhook deliveries and
  client libraries hand headers over as plain dicts, in any case.
- `retry_after` reads a Retry-After value (seconds, or an HTTP date) as seconds
  from now. What to do with it is `connectors.retry`'s business.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = ["header", "retry_after"]


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
