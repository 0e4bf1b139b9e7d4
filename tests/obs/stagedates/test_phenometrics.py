"""Per-plant phenometrics and plot dates restricted by --max-gap (issue 13, point 4).

Visits mirror a phenology network's status records: each visit says "reached" or "not
reached" for a stage. Expected figures are hand counts from the visits below.
"""

from __future__ import annotations

import datetime as dt

import pytest

from obs.db import make_engine, session_scope
from obs.errors import UsageError
from obs.records.create import create
from obs.stagedates import derive_stage_dates, plant_phenometrics, stages_view
from tests.conftest import seed_sites

D = dt.date
NO = {"reached": "no"}

#: (plant, date, stage, extra): season 2024/25 of plot JG-A (素心, five plants).
VISITS = (
    ("A-01", D(2024, 12, 1), "FLS", NO),
    ("A-01", D(2024, 12, 4), "FLS", {}),  # first 12-04, 3 d after a "no"
    ("A-01", D(2024, 12, 10), "FLS", {"percent": "20"}),  # last 12-10
    ("A-02", D(2024, 11, 20), "FLS", NO),
    ("A-02", D(2024, 12, 6), "FLS", {}),  # 16 d after a "no"
    ("A-03", D(2024, 12, 5), "FLS", {}),  # no "not reached" visit before it
    ("A-04", D(2024, 12, 1), "FLS", NO),
    ("A-04", D(2024, 12, 8), "FLS", NO),  # never reached
    ("A-05", D(2024, 11, 10), "FBC", {}),  # observed in the season, no FLS visit
    ("A-01", D(2024, 12, 20), "FLF", NO),
    ("A-01", D(2024, 12, 24), "FLF", {"percent": "55"}),
    ("A-01", D(2024, 12, 30), "FLF", {"percent": "70"}),
    ("A-01", D(2025, 1, 15), "FLF", NO),  # past full bloom: last date 12-30, 16 d before
)


def store(engine):
    seed_sites(engine, plants=5)
    with session_scope(engine) as s:
        for plant, day, stage, extra in VISITS:
            raw = {"plant": plant, "obs_date": day.isoformat(), "stage_code": stage, **extra}
            create("phenology", raw, session=s)
    return engine


@pytest.fixture
def network(engine):
    return store(engine)


def metrics(engine, **kwargs):
    with session_scope(engine) as s:
        rows = plant_phenometrics(session=s, **kwargs)
    return {
        (r.plant, r.stage_code): (
            r.first_date, r.last_date, r.days_since_prior_no, r.days_until_next_no
        )
        for r in rows
    }  # fmt: skip


def test_every_plant_appears_with_its_own_dates(network):
    got = metrics(network, season=2024, stages=["FLS", "FLF"])
    assert got == {
        ("A-01", "FLS"): (D(2024, 12, 4), D(2024, 12, 10), 3, None),
        ("A-02", "FLS"): (D(2024, 12, 6), D(2024, 12, 6), 16, None),
        ("A-03", "FLS"): (D(2024, 12, 5), D(2024, 12, 5), None, None),
        ("A-04", "FLS"): (None, None, None, None),
        ("A-05", "FLS"): (None, None, None, None),
        ("A-01", "FLF"): (D(2024, 12, 24), D(2024, 12, 30), 4, 16),
        ("A-02", "FLF"): (None, None, None, None),
        ("A-03", "FLF"): (None, None, None, None),
        ("A-04", "FLF"): (None, None, None, None),
        ("A-05", "FLF"): (None, None, None, None),
    }
    # without --stage: the stages recorded in the season (FBC, FLS, FLF), five plants each
    assert len(metrics(network, season=2024)) == 15
    assert metrics(network, season=2025) == {}


def plot_dates(engine, **kwargs):
    with session_scope(engine) as s:
        rows = derive_stage_dates(session=s, season=2024, stages=["FLS"], **kwargs)
    return [(r.status, r.date, r.percent, r.n_plants) for r in rows]


def test_max_gap_keeps_only_plants_with_a_bracketed_first_date(network):
    # all five observed plants; FLS first dates 12-04, 12-05, 12-06
    assert plot_dates(network) == [
        ("start", D(2024, 12, 4), 20.0, 5),
        ("general", D(2024, 12, 6), 60.0, 5),
    ]
    # 7 d: A-02 (16 d) and A-03 (no prior "no") are left out; A-01 is kept with the two
    # plants that never reached FLS: 1 of 3
    assert plot_dates(network, max_gap=7) == [("start", D(2024, 12, 4), 33.3, 3)]
    # 20 d: only A-03 is left out; A-01 and A-02 of 4
    assert plot_dates(network, max_gap=20) == [
        ("start", D(2024, 12, 4), 25.0, 4),
        ("general", D(2024, 12, 6), 50.0, 4),
    ]


def test_views_add_the_plants_left_out_and_refuse_mixtures(network):
    with session_scope(network) as s:
        view = stages_view(session=s, season=2024, stages=["FLS"], max_gap=7)
        assert [(r["status"], r["n_plants"], r["n_excluded"]) for r in view.records] == [
            ("start", 3, 2)
        ]
        plants = stages_view(session=s, season=2024, stages=["FLS"], plants=True, max_gap=7)
        assert [(r["plant"], r["kept"]) for r in plants.records] == [
            ("A-01", True), ("A-02", False), ("A-03", False), ("A-04", None), ("A-05", None),
        ]  # fmt: skip
        for kwargs in ({"bloom": True}, {"basis": True}, {"method": "flower_ratio"}):
            with pytest.raises(UsageError):
                stages_view(session=s, plants=True, **kwargs)
        with pytest.raises(UsageError):
            stages_view(session=s, method="flower_ratio", max_gap=3)


def test_postgresql_gives_the_same_figures(network, pg_url):
    pg = store(make_engine(pg_url))
    try:
        assert metrics(pg, season=2024) == metrics(network, season=2024)
        assert plot_dates(pg, max_gap=20) == plot_dates(network, max_gap=20)
    finally:
        pg.dispose()
