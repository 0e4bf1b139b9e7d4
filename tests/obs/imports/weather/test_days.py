"""Daily values derived from sub-daily records, hand checked.

Conventions under test (domain spec §10.1–10.3): day D = (20:00 BT of D−1, 20:00 BT of D],
timestamps mark the end of their interval, precipitation split at 08:00 BT, daily mean from
≥ 20 hourly values, else the 4 fixed times (one missing fixed time interpolated from its
neighbours), else (Tmax + Tmin)/2.

Most series use t = the BT clock hour of the stamp, so every expected number is simple
arithmetic: a full day holds the stamps 21, 22, 23 of D−1 and 00 … 20 of D, whose mean is
(21 + 22 + 23 + 0 + 1 + … + 20) / 24 = (66 + 210) / 24 = 11.5; the fixed times give
(2 + 8 + 14 + 20) / 4 = 11.0.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from obs.errors import InputFormatError
from obs.imports.weather.days import derive_daily_stream
from obs.imports.weather.derive import (
    climatological_day,
    derive_daily,
    detect_interval,
    interpolate_single_gaps,
)

BT = pd.Timedelta(hours=8)
EPOCH = pd.Timestamp("1970-01-01")


def ts_of(bt_stamps: pd.DatetimeIndex | list[str]) -> np.ndarray:
    """UTC epoch seconds of Beijing-time wall-clock stamps."""
    stamps = pd.DatetimeIndex(bt_stamps)
    return np.asarray((stamps - BT - EPOCH) // pd.Timedelta(seconds=1), dtype=np.int64)


def clock_hour_series(first_bt: str, last_bt: str, freq: str = "h") -> pd.DataFrame:
    stamps = pd.date_range(first_bt, last_bt, freq=freq)
    return pd.DataFrame(
        {
            "ts": ts_of(stamps),
            "t": stamps.hour.astype("float64"),
            "precip": 0.0,
            "precip_trace": False,
        }
    )


def without(frame: pd.DataFrame, bt_stamps: list[str]) -> pd.DataFrame:
    return frame[~frame["ts"].isin(ts_of(bt_stamps))].reset_index(drop=True)


def set_at(frame: pd.DataFrame, bt_stamp: str, **values: object) -> None:
    row = frame.index[frame["ts"] == ts_of([bt_stamp])[0]]
    for column, value in values.items():
        frame.loc[row, column] = value


def day_row(days: pd.DataFrame, date: str) -> pd.Series:
    [row] = days.index[days["obs_date"] == dt.date.fromisoformat(date)]
    return days.loc[row]


@pytest.fixture
def three_days() -> pd.DataFrame:
    """Hourly records of 2, 3 and 4 January 2024 (from 21:00 BT on 1 January)."""
    return clock_hour_series("2024-01-01 21:00", "2024-01-04 20:00")


# --- day boundary -----------------------------------------------------------------------------


def test_climatological_day_ends_at_20_bt_inclusive() -> None:
    days = climatological_day(
        ts_of(["2024-01-02 20:00", "2024-01-02 20:00:01", "2024-01-02 00:00", "2024-01-01 20:10"])
    )
    jan2 = (dt.date(2024, 1, 2) - dt.date(1970, 1, 1)).days
    assert days.tolist() == [jan2, jan2 + 1, jan2, jan2]


def test_precipitation_at_19_20_and_21_bt_lands_on_the_right_days(
    three_days: pd.DataFrame,
) -> None:
    set_at(three_days, "2024-01-02 19:00", precip=1.0)  # 18–19 h of 2 Jan: day 2 Jan, 08–20
    set_at(three_days, "2024-01-02 20:00", precip=2.0)  # 19–20 h: still 2 Jan, 08–20
    set_at(three_days, "2024-01-02 21:00", precip=4.0)  # 20–21 h: 3 Jan, 20–08
    set_at(three_days, "2024-01-03 08:00", precip=0.5)  # 07–08 h: 3 Jan, 20–08
    set_at(three_days, "2024-01-03 09:00", precip=0.2)  # 08–09 h: 3 Jan, 08–20
    set_at(three_days, "2024-01-04 03:00", precip_trace=True)  # trace only on 4 Jan
    days = derive_daily(three_days)
    assert days["obs_date"].tolist() == [dt.date(2024, 1, d) for d in (2, 3, 4)]
    assert days["precip"].tolist() == [3.0, 4.7, 0.0]
    assert days["precip_20_08"].tolist() == [0.0, 4.5, 0.0]
    assert days["precip_08_20"].tolist() == [3.0, 0.2, 0.0]
    assert days["precip_trace"].tolist() == [False, False, True]
    assert (days["precip_20_08"] + days["precip_08_20"]).round(1).tolist() == days[
        "precip"
    ].tolist()


def test_08_08_precipitation_on_request(three_days: pd.DataFrame) -> None:
    set_at(three_days, "2024-01-02 19:00", precip=1.0)
    set_at(three_days, "2024-01-02 21:00", precip=4.0)
    set_at(three_days, "2024-01-03 08:00", precip=0.5)
    set_at(three_days, "2024-01-03 09:00", precip=0.2)
    days = derive_daily(three_days, with_08_08=True)
    assert "precip_08_08" not in derive_daily(three_days).columns
    # 08–08 of 3 Jan = (08:00 2 Jan, 08:00 3 Jan] = 1.0 + 4.0 + 0.5; of 4 Jan = 0.2
    assert days["precip_08_08"].tolist()[1:] == [5.5, 0.2]


# --- temperatures -----------------------------------------------------------------------------


def test_fixed_time_temperatures_and_extremes(three_days: pd.DataFrame) -> None:
    set_at(three_days, "2024-01-03 14:00", t=15.5)
    days = derive_daily(three_days)
    jan3 = day_row(days, "2024-01-03")
    assert (jan3["t02"], jan3["t08"], jan3["t14"], jan3["t20"]) == (2.0, 8.0, 15.5, 20.0)
    assert jan3["t_max"] == 23.0  # stamped 23:00 on 2 Jan, inside day 3 Jan
    assert jan3["t_min"] == 0.0
    assert jan3["n_records"] == 24
    assert jan3["n_expected"] == 24
    # 24 hourly values: (276 - 14 + 15.5) / 24 = 11.5625 -> 11.6
    assert (jan3["t_mean"], jan3["tmean_method"]) == (11.6, "24h")


def test_tmean_method_choice_with_19_hourly_values() -> None:
    frame = clock_hour_series("2024-01-01 21:00", "2024-01-06 20:00")
    frame = without(
        frame,
        [
            # 3 Jan: 19 values, all four fixed times present -> 4obs
            "2024-01-03 00:00",
            "2024-01-03 01:00",
            "2024-01-03 03:00",
            "2024-01-03 04:00",
            "2024-01-03 05:00",
            # 4 Jan: 19 values, 08 and 14 missing (two consecutive fixed times) -> maxmin
            "2024-01-04 00:00",
            "2024-01-04 01:00",
            "2024-01-04 03:00",
            "2024-01-04 08:00",
            "2024-01-04 14:00",
            # 5 Jan: 19 values, only 02 missing among the fixed times -> interpolated, 4obs
            "2024-01-05 00:00",
            "2024-01-05 01:00",
            "2024-01-05 02:00",
            "2024-01-05 03:00",
            "2024-01-05 04:00",
        ],
    )
    days = derive_daily(frame).set_index("obs_date")
    assert days["tmean_method"].tolist() == ["24h", "4obs", "maxmin", "4obs", "24h"]
    jan3, jan4, jan5 = (days.loc[dt.date(2024, 1, d)] for d in (3, 4, 5))
    assert jan3["t_mean"] == 11.0  # (2 + 8 + 14 + 20) / 4; the 19 hourly would give 13.8
    assert jan3["n_records"] == 19
    assert np.isnan(jan4["t08"]) and np.isnan(jan4["t14"])
    assert jan4["interpolated"] == ""
    assert (jan4["t_max"], jan4["t_min"], jan4["t_mean"]) == (23.0, 2.0, 12.5)  # (23 + 2) / 2
    # 02 of 5 Jan from its neighbours 20 of 4 Jan (20.0) and 08 of 5 Jan (8.0)
    assert (jan5["t02"], jan5["interpolated"]) == (14.0, "t02")
    assert jan5["t_mean"] == 14.0  # (14 + 8 + 14 + 20) / 4
    assert days.loc[dt.date(2024, 1, 2), "t_mean"] == 11.5


def test_single_missing_fixed_time_is_interpolated_two_consecutive_are_not() -> None:
    series = np.array([1.0, np.nan, 3.0, np.nan, np.nan, 6.0, np.nan])
    filled, mask = interpolate_single_gaps(series)
    assert filled[1] == 2.0
    assert np.isnan(filled[3:5]).all() and np.isnan(filled[6])  # a run of two; the end
    assert mask.tolist() == [False, True, False, False, False, False, False]


def test_maxmin_fallback_and_no_mean_without_temperatures() -> None:
    frame = clock_hour_series("2024-01-01 21:00", "2024-01-02 20:00")
    frame["t"] = np.nan
    set_at(frame, "2024-01-02 05:00", t=3.0)
    days = derive_daily(frame)
    assert (days["t_max"][0], days["t_min"][0], days["t_mean"][0]) == (3.0, 3.0, 3.0)
    assert days["tmean_method"][0] == "maxmin"
    frame["t"] = np.nan
    days = derive_daily(frame)
    assert np.isnan(days["t_mean"][0]) and days["tmean_method"][0] is None


# --- other elements ---------------------------------------------------------------------------


def test_humidity_wind_sunshine_and_ground(three_days: pd.DataFrame) -> None:
    three_days["rh"] = 80.0
    three_days["wind_speed"] = 2.0
    three_days["wind_gust"] = 5.0
    three_days["sunshine"] = 0.0
    three_days["ground_t"] = 4.0
    set_at(three_days, "2024-01-03 12:00", rh=92.0, wind_gust=12.3, sunshine=0.8, ground_t=-1.5)
    set_at(three_days, "2024-01-03 13:00", sunshine=0.45)
    jan3 = day_row(derive_daily(three_days), "2024-01-03")
    assert jan3["rh_mean"] == 81.0  # (23 * 80 + 92) / 24 = 80.5 -> 81 (halves up, 1 %)
    assert jan3["wind_mean"] == 2.0
    assert jan3["wind_gust"] == 12.3
    assert jan3["sunshine"] == 1.3  # 0.8 + 0.45 = 1.25 -> 1.3 (rounded only at the end)
    assert jan3["ground_min"] == -1.5


def test_ten_minute_data_use_on_the_hour_stamps_for_means() -> None:
    frame = clock_hour_series("2024-01-01 20:10", "2024-01-02 20:00", freq="10min")
    off_hour = (frame["ts"] % 3600) != 0
    frame.loc[off_hour, "t"] = 30.0
    frame["precip"] = 0.1
    assert detect_interval(frame["ts"].to_numpy()) == 600
    [day] = derive_daily(frame).to_dict("records")
    assert (day["n_records"], day["n_expected"]) == (144, 144)
    assert (day["t_mean"], day["tmean_method"]) == (11.5, "24h")
    assert day["t_max"] == 30.0
    assert day["precip"] == 14.4  # 144 × 0.1 mm


# --- chunks -----------------------------------------------------------------------------------


def test_stream_over_chunks_equals_one_call() -> None:
    frame = clock_hour_series("2024-01-01 21:00", "2024-01-08 20:00")
    frame = without(frame, ["2024-01-05 02:00", "2024-01-03 08:00", "2024-01-03 14:00"])
    frame["precip"] = 0.1
    whole = derive_daily(frame, with_08_08=True)
    for size in (5, 24, 31, 1000):
        chunks = [frame.iloc[i : i + size] for i in range(0, len(frame), size)]
        streamed = pd.concat(list(derive_daily_stream(chunks, with_08_08=True)), ignore_index=True)
        pd.testing.assert_frame_equal(streamed, whole)
    assert day_row(whole, "2024-01-05")["interpolated"] == "t02"


def test_stream_refuses_records_out_of_time_order() -> None:
    frame = clock_hour_series("2024-01-01 21:00", "2024-01-06 20:00")
    frame["line"] = np.arange(2, len(frame) + 2)
    late, early = frame.iloc[72:], frame.iloc[:72]
    with pytest.raises(InputFormatError, match="line 2: records are not in time order"):
        list(derive_daily_stream([late, early]))
