"""Headers and Retry-After, as both HTTP connectors read them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from requests.structures import CaseInsensitiveDict

from connectors.headers import header, retry_after

NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)


def test_header_is_found_whatever_the_case_of_its_name() -> None:
    headers = {"x-github-event": "issues", "Retry-After": "5"}
    assert header(headers, "X-GitHub-Event") == "issues"
    assert header(headers, "retry-after") == "5"
    assert header(headers, "X-Hub-Signature-256") is None


def test_header_values_come_back_as_text() -> None:
    assert header({"X-RateLimit-Remaining": 0}, "x-ratelimit-remaining") == "0"


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("30", 30.0),
        ("1.5", 1.5),
        ("-4", 0.0),
        ("Wed, 01 May 2024 12:01:00 GMT", 60.0),
        ("Wed, 01 May 2024 12:01:00 -0000", 60.0),  # no zone: read as UTC
        ("Wed, 01 May 2024 11:00:00 GMT", 0.0),  # already past
        ("soon", None),
        ("", None),
    ],
)
def test_retry_after_reads_seconds_or_an_http_date(value: str, seconds: float | None) -> None:
    assert retry_after({"Retry-After": value}, now=NOW) == seconds


def test_retry_after_absent_is_none_and_case_does_not_matter() -> None:
    assert retry_after({}, now=NOW) is None
    assert retry_after(CaseInsensitiveDict({"retry-after": "7"}), now=NOW) == 7.0
