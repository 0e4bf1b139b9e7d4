"""Observation records of the demo plot, entered through :func:`obs.records.create`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
from sqlmodel import Session

from obs.records.create import create

#: Observers who alternate between seasons.
OBSERVERS: tuple[str, ...] = ("张红", "李明")
_D = dt.timedelta


def _put(session: Session, kind: str, raw: Mapping[str, Any]) -> None:
    text = {
        k: (v.isoformat() if isinstance(v, dt.date) else str(v))
        for k, v in raw.items()
        if v is not None
    }
    create(kind, text, session=session, actor="obs demo", today=dt.date(2100, 1, 1))


def phenology(
    session: Session, plant: str, dates: Mapping[str, dt.date], observer: str, flowers: int
) -> None:
    """One visit per stage on the plant's first day in it; bloom visits carry flower counts."""
    counts = {"FLS": (0.06, 0.0), "FLF": (0.6, 0.05), "FLE": (0.1, 0.85)}
    for stage, day in sorted(dates.items(), key=lambda kv: (kv[1], kv[0])):
        raw: dict[str, Any] = {
            "plant": plant,
            "obs_date": day,
            "stage_code": stage,
            "obs_time": "14:30",
            "observer": observer,
        }
        if stage in counts:
            open_share, withered_share = counts[stage]
            raw["flowers_open"] = round(flowers * open_share)
            raw["flowers_withered"] = round(flowers * withered_share)
            raw["buds_unopened"] = flowers - raw["flowers_open"] - raw["flowers_withered"]
        _put(session, "phenology", raw)


def growth(
    session: Session,
    plant: str,
    season: int,
    height: float,
    observer: str,
    rng: np.random.Generator,
) -> None:
    """Dormancy measurements in January and shoot measurements in August."""
    jan, aug = dt.date(season + 1, 1, 12), dt.date(season, 8, 12)
    items = {
        "plant_height": (jan, height),
        "crown_width_ew": (jan, height * 0.8),
        "crown_width_ns": (jan, height * 0.75),
        "flower_bud_density": (jan, rng.uniform(6, 12)),
        "shoot_length": (aug, rng.uniform(25, 60)),
        "new_shoot_count": (aug, int(rng.integers(12, 30))),
    }
    for item, (day, value) in items.items():
        shown = value if isinstance(value, int) else round(float(value), 1)
        _put(
            session,
            "growth",
            {
                "plant": plant,
                "obs_date": day,
                "item_code": item,
                "value": shown,
                "observer": observer,
            },
        )


def plant_yield(
    session: Session, plot: str, plant: str, day: dt.date, observer: str, rng: np.random.Generator
) -> None:
    """Per-plant yield items measured at full bloom."""
    items = {
        "marketable_branches": int(rng.integers(25, 60)),
        "flowers_per_branch": int(rng.integers(30, 70)),
        "flower_diameter": round(float(rng.uniform(24, 32)), 1),
    }
    for item, value in items.items():
        _put(
            session,
            "yield",
            {
                "plot": plot,
                "plant": plant,
                "obs_date": day,
                "item_code": item,
                "value": value,
                "observer": observer,
            },
        )


def plot_yield(
    session: Session,
    plot: str,
    day: dt.date,
    observer: str,
    damage: float,
    rng: np.random.Generator,
) -> None:
    """Plot-level cut-branch output and grade shares (fewer grade-1 stems after damage)."""
    stems = round(float(rng.uniform(2600, 3400)) * (1 - damage))
    grade1 = round(float(rng.uniform(55, 65)) * (1 - damage))
    items = {
        "cut_branch_stems": stems,
        "cut_branch_bunches": round(stems / 10),
        "grade1_share": grade1,
        "grade2_share": 30,
        "grade3_share": 70 - grade1,
    }
    for item, value in items.items():
        _put(
            session,
            "yield",
            {
                "plot": plot,
                "obs_date": day,
                "item_code": item,
                "value": value,
                "observer": observer,
            },
        )


def season_work(
    session: Session,
    plot: str,
    season: int,
    bloom: Mapping[str, dt.date],
    observer: str,
    rng: np.random.Generator,
) -> None:
    """Field work, pests and growth-status assessments of one season."""
    work = {
        "PRUNE_SUMMER": dt.date(season, 6, 18),
        "PEST_CONTROL": dt.date(season, 8, 20),
        "FERT_BASE": dt.date(season, 11, 5),
        "HARVEST_BRANCH": bloom.get("FBC", dt.date(season, 11, 25)) + _D(days=3),
        "PRUNE_WINTER": bloom.get("FLE", dt.date(season + 1, 2, 20)) + _D(days=5),
    }
    for item, day in work.items():
        _put(
            session,
            "fieldwork",
            {
                "plot": plot,
                "item_code": item,
                "start_date": day,
                "end_date": day + _D(days=1),
                "quality": 3,
                "observer": observer,
            },
        )
    aphid = round(float(rng.uniform(5, 25)), 0)
    _put(
        session,
        "pest",
        {
            "plot": plot,
            "obs_date": dt.date(season, 4, 16),
            "pest_code": "APHID",
            "stage_code": "LUF",
            "affected_part": "shoot",
            "incidence_pct": aphid,
            "pest_density": round(float(rng.uniform(3, 15)), 1),
            "damage_level": 1 if aphid < 10 else 2,
            "observer": observer,
            "control_measure": "吡虫啉喷雾",
        },
    )
    slug = round(float(rng.uniform(2, 12)), 0)
    _put(
        session,
        "pest",
        {
            "plot": plot,
            "obs_date": dt.date(season, 8, 8),
            "pest_code": "SLUGMOTH",
            "affected_part": "leaf",
            "incidence_pct": slug,
            "damage_level": 1 if slug < 10 else 2,
            "observer": observer,
        },
    )


def status(
    session: Session, plot: str, bloom: Mapping[str, dt.date], observer: str, damaged: bool
) -> None:
    """Growth class at bud colouring and at full bloom (class 2 after a freeze)."""
    for stage in ("FBC", "FLF"):
        if stage not in bloom:
            continue
        grade = 2 if damaged and stage == "FLF" else 1
        basis = "花朵受冻褐变，受害株率20%" if grade == 2 else "枝梢健壮，花芽饱满"
        _put(
            session,
            "status",
            {
                "plot": plot,
                "obs_date": bloom[stage] + _D(days=1),
                "stage_code": stage,
                "growth_class": grade,
                "basis": basis,
                "observer": observer,
            },
        )


def freeze(session: Session, plot: str, first: dt.date, days: int, observer: str) -> None:
    """The FREEZE disaster that goes with the demo's cold spell."""
    _put(
        session,
        "disaster",
        {
            "plot": plot,
            "obs_date": first + _D(days=days),
            "disaster_code": "FREEZE",
            "start_date": first,
            "end_date": first + _D(days=days - 1),
            "stage_code": "FLF",
            "affected_organs": "flower,bud",
            "plants_affected_pct": 20,
            "organ_damage_pct": 15,
            "severity": 2,
            "yield_impact": 2,
            "yield_loss_tenths": 1,
            "symptoms": "开放花朵花被片褐变、半透明，部分脱落",
            "observer": observer,
            "countermeasures": "覆盖防冻",
        },
    )
