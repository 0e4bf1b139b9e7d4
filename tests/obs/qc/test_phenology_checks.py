"""QC engine: phenology checks per plant and season (spec §5 and §11.2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from obs.qc import run_checks
from schemas.qc_rules import DEFAULT_QC_RULES

#: One clean 2024/25 season of plant 1: (stage, date, extra columns).
CLEAN_SEASON: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("FBV", "2024-08-01", {}),
    ("FBC", "2024-11-10", {}),
    ("FLS", "2024-12-05", {"percent": 10.0}),
    ("FLS", "2024-12-09", {"percent": 30.0}),
    (
        "FLF",
        "2024-12-28",
        {"flowers_open": 25, "buds_unopened": 20, "flowers_withered": 5, "open_ratio": 50.0},
    ),
    ("FLE", "2025-02-10", {}),
    ("LBS", "2025-02-20", {}),
    ("LUS", "2025-03-10", {}),
    ("LUF", "2025-04-10", {}),  # season 2025/26 by date: leaf-out of the 2024/25 bloom
)


def visits(*rows: tuple[str, str, dict[str, Any]], plant: int = 1) -> pd.DataFrame:
    """Phenology rows (ids 1, 2, …) joined like the driver does (tag, plot, cultivar)."""
    records = [
        {
            "id": i + 1,
            "plant_id": plant,
            "tag": f"P{plant}",
            "plot_code": "BB-01",
            "cultivar": "素心",
            "obs_date": dt.date.fromisoformat(day),
            "stage_code": stage,
            "reached": True,
            "percent": None,
            "flowers_open": None,
            "buds_unopened": None,
            "flowers_withered": None,
            "open_ratio": None,
            "note": "",
            **extra,
        }
        for i, (stage, day, extra) in enumerate(rows)
    ]
    return pd.DataFrame(records)


def flagged(name: str, frame: pd.DataFrame) -> list[tuple[int, str, int]]:
    """(record_id, element, flag) of one phenology check, sorted."""
    found = run_checks("phenology", frame, DEFAULT_QC_RULES, only=[name])
    return sorted(zip(found["record_id"], found["element"], found["flag"], strict=True))


def test_a_clean_season_gets_no_findings() -> None:
    assert run_checks("phenology", visits(*CLEAN_SEASON), DEFAULT_QC_RULES).empty


def test_stage_order_flags_both_first_dates() -> None:
    frame = visits(
        ("FLS", "2024-12-05", {}),
        ("FLF", "2024-12-01", {}),
        ("FLF", "2024-12-20", {}),
        ("LCS", "2024-11-01", {}),
    )
    assert flagged("stage_order", frame) == [(1, "obs_date", 2), (2, "obs_date", 2)]
    found = run_checks("phenology", frame, DEFAULT_QC_RULES, only=["stage_order"])
    assert set(found["reason"]) == {"FLS first on 2024-12-05 is after FLF first on 2024-12-01"}


def test_stage_order_is_per_plant_and_season() -> None:
    # FLF of 2023/24 (Jan 2024) precedes FLS of 2024/25: different seasons, no finding.
    frame = pd.concat(
        [
            visits(("FLF", "2024-01-05", {}), ("FLS", "2024-12-05", {})),
            visits(("FLF", "2024-12-01", {}), plant=2),
        ],
        ignore_index=True,
    )
    frame["id"] = range(1, 4)
    assert flagged("stage_order", frame) == []


def test_leaf_out_before_first_flowering_is_a_warning() -> None:
    frame = visits(
        ("LBS", "2024-11-20", {}),
        ("FLS", "2024-12-05", {}),
        ("LUF", "2025-04-10", {}),
        ("FLS", "2025-12-05", {}),
    )
    # LUF in April 2025 is before the 2025/26 FLS, but before that bloom's window opens.
    assert flagged("leaf_before_flowering", frame) == [(1, "obs_date", 1)]


def test_stage_windows_wrap_the_new_year() -> None:
    frame = visits(("FLS", "2024-09-30", {}), ("FLS", "2025-01-20", {}), plant=1)
    late = visits(("FLS", "2026-02-20", {}), plant=2)
    late["id"] = 3
    both = pd.concat([frame, late], ignore_index=True)
    # Plant 1: only the first FLS date of 2024/25 is checked (30 Sep: outside 15 Oct–15 Feb).
    assert flagged("outside_stage_window", both) == [(1, "obs_date", 1), (3, "obs_date", 1)]


def test_percentages_outside_0_100_are_errors() -> None:
    frame = visits(
        ("FLS", "2024-12-05", {"percent": 120.0}),
        ("FLF", "2024-12-28", {"open_ratio": -1.0}),
        ("FLF", "2024-12-30", {"percent": 100.0, "open_ratio": 0.0}),
    )
    assert flagged("percent_out_of_range", frame) == [(1, "percent", 2), (2, "open_ratio", 2)]


def test_negative_counts_are_errors() -> None:
    frame = visits(("FLF", "2024-12-28", {"flowers_open": -3, "buds_unopened": 0}))
    assert flagged("negative_count", frame) == [(1, "flowers_open", 2)]


def test_percent_may_fall_by_observer_noise_only() -> None:
    frame = visits(
        ("FLS", "2024-12-05", {"percent": 30.0}),
        ("FLS", "2024-12-07", {"percent": 26.0}),
        ("FLS", "2024-12-09", {"percent": 20.0}),
        ("FLF", "2024-12-28", {"percent": 5.0}),
    )
    assert flagged("percent_decreasing", frame) == [(3, "percent", 1)]


def test_not_reached_after_reached_unless_corrected() -> None:
    frame = visits(
        ("FLS", "2024-12-01", {"reached": False}),
        ("FLS", "2024-12-05", {}),
        ("FLS", "2024-12-09", {"reached": False}),
        ("FLS", "2024-12-11", {"reached": False, "note": "更正：前次误记"}),
    )
    assert flagged("not_reached_after_reached", frame) == [(3, "reached", 1)]


def test_bloom_duration_outside_10_to_90_days() -> None:
    short = visits(("FLS", "2024-12-05", {}), ("FLE", "2024-12-10", {}))
    normal = visits(("FLS", "2024-12-05", {}), ("FLE", "2025-01-20", {}), plant=2)
    long = visits(("FLS", "2024-11-01", {}), ("FLE", "2025-03-01", {}), plant=3)
    frame = pd.concat([short, normal, long], ignore_index=True)
    frame["id"] = range(1, 7)
    assert flagged("bloom_duration", frame) == [(2, "obs_date", 1), (6, "obs_date", 1)]


def test_open_ratio_must_match_its_counts() -> None:
    counts = {"flowers_open": 5, "buds_unopened": 40, "flowers_withered": 5}  # 10 %
    frame = visits(
        ("FLF", "2024-12-20", {**counts, "open_ratio": 12.0}),
        ("FLF", "2024-12-22", {**counts, "open_ratio": 10.9}),
        ("FLF", "2024-12-24", {"flowers_open": 5, "open_ratio": 60.0}),
    )
    assert flagged("open_ratio_mismatch", frame) == [(1, "open_ratio", 1)]


def test_rows_with_only_the_required_columns_are_checked() -> None:
    frame = pd.DataFrame(
        {
            "id": [1, 2],
            "plant_id": [1, 1],
            "obs_date": [dt.date(2024, 8, 1), dt.date(2024, 12, 1)],
            "stage_code": ["FLS", "UNKNOWN"],
        }
    )
    found = run_checks("phenology", frame, DEFAULT_QC_RULES)
    assert list(zip(found["record_id"], found["check_name"], strict=True)) == [
        (1, "outside_stage_window")
    ]


# --- plain contradictions (issue 13, point 2) ----------------------------------------------

NO_MEASURE: dict[str, Any] = {}


def findings_of(frame: pd.DataFrame, *names: str) -> list[tuple[int, str, int, str]]:
    found = run_checks("phenology", frame, DEFAULT_QC_RULES, only=list(names))
    return sorted(
        zip(found["record_id"], found["check_name"], found["flag"], found["reason"], strict=True)
    )


def test_full_bloom_below_its_criterion_is_an_error() -> None:
    frame = visits(
        # 1 open of 7 counted = 14.3 % < 50 %: error, whatever open_ratio the row carries
        ("FLF", "2024-12-20", {"flowers_open": 1, "buds_unopened": 6, "flowers_withered": 0}),
        ("FLF", "2024-12-28", {"flowers_open": 25, "buds_unopened": 25, "open_ratio": 50.0}),
        ("FLF", "2024-12-21", {"percent": 30.0}),  # percent alone: 30 % open < 50 %
        ("FLE", "2025-02-10", {"flowers_open": 2, "buds_unopened": 0, "flowers_withered": 8}),
        ("FLE", "2025-02-12", {"flowers_open": 3, "buds_unopened": 0, "flowers_withered": 7}),
        ("FLF", "2024-12-19", {"flowers_open": 1, "buds_unopened": 6, "reached": False}),
    )
    assert findings_of(frame, "below_stage_criterion") == [
        (
            1,
            "below_stage_criterion",
            2,
            "FLF reached but its open share is 14.3 % (1 open of 7 counted), below the "
            "stage's criterion ≥ 50 %",
        ),
        (
            3,
            "below_stage_criterion",
            2,
            "FLF reached but its open share is 30.0 % (from its percent), below the stage's "
            "criterion ≥ 50 %",
        ),
        (
            5,
            "below_stage_criterion",
            2,
            "FLE reached but its withered share is 70.0 % (7 withered of 10 counted), below "
            "the stage's criterion ≥ 80 %",
        ),
    ]


def test_full_bloom_after_the_plants_own_end_of_flowering_is_an_error() -> None:
    frame = visits(
        ("FLF", "2024-12-28", {"flowers_open": 30, "buds_unopened": 20}),
        ("FLE", "2025-02-10", NO_MEASURE),
        ("FLF", "2025-02-15", {"flowers_open": 30, "buds_unopened": 20}),
        ("FLF", "2025-02-10", {"flowers_open": 30, "buds_unopened": 20}),  # same day: not after
    )
    other_plant = visits(("FLE", "2025-01-20", NO_MEASURE), plant=2).assign(id=9)
    assert findings_of(pd.concat([frame, other_plant]), "stage_after_closing") == [
        (3, "stage_after_closing", 2, "FLF on 2025-02-15 after this plant's FLE on 2025-02-10 "
         "(record #2)"),
    ]  # fmt: skip


def test_a_second_end_of_flowering_after_fruit_set_is_suspect() -> None:
    frame = visits(
        ("FLE", "2025-02-10", NO_MEASURE),
        ("FRS", "2025-03-01", NO_MEASURE),
        ("FLE", "2025-03-05", {"percent": 95.0}),
    )
    assert findings_of(frame, "stage_after_closing") == [
        (3, "stage_after_closing", 1, "FLE on 2025-03-05 after this plant's FRS on 2025-03-01 "
         "(record #2)"),
    ]  # fmt: skip
    # the only FLE after fruit set is no contradiction (early flowers can set fruit first)
    assert findings_of(frame.iloc[1:], "stage_after_closing") == []


def test_percent_against_counts_that_give_another_ratio_is_suspect() -> None:
    frame = visits(
        # 10 open of 17 = 58.8 % open, percent says 30
        ("FLF", "2024-12-28", {"percent": 30.0, "flowers_open": 10, "buds_unopened": 7}),
        ("FLS", "2024-12-05", {"percent": 6.0, "flowers_open": 1, "buds_unopened": 16}),  # 5.9
        ("FLE", "2025-02-10", {"percent": 90.0, "flowers_withered": 17, "flowers_open": 3}),
        ("FBC", "2024-11-10", {"percent": 50.0, "flowers_open": 0, "buds_unopened": 9}),
    )
    assert findings_of(frame, "percent_counts_mismatch") == [
        (1, "percent_counts_mismatch", 1, "percent 30 but the counts give 58.8 % open (10 of 17)"),
        (3, "percent_counts_mismatch", 1, "percent 90 but the counts give 85.0 % withered "
         "(17 of 20)"),
    ]  # fmt: skip


def test_the_same_stage_twice_without_a_measure_is_suspect() -> None:
    frame = visits(
        ("FLS", "2024-12-05", NO_MEASURE),
        ("FLS", "2024-12-09", NO_MEASURE),
        ("FLS", "2024-12-12", {"percent": 40.0}),  # a progress visit
        ("FLS", "2024-12-14", {"reached": False, "note": "更正"}),
        ("FLS", "2025-12-09", NO_MEASURE),  # next season
    )
    assert findings_of(frame, "stage_recorded_twice") == [
        (2, "stage_recorded_twice", 1, "FLS again on 2024-12-09; first recorded on 2024-12-05 "
         "(record #1), no percent or counts"),
    ]  # fmt: skip
