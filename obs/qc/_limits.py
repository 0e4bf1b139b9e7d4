"""Range checks shared by the daily and sub-daily weather checks."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from obs.qc._frames import IntArray, fmt, ids, row_bounds, values
from obs.qc.registry import empty_findings, findings
from schemas.qc_rules import LimitTable, QCRules

Level = Literal["hard", "soft"]


def limit_elements(rules: QCRules, table: LimitTable) -> tuple[str, ...]:
    """Elements that have limits in ``table``, by default or through an override."""
    base = {
        "daily": rules.daily_limits,
        "subdaily": rules.subdaily_limits,
        "extremes": rules.climate_extremes,
    }[table]
    names = dict.fromkeys(base)
    for over in rules.overrides.values():
        names.update(
            dict.fromkeys(
                {"daily": over.daily, "subdaily": over.subdaily, "extremes": over.extremes}[table]
            )
        )
    return tuple(names)


def limit_violations(
    frame: pd.DataFrame,
    rules: QCRules,
    table: LimitTable,
    *,
    months: IntArray,
    station: str | None,
    level: Level,
    flag: int,
) -> pd.DataFrame:
    """Findings for values outside their ``level`` limits of ``table``.

    Soft limits are checked only for values inside the hard limits, so a value gets one range
    finding per table.
    """
    label = {"hard": "hard limit", "soft": "soft limit"}[level]
    if table == "extremes":
        label = "station extreme"
    parts = []
    for element in limit_elements(rules, table):
        if element not in frame.columns:
            continue
        v = values(frame, element)
        if np.isnan(v).all():
            continue
        hmin, hmax, smin, smax = row_bounds(rules, table, element, months, station)
        if level == "hard":
            low, high = v < hmin, v > hmax
        else:
            inside = (v >= hmin) & (v <= hmax)
            low, high = inside & (v < smin), inside & (v > smax)
        bad = low | high
        if not bad.any():
            continue
        bound = np.where(high, hmax if level == "hard" else smax, hmin if level == "hard" else smin)
        ops = np.where(high[bad], ">", "<")
        reasons = [
            f"{element} {val} {op} {label} {b}"
            for val, op, b in zip(fmt(v[bad]), ops, fmt(bound[bad]), strict=True)
        ]
        parts.append(findings(ids(frame)[bad], element, flag, reasons))
    return pd.concat(parts, ignore_index=True) if parts else empty_findings()
