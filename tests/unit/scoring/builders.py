"""Small builders for scoring tests: a ticket with sensible defaults, and its document."""

from __future__ import annotations

from typing import Any

from connectors.base import Ticket
from service.scoring.document import Document, parse

GOOD_TITLE = "Add a `--since` option to the `sync` command"
GOOD_BODY = """\
The `sync` command always reads the whole backlog. Add a `--since` option that
passes a date to `fetch_changed` in `service/sync.py`.

## Acceptance criteria

- [ ] `backlog-sync sync --since 2024-01-01` fetches only tickets changed since that date
- [ ] An invalid date exits with status 2 and names the option
- [ ] Add unit tests in `tests/unit/test_sync.py`

## Out of scope

- Changing the stored cursor
"""


def ticket(title: str = GOOD_TITLE, body: str = GOOD_BODY, **overrides: Any) -> Ticket:
    """A GitHub-like ticket `acme/app#1`; any Ticket field can be overridden."""
    fields: dict[str, Any] = {"source": "github:acme/app", "key": "acme/app#1"}
    fields.update(overrides)
    return Ticket(title=title, body=body, **fields)


def document(of: Ticket) -> Document:
    return parse(of.title, of.body)
