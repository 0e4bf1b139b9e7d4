"""Season and year reports on the deterministic demo database (seed 1, 3 seasons).

Golden files in tests/obs/reports/expected/ are compared exactly; regenerate them with
``pytest --update-golden`` after a deliberate change. Hand checks recompute a few printed
numbers straight from the stored rows.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text
from sqlmodel import Session

from obs.db import make_engine, session_scope
from obs.demo import build_demo
from obs.reports import Report, season_report, to_csv, to_json, to_markdown, year_report

EXPECTED = Path(__file__).parent / "expected"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path, seasons=3, seed=1)
    return path


@pytest.fixture
def demo_session(demo_db: Path) -> Iterator[Session]:
    engine = make_engine(str(demo_db))
    with session_scope(engine) as session:
        yield session
    engine.dispose()


@pytest.fixture(scope="module")
def reports(demo_db: Path) -> dict[str, Report]:
    engine = make_engine(str(demo_db))
    with session_scope(engine) as session:
        out = {
            "season": season_report(session=session, season=2024, station="57511"),
            "year": year_report(session=session, year=2024, station="57511"),
        }
    engine.dispose()
    return out


def check_golden(request: pytest.FixtureRequest, name: str, actual: str) -> None:
    path = EXPECTED / name
    if request.config.getoption("--update-golden"):
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run pytest --update-golden"
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.mark.parametrize(
    ("kind", "lang"), [("season", "zh"), ("season", "en"), ("year", "zh"), ("year", "en")]
)
def test_markdown_matches_golden(
    request: pytest.FixtureRequest, reports: dict[str, Report], kind: str, lang: str
) -> None:
    check_golden(request, f"{kind}_2024_{lang}.md", to_markdown(reports[kind], lang))  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["season", "year"])
def test_json_matches_golden(
    request: pytest.FixtureRequest, reports: dict[str, Report], kind: str
) -> None:
    check_golden(request, f"{kind}_2024.json", to_json(reports[kind]))


def test_season_sections_in_order(reports: dict[str, Report]) -> None:
    ids = [s.id for s in reports["season"].sections]
    assert ids == [
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


def test_year_sections_in_order(reports: dict[str, Report]) -> None:
    ids = [s.id for s in reports["year"].sections]
    assert ids == [
        "plot",
        "stages",
        "growth",
        "yield",
        "disasters",
        "pests",
        "fieldwork",
        "weather_stages",
        "phenology",
        "climate",
        "indices",
        "appraisal",
        "completeness",
    ]


def _month_rows(report: Report, section: str) -> dict[str, dict[str, object]]:
    frame = report.section(section).frame
    return {row["month"]: row for row in frame.to_dict("records")}


def test_january_mean_temperature_by_hand(
    reports: dict[str, Report], demo_session: Session
) -> None:
    values = (
        demo_session.execute(
            text(
                "SELECT t_mean FROM daily_weather WHERE obs_date BETWEEN '2025-01-01' AND "
                "'2025-01-31'"
            )
        )
        .scalars()
        .all()
    )
    assert len(values) == 31
    row = _month_rows(reports["season"], "weather_monthly")["2025-01"]
    assert row["t_mean"] == round(statistics.fmean(values), 1)


def test_july_precipitation_and_rain_days_by_hand(
    reports: dict[str, Report], demo_session: Session
) -> None:
    values = (
        demo_session.execute(
            text(
                "SELECT precip FROM daily_weather WHERE obs_date BETWEEN '2024-07-01' AND "
                "'2024-07-31'"
            )
        )
        .scalars()
        .all()
    )
    row = _month_rows(reports["year"], "climate")["2024-07"]
    assert row["precip"] == round(sum(values), 1)
    assert row["rain_days"] == sum(v >= 0.1 for v in values)


def test_freeze_cold_spell_is_the_season_minimum(reports: dict[str, Report]) -> None:
    total = _month_rows(reports["season"], "weather_monthly")["2024/25"]
    assert total["t_min_extreme"] == -4.1
    assert total["t_min_extreme_date"] == dt.date(2025, 1, 10)
    disasters = reports["season"].section("disasters").frame
    assert disasters["disaster"].tolist() == ["FREEZE"]
    assert disasters["start"].tolist() == [dt.date(2025, 1, 9)]


def test_first_flowering_general_date_by_hand(
    reports: dict[str, Report], demo_session: Session
) -> None:
    # 普遍期 = the day the 5th of the 10 marked plants reaches FLS (≥ 50 %, §2.2).
    firsts = sorted(
        demo_session.execute(
            text(
                "SELECT MIN(obs_date) FROM phenology WHERE stage_code = 'FLS' AND obs_date "
                "BETWEEN '2024-04-01' AND '2025-03-31' GROUP BY plant_id"
            )
        )
        .scalars()
        .all()
    )
    assert len(firsts) == 10
    bloom = reports["season"].section("bloom").frame.set_index("stage")
    assert bloom.loc["FLS", "general_date"] == dt.date.fromisoformat(str(firsts[4]))
    assert bloom.loc["FLS", "start_date"] == dt.date.fromisoformat(str(firsts[0]))


def test_chilling_uses_observed_hourly_data(reports: dict[str, Report]) -> None:
    chill = reports["season"].section("chilling")
    assert set(chill.frame.loc[chill.frame["index"] != "chill_days_tmean_le7", "source"]) == {
        "observed hourly"
    }
    assert chill.frame["start"].iloc[0] == dt.date(2024, 10, 1)
    assert any("按小时平均" in n for n in chill.notes_zh)


def test_chilling_falls_back_to_daily_without_hourly(demo_session: Session) -> None:
    report = season_report(session=demo_session, season=2023, station="57511")
    chill = report.section("chilling")
    assert "hourly from daily (Linvill)" in set(chill.frame["source"])
    assert any("Linvill" in n for n in chill.notes_en)


def test_completeness_names_missing_days(demo_session: Session) -> None:
    demo_session.execute(
        text(
            "DELETE FROM daily_weather WHERE obs_date IN ('2024-06-01', '2024-06-02', '2024-06-05')"
        )
    )
    report = season_report(session=demo_session, season=2024, station="57511")
    frame = report.section("completeness").frame.set_index("element")
    assert frame.loc["t_mean", "days_present"] == 362
    assert frame.loc["t_mean", "missing"] == "2024-06-01…2024-06-02, 2024-06-05"
    assert "缺3天" in report.section("completeness").notes_zh[0]
    demo_session.rollback()


def test_phenology_table_one_row_per_cultivar(reports: dict[str, Report]) -> None:
    frame = reports["year"].section("phenology").frame
    assert frame["cultivar"].tolist() == ["SUXIN"]
    assert {"fls", "flf", "lbs"} <= set(frame.columns)


def test_csv_has_a_title_line_per_section(reports: dict[str, Report]) -> None:
    text_ = to_csv(reports["season"], "en")
    titles = [line for line in text_.splitlines() if line.startswith("# ")]
    assert titles[0] == "# header"
    assert len(titles) == 1 + len(reports["season"].sections)


def test_json_document_shape(reports: dict[str, Report]) -> None:
    doc = json.loads(to_json(reports["season"]))
    assert doc["header"]["marked_plants"] == 10
    bloom = doc["sections"][0]
    assert bloom["id"] == "bloom" and bloom["rows"][1]["stage"] == "FLS"


def test_hourly_means_of_ten_minute_records(tmp_path: Path) -> None:
    # Six 10-minute values stamped 00:10…01:00 UTC form the hour ending 01:00 UTC = 09:00 BT;
    # their mean is (1+2+3+4+5+6)/6 = 3.5 °C. The next hour has 7…12 -> 9.5 °C.
    from obs.db import upgrade
    from obs.records.create import create
    from obs.reports.reads import hourly_temperature
    from schemas import tables as T

    engine = make_engine(str(tmp_path / "h.db"))
    upgrade(engine)
    base = int(dt.datetime(2024, 12, 1, tzinfo=dt.UTC).timestamp())
    with session_scope(engine) as session:
        station = create(
            "station",
            {"code": "57511", "name": "x", "latitude": "29.8", "longitude": "106.4"},
            session=session,
        )
        station_id = int(station.row["id"])
        session.add_all(
            [
                T.SubDailyWeather(station_id=station_id, ts=base + 600 * n, t=float(n))
                for n in range(1, 13)
            ]
        )
        session.flush()
        hourly = hourly_temperature(session, station_id, dt.date(2024, 12, 1), dt.date(2024, 12, 1))
    engine.dispose()
    assert hourly.to_dict() == {
        pd.Timestamp("2024-12-01 09:00"): 3.5,
        pd.Timestamp("2024-12-01 10:00"): 9.5,
    }


def _single(dates: dict[str, str], season: int = 2024) -> pd.DataFrame:
    rows = [
        {"plot": "JG-A", "cultivar": "SUXIN", "season": season, "stage": stage, "date": day}
        for stage, day in dates.items()
    ]
    frame = pd.DataFrame(rows)
    frame["date"] = [dt.date.fromisoformat(d) for d in frame["date"]]
    return frame


def test_stage_intervals_follow_the_chains_flower_first() -> None:
    from obs.reports.stage_tables import intervals

    # Stages interleave in date order; intervals must follow each chain (§ stage order rules).
    single = _single(
        {
            "FBV": "2024-08-05", "LCS": "2024-10-23", "LCF": "2024-11-05",
            "LFS": "2024-11-12", "FBC": "2024-11-24", "FLS": "2024-12-08",
            "LFE": "2024-12-22", "FLF": "2024-12-28", "FLE": "2025-02-04",
            "LBS": "2025-02-25", "LBB": "2025-03-04",
        }
    )  # fmt: skip
    pairs = [(a, b) for _, _, a, b, _, _ in intervals(single)]
    assert pairs == [
        ("FBV", "FBC"), ("FBC", "FLS"), ("FLS", "FLF"), ("FLF", "FLE"), ("FLS", "FLE"),
        ("LBS", "LBB"), ("LCS", "LCF"), ("LFS", "LFE"),
    ]  # fmt: skip
    whole = intervals(single)[4]
    assert (whole[4], whole[5]) == (dt.date(2024, 12, 8), dt.date(2025, 2, 4))


def test_stage_intervals_skip_undated_and_same_day_stages() -> None:
    from obs.reports.stage_tables import intervals

    # No FBC and no FLF: FBV→FLS, then FLS→FLE once (the chain step is the whole bloom).
    # LUS on the LBB day gives no zero-day span; LBB→LUF follows.
    single = _single(
        {
            "FBV": "2024-08-05", "FLS": "2024-12-08", "FLE": "2025-02-04",
            "LBB": "2025-03-04", "LUS": "2025-03-04", "LUF": "2025-03-20",
        }
    )  # fmt: skip
    pairs = [(a, b) for _, _, a, b, _, _ in intervals(single)]
    assert pairs == [("FBV", "FLS"), ("FLS", "FLE"), ("LBB", "LUF")]


def test_stage_intervals_keep_seasons_apart() -> None:
    from obs.reports.stage_tables import intervals

    # A calendar year holds the end of one season's bloom and the start of the next one's.
    single = pd.concat(
        [
            _single({"FLF": "2024-01-02", "FLE": "2024-02-01"}, season=2023),
            _single({"FBC": "2024-11-24", "FLS": "2024-12-08"}, season=2024),
        ]
    )
    spans = intervals(single)
    assert [(a, b) for _, _, a, b, _, _ in spans] == [("FLF", "FLE"), ("FBC", "FLS")]


def test_season_stage_table_has_the_whole_bloom(reports: dict[str, Report]) -> None:
    frame = reports["season"].section("weather_stages").frame
    bloom = frame[(frame["from_stage"] == "FLS") & (frame["to_stage"] == "FLE")].iloc[0]
    stages = reports["season"].section("bloom").frame.set_index("stage")
    # From the day after FLS (§10.4) to FLE, both general dates.
    assert bloom["start"] == stages.loc["FLS", "general_date"] + dt.timedelta(days=1)
    assert bloom["end"] == stages.loc["FLE", "general_date"]
    assert bloom["n_days"] == (bloom["end"] - bloom["start"]).days + 1


def test_appraisal_numbers_match_the_stored_rows(
    reports: dict[str, Report], demo_session: Session
) -> None:
    facts = reports["season"].section("appraisal").frame.set_index("index")
    fbc, fle = facts.loc["freeze_days", "start"], facts.loc["freeze_days", "end"]
    stages = reports["season"].section("bloom").frame.set_index("stage")
    assert (fbc, fle) == (stages.loc["FBC", "general_date"], stages.loc["FLE", "general_date"])
    cold = demo_session.execute(
        text("SELECT COUNT(*) FROM daily_weather WHERE t_min <= -3 AND obs_date BETWEEN :a AND :b"),
        {"a": fbc.isoformat(), "b": fle.isoformat()},
    ).scalar_one()
    assert facts.loc["freeze_days", "value"] == cold == 2
    fls = stages.loc["FLS", "general_date"]
    assert facts.loc["bloom_days", "value"] == (fle - fls).days
    assert any(
        f"bloom lasted {(fle - fls).days} days" in n
        for n in reports["season"].section("bloom").notes_en
    )
    hot = demo_session.execute(
        text(
            "SELECT COUNT(*) FROM daily_weather WHERE t_max >= 35 "
            "AND obs_date BETWEEN '2024-06-01' AND '2024-08-31'"
        )
    ).scalar_one()
    assert facts.loc["heat_days", "value"] == hot
    # The year report appraises season 2024/25 (its summer is in the year): same facts.
    year = reports["year"].section("appraisal").frame
    assert year.equals(reports["season"].section("appraisal").frame)


# --- review fixes ----------------------------------------------------------------------------


def test_effective_accumulated_temperature_is_that_of_section_10_4(
    reports: dict[str, Report], demo_session: Session
) -> None:
    # §10.4: effective = Σ (T − 10) over days with T > 10, T the daily mean; not GDD.
    means = (
        demo_session.execute(
            text(
                "SELECT t_mean FROM daily_weather WHERE obs_date BETWEEN '2024-04-01' AND "
                "'2024-04-30'"
            )
        )
        .scalars()
        .all()
    )
    row = _month_rows(reports["season"], "weather_monthly")["2024-04"]
    assert row["effective_gt10"] == round(sum(t - 10.0 for t in means if t > 10.0), 1)
    assert row["active_ge10"] == round(sum(t for t in means if t >= 10.0), 1)
    for report, section in (
        (reports["season"], "weather_monthly"),
        (reports["season"], "weather_stages"),
        (reports["year"], "weather_stages"),
        (reports["year"], "climate"),
    ):
        sec = report.section(section)
        assert "effective_gt10" in sec.frame.columns and "gdd" not in sec.frame.columns
        label = dict(zip(sec.frame.columns, sec.labels("zh"), strict=True))["effective_gt10"]
        assert label == "有效积温(>10℃)"
    from obs.reports.labels import column_label

    assert column_label("effective_gt10", "en") == "Effective accum. temp. >10 °C"
    assert column_label("gdd", "zh") == "生长度日 GDD ((Tmax+Tmin)/2−10)"


def test_months_without_data_show_no_totals(demo_session: Session) -> None:
    # The demo's weather ends on 2025-03-31: April–December 2025 have no day at all.
    report = year_report(session=demo_session, year=2025, station="57511")
    months = _month_rows(report, "climate")
    empty = months["2025-04"]
    assert empty["days_present"] == 0
    for column in (
        "precip", "rain_days", "sunshine", "active_ge0", "effective_gt10", "frost_days",
        "hot_days", "dry_spell_days", "t_mean",
    ):  # fmt: skip
        assert empty[column] is None or pd.isna(empty[column]), column
    assert months["2025-03"]["precip"] is not None and months["2025-03"]["rain_days"] >= 0
    md = to_markdown(report, "zh")
    april = next(line for line in md.splitlines() if line.startswith("| 2025-04 "))
    cells = [c.strip() for c in april.strip("|").split("|")]
    assert "0.0" not in cells and cells.count("0") == 1  # only 有资料日数 is 0
    # The year's total covers Jan–Mar only: a lower bound, flagged incomplete.
    total = months["2025"]
    assert total["complete"] is False or not total["complete"]
    assert total["precip"] == round(
        sum(m["precip"] for k, m in months.items() if k in ("2025-01", "2025-02", "2025-03")), 1
    )


def test_dry_spell_column_says_its_threshold(reports: dict[str, Report]) -> None:
    from obs.reports.labels import column_label

    assert column_label("dry_spell_days", "zh") == "最长连续少雨日数(日降水<1mm)"
    assert column_label("dry_spell_days", "en") == "Longest dry spell (days < 1 mm)"
    monthly = reports["season"].section("weather_monthly")
    assert any("<1mm" in n and "≥0.1mm" in n for n in monthly.notes_zh)
    assert any("< 1 mm" in n and "≥ 0.1 mm" in n for n in monthly.notes_en)


def test_anomaly_note_says_earlier_seasons(reports: dict[str, Report]) -> None:
    bloom = reports["season"].section("bloom")
    assert any("距平为普遍期与往年（不含本季）平均之差，正值偏晚" in n for n in bloom.notes_zh)
    assert any("mean of earlier seasons (this season excluded)" in n for n in bloom.notes_en)
    for sec in (bloom, reports["year"].section("stages")):
        assert not any("多年平均" in n for n in sec.notes_zh)
        assert not any("multi-year" in n for n in sec.notes_en)


def test_phenology_json_keys_are_snake_case(reports: dict[str, Report]) -> None:
    section = reports["year"].section("phenology")
    assert all(str(c) == str(c).lower() for c in section.frame.columns)
    labels = dict(zip(section.frame.columns, section.labels("zh"), strict=True))
    assert labels["fls"] == "FLS 始花期" or labels["fls"].startswith("FLS ")
    doc = json.loads(to_json(reports["year"]))
    pheno = next(s for s in doc["sections"] if s["id"] == "phenology")
    assert {"fls", "flf", "lbs"} <= set(pheno["columns"])
    assert all(key == key.lower() for row in pheno["rows"] for key in row)


def _cjk(text_: str) -> set[str]:
    return {ch for ch in text_ if "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"}


def _data_text(report: Report) -> set[str]:
    """Free text the user entered (names, symptoms, notes): the only Chinese in English."""
    cells = {str(v) for sec in report.sections for v in sec.frame.to_numpy().ravel()
             if isinstance(v, str)}  # fmt: skip
    cells |= {str(f.value) for f in report.header if f.key in ("station", "observers")}
    return cells


def test_english_reports_have_no_chinese_but_data(reports: dict[str, Report]) -> None:
    for report in reports.values():
        md = to_markdown(report, "en")
        assert "- **Cultivars**: SUXIN Concolor wintersweet" in md
        for text_ in sorted(_data_text(report), key=len, reverse=True):
            md = md.replace(text_, "")
        assert [line for line in md.splitlines() if _cjk(line)] == []
        assert "- **品种**: SUXIN 素心蜡梅" in to_markdown(report, "zh")
        assert json.loads(to_json(report))["header"]["cultivars"] == "SUXIN 素心蜡梅"


def test_every_label_has_both_languages() -> None:
    from obs.reports.labels import COLUMN_LABELS

    for column, (zh, en) in COLUMN_LABELS.items():
        assert zh and en, column
        assert not _cjk(en), (column, en)
        assert _cjk(zh) or zh == en or not en.isalpha(), (column, zh)


def test_every_title_note_and_column_has_both_languages(reports: dict[str, Report]) -> None:
    from obs.reports.labels import COLUMN_LABELS, column_label

    for report in reports.values():
        assert report.zh and report.en
        assert all(f.zh and f.en and not _cjk(f.en) for f in report.header)
        for sec in report.sections:
            assert sec.zh and sec.en and not _cjk(sec.en), sec.id
            assert len(sec.notes_zh) == len(sec.notes_en), sec.id
            for column in map(str, sec.frame.columns):
                assert column in COLUMN_LABELS or column_label(column, "en") != column, column


@pytest.mark.parametrize("kind", ["season", "year"])
def test_a_report_reads_each_table_once(demo_db: Path, kind: str) -> None:
    # The sections are pure functions of what the report read: daily weather (for the period
    # and the appraisal's normals) and disasters (for the period and the appraised season)
    # are read once, not again by the appraisal. Sub-daily weather is read for two different
    # things, each once: the daily sums of precipitation (period) and, in a season report, the
    # hourly means of the chilling window.
    from sqlalchemy import event

    engine = make_engine(str(demo_db))
    statements: list[str] = []

    def trace(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # every statement SQLite runs, also those the gateways send on the raw DBAPI cursor
        dbapi_connection.set_trace_callback(statements.append)

    event.listen(engine, "connect", trace)
    with session_scope(engine) as session:
        if kind == "season":
            season_report(session=session, season=2024, station="57511")
        else:
            year_report(session=session, year=2024, station="57511")
    engine.dispose()
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    for table in ("daily_weather", "disaster", "subdaily_weather"):
        expected = 1
        if table == "subdaily_weather":
            expected = 2 if kind == "season" else 1
        assert sum(f"FROM {table}" in s for s in reads) == expected, table
