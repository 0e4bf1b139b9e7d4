"""QC engine: sub-daily weather checks, including a year of 1-minute data."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from obs.qc import Site, run_checks
from schemas.qc_rules import DEFAULT_QC_RULES, LimitOverride, QCRules
from schemas.terms import Limits

BEIBEI = Site("57511", 29.8)
START = int(dt.datetime(2024, 1, 1, tzinfo=dt.UTC).timestamp())


def series(n: int, step_s: int = 3600, start: int = START) -> pd.DataFrame:
    """``n`` clean records ``step_s`` apart (ids 1…n): smooth daily cycles, no repeats."""
    hours = np.arange(n) * step_s / 3600.0
    return pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "station_id": 1,
            "ts": start + np.arange(n) * step_s,
            "t": 8.0 + 4.0 * np.sin(2 * np.pi * hours / 24) + 0.001 * np.arange(n) / n,
            "rh": 75.0 + 10.0 * np.cos(2 * np.pi * hours / 24) + 0.001 * np.arange(n) / n,
            "precip": 0.0,
            "wind_speed": 1.5,
            "wind_dir": 90.0,
            "wind_gust": 4.0,
            "sunshine": 0.0,
            "ground_t": 7.0,
        }
    )


def flagged(name: str, frame: pd.DataFrame, rules: QCRules = DEFAULT_QC_RULES) -> list[int]:
    """Record ids one sub-daily check flags, sorted."""
    found = run_checks("subdaily", frame, rules, only=[name], site=BEIBEI)
    return sorted(int(i) for i in found["record_id"])


def test_clean_hourly_and_ten_minute_series_get_no_findings() -> None:
    for step in (3600, 600):
        assert run_checks(
            "subdaily", series(72 * 3600 // step, step), DEFAULT_QC_RULES, site=BEIBEI
        ).empty


def test_limits_hard_and_soft() -> None:
    frame = series(10)
    frame.loc[2, "t"] = 60.0  # id 3: hard
    frame.loc[4, "t"] = 47.0  # id 5: soft (station extreme 46 °C)
    frame.loc[6, "rh"] = 101.0  # id 7: hard
    frame.loc[8, "wind_dir"] = 361.0  # id 9: hard
    assert flagged("outside_hard_limits", frame) == [3, 7, 9]
    assert flagged("outside_soft_limits", frame) == [5]


def test_month_override_uses_local_beijing_time() -> None:
    # Records at 15, 16 and 17 UTC on 31 Jan are 23:00 BT on 31 Jan, then 00:00 and 01:00 BT
    # on 1 Feb: the February override applies to the last two.
    rules = QCRules(overrides={(None, 2): LimitOverride(subdaily={"t": Limits(-55, 55, -7, 5)})})
    frame = series(3, start=int(dt.datetime(2024, 1, 31, 15, tzinfo=dt.UTC).timestamp()))
    frame["t"] = [6.0, 6.1, 6.2]
    assert flagged("outside_soft_limits", frame, rules) == [2, 3]


def test_step_is_scaled_to_the_interval() -> None:
    hourly = series(6)
    hourly.loc[3, "t"] = hourly.loc[2, "t"] + 8.5  # id 4 jumps up, id 5 falls back
    assert flagged("subdaily_step", hourly) == [4, 5]
    ten_min = series(6, 600)
    ten_min.loc[2, "t"] = ten_min.loc[1, "t"] + 1.5  # 9 °C/h: flagged
    ten_min.loc[4, "t"] = ten_min.loc[3, "t"] + 0.9  # 5.4 °C/h: fine
    ten_min.loc[5, "t"] = ten_min.loc[4, "t"]
    assert flagged("subdaily_step", ten_min) == [3, 4]


def test_step_skips_gaps_longer_than_the_limit() -> None:
    frame = series(4).drop(index=[1, 2])  # ids 1 and 4, three hours apart
    frame.loc[3, "t"] = 30.0
    assert flagged("subdaily_step", frame) == [4]
    assert flagged("subdaily_step", frame, QCRules(step_max_gap_hours=2.0)) == []


def test_persistence_needs_a_full_24_hours() -> None:
    hourly = series(48)
    hourly.loc[10:33, "t"] = 9.9  # 24 hourly values: 24 h, ids 11…34
    hourly.loc[36:47, "rh"] = 99.0  # 12 values only
    assert flagged("value_persistence", hourly) == list(range(11, 35))
    short = series(48)
    short.loc[10:32, "t"] = 9.9  # 23 values: 23 h
    assert flagged("value_persistence", short) == []


def test_persistence_in_ten_minute_data_needs_144_values() -> None:
    frame = series(300, 600)
    frame.loc[100:243, "rh"] = 100.0  # 144 values: 24 h
    frame.loc[250:392, "t"] = 5.0  # 50 values only
    assert flagged("value_persistence", frame) == list(range(101, 245))
    frame.loc[100, "rh"] = 99.0  # now 143 values
    assert flagged("value_persistence", frame) == []


def test_sunshine_cannot_exceed_the_interval() -> None:
    frame = series(4, 600)
    frame["sunshine"] = [0.17, 0.2, 0.1, 0.5]
    assert flagged("sunshine_exceeds_interval", frame) == [2, 4]


def test_row_order_does_not_matter() -> None:
    frame = series(6)
    frame.loc[3, "t"] += 7.0
    shuffled = frame.sample(frac=1.0, random_state=3)
    assert flagged("subdaily_step", shuffled) == flagged("subdaily_step", frame) == [4, 5]


def test_a_year_of_one_minute_data_flags_the_injected_faults() -> None:
    frame = series(525_600, 60)
    frame.loc[1_000, "t"] += 5.0  # id 1001 spikes: step at 1001 and 1002
    frame.loc[200_000:201_439, "rh"] = 88.0  # 1440 minutes: ids 200001…201440 stuck
    frame.loc[400_000, "t"] = 70.0  # id 400001: hard limit, and steps at 400001, 400002
    frame.loc[500_000, "sunshine"] = 0.5  # id 500001: half an hour in one minute
    found = run_checks("subdaily", frame, DEFAULT_QC_RULES, site=BEIBEI)
    by_check = {name: set(part["record_id"]) for name, part in found.groupby("check_name")}
    assert by_check == {
        "outside_hard_limits": {400_001},
        "subdaily_step": {1_001, 1_002, 400_001, 400_002},
        "value_persistence": set(range(200_001, 201_441)),
        "sunshine_exceeds_interval": {500_001},
    }
