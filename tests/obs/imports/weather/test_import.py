"""Weather import engine: storing, derived days, idempotence, conflicts, refusals, undo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from obs.db import make_engine, session_scope
from obs.errors import DuplicateError, InputFormatError
from obs.imports import WeatherImportOptions, import_weather
from obs.records.create import create
from tests.conftest import row_counts, seed_sites


def hourly_csv(
    path: Path,
    start: str,
    hours: int,
    *,
    t: float = 10.0,
    encoding: str = "utf-8",
    rain: dict[str, float] | None = None,
) -> Path:
    """Hourly BT records ending at ``start`` + 1 h …, constant temperature ``t``."""
    times = pd.date_range(start, periods=hours, freq="h")
    frame = pd.DataFrame(
        {"时间": times.strftime("%Y-%m-%d %H:%M"), "气温": t, "相对湿度": 80, "降水量": 0.0}
    )
    for stamp, mm in (rain or {}).items():
        frame.loc[frame["时间"] == stamp, "降水量"] = mm
    frame.to_csv(path, index=False, encoding=encoding)
    return path


@pytest.fixture
def eng(engine: Engine) -> Engine:
    seed_sites(engine, plants=1)
    return engine


def run(eng: Engine, path: Path, **options: Any) -> Any:
    with session_scope(eng) as s:
        return import_weather(
            path, station="57511", session=s, options=WeatherImportOptions(**options)
        )


def rows(eng: Engine, sql: str) -> list[Any]:
    with eng.connect() as c:
        return list(c.execute(text(sql)).all())


def test_subdaily_rows_and_derived_day(eng: Engine, tmp_path: Path) -> None:
    # hourly records from 20:00 BT 2024-03-01 (exclusive) to 20:00 BT 2024-03-02: one whole
    # climatological day (domain spec §10.1); 1.0 mm at 03:00 falls in 20–08, 2.0 at 15:00 in
    # 08–20 (§10.2)
    f = hourly_csv(
        tmp_path / "h.csv",
        "2024-03-01 21:00",
        24,
        rain={"2024-03-02 03:00": 1.0, "2024-03-02 15:00": 2.0},
    )
    summary = run(eng, f)
    assert (summary.rows_read, summary.stored, summary.refused) == (24, 24, 0)
    # 2024-03-01 21:00 BT = 13:00 UTC = 1709298000 s since 1970-01-01
    assert rows(eng, "SELECT min(ts), max(ts) FROM subdaily_weather")[0] == (
        1709298000,
        1709298000 + 23 * 3600,
    )
    day = rows(
        eng,
        "SELECT obs_date, t_mean, precip, precip_20_08, precip_08_20, source, "
        "tmean_method, n_records, n_expected, qc FROM daily_weather",
    )
    assert day == [("2024-03-02", 10.0, 3.0, 1.0, 2.0, "derived", "24h", 24, 24, 0)]
    assert summary.days_stored == 1


def test_reimport_stores_nothing_new(eng: Engine, tmp_path: Path) -> None:
    f = hourly_csv(tmp_path / "h.csv", "2024-03-01 21:00", 72)
    run(eng, f)
    before = row_counts(eng)
    again = run(eng, f, chunk_rows=10)
    after = row_counts(eng)
    assert (again.stored, again.unchanged, again.days_stored, again.days_unchanged) == (0, 72, 0, 3)
    assert after == {**before, "import_batch": before["import_batch"] + 1}


def test_two_files_meeting_inside_a_day_give_the_whole_day(eng: Engine, tmp_path: Path) -> None:
    run(eng, hourly_csv(tmp_path / "a.csv", "2024-03-01 21:00", 10))
    run(eng, hourly_csv(tmp_path / "b.csv", "2024-03-02 07:00", 14))
    assert rows(eng, "SELECT obs_date, n_records FROM daily_weather ORDER BY obs_date") == [
        ("2024-03-02", 24)
    ]


def changed_copy(src: Path, dst: Path, line: int, t: float) -> Path:
    frame = pd.read_csv(src, dtype=str)
    frame.loc[line - 2, "气温"] = str(t)
    frame.to_csv(dst, index=False)
    return dst


def test_on_conflict_skip_update_fail(eng: Engine, tmp_path: Path) -> None:
    f = hourly_csv(tmp_path / "h.csv", "2024-03-01 21:00", 24)
    run(eng, f)
    g = changed_copy(f, tmp_path / "g.csv", line=5, t=12.5)
    skipped = run(eng, g, reject_path=tmp_path / "r.csv")
    assert (skipped.kept, skipped.unchanged, skipped.updated) == (1, 23, 0)
    assert "t stored 10, file 12.5" in (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    before = row_counts(eng)
    with pytest.raises(DuplicateError, match=r"1 rows differ.*line 5"):
        run(eng, g, on_conflict="fail")
    assert row_counts(eng) == before  # refused: no batch row either
    updated = run(eng, g, on_conflict="update")
    assert updated.updated == 1 and updated.days_updated == 1
    assert rows(eng, "SELECT t FROM subdaily_weather ORDER BY ts LIMIT 1 OFFSET 3") == [(12.5,)]
    history = rows(eng, "SELECT kind, action, changes FROM history ORDER BY id")
    assert history[0][:2] == ("subdaily", "import-update")
    assert '"t": [10.0, 12.5]' in history[0][2]
    assert history[1][:2] == ("weather", "import-update")  # the derived day was recomputed


def test_manual_day_kept_unless_update(eng: Engine, tmp_path: Path) -> None:
    with session_scope(eng) as s:
        create(
            "weather", {"station": "57511", "obs_date": "2024-03-02", "t_mean": "9.0"}, session=s
        )
    f = hourly_csv(tmp_path / "h.csv", "2024-03-01 21:00", 24)
    kept = run(eng, f)
    assert kept.days_kept_manual == 1 and "kept" in kept.notes[0]
    assert rows(eng, "SELECT t_mean, source FROM daily_weather") == [(9.0, "manual")]
    run(eng, f, on_conflict="update")
    assert rows(eng, "SELECT t_mean, source FROM daily_weather") == [(10.0, "derived")]


def test_duplicate_timestamp_in_a_later_chunk_leaves_nothing(eng: Engine, tmp_path: Path) -> None:
    f = hourly_csv(tmp_path / "h.csv", "2024-03-01 21:00", 60)
    frame = pd.read_csv(f, dtype=str)
    pd.concat([frame, frame.iloc[[3]]]).to_csv(f, index=False)
    before = row_counts(eng)
    with pytest.raises(InputFormatError, match="appears twice: lines 5 and 62"):
        run(eng, f, chunk_rows=20)
    assert row_counts(eng) == before  # no batch row either: the database is as it was


def test_out_of_order_chunks_refused_whole(eng: Engine, tmp_path: Path) -> None:
    f = hourly_csv(tmp_path / "h.csv", "2024-03-01 21:00", 60)
    frame = pd.read_csv(f, dtype=str)
    pd.concat([frame.iloc[30:], frame.iloc[:30]]).to_csv(f, index=False)
    with pytest.raises(InputFormatError, match="not in time order"):
        run(eng, f, chunk_rows=30)
    assert rows(eng, "SELECT count(*) FROM subdaily_weather") == [(0,)]
    assert rows(eng, "SELECT count(*) FROM daily_weather") == [(0,)]


def test_bad_cells_refused_rest_stored(eng: Engine, tmp_path: Path) -> None:
    f = hourly_csv(tmp_path / "h.csv", "2024-03-01 21:00", 24)
    changed_copy(f, f, line=3, t=float("nan"))
    frame = pd.read_csv(f, dtype=str, keep_default_na=False)
    frame.loc[1, "气温"] = "abc"
    frame.loc[2, "相对湿度"] = "140"
    frame.to_csv(f, index=False)
    summary = run(eng, f, reject_path=tmp_path / "r.csv")
    assert (summary.stored, summary.refused) == (22, 2)
    rejects = pd.read_csv(tmp_path / "r.csv", encoding="utf-8-sig", dtype=str)
    assert rejects["line"].tolist() == ["3", "4"]
    assert "气温 'abc' is not a number" in rejects["reason"][0]
    assert "rh 140 outside" in rejects["reason"][1]


def test_missing_time_column_refused_before_anything(eng: Engine, tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("气温,相对湿度\n10,80\n", encoding="utf-8")
    before = row_counts(eng)
    with pytest.raises(InputFormatError):
        run(eng, f)
    assert row_counts(eng) == before


def test_gbk_file_and_utc_option(eng: Engine, tmp_path: Path) -> None:
    f = hourly_csv(tmp_path / "gbk.csv", "2024-03-01 21:00", 3, encoding="gbk")
    run(eng, f, assume_utc=True)
    # read as UTC: 2024-03-01 21:00 UTC = 1709326800
    assert rows(eng, "SELECT min(ts) FROM subdaily_weather") == [(1709326800,)]


def test_daily_file_imported(eng: Engine, tmp_path: Path) -> None:
    f = tmp_path / "d.csv"
    f.write_text(
        "日期,最高气温,最低气温,降水量\n2024-03-01,15.2,6.1,0.0\n2024-03-02,14.0,3.0,T\n",
        encoding="utf-8",
    )
    summary = run(eng, f)
    assert summary.stored == 2
    got = rows(
        eng,
        "SELECT obs_date, t_max, t_min, precip, precip_trace, source, tmean_method "
        "FROM daily_weather ORDER BY obs_date",
    )
    assert got == [  # no mean in the file: (Tmax + Tmin)/2, half up, as entry derives it
        ("2024-03-01", 15.2, 6.1, 0.0, 0, "imported", "maxmin"),
        ("2024-03-02", 14.0, 3.0, 0.0, 1, "imported", "maxmin"),
    ]
    assert rows(eng, "SELECT t_mean FROM daily_weather ORDER BY obs_date") == [(10.7,), (8.5,)]
    assert run(eng, f).unchanged == 2


DAILY_MEAN_CASES = [  # (t_max, t_min, t02, t08, t14, t20, t_mean) of a file row; None = empty
    (15.2, 6.1, None, None, None, None, None),  # (15.2 + 6.1)/2 = 10.65 -> 10.7 (maxmin)
    (2.5, -2.2, None, None, None, None, None),
    (1.3, 0.0, None, None, None, None, None),
    (9.0, 1.0, 2.0, 3.5, 8.6, 5.1, None),  # 02/08/14/20 present: (2 + 3.5 + 8.6 + 5.1)/4 = 4.8
    (9.0, 1.0, 2.0, None, 8.6, 5.1, None),  # one fixed hour missing: maxmin
    (9.0, 1.0, None, None, None, None, 4.4),  # given
    (None, 1.0, None, None, None, None, None),  # nothing to derive from
]


def _daily_mean_file(path: Path, cases: list[tuple[float | None, ...]]) -> Path:
    cols = ["最高气温", "最低气温", "02时气温", "08时气温", "14时气温", "20时气温", "平均气温"]
    frame = pd.DataFrame(cases, columns=cols)
    frame.insert(0, "日期", [f"2024-03-{d:02d}" for d in range(1, len(cases) + 1)])
    frame.to_csv(path, index=False)
    return path


def test_daily_mean_derived_as_entry_derives_it(eng: Engine, tmp_path: Path) -> None:
    f = _daily_mean_file(tmp_path / "d.csv", DAILY_MEAN_CASES)
    assert run(eng, f).stored == len(DAILY_MEAN_CASES)
    got = rows(eng, "SELECT t_mean, tmean_method FROM daily_weather ORDER BY obs_date")
    names = ("t_max", "t_min", "t02", "t08", "t14", "t20", "t_mean")
    with session_scope(eng) as s:  # the same values through entry, on other days
        for i, case in enumerate(DAILY_MEAN_CASES, start=1):
            raw = {n: str(v) for n, v in zip(names, case, strict=True) if v is not None}
            create(
                "weather", {"station": "57511", "obs_date": f"2023-03-{i:02d}", **raw}, session=s
            )
    entry = rows(
        eng,
        "SELECT t_mean, tmean_method FROM daily_weather WHERE obs_date < '2024-01-01' "
        "ORDER BY obs_date",
    )
    assert got[: len(entry)] == entry
    assert got[0] == (10.7, "maxmin") and got[3] == (4.8, "4obs") and got[4][1] == "maxmin"
    assert got[5] == (4.4, "given") and got[6] == (None, "")
    assert run(eng, f).unchanged == len(DAILY_MEAN_CASES)  # the same file again: nothing new


def test_daily_mean_derived_on_update(eng: Engine, tmp_path: Path) -> None:
    f = _daily_mean_file(tmp_path / "d.csv", DAILY_MEAN_CASES[:1])
    run(eng, f)
    g = _daily_mean_file(tmp_path / "e.csv", [(16.0, 6.1, None, None, None, None, None)])
    assert run(eng, g, on_conflict="update").updated == 1
    got = rows(eng, "SELECT t_max, t_mean, tmean_method FROM daily_weather")
    assert got == [(16.0, 11.1, "maxmin")]  # (16.0 + 6.1)/2 = 11.05 -> 11.1
    history = rows(eng, "SELECT changes FROM history ORDER BY id")
    assert '"t_mean": [10.7, 11.1]' in history[-1][0]


@pytest.mark.postgres
def test_import_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    pg = make_engine(pg_url)
    try:
        seed_sites(pg, plants=1)
        f = hourly_csv(tmp_path / "h.csv", "2024-03-01 21:00", 48)
        first = run(pg, f, chunk_rows=20)
        g = changed_copy(f, tmp_path / "g.csv", line=5, t=12.5)
        again = run(pg, g, chunk_rows=20, on_conflict="update")
        assert (first.stored, first.days_stored) == (48, 2)
        assert (again.unchanged, again.updated) == (47, 1)
        day = rows(pg, "SELECT obs_date, n_records FROM daily_weather ORDER BY obs_date")
        assert day == [(dt.date(2024, 3, 2), 24), (dt.date(2024, 3, 3), 24)]
        assert rows(pg, "SELECT count(*) FROM subdaily_weather WHERE t = 'NaN'") == [(0,)]
    finally:
        pg.dispose()


@pytest.mark.postgres
def test_refused_file_leaves_postgresql_as_it_was(pg_url: str, tmp_path: Path) -> None:
    from tests.conftest import table_dump

    pg = make_engine(pg_url)
    try:
        seed_sites(pg, plants=1)
        f = hourly_csv(tmp_path / "h.csv", "2024-03-01 21:00", 60)
        frame = pd.read_csv(f, dtype=str)
        pd.concat([frame, frame.iloc[[3]].assign(相对湿度="140")]).to_csv(f, index=False)
        before = table_dump(pg)
        with pytest.raises(InputFormatError, match="appears twice: lines 5 and 62"):
            run(pg, f, chunk_rows=20)  # found after two chunks were committed
        assert table_dump(pg) == before
    finally:
        pg.dispose()


def test_daily_mean_derived_from_an_xlsx_daily_file(eng: Engine, tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["日期", "最高气温", "最低气温", "降水量"])
    sheet.append([dt.datetime(2024, 3, 1), 15.2, 6.1, 0.0])
    sheet.append([dt.datetime(2024, 3, 2), 12.3, 4.0, 1.2])
    path = tmp_path / "d.xlsx"
    book.save(path)
    assert run(eng, path).stored == 2
    got = rows(eng, "SELECT t_mean, tmean_method FROM daily_weather ORDER BY obs_date")
    assert got == [(10.7, "maxmin"), (8.2, "maxmin")]
