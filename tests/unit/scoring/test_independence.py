from __future__ import annotations

import pytest

from connectors.base import Link, LinkKind, Ticket, TicketState
from service.scoring import assess, independence
from service.scoring.assessment import BacklogContext, DimensionScore, Finding
from service.scoring.policy import Policy, Verdict
from tests.unit.scoring.builders import GOOD_BODY, document, ticket

OPEN = TicketState.OPEN
CLOSED = TicketState.CLOSED


def scored(
    t: Ticket, context: BacklogContext | None = None
) -> tuple[DimensionScore, tuple[str, ...]]:
    return independence.score(t, document(t), context or BacklogContext(), Policy())


def findings(t: Ticket, context: BacklogContext | None = None) -> dict[str, Finding]:
    return {f.code: f for f in scored(t, context)[0].findings}


def test_an_independent_ticket_loses_no_points() -> None:
    result, blockers = scored(ticket())
    assert (result.score, result.findings, blockers) == (100, (), ())


def test_open_blocker_link_blocks() -> None:
    t = ticket(links=(Link(LinkKind.BLOCKED_BY, "acme/app#7", OPEN),))
    result, blockers = scored(t)
    assert blockers == ("acme/app#7",)
    assert result.findings[0].code == "open-blocker"
    assert result.findings[0].blocking
    assert result.score == 100 - result.findings[0].points


def test_closed_blocker_link_is_no_blocker() -> None:
    t = ticket(links=(Link(LinkKind.BLOCKED_BY, "acme/app#7", CLOSED),))
    assert scored(t) == (scored(ticket())[0], ())


def test_link_state_comes_from_the_backlog_when_the_tracker_did_not_say() -> None:
    t = ticket(links=(Link(LinkKind.BLOCKED_BY, "PROJ-7"),))
    assert scored(t, BacklogContext(ticket_states={"PROJ-7": CLOSED}))[1] == ()
    assert scored(t, BacklogContext(ticket_states={"PROJ-7": OPEN}))[1] == ("PROJ-7",)


def test_other_link_kinds_do_not_block() -> None:
    links = tuple(Link(kind, "acme/app#9", OPEN) for kind in (LinkKind.BLOCKS, LinkKind.RELATES))
    assert scored(ticket(links=links))[1] == ()


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Blocked by #12.", "acme/app#12"),
        ("This depends on #12.", "acme/app#12"),
        ("Start after PROJ-7 lands.", "PROJ-7"),
        ("Requires #3 first.", "acme/app#3"),
        ("Depends on other/lib#4.", "other/lib#4"),
    ],
)
def test_blocker_named_in_the_text(sentence: str, expected: str) -> None:
    result, blockers = scored(ticket(body=sentence + "\n\n" + GOOD_BODY))
    assert blockers == (expected,)
    assert "state is unknown" in result.findings[0].message


def test_blocker_section_lists_every_ref() -> None:
    body = GOOD_BODY + "\n## Depends on\n\n- #12\n- #14\n"
    assert scored(ticket(body=body))[1] == ("acme/app#12", "acme/app#14")


@pytest.mark.parametrize(
    "sentence",
    [
        "See #12 for the background.",
        "No longer blocked by #12.",
        "After #9 we saw the crash again.",
        "Requires #3 to be reverted too.",
    ],
)
def test_mentions_are_not_blockers(sentence: str) -> None:
    assert scored(ticket(body=sentence + "\n\n" + GOOD_BODY))[1] == ()


def test_text_blocker_that_is_closed_is_no_blocker() -> None:
    t = ticket(body="Blocked by #12.\n\n" + GOOD_BODY)
    assert scored(t, BacklogContext(ticket_states={"acme/app#12": CLOSED}))[1] == ()
    result, blockers = scored(t, BacklogContext(ticket_states={"acme/app#12": OPEN}))
    assert blockers == ("acme/app#12",)
    assert "state is unknown" not in result.findings[0].message


def test_short_keys_resolve_against_the_tickets_own_prefix() -> None:
    assert independence.resolve("#12", "owner/repo#5") == "owner/repo#12"
    assert independence.resolve("#12", "#5") == "#12"
    assert independence.resolve("PROJ-7", "owner/repo#5") == "PROJ-7"


def test_open_blocker_gives_verdict_blocked() -> None:
    assessment = assess(ticket(links=(Link(LinkKind.BLOCKED_BY, "acme/app#7", OPEN),)))
    assert assessment.verdict is Verdict.BLOCKED
    assert assessment.blockers == ("acme/app#7",)


def test_waiting_on_decision_loses_points_without_blocking() -> None:
    t = ticket(body=GOOD_BODY + "\nThe date format is pending design review.\n")
    found = findings(t)
    assert not found["waiting-on-decision"].blocking
    assert found["waiting-on-decision"].points == independence.WAITING_POINTS
    assert "waiting-on-decision" not in findings(ticket())


def test_area_in_flight_of_another_ticket() -> None:
    assert document(ticket()).areas == ("service", "tests/unit")
    busy = BacklogContext(areas_in_flight={"acme/app#40": frozenset({"tests/unit"})})
    found = findings(ticket(), busy)
    assert not found["area-in-flight"].blocking
    assert "acme/app#40" in found["area-in-flight"].message


def test_own_areas_and_other_areas_are_not_in_flight() -> None:
    areas = frozenset(document(ticket()).areas)
    own = BacklogContext(areas_in_flight={"acme/app#1": areas})
    other = BacklogContext(areas_in_flight={"acme/app#40": frozenset({"web/static"})})
    assert "area-in-flight" not in findings(ticket(), own)
    assert "area-in-flight" not in findings(ticket(), other)


def test_a_ticket_assigned_to_a_person_is_someone_elses_work() -> None:
    taken = ticket(assignees=("alice",))
    found = findings(taken)["in-progress-elsewhere"]
    assert found.blocking and "alice" in found.message
    assert assess(taken).verdict is Verdict.BLOCKED
    assert "in-progress-elsewhere" not in findings(ticket())


def test_the_bot_account_and_closed_tickets_are_not_work_in_progress() -> None:
    policy = Policy(bot_accounts=("Backlog-Bot",))
    ours = ticket(assignees=("backlog-bot",))
    result, _ = independence.score(ours, document(ours), BacklogContext(), policy)
    assert "in-progress-elsewhere" not in {f.code for f in result.findings}
    assert assess(ours, policy=policy).verdict is Verdict.READY
    done = ticket(assignees=("alice",), state=CLOSED)
    assert "in-progress-elsewhere" not in findings(done)


def test_a_ticket_with_no_code_area_says_so_without_losing_points() -> None:
    vague = ticket(body="Make the export faster.\n\n## Acceptance criteria\n\n- [ ] It is faster")
    found = findings(vague)["areas-unknown"]
    assert found.points == 0 and not found.blocking
    assert "areas-unknown" not in findings(ticket())  # GOOD_BODY names its files
