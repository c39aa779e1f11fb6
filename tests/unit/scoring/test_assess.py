"""`service.scoring.assess` (service/scoring/__init__.py): the verdict and `missing`, and the
problems issue 19 found on examples/backlog.json, each on the example ticket itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from connectors.base import Link, LinkKind, Ticket, TicketState
from connectors.files import load_tickets
from service.scoring import (
    Assessment,
    BacklogContext,
    Dimension,
    Policy,
    Verdict,
    assess,
    assess_backlog,
)
from tests.unit.scoring.builders import GOOD_BODY, ticket

EXAMPLE_BACKLOG = Path(__file__).resolve().parents[3] / "examples" / "backlog.json"
OUT_OF_SCOPE = "Add an 'Out of scope' section"


@pytest.fixture(scope="module")
def example() -> dict[str, tuple[Ticket, Assessment]]:
    """The example backlog's tickets and their assessments, by title."""
    tickets = load_tickets(EXAMPLE_BACKLOG)
    return {t.title: (t, a) for t, a in zip(tickets, assess_backlog(tickets), strict=True)}


def codes(result: Assessment) -> set[str]:
    return {f.code for f in result.findings}


def test_reject_is_a_change_verb(example: dict[str, tuple[Ticket, Assessment]]) -> None:
    _, result = example["Reject expired coupons with a clear error message"]
    assert "no-change-asked" not in codes(result)
    assert result.verdict is Verdict.READY


def test_no_unsized_work_where_the_change_or_its_criteria_are_written_down(
    example: dict[str, tuple[Ticket, Assessment]],
) -> None:
    checked = 0
    for t, result in example.values():
        if "## Fix" in t.body or "## Change" in t.body or "## Acceptance criteria" in t.body:
            checked += 1
            assert "unsized-work" not in codes(result), t.title
    assert checked >= 10


def test_a_proposal_with_criteria_and_scope_is_a_change_not_a_support_request(
    example: dict[str, tuple[Ticket, Assessment]],
) -> None:
    _, result = example["Add Apple Pay as a payment method at checkout"]
    assert not {"no-change-asked", "support-request", "discussion"} & codes(result)
    # held for review for its untrusted author only
    assert result.verdict is Verdict.NEEDS_REVIEW
    assert result.missing == (
        next(f.suggestion for f in result.safety.findings if f.code == "untrusted-author"),
    )


def test_a_paragraph_of_ten_problems_is_too_large_and_split_in_its_own_words(
    example: dict[str, tuple[Ticket, Assessment]],
) -> None:
    _, result = example["Admin dashboard problems"]
    assert result.verdict is Verdict.TOO_LARGE
    assert result.estimate.low > Policy().target_hours
    split = next(f for f in result.size.findings if f.code == "several-problems")
    assert "the date picker starts the week on Sunday" in split.suggestion
    assert result.missing[0] == split.suggestion


def test_out_of_scope_leads_no_missing_list(example: dict[str, tuple[Ticket, Assessment]]) -> None:
    for t, result in example.values():
        assert not (result.missing and result.missing[0].startswith(OUT_OF_SCOPE)), t.title


def test_a_blocked_ticket_is_told_only_what_changes_its_verdict(
    example: dict[str, tuple[Ticket, Assessment]],
) -> None:
    blocked = [r for _, r in example.values() if r.verdict is Verdict.BLOCKED]
    assert blocked
    for result in blocked:
        blockers = [f.suggestion for f in result.independence.findings if f.blocking]
        assert list(result.missing) == blockers


def test_messages_are_grammatical(example: dict[str, tuple[Ticket, Assessment]]) -> None:
    messages = [f.message for _, r in example.values() for f in r.findings]
    assert not [m for m in messages if "title do not" in m or "title ask " in m]
    question = assess(ticket(title="How do I run the sync?", body="I am trying to run it."))
    assert any(f.message.startswith("The title asks a question") for f in question.findings)


# --- missing: by gain, and only what can change the verdict ---------------------------------


def test_missing_is_the_fewest_fixes_to_ready_largest_gain_first() -> None:
    result = assess(ticket(title="Sync and dates", body="The sync reads dates, sometimes?"))
    assert result.verdict is Verdict.NEEDS_CLARITY
    by_suggestion = {f.suggestion: f for f in result.findings if f.points > 0}
    listed = [by_suggestion[line] for line in result.missing]
    gains = [f.points for f in listed]  # all clarity here: the gain is the points
    assert all(f.dimension is Dimension.CLARITY for f in listed)
    assert gains == sorted(gains, reverse=True)
    # fixing what is listed reaches ready; a listed fix is never one that is not needed
    policy = Policy()
    after = result.clarity.score + sum(gains)
    assert after >= policy.clarity_threshold
    assert len(listed) <= len(by_suggestion)


def test_a_ticket_ready_but_for_its_blocker_is_told_about_the_blocker_alone() -> None:
    blocked = ticket(links=(Link(LinkKind.BLOCKED_BY, "acme/app#7", TicketState.OPEN),))
    result = assess(blocked)
    assert result.verdict is Verdict.BLOCKED
    assert result.missing == (
        "Finish or close acme/app#7 first, or remove the dependency if it no longer holds.",
    )


def test_a_ready_ticket_is_told_nothing() -> None:
    result = assess(ticket(body=GOOD_BODY))
    assert result.verdict is Verdict.READY
    assert result.missing == ()


def test_what_the_near_ready_list_needs_is_in_the_assessment() -> None:
    """The digest's near-ready list leaves out support requests and tickets far too large:
    the finding code and the estimate say so."""
    support = assess(
        ticket(
            title="Cannot start the service",
            body="Hi, I am trying to run it on my laptop but I can't. Any help? Thanks in advance.",
        )
    )
    assert "support-request" in codes(support)
    assert support.estimate.low > 0


def test_an_agents_questions_make_a_ready_ticket_need_clarity_and_say_so_first() -> None:
    good = ticket()
    assert assess(good).verdict is Verdict.READY
    asked = ("Which date format does --since take?", "Is the cursor kept?")
    result = assess(good, BacklogContext(agent_questions=asked))
    assert result.verdict is Verdict.NEEDS_CLARITY
    finding = next(f for f in result.findings if f.code == "agent-reported-unclear")
    assert finding.blocking and finding.evidence.splitlines() == list(asked)
    assert result.missing[0].startswith("Answer the agent's questions")
    # the questions outrank nothing a safety review or a blocker decides
    blocked = ticket(links=(Link(LinkKind.BLOCKED_BY, "acme/app#2", TicketState.OPEN),))
    assert assess(blocked, BacklogContext(agent_questions=asked)).verdict is Verdict.BLOCKED
