"""Calibrate the size model's text weights on the `train` split of the story point data.

Reproduces the numbers in `service/scoring/size.py` (_TEXT_WEIGHTS, _MEDIAN_TEXT,
_CALIBRATION_SLOPE): for every `train` issue of ../shared/data/storypoints/ (converted
from Jira markup as benchmarks/size_vs_storypoints.py does, and sharing its cache) it
reads the signals `size._signals` measures, centres them and ln(story points) per
project, and fits a ridge regression (penalty RIDGE). It prints the weights rounded to
0.01, the median of the weighted text score, and the estimates' 5th, 50th and 95th
percentiles for the slope in size.py, which is set so that the 95th percentile is
about twice the default target (12 h). Only `train` is read: `test` is for
benchmarks/size_vs_storypoints.py to report.

    .venv/bin/python benchmarks/fit_size_weights.py [--cache PATH]
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from size_vs_storypoints import DATA, _digest, convert_all, converter, read_issues  # noqa: E402

from service.scoring import size  # noqa: E402
from service.scoring.document import parse  # noqa: E402

RIDGE = 10.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cache", type=Path, default=None, help="JSON-lines conversion cache")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"no story point data at {DATA} (../shared/data is absent): nothing to fit")
        return 2
    issues = read_issues(DATA, frozenset({"train"}))
    name, _ = converter()
    cache = args.cache or Path(tempfile.gettempdir()) / f"backlog-sync-storypoints.{name}.jsonl"
    markdown = convert_all(issues, cache, 2)
    names = list(size._TEXT_WEIGHTS)
    caps = np.array([cap for _, cap in size._TEXT_WEIGHTS.values()])
    rows = []
    for issue in issues:
        values = size._signals(parse(issue.title, markdown[_digest(issue.description)])).values
        rows.append([values[n] for n in names])
    x = np.minimum(np.array(rows), caps)
    y = np.log(np.array([issue.storypoints for issue in issues]) + 0.5)
    projects = np.array([issue.project for issue in issues])
    xc, yc = x.copy(), y.copy()
    for project in set(projects):
        mask = projects == project
        xc[mask] -= xc[mask].mean(axis=0)
        yc[mask] -= yc[mask].mean()
    weights = np.linalg.solve(xc.T @ xc + RIDGE * np.eye(len(names)), xc.T @ yc).round(2)
    print(f"{len(issues)} train issues, ridge {RIDGE}; weights (rounded), as in _TEXT_WEIGHTS:")
    for signal, weight, cap in zip(names, weights, caps, strict=True):
        print(f"    {signal:14} {weight:+.2f}  (cap {cap:g})")
    text = x @ weights
    median_text = float(np.median(text))
    print(f"median text score (_MEDIAN_TEXT): {median_text:.2f}")
    log_median = math.log(size._MEDIAN_HOURS)
    for slope in (1.0, 2.0, size._CALIBRATION_SLOPE, 3.0):
        mids = np.exp(log_median + slope * (text - median_text))
        low, mid, high = np.percentile(mids, [5, 50, 95])
        print(f"slope {slope:.1f}: midpoints 5% {low:.1f} h, median {mid:.1f} h, 95% {high:.1f} h")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
