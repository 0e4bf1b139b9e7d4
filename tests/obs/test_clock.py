"""The climatological day ends at 20:00 BT (§10.1), for epoch stamps and for BT timestamps alike."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from obs.clock import (
    BEIJING,
    EPOCH_DAY,
    climatological_dates,
    climatological_day,
    epoch_seconds,
    now_utc,
    today_bt,
)


def _utc_stamp(bt: dt.datetime) -> int:
    return int(bt.replace(tzinfo=BEIJING).timestamp())


def test_a_value_stamped_20_00_bt_closes_the_day_and_one_a_second_later_opens_the_next() -> None:
    closing = _utc_stamp(dt.datetime(2024, 1, 1, 20, 0, 0))
    stamps = np.array([closing - 3600, closing, closing + 1, closing + 3600], dtype=np.int64)
    days = [EPOCH_DAY + dt.timedelta(days=int(d)) for d in climatological_day(stamps)]
    assert days == [dt.date(2024, 1, 1)] * 2 + [dt.date(2024, 1, 2)] * 2
    assert climatological_day(closing) == (dt.date(2024, 1, 1) - EPOCH_DAY).days


def test_bt_timestamps_fall_on_the_same_days_as_their_epoch_stamps() -> None:
    times = pd.date_range("2023-12-30 00:00", "2024-01-03 23:00", freq="h", name="time")
    stamps = np.array([_utc_stamp(t.to_pydatetime()) for t in times], dtype=np.int64)
    expected = [EPOCH_DAY + dt.timedelta(days=int(d)) for d in climatological_day(stamps)]
    got = climatological_dates(times)
    assert [d.date() for d in got] == expected
    assert got.name == "time"
    assert got[times.get_loc(pd.Timestamp("2024-01-01 20:00"))] == pd.Timestamp("2024-01-01")
    assert got[times.get_loc(pd.Timestamp("2024-01-01 21:00"))] == pd.Timestamp("2024-01-02")


def test_the_import_pipeline_counts_days_with_the_clock() -> None:
    import obs.clock
    import obs.imports.weather.days as days
    import obs.imports.weather.derive as derive

    assert days.climatological_day is obs.clock.climatological_day
    assert derive.day_number is obs.clock.day_number


def test_epoch_seconds_and_the_current_time() -> None:
    assert epoch_seconds(dt.date(1970, 1, 2), 20) == 86_400 + 20 * 3600
    assert now_utc().tzinfo is dt.UTC
    assert abs((today_bt() - dt.datetime.now(BEIJING).date()).days) <= 1
