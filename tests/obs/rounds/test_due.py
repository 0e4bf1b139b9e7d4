"""obs.rounds.due: the observation-frequency rules (§2.4) and their overrides."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine

from obs.db import session_scope
from obs.errors import ObsError
from obs.records.create import create
from obs.rounds.due import DUE_COLUMNS, Intervals, due_plants, intervals_from
from tests.conftest import seed_sites


@pytest.fixture
def site(engine: Engine) -> Engine:
    seed_sites(engine, plants=5)
    return engine


def record(eng: Engine, tag: str, day: str, stage: str, **counts: str) -> None:
    with session_scope(eng) as s:
        create(
            "phenology", {"plant": tag, "obs_date": day, "stage_code": stage, **counts}, session=s
        )


def due_on(eng: Engine, day: str, **kw: object) -> dict[str, dict]:
    with session_scope(eng) as s:
        rows = due_plants(s, dt.date.fromisoformat(day), **kw)  # type: ignore[arg-type]
    assert all(tuple(r) == DUE_COLUMNS for r in rows)
    return {r["plant"]: r for r in rows}


def test_rules_of_the_flowering_season(site: Engine) -> None:
    record(site, "A-01", "2024-12-10", "FLS", flowers_open="10", buds_unopened="90")  # 10 %
    record(site, "A-02", "2024-12-10", "FLS", flowers_open="70", buds_unopened="30")  # 70 %
    record(site, "A-03", "2024-12-01", "FLE")
    rows = due_on(site, "2024-12-12")
    a1, a2, a3 = rows["A-01"], rows["A-02"], rows["A-03"]
    assert (a1["rule"], a1["interval_days"], a1["days_since"], a1["due"]) == (
        "flower_ratio",
        1,
        2,
        True,
    )
    assert a1["expected_stage"] == "FLF" and a1["last_stage"] == "FLS"
    assert (a2["rule"], a2["interval_days"], a2["due"]) == ("flowering", 2, True)
    assert (a3["rule"], a3["interval_days"], a3["due"]) == ("winter", 7, True)  # 11 days
    never = rows["A-04"]
    assert (never["last_visit"], never["days_since"], never["due"]) == (None, None, True)
    assert never["rule"] == "flowering"  # late October to February, FLE not reached


def test_calendar_seasons_and_the_order_overdue_first(site: Engine) -> None:
    for tag, day in (("A-01", "2024-07-01"), ("A-02", "2024-07-08"), ("A-03", "2024-07-14")):
        record(site, tag, day, "FBV", percent="10")
    with session_scope(site) as s:
        rows = due_plants(s, dt.date(2024, 7, 15))
    assert [r["plant"] for r in rows] == ["A-04", "A-05", "A-01", "A-02", "A-03"]
    assert {r["rule"] for r in rows} == {"summer"} and rows[0]["interval_days"] == 10
    assert [r["due"] for r in rows] == [True, True, True, False, False]
    spring = due_on(site, "2025-04-10")["A-01"]
    assert (spring["rule"], spring["interval_days"]) == ("spring", 7)
    assert due_on(site, "2024-09-20")["A-01"]["rule"] == "autumn"


def test_a_disaster_asks_for_a_follow_up_visit(site: Engine) -> None:
    record(site, "A-01", "2024-07-10", "FBV", percent="10")
    with session_scope(site) as s:
        create(
            "disaster",
            {
                "plot": "JG-A",
                "obs_date": "2024-07-12",
                "disaster_code": "HEAT",
                "start_date": "2024-07-11",
            },
            session=s,
        )
    row = due_on(site, "2024-07-13")["A-01"]
    assert (row["rule"], row["interval_days"], row["due"]) == ("disaster", 0, True)
    record(site, "A-01", "2024-07-13", "FBV", percent="20")
    assert due_on(site, "2024-07-13")["A-01"]["rule"] == "summer"  # visited since


def test_overrides_per_plot_and_from_the_command(site: Engine) -> None:
    config = {"summer": 14, "plots": {"JG-A": {"summer": 5}, "OTHER": {"summer": 30}}}
    record(site, "A-01", "2024-07-01", "FBV", percent="10")
    assert (
        due_on(site, "2024-07-08", intervals=intervals_from(config, {}))["A-01"]["interval_days"]
        == 5
    )
    command = intervals_from(config, {"summer": "21"})
    assert command.days("summer", "JG-A") == 21 and command.days("spring", "JG-A") == 7
    assert Intervals({"summer": 14}).days("summer", "X") == 14
    with pytest.raises(ObsError, match="规则=天数"):
        intervals_from({}, {"monsoon": "3"})
    with pytest.raises(ObsError, match="RULE=DAYS"):
        intervals_from({"summer": "often"}, {}, lang="en")


def test_deleted_plants_and_other_plots_are_left_out(site: Engine) -> None:
    from obs.records.deletion import delete_record

    with session_scope(site) as s:
        delete_record("plant", 5, reason="dead", session=s)
        create("plot", {"code": "JG-B", "station": "57511", "cultivar": "SUXIN"}, session=s)
        create("plant", {"tag": "B-01", "plot": "JG-B"}, session=s)
    assert set(due_on(site, "2024-07-01", plot="JG-A")) == {"A-01", "A-02", "A-03", "A-04"}
    assert "B-01" in due_on(site, "2024-07-01", station="57511")
