"""Accumulated temperature (§10.4) and growing degree days: hand-computed examples."""

from __future__ import annotations

import pandas as pd
import pytest

from obs import indices as ix
from obs.errors import InvalidValueError
from tests.conftest import FIVE, D

# --- accumulated temperature (§10.4) ------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "active", "effective"),
    [
        (0.0, 4 + 6 + 10 + 12.5, 4 + 6 + 10 + 12.5),
        (5.0, 6 + 10 + 12.5, 1 + 5 + 7.5),
        (10.0, 10 + 12.5, 0 + 2.5),  # 10 is active (≥ B) but adds nothing effective
    ],
)
def test_accumulated_temperature_by_hand(base: float, active: float, effective: float) -> None:
    assert ix.active_accumulated_temperature(FIVE, base).value == pytest.approx(active)
    assert ix.effective_accumulated_temperature(FIVE, base).value == pytest.approx(effective)


def test_accumulated_temperatures_bundle_matches_single_functions() -> None:
    result = {acc.base: acc for acc in ix.accumulated_temperatures(FIVE)}
    assert sorted(result) == [0.0, 5.0, 10.0]
    assert result[5.0].active.value == pytest.approx(28.5)
    assert result[5.0].effective.value == pytest.approx(13.5)
    assert [result[b].days_active for b in (0.0, 5.0, 10.0)] == [4, 3, 2]


def test_range_across_new_year_is_inclusive() -> None:
    result = ix.active_accumulated_temperature(FIVE, 5.0, D(2024, 12, 31), D(2025, 1, 1))
    assert result == ix.IndexValue(22.5, n_expected=2, n_missing=0, complete=True)


def test_nan_and_absent_days_are_reported_not_hidden() -> None:
    frame = FIVE.copy()
    frame.loc[D(2024, 12, 31), "t_mean"] = float("nan")
    result = ix.active_accumulated_temperature(frame, 5.0)
    assert (result.value, result.n_missing, result.complete) == (18.5, 1, True)  # 4/5 = 80 %
    wider = ix.active_accumulated_temperature(frame, 5.0, D(2024, 12, 28), D(2025, 1, 3))
    assert (wider.value, wider.n_expected, wider.n_missing) == (18.5, 7, 3)
    assert not wider.complete  # 4 of 7 days


def test_empty_input() -> None:
    empty = pd.DataFrame(columns=["t_mean"], index=pd.Index([], dtype="object"))
    # No value present: the index is None ("no data"), not 0 (policy of obs.indices._base).
    assert ix.active_accumulated_temperature(empty, 0.0) == ix.IndexValue(None, 0, 0, False)
    ranged = ix.effective_accumulated_temperature(empty, 0.0, D(2025, 1, 1), D(2025, 1, 10))
    assert ranged == ix.IndexValue(None, 10, 10, False)
    assert ix.mean_of(empty, "t_mean").value is None


def test_datetimeindex_input_is_accepted() -> None:
    frame = FIVE.set_axis(pd.DatetimeIndex(FIVE.index))
    assert ix.active_accumulated_temperature(frame, 5.0).value == pytest.approx(28.5)


def test_bad_inputs_raise_obs_errors() -> None:
    doubled = pd.concat([FIVE, FIVE.iloc[:1]])
    with pytest.raises(InvalidValueError, match="more than one row"):
        ix.active_accumulated_temperature(doubled, 0.0)
    with pytest.raises(InvalidValueError, match="start is after the end"):
        ix.active_accumulated_temperature(FIVE, 0.0, D(2025, 1, 2), D(2025, 1, 1))


# --- growing degree days ------------------------------------------------------------------


def test_gdd_average_method_floored_at_zero() -> None:
    # daily (Tmax + Tmin)/2 = 4, 6.5, 10, 13, -0.5
    assert ix.growing_degree_days(FIVE, 10.0).value == pytest.approx(3.0)
    assert ix.growing_degree_days(FIVE, 5.0).value == pytest.approx(1.5 + 5 + 8)


def test_gdd_cap_limits_tmax_before_averaging() -> None:
    # day 4: (min(20, 18) + 6)/2 - 10 = 2
    assert ix.growing_degree_days(FIVE, 10.0, cap=18.0).value == pytest.approx(2.0)
    with pytest.raises(InvalidValueError, match="above the base"):
        ix.growing_degree_days(FIVE, 10.0, cap=10.0)


def test_gdd_day_missing_unless_both_extremes_present() -> None:
    frame = FIVE.copy()
    frame.loc[D(2025, 1, 1), "t_min"] = float("nan")
    result = ix.growing_degree_days(frame, 5.0)
    assert (result.value, result.n_missing) == (pytest.approx(6.5), 1)
