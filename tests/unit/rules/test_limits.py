"""A format with a size limit trims the quoted original text, never the requirements."""

from markdown_it import MarkdownIt

from connectors.base import Ticket
from service.rules import render
from service.rules.formats import WINDSURF_MAX_CHARS
from tests.unit.rules.builders import assessment, split_frontmatter

CRITERIA = [f"Report {n} lists every order placed in region {n}" for n in range(1, 9)]


def huge_ticket() -> Ticket:
    filler = "\n\n".join(
        f"Paragraph {n}: the exporter walks the order table and writes one CSV row per order."
        for n in range(700)
    )
    body = (
        "Export monthly order reports per region.\n\n## Acceptance criteria\n\n"
        + "\n".join(f"- [ ] {c}" for c in CRITERIA)
        + "\n\n## Background\n\n"
        + filler
    )
    assert len(body) > 50_000
    return Ticket(source="jira:OPS", key="OPS-88", title="Monthly order reports", body=body)


def test_windsurf_file_fits_its_limit_and_keeps_every_criterion() -> None:
    ticket = huge_ticket()
    content = render(ticket, assessment(("reports/export",)), "windsurf").content
    assert len(content) <= WINDSURF_MAX_CHARS
    for criterion in CRITERIA:
        assert f"- [ ] {criterion}\n" in content

    _, body = split_frontmatter(content)
    (fence,) = [t for t in MarkdownIt("commonmark").parse(body) if t.type == "fence"]
    original = f"{ticket.title}\n\n{ticket.body}"
    kept = fence.content.rstrip("\n")
    assert original.startswith(kept)
    assert f"... trimmed {len(original) - len(kept)} characters" in content


def test_formats_without_a_limit_quote_everything() -> None:
    ticket = huge_ticket()
    content = render(ticket, assessment(), "agents").content
    assert ticket.body in content
    assert "trimmed" not in content


def test_a_small_ticket_is_not_trimmed_in_windsurf() -> None:
    ticket = Ticket(source="jira:OPS", key="OPS-1", title="Small", body="Add a `--dry-run` flag.")
    content = render(ticket, assessment(), "windsurf").content
    assert ticket.body in content
    assert "trimmed" not in content
