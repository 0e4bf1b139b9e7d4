"""Checks of daily weather rows (``daily_weather``), domain specification §11.1 and §4.12.

Each check takes one station's rows (the columns of :class:`schemas.tables.DailyWeather`) and
returns findings (see :mod:`obs.qc.registry`). Missing values (NaN/None) are never flagged by
the range, consistency or step checks; ``missing_core_element`` flags them.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import numpy.typing as npt
import pandas as pd

from obs.qc._frames import fmt, ids, sorted_order, values
from obs.qc._limits import register_limit_checks
from obs.qc.daylength import day_length_hours
from obs.qc.registry import Site, check, empty_findings, findings
from schemas.qc import ERROR, MISSING, SUSPECT
from schemas.qc_rules import QCRules
from schemas.weather import DAILY_ELEMENTS, FIXED_HOURS

_ALL = tuple(e.code for e in DAILY_ELEMENTS)
_FIXED = tuple(f"t{h:02d}" for h in FIXED_HOURS)
_PRECIP = ("precip", "precip_20_08", "precip_08_20")
#: Rounding slack of float arithmetic: a difference equal to a threshold passes.
_EPS = 1e-9
_WIND_ORDER = (("wind_mean", "wind_max"), ("wind_max", "wind_gust"), ("wind_mean", "wind_gust"))


register_limit_checks("daily")


@check(
    "temperature_order",
    "daily",
    ("t_min", "t_mean", "t_max"),
    description_zh="气温内部一致性：最低 ≤ 平均 ≤ 最高（错误）",
    description_en="Temperatures out of order: t_min ≤ t_mean ≤ t_max must hold: error",
)
def temperature_order(frame: pd.DataFrame, rules: QCRules, site: Site) -> pd.DataFrame:
    """Flag 2 for each violated relation of t_min ≤ t_mean ≤ t_max."""
    pairs = (("t_min", "t_max"), ("t_min", "t_mean"), ("t_mean", "t_max"))
    return _order_violations(frame, pairs, ERROR)


@check(
    "fixed_hour_outside_max_min",
    "daily",
    ("t_max", "t_min", *_FIXED),
    description_zh="定时气温高于最高气温或低于最低气温（错误）",
    description_en="A fixed-hour temperature above t_max or below t_min: error",
)
def fixed_hour_outside_max_min(frame: pd.DataFrame, rules: QCRules, site: Site) -> pd.DataFrame:
    """Flag 2 where t_max < max(t02, t08, t14, t20) or t_min > min of them."""
    fixed = np.column_stack([values(frame, c) for c in _FIXED]) if len(frame) else None
    if fixed is None:
        return empty_findings()
    parts = []
    for extreme, sign, word in (("t_max", 1.0, "<"), ("t_min", -1.0, ">")):
        scored = np.where(np.isnan(fixed), -np.inf, sign * fixed)
        col = scored.argmax(axis=1)
        top = fixed[np.arange(len(frame)), col]
        v = values(frame, extreme)
        bad = np.isfinite(scored.max(axis=1)) & (sign * v < sign * top)
        names = np.array(_FIXED)[col[bad]]
        reasons = [
            f"{extreme} {a} {word} {n} {b}"
            for a, n, b in zip(fmt(v[bad]), names, fmt(top[bad]), strict=True)
        ]
        parts.append(findings(ids(frame)[bad], [f"{extreme},{n}" for n in names], ERROR, reasons))
    return pd.concat(parts, ignore_index=True)


@check(
    "precip_parts_sum",
    "daily",
    _PRECIP,
    description_zh="20-08 与 08-20 时降水量之和不等于日降水量（错误）",
    description_en="precip_20_08 + precip_08_20 differs from precip: error",
)
def precip_parts_sum(frame: pd.DataFrame, rules: QCRules, site: Site) -> pd.DataFrame:
    """Flag 2 where both half-day totals are given and their sum misses the daily total."""
    total, night, day = (values(frame, c) for c in _PRECIP)
    bad = np.abs(night + day - total) > rules.precip_sum_tolerance + _EPS
    reasons = [
        f"precip_20_08 {a} + precip_08_20 {b} ≠ precip {c}"
        for a, b, c in zip(fmt(night[bad]), fmt(day[bad]), fmt(total[bad]), strict=True)
    ]
    return findings(ids(frame)[bad], ",".join(_PRECIP), ERROR, reasons)


@check(
    "sunshine_exceeds_day_length",
    "daily",
    ("sunshine",),
    description_zh="日照时数超过可照时数（可疑）",
    description_en="Sunshine longer than the astronomical day length: suspect",
)
def sunshine_exceeds_day_length(frame: pd.DataFrame, rules: QCRules, site: Site) -> pd.DataFrame:
    """Flag 1 where sunshine exceeds the day length at the site's latitude (needs the site)."""
    if site.latitude is None or not len(frame):
        return empty_findings()
    doy = pd.to_datetime(frame["obs_date"]).dt.day_of_year.to_numpy()
    length = day_length_hours(site.latitude, doy, rules.day_length_sun_angle)
    sun = values(frame, "sunshine")
    bad = sun > length + rules.sunshine_tolerance + _EPS
    reasons = [
        f"sunshine {s} h > day length {d:.1f} h at {site.latitude:g}°N"
        for s, d in zip(fmt(sun[bad]), length[bad], strict=True)
    ]
    return findings(ids(frame)[bad], "sunshine", SUSPECT, reasons)


@check(
    "wind_order",
    "daily",
    ("wind_mean", "wind_max", "wind_gust"),
    description_zh="风速内部一致性：平均 ≤ 最大 ≤ 极大（可疑）",
    description_en="Wind out of order: wind_mean ≤ wind_max ≤ wind_gust should hold: suspect",
)
def wind_order(frame: pd.DataFrame, rules: QCRules, site: Site) -> pd.DataFrame:
    """Flag 1 for each violated relation of wind_mean ≤ wind_max ≤ wind_gust."""
    return _order_violations(frame, _WIND_ORDER, SUSPECT)


@check(
    "precip_phenomenon_mismatch",
    "daily",
    ("precip", "phenomena"),
    description_zh="有降水量而无降水现象，或有降水现象而无降水（可疑）",
    description_en="Precipitation without a rain/snow/sleet/hail phenomenon, or the reverse: "
    "suspect",
)
def precip_phenomenon_mismatch(frame: pd.DataFrame, rules: QCRules, site: Site) -> pd.DataFrame:
    """Flag 1 on precip/phenomena disagreement in the rows that record phenomena.

    precip > 0 needs one of ``rules.precip_phenomena``; such a phenomenon needs precip > 0 or
    the trace flag. Only values actually recorded are compared: a row without phenomena (a
    daily file without that column, an entry without ``--phenomena``) is not checked, even when
    other rows of the station have them. Rows with precip missing are left to
    ``missing_core_element``.
    """
    marks = frame["phenomena"].fillna("").astype(str) if "phenomena" in frame else None
    if marks is None or not (marks.str.strip() != "").any():
        return empty_findings()
    recorded = (marks.str.strip() != "").to_numpy(dtype=bool)
    codes = "|".join(re.escape(c) for c in rules.precip_phenomena)
    wet = marks.str.contains(rf"(?:^|,)\s*(?:{codes})\s*(?:,|$)").to_numpy(dtype=bool)
    trace = _flags(frame, "precip_trace")
    precip = values(frame, "precip")
    dry_sky, dry_gauge = recorded & (precip > 0) & ~wet, wet & (precip == 0) & ~trace
    bad = dry_sky | dry_gauge
    reasons = [
        f"precip {p} mm but phenomena '{m}'" if sky else f"phenomena '{m}' but precip {p} mm"
        for p, m, sky in zip(fmt(precip[bad]), marks.to_numpy()[bad], dry_sky[bad], strict=True)
    ]
    return findings(ids(frame)[bad], "precip,phenomena", SUSPECT, reasons)


@check(
    "daily_step",
    "daily",
    ("t_mean", "t_max"),
    description_zh="相邻两日变化过大（可疑）",
    description_en="Change from the previous day larger than the step threshold: suspect",
    looks_back=lambda rules: dt.timedelta(days=1),
)
def daily_step(frame: pd.DataFrame, rules: QCRules, site: Site) -> pd.DataFrame:
    """Flag 1 on the later day where an element changed more than its step threshold.

    Only consecutive calendar days of the same station are compared.
    """
    order = sorted_order(frame, "obs_date")
    days = pd.to_datetime(frame["obs_date"]).to_numpy()[order].astype("datetime64[D]")
    stations = frame["station_id"].to_numpy()[order] if "station_id" in frame else None
    follows = np.zeros(len(order), dtype=bool)
    follows[1:] = np.diff(days).astype(np.int64) == 1
    if stations is not None:
        follows[1:] &= stations[1:] == stations[:-1]
    parts = []
    for element, limit in rules.daily_step.items():
        v = values(frame, element)[order]
        delta = np.zeros(len(v))
        delta[1:] = v[1:] - v[:-1]
        bad = follows & (np.abs(delta) > limit + _EPS)
        before = np.roll(v, 1)[bad]
        reasons = [
            f"{element} {a} -> {b} from the day before: change {d}, limit ±{limit:g}"
            for a, b, d in zip(fmt(before), fmt(v[bad]), fmt(delta[bad]), strict=True)
        ]
        parts.append(findings(ids(frame)[order][bad], element, SUSPECT, reasons))
    return pd.concat(parts, ignore_index=True) if parts else empty_findings()


@check(
    "missing_core_element",
    "daily",
    ("t_max", "t_min", "precip"),
    description_zh="核心要素缺测",
    description_en="A core element (t_max, t_min, precip) is missing",
)
def missing_core_element(frame: pd.DataFrame, rules: QCRules, site: Site) -> pd.DataFrame:
    """Flag 8 for each missing core element (``rules.core_daily_elements``)."""
    parts = [
        findings(
            ids(frame)[np.isnan(values(frame, e))],
            e,
            MISSING,
            ["missing"] * int(np.isnan(values(frame, e)).sum()),
        )
        for e in rules.core_daily_elements
    ]
    return pd.concat(parts, ignore_index=True) if parts else empty_findings()


def _order_violations(
    frame: pd.DataFrame, pairs: tuple[tuple[str, str], ...], flag: int
) -> pd.DataFrame:
    """Findings where ``lower > upper`` for any (lower, upper) pair of columns."""
    parts = []
    for low_name, high_name in pairs:
        low, high = values(frame, low_name), values(frame, high_name)
        bad = low > high
        reasons = [
            f"{low_name} {a} > {high_name} {b}"
            for a, b in zip(fmt(low[bad]), fmt(high[bad]), strict=True)
        ]
        parts.append(findings(ids(frame)[bad], f"{low_name},{high_name}", flag, reasons))
    return pd.concat(parts, ignore_index=True)


def _flags(frame: pd.DataFrame, column: str) -> npt.NDArray[np.bool_]:
    """A boolean column with missing values as False (all False when the column is absent)."""
    if column not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    return np.asarray(frame[column].astype("boolean").fillna(False), dtype=bool)
