"""Shared pieces and the phenology rules of the agromet condition appraisal.

Every rule returns a :class:`Finding`: the numbers it rests on and one sentence per language
(templates in :mod:`obs.reports.appraisal_text`) that states them. Dates are ISO, as
everywhere in the reports; thresholds come from ``schemas.appraisal``.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from obs import indices
from obs.reports.appraisal_text import say, word
from obs.reports.labels import cell_text
from obs.stagedates.climate import mean_day_count
from schemas import appraisal as A


@dataclass(frozen=True)
class Finding:
    """One appraisal statement: the facts-table row and its zh/en sentence.

    ``value``, ``normal`` (multi-year mean) and ``anomaly`` are in ``unit``; ``n_years`` is the
    number of earlier seasons behind ``normal``.
    """

    index: str
    plot: str | None
    start: dt.date | None
    end: dt.date | None
    value: float | None
    normal: float | None
    anomaly: float | None
    unit: str
    n_years: int | None
    zh: str
    en: str


def finding(
    index: str,
    plot: str | None,
    window: tuple[dt.date | None, dt.date | None],
    numbers: tuple[float | None, float | None, float | None, str, int | None],
    text: tuple[str, str],
) -> Finding:
    """A Finding from its window, (value, normal, anomaly, unit, n_years) and (zh, en)."""
    value, normal, anomaly, unit, n_years = numbers
    return Finding(index, plot, window[0], window[1], value, normal, anomaly, unit, n_years, *text)


def who(plot: str, cultivar: str) -> tuple[str, str]:
    """``JG-A（素心蜡梅）`` / ``JG-A (Concolor wintersweet)``: the subject of plot sentences."""
    return (
        f"{plot}（{cell_text('cultivar', cultivar, 'zh')}）",
        f"{plot} ({cell_text('cultivar', cultivar, 'en')})",
    )


def coverage(values: npt.NDArray[np.float64]) -> tuple[str, str]:
    """A note on the days with data when an element lacks some days of its window (§11.1)."""
    n, present = len(values), int(np.count_nonzero(~np.isnan(values)))
    return ("", "") if present == n else say("coverage", present=present, n=n)


def has_data(values: npt.NDArray[np.float64]) -> bool:
    """True when at least one value is present."""
    return bool(np.any(~np.isnan(values)))


def shifted(day: dt.date, years: int) -> dt.date:
    """``day`` ``years`` earlier; 29 February becomes 28 February."""
    if day.month == 2 and day.day == 29:
        day = day - dt.timedelta(days=1)
    return day.replace(year=day.year - years)


def same_days_normals(
    arrays: indices.DailyArrays, start: dt.date, end: dt.date, fields: Sequence[str]
) -> dict[str, tuple[float | None, int]]:
    """Mean of each summary field over [start, end] shifted into each earlier season.

    ``fields`` are element names (``t_mean``, ``precip``, ``sunshine``). A season whose window
    lacks the element on more than 20 % of the days (§11.1) is left out of that element's
    mean; at most ``NORMAL_MAX_SEASONS`` seasons are used, and the mean is None with fewer
    than ``NORMAL_MIN_SEASONS``. Returns field -> (mean, seasons used).
    """
    values: dict[str, list[float]] = {f: [] for f in fields}
    for years in range(1, A.NORMAL_MAX_SEASONS + 1):
        first, last = shifted(start, years), shifted(end, years)
        if arrays.first is None or last < arrays.first:
            break
        summary = indices.period_summary(arrays, first, last)
        for f in fields:
            value = getattr(summary, f)
            if f not in summary.incomplete_elements and value is not None:
                values[f].append(float(value))
    return {
        f: (statistics.fmean(v) if len(v) >= A.NORMAL_MIN_SEASONS else None, len(v))
        for f, v in values.items()
    }


def timing_finding(
    names: tuple[str, str], plot: str, fls: dt.date | None, anomaly: int | None
) -> Finding:
    """First flowering (FLS general date) and its anomaly against the earlier seasons [d]."""
    if fls is None:
        return finding("fls_anomaly", plot, (None, None), (None, None, None, "d", None),
                       say("fls_none", who=names))  # fmt: skip
    k = A.NORMAL_MIN_SEASONS
    if anomaly is None:
        text = say("fls_no_mean", who=names, day=fls, k=k)
    elif anomaly == 0:
        text = say("fls_same", who=names, day=fls)
    else:
        way = word("later" if anomaly > 0 else "earlier")
        text = say("fls_anomaly", who=names, day=fls, word=way, n=abs(anomaly))
    return finding("fls_anomaly", plot, (fls, fls), (None, None, anomaly, "d", None), text)


def no_bloom_finding(names: tuple[str, str], plot: str) -> Finding:
    """Said when FLS or FLE is missing: the bloom-period rules cannot be applied."""
    return finding("bloom_days", plot, (None, None), (None, None, None, "d", None),
                   say("no_bloom", who=names))  # fmt: skip


def length_finding(
    names: tuple[str, str], plot: str, fls: dt.date, fle: dt.date, earlier: Sequence[int]
) -> Finding:
    """Bloom length FLE − FLS [d] against the mean of the earlier seasons, rounded half-up
    as mean dates are (§9.4)."""
    days = (fle - fls).days
    if len(earlier) < A.NORMAL_MIN_SEASONS:
        text = say("length_no_mean", who=names, days=days, k=A.NORMAL_MIN_SEASONS)
        return finding("bloom_days", plot, (fls, fle), (days, None, None, "d", None), text)
    mean, n = mean_day_count(earlier), len(earlier)
    diff = days - mean
    if diff == 0:
        text = say("length_same", who=names, days=days, n=n, mean=mean)
    else:
        way = word("longer" if diff > 0 else "shorter")
        text = say("length_anomaly", who=names, days=days, n=n, mean=mean, word=way,
                   diff=abs(diff))  # fmt: skip
    return finding("bloom_days", plot, (fls, fle), (days, mean, diff, "d", n), text)
