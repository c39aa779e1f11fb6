"""Markdown code fences and spans that nothing inside them can close.

Text from a tracker is untrusted: a fence or span around it must be longer than
any run of backticks in it, or the text could end the code and be read as
Markdown. Both converters (wiki and ADF) build their code this way.
"""

from __future__ import annotations

import re

__all__ = ["code_span", "fence"]


def fence(content: str, language: str = "") -> str:
    """`content` as a fenced code block, `language` its info string (spaces removed)."""
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    ticks = "`" * max(3, longest + 1)
    info = re.sub(r"\s+", "", language)
    return f"{ticks}{info}\n{content}\n{ticks}"


def code_span(text: str) -> str:
    """`text` as an inline code span, padded when it starts or ends with a backtick."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"
