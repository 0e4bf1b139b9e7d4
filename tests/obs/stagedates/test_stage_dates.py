"""Derived stage dates: thresholds on hand-built visits, flower ratio, corrections, day counts.

Reference values are hand computations from the rules of the domain specification: the 10 / 50 /
80 % plant-share rule (§2.2), the flower-ratio thresholds 5 / 50 % open and 80 % withered (§5)
and the multi-year mean-date method with its worked example (§9.4, after the CMA phenology
method book: 10 day counts summing to 293 give 29.3 -> 29).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pytest
from sqlalchemy import event
from sqlmodel import select

from obs.db import session_scope
from obs.errors import InvalidValueError, NotFoundError, UsageError
from obs.records.create import create
from obs.stagedates import (
    StageDate,
    basis_text,
    bloom_table,
    date_of_day_count,
    day_count,
    derive_stage_dates,
    mean_day_count,
    stage_dates_frame,
    stages_view,
    trend_per_decade,
)
from obs.stagedates.labels import column_label
from schemas import tables as T
from tests.conftest import seed_sites

D = dt.date


def record(engine, visits: Iterable[tuple]) -> None:
    """Store (plant, date, stage[, extra fields]) visits in one session."""
    with session_scope(engine) as s:
        for plant, day, stage, *extra in visits:
            raw = {"plant": plant, "obs_date": day.isoformat(), "stage_code": stage}
            raw.update(extra[0] if extra else {})
            create("phenology", raw, session=s)


def derive(engine, **kwargs) -> list[StageDate]:
    with session_scope(engine) as s:
        return derive_stage_dates(session=s, **kwargs)


def pick(rows: list[StageDate], stage: str, status: str | None = None, season: int | None = None):
    found = [
        r
        for r in rows
        if r.stage_code == stage
        and (status is None or r.status == status)
        and (season is None or r.season == season)
    ]
    return {r.status: r for r in found} if status is None else found[0]


@pytest.fixture
def ten(engine):
    """Plot JG-A with A-01…A-11; A-nn reaches FLS on 1 Dec + nn days for nn = 1…10.

    A-11 is marked but never visited in the season; A-10 is also seen not yet flowering on
    1 Dec; A-01 is visited again (still in FLS) on 20 Dec.
    """
    seed_sites(engine, plants=11)
    visits = [(f"A-{n:02d}", D(2024, 12, 1 + n), "FLS") for n in range(1, 11)]
    visits += [("A-10", D(2024, 12, 1), "FLS", {"reached": "no"}), ("A-01", D(2024, 12, 20), "FLS")]
    record(engine, visits)
    return engine


# --- plant-share mode ----------------------------------------------------------------------


def test_start_general_end_are_the_1st_5th_and_8th_plant_of_ten(ten):
    fls = pick(derive(ten), "FLS")
    assert (fls["start"].date, fls["general"].date, fls["end"].date) == (
        D(2024, 12, 2),
        D(2024, 12, 6),
        D(2024, 12, 9),
    )
    assert [fls[s].percent for s in ("start", "general", "end")] == [10.0, 50.0, 80.0]
    assert {r.n_plants for r in fls.values()} == {10}  # A-11 was never visited: not counted
    assert fls["start"].basis == (("A-01", D(2024, 12, 2)),)
    assert [tag for tag, _ in fls["end"].basis] == [f"A-{n:02d}" for n in range(1, 9)]
    assert {r.method for r in fls.values()} == {"plants"}
    assert set(fls) == {"start", "general", "end"}


def test_stage_nobody_reached_is_not_reached(ten):
    rows = derive(ten)
    flf = pick(rows, "FLF", "not_reached")
    assert (flf.date, flf.percent, flf.n_plants, flf.basis) == (None, 0.0, 10, ())
    # the bloom stages are always reported; other stages only when recorded or asked for
    assert {r.stage_code for r in rows} == {"FBC", "FLS", "FLF", "FLE"}
    asked = derive(ten, stages=["LBS"])
    assert [(r.stage_code, r.status) for r in asked] == [("LBS", "not_reached")]


def test_partly_reached_stage_has_only_the_crossed_statuses(engine):
    seed_sites(engine, plants=10)
    record(
        engine,
        [("A-01", D(2024, 12, 3), "FLF"), ("A-02", D(2024, 12, 4), "FLF")]
        + [(f"A-{n:02d}", D(2024, 12, 1), "FBC") for n in range(1, 11)],
    )
    flf = pick(derive(engine), "FLF")
    assert set(flf) == {"start"}
    assert (flf["start"].date, flf["start"].percent) == (D(2024, 12, 3), 10.0)


def test_plants_reaching_on_the_same_day_count_together(engine):
    seed_sites(engine, plants=10)
    record(engine, [(f"A-{n:02d}", D(2024, 12, 5 if n <= 6 else 9), "FLS") for n in range(1, 11)])
    fls = pick(derive(engine), "FLS")
    assert fls["start"].date == fls["general"].date == D(2024, 12, 5)
    assert fls["start"].percent == 60.0  # 6 of 10 on that day, all in the basis
    assert len(fls["start"].basis) == 6
    assert (fls["end"].date, fls["end"].percent) == (D(2024, 12, 9), 100.0)


def test_two_cultivars_in_one_plot_are_never_mixed(engine):
    seed_sites(engine, plants=4)
    with session_scope(engine) as s:
        create("plant", {"tag": "B-01", "plot": "JG-A", "cultivar": "GOUYA"}, session=s)
    record(
        engine,
        [
            ("A-01", D(2024, 12, 10), "FLS"),
            ("A-02", D(2024, 12, 12), "FLS"),
            ("A-03", D(2024, 12, 14), "FLS"),
            ("A-04", D(2024, 12, 16), "FLS"),
            ("B-01", D(2024, 11, 20), "FLS"),
        ],
    )
    rows = [r for r in derive(engine) if r.stage_code == "FLS"]
    by = {(r.cultivar, r.status): r for r in rows}
    assert by["GOUYA", "start"].date == by["GOUYA", "end"].date == D(2024, 11, 20)
    assert by["GOUYA", "start"].n_plants == 1
    assert by["SUXIN", "start"].date == D(2024, 12, 10)
    assert by["SUXIN", "general"].date == D(2024, 12, 12)  # 2 of 4 = 50 %
    assert by["SUXIN", "end"].date == D(2024, 12, 16)  # 4 of 4 (3 of 4 = 75 % < 80 %)
    assert {r.n_plants for r in rows if r.cultivar == "SUXIN"} == {4}


def test_amendment_and_soft_delete_change_the_derived_date(ten):
    with session_scope(ten) as s:
        rec = s.exec(
            select(T.PhenologyObservation)
            .join(T.Plant)
            .where(T.Plant.tag == "A-05", T.PhenologyObservation.stage_code == "FLS")
        ).one()
        rec.obs_date = D(2024, 12, 15)  # A-05 reached on 15 Dec, not 6 Dec
        s.add(rec)
        s.flush()
        general = pick(derive_stage_dates(session=s), "FLS", "general")
        assert general.date == D(2024, 12, 7)  # now the 5th plant is A-06
    with session_scope(ten) as s:
        rec = s.exec(
            select(T.PhenologyObservation)
            .join(T.Plant)
            .where(T.Plant.tag == "A-01", T.PhenologyObservation.obs_date == D(2024, 12, 2))
        ).one()
        rec.deleted_at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        s.add(rec)
    fls = pick(derive(ten), "FLS")
    # A-01's later visit (20 Dec) is now its first date; it stays in the denominator
    assert fls["start"].date == D(2024, 12, 3)
    assert fls["start"].basis == (("A-02", D(2024, 12, 3)),)
    # first dates now: A-02…A-04 3–5 Dec, A-06…A-10 7–11 Dec, A-05 15 Dec, A-01 20 Dec
    assert fls["end"].date == D(2024, 12, 11)  # the 8th is A-10
    assert fls["end"].n_plants == 10


def test_deleted_plant_leaves_numerator_and_denominator(ten):
    with session_scope(ten) as s:
        plant = s.exec(select(T.Plant).where(T.Plant.tag == "A-01")).one()
        plant.deleted_at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        s.add(plant)
    fls = pick(derive(ten), "FLS")
    assert fls["start"].n_plants == 9
    # 1 of 9 = 11.1 % on 3 Dec; 5 of 9 = 55.6 % on 7 Dec (4 of 9 = 44.4 % on 6 Dec)
    assert (fls["start"].date, fls["start"].percent) == (D(2024, 12, 3), 11.1)
    assert (fls["general"].date, fls["general"].percent) == (D(2024, 12, 7), 55.6)


# --- flower-ratio mode ---------------------------------------------------------------------


def counts(n_open: int, buds: int, withered: int) -> dict[str, str]:
    return {
        "flowers_open": str(n_open),
        "buds_unopened": str(buds),
        "flowers_withered": str(withered),
    }


def test_flower_ratio_mode_hand_checked(engine):
    seed_sites(engine, plants=3)
    record(
        engine,
        [
            ("A-01", D(2024, 12, 1), "FLS", counts(1, 39, 0)),  # 2.5 % open
            ("A-02", D(2024, 12, 1), "FLS", {"reached": "no", **counts(0, 40, 0)}),  # 0 %
            ("A-01", D(2024, 12, 5), "FLS", counts(4, 36, 0)),  # 10 %
            ("A-03", D(2024, 12, 5), "FLS", counts(2, 38, 0)),  # 5 %
            ("A-01", D(2024, 12, 20), "FLF", counts(24, 12, 4)),  # 60 % open, 10 % withered
            # 40 %, 10 %: below FLF's 50 %, so not reached (the visit still enters the mean)
            ("A-02", D(2024, 12, 20), "FLF", {"reached": "no", **counts(16, 20, 4)}),
            ("A-03", D(2024, 12, 20), "FLF", counts(20, 20, 0)),  # 50 %, 0 %
            ("A-01", D(2025, 1, 25), "FLE", counts(2, 0, 38)),  # 95 % withered
            ("A-02", D(2025, 1, 25), "FLE", counts(4, 0, 36)),  # 90 % withered
            ("A-03", D(2025, 2, 2), "FLE", counts(6, 0, 34)),  # 85 % withered
        ],
    )
    rows = {r.stage_code: r for r in derive(engine, method="flower_ratio")}
    # 1 Dec: mean open (2.5 + 0) / 2 = 1.25 < 5; 5 Dec: (10 + 0 + 5) / 3 = 5.0 -> FLS
    assert (rows["FLS"].date, rows["FLS"].percent, rows["FLS"].n_plants) == (D(2024, 12, 5), 5.0, 3)
    assert rows["FLS"].basis == (
        ("A-01", D(2024, 12, 5)),
        ("A-02", D(2024, 12, 1)),
        ("A-03", D(2024, 12, 5)),
    )
    # 20 Dec: (60 + 40 + 50) / 3 = 50.0 -> FLF
    assert (rows["FLF"].date, rows["FLF"].percent) == (D(2024, 12, 20), 50.0)
    # 25 Jan: withered (95 + 90 + 0) / 3 = 61.7 < 80; 2 Feb: (95 + 90 + 85) / 3 = 90 -> FLE
    assert (rows["FLE"].date, rows["FLE"].percent) == (D(2025, 2, 2), 90.0)
    assert {r.status for r in rows.values()} == {"general"}
    assert {r.method for r in rows.values()} == {"flower_ratio"}


def test_flower_ratio_uses_percent_without_counts_and_says_not_reached(engine):
    seed_sites(engine, plants=2)
    record(
        engine,
        [
            ("A-01", D(2024, 12, 18), "FLF", {"percent": "40", "reached": "no"}),
            ("A-02", D(2024, 12, 18), "FLF", {"percent": "70"}),  # mean 55 % open
            ("A-01", D(2025, 2, 1), "FLE", {"percent": "80"}),
            # mean 75 % withered < 80; 70 % is below FLE's 80 %: not reached
            ("A-02", D(2025, 2, 1), "FLE", {"percent": "70", "reached": "no"}),
        ],
    )
    rows = {r.stage_code: r for r in derive(engine, method="flower_ratio")}
    assert (rows["FLS"].date, rows["FLF"].date) == (D(2024, 12, 18), D(2024, 12, 18))
    assert rows["FLF"].percent == 55.0
    assert (rows["FLE"].status, rows["FLE"].date, rows["FLE"].percent) == (
        "not_reached",
        None,
        75.0,
    )


# --- day counts, mean dates, anomalies, trend ----------------------------------------------


def test_mean_date_worked_example_of_the_method_book():
    # §9.4: day counts from 1 March, April dates as 31 + day; 10 years summing to 293
    dates = [D(2000 + i, 3, d) for i, d in enumerate((25, 27, 28, 29, 30, 31))]
    dates += [D(2006, 4, 1), D(2007, 3, 30), D(2008, 3, 31), D(2009, 3, 30)]
    counts_ = [day_count(day, day.year, origin=(3, 1)) for day in dates]
    assert counts_[6] == 32  # 1 April = 31 + 1
    assert sum(counts_) == 293
    assert mean_day_count(counts_) == 29  # 29.3 rounds to 29
    assert date_of_day_count(29, 2010, origin=(3, 1)) == D(2010, 3, 29)


def test_mean_date_across_the_new_year():
    # 28 Dec (season 2020) = day 89 from 1 Oct; 3 Jan 2022 (season 2021) = day 95
    c1, c2 = day_count(D(2020, 12, 28), 2020), day_count(D(2022, 1, 3), 2021)
    assert (c1, c2) == (89, 95)
    assert date_of_day_count(mean_day_count([c1, c2]), 2023) == D(2023, 12, 31)


def test_mean_rounds_half_up():
    assert mean_day_count([1, 2]) == 2  # 1.5 -> 2
    assert mean_day_count([-2, -1]) == -1  # -1.5 -> -1 (half-up, towards later)
    assert mean_day_count([10, 10, 11]) == 10  # 10.33 -> 10


def test_trend_of_two_days_earlier_per_season_is_minus_twenty_per_decade():
    seasons = list(range(2010, 2020))
    assert trend_per_decade(seasons, [80 - 2 * i for i in range(10)]) == -20.0
    assert trend_per_decade(seasons[:4], [80, 78, 76, 74]) is None  # < 5 seasons


def test_anomaly_against_the_mean_of_earlier_seasons(engine):
    seed_sites(engine, plants=1)
    fls = {2020: D(2020, 12, 10), 2021: D(2021, 12, 14), 2022: D(2022, 12, 12), 2023: D(2024, 1, 2)}
    record(engine, [("A-01", day, "FLS") for day in fls.values()])
    rows = {r.season: r for r in derive(engine, stages=["FLS"]) if r.status == "general"}
    assert rows[2020].anomaly_days is None and rows[2021].anomaly_days is None  # < 2 earlier
    # 2022: day 73 − round((71 + 75) / 2 = 73) = 0
    assert rows[2022].anomaly_days == 0
    # 2023: 2 Jan = day 94; earlier mean (71 + 75 + 73) / 3 = 73 -> +21 days (later)
    assert rows[2023].anomaly_days == 21
    # the current season is not in its own mean: asking for one season gives the same value
    assert pick(derive(engine, season=2023, stages=["FLS"]), "FLS", "general").anomaly_days == 21


def test_bloom_table_durations_anomalies_and_trend(engine):
    seed_sites(engine, plants=1)
    visits = []
    for i, season in enumerate(range(2018, 2024)):  # each season 2 days earlier
        start = D(season, 12, 20) - dt.timedelta(days=2 * i)
        visits += [
            ("A-01", start, "FLS"),
            ("A-01", start + dt.timedelta(days=10), "FLF"),
            ("A-01", start + dt.timedelta(days=30 + i), "FLE"),
        ]
    record(engine, visits)
    with session_scope(engine) as s:
        table = bloom_table(session=s)
    assert list(table["season"]) == list(range(2018, 2024))
    assert table["season_label"].iloc[0] == "2018/19"
    assert list(table["fls_date"])[:2] == [D(2018, 12, 20), D(2019, 12, 18)]
    assert list(table["duration_days"]) == [30, 31, 32, 33, 34, 35]
    assert table["fls_trend"].iloc[0] == -20.0
    assert table["duration_trend"].iloc[0] == 10.0  # +1 day per season
    # FLS day counts 81 (20 Dec), 79, 77, 75, 73, 71; 2020: 77 − mean(81, 79) = −3;
    # 2022: 73 − round(78.0) = −5
    assert list(table["fls_anomaly"]) == [None, None, -3, -4, -5, -6]
    # durations 30…35; 2020: 32 − round(30.5 -> 31) = 1; 2022: 34 − round(31.5 -> 32) = 2
    assert list(table["duration_anomaly"]) == [None, None, 1, 2, 2, 3]
    # mean FLS day count over all six seasons: (81+79+77+75+73+71) / 6 = 76 -> 15 Dec
    assert table["fls_mean"].iloc[0] == "12-15"
    assert table["fbc_date"].iloc[0] is None


def six_seasons(engine) -> None:
    """Seasons 2018/19…2023/24 of one plant: FLS 2 days earlier each season (20 Dec 2018 …
    10 Dec 2023), FLF 10 days after FLS, FLE 30 + i days after FLS."""
    seed_sites(engine, plants=1)
    visits = []
    for i, season in enumerate(range(2018, 2024)):
        start = D(season, 12, 20) - dt.timedelta(days=2 * i)
        visits += [
            ("A-01", start, "FLS"),
            ("A-01", start + dt.timedelta(days=10), "FLF"),
            ("A-01", start + dt.timedelta(days=30 + i), "FLE"),
        ]
    record(engine, visits)


def bloom(engine, **kwargs):
    with session_scope(engine) as s:
        return bloom_table(session=s, **kwargs)


def test_bloom_anomaly_names_its_baseline_of_earlier_seasons(engine):
    six_seasons(engine)
    table = bloom(engine).set_index("season")
    # FLS day counts 81, 79, 77, 75, 73, 71 (20 Dec = day 81 from 1 Oct).
    # 2023: earlier mean (81+79+77+75+73) / 5 = 77 -> 16 Dec; anomaly 71 − 77 = −6
    assert table.loc[2023, ["fls_baseline", "fls_baseline_n", "fls_anomaly"]].tolist() == [
        "12-16",
        5,
        -6,
    ]
    # 2020: (81 + 79) / 2 = 80 -> 19 Dec; 77 − 80 = −3; fewer than 2 earlier seasons: none
    assert table.loc[2020, ["fls_baseline", "fls_baseline_n"]].tolist() == ["12-19", 2]
    assert table.loc[2019, ["fls_baseline", "fls_baseline_n", "fls_anomaly"]].tolist() == [
        None,
        None,
        None,
    ]
    # the all-season mean differs from the baseline: 76 -> 15 Dec on every row
    assert set(table["fls_mean"]) == {"12-15"}
    # durations 30…35: 2023 baseline round((30+…+34) / 5 = 32) = 32, anomaly 35 − 32 = 3
    assert table.loc[2023, ["duration_baseline", "duration_baseline_n"]].tolist() == [32, 5]
    for season, row in table.iterrows():
        if row["fls_baseline"] is not None:
            base = dt.date(season, *map(int, row["fls_baseline"].split("-")))
            assert row["fls_anomaly"] == (row["fls_date"] - base).days


def test_bloom_season_and_year_select_rows_but_statistics_use_all_seasons(engine):
    six_seasons(engine)
    full = bloom(engine).set_index("season")
    one = bloom(engine, season=2022)
    assert one["season"].tolist() == [2022]
    assert one.iloc[0].to_dict() == full.loc[2022].to_dict() | {"season": 2022}
    assert one["fls_trend"].iloc[0] == -20.0  # trend still over the six seasons
    # calendar year 2023: FLE of 2022/23 (15 Jan 2023) and FLS of 2023/24 (10 Dec 2023)
    assert bloom(engine, year=2023)["season"].tolist() == [2022, 2023]
    with pytest.raises(UsageError, match="give --season or --year, not both"):
        bloom(engine, season=2022, year=2023)


def test_bloom_stages_select_columns_and_refuse_other_stages(engine):
    six_seasons(engine)
    table = bloom(engine, stages=["FLS"])
    assert [c for c in table.columns if c.startswith(("fbc", "flf", "fle"))] == []
    assert {"fls_date", "fls_baseline", "duration_days"} <= set(table.columns)
    with pytest.raises(UsageError, match="--stage LBS is not a stage of the bloom"):
        bloom(engine, stages=["LBS"])
    with pytest.raises(UsageError, match="FBC"):
        bloom(engine, stages=["FBC"], method="flower_ratio")


def test_bloom_summary_rows_follow_each_plot(engine):
    six_seasons(engine)
    table = bloom(engine, with_summary=True, season=2023)
    assert table["season_label"].tolist() == ["2023/24", "mean", "trend"]
    mean, trend = table.iloc[1], table.iloc[2]
    assert mean["season"] is None and mean["fls_date"] == "12-15" and mean["duration_days"] == 33
    assert trend["fls_date"] == -20.0 and trend["duration_days"] == 10.0


def test_view_refuses_basis_with_bloom_and_labels_both_means(engine):
    six_seasons(engine)
    with session_scope(engine) as s:
        with pytest.raises(UsageError, match="--basis"):
            stages_view(session=s, bloom=True, basis=True)
        view = stages_view(session=s, bloom=True, lang="zh")
    assert view.labels["fls_baseline"] == "始花期往年平均（不含本季）"
    assert [r["season_label"] for r in view.shown][-2:] == ["多年平均（全部年份）", "趋势(天/10年)"]
    assert [r["season"] for r in view.records] == list(range(2018, 2024))
    assert column_label("fls_mean", "en") == "First flowering mean of all seasons"
    assert column_label("fls_baseline", "en") == "First flowering mean of earlier seasons"


# --- selection, errors, efficiency ---------------------------------------------------------


def test_season_and_year_select_rows(engine):
    seed_sites(engine, plants=1)
    record(
        engine,
        [
            ("A-01", D(2023, 12, 10), "FLS"),
            ("A-01", D(2024, 12, 11), "FLS"),
            ("A-01", D(2025, 1, 20), "FLE"),
        ],
    )
    assert {r.season for r in derive(engine, season=2024)} == {2024}
    in_2025 = derive(engine, year=2025, stages=["FLS", "FLE"])
    # 2025 holds FLE of 2024/25 (20 Jan); FLS of 2024/25 fell in 2024
    assert [(r.stage_code, r.season, r.status, r.date) for r in in_2025 if r.date] == [
        ("FLE", 2024, status, D(2025, 1, 20)) for status in ("start", "general", "end")
    ]
    # FLE not reached in 2023/24: its window opens 1 Dec 2023, so it belongs to 2023
    assert all(r.season == 2024 for r in in_2025)
    in_2023 = derive(engine, year=2023, stages=["FLS", "FLE"])
    assert {(r.stage_code, r.status) for r in in_2023} == {
        ("FLS", "start"),
        ("FLS", "general"),
        ("FLS", "end"),
        ("FLE", "not_reached"),
    }


def test_year_view_gives_the_same_dates_as_the_season_view(engine):
    # A-10 is first visited in January: it is in the season's denominator for December too
    seed_sites(engine, plants=10)
    record(
        engine,
        [(f"A-{n:02d}", D(2024, 12, 1 + n), "FLS") for n in range(1, 10)]
        + [("A-10", D(2025, 1, 5), "FLS")],
    )
    in_season = {(r.stage_code, r.status): r for r in derive(engine, season=2024)}
    in_2024 = {(r.stage_code, r.status): r for r in derive(engine, year=2024)}
    assert in_2024["FLS", "general"] == in_season["FLS", "general"]
    assert (in_2024["FLS", "general"].percent, in_2024["FLS", "general"].n_plants) == (50.0, 10)


@pytest.mark.parametrize(
    ("kwargs", "error", "needle"),
    [
        ({"method": "median"}, InvalidValueError, "not a stage-date method"),
        ({"season": 2024, "year": 2024}, UsageError, "give --season or --year, not both"),
        ({"stages": ["XYZ"]}, NotFoundError, "no stage 'XYZ'"),
        ({"method": "flower_ratio", "stages": ["LBS"]}, InvalidValueError, "no flower-ratio"),
        ({"plot": "NOPE"}, NotFoundError, "no plot 'NOPE'"),
        ({"station": "99999"}, NotFoundError, "no station '99999'"),
    ],
)
def test_refusals(ten, kwargs, error, needle):
    with pytest.raises(error, match=needle):
        derive(ten, **kwargs)


def test_query_count_does_not_grow_with_plants_or_seasons(engine):
    """A few grouped queries per call, never one per plant, stage or season."""
    seed_sites(engine, plants=10)

    def statements(**kwargs) -> int:
        seen: list[str] = []

        def listener(conn, cursor, statement, *rest) -> None:
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", listener)
        try:
            with session_scope(engine) as s:
                derive_stage_dates(session=s, **kwargs)
                bloom_table(session=s, **kwargs)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    record(engine, [(f"A-{n:02d}", D(2020, 12, n), "FLS") for n in range(1, 11)])
    one_season = statements(plot="JG-A")
    assert one_season <= 8  # schema check; per call: plot lookup, plants, one grouped query
    record(
        engine,
        [
            (f"A-{n:02d}", D(season, 12, n), "FLS")
            for season in range(2021, 2025)
            for n in range(1, 11)
        ]
        + [
            (f"A-{n:02d}", D(season, 12, 20 + n), "FLF")
            for season in range(2020, 2025)
            for n in range(1, 11)
        ],
    )
    assert statements(plot="JG-A") == one_season
    assert statements(plot="JG-A", method="flower_ratio") == one_season


def test_frame_has_the_fields_and_basis_text(ten):
    frame = stage_dates_frame(derive(ten))
    assert list(frame.columns) == [
        "station",
        "plot",
        "cultivar",
        "season",
        "stage_code",
        "status",
        "date",
        "percent",
        "method",
        "n_plants",
        "basis",
        "anomaly_days",
    ]
    start = frame[(frame.stage_code == "FLS") & (frame.status == "start")].iloc[0]
    assert start["basis"] == "A-01 2024-12-02"
    assert basis_text((("A-01", D(2024, 12, 5)), ("A-02", D(2024, 12, 6)))) == (
        "A-01 2024-12-05; A-02 2024-12-06"
    )


@pytest.mark.postgres
def test_postgresql_gives_the_same_dates(pg_url):
    from obs.db import make_engine

    eng = make_engine(pg_url)
    try:
        seed_sites(eng, plants=10)
        record(
            eng,
            [(f"A-{n:02d}", D(2024, 12, 1 + n), "FLS", counts(n, 20 - n, 0)) for n in range(1, 11)]
            + [("A-01", D(2025, 1, 30), "FLE", counts(0, 0, 9))],
        )
        fls = pick(derive(eng), "FLS")
        assert [fls[s].date for s in ("start", "general", "end")] == [
            D(2024, 12, 2),
            D(2024, 12, 6),
            D(2024, 12, 9),
        ]
        assert pick(derive(eng, year=2025), "FLE", "start").date == D(2025, 1, 30)
        ratio = {r.stage_code: r for r in derive(eng, method="flower_ratio")}
        assert ratio["FLS"].date == D(2024, 12, 2)  # A-01: 1 of 20 open = 5 %
        with session_scope(eng) as s:
            assert bloom_table(session=s)["fls_date"].iloc[0] == D(2024, 12, 6)
    finally:
        eng.dispose()
