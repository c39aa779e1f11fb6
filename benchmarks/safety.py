"""How well the safety dimension tells attacks on the agent from ordinary tickets.

Scores three sets with `service.scoring.assess` (the scorer every path uses) and
counts a ticket as flagged when its verdict is needs-review:

- the red-team suite of the tests (`tests/redteam/corpus.py`): attacks by class,
  placement and obfuscation, and look-alikes that use the same words innocently;
- three held-out sets (`tests/redteam/heldout.py`, `heldout2.py`, `heldout3.py`),
  each written apart from the detector and measured before anyone looked at
  it: the first at 48% detected and 7.5% false positives, the second, after the
  classes were widened where the first showed them narrow, at 71% and 9.4%;
  both were then tuned on and are no longer held out. The third is the honest
  figure for attacks the detector was not built from: nothing was tuned on it;
- `../shared/data/redteam/sample.json` with `expected.json` (attack or benign);
- the ready items of `../shared/data/readiness/sample.jsonl`: real tickets a
  person judged ready, none of which should be flagged.

Prints the detection rate (attacks flagged) and the false-positive rate (benign
tickets flagged) of each, per attack class for the suite; `--show` lists the
tickets behind each miss and false alarm, `--json` prints the figures for scripts.

    .venv/bin/python benchmarks/safety.py [--show] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from connectors.base import Ticket, Trust  # noqa: E402
from connectors.files import load_tickets  # noqa: E402
from service.scoring import assess  # noqa: E402
from service.scoring.policy import Verdict  # noqa: E402
from tests.redteam import heldout, heldout2, heldout3  # noqa: E402
from tests.redteam.corpus import ATTACKS, LOOK_ALIKES, Case  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
REDTEAM = DATA / "redteam"
READINESS = DATA / "readiness" / "sample.jsonl"


@dataclass(frozen=True, slots=True)
class Tally:
    """How many of a set were flagged, and which were not as they should be."""

    name: str
    attack: bool  # the set should be flagged
    total: int
    flagged: int
    wrong: tuple[str, ...]  # misses (attacks) or false alarms (benign)

    @property
    def rate(self) -> float:
        return self.flagged / self.total if self.total else 0.0

    def as_dict(self) -> dict[str, object]:
        measure = "detection_rate" if self.attack else "false_positive_rate"
        return {
            "set": self.name,
            "tickets": self.total,
            "flagged": self.flagged,
            measure: round(self.rate, 4),
            "misses" if self.attack else "false_alarms": list(self.wrong),
        }


def flagged(ticket: Ticket) -> bool:
    return assess(ticket).verdict is Verdict.NEEDS_REVIEW


def tally(name: str, attack: bool, tickets: Iterable[Ticket]) -> Tally:
    total = hits = 0
    wrong: list[str] = []
    for ticket in tickets:
        total += 1
        hit = flagged(ticket)
        hits += hit
        if hit is not attack:
            wrong.append(ticket.key)
    return Tally(name, attack, total, hits, tuple(wrong))


def readiness_ready() -> list[Ticket]:
    tickets = []
    with READINESS.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            row = json.loads(line)
            if row.get("group") == "ready":
                tickets.append(
                    Ticket(
                        source="readiness",
                        key=f"{row.get('repo')}#{row.get('number') or number}",
                        title=str(row.get("title") or ""),
                        body=str(row.get("body") or ""),
                        author_trust=Trust.TRUSTED,
                    )
                )
    return tickets


def measure() -> list[Tally]:
    kinds = Counter(case.klass for case in ATTACKS)
    results = [
        tally(
            f"suite attacks: {klass}",
            True,
            map(Case.ticket, (c for c in ATTACKS if c.klass == klass)),
        )
        for klass in sorted(kinds)
    ]
    results.insert(0, tally("suite attacks (all)", True, map(Case.ticket, ATTACKS)))
    results.append(tally("suite look-alikes", False, map(Case.ticket, LOOK_ALIKES)))
    results.append(tally("held-out attacks", True, map(Case.ticket, heldout.ATTACKS)))
    results.append(tally("held-out look-alikes", False, map(Case.ticket, heldout.LOOK_ALIKES)))
    results.append(tally("second held-out attacks", True, map(Case.ticket, heldout2.ATTACKS)))
    results.append(
        tally("second held-out look-alikes", False, map(Case.ticket, heldout2.LOOK_ALIKES))
    )
    results.append(tally("third held-out attacks", True, map(Case.ticket, heldout3.ATTACKS)))
    results.append(
        tally("third held-out look-alikes", False, map(Case.ticket, heldout3.LOOK_ALIKES))
    )
    expected = {
        int(item["number"]): item["kind"]
        for item in json.loads((REDTEAM / "expected.json").read_text(encoding="utf-8"))
    }
    sample = load_tickets(REDTEAM / "sample.json", source="redteam")

    def of_kind(kind: str) -> list[Ticket]:
        return [t for t in sample if expected.get(int(t.key.rsplit("#", 1)[-1])) == kind]

    results.append(tally("shared sample attacks", True, of_kind("attack")))
    results.append(tally("shared sample benign", False, of_kind("benign")))
    results.append(tally("readiness sample ready items", False, readiness_ready()))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", action="store_true", help="list misses and false alarms")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    results = measure()
    if args.json:
        print(json.dumps([r.as_dict() for r in results], indent=2))
        return 0
    for r in results:
        measure_name = "detected" if r.attack else "false positives"
        print(f"{r.name:<40} {r.flagged:>4}/{r.total:<4} {measure_name} {r.rate:7.1%}")
        if args.show and r.wrong:
            for key in r.wrong:
                print(f"    {'missed' if r.attack else 'flagged'}: {key}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
