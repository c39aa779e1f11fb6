"""Credentials that never show themselves, and text with every credential taken out.

`Secret` holds a credential so that it never shows in a repr, a log line or a
traceback. `scrub` takes every credential out of a text (a tracker's error
message, a client library's exception) before that text goes anywhere. A secret
that is a URL (a Slack or digest webhook, whose path is the credential) is also
taken out where the text quotes only its path, as some libraries print it.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

__all__ = ["Secret", "scrub"]


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
    """`text` with every non-empty secret in it replaced by `***`.

    Longer secrets go first, so a secret that contains another is never left
    half shown. The path of a URL secret (longer than `/`) becomes `/***`.
    """
    values = {secret.reveal() if isinstance(secret, Secret) else secret for secret in secrets}
    for value in sorted((v for v in values if v), key=len, reverse=True):
        text = text.replace(value, "***")
        for path in _url_paths(value):
            text = text.replace(path, "/***")
    return text


def _url_paths(value: str) -> list[str]:
    """The path of a URL secret, as written and percent-decoded; none for other secrets."""
    if not value.startswith(("http://", "https://")):
        return []
    try:
        path = urlsplit(value).path
    except ValueError:
        return []
    return [p for p in dict.fromkeys((path, unquote(path))) if len(p) > 1]
