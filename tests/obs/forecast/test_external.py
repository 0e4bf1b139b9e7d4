"""Issue 13.6: external species in ``obs forecast file`` and the exact thermal-time fit.

The files mirror a phenology package's budburst data: events in April–May (calendar day of
year 100–140), daily mean temperature that starts in late autumn (20 Nov), several sites.
Bloom follows a thermal-time rule whose requirement (187.3 °C·d above 5 °C from 10 Jan) is off
the old 10 °C·d grid, with ±2 days of observer noise.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from obs.errors import InputFormatError, InvalidValueError
from obs.forecast.data import (
    build_training,
    derive_reference,
    parse_season_start,
    to_day_of_season,
)
from obs.forecast.external import fit_from_files, read_events, read_temperatures
from obs.forecast.fit import fit_model, predict_params
from obs.forecast.text import params_text
from schemas.forecast import THERMAL_TIME, ForecastModel, ParameterAxis
from tests.conftest import Invoker

START = dt.date(2000, 11, 20)


def _files(tmp: Path, sites: dict[str, float], years: range, month_shift: int = 0) -> Path:
    rng = np.random.default_rng(7)
    events, temps = ["site,year,doy"], ["site,date,t_mean"]
    end = dt.date(years[-1], 12, 31)
    for site, warm in sites.items():
        days = (end - START).days + 1
        noise = np.zeros(days)
        for i in range(1, days):
            noise[i] = 0.7 * noise[i - 1] + rng.normal(0, 2.0)
        series: dict[dt.date, float] = {}
        for i in range(days):
            day = START + dt.timedelta(days=i)
            phase = 2 * np.pi * (day.timetuple().tm_yday - 20 - 30.4 * month_shift) / 365.25
            series[day] = round(11 + warm - 13 * np.cos(phase) + noise[i], 1)
            temps.append(f"{site},{day},{series[day]}")
        for year in years:
            day, forcing = dt.date(year, 1, 10) + dt.timedelta(days=round(30.4 * month_shift)), 0.0
            while forcing < 187.3:
                day += dt.timedelta(days=1)
                forcing += max(0.0, series[day] - 5.0)
            event = day + dt.timedelta(days=int(rng.integers(-2, 3)))
            events.append(f"{site},{event.year},{event.timetuple().tm_yday}")
    (tmp / "events.csv").write_text("\n".join(events) + "\n", encoding="utf-8")
    (tmp / "temps.csv").write_text("\n".join(temps) + "\n", encoding="utf-8")
    return tmp


@pytest.fixture(scope="module")
def budburst(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _files(tmp_path_factory.mktemp("budburst"), {"S1": 0.0, "S3": -1.0}, range(2001, 2013))


def _training(folder: Path, site: str):  # type: ignore[no-untyped-def]
    events, temps = read_events(folder / "events.csv"), read_temperatures(folder / "temps.csv")
    frame = pd.DataFrame({"date": events[site]}, dtype="object")
    return build_training(frame, temps[site], site=site, reference=derive_reference(events[site]))


def _rmse(model: str, params: dict[str, float], training) -> float:  # type: ignore[no-untyped-def]
    days = predict_params(model, params, training.temps)
    scored = np.where(np.isnan(days), training.temps.shape[1], days)
    return float(np.sqrt(np.mean((scored - training.observed) ** 2)))


# --- season windows ------------------------------------------------------------------------


def test_april_may_events_fit_without_options(budburst: Path) -> None:
    fits = fit_from_files(budburst / "events.csv", budburst / "temps.csv")
    assert set(fits) == {"S1", "S3"}
    for fit in fits.values():
        # 20 Apr belongs to the season that started on 1 Oct before it (day 201), not to a
        # season starting 1 Apr, so nothing is refused
        assert fit.training.reference == (10, 1)
        # the temperatures start on 20 Nov 2000: that season lacks Oct–Nov and is named
        assert fit.training.excluded == (2000,)
        assert "data start 2000-11-20" in fit.training.notes[0]
        assert "2000/01" in fit.training.notes[0]
        assert len(fit.training.seasons) == 11
    assert to_day_of_season(dt.date(2025, 4, 20)) == (2024, 201)


def test_summer_events_get_a_window_derived_from_them(tmp_path: Path) -> None:
    folder = _files(tmp_path, {"S1": 0.0}, range(2002, 2010), month_shift=5)
    events = read_events(folder / "events.csv")["S1"]
    # events straddle 1 Oct: no season starting 1 Oct holds them all
    assert {d.month for d in events} == {9, 10}
    reference = derive_reference(events)
    assert reference != (10, 1)
    assert all(0 <= to_day_of_season(d, reference)[1] < 243 for d in events)
    fit = fit_from_files(folder / "events.csv", folder / "temps.csv")["S1"]
    assert fit.training.reference == reference and len(fit.training.seasons) >= 7
    given = fit_from_files(folder / "events.csv", folder / "temps.csv", season_start=reference)
    assert given["S1"].fit_of("thermal_time").params == fit.fit_of("thermal_time").params


def test_events_spread_over_the_whole_year_are_refused() -> None:
    days = [dt.date(2001, m, 1) for m in (1, 4, 7, 10)]
    with pytest.raises(InvalidValueError, match="spread over more of the year") as err:
        derive_reference(days)
    assert err.value.hint is not None and "--season-start" in err.value.hint


@pytest.mark.parametrize("text", ["02-30", "13-01", "00-10", "2-3", "10/01", "1001", "xx-yy"])
def test_malformed_season_start_is_refused(text: str) -> None:
    with pytest.raises(InvalidValueError, match="--season-start"):
        parse_season_start(text)


def test_season_start_29_february_is_refused_with_a_hint() -> None:
    with pytest.raises(InvalidValueError, match="不是一年中的日期") as err:
        parse_season_start("02-29")
    assert err.value.hint is not None and "02-28" in err.value.hint
    with pytest.raises(InvalidValueError, match="is not a day of the year"):
        parse_season_start("02-30", "en")
    assert parse_season_start("11-01") == (11, 1)


def test_a_given_window_that_misses_an_event_names_it(budburst: Path) -> None:
    with pytest.raises(InputFormatError, match="outside the season window 06-01") as err:
        fit_from_files(budburst / "events.csv", budburst / "temps.csv", season_start=(6, 1))
    assert err.value.hint is not None and "--season-start" in err.value.hint


def test_cli_file_bad_season_start_writes_error_and_hint(budburst: Path, db_path: Path) -> None:
    invoke = Invoker(str(db_path))
    args = ("forecast", "file", str(budburst / "events.csv"), str(budburst / "temps.csv"))
    result = invoke(*args, "--season-start", "02-30", expect=1)
    assert "Error:" in result.stderr and "Hint:" in result.stderr and result.stdout == ""
    ok = invoke(*args, "--format", "json", "--lang", "en")
    assert "S1: season window starts on 10-01" in ok.stderr
    assert "left out 2000/01 at site S1" in ok.stderr
    zh = invoke(*args, "--format", "json")
    assert "未用 2000/01年度（站点S1）：需要2000-10-01至" in zh.stderr
    assert "资料始于2000-11-20" in zh.stderr and "S1: 季节窗口起于 10-01" in zh.stderr


# --- the exact thermal-time fit ------------------------------------------------------------


def test_exact_fit_beats_or_equals_the_grid_and_is_reproduced_by_its_printed_params(
    budburst: Path,
) -> None:
    for site in ("S1", "S3"):
        training = _training(budburst, site)
        grid = fit_model(THERMAL_TIME, training, exact=False)
        exact = fit_model(THERMAL_TIME, training)
        assert exact.rmse <= grid.rmse
        printed = {
            k: float(v) for k, v in (p.split("=") for p in params_text(exact.params).split(", "))
        }
        assert _rmse("thermal_time", printed, training) == pytest.approx(exact.rmse, abs=1e-12)
    # on S1 the grid's best (f_crit on 10 °C·d steps) is measurably worse
    training = _training(budburst, "S1")
    gap = (
        fit_model(THERMAL_TIME, training, exact=False).rmse - fit_model(THERMAL_TIME, training).rmse
    )
    assert gap > 0.05


def test_exact_f_crit_is_the_optimum_over_every_cumulative_forcing_value(budburst: Path) -> None:
    """Brute force over every distinct cumulative forcing value of every case (small grid)."""
    training = _training(budburst, "S3")
    small = ForecastModel(
        "thermal_time",
        "积温模型",
        "Thermal time",
        (
            ParameterAxis("t1", (60.0, 70.0), "d", 0, 242, ""),
            ParameterAxis("t_base", (4.0, 5.0), "°C", -10, 25, ""),
            ParameterAxis("f_crit", (100.0,), "°C·d", 0, 10000, ""),
        ),
        solved=("f_crit",),
    )
    exact = fit_model(small, training)
    best = np.inf
    for t1, t_base in itertools.product((60.0, 70.0), (4.0, 5.0)):
        forcing = np.maximum(training.temps - t_base, 0.0)[:, int(t1) + 1 :]
        for value in np.unique(np.cumsum(forcing, axis=1)):
            params = {"t1": t1, "t_base": t_base, "f_crit": float(value)}
            best = min(best, _rmse("thermal_time", params, training))
    assert exact.rmse == pytest.approx(best, abs=1e-12)
    assert _rmse("thermal_time", dict(exact.params), training) == pytest.approx(best, abs=1e-12)
