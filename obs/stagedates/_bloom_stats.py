"""Statistics of the bloom timeline of one plot and cultivar: durations, anomalies with the
baseline they rest on, all-season means and trends, and the summary rows.

Two means, kept apart on purpose (§9.4, CMA day-count method, :mod:`obs.stagedates.climate`):

* the **baseline** of a row = the rounded mean day count of the *earlier* seasons (往年平均，
  不含本季); the row's anomaly is its day count minus this baseline, so it never changes when
  later seasons are added;
* the **mean** = the rounded mean over *all* seasons (多年平均，全部年份), shown with the trend.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from obs.stagedates.climate import (
    anomaly,
    day_count,
    mean_day_count,
    mean_month_day,
    trend_per_decade,
)
from schemas.stages import ANOMALY_MIN_SEASONS

#: Kinds of summary rows appended per plot and cultivar by ``bloom_table(with_summary=True)``.
SUMMARY_ROWS: tuple[str, ...] = ("mean", "trend")


def add_stage_statistics(rows: list[dict[str, Any]], codes: Sequence[str]) -> None:
    """Anomaly, baseline (+ n) and all-season mean and trend of every stage, in place.

    ``rows`` are the seasons of one plot and cultivar, oldest first, with ``{code}_date``.
    """
    for code in (c.lower() for c in codes):
        counts = [
            (r["season"], day_count(r[f"{code}_date"], r["season"]))
            for r in rows
            if r[f"{code}_date"] is not None
        ]
        for row in rows:
            date = row[f"{code}_date"]
            earlier = [c for s, c in counts if s < row["season"]]
            own = day_count(date, row["season"]) if date is not None else None
            _set_baseline(row, code, own, earlier, mean_month_day)
        mean = mean_month_day([c for _, c in counts]) if counts else None
        trend = trend_per_decade(*zip(*counts, strict=True)) if counts else None
        for row in rows:
            row[f"{code}_mean"], row[f"{code}_trend"] = mean, trend


def add_duration_statistics(rows: list[dict[str, Any]]) -> None:
    """Bloom duration FLE − FLS [days] with its anomaly, baseline, mean and trend, in place."""
    for row in rows:
        fls, fle = row.get("fls_date"), row.get("fle_date")
        row["duration_days"] = (fle - fls).days if fls and fle else None
    durations = [(r["season"], r["duration_days"]) for r in rows if r["duration_days"] is not None]
    for row in rows:
        earlier = [d for s, d in durations if s < row["season"]]
        _set_baseline(row, "duration", row["duration_days"], earlier, mean_day_count)
    mean = mean_day_count([d for _, d in durations]) if durations else None
    trend = trend_per_decade(*zip(*durations, strict=True)) if durations else None
    for row in rows:
        row["duration_mean"], row["duration_trend"] = mean, trend


def _set_baseline(
    row: dict[str, Any], key: str, own: int | None, earlier: list[int], shown: Any
) -> None:
    """``{key}_anomaly``, ``{key}_baseline`` (mean of ``earlier`` shown by ``shown``) and
    ``{key}_baseline_n``; all None below ``ANOMALY_MIN_SEASONS`` earlier seasons or without
    a value of the row's own."""
    use = own is not None and len(earlier) >= ANOMALY_MIN_SEASONS
    row[f"{key}_anomaly"] = anomaly(own, earlier) if use and own is not None else None
    row[f"{key}_baseline"] = shown(earlier) if use else None
    row[f"{key}_baseline_n"] = len(earlier) if use else None


def summary_rows(rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> list[dict[str, Any]]:
    """A ``"mean"`` and a ``"trend"`` row of one plot and cultivar: ``season`` None,
    ``season_label`` the row kind, ``{key}_date`` / ``duration_days`` the all-season mean
    ("MM-DD" / days) or trend [days/decade] of each stage key (lower-case code)."""
    first = rows[0]
    out = []
    for kind in SUMMARY_ROWS:
        row: dict[str, Any] = {
            "station": first["station"],
            "plot": first["plot"],
            "cultivar": first["cultivar"],
            "season": None,
            "season_label": kind,
            "duration_days": first[f"duration_{kind}"],
        }
        row.update({f"{k}_date": first[f"{k}_{kind}"] for k in keys})
        out.append(row)
    return out
