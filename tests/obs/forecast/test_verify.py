"""Scores of issued forecasts on a hand-made ledger (obs.forecast.verify), computed by hand."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from obs.forecast.ledger import Issued
from obs.forecast.verify import Check, Verification

D = dt.date


def _check(issue: D, predicted: D, low: D, high: D, base: D, observed: D | None) -> Check:
    row = SimpleNamespace(
        id=1, season=2024, stage="FLS", issue_date=issue, predicted=predicted, low=low,
        high=high, baseline_predicted=base, baseline_low=base - dt.timedelta(days=3),
        baseline_high=base + dt.timedelta(days=3),
    )  # fmt: skip
    return Check(Issued(row, "57511", "JG-A"), observed)


OBSERVED = D(2024, 12, 10)
LEDGER = Verification(
    (
        # lead 40 d: error +4, in range; baseline error −6 (12-04), out of its ±3 d range
        _check(
            D(2024, 10, 31),
            D(2024, 12, 14),
            D(2024, 12, 5),
            D(2024, 12, 20),
            D(2024, 12, 4),
            OBSERVED,
        ),
        # lead 30 d: error −2, in range; baseline −6, out
        _check(
            D(2024, 11, 10),
            D(2024, 12, 8),
            D(2024, 12, 6),
            D(2024, 12, 12),
            D(2024, 12, 4),
            OBSERVED,
        ),
        # lead 20 d: error −3, out of range (12-01…12-09); baseline +2, in
        _check(
            D(2024, 11, 20),
            D(2024, 12, 7),
            D(2024, 12, 1),
            D(2024, 12, 9),
            D(2024, 12, 12),
            OBSERVED,
        ),
        # lead 5 d: error +1, in; baseline −6, out
        _check(
            D(2024, 12, 5),
            D(2024, 12, 11),
            D(2024, 12, 9),
            D(2024, 12, 13),
            D(2024, 12, 4),
            OBSERVED,
        ),
        # not observed yet: listed, never scored
        _check(
            D(2025, 11, 1), D(2025, 12, 9), D(2025, 12, 1), D(2025, 12, 15), D(2025, 12, 4), None
        ),
    )
)


def test_each_forecast_error_hit_and_lead() -> None:
    rows = [c.to_dict("en") for c in LEDGER.checks]
    assert [r["lead_days"] for r in rows] == [40, 30, 20, 5, None]
    assert [r["error_days"] for r in rows] == [4, -2, -3, 1, None]
    assert [r["hit"] for r in rows] == [True, True, False, True, None]
    assert [r["baseline_error_days"] for r in rows] == [-6, -6, 2, -6, None]
    assert [r["baseline_hit"] for r in rows] == [False, False, True, False, None]
    assert [r["state"] for r in rows] == ["verified"] * 4 + ["not yet"]


def test_scores_by_lead_class_by_hand() -> None:
    summary = {r["lead_class"]: r for r in LEDGER.summary("en")}
    long, mid, short, every = (summary[k] for k in summary)
    # ≥ 30 d: errors +4, −2 → MAE 3, bias 1, hits 2/2; baseline −6, −6 → MAE 6, bias −6, 0/2
    assert (long["n"], long["mae_days"], long["bias_days"], long["hit_rate"]) == (2, 3.0, 1.0, 1.0)
    assert (long["baseline_mae_days"], long["baseline_bias_days"]) == (6.0, -6.0)
    assert long["baseline_hit_rate"] == 0.0
    # 15–29 d: error −3, miss; baseline +2, hit
    assert (mid["n"], mid["mae_days"], mid["bias_days"], mid["hit_rate"]) == (1, 3.0, -3.0, 0.0)
    assert (mid["baseline_mae_days"], mid["baseline_hit_rate"]) == (2.0, 1.0)
    # < 15 d: error +1, hit
    assert (short["n"], short["mae_days"], short["bias_days"], short["hit_rate"]) == (
        1,
        1.0,
        1.0,
        1.0,
    )
    # all: |4|+|−2|+|−3|+|1| = 10 → 2.5; bias 0/4 = 0; hits 3/4; baseline 20/4 = 5, −16/4 = −4
    assert (every["n"], every["mae_days"], every["bias_days"], every["hit_rate"]) == (
        4,
        2.5,
        0.0,
        0.75,
    )
    assert (every["baseline_mae_days"], every["baseline_bias_days"]) == (5.0, -4.0)
    assert every["baseline_hit_rate"] == 0.25
    assert [r["lead_class"] for r in LEDGER.summary("zh")] == [
        "提前30天及以上", "提前15–29天", "提前不足15天", "全部",
    ]  # fmt: skip
    assert len(LEDGER.pending) == 1
