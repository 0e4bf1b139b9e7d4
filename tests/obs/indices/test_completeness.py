"""What is missing from a window of daily or hourly data (§11.1)."""

from __future__ import annotations

from obs import indices as ix
from tests.conftest import FIVE, D, hours

# --- completeness (§11.1) -----------------------------------------------------------------


def test_missing_days_names_each_gap() -> None:
    frame = FIVE.drop(columns="sunshine")
    frame.loc[D(2024, 12, 30), "precip"] = float("nan")
    gaps = ix.missing_days(frame, D(2024, 12, 28), D(2025, 1, 2))
    assert gaps.n_days == 6
    assert gaps.by_element["t_mean"] == (D(2024, 12, 28),)
    assert gaps.by_element["precip"] == (D(2024, 12, 28), D(2024, 12, 30))
    assert len(gaps.by_element["sunshine"]) == 6
    assert gaps.incomplete_elements == ("precip", "sunshine")  # 4/6 < 80 %; 5/6 is enough
    assert gaps.has_gaps


def test_hourly_coverage_applies_twenty_hours_and_day_boundary() -> None:
    values = [1.0] * 24 + [1.0] * 20 + [float("nan")] * 4 + [1.0] * 19 + [float("nan")] * 5
    coverage = ix.hourly_coverage(hours("2024-12-30 21:00", values))
    assert coverage["hours_present"].tolist() == [24, 20, 19]
    assert coverage["complete"].tolist() == [True, True, False]
    assert coverage.index.tolist() == [D(2024, 12, 31), D(2025, 1, 1), D(2025, 1, 2)]
    at_20 = ix.hourly_coverage(hours("2025-01-01 20:00", [1.0, 1.0]))
    assert at_20["hours_present"].tolist() == [1, 1]  # 20:00 ends a day, 21:00 starts the next


def test_is_complete_rule() -> None:
    assert ix.is_complete(25, 31) and not ix.is_complete(24, 31)  # 80 % of 31 = 24.8
    assert not ix.is_complete(0, 0)
