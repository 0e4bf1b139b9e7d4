"""The QC driver: flags stored next to values, replaced on re-run, windows equal one pass."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, text

import obs.qc.driver as V
from obs.db import session_scope
from obs.imports import WeatherImportOptions, import_weather
from obs.qc.driver import validate
from obs.records.create import create
from tests.conftest import seed_sites


@pytest.fixture
def eng(engine: Engine) -> Engine:
    seed_sites(engine, plants=2)
    return engine


def q(eng: Engine, sql: str) -> list[tuple[object, ...]]:
    with eng.connect() as c:
        return [tuple(r) for r in c.execute(text(sql)).all()]


def test_daily_flags_replaced_and_raw_values_untouched(eng: Engine) -> None:
    with session_scope(eng) as s:
        for day, tmax in (("2024-07-01", "35.0"), ("2024-07-02", "47.5")):
            create(
                "weather",
                # t_min 20: the derived daily mean (max+min)/2 stays inside its soft limits
                {"station": "57511", "obs_date": day, "t_max": tmax, "t_min": "20", "precip": "0"},
                session=s,
            )
    for _ in range(2):
        with session_scope(eng) as s:
            summary = validate(session=s, kinds=["daily"])
    # 47.5 °C is above the station climate extreme and the soft limit of t_max (46 °C,
    # §11.1): suspect twice; the step 12.5 °C is within ±15 °C: no flag
    assert summary.checked == {"daily": 2}
    assert summary.summary_rows() == [
        {"kind": "daily", "check_name": "outside_climate_extremes", "flag": 1, "count": 1},
        {"kind": "daily", "check_name": "outside_soft_limits", "flag": 1, "count": 1},
    ]
    assert summary.errors == 0 and summary.suspects == 2
    assert summary.flags[0]["value"] == "47.5" and summary.flags[0]["when"] == "2024-07-02"
    assert q(eng, "SELECT count(*) FROM qc_flag") == [(2,)]  # replaced, not added twice
    assert q(eng, "SELECT obs_date, qc, t_max FROM daily_weather ORDER BY obs_date") == [
        ("2024-07-01", 0, 35.0),
        ("2024-07-02", 1, 47.5),
    ]


def test_phenology_error_and_season_filter(eng: Engine) -> None:
    with session_scope(eng) as s:
        create(
            "phenology",
            {"plant": "A-01", "obs_date": "2024-12-20", "stage_code": "FLS", "percent": "10"},
            session=s,
        )
        s.execute(text("UPDATE phenology SET percent = 130"))  # a value past entry validation
    with session_scope(eng) as s:
        other = validate(session=s, kinds=["phenology"], season=2023)
        found = validate(session=s, kinds=["phenology"], season=2024)
    assert other.checked == {"phenology": 0}
    assert found.errors == 1 and found.flags[0]["check_name"] == "percent_out_of_range"
    assert q(eng, "SELECT qc FROM phenology") == [(2,)]


def ten_minute_file(path: Path, n: int) -> Path:
    rng = np.random.default_rng(7)
    times = pd.date_range("2024-01-01 00:10", periods=n, freq="10min")
    t = (10 + rng.normal(0, 0.5, n)).round(1)
    t[300:460] = 5.0  # 160 equal 10-minute values = 26.7 h: stuck sensor (§11.1)
    pd.DataFrame({"时间": times.strftime("%Y-%m-%d %H:%M"), "气温": t}).to_csv(path, index=False)
    return path


def test_windows_give_the_same_flags_as_one_pass(
    eng: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = ten_minute_file(tmp_path / "t.csv", 2000)
    with session_scope(eng) as s:
        imported = import_weather(
            f, station="57511", session=s, options=WeatherImportOptions(chunk_rows=250)
        )
    by_import = q(
        eng,
        "SELECT record_id, check_name FROM qc_flag WHERE kind = 'subdaily' "
        "ORDER BY record_id, check_name",
    )
    with session_scope(eng) as s:
        whole = validate(session=s, kinds=["subdaily"])
    by_whole = q(
        eng,
        "SELECT record_id, check_name FROM qc_flag WHERE kind = 'subdaily' "
        "ORDER BY record_id, check_name",
    )
    monkeypatch.setattr(V, "QC_WINDOW_ROWS", 100)
    with session_scope(eng) as s:
        windows = validate(session=s, kinds=["subdaily"])
    by_windows = q(
        eng,
        "SELECT record_id, check_name FROM qc_flag WHERE kind = 'subdaily' "
        "ORDER BY record_id, check_name",
    )
    persistence = [r for r in by_whole if r[1] == "value_persistence"]
    assert len(persistence) == 160
    assert by_import == by_whole == by_windows
    assert windows.summary_rows() == whole.summary_rows()
    assert imported.qc_errors == 160
    assert q(eng, "SELECT count(*) FROM subdaily_weather WHERE qc = 2") == [(160,)]
