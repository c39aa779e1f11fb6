"""Rules files that tell an AI coding agent what to build for one ready ticket.

One renderer per agent format (`FORMATS`), each producing the file at the path
its agent reads, relative to a repository root: `AGENTS.md`, `CLAUDE.md`,
`.cursor/rules/<slug>.mdc`, `.github/instructions/<slug>.instructions.md`,
`.junie/guidelines.md`, `.windsurf/rules/<slug>.md`. The ticket's text is
untrusted: copied lines are neutralised and the original is fenced as data.
"""

from service.rules.files import UnsafePathError, write
from service.rules.formats import FORMATS, ticket_slug
from service.rules.render import RulesFile, render, render_all

__all__ = [
    "FORMATS",
    "RulesFile",
    "UnsafePathError",
    "render",
    "render_all",
    "ticket_slug",
    "write",
]
