"""``obs report season|year`` in every format, charts, and ``obs demo`` end to end."""

from __future__ import annotations

import json
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


def obs(*args: str, expect: int = 0) -> Any:
    result = CliRunner().invoke(app, list(args), env=ENV)
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
    titles = [
        line for line in target.read_text(encoding="utf-8").splitlines() if line.startswith("# ")
    ]
    assert titles[0] == "# header" and "# climate: 逐月气候概况" in titles


def test_xlsx_has_one_sheet_per_section(demo_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "s.xlsx"
    obs("--db", str(demo_db), "report", "season", "2024", "-f", "xlsx", "-o", str(target))
    book = load_workbook(target)
    assert book.sheetnames == ["header", *SEASON_SECTIONS]
    assert book["bloom"]["C1"].value == "发育期"


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


def test_terminal_tables_keep_dates_and_codes_whole(demo_db: Path) -> None:
    import datetime as dt
    import io

    from rich.console import Console

    from cli.commands.report import section_table
    from obs.db import make_engine, session_scope
    from obs.reports import season_report

    engine = make_engine(str(demo_db))
    with session_scope(engine) as session:
        report = season_report(session=session, season=2024, station="57511")
    engine.dispose()
    section = report.section("weather_monthly")
    table = section_table(section, "zh")
    columns = dict(zip(section.frame.columns, table.columns, strict=True))
    assert columns["month"].no_wrap and columns["t_max_extreme_date"].no_wrap
    assert columns["t_mean"].justify == "right" and columns["rain_days"].justify == "right"
    assert columns["month"].justify == "left"
    console = Console(file=io.StringIO(), width=160, color_system=None)
    console.print(table)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    days = [d for d in section.frame["t_max_extreme_date"] if isinstance(d, dt.date)]
    assert days and all(d.isoformat() in text for d in days)
    assert all(month in text for month in section.frame["month"])
