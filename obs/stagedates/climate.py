"""Multi-year statistics of stage dates: day counts, mean dates, anomalies (距平) and trends.

Day-count method (domain specification §9.4, after the CMA phenology method book [S21]): a date
is written as its day count from a fixed origin (day 1 = the origin), the counts are averaged
and the mean is rounded half-up to a whole day. The wintersweet bloom spans the new year, so the
origin is 1 October of the season year (``schemas.stages.SEASON_DAY_ORIGIN``): 28 Dec = day 89,
3 Jan of the next year = day 95.

Anomaly = day count of the date − rounded mean day count of the *earlier* seasons (+ = later;
§2.2 / §9.5, CMA 发育期距平). The current season is left out of its own mean, as in CMA
practice (the mean of the previous years), so a season's anomaly does not change when later
seasons are added.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from obs.stagedates._model import StageDate
from schemas.stages import ANOMALY_MIN_SEASONS, SEASON_DAY_ORIGIN, TREND_MIN_SEASONS

#: A season whose next year is not a leap year, used to show a mean day count as a date.
REFERENCE_SEASON = 2001


def day_count(day: dt.date, season: int, origin: tuple[int, int] = SEASON_DAY_ORIGIN) -> int:
    """Day count of ``day`` from ``origin`` (month, day) in the season year; the origin is 1.

    Dates before the origin give counts ≤ 0, which average like any other. [days]
    """
    return (day - dt.date(season, *origin)).days + 1


def date_of_day_count(
    count: int, season: int, origin: tuple[int, int] = SEASON_DAY_ORIGIN
) -> dt.date:
    """The date whose :func:`day_count` in ``season`` is ``count``."""
    return dt.date(season, *origin) + dt.timedelta(days=count - 1)


def mean_day_count(counts: Sequence[int]) -> int:
    """Mean of day counts rounded half-up (§9.4: 293 / 10 = 29.3 -> 29). [days]

    Exact integer arithmetic: floor(total / n + 1/2) = floor((2·total + n) / (2·n)).
    """
    if not counts:
        raise ValueError("mean_day_count needs at least one day count")
    total, n = sum(counts), len(counts)
    return (2 * total + n) // (2 * n)


def mean_month_day(counts: Sequence[int]) -> str:
    """The rounded mean day count shown as ``MM-DD`` (in a season without 29 February)."""
    return date_of_day_count(mean_day_count(counts), REFERENCE_SEASON).strftime("%m-%d")


def trend_per_decade(seasons: Sequence[int], counts: Sequence[int]) -> float | None:
    """Least-squares slope of day count on season year, ×10 [days/decade] (§9.5).

    slope = Σ(x−x̄)(y−ȳ) / Σ(x−x̄)² (ordinary least squares). None with fewer than
    ``TREND_MIN_SEASONS`` distinct seasons. Negative = the stage comes earlier.
    """
    if len(set(seasons)) < TREND_MIN_SEASONS:
        return None
    n = len(seasons)
    mx, my = sum(seasons) / n, sum(counts) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(seasons, counts, strict=True))
    sxx = sum((x - mx) ** 2 for x in seasons)
    return round(10.0 * sxy / sxx, 2)


def anomaly(count: int, earlier: Sequence[int]) -> int | None:
    """``count`` minus the rounded mean of ``earlier`` day counts, None when too few. [days]"""
    if len(earlier) < ANOMALY_MIN_SEASONS:
        return None
    return count - mean_day_count(earlier)


def with_anomalies(rows: Sequence[StageDate]) -> list[StageDate]:
    """The rows with ``anomaly_days`` against the earlier seasons of the same plot, cultivar,
    stage, status and method."""
    series: dict[tuple[str, ...], dict[int, int]] = defaultdict(dict)
    for r in rows:
        if r.date is not None:
            series[_key(r)][r.season] = day_count(r.date, r.season)
    out = []
    for r in rows:
        if r.date is None:
            out.append(r)
            continue
        counts = series[_key(r)]
        earlier = [c for s, c in counts.items() if s < r.season]
        out.append(replace(r, anomaly_days=anomaly(counts[r.season], earlier)))
    return out


def _key(r: StageDate) -> tuple[str, ...]:
    return (r.station, r.plot, r.cultivar, r.stage_code, r.status, r.method)
