"""Checks of phenology rows, per plant and season (domain specification §5 and §11.2).

Rows have the columns of :class:`schemas.tables.PhenologyObservation` (``id``, ``plant_id``,
``obs_date``, ``stage_code``, ``reached``, ``percent``, the flower counts, ``open_ratio``,
``note``); joined columns such as the plant tag are ignored. A season runs 1 April – 31 March
(:mod:`obs.seasons`). Date checks look at a stage's *first date*: its earliest reached record
for the plant in the season.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from obs.qc._frames import fmt, values
from obs.qc._phenology import first_dates, iso, month_day, prepared, season_date
from obs.qc.registry import Site, check, findings
from schemas.qc import ERROR, SUSPECT
from schemas.qc_rules import QCRules
from schemas.stages import STAGES_BY_CODE

_COUNTS = ("flowers_open", "buds_unopened", "flowers_withered")


@check(
    "stage_order",
    "phenology",
    ("obs_date",),
    description_zh="同一链内发育期先后顺序颠倒（错误）",
    description_en="A stage's first date after that of a later stage of its chain: error",
)
def stage_order(frame: pd.DataFrame, rules: QCRules, site: Site) -> pd.DataFrame:
    """Flag 2 on both first-date records when an earlier stage starts after a later one."""
    firsts = first_dates(prepared(frame)).dropna(subset=["chain"])
    cols = ["plant_id", "season", "chain", "stage_code", "order", "date", "id"]
    pairs = firsts[cols].merge(
        firsts[cols], on=["plant_id", "season", "chain"], suffixes=("_a", "_b")
    )
    bad = pairs[(pairs["order_a"] < pairs["order_b"]) & (pairs["date_a"] > pairs["date_b"])]
    reasons = [
        f"{a} first on {da} is after {b} first on {db}"
        for a, da, b, db in zip(
            bad["stage_code_a"],
            iso(bad["date_a"]),
            bad["stage_code_b"],
            iso(bad["date_b"]),
            strict=True,
        )
    ]
    return pd.concat(
        [
            findings(bad["id_a"], "obs_date", ERROR, reasons),
            findings(bad["id_b"], "obs_date", ERROR, reasons),
        ],
        ignore_index=True,
    )


@check(
    "leaf_before_flowering",
    "phenology",
    ("obs_date",),
    description_zh="展叶类发育期早于始花期（提示：通常先花后叶）",
    description_en="A leaf-out stage before first flowering (flowers normally come first): suspect",
)
def leaf_before_flowering(frame: pd.DataFrame, rules: QCRules, site: Site) -> pd.DataFrame:
    """Flag 1 on a leaf-out stage's first date when it precedes first flowering.

    Only leaf-out dates on or after the start of the first-flowering window count: leaf-out in
    April–September belongs to the previous winter's bloom.
    """
    firsts = first_dates(prepared(frame))
    bloom = firsts[firsts["stage_code"] == rules.bloom_start_stage]
    leaf = firsts[firsts["chain"] == rules.leafout_chain]
    both = leaf.merge(
        bloom[["plant_id", "season", "date"]], on=["plant_id", "season"], suffixes=("", "_bloom")
    )
    window = STAGES_BY_CODE[rules.bloom_start_stage].window
    opens = (
        season_date(both["season"], window[0][0] * 100 + window[0][1])
        if window
        else pd.Series(pd.Timestamp.min, index=both.index)
    )
    bad = both[(both["date"] < both["date_bloom"]) & (both["date"] >= opens)]
    reasons = [
        f"{s} on {d} before {rules.bloom_start_stage} on {b}"
        for s, d, b in zip(bad["stage_code"], iso(bad["date"]), iso(bad["date_bloom"]), strict=True)
    ]
    return findings(bad["id"], "obs_date", SUSPECT, reasons)


@check(
    "outside_stage_window",
    "phenology",
    ("obs_date",),
    description_zh="发育期日期不在常见时段内（可疑）",
    description_en="A stage's first date outside its usual calendar window: suspect",
)
def outside_stage_window(frame: pd.DataFrame, rules: QCRules, site: Site) -> pd.DataFrame:
    """Flag 1 where a stage's first date is outside its soft window (which may wrap 31 Dec)."""
    firsts = first_dates(prepared(frame)).dropna(subset=["window_from"])
    md, lo, hi = month_day(firsts["date"]), firsts["window_from"], firsts["window_to"]
    inside = ((lo <= hi) & (md >= lo) & (md <= hi)) | ((lo > hi) & ((md >= lo) | (md <= hi)))
    bad = firsts[~inside]
    reasons = [
        f"{s} on {d} outside its window {_md(a)}–{_md(b)}"
        for s, d, a, b in zip(
            bad["stage_code"], iso(bad["date"]), bad["window_from"], bad["window_to"], strict=True
        )
    ]
    return findings(bad["id"], "obs_date", SUSPECT, reasons)


@check(
    "percent_out_of_range",
    "phenology",
    ("percent", "open_ratio"),
    description_zh="百分率超出 0–100（错误）",
    description_en="A percentage outside 0–100: error",
)
def percent_out_of_range(frame: pd.DataFrame, rules: QCRules, site: Site) -> pd.DataFrame:
    """Flag 2 where ``percent`` or ``open_ratio`` is outside ``rules.percent_range``."""
    low, high = rules.percent_range
    parts = []
    for element in ("percent", "open_ratio"):
        v = values(frame, element)
        bad = (v < low) | (v > high)
        reasons = [f"{element} {x} outside {low:g}–{high:g}" for x in fmt(v[bad])]
        parts.append(findings(frame["id"].to_numpy()[bad], element, ERROR, reasons))
    return pd.concat(parts, ignore_index=True)


@check(
    "negative_count",
    "phenology",
    _COUNTS,
    description_zh="花朵计数为负（错误）",
    description_en="A negative flower or bud count: error",
)
def negative_count(frame: pd.DataFrame, rules: QCRules, site: Site) -> pd.DataFrame:
    """Flag 2 where a flower or bud count is below zero."""
    parts = []
    for element in _COUNTS:
        v = values(frame, element)
        bad = v < 0
        parts.append(
            findings(
                frame["id"].to_numpy()[bad],
                element,
                ERROR,
                [f"{element} {x} < 0" for x in fmt(v[bad])],
            )
        )
    return pd.concat(parts, ignore_index=True)


@check(
    "percent_decreasing",
    "phenology",
    ("percent",),
    description_zh="同一发育期百分率随观测下降（可疑）",
    description_en="A stage's percent falling between successive visits: suspect",
)
def percent_decreasing(frame: pd.DataFrame, rules: QCRules, site: Site) -> pd.DataFrame:
    """Flag 1 on a visit whose percent is more than the tolerance below the previous visit's.

    Visits are the reached records with a percent, of one plant, stage and season.
    """
    rows = prepared(frame)
    rows = rows[rows["is_reached"] & rows["percent"].notna()]
    group = rows.groupby(["plant_id", "season", "stage_code"], sort=False)
    before, when = group["percent"].shift(), group["date"].shift()
    bad = (before - rows["percent"]) > rules.percent_drop_tolerance
    reasons = [
        f"percent fell from {a} on {d} to {b}"
        for a, d, b in zip(fmt(before[bad]), iso(when[bad]), fmt(rows["percent"][bad]), strict=True)
    ]
    return findings(rows["id"][bad], "percent", SUSPECT, reasons)


@check(
    "not_reached_after_reached",
    "phenology",
    ("reached",),
    description_zh="已进入某发育期后又记为未进（可疑）",
    description_en="'Not reached' recorded after the stage was reached in the season: suspect",
)
def not_reached_after_reached(frame: pd.DataFrame, rules: QCRules, site: Site) -> pd.DataFrame:
    """Flag 1 on a "not reached" record dated after a "reached" record of the same stage.

    A note containing one of ``rules.correction_markers`` marks a deliberate correction.
    """
    rows = prepared(frame)
    firsts = first_dates(rows)[["plant_id", "season", "stage_code", "date"]]
    later = rows[~rows["is_reached"]].merge(
        firsts, on=["plant_id", "season", "stage_code"], suffixes=("", "_reached")
    )
    notes = later["note"].fillna("").astype(str)
    markers = "|".join(re.escape(m) for m in rules.correction_markers) or "(?!)"
    corrected = notes.str.contains(markers, regex=True).to_numpy(dtype=bool)
    bad = later[(later["date"] > later["date_reached"]).to_numpy(dtype=bool) & ~corrected]
    reasons = [
        f"{s} not reached on {d} after reached on {r}"
        for s, d, r in zip(
            bad["stage_code"], iso(bad["date"]), iso(bad["date_reached"]), strict=True
        )
    ]
    return findings(bad["id"], "reached", SUSPECT, reasons)


@check(
    "bloom_duration",
    "phenology",
    ("obs_date",),
    description_zh="花期（末花期 − 始花期）长度异常（可疑）",
    description_en="Bloom duration (end − first flowering) outside its usual range: suspect",
)
def bloom_duration(frame: pd.DataFrame, rules: QCRules, site: Site) -> pd.DataFrame:
    """Flag 1 on the bloom-end record when FLE − FLS is outside ``rules.bloom_duration_days``."""
    firsts = first_dates(prepared(frame))
    start = firsts[firsts["stage_code"] == rules.bloom_start_stage]
    end = firsts[firsts["stage_code"] == rules.bloom_end_stage]
    both = end.merge(
        start[["plant_id", "season", "date"]], on=["plant_id", "season"], suffixes=("", "_start")
    )
    days = (both["date"] - both["date_start"]).dt.days
    low, high = rules.bloom_duration_days
    bad = (days < low) | (days > high)
    reasons = [
        f"bloom lasted {n} d ({rules.bloom_start_stage} {a} to {rules.bloom_end_stage} "
        f"{b}), outside {low}–{high} d"
        for n, a, b in zip(
            days[bad], iso(both["date_start"][bad]), iso(both["date"][bad]), strict=True
        )
    ]
    return findings(both["id"][bad], "obs_date", SUSPECT, reasons)


@check(
    "open_ratio_mismatch",
    "phenology",
    ("open_ratio", *_COUNTS),
    description_zh="开花率与花朵计数不符（可疑）",
    description_en="open_ratio disagrees with the flower counts: suspect",
)
def open_ratio_mismatch(frame: pd.DataFrame, rules: QCRules, site: Site) -> pd.DataFrame:
    """Flag 1 where open_ratio differs from 100·open / (open + unopened + withered).

    Checked only when the ratio and all three counts are given and their total is positive.
    """
    opened, unopened, withered = (values(frame, c) for c in _COUNTS)
    total = opened + unopened + withered
    ratio = values(frame, "open_ratio")
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = np.where(total > 0, 100.0 * opened / total, np.nan)
    bad = np.abs(ratio - expected) > rules.open_ratio_tolerance
    reasons = [
        f"open_ratio {r} but the counts give {e:.1f} ({o} open of {t})"
        for r, e, o, t in zip(
            fmt(ratio[bad]), expected[bad], fmt(opened[bad]), fmt(total[bad]), strict=True
        )
    ]
    return findings(frame["id"].to_numpy()[bad], "open_ratio", SUSPECT, reasons)


def _md(value: float) -> str:
    """``1015.0`` -> ``"10-15"``."""
    return f"{int(value) // 100:02d}-{int(value) % 100:02d}"
