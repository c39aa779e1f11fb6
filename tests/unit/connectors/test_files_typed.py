"""What a person types at the command line: a ticket key, or a whole ticket on stdin."""

from __future__ import annotations

import pytest

from connectors.base import Ticket
from connectors.files import SourceFileError, find_ticket, ticket_from_markdown


def tickets(*keys: str) -> list[Ticket]:
    return [Ticket(source="file:x.json", key=key, title=f"Title of {key}") for key in keys]


@pytest.mark.parametrize(
    ("key", "found"),
    [
        ("acme/shop#12", "acme/shop#12"),
        ("  acme/shop#12 ", "acme/shop#12"),
        ("ACME/SHOP#12", "acme/shop#12"),  # any case
        ("12", "acme/shop#12"),
        ("#12", "acme/shop#12"),
        ("#012", "acme/shop#12"),
        ("shop-7", "SHOP-7"),
    ],
)
def test_a_typed_key_finds_its_ticket(key: str, found: str) -> None:
    ticket = find_ticket(tickets("acme/shop#1", "acme/shop#12", "SHOP-7"), key)
    assert ticket is not None and ticket.key == found


def test_the_exact_key_wins_over_one_in_another_case() -> None:
    ticket = find_ticket(tickets("shop-7", "SHOP-7"), "SHOP-7")
    assert ticket is not None and ticket.key == "SHOP-7"


def test_a_bare_number_must_name_exactly_one_ticket() -> None:
    assert find_ticket(tickets("acme/shop#12", "acme/web#12"), "12") is None
    assert find_ticket(tickets("acme/shop#12"), "13") is None
    assert find_ticket(tickets("acme/shop#112"), "12") is None
    assert find_ticket(tickets("SHOP-12"), "12") is None  # a Jira key has no number of its own


def test_a_ticket_on_stdin_takes_its_title_from_the_first_line() -> None:
    ticket = ticket_from_markdown("\ufeff\n\n# Fix the login bug\n\nSteps:\n1. open /login\n\n")
    assert (ticket.source, ticket.key) == ("stdin", "-")
    assert ticket.title == "Fix the login bug"
    assert ticket.body == "Steps:\n1. open /login"


def test_empty_stdin_is_a_one_line_error() -> None:
    with pytest.raises(SourceFileError, match=r"^stdin: empty input \(the first line"):
        ticket_from_markdown(" \n\t\n")
