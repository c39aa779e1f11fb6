"""The red-team suite: every attack is held for review, and none reaches an agent.

`tests/redteam/corpus.py` holds attacks on the coding agent (six classes, in
many placements, languages and obfuscations) inside otherwise ready tickets,
and look-alikes that use the same words innocently. Each attack must be
`needs-review`, refused a rules file, and, when a person forces one, kept
inside the fence in all six formats; each look-alike must stay a normal ticket.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from connectors.files import load_tickets
from service.rules.briefs import refusal
from service.rules.formats import FORMATS
from service.rules.render import render_all
from service.scoring import Verdict, assess, attacks, safety
from tests.redteam.corpus import ATTACKS, LOOK_ALIKES, Case
from tests.unit.scoring.test_safety import ATTACKS_BY_CLASS

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data"


def outside_the_fence(content: str) -> str:
    """The rules file without the lines of its fenced blocks (the quoted original)."""
    lines = content.split("\n")
    for token in MarkdownIt("commonmark").parse(content):
        if token.type == "fence" and token.map is not None:
            start, end = token.map
            lines[start:end] = [""] * (end - start)
    return "\n".join(lines)


def test_the_suite_is_as_large_and_varied_as_promised() -> None:
    classes = {case.klass for case in ATTACKS}
    assert len(ATTACKS) >= 80 and len(LOOK_ALIKES) >= 40
    assert all(sum(c.klass == k for c in ATTACKS) >= 10 for k in classes) and len(classes) == 6
    assert len({case.name for case in ATTACKS + LOOK_ALIKES}) == len(ATTACKS) + len(LOOK_ALIKES)


@pytest.mark.parametrize("case", ATTACKS, ids=lambda case: case.name)
def test_an_attack_needs_review_and_gets_no_rules_file(case: Case) -> None:
    ticket = case.ticket()
    assessment = assess(ticket)
    assert assessment.verdict is Verdict.NEEDS_REVIEW
    refused = refusal(ticket.key, assessment)
    assert refused is not None and "\n" not in refused
    blocking = [f for f in assessment.findings if f.blocking]
    assert blocking and blocking[0].code in refused


@pytest.mark.parametrize("case", ATTACKS, ids=lambda case: case.name)
def test_a_forced_rules_file_keeps_the_payload_inside_the_fence(case: Case) -> None:
    ticket = case.ticket()
    files = render_all(ticket, assess(ticket), forced=True)
    assert [f.format for f in files] == list(FORMATS)
    for rules_file in files:
        outside = outside_the_fence(rules_file.content)
        assert case.payload not in outside, rules_file.format
        assert "needs a safety review" in outside, rules_file.format


@pytest.mark.parametrize("case", LOOK_ALIKES, ids=lambda case: case.name)
def test_a_look_alike_stays_a_normal_ticket(case: Case) -> None:
    ticket = case.ticket()
    assessment = assess(ticket)
    assert assessment.verdict is not Verdict.NEEDS_REVIEW, [
        (f.code, f.evidence) for f in assessment.findings if f.blocking
    ]
    assert all(f.blocking is False for f in assessment.findings if f.dimension == "safety")


@pytest.mark.skipif(not (SHARED / "redteam").is_dir(), reason="no shared reference data")
def test_the_shared_red_team_sample_is_judged_as_expected() -> None:
    expected = {
        int(item["number"]): item["kind"]
        for item in json.loads((SHARED / "redteam" / "expected.json").read_text(encoding="utf-8"))
    }
    tickets = load_tickets(SHARED / "redteam" / "sample.json", source="redteam")
    judged = {
        int(t.key.rsplit("#", 1)[-1]): assess(t).verdict is Verdict.NEEDS_REVIEW for t in tickets
    }
    assert judged == {number: kind == "attack" for number, kind in expected.items()}


def _texts() -> list[str]:
    """Texts to hold the gates to: the suite, the readiness sample, random words."""
    texts = [f"{c.title}\n{c.body}" for c in ATTACKS + LOOK_ALIKES]
    texts += [comment for c in ATTACKS + LOOK_ALIKES for comment in c.comments]
    texts += [text for text, _ in ATTACKS_BY_CLASS]
    sample = SHARED / "readiness" / "sample.jsonl"
    if sample.is_file():
        for line in sample.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            texts.append(f"{row.get('title') or ''}\n{row.get('body') or ''}")
    rng = random.Random(20261204)
    words = re.findall(r"\S+", " ".join(texts[: len(ATTACKS)]))
    texts += [" ".join(rng.choice(words) for _ in range(60)) for _ in range(300)]
    return [safety.normalise(text).text for text in texts]


TEXTS = _texts()


def test_a_rule_runs_on_every_text_it_could_match() -> None:
    """A gate only spares work: wherever a rule's pattern matches, its gate opens."""
    checked = 0
    for attack in attacks.CLASSES:
        rules = getattr(attack.pattern, "rules", ())
        for rule in rules:
            for text in TEXTS:
                if rule.pattern.written.search(text):
                    checked += 1
                    assert rule.gate.opens(attacks.Reading.of(text)), (attack.code, text[:80])
    for override in attacks._OVERRIDES:
        for text in TEXTS:
            if override.pair.written.search(text):
                checked += 1
                assert override.gate.opens(attacks.Reading.of(text)), (override.language, text)
    assert checked > len(ATTACKS)
