"""Agrometeorological indices: hand-computed examples, published tables and model checks."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from obs import indices as ix
from obs.errors import InvalidValueError
from schemas.indices import SUMMARY_ELEMENTS

D = dt.date


def daily(start: dt.date, **columns: list[float]) -> pd.DataFrame:
    """A daily frame on consecutive days from ``start`` (index of datetime.date)."""
    n = len(next(iter(columns.values())))
    days = [start + dt.timedelta(days=i) for i in range(n)]
    return pd.DataFrame(columns, index=days, dtype="float64")


def hours(first: str, values: list[float]) -> pd.Series:
    """An hourly temperature series on consecutive hours from ``first`` (naive BT)."""
    index = pd.date_range(first, periods=len(values), freq="h")
    return pd.Series(values, index=index, dtype="float64")


# Five days across the new year; every number below is worked by hand from these.
FIVE = daily(
    D(2024, 12, 29),
    t_mean=[4.0, 6.0, 10.0, 12.5, -1.0],
    t_max=[8.0, 12.0, 15.0, 20.0, 3.0],
    t_min=[0.0, 1.0, 5.0, 6.0, -4.0],
    precip=[0.0, 0.5, 3.0, 0.1, 0.0],
    sunshine=[1.0, 2.0, 3.0, 4.0, 5.0],
)


# --- accumulated temperature (§10.4) ------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "active", "effective"),
    [
        (0.0, 4 + 6 + 10 + 12.5, 4 + 6 + 10 + 12.5),
        (5.0, 6 + 10 + 12.5, 1 + 5 + 7.5),
        (10.0, 10 + 12.5, 0 + 2.5),  # 10 is active (≥ B) but adds nothing effective
    ],
)
def test_accumulated_temperature_by_hand(base: float, active: float, effective: float) -> None:
    assert ix.active_accumulated_temperature(FIVE, base).value == pytest.approx(active)
    assert ix.effective_accumulated_temperature(FIVE, base).value == pytest.approx(effective)


def test_accumulated_temperatures_bundle_matches_single_functions() -> None:
    result = {acc.base: acc for acc in ix.accumulated_temperatures(FIVE)}
    assert sorted(result) == [0.0, 5.0, 10.0]
    assert result[5.0].active.value == pytest.approx(28.5)
    assert result[5.0].effective.value == pytest.approx(13.5)
    assert [result[b].days_active for b in (0.0, 5.0, 10.0)] == [4, 3, 2]


def test_range_across_new_year_is_inclusive() -> None:
    result = ix.active_accumulated_temperature(FIVE, 5.0, D(2024, 12, 31), D(2025, 1, 1))
    assert result == ix.IndexValue(22.5, n_expected=2, n_missing=0, complete=True)


def test_nan_and_absent_days_are_reported_not_hidden() -> None:
    frame = FIVE.copy()
    frame.loc[D(2024, 12, 31), "t_mean"] = float("nan")
    result = ix.active_accumulated_temperature(frame, 5.0)
    assert (result.value, result.n_missing, result.complete) == (18.5, 1, True)  # 4/5 = 80 %
    wider = ix.active_accumulated_temperature(frame, 5.0, D(2024, 12, 28), D(2025, 1, 3))
    assert (wider.value, wider.n_expected, wider.n_missing) == (18.5, 7, 3)
    assert not wider.complete  # 4 of 7 days


def test_empty_input() -> None:
    empty = pd.DataFrame(columns=["t_mean"], index=pd.Index([], dtype="object"))
    # No value present: the index is None ("no data"), not 0 (policy of obs.indices._base).
    assert ix.active_accumulated_temperature(empty, 0.0) == ix.IndexValue(None, 0, 0, False)
    ranged = ix.effective_accumulated_temperature(empty, 0.0, D(2025, 1, 1), D(2025, 1, 10))
    assert ranged == ix.IndexValue(None, 10, 10, False)
    assert ix.mean_of(empty, "t_mean").value is None


def test_datetimeindex_input_is_accepted() -> None:
    frame = FIVE.set_axis(pd.DatetimeIndex(FIVE.index))
    assert ix.active_accumulated_temperature(frame, 5.0).value == pytest.approx(28.5)


def test_bad_inputs_raise_obs_errors() -> None:
    doubled = pd.concat([FIVE, FIVE.iloc[:1]])
    with pytest.raises(InvalidValueError, match="more than one row"):
        ix.active_accumulated_temperature(doubled, 0.0)
    with pytest.raises(InvalidValueError, match="start is after the end"):
        ix.active_accumulated_temperature(FIVE, 0.0, D(2025, 1, 2), D(2025, 1, 1))


# --- growing degree days ------------------------------------------------------------------


def test_gdd_average_method_floored_at_zero() -> None:
    # daily (Tmax + Tmin)/2 = 4, 6.5, 10, 13, -0.5
    assert ix.growing_degree_days(FIVE, 10.0).value == pytest.approx(3.0)
    assert ix.growing_degree_days(FIVE, 5.0).value == pytest.approx(1.5 + 5 + 8)


def test_gdd_cap_limits_tmax_before_averaging() -> None:
    # day 4: (min(20, 18) + 6)/2 - 10 = 2
    assert ix.growing_degree_days(FIVE, 10.0, cap=18.0).value == pytest.approx(2.0)
    with pytest.raises(InvalidValueError, match="above the base"):
        ix.growing_degree_days(FIVE, 10.0, cap=10.0)


def test_gdd_day_missing_unless_both_extremes_present() -> None:
    frame = FIVE.copy()
    frame.loc[D(2025, 1, 1), "t_min"] = float("nan")
    result = ix.growing_degree_days(frame, 5.0)
    assert (result.value, result.n_missing) == (pytest.approx(6.5), 1)


# --- counts, totals, extremes, dry spells ---------------------------------------------------


def test_frost_hot_and_rain_days_with_inclusive_thresholds() -> None:
    frame = daily(
        D(2025, 7, 30),
        t_min=[0.0, 0.1, -2.0, 20.0],
        t_max=[34.9, 35.0, 36.0, float("nan")],
        precip=[0.0, 0.05, 0.1, 3.0],
    )
    assert ix.frost_days(frame).value == 2
    hot = ix.hot_days(frame)
    assert (hot.value, hot.n_missing) == (2, 1)
    assert ix.rain_days(frame).value == 2


def test_totals_and_means() -> None:
    assert ix.precipitation_total(FIVE).value == pytest.approx(3.6)
    assert ix.sunshine_total(FIVE).value == pytest.approx(15.0)
    assert ix.mean_of(FIVE, "t_mean").value == pytest.approx(31.5 / 5)


def test_nothing_present_is_none_not_zero() -> None:
    # A window with no value of an element: its totals and counts are unknown, not 0.
    gap = daily(D(2025, 2, 1), t_mean=[float("nan")] * 3, t_max=[float("nan")] * 3,
                t_min=[float("nan")] * 3, precip=[float("nan")] * 3)  # fmt: skip
    for value in (
        ix.precipitation_total(gap), ix.sunshine_total(gap), ix.rain_days(gap),
        ix.frost_days(gap), ix.hot_days(gap), ix.growing_degree_days(gap),
        ix.active_accumulated_temperature(gap, 10.0), ix.chill_days(gap),
        ix.chilling_hours(hours("2025-01-01 21:00", [float("nan")] * 24)),
    ):  # fmt: skip
        assert value.value is None and not value.complete
    assert ix.longest_dry_spell(gap).length is None
    assert [acc.days_active for acc in ix.accumulated_temperatures(gap)] == [None] * 3
    # One day present: sums and counts are over that day (lower bounds, incomplete).
    one = gap.copy()
    one.loc[D(2025, 2, 2), "precip"] = 0.0
    assert (ix.precipitation_total(one).value, ix.rain_days(one).value) == (0.0, 0)
    assert ix.longest_dry_spell(one).length == 1


def test_extremes_with_dates_and_ties() -> None:
    frame = daily(D(2024, 12, 30), t_max=[9.0, 12.0, 12.0], t_min=[1.0, -3.0, float("nan")])
    hottest = ix.highest(frame)
    assert (hottest.value, hottest.day, hottest.days) == (
        12.0,
        D(2024, 12, 31),
        (D(2024, 12, 31), D(2025, 1, 1)),
    )
    coldest = ix.lowest(frame)
    assert (coldest.value, coldest.day, coldest.n_missing) == (-3.0, D(2024, 12, 31), 1)
    nothing = ix.lowest(frame, "t_min", D(2025, 1, 1), D(2025, 1, 1))
    assert (nothing.value, nothing.day, nothing.complete) == (None, None, False)


def test_longest_dry_spell_ten_days() -> None:
    frame = daily(D(2025, 8, 1), precip=[0, 0.5, 2, 0, 0, 0.9, 0.2, 5, 0, 0])
    spell = ix.longest_dry_spell(frame)
    assert (spell.length, spell.start, spell.end) == (4, D(2025, 8, 4), D(2025, 8, 7))


def test_dry_spell_threshold_is_strict_and_missing_day_breaks_run() -> None:
    frame = daily(D(2025, 8, 1), precip=[0, 0, 0, float("nan"), 0, 0, 0, 0, 1.0, 0])
    spell = ix.longest_dry_spell(frame)
    assert (spell.length, spell.start, spell.end, spell.n_missing) == (
        4, D(2025, 8, 5), D(2025, 8, 8), 1)  # fmt: skip


def test_dry_spell_ties_across_new_year_and_none() -> None:
    frame = daily(D(2024, 12, 30), precip=[0.0, 0.0, 3.0, 0.0, 0.0])
    spell = ix.longest_dry_spell(frame)
    assert (spell.length, spell.start, spell.end) == (2, D(2024, 12, 30), D(2024, 12, 31))
    crossing = ix.longest_dry_spell(daily(D(2024, 12, 30), precip=[4.0, 0.0, 0.0, 0.0]))
    assert (crossing.start, crossing.end) == (D(2024, 12, 31), D(2025, 1, 2))
    wet = ix.longest_dry_spell(daily(D(2025, 6, 1), precip=[3.0, 1.0]))
    assert (wet.length, wet.start, wet.end) == (0, None, None)


# --- hourly models (§10.5) ----------------------------------------------------------------


def test_chilling_hours_boundaries() -> None:
    # climatological day 2025-01-01 runs 2024-12-31 21:00 .. 2025-01-01 20:00 BT
    values = [-0.1, 0.0, 3.0, 7.2, 7.3, float("nan")] + [5.0] * 18
    result = ix.chilling_hours(hours("2024-12-31 21:00", values))
    assert (result.value, result.n_expected, result.n_missing) == (3 + 18, 24, 1)
    assert result.complete  # 23 hours ≥ 20


# Richardson, Seeley & Walker (1974), table of chill units: ≤1.4 → 0, 1.5–2.4 → 0.5,
# 2.5–9.1 → 1, 9.2–12.4 → 0.5, 12.5–15.9 → 0, 16.0–18.0 → −0.5, >18.0 → −1.
UTAH_TABLE = [(-5.0, 0.0), (1.4, 0.0), (1.5, 0.5), (2.4, 0.5), (2.5, 1.0), (6.0, 1.0),
              (9.1, 1.0), (9.2, 0.5), (12.4, 0.5), (12.5, 0.0), (15.9, 0.0), (16.0, -0.5),
              (18.0, -0.5), (18.1, -1.0), (30.0, -1.0)]  # fmt: skip


@pytest.mark.parametrize(("temp", "units"), UTAH_TABLE)
def test_utah_weights_match_published_table(temp: float, units: float) -> None:
    assert ix.utah_weights(np.array([temp]))[0] == units


def test_utah_chill_units_sum_includes_negative_hours() -> None:
    result = ix.utah_chill_units(hours("2024-12-31 21:00", [6.0] * 20 + [20.0] * 4))
    assert result.value == 20 - 4


@pytest.mark.parametrize(
    ("temp", "gdh"),
    [
        (3.9, 0.0),
        (4.0, 0.0),  # base: (25 − 4)/2·(1 + cos π) = 0
        (14.5, 10.5),  # midway: 21/2·(1 + cos 1.5π)
        (25.0, 21.0),  # optimum: 21/2·(1 + cos 2π)
        (30.5, 21.0 * (1 - math.sqrt(0.5))),  # 21·(1 + cos 0.75π)
        (36.0, 0.0),  # critical: 21·(1 + cos π)
        (36.1, 0.0),
    ],
)
def test_gdh_weights_at_model_boundaries(temp: float, gdh: float) -> None:
    # Anderson, Richardson & Kesner (1986) ASYMCUR: base 4, optimum 25, critical 36 °C
    assert ix.gdh_weights(np.array([temp]))[0] == pytest.approx(gdh, abs=1e-12)


def test_growing_degree_hours_sum() -> None:
    result = ix.growing_degree_hours(hours("2025-03-01 21:00", [25.0] * 10 + [4.0] * 14))
    assert result.value == pytest.approx(210.0)


def _chillr_style_dynamic(temps: list[float]) -> list[float]:
    """Independent transcription of the published Dynamic model in the S/E form of chillR.

    Fishman, Erez & Couvillon (1987); Erez & Fishman (1990) spreadsheet; chillR
    ``Dynamic_Model`` (Luedeling et al. 2009): the first hour only sets the state to zero.
    """
    e0, e1, a0, a1, slp, tetmlt = 4153.5, 12888.8, 139500.0, 2.567e18, 1.6, 277.0
    kelvin = [t + 273.0 for t in temps]
    k0 = [a0 * math.exp(-e0 / k) for k in kelvin]
    k1 = [a1 * math.exp(-e1 / k) for k in kelvin]
    ff = [1.0 / (1.0 + math.exp(-slp * tetmlt * (k - tetmlt) / k)) for k in kelvin]
    end_state = [0.0] * len(temps)
    for h in range(1, len(temps)):
        carried = end_state[h - 1]
        if carried >= 1:
            carried -= carried * ff[h - 1]
        equilibrium = k0[h] / k1[h]
        end_state[h] = equilibrium + (carried - equilibrium) * math.exp(-k1[h])
    return [x * f if x >= 1 else 0.0 for x, f in zip(end_state, ff, strict=True)]


def test_chill_portions_constant_six_degrees_against_reimplementation() -> None:
    n = 24 * 60
    ours = ix.chill_portion_increments(np.full(n, 6.0))
    reference = _chillr_style_dynamic([6.0] * (n + 1))[1:]
    np.testing.assert_allclose(ours, reference, rtol=1e-12, atol=0)
    # Steady state: one portion of the same size every cycle, so the rate is constant.
    banked = np.flatnonzero(ours)
    cycles = np.diff(banked)
    assert len(set(cycles[2:].tolist())) == 1
    rate = ours[banked[2] + 1 : banked[-1] + 1].sum() / (banked[-1] - banked[2])
    assert ours.sum() == pytest.approx(rate * n, rel=0.02)
    assert 0.02 < rate < 0.05  # about one portion per day at the optimum


def test_chill_portions_varying_temperatures_against_reimplementation() -> None:
    rng = np.random.default_rng(7)
    temps = rng.uniform(-5.0, 20.0, size=24 * 30)
    ours = ix.chill_portion_increments(temps)
    reference = _chillr_style_dynamic([0.0, *temps.tolist()])[1:]
    np.testing.assert_allclose(ours, reference, rtol=1e-12, atol=1e-15)
    assert (ours >= 0).all()  # cumulative chill portions never decrease


def test_chill_portions_are_monotonic_in_the_window() -> None:
    series = hours("2024-09-30 21:00", [6.0] * (24 * 20))
    totals = [ix.chill_portions(series, D(2024, 10, 1), D(2024, 10, k)).value for k in
              (5, 10, 20)]  # fmt: skip
    assert totals[0] < totals[1] < totals[2]
    warm = ix.chill_portions(hours("2024-09-30 21:00", [30.0] * 24 * 5))
    assert warm.value == pytest.approx(0.0, abs=1e-9)


def test_missing_hours_are_skipped_and_counted() -> None:
    temps = [6.0] * 10 + [float("nan")] * 3 + [2.0] * 11
    result = ix.chill_portions(hours("2024-12-31 21:00", temps))
    gap_free = ix.chill_portion_increments(np.array([6.0] * 10 + [2.0] * 11)).sum()
    assert (result.value, result.n_missing, result.complete) == (gap_free, 3, True)
    with pytest.raises(InvalidValueError, match="NaN"):
        ix.chill_portion_increments(np.array(temps))


def test_weights_keep_nan() -> None:
    assert np.isnan(ix.utah_weights(np.array([np.nan, 5.0]))).tolist() == [True, False]
    assert np.isnan(ix.gdh_weights(np.array([np.nan, 5.0]))).tolist() == [True, False]


def test_chill_days_daily_proxy() -> None:
    result = ix.chill_days(daily(D(2024, 12, 31), t_mean=[7.0, 7.1, 2.0, float("nan")]))
    assert (result.value, result.n_missing) == (2, 1)


def test_chill_start_is_first_october() -> None:
    assert ix.chill_start(2024) == D(2024, 10, 1)


def test_hourly_timezone_aware_input_is_converted_to_beijing_time() -> None:
    utc = pd.date_range("2024-12-31 13:00", periods=24, freq="h", tz="UTC")  # 21:00 BT
    result = ix.chilling_hours(pd.Series(5.0, index=utc))
    assert (result.value, result.n_expected, result.n_missing) == (24, 24, 0)


def test_hourly_rejects_sub_hourly_and_duplicate_times() -> None:
    with pytest.raises(InvalidValueError, match="whole hours"):
        ix.chilling_hours(pd.Series([1.0], index=pd.DatetimeIndex(["2025-01-01 10:30"])))
    with pytest.raises(InvalidValueError, match="duplicate"):
        ix.chilling_hours(pd.Series([1.0, 2.0], index=pd.DatetimeIndex(["2025-01-01"] * 2)))


# --- hourly temperatures from daily extremes --------------------------------------------------


def test_day_length_at_beibei_solstices() -> None:
    # §4.12: Beibei day length ≈ 10.2 h in December and ≈ 14.0 h in June. By hand for
    # 21 Dec: cos ω = (sin −0.8333° − sin 29.8° sin −23.44°)/(cos 29.8° cos 23.44°) = 0.2300,
    # ω = 76.70°, L = 2ω/15 = 10.23 h; solar noon 12 + (120 − 106.4)/15 = 12.91 h BT.
    times = ix.sun_times(pd.DatetimeIndex(["2024-12-21", "2024-06-21"]), 29.8, 106.4)
    assert times["day_length"].tolist() == pytest.approx([10.23, 14.06], abs=0.02)
    noon = (times["sunrise"] + times["sunset"]) / 2
    assert noon.tolist() == pytest.approx([12.907, 12.907], abs=1e-3)


def test_hourly_from_daily_constant_day_is_flat() -> None:
    frame = daily(D(2025, 1, 1), t_min=[5.0] * 4, t_max=[5.0] * 4)
    curve = ix.hourly_from_daily(frame).dropna()
    assert len(curve) > 48
    assert np.allclose(curve.to_numpy(), 5.0)


def test_hourly_from_daily_follows_linvill_sine_by_day() -> None:
    frame = daily(D(2025, 1, 1), t_min=[2.0, 4.0, 3.0], t_max=[10.0, 14.0, 12.0])
    curve = ix.hourly_from_daily(frame)
    sun = ix.sun_times(pd.DatetimeIndex(["2025-01-02"]), 29.8, 106.4).iloc[0]
    expected = 4.0 + 10.0 * math.sin(math.pi * (12 - sun.sunrise) / (sun.day_length + 4))
    assert curve[pd.Timestamp("2025-01-02 12:00")] == pytest.approx(expected)
    middle = curve[pd.Timestamp("2025-01-02 00:00") : pd.Timestamp("2025-01-02 23:00")]
    assert middle.max() <= 14.0
    assert middle.min() >= 3.0 - 1e-9  # the night falls towards the next day's minimum
    coverage = ix.hourly_coverage(curve)
    assert coverage.loc[D(2025, 1, 2), "hours_present"] == 24
    assert not coverage.loc[D(2025, 1, 1), "complete"]  # no evening of 31 Dec to draw on


def test_hourly_from_daily_refuses_polar_latitudes_and_handles_empty() -> None:
    with pytest.raises(InvalidValueError, match="latitude"):
        ix.hourly_from_daily(FIVE, latitude=70.0)
    assert ix.hourly_from_daily(FIVE.iloc[0:0]).empty


# --- completeness (§11.1) -----------------------------------------------------------------


def test_missing_days_names_each_gap() -> None:
    frame = FIVE.drop(columns="sunshine")
    frame.loc[D(2024, 12, 30), "precip"] = float("nan")
    gaps = ix.missing_days(frame, D(2024, 12, 28), D(2025, 1, 2))
    assert gaps.n_days == 6
    assert gaps.by_element["t_mean"] == (D(2024, 12, 28),)
    assert gaps.by_element["precip"] == (D(2024, 12, 28), D(2024, 12, 30))
    assert len(gaps.by_element["sunshine"]) == 6
    assert gaps.incomplete_elements == ("precip", "sunshine")  # 4/6 < 80 %; 5/6 is enough
    assert gaps.has_gaps


def test_hourly_coverage_applies_twenty_hours_and_day_boundary() -> None:
    values = [1.0] * 24 + [1.0] * 20 + [float("nan")] * 4 + [1.0] * 19 + [float("nan")] * 5
    coverage = ix.hourly_coverage(hours("2024-12-30 21:00", values))
    assert coverage["hours_present"].tolist() == [24, 20, 19]
    assert coverage["complete"].tolist() == [True, True, False]
    assert coverage.index.tolist() == [D(2024, 12, 31), D(2025, 1, 1), D(2025, 1, 2)]
    at_20 = ix.hourly_coverage(hours("2025-01-01 20:00", [1.0, 1.0]))
    assert at_20["hours_present"].tolist() == [1, 1]  # 20:00 ends a day, 21:00 starts the next


def test_is_complete_rule() -> None:
    assert ix.is_complete(25, 31) and not ix.is_complete(24, 31)  # 80 % of 31 = 24.8
    assert not ix.is_complete(0, 0)


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
