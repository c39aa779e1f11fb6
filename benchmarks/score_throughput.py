"""How fast `service.scoring.assess` scores tickets, against the cost of parsing alone.

Generates 10,000 realistic tickets (fixed seed: sections, checklists, code
blocks, links, ticket references, paths, questions), times `assess` over all of
them, then times markdown-it-py parsing the same bodies with the very parser the
scorer uses (`service.scoring.document.markdown_parser()`: CommonMark with HTML
and tables), the floor any Markdown-aware scorer pays. Goals: at least 1,000
tickets/s, and at most 3x the parse cost.

Both are timed in alternating rounds after a warm-up, and each keeps its fastest
round. Times are CPU seconds of this process (`time.process_time`), so other work
on a shared machine does not count against either side; `--clock wall` times
elapsed seconds instead.

    .venv/bin/python benchmarks/score_throughput.py [--count N] [--rounds R] [--clock cpu|wall]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from connectors.base import Comment, Link, LinkKind, Ticket, TicketState
from service.scoring import BacklogContext, assess
from service.scoring.document import markdown_parser

SEED = 20240611
GOAL_TICKETS_PER_SECOND = 1000
GOAL_PARSE_RATIO = 3.0

VERBS = ["Add", "Fix", "Remove", "Support", "Rename", "Document", "Refactor", "Validate"]
THINGS = ["retry", "export", "pagination", "cache", "time zone", "webhook", "label", "digest"]
PLACES = ["service/sync.py", "service/queue.py", "connectors/github.py", "web/app/routes.ts"]
SYMBOLS = ["fetch_changed", "claim_next", "Backoff.delay", "render_digest", "parse_webhook"]
PROSE = [
    "The current behaviour surprises people who run it on a large backlog.",
    "It should keep the order of the tracker and never drop a ticket.",
    "Maybe we could reuse the existing helper, not sure yet?",
    "I am trying to run it on my laptop and I get an error, any idea?",
    "This follows the design agreed in the last planning meeting.",
    "Users reported that the page takes several seconds to load.",
]


def make_body(rng: random.Random, index: int) -> str:
    parts = [" ".join(rng.choices(PROSE, k=rng.randint(1, 4)))]
    if rng.random() < 0.6:
        parts.append(
            f"The change goes in `{rng.choice(PLACES)}`, around `{rng.choice(SYMBOLS)}()`."
        )
    if rng.random() < 0.3:
        parts.append(
            f"Blocked by #{rng.randint(1, index + 2)}; see also PROJ-{rng.randint(1, 99)}."
        )
    if rng.random() < 0.5:
        items = "\n".join(
            f"- [{rng.choice(' x')}] {rng.choice(PROSE)}" for _ in range(rng.randint(2, 6))
        )
        parts.append(f"## Acceptance criteria\n\n{items}")
    if rng.random() < 0.4:
        code = "\n".join(
            f"    at {rng.choice(SYMBOLS)} (line {n})" for n in range(rng.randint(2, 12))
        )
        parts.append(f"## Logs\n\n```\nTraceback (most recent call last):\n{code}\n```")
    if rng.random() < 0.3:
        parts.append(f"See [the docs](https://example.com/docs/{index}) and https://example.com/x.")
    if rng.random() < 0.2:
        parts.append("## Out of scope\n\n- Changing the database schema")
    if rng.random() < 0.15:
        parts.append("| field | value |\n|---|---|\n| a | 1 |\n| b | 2 |")
    if rng.random() < 0.1:
        parts.append("<!-- Please fill in the template below -->")
    return "\n\n".join(parts)


def make_tickets(count: int) -> list[Ticket]:
    rng = random.Random(SEED)
    tickets = []
    for index in range(count):
        links: tuple[Link, ...] = ()
        if rng.random() < 0.1:
            links = (Link(LinkKind.BLOCKED_BY, f"acme/app#{rng.randint(1, count)}", None),)
        comments: tuple[Comment, ...] = ()
        if rng.random() < 0.3:
            comments = (Comment(id=str(index), body=rng.choice(PROSE)),)
        tickets.append(
            Ticket(
                source="github:acme/app",
                key=f"acme/app#{index + 1}",
                title=f"{rng.choice(VERBS)} {rng.choice(THINGS)} in {rng.choice(PLACES)}",
                body=make_body(rng, index),
                links=links,
                comments=comments,
            )
        )
    return tickets


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5, help="alternating timing rounds")
    parser.add_argument(
        "--clock",
        choices=("cpu", "wall"),
        default="cpu",
        help="CPU seconds of this process (default) or elapsed seconds",
    )
    args = parser.parse_args()
    count, rounds = args.count, max(1, args.rounds)
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    tickets = make_tickets(count)
    bodies = [ticket.body for ticket in tickets]
    context = BacklogContext(
        ticket_states={f"acme/app#{n}": TicketState.CLOSED for n in range(1, count, 3)},
        areas_in_flight={"acme/app#0": frozenset({"service", "connectors"})},
    )
    # the floor: the parser assess() itself uses, same configuration, same object
    md = markdown_parser()
    for ticket in tickets[:200]:  # warm up both: compile regexes, build the parser
        assess(ticket, context)
        md.parse(ticket.body)

    # Time assess() and the parse in alternating rounds and keep each one's fastest
    # round, so a burst of load elsewhere does not skew the ratio.
    assess_seconds = parse_seconds = float("inf")
    for _ in range(rounds):
        start = clock()
        for ticket in tickets:
            assess(ticket, context)
        assess_seconds = min(assess_seconds, clock() - start)
        start = clock()
        for body in bodies:
            md.parse(body)
        parse_seconds = min(parse_seconds, clock() - start)

    rate = count / assess_seconds
    ratio = assess_seconds / parse_seconds
    print(
        f"tickets: {count} (seed {SEED}), "
        f"mean body {sum(len(t.body) for t in tickets) // count} chars, "
        f"best of {rounds} rounds, {args.clock} time"
    )
    print(f"assess():             {assess_seconds:7.3f} s  {rate:8.0f} tickets/s")
    print(f"markdown-it parse:    {parse_seconds:7.3f} s  {count / parse_seconds:8.0f} tickets/s")
    print(f"assess / parse ratio: {ratio:7.2f}x")
    print(
        f"goals: >= {GOAL_TICKETS_PER_SECOND} tickets/s "
        f"({'met' if rate >= GOAL_TICKETS_PER_SECOND else 'MISSED'}), "
        f"<= {GOAL_PARSE_RATIO}x parse ({'met' if ratio <= GOAL_PARSE_RATIO else 'MISSED'})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
