"""Blank round sheets (obs.rounds.template) read back by the observation importer, and edited
listings imported again with --on-conflict skip|update|fail."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, text

from obs.db import session_scope
from obs.errors import DuplicateError, InputFormatError, ObsError
from obs.imports import ImportSummary, ObservationImportOptions, import_observations
from obs.records.create import create
from obs.records.history import history_chain
from obs.records.listing import columns_of, list_records
from obs.rounds.template import TEMPLATE_KINDS, template_rows, write_template
from tests.conftest import Invoker, seed_sites


@pytest.fixture
def site(engine: Engine) -> Engine:
    seed_sites(engine, plants=3)
    return engine


def sheet(eng: Engine, kind: str, path: Path, fmt: str = "csv", day: str | None = None) -> None:
    with session_scope(eng) as s:
        found, rows = template_rows(s, kind, "JG-A", dt.date.fromisoformat(day) if day else None)
    write_template(path, found, rows, fmt, plot="JG-A")


def run(eng: Engine, path: Path, **options: object) -> ImportSummary:
    with session_scope(eng) as s:
        return import_observations(path, session=s, options=ObservationImportOptions(**options))  # type: ignore[arg-type]


def read(path: Path) -> list[list[str]]:
    return list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))


def write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)


def count(eng: Engine, table: str) -> int:
    with eng.connect() as c:
        return int(c.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_phenology_sheet_filled_in_stores_the_round(site: Engine, tmp_path: Path) -> None:
    path = tmp_path / "round.csv"
    sheet(site, "phenology", path, day="2024-12-20")
    rows = read(path)
    assert rows[0][:4] == [
        "观测地段 [plot]",
        "观测株 [plant]",
        "观测日期 [obs_date]",
        "观测时间 [obs_time]",
    ]
    assert rows[1][0].startswith("# ")  # the example row is a comment
    assert [r[:3] for r in rows[2:]] == [["JG-A", f"A-0{n}", "2024-12-20"] for n in (1, 2, 3)]
    stage, opened = rows[0].index("发育期 [stage_code]"), rows[0].index("开放花数 [flowers_open]")
    rows[2][stage], rows[2][opened] = "FLS", "4"
    rows[3][stage] = "盛花期"  # A-03 left blank: not observed, skipped
    write(path, rows)
    first = run(site, path)
    assert (first.rows_read, first.stored, first.refused) == (2, 2, 0)
    again = run(site, path)
    assert (again.stored, again.unchanged) == (0, 2)
    assert count(site, "phenology") == 2


def test_xlsx_sheet_with_an_example_sheet(site: Engine, tmp_path: Path) -> None:
    path = tmp_path / "round.xlsx"
    sheet(site, "phenology", path, "xlsx", day="2024-12-20")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["phenology", "#示例 example"]
    data = book["phenology"]
    data.cell(row=2, column=5, value="FLS")
    book.save(path)
    summary = run(site, path)
    assert (summary.stored, summary.refused) == (1, 0)


@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_every_kind_has_a_sheet_that_reads_back(site: Engine, tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.csv"
    sheet(site, kind, path, day="2024-12-20")
    summary = run(site, path)  # left blank: nothing to store, nothing refused
    assert (summary.rows_read, summary.stored, summary.refused) == (0, 0, 0)


def test_a_sheet_of_another_plot_is_refused_whole(site: Engine, tmp_path: Path) -> None:
    with session_scope(site) as s:
        create("plot", {"code": "JG-B", "station": "57511", "cultivar": "SUXIN"}, session=s)
    path = tmp_path / "round.csv"
    sheet(site, "phenology", path, day="2024-12-20")
    rows = read(path)
    for row in rows[2:]:
        row[0], row[4] = "JG-B", "FLS"
    write(path, rows)
    with pytest.raises(InputFormatError, match="on plot JG-A, not on the sheet's plot JG-B"):
        run(site, path)
    assert count(site, "phenology") == 0


def test_unknown_and_twice_named_columns_refuse_the_file(site: Engine, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("plant,obs_date,stage_code,colour\nA-01,2024-12-20,FLS,x\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match="unknown column 'colour'"):
        run(site, path, kind="phenology")
    path.write_text("plant,obs_date,stage_code,发育期\nA-01,2024-12-20,FLS,FLS\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match="all name the field stage_code"):
        run(site, path, kind="phenology")
    assert count(site, "phenology") == 0


def listing(eng: Engine, path: Path) -> None:
    with session_scope(eng) as s:
        rows = list_records("phenology", session=s)
    cols = columns_of("phenology")
    write(path, [cols, *[["" if r.get(c) is None else str(r[c]) for c in cols] for r in rows]])


def seed_records(eng: Engine) -> None:
    with session_scope(eng) as s:
        for tag, stage in (("A-01", "FLS"), ("A-02", "FLS"), ("A-03", "FBC")):
            create(
                "phenology",
                {"plant": tag, "obs_date": "2024-12-20", "stage_code": stage, "percent": "10"},
                session=s,
            )


def test_edited_listing_updates_through_amend(site: Engine, tmp_path: Path) -> None:
    seed_records(site)
    path = tmp_path / "phen-edit.csv"
    listing(site, path)
    rows = read(path)
    pct, note = rows[0].index("percent"), rows[0].index("note")
    rows[1][pct] = "15"
    rows[2][note] = "东侧"
    rows[3][pct] = "150"  # refused by the same validation as obs amend
    write(path, rows)
    skip = run(site, path, kind="phenology", reject_path=tmp_path / "r.csv")
    assert (skip.unchanged, skip.kept, skip.refused, skip.updated) == (0, 2, 1, 0)
    with pytest.raises(DuplicateError, match="line 2: phenology #1 is stored with other values"):
        run(site, path, kind="phenology", on_conflict="fail")
    update = run(site, path, kind="phenology", on_conflict="update", reject_path=tmp_path / "r.csv")
    assert (update.updated, update.refused, update.unchanged) == (2, 1, 0)
    with session_scope(site) as s:
        chain = history_chain("phenology", 1, session=s)
        assert chain[-1]["reason"] == "phen-edit.csv" and "percent" in str(chain[-1]["changes"])
        assert [r["percent"] for r in list_records("phenology", session=s)] == [15.0, 10.0, 10.0]
    rejects = read(tmp_path / "r.csv")
    assert rejects[0] == [*columns_of("phenology"), "reason"]
    assert rejects[1][0] == "3" and "percent" in rejects[1][-1]
    again = run(site, path, kind="phenology", on_conflict="update", reason="复核")
    assert (again.updated, again.unchanged, again.refused) == (0, 2, 1)


def test_a_fixed_reject_file_imports_as_it_is(site: Engine, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("观测株,观测日期,发育期,百分率(%)\nA-01,2024-12-20,FLS,120\n", encoding="utf-8")
    rejects = tmp_path / "p.rejects.csv"
    assert run(site, path, reject_path=rejects).refused == 1
    rows = read(rejects)
    assert rows[0] == ["观测株", "观测日期", "发育期", "百分率(%)", "reason"]
    rows[1][3] = "12"
    write(rejects, rows)
    fixed = run(site, rejects)
    assert (fixed.stored, fixed.refused) == (1, 0)


def test_fail_leaves_the_database_as_it_was(site: Engine, tmp_path: Path) -> None:
    seed_records(site)
    path = tmp_path / "p.csv"
    path.write_text(
        "plant,obs_date,stage_code,percent\nA-02,2024-12-21,FLF,50\nA-01,2024-12-20,FLS,99\n",
        encoding="utf-8",
    )
    with pytest.raises(ObsError, match="nothing imported"):
        run(site, path, on_conflict="fail")
    assert count(site, "phenology") == 3 and count(site, "import_batch") == 0


# --- the clerk-ready XLSX listing (obs list … --format xlsx), edited and imported again ----

_PERCENT = {"zh": "百分率(%)", "en": "Percent"}
_STAGE = {"zh": "发育期", "en": "Stage"}


def listed_workbook(invoke: Invoker, tmp_path: Path, lang: str) -> Path:
    """Three phenology records (one with a time, so the sheet has blank cells and the note),
    listed by the real command as a workbook."""
    for tag, stage in (("A-01", "FLS"), ("A-02", "FLS"), ("A-03", "FBC")):
        extra = ["--time", "08:30"] if tag == "A-01" else []
        invoke("record", "phenology", "--plant", tag, "--date", "2024-12-20", "--stage", stage,
               "--percent", "10", "--observer", "王芳", *extra)  # fmt: skip
    path = tmp_path / "ph.xlsx"
    invoke("list", "phenology", "--format", "xlsx", "--output", str(path), "--lang", lang)
    return path


def edit_cell(path: Path, out: Path, record: int, header: str, value: object) -> list[tuple]:
    """Set one cell of the record's row; returns the sheet's rows as written."""
    book = openpyxl.load_workbook(path)
    ws = book.active
    rows = list(ws.iter_rows(values_only=True))
    ids = [r[0] for r in rows]
    ws.cell(row=ids.index(record) + 1, column=rows[0].index(header) + 1, value=value)
    book.save(out)
    return rows


def phenology_rows(db: str) -> dict[int, dict[str, object]]:
    """Every stored column but ``qc`` (the QC run after an import sets its flags)."""
    with sqlite3.connect(db) as c:
        cursor = c.execute("SELECT * FROM phenology ORDER BY id")
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor]
    return {int(r["id"]): {k: v for k, v in r.items() if k != "qc"} for r in rows}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_edited_xlsx_listing_updates_the_one_record(
    seeded: Invoker, tmp_path: Path, lang: str
) -> None:
    path = listed_workbook(seeded, tmp_path, lang)
    edited = tmp_path / "ph-edit.xlsx"
    rows = edit_cell(path, edited, 1, _PERCENT[lang], 15)
    if lang == "zh":  # what the clerk-ready listing writes, all read back
        assert rows[0][:2] == ("序号", "观测株") and "质控" in rows[0]
        assert rows[3][rows[0].index("发育期")] == "FBC 花蕾露色期"
        assert "是" in rows[1] and "9 未检查" in rows[1]
    assert rows[-1][0] in ("空白单元格：无资料或不适用", "Empty cells: no data or not applicable")
    before = phenology_rows(seeded.db)
    result = seeded("import", "observations", str(edited), "--on-conflict", "update",
                    "--format", "json")  # fmt: skip
    summary = json.loads(result.stdout)
    assert (summary["updated"], summary["unchanged"], summary["refused"]) == (1, 2, 0)
    after = phenology_rows(seeded.db)
    assert after[2] == before[2] and after[3] == before[3]  # same updated_at and all
    assert after[2]["updated_at"] is None and after[3]["updated_at"] is None
    assert after[1]["percent"] == 15.0 and after[1]["updated_at"] is not None
    assert {**after[1], "percent": 10.0, "updated_at": None} == before[1]
    history = seeded.json("history", "phenology", "1")
    assert history[-1]["reason"] == "ph-edit.xlsx" and "percent" in str(history[-1]["changes"])
    again = json.loads(seeded("import", "observations", str(edited), "--on-conflict", "update",
                              "--format", "json").stdout)  # fmt: skip
    assert (again["updated"], again["unchanged"]) == (0, 3)


@pytest.mark.parametrize("bad", ["FBC 盛花期", "FBC花蕾露色期", "XYZ 花蕾露色期"])
def test_a_bad_cell_in_an_xlsx_listing_is_refused_row_by_row(
    seeded: Invoker, tmp_path: Path, bad: str
) -> None:
    path = listed_workbook(seeded, tmp_path, "zh")
    edited = tmp_path / "ph-edit.xlsx"
    edit_cell(path, edited, 3, _STAGE["zh"], bad)
    edit_cell(edited, edited, 2, _PERCENT["zh"], 150)
    before = phenology_rows(seeded.db)
    rejects = tmp_path / "ph-edit.rejects.csv"
    result = seeded("import", "observations", str(edited), "--on-conflict", "update",
                    "--reject-file", str(rejects), expect=3)  # fmt: skip
    assert "Error:" not in result.stderr
    assert phenology_rows(seeded.db) == before
    refused = read(rejects)
    assert refused[0][:2] == ["序号", "观测株"] and refused[0][-1] == "reason"
    assert [r[0] for r in refused[1:]] == ["2", "3"]
    assert "percent" in refused[1][-1]
    assert "stage_code" in refused[2][-1] and "is not a known code of stages" in refused[2][-1]


def test_coded_cells_read_as_the_listing_shows_them() -> None:
    from obs.imports.stored_rows import row_values
    from schemas.kinds import KINDS

    kind = KINDS["disaster"]
    columns = {0: "affected_organs", 1: "note"}
    assert row_values(kind, columns, ["flower 花, bud flower bud", "flower 花"]) == {
        "affected_organs": "flower,bud",
        "note": "flower 花",  # not a coded field: kept as written
    }
    for left in ("flower 叶", "flower花", "花", "flower", "x 花"):  # to the parser as written
        assert row_values(kind, columns, [left, ""])["affected_organs"] == left
