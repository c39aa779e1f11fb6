"""Render a ready ticket's rules file for each agent format (Jinja2 templates).

Templates live in `service/rules/templates/`, loaded by the service's one
Jinja environment (`service.untrusted.environment`): autoescape is off (the
output is Markdown), undefined names fail, and every value taken from the
ticket reaches a template wrapped as `Untrusted`, which refuses to print
except through the neutralising filters of `service.untrusted`.

A format with a size limit (Windsurf: 12,000 characters) is fitted by trimming
the quoted original text, with a note saying how much was cut; the requirements
(goal, criteria, scope, notes, project rules) are never trimmed. A file whose
requirements alone exceed the limit keeps them all and quotes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markdown_it import MarkdownIt

from connectors.base import Ticket
from service.rules.carried import NOTHING, carried, passes_scan
from service.rules.formats import FORMATS, FormatSpec, safe_areas, spec_for, ticket_slug
from service.rules.sections import TicketSections, extract_sections
from service.scoring.assessment import Assessment
from service.scoring.document import Document, parse
from service.tickets.store import estimate_text
from service.untrusted import Untrusted, environment, frontmatter, safe_url


@dataclass(frozen=True, slots=True)
class RulesFile:
    """One rendered rules file: its format, its path relative to a repository root, its
    text, and the ticket's slug (which names the file when the team's own file is at
    `path`, see `service.rules.files`)."""

    format: str
    path: str
    content: str
    slug: str = ""


def original_text(ticket: Ticket) -> str:
    """The ticket as written: its title, then its body."""
    return f"{ticket.title}\n\n{ticket.body}".strip()


def _cut(text: str, keep: int) -> str:
    """The first `keep` characters of `text`, ending at a line break when one is close."""
    kept = text[:keep]
    newline = kept.rfind("\n")
    if newline >= keep - 200 and newline > 0:
        kept = kept[:newline]
    return kept.rstrip("\n")


def _fit(draw: Callable[[str, int], str], original: str, max_chars: int | None) -> str:
    """Draw the file with the whole original text, trimming it to fit `max_chars`."""
    content = draw(original, 0)
    if max_chars is None or len(content) <= max_chars:
        return content
    keep = len(original)
    while True:
        keep = max(0, keep - (len(content) - max_chars))
        kept = _cut(original, keep)
        content = draw(kept, len(original) - len(kept))
        if len(content) <= max_chars or not kept:
            return content


_SENTINEL = "backlog-sync-end-of-project-rules"


def checked_project_rules(text: str | None) -> str | None:
    """The team's rules, stripped; ValueError when they leave a block open.

    An unclosed code fence or HTML block in the project rules would run on over
    the sections after it, and its end would close the fence around the
    ticket's text instead. A line after the rules must stay a paragraph.
    """
    if text is None:
        return None
    text = text.strip()
    tokens = MarkdownIt("commonmark").parse(f"{text}\n\n{_SENTINEL}\n")
    last = tokens[-2] if len(tokens) >= 2 else None
    if last is None or last.type != "inline" or last.content != _SENTINEL:
        raise ValueError(
            "project rules leave a code fence or HTML block open; close it before the end"
        )
    return text


def _untrusted(lines: tuple[str, ...]) -> tuple[Untrusted, ...]:
    return tuple(Untrusted(line) for line in lines)


@dataclass(frozen=True, slots=True)
class _Quoted:
    """What of the ticket a rules file repeats outside its fence (see `carried`)."""

    title: str
    sections: TicketSections
    withheld: int
    forced: bool


def _quoted(ticket: Ticket, doc: Document, *, forced: bool) -> _Quoted:
    if forced:
        return _Quoted("", NOTHING, 0, forced=True)
    kept = carried(extract_sections(doc))
    title = ticket.title if passes_scan(ticket.title) else ""
    return _Quoted(title, kept.sections, kept.withheld + (not title), forced=False)


def _render(
    spec: FormatSpec,
    ticket: Ticket,
    assessment: Assessment,
    quoted: _Quoted,
    project_rules: str | None,
) -> RulesFile:
    areas = safe_areas(assessment.areas)
    head = spec.frontmatter(ticket, areas)
    template = environment().get_template(spec.template)
    sections = quoted.sections
    context: dict[str, object] = {
        "frontmatter": frontmatter(head) + "\n" if head is not None else "",
        "key": Untrusted(ticket.key),
        "title": Untrusted(quoted.title),
        "url": safe_url(ticket.url),
        "forced": quoted.forced,
        "withheld": quoted.withheld,
        "estimate": estimate_text((assessment.estimate.low, assessment.estimate.high)),
        "goal": Untrusted(sections.goal),
        "steps": _untrusted(sections.steps),
        "expected": _untrusted(sections.expected),
        "actual": _untrusted(sections.actual),
        "criteria": _untrusted(sections.criteria),
        "out_of_scope": _untrusted(sections.out_of_scope),
        "notes": _untrusted(sections.notes),
        "areas": _untrusted(areas),
        "project_rules": checked_project_rules(project_rules),
        "agent": spec.agent,
        "max_chars": spec.max_chars,
    }

    def draw(original: str, trimmed: int) -> str:
        return template.render(context, original=Untrusted(original), trimmed=trimmed)

    content = _fit(draw, original_text(ticket), spec.max_chars)
    slug = ticket_slug(ticket)
    return RulesFile(format=spec.name, path=spec.path(slug), content=content, slug=slug)


def render(
    ticket: Ticket,
    assessment: Assessment,
    fmt: str,
    *,
    project_rules: str | None = None,
    document: Document | None = None,
    forced: bool = False,
) -> RulesFile:
    """The rules file of one format for one ticket.

    `project_rules` is the team's own Markdown rules, included as they are;
    `document` is the ticket already parsed, when the caller has it. `forced`
    (a person's decision to hand out a ticket that needs a safety review)
    repeats nothing of the ticket outside the fence and says so at the top.
    """
    spec = spec_for(fmt)
    doc = document if document is not None else parse(ticket.title, ticket.body)
    return _render(spec, ticket, assessment, _quoted(ticket, doc, forced=forced), project_rules)


def render_all(
    ticket: Ticket,
    assessment: Assessment,
    *,
    project_rules: str | None = None,
    document: Document | None = None,
    forced: bool = False,
) -> list[RulesFile]:
    """The rules files of every format, in the order of FORMATS."""
    doc = document if document is not None else parse(ticket.title, ticket.body)
    quoted = _quoted(ticket, doc, forced=forced)
    return [_render(spec_for(fmt), ticket, assessment, quoted, project_rules) for fmt in FORMATS]
