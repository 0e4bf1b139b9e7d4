"""Indices compared with other programs (issue 13, point 8): degree days with settable bases,
temperature day counts, rain days by the CMA classes, the wettest day with ties, and
precipitation totals from unrounded values. Expected figures are hand sums of the days below.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from obs.indices.extremes import (
    degree_days,
    monthly_indices,
    period_indices,
    precipitation_total_unrounded,
    threshold_days,
    wettest_day,
)
from schemas.indices import RAIN_CLASS_DAYS, TEMPERATURE_DAYS

D = dt.date
NAN = float("nan")
START, END = D(2024, 7, 1), D(2024, 7, 10)

#: Ten July days; the mean of 10 July is missing.
DAYS = pd.DataFrame(
    {
        "t_mean": [15, 17, 18, 20, 26, 27, 28.5, 30, 18.33, NAN],
        "t_max": [30, 29.9, 35, -1, 0, 0.1, 31, 30, NAN, 12],
        "t_min": [-20, -20.1, -19.9, 5, 5, -20.1, 7, 8, 9, 10],
        "precip": [0, 0.1, 9.9, 10, 24.9, 25, 49.9, 50, 62.5, 62.5],
    },
    index=pd.date_range(START, END, freq="D"),
)


def test_degree_days_with_chinese_and_us_bases() -> None:
    hdd = degree_days(DAYS, "heating", 18.0)
    assert (hdd.value, hdd.n_expected, hdd.n_missing) == (pytest.approx(4.0), 10, 1)  # 3 + 1
    assert degree_days(DAYS, "heating", 18.33).value == pytest.approx(4.99)  # 3.33+1.33+0.33
    assert degree_days(DAYS, "cooling", 26.0).value == pytest.approx(7.5)  # 1 + 2.5 + 4
    # 18.33: 1.67 + 7.67 + 8.67 + 10.17 + 11.67
    assert degree_days(DAYS, "cooling", 18.33).value == pytest.approx(39.85)


def test_temperature_and_rain_class_day_counts() -> None:
    counts = {r.key: threshold_days(DAYS, r).value for r in (*TEMPERATURE_DAYS, *RAIN_CLASS_DAYS)}
    assert counts == {
        "days_tmax_ge30": 4,  # 30, 35, 31, 30 (29.9 is not)
        "days_tmax_le0": 2,  # -1, 0
        "days_tmin_le_m20": 3,  # -20, -20.1, -20.1 (-19.9 is not)
        "rain_ge0_1": 9,
        "rain_ge10": 7,  # 9.9 is 小雨
        "rain_ge25": 5,  # 24.9 is 中雨
        "rain_ge50": 3,  # 49.9 is 大雨
    }


def test_wettest_day_says_there_were_ties_and_gives_the_first() -> None:
    wet = wettest_day(DAYS)
    assert (wet.value, wet.day, wet.days) == (62.5, D(2024, 7, 9), (D(2024, 7, 9), D(2024, 7, 10)))
    dry = wettest_day(DAYS.assign(precip=0.0))
    assert (dry.value, dry.day, dry.days) == (0.0, None, ())


def test_precipitation_sums_unrounded_values_where_they_round_to_the_stored_day() -> None:
    raw = pd.Series(
        [0.06, 9.94, 10.04, 30.0],  # 07-05: 30.0 does not round to the stored 24.9 (amended)
        index=[D(2024, 7, 2), D(2024, 7, 3), D(2024, 7, 4), D(2024, 7, 5)],
    )
    assert precipitation_total_unrounded(DAYS, None).value == pytest.approx(294.8)
    assert precipitation_total_unrounded(DAYS, raw).value == pytest.approx(294.84)


def test_period_row_and_months() -> None:
    row = period_indices(DAYS, START, END, heating_base=18.33, cooling_base=18.33)
    assert (row["hdd"], row["cdd"]) == (pytest.approx(4.99), pytest.approx(39.85))
    assert (row["precip_max"], row["precip_max_date"], row["precip_max_days"]) == (
        62.5,
        D(2024, 7, 9),
        2,
    )
    assert (row["t_min_extreme"], row["t_min_extreme_date"], row["t_min_extreme_days"]) == (
        -20.1,
        D(2024, 7, 2),
        2,
    )
    assert (row["t_max_extreme"], row["t_max_extreme_days"]) == (35.0, 1)
    assert row["complete"] is True  # 9 of 10 means present: ≥ 80 %
    months = monthly_indices(DAYS, D(2024, 6, 25), END)
    assert list(months.index) == ["2024-06", "2024-07"]
    assert pd.isna(months.loc["2024-06", "hdd"]) and months.loc["2024-06", "n_days"] == 6
    assert months.loc["2024-07", "rain_ge50"] == 3
