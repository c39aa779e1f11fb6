"""GitHub listings read to their end, and the two streams a sync joins.

- `listing` follows GitHub's `Link: rel="next"` to the last page.
- `updated_stream` reads an `updated`-ascending listing (issues, or the
  repository-wide comments) paged by key, not by offset: each next page asks
  for `since=<updated_at of the last item read>`. A change to an item already
  read (ours: a label write between two pages; or a person's) moves it to the
  end of an `updated`-sorted listing, which shifts every later item back by
  one; with `page=N` one item would be skipped, and lost for good once the
  cursor passed it. Paging by key costs one repeated item a page and skips
  nothing. The stream stops at the server's time of its first page (the `Date`
  header): changes made after the read began, our own label writes included,
  are left for the next run, whose `since` starts at or before them. A run
  therefore ends.
- `with_comments` joins the two streams by issue number: a comment change bumps
  its issue, so every comment an issue needs has arrived by the time the issue
  does.

Pages are fetched through a `GetPage` callable (the connector's request, under
its backoff), so nothing here knows about credentials or errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from connectors.github.mapping import Json, issue_number, parse_time
from connectors.headers import header

__all__ = ["GetPage", "listing", "since_param", "updated_stream", "with_comments"]

GetPage = Callable[[str, Mapping[str, Any] | None], tuple[Mapping[str, Any], list[Json]]]
"""GET one page: (url, query or None when the url carries it) -> (headers, items)."""


def listing(get: GetPage, url: str, per_page: int) -> Iterator[Json]:
    """Every item of a listing, following GitHub's `Link: rel="next"`."""
    next_url: str | None = url
    params: Mapping[str, Any] | None = {"per_page": per_page}
    while next_url is not None:
        headers, items = get(next_url, params)
        yield from items
        next_url = _next_link(headers)
        params = None  # the next link carries the query


def updated_stream(
    get: GetPage, url: str, params: Mapping[str, Any], since: str | None, per_page: int
) -> Iterator[Json]:
    """An `updated`-ascending listing from `since`, paged by key (see the module docstring)."""
    until: datetime | None = None
    page = 1
    seen: set[tuple[int, str]] = set()
    first = True
    while True:
        query = {**params, "per_page": per_page, "page": page}
        if since is not None:
            query["since"] = since
        headers, items = get(url, query)
        if first:
            until = _server_time(headers)
            first = False
        for item in items:
            stamp = str(item["updated_at"])
            if (int(item["id"]), stamp) in seen:
                continue
            if until is not None and parse_time(stamp) > until:
                return
            yield item
        if not items or _next_link(headers) is None:
            return
        last = str(items[-1]["updated_at"])
        if last == since:
            page += 1  # a full page within one second: page on within it
        else:
            since, page, seen = last, 1, set()
        seen |= {(int(i["id"]), last) for i in items if i["updated_at"] == last}


def with_comments(
    issues: Iterable[Json], comments: Iterator[Json]
) -> Iterator[tuple[Json, list[Json]]]:
    """Each issue with its comments among `comments`, oldest first; both streams
    `updated`-ascending. A comment stream is read only as far as the issues need."""
    ahead = _Lookahead(comments)
    pending: dict[int, list[Json]] = {}
    for issue in issues:
        updated = parse_time(str(issue["updated_at"]))
        while (head := ahead.peek()) is not None and parse_time(str(head["updated_at"])) <= updated:
            comment = ahead.pop()
            pending.setdefault(issue_number(comment), []).append(comment)
        group = pending.pop(int(issue["number"]), [])
        group.sort(key=lambda c: (str(c.get("created_at")), int(c["id"])))
        yield issue, group


def since_param(since: datetime | None) -> str | None:
    """GitHub's `since` for a cursor (second precision: rounded down, never skipping)."""
    if since is None:
        return None
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Lookahead:
    """An iterator with a one-item look-ahead, pulled only when asked."""

    def __init__(self, items: Iterator[Json]) -> None:
        self._items = items
        self._head: Json | None = None
        self._done = False

    def peek(self) -> Json | None:
        if self._head is None and not self._done:
            self._head = next(self._items, None)
            self._done = self._head is None
        return self._head

    def pop(self) -> Json:
        head = self.peek()
        assert head is not None
        self._head = None
        return head


def _next_link(headers: Mapping[str, Any]) -> str | None:
    link = header(headers, "Link") or ""
    for part in requests.utils.parse_header_links(link) if link else []:
        if part.get("rel") == "next" and part.get("url"):
            return str(part["url"])
    return None


def _server_time(headers: Mapping[str, Any]) -> datetime | None:
    value = header(headers, "Date")
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).astimezone(UTC)
    except (TypeError, ValueError):
        return None
