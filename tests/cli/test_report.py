"""``obs report season|year`` in every format, charts, and ``obs demo`` end to end."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from cli.main import app
from obs.demo import build_demo

ENV = {"COLUMNS": "200", "NO_COLOR": "1"}
SEASON_SECTIONS = [
    "bloom",
    "weather_monthly",
    "indices",
    "weather_stages",
    "chilling",
    "disasters",
    "pests",
    "growth_status",
    "growth",
    "yield",
    "fieldwork",
    "appraisal",
    "completeness",
]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path, seasons=2, seed=3)
    return path


def obs(*args: str, expect: int = 0, env: dict[str, str] | None = None) -> Any:
    result = CliRunner().invoke(app, list(args), env={**ENV, **(env or {})})
    assert result.exit_code == expect, (result.stdout, result.stderr, result.exception)
    return result


def test_season_json_is_a_document(demo_db: Path) -> None:
    doc = json.loads(
        obs(
            "--db",
            str(demo_db),
            "report",
            "season",
            "2024/25",
            "--station",
            "57511",
            "--format",
            "json",
        ).stdout
    )
    assert [s["id"] for s in doc["sections"]] == SEASON_SECTIONS
    assert doc["header"]["marked_plants"] == 10
    assert doc["sections"][0]["columns"][:3] == ["plot", "cultivar", "stage"]


def test_season_markdown_has_section_titles(demo_db: Path) -> None:
    out = obs(
        "--db", str(demo_db), "report", "season", "2024", "--format", "md", "--lang", "en"
    ).stdout
    for title in (
        "## Bloom timeline",
        "## Weather by month",
        "## Chilling before first bloom",
        "## Agromet disasters",
        "## Completeness",
    ):
        assert title in out


def test_year_table_in_terminal(demo_db: Path) -> None:
    out = obs("--db", str(demo_db), "--lang", "zh", "report", "year", "2024").stdout
    assert "自然物候观测记录（农气表-3）" in out and "逐月气候概况" in out


def test_year_csv_sections(demo_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "y.csv"
    obs("--db", str(demo_db), "report", "year", "2024", "-f", "csv", "-o", str(target))
    raw = target.read_bytes()
    assert raw.startswith("\ufeff".encode())  # a zh report file carries the BOM (Excel)
    titles = [line for line in raw.decode("utf-8-sig").splitlines() if line.startswith("# ")]
    assert titles[0] == "# header" and "# climate: 逐月气候概况" in titles
    plain = tmp_path / "plain.csv"
    obs("--db", str(demo_db), "report", "year", "2024", "-f", "csv", "-o", str(plain), "--no-bom")
    assert plain.read_bytes().startswith(b"# header")
    out = obs("--db", str(demo_db), "report", "year", "2024", "-f", "csv")
    assert out.stdout.startswith("# header")  # stdout never has a BOM


def test_csv_to_a_folder_or_zip_writes_one_file_per_section(demo_db: Path, tmp_path: Path) -> None:
    import zipfile

    folder = tmp_path / "year2024"
    obs("--db", str(demo_db), "report", "year", "2024", "-f", "csv", "-o", str(folder))
    names = sorted(p.name for p in folder.iterdir())
    assert names[0] == "00_header.csv" and "10_climate.csv" in names
    climate = (folder / "10_climate.csv").read_text(encoding="utf-8-sig")
    assert climate.splitlines()[0].startswith("month,t_mean,")
    archive = tmp_path / "year.zip"
    obs("--db", str(demo_db), "report", "year", "2024", "-f", "csv", "-o", str(archive), "--bom")
    with zipfile.ZipFile(archive) as z:
        assert sorted(z.namelist()) == names


def test_xlsx_has_one_sheet_per_section(demo_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "s.xlsx"
    obs("--db", str(demo_db), "report", "season", "2024", "-f", "xlsx", "-o", str(target))
    book = load_workbook(target)
    assert len(book.sheetnames) == 1 + len(SEASON_SECTIONS) + 1  # header, sections, chart
    assert book.sheetnames[:2] == ["表头", "花期进程"]
    assert book["花期进程"]["C1"].value == "发育期"


def test_pdf_needs_output_at_a_terminal_and_writes_a4_pages(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PdfReader

    redirected = obs("--db", str(demo_db), "report", "year", "2024", "-f", "pdf")
    assert redirected.stdout_bytes.startswith(b"%PDF-")  # `> y.pdf` works
    monkeypatch.setattr("cli.commands.report.stdout_is_terminal", lambda: True)
    refused = obs("--db", str(demo_db), "report", "year", "2024", "-f", "pdf", expect=2)
    assert "--output" in refused.stderr
    target = tmp_path / "y.pdf"
    obs("--db", str(demo_db), "report", "year", "2024", "-f", "pdf", "-o", str(target))
    reader = PdfReader(target)
    assert len(reader.pages) >= 3
    assert round(float(reader.pages[0].mediabox.width)) == 842


def test_html_is_self_contained_with_embedded_chart(demo_db: Path, tmp_path: Path) -> None:
    page, chart = tmp_path / "s.html", tmp_path / "s.png"
    obs(
        "--db",
        str(demo_db),
        "report",
        "season",
        "2024",
        "-f",
        "html",
        "-o",
        str(page),
        "--chart",
        str(chart),
    )
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and text.count("<html") == 1
    assert "<svg" in text and "<style>" in text
    for external in ("<link", "<script", "src=", "url(http", "<img"):
        assert external not in text
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("fmt", ["html", "xlsx"])
def test_binary_formats_need_output_at_a_terminal(
    demo_db: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cli.commands.report.stdout_is_terminal", lambda: True)
    result = obs("--db", str(demo_db), "report", "season", "2024", "-f", fmt, expect=2)
    assert "--output" in result.stderr and result.stdout == ""


@pytest.mark.parametrize(("fmt", "magic"), [("html", b"<!DOCTYPE html>"), ("xlsx", b"PK")])
def test_binary_formats_go_to_stdout_when_it_is_not_a_terminal(
    demo_db: Path, fmt: str, magic: bytes
) -> None:
    # obs report season 2024 --format html > r.html
    result = obs("--db", str(demo_db), "report", "season", "2024", "-f", fmt)
    assert result.stdout_bytes.startswith(magic)


@pytest.mark.parametrize(("suffix", "magic"), [("png", b"\x89PNG"), ("svg", b"<?xml")])
def test_chart_files_are_valid_and_non_trivial(
    demo_db: Path, tmp_path: Path, suffix: str, magic: bytes
) -> None:
    chart = tmp_path / f"year.{suffix}"
    obs(
        "--db",
        str(demo_db),
        "report",
        "year",
        "2024",
        "-f",
        "json",
        "-o",
        str(tmp_path / "y.json"),
        "--chart",
        str(chart),
    )
    data = chart.read_bytes()
    assert data.startswith(magic) and len(data) > 30_000
    if suffix == "svg":
        assert b"<svg" in data and b"</svg>" in data


def test_chart_refuses_other_suffixes(demo_db: Path, tmp_path: Path) -> None:
    result = obs(
        "--db",
        str(demo_db),
        "report",
        "season",
        "2024",
        "-f",
        "json",
        "--chart",
        str(tmp_path / "c.gif"),
        expect=2,
    )
    assert ".png or .svg" in result.stderr


def test_unknown_station_is_an_error(demo_db: Path) -> None:
    result = obs("--db", str(demo_db), "report", "season", "2024", "--station", "99999", expect=1)
    assert "no station '99999'" in result.stderr


def test_demo_end_to_end(tmp_path: Path) -> None:
    target = tmp_path / "obs-demo.db"
    result = obs("demo", "--path", str(target), "--seasons", "2", "--lang", "en")
    assert "Bloom timeline" in result.stdout and "FREEZE" not in result.stdout
    assert "Freeze injury" in result.stdout
    assert f"obs --db {target} report year 2024" in result.stderr
    again = obs("demo", "--path", str(target), "--seasons", "1")
    assert "2024/25" in again.stdout


def test_demo_refuses_a_file_that_is_not_a_demo(tmp_path: Path) -> None:
    other = tmp_path / "mine.db"
    other.write_bytes(b"precious")
    result = obs("demo", "--path", str(other), expect=1)
    assert "not an obs demo database" in result.stderr
    assert other.read_bytes() == b"precious"


def test_year_lang_after_the_command_translates_the_header(demo_db: Path) -> None:
    out = obs("--db", str(demo_db), "report", "year", "2024", "--lang", "en").stdout
    assert "Cultivars: SUXIN Concolor wintersweet" in out
    assert "素心蜡梅" not in out and "Monthly climate summary" in out


def test_terminal_tables_keep_dates_and_codes_whole(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from rich.cells import cell_len

    from cli.commands.report import terminal_text
    from obs.db import make_engine, session_scope
    from obs.reports import season_report

    engine = make_engine(str(demo_db))
    with session_scope(engine) as session:
        report = season_report(session=session, season=2024, station="57511")
    engine.dispose()
    section = report.section("weather_monthly")
    for width in ("100", "160"):
        monkeypatch.setenv("COLUMNS", width)
        text = terminal_text(report, "zh")
        rows = [line for line in text.splitlines() if line.startswith("│")]
        assert all(cell_len(line) <= int(width) for line in rows)
        cells = {c.strip() for line in rows for c in line.strip("│").split("│")}
        days = [d for d in section.frame["t_max_extreme_date"] if isinstance(d, dt.date)]
        assert days and all(d.isoformat() in cells for d in days)
        assert all(month in cells for month in section.frame["month"])
        assert re.search(r"│ 2024-04 +│ +[-\d.]+ │", text)  # months left, numbers right


def test_listings_fold_at_100_columns_and_write_xlsx_and_pdf(demo_db: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader
    from rich.cells import cell_len

    base = ("--db", str(demo_db))
    narrow = obs(*base, "list", "phenology", "--season", "2024", env={"COLUMNS": "100"})
    lines = [line for line in narrow.stdout.splitlines() if line.startswith("│")]
    assert lines and all(cell_len(line) <= 100 for line in lines)
    assert all(re.search(r"│ +\d+ │ A-\d\d +│ 20\d\d-\d\d-\d\d │", line) for line in lines)
    assert "各行相同，未列出" in narrow.stdout and "质控=9" in narrow.stdout
    wide = obs(*base, "list", "phenology", "--season", "2024", "--wide", env={"COLUMNS": "100"})
    assert "各行相同" not in wide.stdout and "质控" in wide.stdout.splitlines()[2]
    book = tmp_path / "p.xlsx"
    obs(*base, "list", "phenology", "--season", "2024", "-f", "xlsx", "-o", str(book))
    sheet = load_workbook(book).active
    assert sheet.title == "发育期观测" and sheet.freeze_panes == "A2"
    assert sheet.cell(2, 3).number_format == "yyyy-mm-dd"
    pdf = tmp_path / "stages.pdf"
    obs(*base, "stages", "--bloom", "-f", "pdf", "-o", str(pdf))
    assert round(float(PdfReader(pdf).pages[0].mediabox.width)) == 842


def test_forecast_bloom_as_pdf_and_xlsx(tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from obs.demo import build_demo

    db = tmp_path / "six.db"
    build_demo(db)  # six seasons: enough for the forecast's cross-validation
    base = ("--db", str(db), "forecast", "bloom", "--plot", "JG-A", "--season", "2024")
    pdf, book = tmp_path / "fc.pdf", tmp_path / "fc.xlsx"
    obs(*base, "--as-of", "2024-11-20", "-f", "pdf", "-o", str(pdf))
    assert round(float(PdfReader(pdf).pages[0].mediabox.width)) == 842
    obs(*base, "--as-of", "2024-11-20", "-f", "xlsx", "-o", str(book))
    assert load_workbook(book).sheetnames == ["表头", "花期预报", "各情景预报日期", "历年回报检验"]


def test_stage_bloom_table_folds_and_repeats_plot_and_season(demo_db: Path) -> None:
    from rich.cells import cell_len

    for width in (100, 200):
        out = obs("--db", str(demo_db), "stages", "--bloom", env={"COLUMNS": str(width)}).stdout
        lines = out.splitlines()
        assert all(cell_len(line) <= width for line in lines)
        heads = [line for line in lines if line.startswith("┃")]
        assert heads and all("地段" in h and "季" in h for h in heads)
        rows = [line for line in lines if line.startswith("│")]
        dates = re.findall(r"\d{4}-\d{2}-\d{2}", "".join(rows))
        assert dates and all(len(d) == 10 for d in dates)
