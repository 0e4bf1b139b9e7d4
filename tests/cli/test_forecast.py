"""``obs forecast bloom|evaluate|file`` through the CLI, reading ``--format json``.

The store is the generated thermal-time store of :mod:`obs.forecast.synthetic` (13 seasons,
FLS at 300 °C·d above 5 °C from 31 Oct); see tests/obs/forecast/test_service.py.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import delete as sa_delete

from obs.db import make_engine, session_scope
from obs.forecast.data import season_window, to_day_of_season
from obs.forecast.models import event_day
from obs.forecast.synthetic import true_dates, weather
from schemas import tables as T
from schemas.forecast import TRAINING_MARGIN_DAYS
from tests.conftest import Invoker, forecast_store

BLOOM = ("forecast", "bloom", "--season", "2023/24", "--as-of", "2023-11-15")


def _store(path: Path, seasons: range) -> tuple[Invoker, pd.DataFrame]:
    db, daily = forecast_store(path, seasons)
    return Invoker(db), daily


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Invoker, pd.DataFrame]:
    return _store(tmp_path_factory.mktemp("cli-forecast") / "obs.db", range(2011, 2024))


def test_bloom_json_gives_the_forecast_and_its_range(store):
    invoke, daily = store
    data = invoke.json(*BLOOM)
    truth = true_dates(daily, 2023)["FLS"].isoformat()
    assert data["model"] == "thermal_time" and data["params"] == {
        "t1": 30.0,
        "t_base": 5.0,
        "f_crit": 300.0,
    }
    assert data["observed"] == truth and data["low"] <= truth <= data["high"]
    assert data["as_of"] == "2023-11-15" and data["season"] == "2023/24"
    assert data["cv_rmse_days"] <= 1.0 < data["baseline_cv_rmse_days"]
    assert len(data["history"]) == 12 and data["history"][0]["season"] == "2011/12"


def test_bloom_output_is_identical_on_the_same_data(store):
    invoke, _ = store
    for fmt in ("json", "csv", "table"):
        first = invoke(*BLOOM, "--format", fmt, "--lang", "en").stdout
        assert invoke(*BLOOM, "--format", fmt, "--lang", "en").stdout == first


def test_bloom_csv_has_one_row_per_season_and_the_forecast_last(store):
    invoke, _ = store
    lines = invoke(*BLOOM, "--format", "csv").stdout.splitlines()
    assert lines[0] == (
        "season,observed,cv_predicted,error_days,predicted,low,high,earliest,latest,"
        "scenario,scenario_date"
    )
    # 12 seasons, the forecast, then the normals and the 12 past-season scenarios
    assert len(lines) == 1 + 12 + 1 + 1 + 12 and lines[13].startswith("2023/24,")
    assert lines[14].startswith("2023/24,") and ",normals," in lines[14]


def test_bloom_chart_is_written(store, tmp_path):
    invoke, _ = store
    chart = tmp_path / "fc.png"
    result = invoke(*BLOOM, "--chart", str(chart), "--lang", "en")
    assert chart.read_bytes().startswith(b"\x89PNG")
    assert f"wrote {chart}" in result.stderr
    assert invoke(*BLOOM, "--chart", str(tmp_path / "fc.gif"), expect=2).stderr.startswith("Error:")


def test_bloom_of_an_observed_season_names_the_date(store):
    invoke, daily = store
    result = invoke("forecast", "bloom", "--season", "2023/24", expect=1)
    assert f"already observed on {true_dates(daily, 2023)['FLS']}" in result.stderr
    assert "Hint:" in result.stderr and "--as-of" in result.stderr


def test_evaluate_json_compares_models_with_climatology(store):
    invoke, _ = store
    rows = {r["model"]: r for r in invoke.json("forecast", "evaluate", "--stage", "FLS")}
    assert list(rows) == ["climatology", "thermal_time", "sequential", "parallel"]
    assert rows["thermal_time"]["selected"] and rows["thermal_time"]["skill"] > 0.8
    assert rows["climatology"]["skill"] == 0.0 and rows["climatology"]["params"] == ""


def test_too_few_seasons_exit_1_with_a_hint(tmp_path):
    invoke, _ = _store(tmp_path / "two.db", range(2021, 2023))
    result = invoke("forecast", "evaluate", expect=1)
    assert "has 2 season(s)" in result.stderr and "needs at least 3" in result.stderr
    assert "Hint: seasons with a date: 2021/22, 2022/23" in result.stderr


def _weather_until(store, tmp_path: Path, last: dt.date) -> Invoker:
    """A copy of the store whose daily weather ends on ``last``."""
    copy = tmp_path / "cut.db"
    shutil.copy(store[0].db, copy)
    engine = make_engine(str(copy))
    with session_scope(engine) as session:
        session.execute(sa_delete(T.DailyWeather).where(T.DailyWeather.obs_date > last))
    engine.dispose()
    return Invoker(str(copy))


def test_evaluate_trains_on_a_season_whose_data_end_on_31_march(store, tmp_path):
    # the season report calls 2023/24 complete (1 Apr–31 Mar); its FLS is in November
    invoke = _weather_until(store, tmp_path, dt.date(2024, 3, 31))
    result = invoke("forecast", "evaluate", "--format", "json")
    assert "13 seasons 2011/12–2023/24" in result.stderr and "未用" not in result.stderr


def test_evaluate_says_why_a_season_is_left_out(store, tmp_path):
    fls = true_dates(store[1], 2023)["FLS"]
    end = fls + dt.timedelta(days=2)
    invoke = _weather_until(store, tmp_path, end)
    result = invoke("forecast", "evaluate", "--format", "json", "--lang", "en")
    zh = invoke("forecast", "evaluate", "--format", "json")
    need = invoke.json("stages", "--season", "2023", "--stage", "FLS")
    general = next(r for r in need if r["status"] == "general")["date"]
    until = dt.date.fromisoformat(general) + dt.timedelta(days=TRAINING_MARGIN_DAYS)
    assert (
        f"left out 2023/24 at site JG-A: needs daily mean temperature to {until}; data end {end}"
        in result.stderr
    )
    assert f"未用 2023/24年度（站点JG-A）：需要截至{until}的日平均气温；资料止于{end}" in zh.stderr


def test_station_without_temperature_is_refused(seeded):
    result = seeded("forecast", "bloom", expect=1)
    assert "station 57511 has no daily temperature" in result.stderr


# --- external files --------------------------------------------------------------------------


def _files(tmp_path: Path, sites: dict[str, float]) -> tuple[Path, Path]:
    """Events (site, year, doy) from the FLS rule and daily temperatures (site, date, t_mean);
    site temperatures are the synthetic series shifted by the given offset [°C]."""
    daily = weather(2015, 2021, seed=3)["t_mean"]
    events, temps = ["site,year,doy"], ["site,date,t_mean"]
    for site, offset in sites.items():
        shifted = daily + offset
        for season in range(2015, 2022):
            day = event_day(
                "thermal_time", season_window(shifted, season), t1=30, t_base=5, f_crit=300
            )
            date = dt.date(season, 10, 1) + dt.timedelta(days=day)
            events.append(f"{site},{date.year},{date.timetuple().tm_yday}")
            assert to_day_of_season(date) == (season, day)
        temps += [f"{site},{d.date()},{v:.1f}" for d, v in shifted.items()]
    (tmp_path / "events.csv").write_text("\n".join(events) + "\n", encoding="utf-8")
    (tmp_path / "temps.csv").write_text("\n".join(temps) + "\n", encoding="utf-8")
    return tmp_path / "events.csv", tmp_path / "temps.csv"


def test_file_fits_each_site(invoke, tmp_path):
    events, temps = _files(tmp_path, {"A": 0.0, "B": 1.5})
    rows = invoke.json("forecast", "file", str(events), str(temps))
    assert [(r["site"], r["model"]) for r in rows if r["selected"]] == [
        ("A", "thermal_time"),
        ("B", "thermal_time"),
    ]
    best = next(r for r in rows if r["site"] == "A" and r["model"] == "thermal_time")
    assert best["cv_rmse_days"] == 0.0 and best["n_seasons"] == 7 and best["n_cases"] == 7


def test_file_pooled_keeps_a_season_as_one_fold(invoke, tmp_path):
    events, temps = _files(tmp_path, {"A": 0.0, "B": 1.5})
    rows = invoke.json("forecast", "file", str(events), str(temps), "--pooled")
    assert {r["site"] for r in rows} == {"(pooled)"}
    best = next(r for r in rows if r["model"] == "thermal_time")
    assert best["n_seasons"] == 7 and best["n_cases"] == 14 and best["selected"]


def test_file_with_a_missing_column_is_refused(invoke, tmp_path):
    (tmp_path / "e.csv").write_text("site,year\nA,2020\n", encoding="utf-8")
    (tmp_path / "t.csv").write_text("site,date,t_mean\nA,2020-01-01,5\n", encoding="utf-8")
    result = invoke("forecast", "file", str(tmp_path / "e.csv"), str(tmp_path / "t.csv"), expect=1)
    assert "no column 'doy'" in result.stderr


def test_bloom_headline_is_the_ensemble_median_and_normals_one_scenario(store):
    """Issue 13.7: the headline date is the median the range belongs to, in every format."""
    invoke, _ = store
    data = invoke.json(*BLOOM, "--lang", "en")
    assert data["predicted"] == data["median"]
    assert data["low"] <= data["predicted"] <= data["high"]
    scenarios = data["scenarios"]
    assert scenarios[0]["scenario"] == "normals" and scenarios[0]["date"] == data["normals"]
    assert len(scenarios) == 1 + data["members"]
    past = sorted(s["date"] for s in scenarios[1:])
    assert (past[0], past[-1]) == (data["earliest"], data["latest"])
    table = invoke(*BLOOM).stdout
    head = table.index("预报日期（集合中位数）")
    assert head < table.index("常年值情景") and "各情景预报日期" in table
    assert f"预报日期（集合中位数） │ {data['predicted']}" in table
