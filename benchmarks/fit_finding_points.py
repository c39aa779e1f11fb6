"""Fit the points each finding code costs, by logistic regression on the readiness sample.

SCORING.md allows the points of existing findings to be fitted on
../shared/data/readiness/sample.jsonl, with folds grouped by repository and a
handful of parameters: here one weight per finding code, plus the intercept that
sets the ready threshold. Vocabulary is never fitted: the findings, and what
triggers them, are the scorer's rules; only their points are.

The model is the score itself. The overall score is 100 minus, for each finding,
its dimension's share of the weights (0.5 clarity, 0.25 size and independence)
times the code's points times the finding's strength (0..1, `Finding.strength`).
So a logistic regression of "ready" on the features share * strength, with
weights held at or above zero (a finding only ever costs points), is fitted, and
its weights, scaled so that its 50% point falls on the ready threshold (70),
are the points. L2-regularised, fitted with scipy's L-BFGS-B; the penalty is the one of a
small grid whose weights rank the held-out folds best on average.

It prints, for the same 5 folds grouped by repository as benchmarks/readiness_auc.py,
the AUC on each held-out fold of weights fitted on the other four, then the
points fitted on the whole sample, ready to paste into
`service/scoring/policy.py` (DEFAULT_FINDING_POINTS). Codes that fire on fewer
than MIN_FIRINGS issues of the sample, blocking codes (they decide a verdict
whatever their points), codes that fire on more than MAX_SHARE of both groups
(the sample cannot tell their worth) and safety's codes keep their hand-set points.

    .venv/bin/python benchmarks/fit_finding_points.py [--write]

`--write` puts the fitted points into policy.py. The features are measured with
every code on, so they do not depend on the points being fitted: a second run
after `--write` prints the same figures.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from readiness_auc import READY, SAMPLE, auc, grouped_folds, load_sample  # noqa: E402

from connectors.base import Ticket  # noqa: E402
from service.scoring import assess  # noqa: E402
from service.scoring.assessment import Dimension  # noqa: E402
from service.scoring.policy import DEFAULT_FINDING_POINTS, Policy  # noqa: E402

POLICY_FILE = ROOT / "service" / "scoring" / "policy.py"
MIN_FIRINGS = 8
# A code that fires on more than this share of each group tells the groups apart no
# better than the intercept does: the sample cannot say what it is worth, so it keeps
# its hand-set points (no-acceptance-criteria and no-scope-limits, on this sample).
MAX_SHARE = 0.9
# penalties on the squared weights (logit units per unit of share * strength) tried; the
# one whose held-out folds rank best on average is used for the final fit
L2_GRID = (0.1, 0.3, 1.0, 3.0)
THRESHOLD = 70  # the ready threshold the fitted points are scaled to
# Every code on: the features are strengths, which do not depend on the points.
FEATURE_POLICY = Policy(finding_points={code: 50 for code in DEFAULT_FINDING_POINTS})


def features(
    rows: list[dict[str, Any]],
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """The fitted codes, the feature matrix (share * strength), the labels, and each
    issue's overall points lost to the codes not fitted (their hand-set points)."""
    weights = FEATURE_POLICY.weights
    total = weights.size + weights.independence + weights.clarity
    share = {
        Dimension.SIZE: weights.size / total,
        Dimension.INDEPENDENCE: weights.independence / total,
        Dimension.CLARITY: weights.clarity / total,
    }
    per_ticket: list[dict[str, float]] = []
    for index, row in enumerate(rows):
        ticket = Ticket(
            source="file:sample", key=f"#{index + 1}", title=row["title"], body=row["body"] or ""
        )
        found: dict[str, float] = {}
        for finding in assess(ticket, policy=FEATURE_POLICY).findings:
            if finding.blocking or finding.dimension not in share:
                continue
            value = share[finding.dimension] * finding.strength
            found[finding.code] = max(found.get(finding.code, 0.0), value)
        per_ticket.append(found)
    firings: dict[tuple[str, bool], int] = {}
    for found, row in zip(per_ticket, rows, strict=True):
        for code in found:
            key = (code, row["group"] == READY)
            firings[key] = firings.get(key, 0) + 1
    group_sizes = {True: sum(row["group"] == READY for row in rows)}
    group_sizes[False] = len(rows) - group_sizes[True]

    def informative(code: str) -> bool:
        counts = {g: firings.get((code, g), 0) for g in (True, False)}
        if sum(counts.values()) < MIN_FIRINGS:
            return False
        return not all(counts[g] > MAX_SHARE * group_sizes[g] for g in (True, False))

    codes = sorted(
        code
        for code in DEFAULT_FINDING_POINTS
        if code in {c for c, _ in firings} and informative(code)
    )
    x = np.array([[found.get(code, 0.0) for code in codes] for found in per_ticket])
    y = np.array([row["group"] == READY for row in rows], dtype=float)
    kept = np.zeros(len(rows))
    for index, row in enumerate(rows):
        ticket = Ticket(
            source="file:sample", key=f"#{index + 1}", title=row["title"], body=row["body"] or ""
        )
        kept[index] = sum(
            share[f.dimension] * f.points
            for f in assess(ticket).findings
            if f.dimension in share and f.code not in codes
        )
    return codes, x, y, kept


def fit(x: np.ndarray, y: np.ndarray, kept: np.ndarray, l2: float) -> tuple[float, np.ndarray]:
    """Intercept and weights (>= 0) of logit P(ready) = intercept * (1 - kept / margin)
    - x @ weights, where margin = 100 - THRESHOLD.

    The points are weights * margin / intercept, so the overall points a ticket loses to
    the codes that are not fitted (`kept`) are worth kept * intercept / margin in the
    logit: the fit sees the score as the scorer computes it.
    """
    multiplier = 1.0 - kept / (100 - THRESHOLD)

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        intercept, weights = params[0], params[1:]
        logit = intercept * multiplier - x @ weights
        # log(1 + e^z) - y z, summed, computed stably
        value = float(np.sum(np.logaddexp(0.0, logit) - y * logit)) + l2 / 2 * weights @ weights
        residual = 1.0 / (1.0 + np.exp(-logit)) - y
        gradient = np.concatenate(([residual @ multiplier], -(x.T @ residual) + l2 * weights))
        return value, gradient

    start = np.zeros(x.shape[1] + 1)
    bounds = [(None, None)] + [(0.0, None)] * x.shape[1]
    result = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds)
    return float(result.x[0]), result.x[1:]


def overall_lost(
    x: np.ndarray, kept: np.ndarray, intercept: float, weights: np.ndarray
) -> np.ndarray:
    """The overall points each issue loses with these weights (the score's ranking)."""
    return (100 - THRESHOLD) / intercept * (x @ weights) + kept


def main() -> int:
    if not SAMPLE.exists():
        print(f"skipped: {SAMPLE} is absent (the shared reference data is not checked out)")
        return 0
    rows = load_sample()
    codes, x, y, kept = features(rows)
    folds = grouped_folds(rows)
    print(f"{len(rows)} issues, {len(codes)} codes fitted (firing on >= {MIN_FIRINGS} issues)")
    print("weights >= 0; 5 folds grouped by repository (as readiness_auc.py)\n")
    best: tuple[float, float, list[float]] | None = None
    for l2 in L2_GRID:
        fold_aucs = []
        for held_out in folds:
            train = np.setdiff1d(np.arange(len(rows)), held_out)
            intercept, weights = fit(x[train], y[train], kept[train], l2)
            scores = -overall_lost(x[held_out], kept[held_out], intercept, weights)
            fold_aucs.append(auc(scores.tolist(), [bool(v) for v in y[held_out]]))
        mean = statistics.fmean(fold_aucs)
        cells = " ".join(f"{value:.3f}" for value in fold_aucs)
        spread = statistics.stdev(fold_aucs)
        print(f"L2 {l2:<4} held-out folds {cells}  mean {mean:.3f} (sd {spread:.3f})")
        if best is None or mean > best[1]:
            best = (l2, mean, fold_aucs)
    assert best is not None
    l2 = best[0]
    print(f"chosen: L2 {l2} (held-out mean {best[1]:.3f})")

    intercept, weights = fit(x, y, kept, l2)
    in_sample = auc((-overall_lost(x, kept, intercept, weights)).tolist(), [bool(v) for v in y])
    print(f"\nfitted on all {len(rows)}: AUC {in_sample:.3f} in sample, intercept {intercept:.3f}")
    if intercept <= 0:
        print("intercept <= 0: the points cannot be scaled to the threshold")
        return 1
    scale = (100 - THRESHOLD) / intercept
    print(f"points = weight * {scale:.2f} (the 50% point of the fit is overall {THRESHOLD})\n")
    fitted = {code: min(100, round(scale * w)) for code, w in zip(codes, weights, strict=True)}
    lines = []
    for code, points in DEFAULT_FINDING_POINTS.items():
        if code in fitted:
            lines.append(f'    "{code}": {fitted[code]},  # fitted')
        else:
            lines.append(f'    "{code}": {points},  # hand-set (not fitted)')
    print("DEFAULT_FINDING_POINTS (codes not fitted keep their points):")
    print("\n".join(lines))
    if "--write" in sys.argv[1:]:
        write_policy(lines)
        print(f"\nwritten into {POLICY_FILE.relative_to(ROOT)}")
    return 0


def write_policy(lines: list[str]) -> None:
    """Replace the entries of DEFAULT_FINDING_POINTS in policy.py with `lines`."""
    text = POLICY_FILE.read_text(encoding="utf-8")
    start = text.index("DEFAULT_FINDING_POINTS: dict[str, int] = {\n") + len(
        "DEFAULT_FINDING_POINTS: dict[str, int] = {\n"
    )
    end = text.index("\n}\n", start)
    POLICY_FILE.write_text(text[:start] + "\n".join(lines) + text[end:], encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
