"""Day counts, totals, means, extremes and dry spells of the daily weather."""

from __future__ import annotations

import pytest

from obs import indices as ix
from tests.conftest import FIVE, D, daily, hours

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
