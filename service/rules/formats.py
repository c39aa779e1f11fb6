"""The agent formats: where each agent reads its rules, and its frontmatter.

| format   | path                                              | frontmatter                     |
|----------|---------------------------------------------------|---------------------------------|
| agents   | AGENTS.md                                         | none                            |
| claude   | CLAUDE.md                                         | none                            |
| cursor   | .cursor/rules/<slug>.mdc                          | description, globs, alwaysApply |
| copilot  | .github/instructions/<slug>.instructions.md       | applyTo                         |
| junie    | .junie/guidelines.md                              | none                            |
| windsurf | .windsurf/rules/<slug>.md (at most 12,000 chars)  | trigger, globs                  |

Globs come from the ticket's code areas: a directory `src/checkout` gives
`src/checkout/**`, a bare file name `setup.py` gives `**/setup.py`; several are
joined with commas, the form Cursor, Copilot and Windsurf all read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from slugify import slugify

from connectors.base import Ticket
from service.untrusted import clean_line, shorten

SLUG_MAX_LENGTH = 80
WINDSURF_MAX_CHARS = 12_000
_SAFE_AREA = re.compile(r"^[\w.-]+(?:/[\w.-]+)*$")
_DESCRIPTION_MAX_CHARS = 200


def ticket_slug(ticket: Ticket) -> str:
    """A file-name-safe slug from the key and title: `acme-storefront-12-fix-cart-rounding`.

    ASCII letters, digits and single hyphens only, at most SLUG_MAX_LENGTH
    characters, so no title can make a path that leaves its directory.
    """
    key = slugify(ticket.key, max_length=SLUG_MAX_LENGTH // 2) or "ticket"
    room = SLUG_MAX_LENGTH - len(key) - 1
    title = slugify(ticket.title, max_length=room, word_boundary=True) if room > 0 else ""
    return f"{key}-{title}" if title else key


def safe_areas(areas: tuple[str, ...]) -> tuple[str, ...]:
    """The code areas that are plain relative paths (no `..`, no absolute paths)."""
    safe: list[str] = []
    for area in areas:
        area = area.strip().strip("/")
        parts = area.split("/")
        if _SAFE_AREA.match(area) and not any(part in (".", "..") for part in parts):
            safe.append(area)
    return tuple(dict.fromkeys(safe))


def area_glob(area: str) -> str:
    """The glob matching every file of a code area."""
    if "/" not in area and "." in area.lstrip("."):
        return f"**/{area}"
    return f"{area}/**"


def globs_of(areas: tuple[str, ...]) -> str:
    """The areas' globs, comma-separated; "" when there are none."""
    return ",".join(area_glob(area) for area in areas)


def _description(ticket: Ticket) -> str:
    """Our words, naming the ticket by its key only (the title is the ticket's)."""
    return shorten(
        clean_line(f"backlog-sync brief for ticket {ticket.key}"), _DESCRIPTION_MAX_CHARS
    )


def _no_frontmatter(ticket: Ticket, areas: tuple[str, ...]) -> dict[str, object] | None:
    return None


def _cursor_frontmatter(ticket: Ticket, areas: tuple[str, ...]) -> dict[str, object] | None:
    values: dict[str, object] = {"description": _description(ticket)}
    if areas:
        values["globs"] = globs_of(areas)
    values["alwaysApply"] = not areas
    return values


def _copilot_frontmatter(ticket: Ticket, areas: tuple[str, ...]) -> dict[str, object] | None:
    return {"applyTo": globs_of(areas) or "**"}


def _windsurf_frontmatter(ticket: Ticket, areas: tuple[str, ...]) -> dict[str, object] | None:
    if areas:
        return {"trigger": "glob", "globs": globs_of(areas)}
    return {"trigger": "always_on"}


@dataclass(frozen=True, slots=True)
class FormatSpec:
    """One agent format: its file's path, its frontmatter and its size limit."""

    name: str
    agent: str
    template: str
    path: Callable[[str], str]  # ticket slug -> path relative to the repository root
    frontmatter: Callable[[Ticket, tuple[str, ...]], dict[str, object] | None]
    max_chars: int | None = None


SPECS: dict[str, FormatSpec] = {
    spec.name: spec
    for spec in (
        FormatSpec(
            "agents", "AGENTS.md", "agents.md.j2", lambda slug: "AGENTS.md", _no_frontmatter
        ),
        FormatSpec(
            "claude", "Claude Code", "claude.md.j2", lambda slug: "CLAUDE.md", _no_frontmatter
        ),
        FormatSpec(
            "cursor",
            "Cursor",
            "cursor.mdc.j2",
            lambda slug: f".cursor/rules/{slug}.mdc",
            _cursor_frontmatter,
        ),
        FormatSpec(
            "copilot",
            "GitHub Copilot",
            "copilot.instructions.md.j2",
            lambda slug: f".github/instructions/{slug}.instructions.md",
            _copilot_frontmatter,
        ),
        FormatSpec(
            "junie", "Junie", "junie.md.j2", lambda slug: ".junie/guidelines.md", _no_frontmatter
        ),
        FormatSpec(
            "windsurf",
            "Windsurf",
            "windsurf.md.j2",
            lambda slug: f".windsurf/rules/{slug}.md",
            _windsurf_frontmatter,
            max_chars=WINDSURF_MAX_CHARS,
        ),
    )
}

FORMATS: tuple[str, ...] = tuple(SPECS)


def spec_for(fmt: str) -> FormatSpec:
    """The spec of a format; ValueError naming the valid formats for an unknown one."""
    try:
        return SPECS[fmt]
    except KeyError:
        raise ValueError(
            f"unknown rules format {fmt!r}; valid formats: {', '.join(FORMATS)}"
        ) from None
