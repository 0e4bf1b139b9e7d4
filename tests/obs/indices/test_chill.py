"""Chill and forcing models over hourly temperatures (§10.5): published tables, a transcription."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from obs import indices as ix
from obs.errors import InvalidValueError
from tests.conftest import D, daily, hours

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
