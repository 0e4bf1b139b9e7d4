"""Checks of sub-daily (hourly or 10-minute) weather rows, domain specification §11.1.

Rows have the columns of :class:`schemas.tables.SubDailyWeather`; ``ts`` is the UTC epoch
second at the end of the interval. Everything is vectorised: the time-series checks sort once
by (station, ts) and work on numpy arrays, so a year of 1-minute data is checked in seconds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from obs.qc._frames import (
    SECONDS_PER_HOUR,
    BoolArray,
    FloatArray,
    IntArray,
    fmt,
    ids,
    same_station_as_previous,
    sorted_order,
    values,
)
from obs.qc._limits import register_limit_checks
from obs.qc.registry import Site, check, empty_findings, findings
from schemas.qc import ERROR, SUSPECT
from schemas.qc_rules import QCRules
from schemas.weather import SUBDAILY_ELEMENTS

_ALL = tuple(e.code for e in SUBDAILY_ELEMENTS)
#: Rounding slack of float arithmetic: a change equal to the threshold passes.
_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class _Series:
    """Rows sorted by (station, ts): positions, ids, times and the gap to the previous row."""

    order: IntArray
    ids: IntArray
    ts: IntArray
    gap: FloatArray  # [s] to the previous row of the same station; NaN for a station's first
    follows: BoolArray  # previous row is the same station and at most ``step_max_gap_hours`` ago

    @classmethod
    def of(cls, frame: pd.DataFrame, rules: QCRules) -> _Series:
        order = sorted_order(frame, "ts")
        ts = frame["ts"].to_numpy(dtype=np.int64)[order]
        gap = np.full(len(ts), np.nan)
        gap[1:] = np.diff(ts)
        gap[~same_station_as_previous(frame, order)] = np.nan
        follows = (gap > 0) & (gap <= rules.step_max_gap_hours * SECONDS_PER_HOUR)
        return cls(order, ids(frame)[order], ts, gap, follows)

    def nominal_step(self) -> float:
        """The usual interval between records [s] (median positive gap; 1 h if unknown)."""
        positive = self.gap[self.gap > 0]
        return float(np.median(positive)) if len(positive) else SECONDS_PER_HOUR


def _gap_reach(rules: QCRules) -> dt.timedelta:
    """A step or interval compares a record with the one before (and a first record with the
    one after): at most ``step_max_gap_hours`` away, plus an hour."""
    return dt.timedelta(hours=rules.step_max_gap_hours + 1)


def _run_reach(rules: QCRules) -> dt.timedelta:
    """A run of equal values covers ``persistence_hours``, plus an hour."""
    return dt.timedelta(hours=rules.persistence_hours + 1)


register_limit_checks("subdaily")


@check(
    "subdaily_step",
    "subdaily",
    ("t",),
    description_zh="相邻记录间变化率过大（按小时折算，可疑）",
    description_en="Change between consecutive records faster than the hourly step: suspect",
    looks_back=_gap_reach,
)
def subdaily_step(frame: pd.DataFrame, rules: QCRules, site: Site) -> pd.DataFrame:
    """Flag 1 on the later record where |Δvalue| / Δt exceeds the per-hour step threshold.

    The threshold scales linearly with the interval (6 °C h⁻¹ = 1 °C per 10 min). Records more
    than ``rules.step_max_gap_hours`` apart are not compared.
    """
    series = _Series.of(frame, rules)
    hours = series.gap / SECONDS_PER_HOUR
    parts = []
    for element, per_hour in rules.subdaily_step_per_hour.items():
        v = values(frame, element)[series.order]
        delta = np.zeros(len(v))
        delta[1:] = v[1:] - v[:-1]
        allowed = per_hour * np.where(series.follows, hours, 0.0) + _EPS
        bad = series.follows & (np.abs(delta) > allowed)
        reasons = [
            f"{element} changed {d} in {h:g} h (> {per_hour:g} per hour)"
            for d, h in zip(fmt(delta[bad]), np.round(hours[bad], 3), strict=True)
        ]
        parts.append(findings(series.ids[bad], element, SUSPECT, reasons))
    return pd.concat(parts, ignore_index=True) if parts else empty_findings()


@check(
    "value_persistence",
    "subdaily",
    ("t", "rh"),
    description_zh="数值长时间不变（传感器故障，错误）",
    description_en="Value unchanged for too long (stuck sensor): error",
    looks_back=_run_reach,
)
def value_persistence(frame: pd.DataFrame, rules: QCRules, site: Site) -> pd.DataFrame:
    """Flag 2 on every record of a run of equal values covering ``persistence_hours`` or more.

    A run covers (last ts − first ts) + one nominal interval, so 24 equal hourly values or 144
    equal 10-minute values cover 24 h. A gap longer than ``step_max_gap_hours`` ends a run.
    """
    series = _Series.of(frame, rules)
    step = series.nominal_step()
    limit = rules.persistence_hours * SECONDS_PER_HOUR
    parts = []
    for element in rules.persistence_elements:
        v = values(frame, element)[series.order]
        same = np.zeros(len(v), dtype=bool)
        same[1:] = v[1:] == v[:-1]
        same &= series.follows
        run = np.cumsum(~same) - 1
        starts = np.flatnonzero(~same)
        ends = np.append(starts[1:] - 1, len(v) - 1) if len(v) else starts
        cover = (series.ts[ends] - series.ts[starts] + step)[run] if len(v) else np.zeros(0)
        bad = (cover >= limit - 1e-6) & ~np.isnan(v)
        # a run that reaches the first or last row read may go on beyond it
        edge = (run == 0) | (run == run[-1]) if len(v) else np.zeros(0, dtype=bool)
        reasons = [
            f"{element} {val} unchanged for {'at least ' if e else ''}{c / SECONDS_PER_HOUR:g} h"
            for val, c, e in zip(fmt(v[bad]), cover[bad], edge[bad], strict=True)
        ]
        parts.append(findings(series.ids[bad], element, ERROR, reasons))
    return pd.concat(parts, ignore_index=True) if parts else empty_findings()


@check(
    "sunshine_exceeds_interval",
    "subdaily",
    ("sunshine",),
    description_zh="时段日照时数超过时段长度（错误）",
    description_en="Sunshine in an interval longer than the interval itself: error",
    looks_back=_gap_reach,
)
def sunshine_exceeds_interval(frame: pd.DataFrame, rules: QCRules, site: Site) -> pd.DataFrame:
    """Flag 2 where sunshine [h] exceeds the time since the previous record [h].

    A station's first record uses the gap to its next record; a lone record is not checked.
    """
    series = _Series.of(frame, rules)
    interval = series.gap.copy()
    first = np.isnan(interval)
    following = np.append(interval[1:], np.nan)
    interval[first] = following[first]
    hours = interval / SECONDS_PER_HOUR
    sun = values(frame, "sunshine")[series.order]
    bad = sun > np.where(np.isnan(hours), np.inf, hours) + rules.interval_sunshine_tolerance + _EPS
    reasons = [
        f"sunshine {s} h > interval {h:g} h"
        for s, h in zip(fmt(sun[bad]), np.round(hours[bad], 3), strict=True)
    ]
    return findings(series.ids[bad], "sunshine", ERROR, reasons)
