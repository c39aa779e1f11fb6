"""Finding the ticket's own criteria, scope and notes in its Markdown."""

from service.rules.sections import extract_sections
from service.scoring.document import parse


def test_criteria_section_with_nested_scenarios() -> None:
    body = (
        "Let admins export users.\n\n"
        "## Definition of done\n\nDone when:\n\n- CSV has one row per user\n\n"
        "### Edge cases\n\n- Deleted users are left out\n\n"
        "## Non-goals\n\nExcel export.\n"
    )
    sections = extract_sections(parse("Export users", body))
    assert sections.goal == "Let admins export users."
    assert sections.criteria == ("CSV has one row per user", "Deleted users are left out")
    assert sections.out_of_scope == ("Excel export.",)


def test_checklist_stands_in_for_a_missing_criteria_section() -> None:
    body = "Rename the setting.\n\n- [ ] Old name still read\n- [x] New name documented\n"
    sections = extract_sections(parse("Rename setting", body))
    assert sections.criteria == ("Old name still read", "New name documented")


def test_given_when_then_paragraphs_are_criteria() -> None:
    body = (
        "Lock accounts after failed logins.\n\n"
        "Given five failed logins\nWhen a sixth attempt is made\nThen the account is locked\n"
    )
    sections = extract_sections(parse("Lock accounts", body))
    assert sections.criteria == (
        "Given five failed logins\nWhen a sixth attempt is made\nThen the account is locked",
    )


def test_technical_notes_and_context_are_notes() -> None:
    body = (
        "Speed up search.\n\n## Implementation\n\nUse the existing index in `search/index.py`.\n\n"
        "## Additional context\n\n- Slow since 2.3\n"
    )
    sections = extract_sections(parse("Faster search", body))
    assert sections.notes == ("Use the existing index in `search/index.py`.", "Slow since 2.3")
    assert sections.criteria == ()


def test_goal_falls_back_to_the_title() -> None:
    sections = extract_sections(parse("Bump the minimum Python to 3.11", ""))
    assert sections.goal == "Bump the minimum Python to 3.11"
