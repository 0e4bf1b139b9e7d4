"""obs.rounds.plan / store / tags: the plan of a round, storing it all or nothing, tag ranges."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, text

from obs.db import session_scope
from obs.errors import InvalidValueError, NotFoundError, ObsError
from obs.records.create import create
from obs.rounds.plan import expected_stage, plan_round
from obs.rounds.store import RoundEntry, StageOrderError, check_entry, store_round
from obs.rounds.tags import expand_tags
from tests.conftest import seed_sites

DAY = dt.date(2024, 12, 20)


@pytest.fixture
def site(engine: Engine) -> Engine:
    seed_sites(engine, plants=3)
    with session_scope(engine) as s:
        create("plant", {"tag": "A-10", "plot": "JG-A"}, session=s)
        create(
            "phenology",
            {
                "plant": "A-02",
                "obs_date": "2024-12-18",
                "stage_code": "FLS",
                "flowers_open": "3",
                "buds_unopened": "27",
            },
            session=s,
        )
        create(
            "phenology", {"plant": "A-02", "obs_date": "2024-12-18", "stage_code": "FBC"}, session=s
        )
    return engine


def count(eng: Engine) -> int:
    with eng.connect() as c:
        return int(c.execute(text("SELECT count(*) FROM phenology")).scalar_one())


def test_plan_in_tag_order_with_the_last_record_and_the_next_stage(site: Engine) -> None:
    with session_scope(site) as s:
        plan = plan_round(s, "JG-A", DAY)
    assert [p.tag for p in plan.steps] == ["A-01", "A-02", "A-03", "A-10"]
    a2 = plan.steps[1]
    assert a2.last is not None and a2.last.stage_code == "FLS"  # later stage wins that day
    assert (a2.last.flowers_open, a2.last.open_ratio, a2.expected_stage) == (3, 10.0, "FLF")
    assert plan.steps[0].last is None and plan.steps[0].expected_stage == "FBC"
    with session_scope(site) as s:
        assert plan_round(s, "JG-A", dt.date(2024, 12, 17)).steps[1].last is None


def test_plan_refusals_in_both_languages(site: Engine) -> None:
    with session_scope(site) as s:
        with pytest.raises(NotFoundError, match="没有观测地段 'X'"):
            plan_round(s, "X", DAY)
        with pytest.raises(NotFoundError, match="no plot 'X'"):
            plan_round(s, "X", DAY, lang="en")
        create("plot", {"code": "JG-B", "station": "57511", "cultivar": "SUXIN"}, session=s)
        with pytest.raises(ObsError, match="no live marked plants"):
            plan_round(s, "JG-B", DAY, lang="en")


def test_expected_stage_from_the_window_in_another_season(site: Engine) -> None:
    with session_scope(site) as s:
        last = plan_round(s, "JG-A", DAY).steps[1].last
    assert expected_stage(last, dt.date(2025, 9, 1)) == "FBV"  # new season: by the calendar


def test_check_entry_names_the_contradicted_record(site: Engine) -> None:
    with session_scope(site) as s:
        plan = plan_round(s, "JG-A", DAY)
        step = plan.steps[1]
        with pytest.raises(StageOrderError, match=r"record #2 has FBC \(Bud colouring\)"):
            check_entry(s, RoundEntry(step.tag, step.plant_id, "FBV"), DAY, lang="en")
        check_entry(s, RoundEntry(step.tag, step.plant_id, "FLF"), DAY)


def test_a_round_is_stored_all_or_nothing(site: Engine) -> None:
    with session_scope(site) as s:
        plan = plan_round(s, "JG-A", DAY)
    good = [RoundEntry(p.tag, p.plant_id, "FLS", flowers_open=1) for p in plan.steps[:2]]
    bad = RoundEntry(plan.steps[2].tag, plan.steps[2].plant_id, "FLS", percent=130)
    with pytest.raises(InvalidValueError), session_scope(site) as s:
        store_round(s, plan, [*good, bad], observer="王芳", time=dt.time(14, 30))
    assert count(site) == 2
    with session_scope(site) as s:
        rows = store_round(s, plan, good, observer="王芳", time=dt.time(14, 30))
    assert [(r["plant"], r["observer"], str(r["obs_time"])[:5]) for r in rows] == [
        ("A-01", "王芳", "14:30"),
        ("A-02", "王芳", "14:30"),
    ]
    assert count(site) == 4


def test_tags_and_ranges() -> None:
    assert expand_tags(["A-08..A-11", "B-1", "C-099..C-100"]) == [
        "A-08",
        "A-09",
        "A-10",
        "A-11",
        "B-1",
        "C-099",
        "C-100",
    ]
    for bad in ("A-05..A-02", "A-01..B-03", "A..B", "A-1..A-2000"):
        with pytest.raises(InvalidValueError):
            expand_tags([bad])
    with pytest.raises(InvalidValueError, match="株号重复"):
        expand_tags(["A-01..A-03", "A-02"])
