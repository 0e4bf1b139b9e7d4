"""What the import stores and flags equals what a plain store and a full check give.

- QC during an import (flags keyed by time, new rows stored with ``qc`` 0, only the rows stored
  unchecked reset) leaves exactly the flags and ``qc`` a full ``validate`` over the store
  computes, whatever the chunk size, and also when the file overlaps stored rows;
- element columns the CSV parser reads as numbers give the values the text path gives;
- multi-row INSERTs store every row, NULL for NaN/NA, and honour ``ON CONFLICT``.
"""

from __future__ import annotations

import dataclasses
import shutil
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, text

from obs.db import make_engine, session_scope
from obs.errors import InputFormatError
from obs.imports.weather import open_weather_file, read_weather_chunks
from obs.qc.driver import validate
from obs.store.sql import insert_frame
from schemas.qc_rules import DEFAULT_QC_RULES
from tests.conftest import seed_sites
from tests.obs.imports.weather.test_import import run

#: The flags with their reasons, except the length of a stuck run, which each check states as
#: far as it could see (the run may go on beyond the rows read: "at least 25.5 h").
FLAGS = (
    "SELECT w.ts, f.element, f.check_name, f.flag, CASE WHEN f.check_name = "
    "'value_persistence' THEN '' ELSE f.reason END FROM qc_flag f "
    "JOIN subdaily_weather w ON w.id = f.record_id WHERE f.kind = 'subdaily' "
    "ORDER BY w.ts, f.check_name, f.element"
)
QC = "SELECT ts, qc FROM subdaily_weather ORDER BY ts"


def q(eng: Engine, sql: str) -> list[tuple[Any, ...]]:
    with eng.connect() as c:
        return [tuple(r) for r in c.execute(text(sql)).all()]


def awkward_file(path: Path, n: int = 1500, start: str = "2024-01-01 00:10") -> Path:
    """10-minute records with every kind of finding, some of them across chunk boundaries."""
    rng = np.random.default_rng(11)
    times = pd.date_range(start, periods=n, freq="10min")
    t = (10 + rng.normal(0, 0.4, n)).round(1).astype(object)
    t[200:370] = 5.0  # 170 equal values = 28 h: stuck sensor, across several chunk edges
    t[600] = 19.0  # a step of ~9 °C in 10 minutes: suspect
    t[700] = 47.0  # beyond the soft limit (45.5 °C): suspect
    t[800:805] = "NA"  # missing
    t[900] = 80.5  # beyond the hard limit: refused
    rain = np.where(rng.random(n) < 0.05, 0.2, 0.0).astype(object)
    rain[1000:1010] = "T"  # trace marks: this column goes through the text path
    rh = rng.integers(50, 95, n).astype(object)
    rh[1200:1400] = 77  # 200 equal values: stuck humidity sensor
    frame = pd.DataFrame(
        {"时间": times.strftime("%Y-%m-%d %H:%M"), "气温": t, "相对湿度": rh, "降水量": rain}
    )
    frame.to_csv(path, index=False)
    return path


def fresh_engine(template: Path, where: Path) -> Engine:
    shutil.copyfile(template, where)
    eng = make_engine(str(where))
    seed_sites(eng, plants=1)
    return eng


def revalidated(eng: Engine) -> tuple[list[Any], list[Any]]:
    with session_scope(eng) as s:
        validate(session=s, kinds=["subdaily"])
    return q(eng, FLAGS), q(eng, QC)


def test_import_qc_equals_a_full_validate_for_any_chunking(
    tmp_path: Path, _migrated_template: Path
) -> None:
    f = awkward_file(tmp_path / "a.csv")
    results = []
    for chunk in (37, 250, 100_000):
        eng = fresh_engine(_migrated_template, tmp_path / f"c{chunk}.db")
        summary = run(eng, f, chunk_rows=chunk)
        assert summary.refused == 1
        imported = (q(eng, FLAGS), q(eng, QC))
        assert q(eng, "SELECT count(*) FROM subdaily_weather WHERE qc = 9") == [(0,)]
        assert revalidated(eng) == imported
        results.append((imported, summary.qc_errors, summary.qc_suspects))
        eng.dispose()
    assert results[0] == results[1] == results[2]
    flags = results[0][0][0]
    checks = {row[2] for row in flags}
    assert {"value_persistence", "subdaily_step", "outside_soft_limits"} <= checks
    # the two stuck runs (a random neighbour may equal the stuck value and lengthen a run)
    assert sum(1 for row in flags if row[2] == "value_persistence") >= 170 + 200


def test_import_over_stored_rows_keeps_flags_equal_to_a_full_validate(
    tmp_path: Path, _migrated_template: Path
) -> None:
    eng = fresh_engine(_migrated_template, tmp_path / "o.db")
    run(eng, awkward_file(tmp_path / "a.csv"), chunk_rows=250)
    # a later file starting inside the stored range, with the stuck run ended by new values
    first = pd.read_csv(tmp_path / "a.csv", dtype=str, keep_default_na=False)
    beyond = first.iloc[:300].copy()  # 300 new records after the stored ones
    beyond["时间"] = pd.date_range("2024-01-11 10:10", periods=300, freq="10min").strftime(
        "%Y-%m-%d %H:%M"
    )
    later = pd.concat([first.iloc[300:], beyond], ignore_index=True)
    later.loc[0:40, "气温"] = "6.3"
    later.to_csv(tmp_path / "b.csv", index=False)
    summary = run(eng, tmp_path / "b.csv", chunk_rows=100, on_conflict="update")
    assert (summary.updated, summary.stored) == (41, 300)
    imported = (q(eng, FLAGS), q(eng, QC))
    assert q(eng, "SELECT count(*) FROM subdaily_weather WHERE qc = 9") == [(0,)]
    assert revalidated(eng) == imported
    eng.dispose()


def test_numbers_read_by_the_parser_equal_the_text_path(tmp_path: Path) -> None:
    f = awkward_file(tmp_path / "a.csv")
    # the same file with a letter in each element column's last cell: all read as text
    text_frame = pd.read_csv(f, dtype=str, keep_default_na=False)
    text_frame.loc[len(text_frame) - 1, ["气温", "相对湿度", "降水量"]] = "x"
    text_frame.to_csv(tmp_path / "t.csv", index=False)
    parsed = [s.good for s in read_weather_chunks(open_weather_file(f), refuse_rows=True)]
    slow = [
        s.good for s in read_weather_chunks(open_weather_file(tmp_path / "t.csv"), refuse_rows=True)
    ]
    a = pd.concat(parsed, ignore_index=True)
    b = pd.concat(slow, ignore_index=True)
    assert len(a) == len(b) + 1  # the last row of the text copy is refused
    pd.testing.assert_frame_equal(a.iloc[: len(b)], b, check_dtype=False)
    assert a["t"].isna().sum() == 5  # the five 'NA' cells
    assert a["precip_trace"].dtype == bool


def test_numeric_chunk_with_missing_texts_and_sentinels(tmp_path: Path) -> None:
    f = tmp_path / "m.csv"
    f.write_text(
        "时间,气温,降水量\n"
        "2024-01-01 01:00,1.5,0.0\n"
        "2024-01-01 02:00,NA,32700\n"  # missing text; trace sentinel
        "2024-01-01 03:00,-999,\n"  # missing sentinel; empty
        "2024-01-01 04:00,//,0.4\n",
        encoding="utf-8",
    )
    (split,) = list(read_weather_chunks(open_weather_file(f), refuse_rows=True))
    good = split.good
    assert good["t"].tolist()[0] == 1.5 and good["t"].isna().tolist() == [False, True, True, True]
    assert good["precip"].tolist()[1] == 0.0 and good["precip_trace"].tolist()[1]
    assert good["precip"].isna().tolist() == [False, False, True, False]


@pytest.mark.parametrize("rows", [1, 99, 100, 101, 257])
def test_insert_frame_multi_row(engine: Engine, rows: int) -> None:
    seed_sites(engine, plants=1)
    frame = pd.DataFrame(
        {
            "station_id": 1,
            "ts": np.arange(rows, dtype=np.int64) * 600,
            "t": np.where(np.arange(rows) % 7 == 0, np.nan, 1.5),
            "precip_trace": np.arange(rows) % 2 == 0,
            "qc": pd.array([None if i % 5 == 0 else 0 for i in range(rows)], dtype="Int64"),
        }
    ).assign(qc=lambda f: f["qc"].fillna(9))
    columns = ["station_id", "ts", "t", "precip_trace", "qc"]
    with session_scope(engine) as s:
        assert insert_frame(s, "subdaily_weather", frame, columns) == rows
    with session_scope(engine) as s:
        again = " ON CONFLICT (station_id, ts) DO NOTHING"
        assert insert_frame(s, "subdaily_weather", frame, columns, again) == 0
    stored = q(engine, "SELECT ts, t, precip_trace, qc FROM subdaily_weather ORDER BY ts")
    assert len(stored) == rows
    assert [r[1] is None for r in stored] == [i % 7 == 0 for i in range(rows)]
    assert [r[2] for r in stored] == [i % 2 == 0 for i in range(rows)]
    assert [r[3] for r in stored] == [9 if i % 5 == 0 else 0 for i in range(rows)]


def hourly(path: Path, start: str, values: list[Any]) -> Path:
    times = pd.date_range(start, periods=len(values), freq="h")
    pd.DataFrame({"时间": times.strftime("%Y-%m-%d %H:%M"), "气温": values}).to_csv(
        path, index=False
    )
    return path


def test_a_refused_import_leaves_no_flags_on_the_rows_around_it(
    engine: Engine, tmp_path: Path
) -> None:
    seed_sites(engine, plants=1)
    # A ends with 20 h at 5.0; B goes on at 5.0 for 10 h (a 30 h stuck run across both files)
    # and repeats a timestamp further down, so B is refused and taken back
    a = hourly(
        tmp_path / "a.csv", "2024-01-01 01:00", [10.0 + i % 3 * 0.1 for i in range(80)] + [5.0] * 20
    )
    run(engine, a)
    before = (q(engine, FLAGS), q(engine, QC))
    b = hourly(
        tmp_path / "b.csv", "2024-01-05 05:00", [5.0] * 10 + [10.0 + i % 3 * 0.1 for i in range(90)]
    )
    lines = b.read_text(encoding="utf-8").splitlines()
    b.write_text("\n".join([*lines, lines[2]]) + "\n", encoding="utf-8")
    with pytest.raises(InputFormatError):
        run(engine, b, chunk_rows=30)
    assert (q(engine, FLAGS), q(engine, QC)) == before
    assert revalidated(engine) == before


AT_TEN = "ts = 1704074400"


def test_a_deleted_record_stays_deleted_and_out_of_the_checks(
    engine: Engine, tmp_path: Path
) -> None:
    seed_sites(engine, plants=1)
    values = [10.0 + i % 3 * 0.1 for i in range(48)]
    f = hourly(tmp_path / "a.csv", "2024-01-01 01:00", values)
    run(engine, f)
    with engine.begin() as c:
        # 10:00 BT on 1 January = 02:00 UTC = 1704074400, line 11 of the file
        c.execute(text(f"UPDATE subdaily_weather SET deleted_at = '2024-02-01' WHERE {AT_TEN}"))
    values[9] = 40.0  # the file now has another value where the record was deleted
    g = hourly(tmp_path / "b.csv", "2024-01-01 01:00", values)
    for chunk in (10, 1000):
        summary = run(engine, g, chunk_rows=chunk, reject_path=tmp_path / "r.csv")
        assert (summary.stored, summary.kept, summary.unchanged) == (0, 1, 47)
        rejected = pd.read_csv(tmp_path / "r.csv", encoding="utf-8-sig")
        assert rejected["line"].tolist() == [11] and "deleted" in rejected["reason"][0]
        stored = q(engine, f"SELECT t, deleted_at IS NOT NULL FROM subdaily_weather WHERE {AT_TEN}")
        assert stored == [(10.0 + 9 % 3 * 0.1, 1)]
        imported = (q(engine, FLAGS), q(engine, QC))
        assert revalidated(engine) == imported
        assert not any(row[2] == "subdaily_step" for row in imported[0])


def test_validate_clears_flags_of_rows_whose_qc_says_zero(engine: Engine, tmp_path: Path) -> None:
    # e.g. rows whose qc came from elsewhere (a push) without their flags
    seed_sites(engine, plants=1)
    run(engine, hourly(tmp_path / "a.csv", "2024-01-01 01:00", [5.0] * 30))
    assert len(q(engine, FLAGS)) == 30
    with engine.begin() as c:
        c.execute(text("UPDATE subdaily_weather SET qc = 0, t = 10 + (ts / 3600) % 3 * 0.1"))
    assert revalidated(engine)[0] == []


def test_timestamps_written_in_bulk_look_like_the_orm_ones(engine: Engine, tmp_path: Path) -> None:
    seed_sites(engine, plants=1)
    run(engine, hourly(tmp_path / "a.csv", "2024-01-01 01:00", [5.0] * 30))
    (created,) = q(engine, "SELECT created_at FROM station")[0]
    stamps = q(engine, "SELECT run_at FROM qc_flag LIMIT 1") + q(
        engine, "SELECT created_at FROM daily_weather LIMIT 1"
    )
    pattern = r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$"
    assert pd.Series([created, *(s[0] for s in stamps)]).str.match(pattern).all()
    days = q(engine, "SELECT obs_date FROM daily_weather ORDER BY obs_date")
    assert days == [("2024-01-01",), ("2024-01-02",)]


def test_qc_counts_only_the_files_records(engine: Engine, tmp_path: Path) -> None:
    seed_sites(engine, plants=1)
    # A ends with 30 h at 5.0 (stuck); B starts after it: A's last records are checked again,
    # but only B's findings are counted in B's summary
    run(
        engine,
        hourly(
            tmp_path / "a.csv",
            "2024-01-01 01:00",
            [10.0 + i % 3 * 0.1 for i in range(30)] + [5.0] * 30,
        ),
    )
    summary = run(
        engine,
        hourly(tmp_path / "b.csv", "2024-01-03 13:00", [10.0 + i % 3 * 0.1 for i in range(30)]),
    )
    assert summary.qc_errors == 0
    assert len(q(engine, FLAGS)) == 30


def test_a_column_with_text_far_down_reads_without_a_warning(tmp_path: Path) -> None:
    n = 30_000  # more than the C parser's internal block, so the column starts as numbers
    f = tmp_path / "m.csv"
    t = (10 + np.arange(n) % 7 * 0.1).round(1).astype(object)
    t[n - 5] = "x"
    times = pd.date_range("2000-01-01 00:10", periods=n, freq="10min").strftime("%Y-%m-%d %H:%M")
    pd.DataFrame({"时间": times, "气温": t}).to_csv(f, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        splits = list(
            read_weather_chunks(open_weather_file(f), chunk_rows=100_000, refuse_rows=True)
        )
    good = pd.concat([s.good for s in splits])
    assert len(good) == n - 1 and sum(len(s.refused) for s in splits) == 1
    assert np.allclose(good["t"].to_numpy(), np.delete(t, n - 5).astype(float))


def test_import_qc_equals_a_full_validate_with_rules_that_look_further(
    tmp_path: Path, _migrated_template: Path
) -> None:
    # a 40 h persistence run reaches further than the default 25 h: the import's windows and
    # the validate's follow the checks' declarations, and still agree
    rules = dataclasses.replace(DEFAULT_QC_RULES, persistence_hours=40.0, step_max_gap_hours=6.0)
    f = awkward_file(tmp_path / "a.csv", n=2500)
    frame = pd.read_csv(f, dtype=str, keep_default_na=False)
    frame.loc[1500:1799, "气温"] = "7.0"  # 300 equal values = 50 h, across several chunks
    frame.to_csv(f, index=False)
    eng = fresh_engine(_migrated_template, tmp_path / "r.db")
    run(eng, f, chunk_rows=100, rules=rules)
    imported = (q(eng, FLAGS), q(eng, QC))
    assert q(eng, "SELECT count(*) FROM subdaily_weather WHERE qc = 9") == [(0,)]
    with session_scope(eng) as s:
        validate(session=s, kinds=["subdaily"], rules=rules)
    assert (q(eng, FLAGS), q(eng, QC)) == imported
    stuck = {row[0] for row in imported[0] if row[2] == "value_persistence"}
    # the 50 h run is stuck for 40 h; the 28 h one and the 33 h humidity run are not
    assert 300 <= len(stuck) < 300 + 170
    eng.dispose()
