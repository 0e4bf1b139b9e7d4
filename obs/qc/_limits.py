"""Range checks of the daily and sub-daily weather rows, generated from one table.

:data:`LIMIT_CHECKS` lists every range check (name, kind, limit table of
:class:`~schemas.qc_rules.QCRules`, hard or soft bounds, flag, descriptions);
:func:`register_limit_checks` registers those of a kind, so the daily and the sub-daily checks
are the same code with other rows of the table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from obs.qc._frames import IntArray, daily_months, fmt, ids, local_months, row_bounds, values
from obs.qc.registry import Kind, Site, check, empty_findings, findings
from schemas.qc import ERROR, SUSPECT
from schemas.qc_rules import LimitTable, QCRules
from schemas.weather import DAILY_ELEMENTS, SUBDAILY_ELEMENTS

Level = Literal["hard", "soft"]


@dataclass(frozen=True, slots=True)
class LimitCheck:
    """One range check: values of ``kind`` rows outside the ``level`` bounds of ``table``."""

    name: str
    kind: Kind
    table: LimitTable
    level: Level
    flag: int
    elements: tuple[str, ...]
    description_zh: str
    description_en: str


_DAILY = tuple(e.code for e in DAILY_ELEMENTS)
_SUBDAILY = tuple(e.code for e in SUBDAILY_ELEMENTS)

#: Every range check, in the order they run.
LIMIT_CHECKS: tuple[LimitCheck, ...] = (
    LimitCheck(
        "outside_hard_limits",
        "daily",
        "daily",
        "hard",
        ERROR,
        _DAILY,
        "超出全国气候学界限值（错误）",
        "Value outside the national climatological (hard) limits: error",
    ),
    LimitCheck(
        "outside_soft_limits",
        "daily",
        "daily",
        "soft",
        SUSPECT,
        _DAILY,
        "超出本地合理范围（可疑）",
        "Value inside the hard limits but outside the local (soft) limits: suspect",
    ),
    LimitCheck(
        "outside_climate_extremes",
        "daily",
        "extremes",
        "soft",
        SUSPECT,
        ("t_max", "t_min"),
        "超出台站（逐月）气候极值（可疑）",
        "Beyond the station's (monthly) climate extremes: suspect",
    ),
    LimitCheck(
        "outside_hard_limits",
        "subdaily",
        "subdaily",
        "hard",
        ERROR,
        _SUBDAILY,
        "超出气候学界限值（错误）",
        "Value outside the climatological (hard) limits: error",
    ),
    LimitCheck(
        "outside_soft_limits",
        "subdaily",
        "subdaily",
        "soft",
        SUSPECT,
        _SUBDAILY,
        "超出本地合理范围或台站极值（可疑）",
        "Value outside the local (soft) limits or station extremes: suspect",
    ),
)


def months_of(frame: pd.DataFrame, kind: Kind, site: Site) -> IntArray:
    """The (local) calendar month of each row: of ``obs_date``, or of ``ts`` at the site."""
    if kind == "subdaily":
        return local_months(frame["ts"].to_numpy(dtype=np.int64), site.utc_offset_hours)
    return daily_months(frame)


def register_limit_checks(kind: Kind) -> None:
    """Register the range checks of ``kind`` from :data:`LIMIT_CHECKS`."""
    for spec in LIMIT_CHECKS:
        if spec.kind == kind:
            check(
                spec.name,
                spec.kind,
                spec.elements,
                description_zh=spec.description_zh,
                description_en=spec.description_en,
            )(_limit_check(spec))


def _limit_check(spec: LimitCheck) -> Callable[[pd.DataFrame, QCRules, Site], pd.DataFrame]:
    def run(frame: pd.DataFrame, rules: QCRules, site: Site) -> pd.DataFrame:
        return limit_violations(
            frame,
            rules,
            spec.table,
            months=months_of(frame, spec.kind, site),
            station=site.code,
            level=spec.level,
            flag=spec.flag,
        )

    run.__doc__ = f"Flag {spec.flag} where a value is outside its {spec.level} {spec.table} limits."
    return run


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
