"""Checks of phenology rows, per plant and season (domain specification §5 and §11.2).

Rows have the columns of :class:`schemas.tables.PhenologyObservation` (``id``, ``plant_id``,
``obs_date``, ``stage_code``, ``reached``, ``percent``, the flower counts, ``open_ratio``,
``note``); joined columns such as the plant tag are ignored. A season runs 1 April – 31 March
(:mod:`obs.seasons`). Date checks look at a stage's *first date*: its earliest reached record
for the plant in the season.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from obs.qc._frames import fmt, ids, values
from obs.qc._phenology import (
    first_dates,
    iso,
    month_day,
    prepared,
    reached_mask,
    season_date,
)
from obs.qc.registry import Site, check, empty_findings, findings
from schemas.qc import ERROR, SUSPECT
from schemas.qc_rules import QCRules
from schemas.stages import FLOWER_RATIO_MEASURES, STAGES_BY_CODE

_COUNTS = ("flowers_open", "buds_unopened", "flowers_withered")
#: The checks entry applies to a new record (:func:`obs.records.create.create`): an error it
#: adds is refused, a suspect is a warning. The other checks have their own entry rules.
#: Record checks look at one record alone; relation checks at the plant's other records.
RECORD_CHECKS: tuple[str, ...] = ("below_stage_criterion", "percent_counts_mismatch")
#: (relation checks in this order: the first relates other stages, the second the same stage)
RELATION_CHECKS: tuple[str, ...] = ("stage_after_closing", "stage_recorded_twice")
ENTRY_CHECKS: tuple[str, ...] = RECORD_CHECKS + RELATION_CHECKS
#: Record id of a record not stored yet (entry runs the checks on it with this id).
NEW_RECORD_ID = -1
#: The column a share comes from, per measure and source (for the findings' ``element``).
_SOURCE_COLUMN: dict[str, dict[str, str]] = {
    "open": {"open_ratio": "open_ratio", "counts": "flowers_open", "percent": "percent"},
    "withered": {"counts": "flowers_withered", "percent": "percent"},
}
#: Rounding slack of float arithmetic: a share equal to a criterion passes.
_EPS = 1e-9


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


@check(
    "below_stage_criterion",
    "phenology",
    ("stage_code", "open_ratio", "percent", *_COUNTS),
    description_zh="记为已进入盛花期/末花期，但本记录的花朵计数或百分率未达该期标准（错误）",
    description_en="A reached FLF/FLE record whose own counts or percent fall short of the "
    "stage's criterion (FLF ≥ 50 % open, FLE ≥ 80 % withered): error",
)
def below_stage_criterion(frame: pd.DataFrame, rules: QCRules, site: Site) -> pd.DataFrame:
    """Flag 2 on a reached record whose flower share is below its stage's criterion.

    The share is the record's own (:func:`flower_shares`): counts first, else ``percent``.
    Stages and criteria: ``rules.stage_share_criteria``.
    """
    shares, stage = flower_shares(frame), frame["stage_code"].to_numpy(dtype=object)
    reached, record = reached_mask(frame), ids(frame)
    parts = []
    for code, (measure, least) in rules.stage_share_criteria.items():
        share, source = shares[measure], shares[f"{measure}_source"]
        bad = (stage == code) & reached & (share < least - _EPS)
        basis = [
            f"{n:g} {measure} of {t:g} counted" if src == "counts" else f"from its {src}"
            for src, n, t in zip(
                source[bad], shares[f"n_{measure}"][bad], shares["total"][bad], strict=True
            )
        ]
        reasons = [
            f"{code} reached but its {measure} share is {v:.1f} % ({b}), below the stage's "
            f"criterion ≥ {least:g} %"
            for v, b in zip(share[bad], basis, strict=True)
        ]
        elements = [f"stage_code,{_SOURCE_COLUMN[measure][src]}" for src in source[bad]]
        parts.append(findings(record[bad], elements, ERROR, reasons))
    return pd.concat(parts, ignore_index=True) if parts else empty_findings()


@check(
    "stage_after_closing",
    "phenology",
    ("obs_date",),
    description_zh="同一季内，某发育期记录晚于本株的结束期（盛花期晚于末花期：错误；"
    "坐果后又记末花期：可疑）",
    description_en="A stage recorded after the plant's own closing stage in the season (FLF "
    "after FLE: error; FLE again after fruit set: suspect)",
)
def stage_after_closing(frame: pd.DataFrame, rules: QCRules, site: Site) -> pd.DataFrame:
    """Flag a reached record dated after the first date of its closing stage (same plant and
    season), per ``rules.closing_stages``. The stage's own first record is not flagged here:
    when it comes after the closing stage, ``stage_order`` (same chain) says so."""
    rows = prepared(frame)
    firsts = first_dates(rows)
    parts = []
    for code, closing, flag in rules.closing_stages:
        own_first = set(firsts.loc[firsts["stage_code"] == code, "id"])
        later = rows[rows["is_reached"] & (rows["stage_code"] == code)]
        later = later[~later["id"].isin(own_first)]
        closes = firsts[firsts["stage_code"] == closing][["plant_id", "season", "date", "id"]]
        both = later.merge(closes, on=["plant_id", "season"], suffixes=("", "_close"))
        bad = both[both["date"] > both["date_close"]]
        reasons = [
            f"{code} on {d} after this plant's {closing} on {dc} ({record_ref(i)})"
            for d, dc, i in zip(
                iso(bad["date"]), iso(bad["date_close"]), bad["id_close"], strict=True
            )
        ]
        parts.append(findings(bad["id"], "obs_date", flag, reasons))
    return pd.concat(parts, ignore_index=True) if parts else empty_findings()


@check(
    "percent_counts_mismatch",
    "phenology",
    ("percent", *_COUNTS),
    description_zh="始花/盛花/末花记录的百分率与其花朵计数所得比例不符（可疑）",
    description_en="A flower stage's percent disagrees with the share its flower counts give "
    "(open for FLS/FLF, withered for FLE): suspect",
)
def percent_counts_mismatch(frame: pd.DataFrame, rules: QCRules, site: Site) -> pd.DataFrame:
    """Flag 1 where ``percent`` and the counts of one record give different shares.

    Checked on the stages of :data:`schemas.stages.FLOWER_RATIO_MEASURES` when the percent and
    a positive count total are given; tolerance ``rules.percent_counts_tolerance``.
    """
    shares = flower_shares(frame)
    measure = np.array(
        [FLOWER_RATIO_MEASURES.get(c, "") for c in frame["stage_code"]], dtype=object
    )
    withered = measure == "withered"
    from_counts = np.where(withered, shares["withered_counted"], shares["open_counted"])
    counted_n = np.where(withered, shares["n_withered"], shares["n_open"])
    percent = values(frame, "percent")
    with np.errstate(invalid="ignore"):
        gap = np.abs(percent - from_counts)
    bad = (measure != "") & shares["counted"] & (gap > rules.percent_counts_tolerance + _EPS)
    reasons = [
        f"percent {p:g} but the counts give {e:.1f} % {m} ({n:g} of {t:g})"
        for p, e, m, n, t in zip(
            percent[bad], from_counts[bad], measure[bad], counted_n[bad], shares["total"][bad],
            strict=True,
        )
    ]  # fmt: skip
    return findings(ids(frame)[bad], "percent", SUSPECT, reasons)


@check(
    "stage_recorded_twice",
    "phenology",
    ("obs_date",),
    description_zh="同一株同一季同一发育期在不同日期重复记录，且后一记录无百分率或计数（可疑）",
    description_en="A stage recorded again for the plant in the season on another date, "
    "without percent or counts that would make it a progress visit: suspect",
)
def stage_recorded_twice(frame: pd.DataFrame, rules: QCRules, site: Site) -> pd.DataFrame:
    """Flag 1 on a later reached record of a plant's stage in a season that carries no
    measure (percent, open_ratio, counts): it gives the stage a second date. Later visits with
    a measure follow the stage's progress (``percent_decreasing`` checks them)."""
    rows = prepared(frame)
    firsts = first_dates(rows)[["plant_id", "season", "stage_code", "date", "id"]]
    later = rows[rows["is_reached"] & ~rows["id"].isin(set(firsts["id"]))]
    measured = pd.Series(False, index=later.index)
    for column in ("percent", "open_ratio", *_COUNTS):
        if column in later:
            measured |= pd.to_numeric(later[column], errors="coerce").notna()
    later = later[~measured].merge(
        firsts, on=["plant_id", "season", "stage_code"], suffixes=("", "_first")
    )
    reasons = [
        f"{s} again on {d}; first recorded on {df} ({record_ref(i)}), no percent or counts"
        for s, d, df, i in zip(
            later["stage_code"],
            iso(later["date"]),
            iso(later["date_first"]),
            later["id_first"],
            strict=True,
        )
    ]
    return findings(later["id"], "obs_date", SUSPECT, reasons)


def flower_shares(frame: pd.DataFrame) -> dict[str, npt.NDArray[Any]]:
    """Each record's own flower shares [%], as the flower-ratio mode reads them.

    ``open`` = ``open_ratio``, else 100·open / counted, else ``percent`` on an FLS/FLF record;
    ``withered`` = 100·withered / counted, else ``percent`` on an FLE record (§4.4, §5;
    :func:`obs.stagedates._query` reads visits the same way). ``counted`` is True where the
    counts give a positive total (absent counts count 0 beside a given one, as at entry);
    ``open_counted`` / ``withered_counted`` are the shares of the counts alone; ``*_source``
    says where a share comes from (``counts``, ``open_ratio`` or ``percent``).
    """
    raw = {c: values(frame, c) for c in _COUNTS}
    n = {c: np.nan_to_num(v, nan=0.0) for c, v in raw.items()}
    total = n["flowers_open"] + n["buds_unopened"] + n["flowers_withered"]
    counted = ~np.all([np.isnan(v) for v in raw.values()], axis=0) & (total > 0)
    safe = np.where(counted, total, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        open_counted = 100.0 * n["flowers_open"] / safe
        withered_counted = 100.0 * n["flowers_withered"] / safe
    ratio, percent = values(frame, "open_ratio"), values(frame, "percent")
    measure = np.array(
        [FLOWER_RATIO_MEASURES.get(c, "") for c in frame["stage_code"]], dtype=object
    )
    has_ratio = ~np.isnan(ratio)
    opened = np.where(
        has_ratio,
        ratio,
        np.where(counted, open_counted, np.where(measure == "open", percent, np.nan)),
    )
    withered = np.where(counted, withered_counted, np.where(measure == "withered", percent, np.nan))
    return {
        "open": opened,
        "withered": withered,
        "open_source": np.where(counted, "counts", np.where(has_ratio, "open_ratio", "percent")),
        "withered_source": np.where(counted, "counts", "percent"),
        "counted": counted,
        "open_counted": open_counted,
        "withered_counted": withered_counted,
        "n_open": n["flowers_open"],
        "n_withered": n["flowers_withered"],
        "total": total,
    }


def record_ref(record_id: int) -> str:
    """How a reason names another record: ``record #12``, or ``this record`` (the one being
    entered or amended)."""
    return "this record" if record_id == NEW_RECORD_ID else f"record #{record_id}"


def _md(value: float) -> str:
    """``1015.0`` -> ``"10-15"``."""
    return f"{int(value) // 100:02d}-{int(value) % 100:02d}"
