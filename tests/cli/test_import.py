"""``obs import weather|observations``: summary, reject file, refusals, idempotence."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import Invoker


def hourly(path: Path, hours: int = 24) -> Path:
    times = pd.date_range("2024-03-01 21:00", periods=hours, freq="h")
    frame = pd.DataFrame({"时间": times.strftime("%Y-%m-%d %H:%M"), "气温": 10.0, "相对湿度": 80})
    frame.to_csv(path, index=False)
    return path


def counts(result: dict[str, object]) -> tuple[object, ...]:
    return tuple(result[k] for k in ("rows_read", "stored", "unchanged", "refused", "days_stored"))


def test_weather_twice_and_reject_file(
    seeded: Invoker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    f = hourly(tmp_path / "aws.csv")
    frame = pd.read_csv(f, dtype=str)
    frame.loc[0, "气温"] = "x"
    frame.to_csv(f, index=False)
    first = seeded.json("import", "weather", str(f), "--station", "57511", expect=3)
    assert counts(first) == (24, 23, 0, 1, 1)
    rejects = tmp_path / "aws.rejects.csv"  # default: <stem>.rejects.csv in the current folder
    assert first["reject_file"] == str(rejects) and "'x' is not a number" in rejects.read_text(
        encoding="utf-8-sig"
    )
    again = seeded.json("import", "weather", str(f), "--station", "57511", expect=3)
    assert counts(again) == (24, 0, 23, 1, 0)
    table = seeded("import", "weather", str(f), "--station", "57511", expect=3)
    assert "读取行数" in table.stdout and "导入汇总" not in table.stdout  # zh by default
    assert "1 rows not stored" in table.stderr
    assert "exit code 3: 1 rows refused" in table.stderr


def test_conflict_fail_exit_and_nothing_stored(seeded: Invoker, tmp_path: Path) -> None:
    f = hourly(tmp_path / "a.csv")
    seeded(
        "import",
        "weather",
        str(f),
        "--station",
        "57511",
        "--reject-file",
        str(tmp_path / "r.csv"),
        expect=None,  # 3: QC finds errors in the flat synthetic series
    )
    frame = pd.read_csv(f, dtype=str)
    frame.loc[3, "气温"] = "11.5"
    frame.to_csv(tmp_path / "b.csv", index=False)
    result = seeded(
        "import",
        "weather",
        str(tmp_path / "b.csv"),
        "--station",
        "57511",
        "--on-conflict",
        "fail",
        "--reject-file",
        str(tmp_path / "r.csv"),
        expect=1,
    )
    assert "1 rows differ from stored records: line 5" in result.stderr
    assert "nothing was stored" in result.stderr
    listed = seeded.json("list", "weather")
    assert [r["t_mean"] for r in listed] == [10.0]


def test_unknown_station_and_bad_file(seeded: Invoker, tmp_path: Path) -> None:
    f = hourly(tmp_path / "a.csv")
    assert (
        "no station '99999'"
        in seeded("import", "weather", str(f), "--station", "99999", expect=1).stderr
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("a;b\n1;2\n", encoding="utf-8")
    out = seeded("import", "weather", str(bad), "--station", "57511", expect=1)
    assert out.stderr.startswith("Error:")


def test_observations_sheet(seeded: Invoker, tmp_path: Path) -> None:
    f = tmp_path / "phen.csv"
    f.write_text(
        "观测株,观测日期,发育期\nA-01,2024-12-20,FLS\nA-02,2024-13-01,FLS\n", encoding="utf-8"
    )
    out = seeded.json(
        "import",
        "observations",
        str(f),
        "--kind",
        "phenology",
        "--reject-file",
        str(tmp_path / "r.csv"),
        expect=3,
    )
    assert (out["stored"], out["refused"]) == (1, 1)
    assert len(seeded.json("list", "phenology")) == 1


def test_field_sheet_kind_inferred_from_its_headers(seeded, tmp_path):
    sheet = tmp_path / "sheet-2024.csv"
    sheet.write_text(
        "观测株,观测日期,发育期\nA-01,2024-12-05,FLS\nA-02,2024-12-06,FLS\n", encoding="utf-8"
    )
    out = seeded.json("import", "observations", str(sheet))
    assert out["stored"] == 2
    ambiguous = tmp_path / "dates.csv"
    ambiguous.write_text("观测日期,备注\n2024-12-05,x\n", encoding="utf-8")
    result = seeded("import", "observations", str(ambiguous), expect=1)
    assert "cannot tell the record kind" in result.stderr


def test_weather_xlsx_and_a_refused_station_leave_only_the_xlsx_days(
    seeded: Invoker, tmp_path: Path
) -> None:
    f = hourly(tmp_path / "aws.csv", hours=48)
    book = tmp_path / "aws.xlsx"
    pd.read_csv(f, dtype=str).to_excel(book, index=False)
    imported = seeded.json("import", "weather", str(book), "--station", "57511", expect=None)
    assert counts(imported) == (
        48,
        48,
        0,
        0,
        2,
    )
    wrong = seeded("import", "weather", str(f), "--station", "99999", expect=1)
    assert "Error:" in wrong.stderr and "Traceback" not in wrong.stderr
    listed = seeded.json("list", "weather")
    assert len(listed) == 2  # the two days of the XLSX file; nothing from the refused run


def _batches(db: str) -> list[tuple[object, ...]]:
    import sqlite3

    with sqlite3.connect(db) as c:
        return c.execute(
            "SELECT status, rows_read, stored FROM import_batch ORDER BY id"
        ).fetchall()


@pytest.mark.parametrize("stamp", ["0000-01-01 00:00", "0001-01-01 00:10", "9999-12-31 23:50"])
def test_timestamp_at_the_ends_of_the_calendar_is_a_refused_row(
    seeded: Invoker, tmp_path: Path, stamp: str
) -> None:
    f = hourly(tmp_path / "a.csv")
    frame = pd.read_csv(f, dtype=str)
    frame.loc[10, "时间"] = stamp
    frame.to_csv(f, index=False)
    rej = tmp_path / "r.csv"
    result = seeded(
        "import", "weather", str(f), "--station", "57511", "--reject-file", str(rej), expect=None
    )
    # refused rows: a warning (exit 3 once the exit code for refused rows is in, issue 12.10)
    assert result.exit_code in (0, 3), result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr
    rejects = pd.read_csv(rej, encoding="utf-8-sig", dtype=str)
    assert rejects["line"].tolist() == ["12"]
    assert stamp in rejects["reason"][0]
    assert (
        "outside the years 1800–9998" in rejects["reason"][0]
        or "not understood" in (rejects["reason"][0])
    )
    assert _batches(seeded.db) == [("done", 24, 23)]


def test_daily_date_outside_the_years_is_a_refused_row(seeded: Invoker, tmp_path: Path) -> None:
    f = tmp_path / "d.csv"
    f.write_text(
        "日期,最高气温,最低气温\n2024-03-01,15.2,6.1\n0001-01-01,14.0,3.0\n", encoding="utf-8"
    )
    rej = tmp_path / "r.csv"
    result = seeded(
        "import", "weather", str(f), "--station", "57511", "--reject-file", str(rej), expect=None
    )
    assert result.exit_code in (0, 3), result.stderr
    assert "outside the years 1800–9998" in rej.read_text(encoding="utf-8-sig")
    assert _batches(seeded.db) == [("done", 2, 1)]


def test_ragged_field_sheet_leaves_the_database_as_it_was(seeded: Invoker, tmp_path: Path) -> None:
    from tests.conftest import table_dump

    f = tmp_path / "phen.csv"
    f.write_text(
        "观测株,观测日期,发育期\nA-01,2024-12-20,FLS\nA-02,2024-12-21,FLS,x\n", encoding="utf-8"
    )
    before = table_dump(f"sqlite:///{seeded.db}")
    out = seeded("import", "observations", str(f), "--kind", "phenology", expect=1)
    assert "Expected 3 fields in line 3, saw 4" in out.stderr
    assert out.stderr.startswith("Error:") and "Hint:" in out.stderr
    assert table_dump(f"sqlite:///{seeded.db}") == before


def _dup_daily(path: Path) -> Path:
    path.write_text(
        "日期,最高气温,最低气温\n2024-03-01,15.2,6.1\n2024-03-02,14.0,3.0\n2024-03-01,15.2,6.1\n",
        encoding="utf-8",
    )
    return path


def _dup_hour(path: Path) -> Path:
    f = hourly(path)
    frame = pd.read_csv(f, dtype=str)
    pd.concat([frame, frame.iloc[[3]]]).to_csv(f, index=False)
    return f


def _h24(path: Path) -> Path:
    path.write_text(
        "时间,气温\n2024-03-01 22:00,10\n2024-03-01 23:00,10\n2024-03-01 24:00,10\n"
        "2024-03-02 00:00,10\n2024-03-02 01:00,10\n",
        encoding="utf-8",
    )
    return path


def _dup_daily_one_refused(path: Path) -> Path:
    """The date twice, the second row with a cell that is not a number (issue 13 point 10)."""
    path.write_text(
        "日期,最高气温,最低气温\n2024-03-01,15.2,6.1\n2024-03-02,14.0,3.0\n2024-03-01,abc,6.1\n",
        encoding="utf-8",
    )
    return path


def _dup_hour_one_refused(path: Path) -> Path:
    f = hourly(path)
    frame = pd.read_csv(f, dtype=str)
    extra = frame.iloc[[3]].assign(相对湿度="140")  # outside the hard limits: a refused row
    pd.concat([frame, extra]).to_csv(f, index=False)
    return f


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (_dup_hour, "appears twice: lines 5 and 26"),
        (_dup_daily, "date 2024-03-01 appears twice: lines 2 and 4"),
        (_h24, "appears twice: lines 4 and 5"),
        (_dup_daily_one_refused, "date 2024-03-01 appears twice: lines 2 and 4"),
        (_dup_hour_one_refused, "appears twice: lines 5 and 26"),
    ],
)
def test_weather_file_refused_whole_leaves_the_database_as_it_was(
    seeded: Invoker, tmp_path: Path, make: object, said: str
) -> None:
    from tests.conftest import table_dump

    f = make(tmp_path / "w.csv")  # type: ignore[operator]
    before = table_dump(f"sqlite:///{seeded.db}")
    rej = str(tmp_path / "r.csv")
    out = seeded("import", "weather", str(f), "--station", "57511", "--reject-file", rej, expect=1)
    assert said in out.stderr and "Hint:" in out.stderr
    assert table_dump(f"sqlite:///{seeded.db}") == before
