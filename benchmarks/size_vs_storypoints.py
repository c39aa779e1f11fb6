"""How well the size estimate ranks real Jira issues by their story points.

Reads the DeepSE story point data set (../shared/data/storypoints/*.csv: 23,313
Jira issues from 16 projects, with `train`/`val`/`test` splits), converts each
description from Jira wiki markup to Markdown as the Jira connector does, builds
a Ticket *without* its story points and scores its size. For each project it
prints the Spearman correlation between the midpoint of the estimated hours and
the story points, beside a baseline that ranks by the description's word count,
then the median over the projects and the ratio of the two medians.

The size model's word weights were calibrated on `train` only; `test` is the
figure that counts (quality bar: median >= 0.35 and at least 4x the baseline).
It also prints how the estimates spread (5th, 50th, 95th percentile of the
midpoints) and where the items of 13 points or more land: the median of their
estimates against the median item's (the bar: not below it, per project and
pooled; a project with fewer than 10 such items in the split is listed, not
counted), the share of them estimated below the median item, and the share
`too-large` (low end above the default 6 h target).

Converting 12 MB of wiki markup with jira2markdown takes about an hour of CPU,
so conversions are cached in a JSON-lines file (by default in the system's temp
directory, named after the converter); later runs take seconds.

    .venv/bin/python benchmarks/size_vs_storypoints.py [--splits train,test] [--cache PATH]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from connectors.base import Ticket  # noqa: E402
from service.scoring import DEFAULT_POLICY, size  # noqa: E402
from service.scoring.document import parse  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "storypoints"
BAR_MEDIAN = 0.35
BAR_RATIO = 4.0
LARGE_POINTS = 13  # SCORING.md: an item this large must not be estimated below the median item
MIN_LARGE_ITEMS = 10  # a project's median of fewer such items says nothing: it is not counted


@dataclass(frozen=True, slots=True)
class Issue:
    project: str
    key: str
    title: str
    description: str
    storypoints: float
    split: str


def read_issues(data: Path, splits: frozenset[str]) -> list[Issue]:
    issues: list[Issue] = []
    for path in sorted(data.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["split_mark"] in splits:
                    issues.append(
                        Issue(
                            project=path.stem,
                            key=row["issuekey"],
                            title=row["title"] or "",
                            description=row["description"] or "",
                            storypoints=float(row["storypoint"]),
                            split=row["split_mark"],
                        )
                    )
    return issues


# --- conversion, as the Jira source does it --------------------------------------


def converter() -> tuple[str, Callable[[str | None], str]]:
    """connectors.jira.markup when it is there, else jira2markdown itself."""
    try:
        from connectors.jira.markup import jira_wiki_to_markdown
    except ImportError:
        import jira2markdown

        def convert(text: str | None) -> str:
            return str(jira2markdown.convert(text)) if text else ""

        return "jira2markdown.convert", convert
    return "connectors.jira.markup.jira_wiki_to_markdown", jira_wiki_to_markdown


def _convert_one(text: str) -> str:
    return converter()[1](text)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def convert_all(issues: Iterable[Issue], cache: Path | None, workers: int) -> dict[str, str]:
    """Markdown bodies by description digest; conversions already in `cache` are reused."""
    converted: dict[str, str] = {}
    if cache is not None and cache.exists():
        with cache.open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:  # a line cut short by an interrupted run
                    continue
                converted[entry["digest"]] = entry["markdown"]
    todo: dict[str, str] = {}
    for issue in issues:
        digest = _digest(issue.description)
        if digest not in converted:
            todo[digest] = issue.description
    if not todo:
        return converted
    print(f"converting {len(todo)} descriptions with {workers} processes...", file=sys.stderr)
    ordered = sorted(todo.items(), key=lambda item: len(item[1]))
    out = cache.open("a", encoding="utf-8") if cache is not None else None
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = pool.map(_convert_one, [text for _, text in ordered], chunksize=16)
            for (digest, _), markdown in zip(ordered, results, strict=True):
                converted[digest] = markdown
                if out is not None:
                    out.write(json.dumps({"digest": digest, "markdown": markdown}) + "\n")
                    out.flush()
    finally:
        if out is not None:
            out.close()
    return converted


# --- Spearman, in plain Python ------------------------------------------------------


def average_ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks; tied values share the average of the ranks they span."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            ranks[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Pearson correlation of the average ranks (0.0 when either side is constant)."""
    rx, ry = average_ranks(xs), average_ranks(ys)
    n = len(rx)
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    return cov / math.sqrt(vx * vy) if vx > 0 and vy > 0 else 0.0


# --- the run --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scored:
    issue: Issue
    midpoint: float
    low: float
    words: int


def score_all(issues: Sequence[Issue], markdown: dict[str, str]) -> tuple[list[Scored], float]:
    """Each issue's estimated midpoint and word count, and the seconds spent in size.score."""
    scored: list[Scored] = []
    size_seconds = 0.0
    for issue in issues:
        ticket = Ticket(
            source=f"jira:{issue.project}",
            key=issue.key,
            title=issue.title,
            body=markdown[_digest(issue.description)],
            kind="issue",
        )
        doc = parse(ticket.title, ticket.body)
        started = time.perf_counter()
        _, estimate = size.score(ticket, doc, DEFAULT_POLICY)
        size_seconds += time.perf_counter() - started
        words = len(issue.description.split())
        scored.append(Scored(issue, estimate.midpoint, estimate.low, words))
    return scored, size_seconds


def report(scored: Sequence[Scored], split: str) -> tuple[float, float, bool]:
    by_project: dict[str, list[Scored]] = defaultdict(list)
    for item in scored:
        if item.issue.split == split:
            by_project[item.issue.project].append(item)
    print(f"\n== {split} ==")
    print(f"{'project':<20}{'n':>6}{'estimate':>10}{'words':>8}")
    estimate_rhos: list[float] = []
    baseline_rhos: list[float] = []
    for project, items in sorted(by_project.items()):
        points = [item.issue.storypoints for item in items]
        rho = spearman([item.midpoint for item in items], points)
        base = spearman([float(item.words) for item in items], points)
        estimate_rhos.append(rho)
        baseline_rhos.append(base)
        print(f"{project:<20}{len(items):>6}{rho:>10.3f}{base:>8.3f}")
    est_median = statistics.median(estimate_rhos)
    base_median = statistics.median(baseline_rhos)
    ratio = est_median / base_median if base_median > 0 else math.inf
    print(f"{'median':<26}{est_median:>10.3f}{base_median:>8.3f}")
    print(f"ratio of medians (estimate / word count): {ratio:.2f}")
    large_ok = report_large(by_project)
    return est_median, ratio, large_ok


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report_large(by_project: dict[str, list[Scored]]) -> bool:
    """Where items of LARGE_POINTS or more land; True when no project (and not the
    pooled set) estimates them, at the median, below its median item."""
    every = [item for items in by_project.values() for item in items]
    mids = [item.midpoint for item in every]
    spread = (_percentile(mids, 0.05), statistics.median(mids), _percentile(mids, 0.95))
    print("estimate midpoints (h): 5% {:.1f}, median {:.1f}, 95% {:.1f}".format(*spread))
    target = DEFAULT_POLICY.target_hours
    below_projects = []
    too_few = []
    for project, items in sorted(by_project.items()):
        large = [i.midpoint for i in items if i.issue.storypoints >= LARGE_POINTS]
        if len(large) < MIN_LARGE_ITEMS:
            if large:
                too_few.append(f"{project} ({len(large)})")
            continue
        if statistics.median(large) < statistics.median(i.midpoint for i in items):
            below_projects.append(project)
    large_items = [item for item in every if item.issue.storypoints >= LARGE_POINTS]
    if not large_items:
        print(f"no items of {LARGE_POINTS}+ points")
        return True
    median_all = statistics.median(mids)
    large_mids = [item.midpoint for item in large_items]
    below = sum(m < median_all for m in large_mids) / len(large_mids)
    too_large = sum(item.low > target for item in large_items) / len(large_items)
    print(
        f"{LARGE_POINTS}+ points: {len(large_items)} items, median estimate "
        f"{statistics.median(large_mids):.1f} h against {median_all:.1f} h for all; "
        f"{below:.0%} of them below the median item, {too_large:.0%} too-large"
    )
    ok = statistics.median(large_mids) >= median_all and not below_projects
    shown = ", ".join(below_projects) if below_projects else "none"
    print(
        f"projects with >= {MIN_LARGE_ITEMS} such items whose {LARGE_POINTS}+ items sit below "
        f"their median item: {shown}"
    )
    if too_few:
        print(f"  (too few {LARGE_POINTS}+ items to tell, not counted: {', '.join(too_few)})")
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--splits", default="train,test", help="comma-separated splits to report")
    parser.add_argument("--cache", type=Path, default=None, help="JSON-lines conversion cache")
    parser.add_argument("--no-cache", action="store_true", help="convert everything afresh")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)

    if not args.data.is_dir() or not any(args.data.glob("*.csv")):
        print(f"no story point data at {args.data} (../shared/data is absent): nothing to measure")
        return 2
    splits = [s.strip() for s in args.splits.split(",") if s.strip()]
    issues = read_issues(args.data, frozenset(splits))
    name, _ = converter()
    print(f"converter: {name}")
    cache: Path | None = None
    if not args.no_cache:
        cache = args.cache or Path(tempfile.gettempdir()) / f"backlog-sync-storypoints.{name}.jsonl"
        print(f"conversion cache: {cache}")
    markdown = convert_all(issues, cache, args.workers)

    started = time.perf_counter()
    scored, size_seconds = score_all(issues, markdown)
    total_seconds = time.perf_counter() - started
    print(
        f"{len(scored)} issues: size.score {len(scored) / size_seconds:,.0f} tickets/s; "
        f"parse + size.score {len(scored) / total_seconds:,.0f} tickets/s"
    )
    results = {split: report(scored, split) for split in splits}
    if "test" in results:
        median, ratio, large_ok = results["test"]
        met = median >= BAR_MEDIAN and ratio >= BAR_RATIO
        print(
            f"\nquality bar on test (median >= {BAR_MEDIAN}, >= {BAR_RATIO}x word count): "
            f"{'met' if met else 'NOT met'}; {LARGE_POINTS}+ items not below the median "
            f"item: {'met' if large_ok else 'NOT met'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
