"""Hourly temperatures synthesised from daily extremes (Linvill) and day length."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from obs import indices as ix
from obs.errors import InvalidValueError
from tests.conftest import FIVE, D, daily

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
