"""Regular expressions that run faster on the kinds of text tickets are mostly made of.

Python's `re` works in Unicode: each `\\w`, `\\b`, `\\s` and each case-insensitive
letter looks a character up in the Unicode tables, and that is most of what the
scorer's searches cost. On most ticket text the work is wasted. A `Pattern` holds
twins of one regular expression and searches a text with the fastest twin that
finds exactly the same matches in it (same positions; same groups, except that a
lower-case twin's groups are in lower case):

- `ASCII` text (`text_kind`): the expression compiled with `re.ASCII`, whose classes
  are table lookups. On ASCII text the two agree, but for one thing: Unicode `\\s`
  also matches the information separators U+001C..U+001F, so a text that holds
  one of those is not of this kind.
- `PLAIN` text (and ASCII text) for a case-insensitive expression spelt in
  lower-case ASCII: the expression without IGNORECASE, searched in `text.lower()`,
  where the engine can skip ahead to its literal letters. Plain text holds none
  of U+0130, U+0131 and U+017F, the only characters that `re.IGNORECASE` matches
  to an ASCII letter while `str.lower()` does not turn them into it (U+0130 is
  also the only character whose lower case is two characters long). Lower-casing
  keeps every other character's class (word, digit, space).

Any other text is searched with the expression as written. These facts hold for
the Unicode tables of the running Python; tests/unit/scoring/test_patterns.py
checks them on every code point.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

ANY = 0
"""Any text: searched with the expression as written."""
PLAIN = 1
"""No character on which case-insensitive matching and `str.lower()` disagree."""
ASCII = 2
"""ASCII, without the information separators U+001C..U+001F."""

CASE_TRAPS = "\u0130\u0131\u017f"
SEPARATORS = "\x1c\x1d\x1e\x1f"
_CASE_TRAP = re.compile(f"[{CASE_TRAPS}]")
_SEPARATOR = re.compile(f"[{SEPARATORS}]")
_ESCAPE = re.compile(r"\\.")


def text_kind(*texts: str) -> int:
    """The kind (ANY, PLAIN or ASCII) that all of `texts` are."""
    if all(text.isascii() for text in texts):
        if any(_SEPARATOR.search(text) for text in texts):
            return PLAIN
        return ASCII
    if any(_CASE_TRAP.search(text) for text in texts if not text.isascii()):
        return ANY
    return PLAIN


def ascii_spaces(in_word: Callable[[str], bool]) -> dict[int, str]:
    """A `str.translate` table that makes a space of every ASCII character a word
    cannot hold (`in_word` says which it can): `str.split()` then finds the words
    of ASCII text, and faster than a regular expression would."""
    return str.maketrans({chr(code): " " for code in range(128) if not in_word(chr(code))})


def ascii_words(
    lower: str, spaces: dict[int, str], findall: Callable[[str], list[str]]
) -> list[str]:
    """The words that `findall` finds in the ASCII text `lower`, in order, with
    `spaces` (from `ascii_spaces`, keeping "'" as a word character) doing most of
    the work. A word never spans a space, so only a token that holds a "'" is
    searched, on its own."""
    tokens = lower.translate(spaces).split()  # (a fast path of CPython's)
    if "'" not in lower:
        return tokens
    words: list[str] = []
    for token in tokens:
        if "'" in token:
            words.extend(findall(token))
        else:
            words.append(token)
    return words


def _lower_case_ascii(source: str) -> bool:
    letters = _ESCAPE.sub("", source)
    return source.isascii() and letters == letters.lower()


class Pattern:
    """A regular expression and its faster twins (see the module's docstring).

    `kind` is `text_kind(text)` (or of a text that holds `text`), and `lower`,
    when the caller has it, `text.lower()`. A match found by a lower-case twin is
    on the lower-cased text: its positions are the text's, its groups lower case.
    """

    __slots__ = ("ascii", "ascii_lower", "lower", "written")

    def __init__(self, source: str, flags: int = 0) -> None:
        self.written = re.compile(source, flags)
        self.ascii = re.compile(source, flags | re.ASCII)
        self.lower: re.Pattern[str] | None = None
        self.ascii_lower: re.Pattern[str] | None = None
        if flags & re.IGNORECASE and _lower_case_ascii(source):
            self.lower = re.compile(source, flags & ~re.IGNORECASE)
            self.ascii_lower = re.compile(source, (flags & ~re.IGNORECASE) | re.ASCII)

    def _pick(self, text: str, kind: int, lower: str | None) -> tuple[re.Pattern[str], str]:
        if kind == ASCII:
            if lower is not None and self.ascii_lower is not None:
                return self.ascii_lower, lower
            return self.ascii, text
        if kind == PLAIN and self.lower is not None:
            return self.lower, text.lower() if lower is None else lower
        return self.written, text

    def search(self, text: str, kind: int, lower: str | None = None) -> re.Match[str] | None:
        pattern, subject = self._pick(text, kind, lower)
        return pattern.search(subject)

    def match(self, text: str, kind: int, lower: str | None = None) -> re.Match[str] | None:
        pattern, subject = self._pick(text, kind, lower)
        return pattern.match(subject)

    def findall(self, text: str, kind: int, lower: str | None = None) -> list[Any]:
        pattern, subject = self._pick(text, kind, lower)
        return pattern.findall(subject)

    def finditer(self, text: str, kind: int, lower: str | None = None) -> Iterator[re.Match[str]]:
        pattern, subject = self._pick(text, kind, lower)
        return pattern.finditer(subject)

    def sub(self, replacement: str, text: str, kind: int) -> str:
        """`text` with each match replaced (never by a lower-case twin: the rest is kept)."""
        return (self.ascii if kind == ASCII else self.written).sub(replacement, text)

    def count(self, text: str, kind: int, lower: str | None = None) -> int:
        """How many matches `findall` finds."""
        pattern, subject = self._pick(text, kind, lower)
        return len(pattern.findall(subject))
