"""Rules files that tell an AI coding agent what to build for one ready ticket.

One renderer per agent format (`FORMATS`), each producing the file at the path
its agent reads, relative to a repository root: `AGENTS.md`, `CLAUDE.md`,
`.cursor/rules/<slug>.mdc`, `.github/instructions/<slug>.instructions.md`,
`.junie/guidelines.md`, `.windsurf/rules/<slug>.md`. The ticket's text is
untrusted: copied lines are neutralised and the original is fenced as data.
Where the team's own `AGENTS.md`, `CLAUDE.md` or `.junie/guidelines.md` is,
the brief goes into `.backlog-sync/<slug>.md` and the team's file gets one
line pointing to it (`service.rules.files`).
"""

from service.rules.files import Placement, UnsafePathError, place, remove_references, write
from service.rules.formats import FORMATS, ticket_slug
from service.rules.render import RulesFile, render, render_all

__all__ = [
    "FORMATS",
    "Placement",
    "RulesFile",
    "UnsafePathError",
    "place",
    "remove_references",
    "render",
    "render_all",
    "ticket_slug",
    "write",
]
