"""Weather summaries per period and month, and their agreement with the single-index functions."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from obs import indices as ix
from obs.errors import InvalidValueError
from schemas.indices import SUMMARY_ELEMENTS
from tests.conftest import FIVE, D, daily

# --- summaries -----------------------------------------------------------------------------


def test_period_summary_by_hand() -> None:
    summary = ix.period_summary(FIVE, D(2024, 12, 29), D(2025, 1, 2))
    assert (summary.n_days, summary.days_present, summary.complete) == (5, 5, True)
    assert summary.t_mean == pytest.approx(6.3)
    assert (summary.t_max_extreme, summary.t_max_extreme_date) == (20.0, D(2025, 1, 1))
    assert (summary.t_min_extreme, summary.t_min_extreme_date) == (-4.0, D(2025, 1, 2))
    assert (summary.precip, summary.rain_days, summary.sunshine) == (pytest.approx(3.6), 3, 15)
    assert (summary.gdd, summary.frost_days, summary.hot_days) == (3.0, 2, 0)
    assert (summary.dry_spell_days, summary.dry_spell_start) == (2, D(2024, 12, 29))
    row = summary.as_row()
    assert (row["active_ge0"], row["active_ge5"], row["active_ge10"]) == (32.5, 28.5, 22.5)
    assert row["effective_gt10"] == 2.5
    assert list(row) == ix.summary_columns()


def test_stage_interval_starts_the_day_after() -> None:
    assert ix.stage_interval(D(2024, 12, 5), D(2025, 1, 6)) == (D(2024, 12, 6), D(2025, 1, 6))
    with pytest.raises(InvalidValueError):
        ix.stage_interval(D(2025, 1, 6), D(2025, 1, 6))


def test_monthly_climate_rows_and_completeness() -> None:
    days = pd.date_range("2024-12-01", "2025-02-28", freq="D")
    frame = pd.DataFrame(
        {"t_mean": 8.0, "t_max": 12.0, "t_min": 4.0, "precip": 0.0, "sunshine": 2.0},
        index=[d.date() for d in days],
    )
    frame.loc[D(2024, 12, 1), "t_max"] = 18.0
    frame = frame.drop(index=[D(2024, 12, k) for k in range(25, 32)])  # Dec: 24 of 31 days
    frame = frame.drop(index=[D(2025, 1, k) for k in range(26, 32)])  # Jan: 25 of 31 days
    frame.loc[D(2025, 2, 3), "precip"] = 2.5
    table = ix.monthly_climate(frame)
    assert table.index.tolist() == ["2024-12", "2025-01", "2025-02"]
    assert table["days_present"].tolist() == [24, 25, 28]
    assert table["complete"].tolist() == [False, True, True]
    assert table.loc["2024-12", "incomplete_elements"] == "t_mean,t_max,t_min,precip,sunshine"
    assert table.loc["2024-12", "t_max_extreme"] == 18.0
    assert table.loc["2024-12", "t_max_extreme_date"] == D(2024, 12, 1)
    assert table.loc["2025-02", "precip"] == 2.5
    assert table.loc["2025-02", "rain_days"] == 1
    assert table.loc["2025-02", "sunshine"] == 56.0
    assert table.loc["2025-01", "gdd"] == 0.0  # (12 + 4)/2 = 8 < 10
    assert table.loc["2025-01", "active_ge5"] == 25 * 8.0
    assert list(table.columns) == ix.summary_columns()


def test_monthly_climate_keeps_empty_months_and_handles_empty_input() -> None:
    frame = daily(D(2025, 1, 31), t_mean=[5.0])
    frame.loc[D(2025, 3, 1)] = 6.0
    table = ix.monthly_climate(frame)
    assert table.index.tolist() == ["2025-01", "2025-02", "2025-03"]
    assert table.loc["2025-02", "days_present"] == 0
    assert table.loc["2025-02", "t_mean"] is None or pd.isna(table.loc["2025-02", "t_mean"])
    empty = ix.monthly_climate(FIVE.iloc[0:0])
    assert empty.empty and list(empty.columns) == ix.summary_columns()


# --- summaries agree with the single-index functions over the same window ------------------


def _reference_summary(frame: pd.DataFrame, start: dt.date, end: dt.date) -> ix.PeriodSummary:
    """``period_summary`` as first written: one pandas index function per quantity."""
    from obs.indices._base import daily_window, element

    window = daily_window(frame, start, end)
    gaps = ix.missing_days(window, start, end)
    present = pd.concat([element(window, n) for n in SUMMARY_ELEMENTS], axis=1)
    hottest, coldest = ix.highest(window, "t_max"), ix.lowest(window, "t_min")
    spell = ix.longest_dry_spell(window)
    return ix.PeriodSummary(
        start=start, end=end, n_days=len(window),
        days_present=int(present.notna().any(axis=1).sum()),
        complete=not gaps.incomplete_elements, incomplete_elements=gaps.incomplete_elements,
        t_mean=ix.mean_of(window, "t_mean").value, t_max_mean=ix.mean_of(window, "t_max").value,
        t_min_mean=ix.mean_of(window, "t_min").value,
        t_max_extreme=hottest.value, t_max_extreme_date=hottest.day,
        t_min_extreme=coldest.value, t_min_extreme_date=coldest.day,
        precip=ix.precipitation_total(window).value,
        rain_days=_count(ix.rain_days(window).value),
        sunshine=ix.sunshine_total(window).value,
        gdd=ix.growing_degree_days(window).value,
        frost_days=_count(ix.frost_days(window).value),
        hot_days=_count(ix.hot_days(window).value),
        dry_spell_days=spell.length, dry_spell_start=spell.start, dry_spell_end=spell.end,
        accumulations=ix.accumulated_temperatures(window),
    )  # fmt: skip


def _count(value: float | None) -> int | None:
    return None if value is None else int(value)


def _random_daily(seed: int) -> pd.DataFrame:
    """400 days of one-decimal weather with ~15 % NaN per element and ~5 % absent rows."""
    rng = np.random.default_rng(seed)
    n = 400
    t = np.round(rng.normal(12.0, 9.0, n), 1)
    frame = pd.DataFrame(
        {
            "t_mean": t,
            "t_max": np.round(t + rng.uniform(0, 8, n), 1),
            "t_min": np.round(t - rng.uniform(0, 8, n), 1),
            "precip": np.where(rng.random(n) < 0.5, 0.0, np.round(rng.exponential(4, n), 1)),
            "sunshine": np.round(rng.uniform(0, 9, n), 1),
        },
        index=[D(2024, 3, 1) + dt.timedelta(days=i) for i in range(n)],
    )
    for col in frame.columns:
        frame.loc[rng.random(n) < 0.15, col] = np.nan
    return frame[rng.random(n) >= 0.05]


@pytest.mark.parametrize("seed", range(6))
def test_period_summary_agrees_with_the_single_index_functions(seed: int) -> None:
    frame = _random_daily(seed)
    if seed == 5:
        frame = frame.drop(columns="sunshine")  # an absent element counts as missing
    arrays = ix.daily_arrays(frame)
    rng = np.random.default_rng(100 + seed)
    windows = [(D(2024, 2, 20), D(2024, 3, 10)), (D(2025, 3, 20), D(2025, 4, 20))]
    for _ in range(40):
        first = D(2024, 3, 1) + dt.timedelta(days=int(rng.integers(0, 400)))
        windows.append((first, first + dt.timedelta(days=int(rng.integers(0, 120)))))
    for start, end in windows:
        expected = _reference_summary(frame, start, end)
        assert ix.period_summary(arrays, start, end) == expected  # exact, not approximate
        assert ix.period_summary(frame, start, end) == expected


def test_summary_of_an_empty_frame_and_of_a_window_outside_the_data() -> None:
    empty = FIVE.iloc[0:0]
    outside = (D(2025, 6, 1), D(2025, 6, 3))
    assert ix.period_summary(empty, *outside) == _reference_summary(empty, *outside)
    assert ix.period_summary(FIVE, *outside) == _reference_summary(FIVE, *outside)
    assert ix.period_summary(FIVE, *outside).days_present == 0
    nothing = ix.period_summary(FIVE, *outside)
    assert (nothing.precip, nothing.rain_days, nothing.sunshine, nothing.gdd) == (None,) * 4
    assert (nothing.frost_days, nothing.hot_days, nothing.dry_spell_days) == (None,) * 3
    assert all(
        acc.active.value is None and acc.days_active is None for acc in nothing.accumulations
    )
    with pytest.raises(InvalidValueError):
        ix.period_summary(FIVE, D(2025, 1, 2), D(2025, 1, 1))


def test_monthly_climate_equals_the_summary_of_each_month() -> None:
    frame = _random_daily(7)
    table = ix.monthly_climate(frame)
    assert table.equals(ix.monthly_climate(ix.daily_arrays(frame)))
    for month in pd.period_range("2024-03", "2025-04", freq="M"):
        start, end = month.start_time.date(), month.end_time.date()
        expected = _reference_summary(frame, start, end).as_row()
        assert table.loc[str(month)].to_dict() == expected
