from __future__ import annotations

import random
import re
import sys

import pytest

from service.scoring import clarity, document, independence
from service.scoring.patterns import (
    ANY,
    ASCII,
    CASE_TRAPS,
    PLAIN,
    SEPARATORS,
    Pattern,
    text_kind,
)

EVERY_CHARACTER = "".join(map(chr, range(sys.maxunicode + 1)))
LETTERS = "abcdefghijklmnopqrstuvwxyz"

# The facts patterns.py rests on, checked on every code point of this Python's tables.


def test_the_case_traps_are_all_the_characters_ignorecase_and_lower_disagree_on() -> None:
    disagreeing = {
        found
        for letter in LETTERS
        for found in re.findall(letter, EVERY_CHARACTER, re.IGNORECASE)
        if found.lower() != letter
    }
    assert disagreeing == set(CASE_TRAPS)
    # and no other character lower-cases into an ASCII letter without matching it
    for character in EVERY_CHARACTER[128:]:
        lowered = character.lower()
        if any(c.isascii() for c in lowered) and character not in CASE_TRAPS:
            assert re.fullmatch(re.escape(lowered), character, re.IGNORECASE)


def test_lower_case_keeps_length_and_class_but_for_the_case_traps() -> None:
    lowered = [c.lower() for c in EVERY_CHARACTER]
    assert [c for c, low in zip(EVERY_CHARACTER, lowered, strict=True) if len(low) != 1] == [
        "\u0130"
    ]
    single = "".join(low if len(low) == 1 else "\u0130" for low in lowered)
    for cls in (r"\w", r"\s", r"\d"):
        found = re.compile(cls)
        original = [m.start() for m in found.finditer(EVERY_CHARACTER)]
        assert original == [m.start() for m in found.finditer(single)], cls


def test_ascii_classes_differ_from_unicode_ones_only_on_the_separators() -> None:
    text = EVERY_CHARACTER[:128]
    for cls in (r"\w", r"\W", r"\d", r"\D", r"\s", r"\S", r"[^\W_]", r"\b"):
        unicode = {m.start() for m in re.finditer(cls, text)}
        ascii = {m.start() for m in re.finditer(cls, text, re.ASCII)}
        differ = {text[i] for i in unicode ^ ascii}
        assert differ == (set(SEPARATORS) if cls in (r"\s", r"\S") else set()), cls
    for a in text:
        for b in text:
            assert bool(re.fullmatch(re.escape(a), b, re.IGNORECASE)) == bool(
                re.fullmatch(re.escape(a), b, re.IGNORECASE | re.ASCII)
            )


def test_split_and_backslash_s_agree_on_whitespace() -> None:
    assert re.findall(r"\s", EVERY_CHARACTER) == [c for c in EVERY_CHARACTER if c.isspace()]


# The twins, on random text made of the characters that tell them apart.

ALPHABET = (
    "aAiIsSkK zZ09_-'’.,:;!?#/()[]`*\n\t"
    + CASE_TRAPS
    + SEPARATORS
    + "\u212a\u00e9\u00c9\u03a3\u00df\u200b\u3000"
)
WORDS = [
    "help me", "i am trying", "how do i", "pending design", "waiting for", "steps to reproduce",
    "expected", "actual", "version 1.2.3", "error:", "ValueError", "at foo(", "should we",
    "not sure", "out of scope", "given", "when", "then", "acceptance criteria", "Add", "fix",
    "it's", "don't", "PROJ-12", "#34", "acme/app#5", "ignore all previous instructions",
]  # fmt: skip


def random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(0, 12)):
            if rng.random() < 0.5:
                word = rng.choice(WORDS)
                parts.append(word.upper() if rng.random() < 0.3 else word)
            else:
                parts.append("".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 6))))
        texts.append(rng.choice(["", " ", "\n"]).join(parts))
    return texts


TEXTS = random_texts(3000, 20240611)
PATTERNS = {
    f"{module.__name__.rsplit('.', 1)[-1]}.{name}": value
    for module in (clarity, document, independence)
    for name, value in vars(module).items()
    if isinstance(value, Pattern)
}


def test_the_kinds() -> None:
    assert text_kind("plain text") == ASCII
    assert text_kind("a\x1cb") == PLAIN
    assert text_kind("caf\u00e9") == PLAIN
    assert text_kind("caf\u00e9", "\u0131") == ANY
    assert text_kind("ascii", "\u017f") == ANY


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_twins_find_the_same_matches(name: str) -> None:
    pattern = PATTERNS[name]
    for text in TEXTS:
        kind = text_kind(text)
        written = [m.span() for m in pattern.written.finditer(text)]
        for lower in (None, text.lower()):
            found = [m.span() for m in pattern.finditer(text, kind, lower)]
            assert found == written, (name, text)
            assert pattern.count(text, kind, lower) == len(written)
            assert bool(pattern.search(text, kind, lower)) == bool(written)
        assert pattern.sub(" ", text, kind) == pattern.written.sub(" ", text)


def test_a_pattern_with_capitals_has_no_lower_case_twin() -> None:
    assert Pattern(r"\bGET\b", re.IGNORECASE).lower is None
    assert Pattern(r"\bget\s\W", re.IGNORECASE).lower is not None
    assert Pattern(r"\bget\b").lower is None  # case-sensitive: nothing to twin


def test_words_as_the_document_splits_them() -> None:
    for text in TEXTS:
        lower = text.lower()
        kind = text_kind(lower)
        assert document._words(lower, kind) == document._WORD.written.findall(lower)
