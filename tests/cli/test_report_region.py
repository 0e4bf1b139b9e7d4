"""obs report region (stations side by side) and --station all of obs stages and obs report
season|year, on a database with two stations and seven seasons of known dates."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from obs.db import make_engine, session_scope
from schemas import tables as T
from tests.conftest import Invoker

#: Station -> (day of December the bloom starts in 2014–2019, the day in 2020).
STATIONS = {"57511": (1, 6), "57516": (10, 8)}
SEASONS = range(2014, 2021)
#: Daily weather of every station: mean temperature, precipitation, sunshine.
T_MEAN, PRECIP, SUNSHINE = 8.0, 1.0, 2.0


@pytest.fixture
def region(db_path) -> Invoker:
    """Per station one plot (SUXIN) with 3 plants; each season the plants reach FLS on days
    base, base+1, base+2 (so 始期 = base, 普遍期 = base+1, 末期 = base+2), FLF 10 days and FLE
    30 days later; daily weather Nov–Feb."""
    eng = make_engine(str(db_path))
    with session_scope(eng) as s:
        for n, (code, (usual, late)) in enumerate(STATIONS.items()):
            station = T.Station(code=code, name=f"站{n}", latitude=29 + n, longitude=106.4)
            s.add(station)
            s.flush()
            plot = T.Plot(code=f"P{code}", station_id=station.id, cultivar="SUXIN")
            s.add(plot)
            s.flush()
            plants = [
                T.Plant(tag=f"{code}-{k}", plot_id=plot.id, cultivar="SUXIN") for k in range(3)
            ]
            s.add_all(plants)
            s.flush()
            for season in SEASONS:
                base = dt.date(season, 12, late if season == 2020 else usual)
                for k, plant in enumerate(plants):
                    for offset, stage in ((0, "FLS"), (10, "FLF"), (30, "FLE")):
                        day = base + dt.timedelta(days=offset + k)
                        s.add(
                            T.PhenologyObservation(
                                plant_id=plant.id, obs_date=day, stage_code=stage
                            )
                        )
                first = dt.date(season, 11, 1)
                s.add_all(
                    T.DailyWeather(
                        station_id=station.id,
                        obs_date=first + dt.timedelta(days=d),
                        t_mean=T_MEAN,
                        precip=PRECIP,
                        sunshine=SUNSHINE,
                    )
                    for d in range(120)
                )
    eng.dispose()
    return Invoker(str(db_path))


def _rows(document, section):
    return next(s for s in document["sections"] if s["id"] == section)["rows"]


def test_region_report_gives_each_station_its_dates_anomalies_duration_and_weather(region):
    doc = region.json("report", "region", "--season", "2020/21")
    stages = {(r["station"], r["stage"]): r for r in _rows(doc, "stages")}
    assert set(stages) == {(c, s) for c in STATIONS for s in ("FLS", "FLF", "FLE")}
    fls = stages[("57511", "FLS")]
    assert (fls["start_date"], fls["general_date"], fls["end_date"]) == (
        "2020-12-06",
        "2020-12-07",
        "2020-12-08",
    )
    # against each station's own earlier seasons: 57511 five days late, 57516 two days early
    assert fls["general_anomaly"] == 5 and stages[("57516", "FLS")]["general_anomaly"] == -2
    assert stages[("57516", "FLE")]["end_date"] == "2021-01-09"
    bloom = {r["station"]: r for r in _rows(doc, "bloom")}
    one = bloom["57511"]
    assert (one["start"], one["end"], one["duration_days"]) == ("2020-12-07", "2021-01-06", 30)
    assert one["duration_anomaly"] == 0
    assert one["t_mean"] == T_MEAN and one["days_present"] == 31
    assert one["precip"] == 31 * PRECIP and one["sunshine"] == 31 * SUNSHINE


def test_region_report_for_named_stations_a_year_in_chinese_and_english(region, tmp_path):
    doc = region.json("report", "region", "--year", "2020", "--stations", "57516")
    assert {r["station"] for r in _rows(doc, "stages")} == {"57516"}
    # a calendar year holds the end of one season's bloom and the start of the next one's
    assert {r["season"] for r in _rows(doc, "bloom")} == {"2019/20", "2020/21"}
    zh = region("report", "region", "--season", "2020").stdout
    assert "区域花期报告 2020/21" in zh and "台站" in zh and "普遍期距平(天)" in zh
    assert "Station" not in zh and "anomaly" not in zh
    en = region("report", "region", "--season", "2020", "--lang", "en").stdout
    assert "Regional bloom report 2020/21" in en and "General anomaly (d)" in en
    chart = tmp_path / "region.png"
    region("report", "region", "--season", "2020", "--chart", str(chart), "--format", "csv")
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    html = tmp_path / "region.html"
    region("report", "region", "--season", "2020", "--format", "html", "--output", str(html),
           "--chart", str(tmp_path / "region.svg"))  # fmt: skip
    assert "<svg" in html.read_text(encoding="utf-8")
    xlsx = tmp_path / "region.xlsx"
    region("report", "region", "--season", "2020", "--format", "xlsx", "--output", str(xlsx))
    assert xlsx.read_bytes()[:2] == b"PK"
    md = region("report", "region", "--season", "2020", "--format", "md").stdout
    assert "| 57511 |" in md


def test_region_report_refuses_unknown_stations_and_a_missing_period(region):
    unknown = region("report", "region", "--season", "2020", "--stations", "57511,99999", expect=1)
    assert "99999" in unknown.stderr and "Hint:" in unknown.stderr
    none = region("report", "region", expect=2)
    assert "--season" in none.stderr and "Hint:" in none.stderr
    both = region("report", "region", "--season", "2020", "--year", "2020", expect=2)
    assert "not both" in both.stderr


def test_station_all_in_stages_and_the_season_and_year_reports(region, tmp_path):
    rows = region.json("stages", "--station", "all", "--season", "2020")
    assert {r["station"] for r in rows} == set(STATIONS)
    table = region("stages", "--station", "all", "--season", "2020").stdout
    assert "57511" in table and "57516" in table
    single = region("report", "season", "2020", expect=2)  # without --station: which one?
    assert "several stations" in single.stderr
    docs = json.loads(
        region("report", "season", "2020", "--station", "all", "--format", "json").stdout
    )
    assert len(docs) == 2 and all(d["kind"] == "season" for d in docs)
    out = tmp_path / "season.md"
    region("report", "season", "2020", "--station", "all", "--format", "md", "--output", str(out))
    assert {p.name for p in tmp_path.glob("season-*.md")} == {"season-57511.md", "season-57516.md"}
    assert "57516" in (tmp_path / "season-57516.md").read_text(encoding="utf-8")
    year = region("report", "year", "2021", "--station", "all").stdout
    assert "57511" in year and "57516" in year
    refused = region("report", "year", "2021", "--station", "all", "--plot", "P57511", expect=2)
    assert "--station all" in refused.stderr
