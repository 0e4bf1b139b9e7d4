"""Reading weather files: encodings, delimiters, XLSX, chunks, columns, sentinels, errors, zones.

Reference epoch values are hand computed: 2024-01-01 is 19 723 days after 1970-01-01
(54 years with 13 leap days: 54·365 + 13), so 2024-01-01 00:00 UTC = 19 723 · 86 400
= 1 704 067 200 s, which is 2024-01-01 08:00 Beijing time (UTC+8).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from obs.errors import InputFormatError, InvalidValueError
from obs.imports.weather import (
    Clock,
    normalize_header,
    open_weather_file,
    read_weather_chunks,
)
from obs.imports.weather.read import SeenKeys
from obs.imports.weather.values import round_half_up

UTC_2024_01_01 = 1_704_067_200  # 2024-01-01 00:00 UTC = 08:00 BT
HOUR = 3600

CN_HOURLY = (
    "观测时间,气温(℃),相对湿度(%),降水量(mm),2分钟平均风速,极大风速,风向\n"
    "2024-01-01 08:00,5.1,80,0.0,1.2,3.4,90\n"
    "2024-01-01 09:00,6.2,78,0.3,1.5,4.0,180\n"
    "2024-01-01 10:00,7.0,75,0.0,2.0,5.1,270\n"
)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def read_all(path: Path, **options: object) -> pd.DataFrame:
    clock = options.pop("clock", Clock())
    chunk_rows = options.pop("chunk_rows", 50_000)
    layout = open_weather_file(path, **options)  # type: ignore[arg-type]
    frames = [
        s.good
        for s in read_weather_chunks(
            layout,
            clock=clock,  # type: ignore[arg-type]
            chunk_rows=chunk_rows,
        )
    ]  # type: ignore[arg-type]
    return pd.concat(frames, ignore_index=True)


# --- encodings and delimiters ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "detected"), [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030")]
)
def test_chinese_headers_in_each_encoding_read_the_same(
    tmp_path: Path, encoding: str, detected: str
) -> None:
    path = write(tmp_path, "hourly.csv", CN_HOURLY, encoding)
    layout = open_weather_file(path)
    assert layout.encoding == detected
    assert layout.columns.kind == "subdaily"
    assert layout.columns.codes == ("t", "rh", "precip", "wind_speed", "wind_gust", "wind_dir")
    frame = read_all(path)
    assert frame["ts"].tolist() == [
        UTC_2024_01_01,
        UTC_2024_01_01 + HOUR,
        UTC_2024_01_01 + 2 * HOUR,
    ]
    assert frame["t"].tolist() == [5.1, 6.2, 7.0]
    assert frame["precip"].tolist() == [0.0, 0.3, 0.0]
    assert frame["line"].tolist() == [2, 3, 4]


def test_explicit_encoding_is_used(tmp_path: Path) -> None:
    path = write(tmp_path, "hourly.csv", CN_HOURLY, "gbk")
    assert open_weather_file(path, encoding="gbk").encoding == "gbk"
    assert read_all(path, encoding="gbk")["rh"].tolist() == [80.0, 78.0, 75.0]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_delimiters_are_sniffed(tmp_path: Path, delimiter: str) -> None:
    path = write(tmp_path, "hourly.txt", CN_HOURLY.replace(",", delimiter))
    layout = open_weather_file(path)
    assert layout.delimiter == delimiter
    assert read_all(path)["t"].tolist() == [5.1, 6.2, 7.0]


def test_explicit_delimiter_wins_over_sniffing(tmp_path: Path) -> None:
    # the header has more commas than semicolons, but the data are split by semicolons
    path = write(tmp_path, "d.csv", "date;t_max,a,b,c;t_min\n2024-01-01;10.5;2.0\n")
    with pytest.raises(InputFormatError, match="no date or time column"):
        open_weather_file(path)  # sniffed ',' splits the header wrongly
    frame = read_all(path, delimiter=";", mapping={"t_max,a,b,c": "t_max"})
    assert frame["t_max"].tolist() == [10.5]
    assert frame["t_min"].tolist() == [2.0]


# --- XLSX -------------------------------------------------------------------------------------


def test_xlsx_hourly_sheet_with_datetime_cells(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["日期时间", "气温", "降水量"])
    sheet.append([dt.datetime(2024, 1, 1, 8), 5.1, 0])
    sheet.append([dt.datetime(2024, 1, 1, 9), 6.2, "微量"])
    sheet.append([None, None, None])
    sheet.append([dt.datetime(2024, 1, 1, 10), 7, 1.5])
    path = tmp_path / "hourly.xlsx"
    book.save(path)
    layout = open_weather_file(path)
    assert (layout.format, layout.columns.kind) == ("xlsx", "subdaily")
    frame = read_all(path, chunk_rows=2)
    assert frame["ts"].tolist() == [
        UTC_2024_01_01,
        UTC_2024_01_01 + HOUR,
        UTC_2024_01_01 + 2 * HOUR,
    ]
    assert frame["precip"].tolist() == [0.0, 0.0, 1.5]
    assert frame["precip_trace"].tolist() == [False, True, False]
    assert frame["line"].tolist() == [2, 3, 5]  # the empty sheet row 4 is skipped


def test_xlsx_daily_sheet_with_date_cells_is_daily(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.create_sheet("逐日")
    sheet.append(["日期", "最高气温", "最低气温", "日照时数"])
    sheet.append([dt.datetime(2024, 1, 1), 10.2, 3.1, 2.5])
    sheet.append([dt.datetime(2024, 1, 2), 11.0, 4.0, 0])
    path = tmp_path / "daily.xlsx"
    book.save(path)
    layout = open_weather_file(path, sheet="逐日")
    assert layout.columns.kind == "daily"
    frame = read_all(path, sheet="逐日")
    assert frame["obs_date"].tolist() == [dt.date(2024, 1, 1), dt.date(2024, 1, 2)]
    assert frame["t_max"].tolist() == [10.2, 11.0]
    assert frame["sunshine"].tolist() == [2.5, 0.0]


def test_xlsx_unknown_sheet_is_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["date", "tmax"])
    path = tmp_path / "d.xlsx"
    book.save(path)
    with pytest.raises(InputFormatError, match="no sheet 'x'"):
        open_weather_file(path, sheet="x")


# --- chunks -----------------------------------------------------------------------------------


def test_chunked_reading_gives_the_same_rows_as_reading_at_once(tmp_path: Path) -> None:
    rows = [
        f"2024-01-{1 + i // 24:02d} {i % 24:02d}:00,{i * 0.1:.1f},{i % 7 * 0.1:.1f}"
        for i in range(100)
    ]
    rows.insert(40, "")  # a blank line keeps its line number but yields no row
    path = write(tmp_path, "long.csv", "时间,气温,降水量\n" + "\n".join(rows) + "\n")
    at_once = read_all(path)
    layout = open_weather_file(path)
    chunks = [s.good for s in read_weather_chunks(layout, chunk_rows=7)]
    assert len(chunks) == 15  # 101 lines of data in chunks of 7
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), at_once)
    assert len(at_once) == 100
    assert at_once["line"].iloc[40] == 43  # header line 1, rows from line 2, blank line 42


def test_seen_keys_stay_small_for_a_file_in_time_order() -> None:
    seen = SeenKeys()
    for start in range(0, 10_000, 1000):
        keys = np.arange(start, start + 1000, dtype=np.int64) * 600
        assert seen.add(keys, keys // 600 + 2) is None
    assert seen.run_count == 10  # one arithmetic run per chunk, not one entry per row
    assert seen.add(np.array([600 * 5000], dtype=np.int64), np.array([10_002], dtype=np.int64)) == (
        3_000_000,
        5002,
        10_002,
    )


# --- columns ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (" 气温（℃） ", ("气温", "°c")),
        ("Rain [mm]", ("rain", "mm")),
        ("WIND_Gust", ("windgust", None)),
        ("Max Temperature", ("maxtemperature", None)),
    ],
)
def test_normalize_header(header: str, expected: tuple[str, str | None]) -> None:
    assert normalize_header(header) == expected


def test_english_headers_any_case_and_spacing(tmp_path: Path) -> None:
    text = "DateTime , TEMP,rh , Rain,Sunshine, gust\n2024-01-01 08:00,1,2,3,0.5,4\n"
    layout = open_weather_file(write(tmp_path, "e.csv", text))
    assert layout.columns.codes == ("t", "rh", "precip", "sunshine", "wind_gust")


def test_date_and_time_columns_make_a_subdaily_file(tmp_path: Path) -> None:
    text = "日期,时间,气温\n2024-01-01,8,1.0\n2024-01-01,0900,2.0\n2024-01-01,24:00,3.0\n"
    frame = read_all(write(tmp_path, "dt.csv", text))
    # 24:00 BT on 1 January is 00:00 BT on 2 January = 16:00 UTC on 1 January
    assert frame["ts"].tolist() == [
        UTC_2024_01_01,
        UTC_2024_01_01 + HOUR,
        UTC_2024_01_01 + 16 * HOUR,
    ]


def test_date_only_column_makes_a_daily_file(tmp_path: Path) -> None:
    text = (
        "日期,平均气温,最高气温,最低气温,降水量,地面最低温度\n"
        "2024年1月1日,5.5,10.1,1.2,T,-1.0\n2024/1/2,6.0,11.0,2.0,3.2,0.5\n"
    )
    layout = open_weather_file(write(tmp_path, "d.csv", text))
    assert layout.columns.kind == "daily"
    frame = read_all(layout.path)
    assert frame["obs_date"].tolist() == [dt.date(2024, 1, 1), dt.date(2024, 1, 2)]
    assert frame["ground_min"].tolist() == [-1.0, 0.5]
    assert frame["precip"].tolist() == [0.0, 3.2]
    assert frame["precip_trace"].tolist() == [True, False]


def test_user_mapping_overrides_aliases(tmp_path: Path) -> None:
    text = "when,气温,sensor_b\n2024-01-01 08:00,1.0,9.0\n"
    layout = open_weather_file(
        write(tmp_path, "m.csv", text), mapping={"WHEN": "datetime", "sensor_b": "t"}
    )
    assert layout.columns.datetime == "when"
    assert [(c.source, c.element) for c in layout.columns.elements] == [("sensor_b", "t")]
    assert layout.columns.ignored == ("气温",)


def test_mapping_to_an_unknown_element_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "m.csv", "datetime,x\n2024-01-01 08:00,1\n")
    with pytest.raises(InvalidValueError, match="not a subdaily element"):
        open_weather_file(path, mapping={"x": "t_max"})


def test_units_in_headers_are_converted(tmp_path: Path) -> None:
    text = "datetime,气温(0.1℃),Temp2 (°F),降水量(0.1mm)\n2024-01-01 08:00,-23,212,15\n"
    frame = read_all(write(tmp_path, "u.csv", text), mapping={"Temp2 (°F)": "ground_t"})
    assert frame["t"].tolist() == pytest.approx([-2.3])
    assert frame["ground_t"].tolist() == pytest.approx([100.0])  # 212 °F boils water: 100 °C
    assert frame["precip"].tolist() == pytest.approx([1.5])


def test_unit_that_does_not_fit_the_element_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "u.csv", "datetime,气温(mm)\n2024-01-01 08:00,1\n")
    with pytest.raises(InputFormatError, match=r"line 1, column '气温\(mm\)'"):
        open_weather_file(path)


# --- sentinels and trace ----------------------------------------------------------------------


def test_missing_value_sentinels_become_nan_and_trace_becomes_zero(tmp_path: Path) -> None:
    cells = ["999999", "99999", "-9999", "32766", "", "NA", "/", "—", "12.5"]
    rows = [
        f"2024-01-01 {h:02d}:00,{c},{p}"
        for h, (c, p) in enumerate(
            zip(cells, ["T", "微量", '","', "32700", "0.4", "", "NA", "0", "1.0"], strict=True)
        )
    ]
    frame = read_all(write(tmp_path, "s.csv", "datetime,t,precip\n" + "\n".join(rows) + "\n"))
    assert frame["t"].isna().tolist() == [True] * 8 + [False]
    assert frame["t"].iloc[-1] == 12.5
    assert frame["precip"].tolist()[:5] == [0.0, 0.0, 0.0, 0.0, 0.4]
    assert frame["precip"].iloc[5:7].isna().all()
    assert frame["precip_trace"].tolist() == [True, True, True, True] + [False] * 5


# --- errors: whole-file refusal ---------------------------------------------------------------


def test_no_time_column(tmp_path: Path) -> None:
    path = write(tmp_path, "e.csv", "站号,气温\n57511,1.0\n")
    with pytest.raises(InputFormatError, match="line 1: no date or time column"):
        open_weather_file(path)


def test_no_element_column(tmp_path: Path) -> None:
    path = write(tmp_path, "e.csv", "日期,站号,备注\n2024-01-01,57511,x\n")
    with pytest.raises(InputFormatError, match="line 1: no daily weather element column"):
        open_weather_file(path)


def test_non_numeric_cells_name_the_first_offenders_and_count_the_rest(tmp_path: Path) -> None:
    rows = [f"2024-01-01 {h:02d}:00,{'x' + str(h) if h >= 2 else '1.0'}" for h in range(10)]
    path = write(tmp_path, "e.csv", "datetime,气温\n" + "\n".join(rows) + "\n")
    with pytest.raises(InputFormatError) as err:
        read_all(path)
    message = err.value.message
    assert "line 4, column '气温': 'x2'" in message
    assert "line 8, column '气温': 'x6'" in message
    assert "line 9" not in message
    assert message.endswith("and 3 more")


def test_duplicate_timestamp_in_one_chunk_names_both_lines(tmp_path: Path) -> None:
    text = (
        "datetime,t\n2024-01-01 08:00,1\n2024-01-01 09:00,2\n"
        "2024-01-01T01:00Z,3\n"
    )  # 01:00 UTC is 09:00 BT: the same instant as line 3
    with pytest.raises(InputFormatError, match=r"2024-01-01 09:00 .* lines 3 and 4"):
        read_all(write(tmp_path, "e.csv", text))


def test_duplicate_timestamp_across_chunks_names_both_lines(tmp_path: Path) -> None:
    rows = [f"2024-01-01 {h:02d}:00,{h}" for h in range(12)] + ["2024-01-01 03:00,9"]
    path = write(tmp_path, "e.csv", "datetime,t\n" + "\n".join(rows) + "\n")
    with pytest.raises(InputFormatError, match="appears twice: lines 5 and 14"):
        read_all(path, chunk_rows=5)


def test_duplicate_date_in_a_daily_file(tmp_path: Path) -> None:
    text = "日期,最高气温\n2024-01-01,1\n2024-01-02,2\n2024-01-01,3\n"
    with pytest.raises(InputFormatError, match="date 2024-01-01 appears twice: lines 2 and 4"):
        read_all(write(tmp_path, "e.csv", text))


def test_unparseable_dates_name_their_lines(tmp_path: Path) -> None:
    text = "日期,最高气温\n2024-01-01,1\n2024-13-45,2\nyesterday,3\n"
    with pytest.raises(InputFormatError) as err:
        read_all(write(tmp_path, "e.csv", text))
    assert "line 3, column '日期': '2024-13-45'" in err.value.message
    assert "line 4, column '日期': 'yesterday'" in err.value.message


def test_row_with_too_many_cells_names_its_line(tmp_path: Path) -> None:
    text = "datetime,t\n2024-01-01 08:00,1\n2024-01-01 09:00,2,7\n"
    with pytest.raises(InputFormatError, match="line 3"):
        read_all(write(tmp_path, "e.csv", text))


def test_undecodable_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(b"datetime,t\n2024-01-01 08:00,\xff\xfe\xff\n")
    with pytest.raises(InputFormatError, match="encoding"):
        open_weather_file(path)


def test_bad_bytes_after_the_sniffed_sample_are_refused_with_a_line(tmp_path: Path) -> None:
    stamps = pd.date_range("2024-01-01", periods=4000, freq="10min")
    rows = "".join(f"{stamp:%Y-%m-%d %H:%M},1.0\n" for stamp in stamps)
    path = tmp_path / "late.csv"
    path.write_bytes(("datetime,气温\n" + rows).encode() + "2024-02-01 00:00,坏\n".encode("gbk"))
    assert path.stat().st_size > 65_536  # the bad bytes lie beyond the encoding sample
    layout = open_weather_file(path)
    assert layout.encoding == "utf-8"
    with pytest.raises(InputFormatError, match="not valid utf-8 text after line"):
        list(read_weather_chunks(layout, refuse_rows=True, chunk_rows=1000))


# --- per-row refusal --------------------------------------------------------------------------


def test_split_keeps_good_rows_and_gives_a_reason_per_refused_row(tmp_path: Path) -> None:
    text = (
        "datetime,气温,相对湿度\n"
        "2024-01-01 08:00,5.0,80\n"
        "2024-01-01 09:00,70.0,80\n"  # t above the hard limit 55 °C
        "2024-01-01 10:00,abc,101\n"  # not a number and rh above 100 %
        "not a time,5.0,80\n"
        "2024-01-01 11:00,-60,\n"
    )  # below -55 °C
    layout = open_weather_file(write(tmp_path, "r.csv", text))
    [split] = list(read_weather_chunks(layout, refuse_rows=True))
    assert split.good["line"].tolist() == [2]
    assert split.refused["line"].tolist() == [3, 4, 5, 6]
    assert split.refused["reason"].tolist() == [
        "t 70 outside -55…55",
        "气温 'abc' is not a number; rh 101 outside 0…100",
        "timestamp 'not a time' not understood",
        "t -60 outside -55…55",
    ]
    assert split.refused["气温"].tolist() == ["70.0", "abc", "5.0", "-60"]  # original text kept


def test_strict_mode_keeps_out_of_limit_values_for_qc(tmp_path: Path) -> None:
    text = "datetime,气温\n2024-01-01 08:00,70.0\n"
    assert read_all(write(tmp_path, "r.csv", text))["t"].tolist() == [70.0]


# --- time zones -------------------------------------------------------------------------------


def test_bt_and_utc_input_give_the_same_ts(tmp_path: Path) -> None:
    bt = write(tmp_path, "bt.csv", "datetime,t\n2024-01-01 08:00,1\n2024-01-01 20:00,2\n")
    utc_z = write(tmp_path, "z.csv", "datetime,t\n2024-01-01T00:00Z,1\n2024-01-01T12:00Z,2\n")
    utc_off = write(
        tmp_path, "o.csv", "datetime,t\n2024-01-01 00:00+00:00,1\n2024-01-01 12:00:00+0000,2\n"
    )
    naive_utc = write(tmp_path, "n.csv", "datetime,t\n2024-01-01 00:00,1\n2024-01-01 12:00,2\n")
    expected = [UTC_2024_01_01, UTC_2024_01_01 + 12 * HOUR]
    assert read_all(bt)["ts"].tolist() == expected
    assert read_all(utc_z)["ts"].tolist() == expected
    assert read_all(utc_off)["ts"].tolist() == expected
    assert read_all(naive_utc, clock=Clock(assume_utc=True))["ts"].tolist() == expected
    # an explicit zone wins over assume_utc
    assert read_all(utc_z, clock=Clock(assume_utc=True))["ts"].tolist() == expected


def test_other_station_offset(tmp_path: Path) -> None:
    path = write(tmp_path, "k.csv", "datetime,t\n2024-01-01 05:00,1\n")
    assert read_all(path, clock=Clock(utc_offset_hours=5.0))["ts"].tolist() == [UTC_2024_01_01]


def test_ts_is_int64(tmp_path: Path) -> None:
    frame = read_all(write(tmp_path, "h.csv", CN_HOURLY))
    assert frame["ts"].dtype == np.int64


# --- rounding helper --------------------------------------------------------------------------


def test_round_half_up_rounds_halves_away_from_zero() -> None:
    values = pd.Series([12.25, -12.25, 0.05, 11.5, np.nan])
    assert round_half_up(values, 0.1).tolist()[:4] == [12.3, -12.3, 0.1, 11.5]
    assert round_half_up(pd.Series([0.125, 79.5]), 0.01).tolist() == [0.13, 79.5]
    assert round_half_up(pd.Series([79.5, 80.4]), 1).tolist() == [80.0, 80.0]


def test_unknown_unit_in_brackets_is_kept_as_a_note(tmp_path: Path) -> None:
    path = write(tmp_path, "n.csv", "datetime,风速(2min),备注\n2024-01-01 08:00,1.5,ok\n")
    layout = open_weather_file(path)
    assert layout.columns.codes == ("wind_speed",)
    assert layout.columns.ignored == ("备注",)
    assert layout.columns.notes == (
        "column '风速(2min)': unit '2min' not recognised, values taken as m/s",
    )


def test_xlsx_with_separate_date_and_time_cells(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["日期", "时次", "气温"])
    book.active.append([dt.datetime(2024, 1, 1), dt.time(8, 0), 5.0])
    book.active.append([dt.datetime(2024, 1, 1), dt.time(20, 0), 6.0])
    path = tmp_path / "dt.xlsx"
    book.save(path)
    frame = read_all(path)
    assert frame["ts"].tolist() == [UTC_2024_01_01, UTC_2024_01_01 + 12 * HOUR]


def test_header_only_file_gives_no_rows(tmp_path: Path) -> None:
    layout = open_weather_file(write(tmp_path, "h.csv", "日期,最高气温\n"))
    assert list(read_weather_chunks(layout)) == []
