"""How well the readiness score ranks ready tickets above the rest (SCORING.md "Quality bar").

Feeds the title and body (labels stripped) of the 364 real GitHub issues in
../shared/data/readiness/sample.jsonl to `backlog-sync triage FILE --json`, the
way a user would run it on a `gh issue list --json number,title,body,url`
export, and prints the area under the ROC curve of the overall score (goal:
at least 0.90), overall and per source, beside two baselines (body length,
question marks) and each dimension's score alone; then the same in 5 folds
grouped by repository (no repository in two folds; goal: a mean of at least
0.88). The points of the findings were fitted on this sample
(benchmarks/fit_finding_points.py prints the AUC of each fold held out from the
fit), so the fold figures here are of the fitted scorer, not held out.

When the console script is not available yet it falls back to calling
`service.scoring.assess` directly, and says so.

    .venv/bin/python benchmarks/readiness_auc.py
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT.parent / "shared" / "data" / "readiness" / "sample.jsonl"
READY = "ready"
GOAL = 0.90
GOAL_FOLDS = 0.88
FOLDS = 5


def auc(scores: Sequence[float], positive: Sequence[bool]) -> float:
    """ROC AUC by the Mann-Whitney U statistic: P(score of a positive > a negative), ties 1/2."""
    pairs = sorted(zip(scores, positive, strict=True), key=lambda pair: pair[0])
    rank_sum = 0.0
    index = 0
    while index < len(pairs):
        end = index
        while end < len(pairs) and pairs[end][0] == pairs[index][0]:
            end += 1
        mean_rank = (index + 1 + end) / 2  # ranks are 1-based; ties share the mean rank
        rank_sum += mean_rank * sum(1 for _, is_pos in pairs[index:end] if is_pos)
        index = end
    n_pos = sum(positive)
    n_neg = len(positive) - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def grouped_folds(rows: Sequence[dict[str, Any]], count: int = FOLDS) -> list[list[int]]:
    """Indices of the sample in `count` folds; all issues of a repository share one fold.

    Deterministic: repositories, largest first (then by name), each go to the fold
    that holds the fewest issues of their group so far, so every fold holds both
    groups in about the sample's proportion. The fitting script
    (benchmarks/fit_finding_points.py) uses the same folds.
    """
    by_repo: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        by_repo.setdefault(row["repo"], []).append(index)
    folds: list[list[int]] = [[] for _ in range(count)]
    per_group: dict[tuple[int, bool], int] = {}
    for repo in sorted(by_repo, key=lambda name: (-len(by_repo[name]), name)):
        members = by_repo[repo]
        group = 2 * sum(rows[i]["group"] == READY for i in members) >= len(members)
        target = min(range(count), key=lambda k: (per_group.get((k, group), 0), len(folds[k]), k))
        folds[target].extend(members)
        per_group[(target, group)] = per_group.get((target, group), 0) + len(members)
    return [sorted(fold) for fold in folds]


def load_sample() -> list[dict[str, Any]]:
    with SAMPLE.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def write_export(rows: list[dict[str, Any]], directory: Path) -> Path:
    """The sample as a `gh issue list --json number,title,body,url` export; labels left out."""
    export = [
        {
            "number": index + 1,
            "title": row["title"],
            "body": row["body"] or "",
            "url": f"https://github.com/readiness-sample/issues/issues/{index + 1}",
        }
        for index, row in enumerate(rows)
    ]
    path = directory / "sample-issues.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    return path


def triage_command() -> list[str] | None:
    """The CLI to run: the console script when installed, else `python -m service.cli`."""
    script = Path(sys.executable).parent / "backlog-sync"
    if script.exists():
        return [str(script)]
    found = shutil.which("backlog-sync")
    if found:
        return [found]
    if (ROOT / "service" / "cli.py").exists():
        return [sys.executable, "-m", "service.cli"]
    return None


def scores_from_cli(path: Path, count: int) -> tuple[list[dict[str, Any]] | None, str]:
    command = triage_command()
    if command is None:
        return None, "service/cli.py does not exist yet"
    run = subprocess.run(
        [*command, "triage", str(path), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if run.returncode != 0:
        last = (run.stderr.strip().splitlines() or ["(no output)"])[-1]
        return None, f"`{' '.join(command[-3:])} triage` exited {run.returncode}: {last[:200]}"
    try:
        results = json.loads(run.stdout)
    except json.JSONDecodeError:
        return None, "`triage --json` did not print JSON"
    if not isinstance(results, list) or len(results) != count:
        return None, f"`triage --json` printed {len(results)} results for {count} issues"
    by_number: dict[int, dict[str, Any]] = {}
    for result in results:
        key = str(result.get("key", ""))
        digits = key.rsplit("#", 1)[-1]
        if digits.isdigit():
            by_number[int(digits)] = result
    if len(by_number) != count:
        return None, "`triage --json` keys do not map back to the issues"
    return [by_number[index + 1] for index in range(count)], f"CLI: {' '.join(command)}"


def scores_from_assess(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    sys.path.insert(0, str(ROOT))
    from connectors.base import Ticket
    from service.scoring import assess

    results = []
    for index, row in enumerate(rows):
        ticket = Ticket(
            source="file:sample",
            key=f"#{index + 1}",
            title=row["title"],
            body=row["body"] or "",
        )
        assessment = assess(ticket)
        results.append(
            {
                "overall": assessment.overall,
                "dimensions": {name: dim.score for name, dim in assessment.dimensions.items()},
            }
        )
    return results


def main() -> int:
    if not SAMPLE.exists():
        print(f"skipped: {SAMPLE} is absent (the shared reference data is not checked out)")
        return 0
    rows = load_sample()
    with tempfile.TemporaryDirectory() as tmp:
        export = write_export(rows, Path(tmp))
        results, path_used = scores_from_cli(export, len(rows))
    if results is None:
        print(f"CLI path unavailable ({path_used}); falling back to service.scoring.assess")
        results = scores_from_assess(rows)
        path_used = "service.scoring.assess (direct)"
    print(f"scored {len(rows)} issues through {path_used}")

    positive = [row["group"] == READY for row in rows]
    measures: dict[str, list[float]] = {
        "overall score": [float(r["overall"]) for r in results],
        **{
            f"{name} alone": [float(r["dimensions"][name]) for r in results]
            for name in ("clarity", "size", "independence", "safety")
        },
        "baseline: shorter body": [-float(len(row["body"] or "")) for row in rows],
        "baseline: fewer question marks": [
            -float((row["title"] + (row["body"] or "")).count("?")) for row in rows
        ],
    }
    sources = sorted({row["source"] for row in rows})
    print(f"\n{'measure':32} {'all':>6}  " + "  ".join(f"{s[:28]:>28}" for s in sources))
    for name, values in measures.items():
        cells = [f"{auc(values, positive):6.3f}"]
        for source in sources:
            # a source holds one group only: compare it against the other group everywhere
            groups = {positive[i] for i, row in enumerate(rows) if row["source"] == source}
            keep = [
                i
                for i, row in enumerate(rows)
                if row["source"] == source or positive[i] not in groups
            ]
            cells.append(f"{auc([values[i] for i in keep], [positive[i] for i in keep]):28.3f}")
        print(f"{name:32} {cells[0]}  " + "  ".join(cells[1:]))
    overall = auc(measures["overall score"], positive)
    print("per source: that source's issues against all issues of the other group")

    folds = grouped_folds(rows)
    print(f"\n{FOLDS} folds grouped by repository (no repository in two folds)")
    header = " ".join(f"{'fold ' + str(k + 1):>7}" for k in range(FOLDS))
    print(f"{'measure':32} {header}    mean")
    fold_means: dict[str, float] = {}
    for name, values in measures.items():
        per_fold = [auc([values[i] for i in fold], [positive[i] for i in fold]) for fold in folds]
        fold_means[name] = statistics.fmean(per_fold)
        cells = " ".join(f"{value:7.3f}" for value in per_fold)
        print(f"{name:32} {cells} {fold_means[name]:7.3f}")
    sizes = " ".join(f"{len(f):>3}:{sum(positive[i] for i in f):>3}" for f in folds)
    print(f"{'(issues:ready per fold)':32} {sizes}")

    fold_mean = fold_means["overall score"]
    met = overall >= GOAL and fold_mean >= GOAL_FOLDS
    print(
        f"\noverall AUC {overall:.3f} (goal {GOAL}), mean of the grouped folds {fold_mean:.3f} "
        f"(goal {GOAL_FOLDS}): {'met' if met else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
