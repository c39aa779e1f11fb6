from __future__ import annotations

import random

import pytest

from connectors.base import Comment, Ticket
from service.scoring import clarity
from service.scoring.assessment import DimensionScore
from service.scoring.intent import intent
from service.scoring.policy import Policy
from tests.unit.scoring.builders import GOOD_BODY, GOOD_TITLE, document, ticket


def scored(t: Ticket) -> DimensionScore:
    return clarity.score(t, document(t), Policy())


def codes(t: Ticket) -> set[str]:
    return {f.code for f in scored(t).findings}


def test_a_well_written_ticket_loses_no_points() -> None:
    result = scored(ticket())
    assert result.score == 100
    assert result.findings == ()


def test_lost_points_are_exactly_the_findings() -> None:
    t = ticket(title="help", body="How do I install it? I tried everything on my laptop.")
    result = scored(t)
    assert result.score == 100 - sum(f.points for f in result.findings)
    assert 0 <= result.score < 40


def test_labels_do_not_change_clarity() -> None:
    plain = ticket(body="Fix it")
    labelled = ticket(body="Fix it", labels=("good first issue", "ai:ready", "question"))
    assert scored(plain) == scored(labelled)


def test_question_title() -> None:
    assert "question" in codes(ticket(title="How do I configure the sync interval?"))
    assert "question" not in codes(ticket())


def test_question_in_the_opening_lines() -> None:
    body = "Is there a way to run the sync only for one project?\n\n" + GOOD_BODY
    assert "question" in codes(ticket(body=body))


def test_support_request_about_the_reporters_setup() -> None:
    body = (
        "Hi, I am trying to run the service on my laptop but I can't get it to start. "
        "I tried reinstalling. Operating System: Windows 11, Python version 3.11. "
        "Please help, thanks in advance."
    )
    assert "support-request" in codes(ticket(title="Service will not start", body=body))
    assert "support-request" not in codes(ticket())


def test_discussion() -> None:
    body = "RFC: what do you think about moving the queue to Redis?\n\n" + GOOD_BODY
    assert "discussion" in codes(ticket(body=body))
    assert "discussion" not in codes(ticket())


def test_no_change_asked() -> None:
    t = ticket(title="Sync command and dates", body="The sync command reads dates.")
    found = {f.code: f for f in scored(t).findings}
    assert found["no-change-asked"].message == (
        "Neither the title nor the description says what to add, fix or remove."
    )
    assert "no-change-asked" not in codes(ticket())


def test_a_deliverable_named_in_the_body_is_a_change_whatever_the_title() -> None:
    body = "Add type annotations to the public functions in `solcore/structure.py`."
    assert "no-change-asked" not in codes(ticket(title="Type Annotations", body=body))
    assert "no-change-asked" in codes(
        ticket(title="Type Annotations", body="Type annotations are useful to users.")
    )


def test_no_acceptance_criteria() -> None:
    body = "The `sync` command reads everything; give it a `--since` option in `service/sync.py`."
    found = {f.code: f for f in scored(ticket(body=body)).findings}
    assert found["no-acceptance-criteria"].suggestion.startswith("Add an 'Acceptance criteria'")
    assert "no-acceptance-criteria" not in codes(ticket())


def test_stated_desired_behaviour_is_partial_acceptance() -> None:
    title = "The `--since` date of the `sync` command"
    vague = ticket(title=title, body="The `sync` command reads everything in `service/sync.py`.")
    desired = ticket(
        title=title, body="The `sync` command in `service/sync.py` should accept a `--since` date."
    )
    lost = {f.code: f.points for f in scored(vague).findings}
    lost_desired = {f.code: f.points for f in scored(desired).findings}
    assert 0 < lost_desired["no-acceptance-criteria"] < lost["no-acceptance-criteria"]


@pytest.mark.parametrize(
    "criteria",
    [
        "## Definition of done\n\nThe option is documented and tested.",
        "- [ ] the option is documented\n- [ ] the option is tested",
        "Given a date\nWhen I run sync\nThen only newer tickets are fetched",
    ],
)
def test_acceptance_criteria_forms(criteria: str) -> None:
    body = "Add a `--since` option to `service/sync.py`.\n\n" + criteria
    assert "no-acceptance-criteria" not in codes(ticket(body=body))


def test_checked_template_attestations_are_not_acceptance_criteria() -> None:
    body = (
        "- [x] I have searched the existing issues\n\n"
        "Add a `--since` option to `fetch_changed` in `service/sync.py`."
    )
    assert "no-acceptance-criteria" in codes(ticket(body=body))


def test_no_technical_pointers() -> None:
    body = "Make the synchronisation faster for people with large backlogs, it is slow."
    assert "no-technical-pointers" in codes(ticket(title="Make sync faster", body=body))
    assert "no-technical-pointers" not in codes(ticket())


def test_few_technical_pointers() -> None:
    body = "Make the synchronisation faster; the `fetch` loop is slow for large backlogs."
    found = codes(ticket(title="Make sync faster", body=body))
    assert "few-technical-pointers" in found
    assert "no-technical-pointers" not in found
    assert "few-technical-pointers" not in codes(ticket())


def test_incomplete_bug_report() -> None:
    body = "The sync crashes with large backlogs. Fix the crash in `service/sync.py`."
    found = {f.code: f for f in scored(ticket(title="Sync crashes", body=body)).findings}
    assert "steps to reproduce" in found["incomplete-bug-report"].message


def test_complete_bug_report() -> None:
    body = """\
Fix the crash in `service/sync.py` on version 1.4.2.

## Steps to reproduce

1. Import 10,000 tickets
2. Run `backlog-sync sync`

Expected: all tickets are synced. Actual: it stops with

```
Traceback (most recent call last):
ValueError: cursor out of range
```
"""
    assert "incomplete-bug-report" not in codes(
        ticket(title="Sync crashes on big imports", body=body)
    )


def test_no_scope_limits() -> None:
    assert "no-scope-limits" in codes(ticket(body=GOOD_BODY.split("## Out of scope")[0]))
    assert "no-scope-limits" not in codes(ticket())


def test_vague_title() -> None:
    assert "vague-title" in codes(ticket(title="Doesn't work"))
    assert "vague-title" in codes(ticket(title="Improvements"))
    assert "vague-title" not in codes(ticket(title=GOOD_TITLE))


def test_short_body() -> None:
    found = {f.code: f for f in scored(ticket(body="Add the option.")).findings}
    assert found["short-body"].points == Policy().finding_points["short-body"]
    assert "short-body" not in codes(ticket())


def test_a_code_set_to_zero_points_is_left_out() -> None:
    short = ticket(body="Add the option.")
    assert "short-body" in codes(short)
    quiet = Policy(finding_points={"short-body": 0})
    assert "short-body" not in {
        f.code for f in clarity.score(short, document(short), quiet).findings
    }


def test_points_follow_the_policy_and_the_strength() -> None:
    t = ticket(body=GOOD_BODY + "\nShould we also support time zones?\n")
    policy = Policy(finding_points={"open-questions": 40})
    found = clarity.score(t, document(t), policy).findings
    finding = next(f for f in found if f.code == "open-questions")
    assert 0 < finding.strength < 1
    assert finding.points == round(40 * finding.strength)


def test_open_questions_in_prose_but_not_in_code() -> None:
    body = GOOD_BODY + "\nShould we also support time zones? Not sure, TBD.\n"
    found = {f.code: f for f in scored(ticket(body=body)).findings}
    assert "open-questions" in found
    assert "'tbd'" in found["open-questions"].message
    in_code = GOOD_BODY + "\n```\nwhat? why? really?\n```\n"
    assert "open-questions" not in codes(ticket(body=in_code))


def test_unanswered_question_in_the_last_comment() -> None:
    asked = (Comment(id="1", body="Looks good."), Comment(id="2", body="Which date format?"))
    answered = (*asked, Comment(id="3", body="ISO 8601, as in the example."))
    assert "unanswered-question" in codes(ticket(comments=asked))
    assert "unanswered-question" not in codes(ticket(comments=answered))


def test_own_comment_is_not_an_unanswered_question() -> None:
    own = Comment(id="9", body="Is this ready? See the findings.", is_own=True)
    assert "unanswered-question" not in codes(ticket(comments=(own,)))


def test_wall_of_text() -> None:
    sentence = "The sync command reads the whole backlog every time and that is slow. "
    body = "Add a `--since` option to `service/sync.py`. " + sentence * 25
    assert "wall-of-text" in codes(ticket(body=body))
    assert "wall-of-text" not in codes(ticket(body=GOOD_BODY + "\n" + sentence * 25))


def test_template_leftovers() -> None:
    body = "<!-- Please describe the bug in detail -->\n\n" + GOOD_BODY + "\n## Logs\n"
    found = {f.code: f for f in scored(ticket(body=body)).findings}
    assert "'Logs'" in found["template-leftovers"].message
    assert "template-leftovers" not in codes(ticket())


def test_a_change_request_outscores_a_support_question() -> None:
    change = ticket(
        title="Retry `fetch_one` on 502 responses",
        body="`fetch_one` in `connectors/github.py` gives up on the first 502. "
        "It should retry with the shared `Backoff`.",
    )
    support = ticket(
        title="Cannot fetch tickets",
        body="Hello, I am getting an error when I run the sync on my machine. "
        "How can I fix this? Thanks!",
    )
    assert scored(change).score >= scored(support).score + 30


def test_an_instruction_is_partial_acceptance() -> None:
    body = "The `sync` command in `service/sync.py` reads the whole backlog every time."
    report = ticket(title="The `sync` command reads everything", body=body)
    instruction = ticket(title="[sync] Pass a `--since` date to `fetch_changed`", body=body)
    lost = {f.code: f for f in scored(report).findings}
    lost_instruction = {f.code: f for f in scored(instruction).findings}
    assert lost["no-acceptance-criteria"].strength == 1.0
    assert lost_instruction["no-acceptance-criteria"].strength == clarity.ACCEPTANCE_PARTIAL
    assert "Says what to do" in lost_instruction["no-acceptance-criteria"].message


def test_the_intent_findings_are_the_measured_intent() -> None:
    of = ticket(title="How do I run the sync?", body="Hi, I am trying to run it. Any help?")
    found = {f.code: f for f in scored(of).findings}
    gap = intent(document(of))
    assert found["question"].strength == gap.question
    assert found["support-request"].strength == gap.support
    assert not {"question", "support-request", "discussion"} & codes(ticket())


def test_questions_are_counted_as_the_question_pattern_finds_them() -> None:
    rng = random.Random(5)
    alphabet = "ab_9 ?\n\t!.\"')]([\u00e9\u3000\x1c"
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        expected = len(clarity._QUESTION_SENTENCE.written.findall(text))
        assert clarity._count_questions(text) == expected, repr(text)


def test_a_report_that_states_its_fix_is_not_read_as_an_incomplete_bug_report() -> None:
    report = "Checkout crashes with a KeyError when a gift card is in the cart."
    fix = report + "\n\n## Fix\nSkip the discount lookup for lines without a SKU in `cart.py`."
    assert "incomplete-bug-report" in codes(ticket(title="Checkout crashes", body=report))
    assert "incomplete-bug-report" not in codes(ticket(title="Checkout crashes", body=fix))


def test_a_section_heading_is_no_discussion_and_no_hedge() -> None:
    body = "## Proposal\nAdd Apple Pay through `src/payments/stripe_client.py`.\n\n" + GOOD_BODY
    assert not {"discussion", "open-questions"} & codes(ticket(body=body))
    assert "discussion" in codes(ticket(body="This is a proposal, open for discussion."))
