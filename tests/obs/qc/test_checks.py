"""QC engine: registry, rules and overrides, day length, and the daily weather checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

from obs.errors import InputFormatError, InvalidValueError, NotFoundError
from obs.qc import KINDS, Site, day_length_hours, describe_checks, run_checks
from obs.qc import worst_flag_per_record as worst
from obs.qc.registry import CHECKS, FINDING_COLUMNS
from schemas.qc_rules import DEFAULT_QC_RULES, LimitOverride, QCRules, effective_limits
from schemas.tables import DailyWeather, PhenologyObservation, SubDailyWeather
from schemas.terms import Limits
from schemas.weather import DAILY_BY_CODE

BEIBEI = Site("57511", 29.8)

CLEAN_DAY: dict[str, Any] = {
    "station_id": 1,
    "t_mean": 8.0,
    "t_max": 12.0,
    "t_min": 5.0,
    "t02": 6.0,
    "t08": 5.5,
    "t14": 11.0,
    "t20": 8.0,
    "rh_mean": 80.0,
    "precip": 1.2,
    "precip_20_08": 0.5,
    "precip_08_20": 0.7,
    "precip_trace": False,
    "sunshine": 3.0,
    "wind_mean": 1.5,
    "wind_max": 4.0,
    "wind_gust": 7.0,
    "ground_min": 3.0,
    "phenomena": "rain",
}


def days(*changes: dict[str, Any], start: dt.date = dt.date(2024, 1, 10)) -> pd.DataFrame:
    """Consecutive clean days (ids 1, 2, …), each updated with its ``changes``."""
    rows = [
        {"id": i + 1, "obs_date": start + dt.timedelta(days=i), **CLEAN_DAY, **change}
        for i, change in enumerate(changes)
    ]
    return pd.DataFrame(rows)


def flagged(
    name: str, frame: pd.DataFrame, rules: QCRules = DEFAULT_QC_RULES, site: Site = BEIBEI
) -> list[tuple[int, str, int]]:
    """(record_id, element, flag) of one daily check, sorted."""
    found = run_checks("daily", frame, rules, only=[name], site=site)
    assert set(found["check_name"]) <= {name}
    return sorted(zip(found["record_id"], found["element"], found["flag"], strict=True))


# --- registry -------------------------------------------------------------------------------


def test_clean_days_get_no_findings() -> None:
    found = run_checks("daily", days({}, {}, {}), DEFAULT_QC_RULES, site=BEIBEI)
    assert list(found.columns) == list(FINDING_COLUMNS)
    assert found.empty


def test_findings_carry_check_name_and_reason() -> None:
    found = run_checks(
        "daily",
        days({"t_min": 12.3, "t_max": 10.1, "t_mean": 11.0}),
        DEFAULT_QC_RULES,
        only=["temperature_order"],
    )
    assert list(found["reason"]) == [
        "t_min 12.3 > t_max 10.1",
        "t_min 12.3 > t_mean 11",
        "t_mean 11 > t_max 10.1",
    ]
    assert set(found["check_name"]) == {"temperature_order"}


def test_worst_flag_ranks_error_over_missing_over_suspect() -> None:
    findings = pd.DataFrame(
        {
            "record_id": [1, 1, 2, 2, 3],
            "element": ["a", "b", "a", "b", "a"],
            "check_name": ["x"] * 5,
            "flag": [1, 8, 8, 2, 1],
            "reason": [""] * 5,
        }
    )
    assert worst(findings).to_dict() == {1: 8, 2: 2, 3: 1}


def test_describe_checks_lists_every_check_in_both_languages() -> None:
    en, zh = describe_checks("en"), describe_checks("zh")
    assert len(en) == len(CHECKS) == len(zh)
    assert set(en["kind"]) == set(KINDS)
    row = en[(en["name"] == "temperature_order") & (en["kind"] == "daily")].iloc[0]
    assert row["elements"] == "t_min,t_mean,t_max"
    assert "t_min ≤ t_mean ≤ t_max" in row["description"]
    assert zh["description"].str.len().gt(0).all()
    with pytest.raises(InvalidValueError):
        describe_checks("fr")


def test_run_checks_refuses_unknown_names_kinds_and_shapes() -> None:
    with pytest.raises(NotFoundError, match="no_such_check"):
        run_checks("daily", days({}), DEFAULT_QC_RULES, only=["no_such_check"])
    with pytest.raises(InvalidValueError):
        run_checks("hourly", days({}), DEFAULT_QC_RULES)
    with pytest.raises(InputFormatError, match="obs_date"):
        run_checks("daily", pd.DataFrame({"id": [1]}), DEFAULT_QC_RULES)


# --- rules and overrides --------------------------------------------------------------------


def test_default_limits_come_from_the_weather_vocabulary() -> None:
    assert DEFAULT_QC_RULES.daily_limits["t_max"] == DAILY_BY_CODE["t_max"].limits
    assert DEFAULT_QC_RULES.climate_extremes["t_max"].soft_max == 46.0
    assert DEFAULT_QC_RULES.climate_extremes["t_min"].soft_min == -7.0


def test_overrides_merge_from_least_to_most_specific() -> None:
    rules = QCRules(
        overrides={
            (None, 1): LimitOverride(daily={"t_max": Limits(-55, 55, -3, 25)}),
            ("57511", None): LimitOverride(daily={"t_max": Limits(-55, 55, -3, 44)}),
            ("57511", 1): LimitOverride(
                daily={"t_max": Limits(-55, 55, -3, 20)}, extremes={"t_max": Limits(soft_max=24.0)}
            ),
        }
    )
    assert effective_limits(rules, "daily", station="57511", month=1)["t_max"].soft_max == 20
    assert effective_limits(rules, "daily", station="57511", month=2)["t_max"].soft_max == 44
    assert effective_limits(rules, "daily", station="57000", month=1)["t_max"].soft_max == 25
    assert effective_limits(rules, "daily", station="57000", month=2)["t_max"].soft_max == 45.5
    assert effective_limits(rules, "extremes", station="57511", month=1)["t_max"].soft_max == 24
    assert rules.override("57511", 1).daily_limits["t_min"] == DAILY_BY_CODE["t_min"].limits


def test_station_month_override_changes_which_days_are_flagged() -> None:
    rules = QCRules(
        overrides={
            ("57511", 1): LimitOverride(daily={"t_max": Limits(-55, 55, -3, 20)}),
        }
    )
    frame = days({"t_max": 22.0}, {}, start=dt.date(2024, 1, 31))
    frame.loc[1, "t_max"] = 22.0  # 1 February: the January override does not apply
    assert flagged("outside_soft_limits", frame, rules) == [(1, "t_max", 1)]
    assert flagged("outside_soft_limits", frame, rules, Site("57000", 29.8)) == []
    assert flagged("outside_soft_limits", frame) == []


# --- day length -----------------------------------------------------------------------------


def test_day_length_at_beibei_solstices() -> None:
    # Spec §4.12: Beibei (29.8 °N) ≈ 10.2 h in December and ≈ 14.0 h in June (sunrise to
    # sunset with refraction, the CBM default p = 0.8333°, Forsythe et al. 1995).
    winter, summer = day_length_hours(29.8, [355, 172])
    assert winter == pytest.approx(10.2, abs=0.1)
    assert summer == pytest.approx(14.0, abs=0.1)


def test_day_length_at_the_equator_with_and_without_refraction() -> None:
    # With refraction (p = 0.8333°) the equator has about 12.1 h all year; geometric (p = 0)
    # exactly 12 h, since cos ω = 0 whatever the declination.
    assert day_length_hours(0.0, [1, 80, 172, 355]) == pytest.approx([12.12] * 4, abs=0.02)
    assert day_length_hours(0.0, [1, 172], sun_angle=0.0) == pytest.approx([12.0, 12.0])


def test_geometric_day_length_matches_fao56_example_9() -> None:
    # Allen et al. (1998) FAO-56, Example 9: 3 September (J = 246) at 20 °S, N = 11.7 h.
    assert day_length_hours(-20.0, 246, sun_angle=0.0) == pytest.approx(11.7, abs=0.1)


def test_day_length_is_zero_in_polar_night_and_24_in_polar_day() -> None:
    assert list(day_length_hours(70.0, [355, 172])) == [0.0, 24.0]


# --- daily checks ---------------------------------------------------------------------------


def test_hard_limits_are_errors_and_not_also_soft() -> None:
    frame = days({}, {"t_max": 60.0, "rh_mean": 101.0}, {"precip": -1.0, "precip_20_08": None})
    expected = [(2, "rh_mean", 2), (2, "t_max", 2), (3, "precip", 2)]
    assert flagged("outside_hard_limits", frame) == expected
    assert flagged("outside_soft_limits", frame) == []


def test_soft_limits_and_climate_extremes_are_suspect() -> None:
    frame = days({"t_mean": 37.0}, {"t_max": 46.5, "t_mean": 30.0}, {"t_min": -7.5, "t02": -7.0})
    assert flagged("outside_soft_limits", frame) == [
        (1, "t_mean", 1),
        (2, "t_max", 1),
        (3, "t_min", 1),
    ]
    assert flagged("outside_climate_extremes", frame) == [(2, "t_max", 1), (3, "t_min", 1)]


def test_temperature_order() -> None:
    frame = days({}, {"t_min": 12.3, "t_max": 10.1, "t_mean": 11.0}, {"t_mean": 4.0})
    assert flagged("temperature_order", frame) == [
        (2, "t_mean,t_max", 2),
        (2, "t_min,t_max", 2),
        (2, "t_min,t_mean", 2),
        (3, "t_min,t_mean", 2),
    ]


def test_fixed_hour_temperatures_inside_max_and_min() -> None:
    frame = days({"t14": 13.0}, {"t02": 4.0}, {"t14": None, "t02": None}, {"t14": 12.0})
    assert flagged("fixed_hour_outside_max_min", frame) == [
        (1, "t_max,t14", 2),
        (2, "t_min,t02", 2),
    ]


def test_precip_parts_must_add_up_within_tolerance() -> None:
    frame = days({}, {"precip": 1.3}, {"precip": 1.5}, {"precip_08_20": None, "precip": 9.0})
    assert flagged("precip_parts_sum", frame) == [(3, "precip,precip_20_08,precip_08_20", 2)]


def test_sunshine_against_day_length() -> None:
    # 10 Jan at 29.8 °N: about 10.3 h (CBM); 0.1 h of rounding slack.
    frame = days({"sunshine": 10.3}, {"sunshine": 10.8}, {"sunshine": None})
    assert flagged("sunshine_exceeds_day_length", frame) == [(2, "sunshine", 1)]
    assert flagged("sunshine_exceeds_day_length", frame, site=Site("57511")) == []


def test_wind_order() -> None:
    frame = days({}, {"wind_gust": 1.0}, {"wind_max": 8.0})
    assert flagged("wind_order", frame) == [
        (2, "wind_max,wind_gust", 1),
        (2, "wind_mean,wind_gust", 1),
        (3, "wind_max,wind_gust", 1),
    ]


def test_precip_and_phenomena_must_agree_when_phenomena_are_recorded() -> None:
    frame = days(
        {"phenomena": "fog"},
        {"precip": 0.0, "precip_20_08": 0.0, "precip_08_20": 0.0},
        {"precip": 0.0, "precip_20_08": 0.0, "precip_08_20": 0.0, "precip_trace": True},
        {"phenomena": "fog,snow"},
        {"precip": 0.0, "precip_20_08": 0.0, "precip_08_20": 0.0, "phenomena": "frost"},
    )
    assert flagged("precip_phenomenon_mismatch", frame) == [
        (1, "precip,phenomena", 1),
        (2, "precip,phenomena", 1),
    ]
    unrecorded = days({"phenomena": ""}, {"phenomena": ""})
    assert flagged("precip_phenomenon_mismatch", unrecorded) == []


def test_precip_is_compared_only_with_phenomena_that_were_recorded() -> None:
    # issue 13 point 3: a daily file without a phenomena column beside one day entered with
    # phenomena; 66 rain or dry days without phenomena are not compared, the one real
    # disagreement (precip 1.2 mm on a day recorded as fog only) is the only finding
    rainy = [{"phenomena": "", "precip": 1.2 + i % 3} for i in range(40)]
    dry = [{"phenomena": "", "precip": 0.0, "precip_20_08": 0.0, "precip_08_20": 0.0}] * 26
    frame = days(*rainy, *dry, {"phenomena": "fog"})
    assert flagged("precip_phenomenon_mismatch", frame) == [(67, "precip,phenomena", 1)]


def test_daily_step_compares_consecutive_days_only() -> None:
    frame = days({}, {"t_mean": 20.5, "t_max": 24.0}, {"t_mean": 9.0, "t_max": 40.1})
    assert flagged("daily_step", frame) == [(2, "t_mean", 1), (3, "t_max", 1)]
    gap = frame.drop(index=1)  # day 1 -> day 3: not consecutive, not compared
    assert flagged("daily_step", gap) == []


def test_missing_core_elements_get_flag_8() -> None:
    frame = days({}, {"t_max": None}, {"precip": None, "t_min": None})
    found = run_checks("daily", frame, DEFAULT_QC_RULES, only=["missing_core_element"])
    assert sorted(zip(found["record_id"], found["element"], found["flag"], strict=True)) == [
        (2, "t_max", 8),
        (3, "precip", 8),
        (3, "t_min", 8),
    ]
    assert set(found["reason"]) == {"missing"}


@pytest.mark.parametrize("kind", KINDS)
def test_empty_frames_shaped_like_the_tables_give_empty_findings(kind: str) -> None:
    table = {"daily": DailyWeather, "subdaily": SubDailyWeather, "phenology": PhenologyObservation}
    frame = pd.DataFrame(columns=list(table[kind].model_fields))
    found = run_checks(kind, frame, DEFAULT_QC_RULES, site=BEIBEI)
    assert found.empty
    assert worst(found).empty
