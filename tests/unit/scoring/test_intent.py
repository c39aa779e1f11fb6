"""What a ticket asks for: instructions told by grammar, the whole text read for the ask."""

from __future__ import annotations

import pytest

from service.scoring import intent as intent_module
from service.scoring.intent import intent, is_instruction
from tests.unit.scoring.builders import GOOD_BODY, document, ticket


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Move the logger to `util/log.py`", True),
        ("[docs] Save the settings with the widget", True),
        ("cli: add a `--since` option", True),
        # verbs no list names: the grammar tells them
        ("Reject expired coupons with a clear error message", True),
        ("Deprecate the `--legacy` flag", True),
        ("Forbid uploads larger than 10 MB", True),
        ("Rate-limit POST /api/auth/password-reset", True),
        ("Please quarantine the flaky tests in CI", True),
        ("Moving the logger breaks the build", False),
        ("How do I move the logger?", False),
        ("The logger is slow", False),
        ("Sitemap does not include new products", False),
        ("Docker compose doesn't work", False),
        ("Support for Python 3.12", False),
        ("Checkout improvements", False),
        ("Admin dashboard problems", False),
        ("Type Annotations", False),
    ],
)
def test_an_instruction_opens_with_a_base_form_verb(text: str, expected: bool) -> None:
    assert is_instruction(text) is expected


def test_intent_is_measured_once_per_document() -> None:
    doc = document(ticket(title="How do I run the sync?", body="Hi, I am trying. Any help?"))
    assert intent(doc) is intent(doc)
    assert intent(doc).names_no_change


def test_a_well_written_ticket_asks_for_a_change_and_nothing_else() -> None:
    found = intent(document(ticket()))
    assert (found.question, found.support, found.discussion) == (0.0, 0.0, 0.0)
    assert not found.no_change and not found.closing_question and found.instruction


def test_the_ask_at_the_end_is_read() -> None:
    body = (
        "## Steps\n\n1. Install the package\n2. Run `sync`\n\n"
        "## Expected\n\nIt syncs.\n\n## Actual\n\nIt stops.\n\n"
        "I followed the guide twice. Did I mess up a step?\n\nThanks!"
    )
    found = intent(document(ticket(title="Sync stops after the first page", body=body)))
    assert found.closing_question
    assert not intent(document(ticket())).closing_question


@pytest.mark.parametrize(
    "closing",
    [
        "I would like to know other peoples' opinions on this matter.",
        "Would you be open to a pull request that adds it?",
        "I am wondering whether you guys would be open to merging a pull request for it.",
        "Names are definitely up for discussion.",
        "Is this something you would accept?",
    ],
)
def test_requests_for_opinions_or_permission_await_a_decision(closing: str) -> None:
    body = "The exporter could also write CSV files next to the JSON ones.\n\n" + closing
    assert intent(document(ticket(title="CSV export", body=body))).discussion > 0
    assert intent(document(ticket(title="CSV export", body=body.split("\n\n")[0]))).discussion == 0


def test_a_build_log_and_home_directory_paths_are_signs_of_a_support_request() -> None:
    story = "The build fails on my laptop.\n\n"
    log = (
        "```\ngcc -c src/net.c\nfatal error: openssl/ssl.h: No such file or directory\n"
        "make: *** [Makefile:781: all] Error 1\n```\n"
    )
    home = "The config is in /home/ana/projects/app/config.yaml as the guide says.\n"
    plain = intent(document(ticket(title="Build fails", body=story))).support
    with_log = intent(document(ticket(title="Build fails", body=story + log))).support
    with_both = intent(document(ticket(title="Build fails", body=story + log + home))).support
    assert plain < with_log < with_both


def test_a_polite_help_request_is_a_support_request() -> None:
    body = (
        "I was wondering if there is a similar option here. Doing it like below does not "
        "work for me.\n\nAny help would be greatly appreciated."
    )
    assert intent(document(ticket(title="Regressing out genes", body=body))).support > 0


def test_a_ticket_that_sets_out_its_change_is_no_support_request() -> None:
    """examples/backlog.json: "Add Apple Pay ..." opens with "Hi! I shop here a lot"."""
    body = (
        "Hi! I shop here a lot from my iPhone and typing card numbers is painful.\n\n"
        "## Proposal\nOffer Apple Pay through `src/payments/stripe_client.py`.\n\n"
        "## Acceptance criteria\n- [ ] Safari on iOS shows an Apple Pay button\n"
    )
    found = intent(document(ticket(title="Add Apple Pay at checkout", body=body)))
    assert found.support == 0 and found.discussion == 0 and not found.no_change


def test_should_we_is_a_question_not_a_change() -> None:
    assert intent(document(ticket(title="Guest checkout", body="Should we allow it?"))).no_change
    stated = ticket(title="Guest checkout", body="The checkout should allow guests.")
    assert not intent(document(stated)).no_change


def test_steps_to_reproduce_are_not_instructions_to_the_agent() -> None:
    body = "## Steps to reproduce\n\nRun the sync with an empty config and watch it stop."
    assert intent(document(ticket(title="Sync stops", body=body))).no_change


def test_the_opening_lines_are_the_preamble() -> None:
    doc = document(ticket(body=GOOD_BODY))
    assert intent_module.opening(doc).startswith("The `sync` command always reads")
