"""Field-sheet import: header labels, validation as at entry, idempotence, sheets per kind."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import Engine, text

from obs.db import session_scope
from obs.errors import InputFormatError
from obs.imports import ImportSummary, ObservationImportOptions, import_observations
from tests.conftest import seed_sites


@pytest.fixture
def eng(engine: Engine) -> Engine:
    seed_sites(engine, plants=3)
    return engine


def run(eng: Engine, path: Path, **options: object) -> ImportSummary:
    with session_scope(eng) as s:
        return import_observations(path, session=s, options=ObservationImportOptions(**options))  # type: ignore[arg-type]


def count(eng: Engine, table: str) -> int:
    with eng.connect() as c:
        return int(c.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_zh_headers_validation_and_reimport(eng: Engine, tmp_path: Path) -> None:
    f = tmp_path / "phen.csv"
    f.write_text(
        "观测株,观测日期,发育期,百分率(%)\n"
        "A-01,2024-12-20,FLS,10\n"
        "A-02,2024-12-21,FLS,120\n"  # percent above 100: refused like obs record
        "A-09,2024-12-21,FLS,10\n",  # unknown plant
        encoding="utf-8",
    )
    first = run(eng, f, kind="phenology", reject_path=tmp_path / "r.csv")
    assert (first.rows_read, first.stored, first.refused) == (3, 1, 2)
    rejects = pd.read_csv(tmp_path / "r.csv", encoding="utf-8-sig")
    # the reject file keeps the input's columns plus a reason (it can be fixed and re-imported)
    assert rejects.columns.tolist() == ["观测株", "观测日期", "发育期", "百分率(%)", "reason"]
    assert rejects["观测株"].tolist() == ["A-02", "A-09"]
    assert rejects["reason"][0].startswith("line 3:")
    assert "percent" in rejects["reason"][0] and "no plant 'A-09'" in rejects["reason"][1]
    again = run(eng, f, kind="phenology")
    assert (again.stored, again.unchanged, again.refused) == (0, 1, 2)
    assert count(eng, "phenology") == 1


def test_same_key_other_values_refused(eng: Engine, tmp_path: Path) -> None:
    f = tmp_path / "p.csv"
    f.write_text("plant,obs_date,stage_code,percent\nA-01,2024-12-20,FLS,10\n", encoding="utf-8")
    run(eng, f, kind="phenology")
    f.write_text("plant,obs_date,stage_code,percent\nA-01,2024-12-20,FLS,30\n", encoding="utf-8")
    summary = run(eng, f, kind="phenology")
    assert summary.kept == 1 and summary.stored == 0  # --on-conflict skip (the default)


def test_xlsx_one_sheet_per_kind(eng: Engine, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "phenology"
    sheet.append(["观测株", "观测日期", "发育期"])
    sheet.append(["A-01", "2024-12-20", "FLS"])
    weather = book.create_sheet("逐日气象")
    weather.append(["station", "obs_date", "t_max", "t_min"])
    weather.append(["57511", "2024-12-20", "15.0", "3.0"])
    weather.append(["57511", "2024-12-21", "12.0", "15.0"])  # t_min above t_max: refused
    path = tmp_path / "sheets.xlsx"
    book.save(path)
    summary = run(eng, path, reject_path=tmp_path / "r.csv")
    assert (summary.rows_read, summary.stored, summary.refused) == (3, 2, 1)
    assert (count(eng, "phenology"), count(eng, "daily_weather")) == (1, 1)
    rejects = pd.read_csv(tmp_path / "r.csv", encoding="utf-8-sig")
    assert rejects["sheet"].tolist() == ["逐日气象"] and "above" in rejects["reason"][0]


def test_kind_column_and_unknown_kind(eng: Engine, tmp_path: Path) -> None:
    f = tmp_path / "mixed.csv"
    f.write_text(
        "kind,plant,obs_date,stage_code\nphenology,A-01,2024-12-20,FLS\n", encoding="utf-8"
    )
    assert run(eng, f).stored == 1
    g = tmp_path / "nokind.csv"
    g.write_text("plant,obs_date\nA-01,2024-12-20\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match="cannot tell the record kind"):
        run(eng, g)


def test_missing_required_column(eng: Engine, tmp_path: Path) -> None:
    f = tmp_path / "p.csv"
    f.write_text("plant,obs_date\nA-01,2024-12-20\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match="no column for stage_code"):
        run(eng, f, kind="phenology")


def test_interrupt_says_what_is_committed_and_a_rerun_completes(
    eng: Engine, tmp_path: Path
) -> None:
    from obs.errors import InterruptedImportError
    from obs.imports.observations import COMMIT_ROWS

    n = 3 * COMMIT_ROWS
    f = tmp_path / "w.csv"
    days = pd.date_range("2020-01-01", periods=n, freq="D").strftime("%Y-%m-%d")
    pd.DataFrame({"station": "57511", "obs_date": days, "t_max": "15.0", "t_min": "3.0"}).to_csv(
        f, index=False
    )
    calls: list[int] = []

    def stop_at_the_second_commit(read: int, _estimate: int | None) -> None:
        calls.append(read)
        if len(calls) == 2:
            raise KeyboardInterrupt

    with pytest.raises(InterruptedImportError) as info, session_scope(eng) as s:
        import_observations(
            f,
            session=s,
            options=ObservationImportOptions(kind="weather"),
            progress=stop_at_the_second_commit,
        )
    assert info.value.exit_code == 130
    done = 2 * COMMIT_ROWS
    assert f"interrupted after {done} data rows of w.csv: they are committed ({done} stored" in (
        info.value.message
    )
    assert "run the same command again" in (info.value.hint or "")
    assert count(eng, "daily_weather") == done
    with eng.connect() as c:
        assert c.execute(text("SELECT status, rows_read FROM import_batch")).all() == [
            ("interrupted", done)
        ]
    again = run(eng, f, kind="weather")
    assert (again.unchanged, again.stored) == (done, n - done)
    assert count(eng, "daily_weather") == n
