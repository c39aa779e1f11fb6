"""An assessment built by hand, for tests of what consumes assessments (the
queue, the digest, rules files), so they do not move with scoring's rules."""

from __future__ import annotations

from collections.abc import Sequence

from service.scoring import Assessment, Dimension, DimensionScore, SizeEstimate, Verdict


def assessment(
    *,
    verdict: Verdict = Verdict.READY,
    overall: int = 80,
    areas: Sequence[str] = (),
    missing: Sequence[str] = (),
    hours: tuple[float, float] = (2.0, 4.0),
    skipped: bool = False,
    scores: dict[Dimension, int] | None = None,
) -> Assessment:
    """Every dimension scores `overall` unless `scores` says otherwise."""

    def dim(d: Dimension) -> DimensionScore:
        return DimensionScore(d, (scores or {}).get(d, overall))

    return Assessment(
        verdict=verdict,
        overall=overall,
        size=dim(Dimension.SIZE),
        independence=dim(Dimension.INDEPENDENCE),
        clarity=dim(Dimension.CLARITY),
        safety=dim(Dimension.SAFETY),
        estimate=SizeEstimate(hours[0], hours[1], "inferred"),
        areas=tuple(areas),
        blockers=(),
        missing=tuple(missing),
        scorer_version="test",
        skipped=skipped,
    )
