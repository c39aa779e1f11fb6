import os
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from service.rules import FORMATS, render, render_all
from tests.unit.rules.builders import (
    PROJECT_RULES,
    assessment,
    full_ticket,
    minimal_ticket,
    split_frontmatter,
)

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

CASES = {
    "full": (full_ticket, ("src/cart", "src/checkout"), PROJECT_RULES),
    "minimal": (minimal_ticket, (), None),
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_rendered_file_matches_golden(case: str, fmt: str) -> None:
    make_ticket, areas, rules = CASES[case]
    rendered = render(make_ticket(), assessment(areas), fmt, project_rules=rules)
    golden = GOLDEN / case / f"{fmt}.md"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(rendered.content, encoding="utf-8", newline="\n")
    assert golden.exists(), f"no golden file {golden}; run with UPDATE_GOLDEN=1 to create it"
    assert rendered.content == golden.read_text(encoding="utf-8")


def test_files_go_where_each_agent_reads_them() -> None:
    paths = {f.format: f.path for f in render_all(full_ticket(), assessment())}
    slug = "acme-storefront-12-fix-cart-rounding-for-multi-item-totals"
    assert paths == {
        "agents": "AGENTS.md",
        "claude": "CLAUDE.md",
        "cursor": f".cursor/rules/{slug}.mdc",
        "copilot": f".github/instructions/{slug}.instructions.md",
        "junie": ".junie/guidelines.md",
        "windsurf": f".windsurf/rules/{slug}.md",
    }


def _frontmatter(fmt: str, areas: tuple[str, ...]) -> object:
    content = render(full_ticket(), assessment(areas), fmt).content
    head, _ = split_frontmatter(content)
    return None if head is None else yaml.safe_load(head)


def test_frontmatter_scopes_the_rule_to_the_ticket_code_areas() -> None:
    areas = ("src/cart", "src/checkout", "setup.py")
    assert _frontmatter("cursor", areas) == {
        "description": "backlog-sync brief for ticket acme/storefront#12",
        "globs": "src/cart/**,src/checkout/**,**/setup.py",
        "alwaysApply": False,
    }
    assert _frontmatter("copilot", areas) == {"applyTo": "src/cart/**,src/checkout/**,**/setup.py"}
    assert _frontmatter("windsurf", areas) == {
        "trigger": "glob",
        "globs": "src/cart/**,src/checkout/**,**/setup.py",
    }
    for fmt in ("agents", "claude", "junie"):
        assert _frontmatter(fmt, areas) is None


def test_frontmatter_applies_everywhere_without_code_areas() -> None:
    assert _frontmatter("cursor", ()) == {
        "description": "backlog-sync brief for ticket acme/storefront#12",
        "alwaysApply": True,
    }
    assert _frontmatter("copilot", ()) == {"applyTo": "**"}
    assert _frontmatter("windsurf", ()) == {"trigger": "always_on"}


def _section(content: str, heading: str) -> str:
    """The text under one `## heading` of a rendered file."""
    _, body = split_frontmatter(content)
    after = body.split(f"\n## {heading}\n", 1)[1]
    return after.split("\n## ", 1)[0].strip()


def _quoted(content: str, heading: str) -> list[str]:
    """The lines of a section that quote the ticket, after the line introducing them."""
    intro, _, rest = _section(content, heading).partition("\n\n")
    assert "ticket" in intro.lower(), intro  # marked as the ticket's words
    return rest.split("\n\n", 1)[0].splitlines()


def test_requirements_come_from_the_ticket_sections() -> None:
    content = render(full_ticket(), assessment(("src/cart",)), "agents").content
    assert _quoted(content, "Goal")[0].startswith("> Cart totals are rounded on every line")
    assert _quoted(content, "Acceptance criteria") == [
        "- [ ] The cart total is the sum of unrounded line amounts, rounded half-even"
        " to the minor unit",
        "- [ ] Currencies without a minor unit (JPY) show no decimals",
        "- [ ] `CartTotals.compute` returns `Decimal`, never `float`",
    ]
    assert _quoted(content, "Out of scope") == [
        "- Tax calculation",
        "- The order confirmation email",
    ]
    notes = _section(content, "Technical notes")
    assert "`src/checkout/totals.py`" in notes
    assert "`src/cart`" in notes


def test_minimal_ticket_says_what_is_missing_without_padding() -> None:
    content = render(minimal_ticket(), assessment(), "claude").content
    assert _quoted(content, "Goal") == [
        "> The page footer should show the build number from the BUILD_ID variable."
    ]
    assert "no acceptance criteria" in _section(content, "Acceptance criteria")
    assert _section(content, "Out of scope") == "Anything not asked for above."
    assert "## Technical notes" not in content
    assert "## Project rules" not in content
    assert "- [ ] The goal above is met." in _section(content, "Definition of done")


def test_project_rules_are_included_when_given() -> None:
    with_rules = render(full_ticket(), assessment(), "agents", project_rules=PROJECT_RULES)
    without = render(full_ticket(), assessment(), "agents")
    assert _section(with_rules.content, "Project rules") == PROJECT_RULES.strip()
    assert "## Project rules" not in without.content


def test_bug_report_parts_are_carried_over() -> None:
    ticket = minimal_ticket().__class__(
        source="github:acme/app",
        key="#40",
        title="Login button does nothing on Safari",
        kind="bug",
        body=(
            "Clicking Log in on Safari 17 does nothing.\n\n"
            "## Steps to reproduce\n\n1. Open /login in Safari 17\n2. Click Log in\n\n"
            "## Expected behaviour\n\nThe dashboard opens.\n\n"
            "## Actual behaviour\n\nNothing happens; the console shows `TypeError`.\n"
        ),
    )
    content = render(ticket, assessment(), "agents").content
    assert _quoted(content, "Steps to reproduce") == [
        "1. Open /login in Safari 17",
        "2. Click Log in",
    ]
    assert _quoted(content, "Expected behaviour") == ["- The dashboard opens."]
    assert _quoted(content, "Actual behaviour") == [
        "- Nothing happens; the console shows `TypeError`."
    ]


def test_the_original_text_is_quoted_whole_in_one_fence() -> None:
    ticket = full_ticket()
    for rules_file in render_all(ticket, assessment()):
        _, body = split_frontmatter(rules_file.content)
        fences = [t for t in MarkdownIt("commonmark").parse(body) if t.type == "fence"]
        assert len(fences) == 1, rules_file.format
        assert fences[0].content == f"{ticket.title}\n\n{ticket.body}"


def test_unknown_format_names_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="agents, claude, cursor, copilot, junie, windsurf"):
        render(full_ticket(), assessment(), "vim")


def test_project_rules_that_leave_a_fence_open_are_refused() -> None:
    # Its end would otherwise close the fence meant for the ticket's own text.
    with pytest.raises(ValueError, match="code fence"):
        render(full_ticket(), assessment(), "agents", project_rules="Run:\n\n```sh\nmake check\n")
