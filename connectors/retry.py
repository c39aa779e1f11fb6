"""The one backoff policy: how long to wait before trying again, and the retry loop.

`exponential` is the formula every retry in backlog-sync uses (tracker calls
here, the service's webhook inbox and digest channels): the wait doubles from
`base` with each attempt, up to `cap`. `Backoff` adds jitter to it and honours a
tracker's Retry-After (`RateLimitedError.retry_after`); `call_with_backoff` is
the loop every connector runs its tracker calls in. `DEFAULT_RETRY_AFTER` is
the wait when a tracker rate-limits us without saying for how long.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from connectors.base import RateLimitedError, TrackerError

__all__ = ["DEFAULT_RETRY_AFTER", "Backoff", "call_with_backoff", "exponential"]

DEFAULT_RETRY_AFTER = 60.0
"""Seconds to wait when a tracker rate-limits us without a usable Retry-After."""

T = TypeVar("T")


def exponential(attempt: int, base: float, cap: float) -> float:
    """The wait after failed attempt number `attempt` (1 = the first): `base`
    doubled for each attempt after the first, never more than `cap`."""
    return min(cap, base * 2.0 ** (attempt - 1))


@dataclass(frozen=True, slots=True)
class Backoff:
    """Exponential backoff with jitter that honours a tracker's Retry-After.

    `attempts` counts every try, the first included. `max_wait` caps a single
    wait: a tracker asking for longer makes the call fail with its
    RateLimitedError, so the caller (a sync job) can stop and come back later.
    """

    attempts: int = 4
    base: float = 0.5
    cap: float = 30.0
    max_wait: float = 120.0

    def delay(self, attempt: int, error: TrackerError) -> float | None:
        """Seconds to wait before try number `attempt + 1`, or None to give up."""
        if not error.retriable or attempt >= self.attempts:
            return None
        if isinstance(error, RateLimitedError):
            wait = error.retry_after
        else:
            wait = exponential(attempt, self.base, self.cap)
            wait = wait / 2 + random.uniform(0, wait / 2)
        return None if wait > self.max_wait else wait


def call_with_backoff(
    call: Callable[[], T],
    backoff: Backoff = Backoff(),
    *,
    sleep: Callable[[float], None] = time.sleep,
    on_wait: Callable[[TrackerError, float], None] | None = None,
) -> T:
    """Run `call`, retrying retriable tracker errors under `backoff`."""
    attempt = 1
    while True:
        try:
            return call()
        except TrackerError as error:
            wait = backoff.delay(attempt, error)
            if wait is None:
                raise
            if on_wait is not None:
                on_wait(error, wait)
            sleep(wait)
            attempt += 1
