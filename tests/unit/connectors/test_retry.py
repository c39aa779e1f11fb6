"""The one backoff policy: the exponential wait, its jitter, Retry-After and giving up."""

from __future__ import annotations

import pytest

from connectors.base import AuthError, RateLimitedError, UnavailableError
from connectors.retry import Backoff, call_with_backoff, exponential


@pytest.mark.parametrize(
    ("attempt", "wait"), [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (7, 30.0), (50, 30.0)]
)
def test_exponential_doubles_from_base_up_to_the_cap(attempt: int, wait: float) -> None:
    assert exponential(attempt, base=0.5, cap=30.0) == wait


def test_backoff_waits_between_half_and_all_of_the_exponential_wait() -> None:
    backoff = Backoff(attempts=10, base=1.0, cap=8.0)
    error = UnavailableError("down")
    for attempt in range(1, 6):
        full = exponential(attempt, 1.0, 8.0)
        waits = [backoff.delay(attempt, error) for _ in range(200)]
        assert all(w is not None and full / 2 <= w <= full for w in waits)


def test_backoff_honours_retry_after_and_gives_up_beyond_max_wait() -> None:
    backoff = Backoff(max_wait=120.0)
    assert backoff.delay(1, RateLimitedError("slow down", retry_after=42.0)) == 42.0
    assert backoff.delay(1, RateLimitedError("come back tomorrow", retry_after=3600)) is None


def test_backoff_never_retries_a_lasting_error_or_past_its_attempts() -> None:
    backoff = Backoff(attempts=3)
    assert backoff.delay(1, AuthError("bad token")) is None
    assert backoff.delay(2, UnavailableError("down")) is not None
    assert backoff.delay(3, UnavailableError("down")) is None


def test_call_with_backoff_retries_until_the_call_succeeds() -> None:
    answers: list[Exception | str] = [UnavailableError("down"), UnavailableError("down"), "ok"]
    waits: list[float] = []
    seen: list[str] = []

    def call() -> str:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    result = call_with_backoff(
        call,
        Backoff(attempts=4, base=0.01),
        sleep=waits.append,
        on_wait=lambda error, wait: seen.append(type(error).__name__),
    )

    assert result == "ok"
    assert len(waits) == 2
    assert seen == ["UnavailableError", "UnavailableError"]


def test_call_with_backoff_raises_the_last_error_once_attempts_are_spent() -> None:
    calls = 0

    def call() -> None:
        nonlocal calls
        calls += 1
        raise UnavailableError(f"down {calls}")

    with pytest.raises(UnavailableError, match="down 3"):
        call_with_backoff(call, Backoff(attempts=3, base=0.01), sleep=lambda _: None)
    assert calls == 3
