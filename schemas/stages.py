"""Development stages (发育期) of wintersweet, as data.

The standard's own stage table was not available (see the domain specification §5); codes,
criteria, thresholds and windows below are the documented defaults of that specification and are
meant to be re-aligned with the published text without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from schemas.terms import Term, index

Organ = Literal["leaf", "shoot", "flower", "fruit", "whole"]
Status = Literal["start", "general", "end"]

#: Share of marked plants that must be in a stage for the plot-level 始期 / 普遍期 / 末期 [%].
PLANT_SHARE_THRESHOLDS: dict[Status, float] = {"start": 10.0, "general": 50.0, "end": 80.0}

#: zh / en labels of the stage-date statuses, plus the two CMA non-dates.
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "start": ("始期", "start"),
    "general": ("普遍期", "general"),
    "end": ("末期", "end"),
    "not_reached": ("未进", "not reached"),
    "none": ("无", "none"),
}


@dataclass(frozen=True, slots=True)
class Stage(Term):
    """One development stage.

    ``chain`` names the ordered sequence the stage belongs to; within a chain and a season the
    first date of a plant's stages must not run backwards. ``window`` is the soft calendar window
    (month, day) from/to in which the stage normally falls; it may wrap the new year.
    ``flower_ratio`` is the flower-opening threshold [%] used by the flower-ratio mode (for FLE it
    is the withered share).
    """

    order: int = 0
    organ: Organ = "whole"
    chain: str | None = None
    criterion_zh: str = ""
    criterion_en: str = ""
    window: tuple[tuple[int, int], tuple[int, int]] | None = None
    optional: bool = False
    observed: bool = True
    flower_ratio: float | None = None


STAGES: tuple[Stage, ...] = (
    Stage(
        "LBS",
        "叶芽膨大期",
        "Leaf-bud swelling",
        1,
        "leaf",
        "leafout",
        "叶芽鳞片分开，边缘露出浅色线或角",
        "Leaf-bud scales separate and a pale edge shows",
        ((1, 1), (4, 15)),
    ),
    Stage(
        "LBB",
        "叶芽开放期",
        "Leaf-bud burst",
        2,
        "leaf",
        "leafout",
        "芽鳞裂开，露出绿色叶尖",
        "Scales split and green leaf tips show",
        ((1, 15), (4, 15)),
    ),
    Stage(
        "LUS",
        "展叶始期",
        "First leaf unfolding",
        3,
        "leaf",
        "leafout",
        "部分枝条上第1～2片叶完全展平",
        "First 1–2 leaves fully flat on some branches",
        ((1, 15), (4, 30)),
    ),
    Stage(
        "LUF",
        "展叶盛期",
        "Leaf unfolding, peak",
        4,
        "leaf",
        "leafout",
        "半数枝条上的叶片完全展平",
        "Leaves fully flat on half the branches",
        ((2, 15), (5, 15)),
    ),
    Stage(
        "SHG",
        "新梢生长期",
        "Shoot growth",
        5,
        "shoot",
        "shoot",
        "新梢伸长",
        "New shoots elongating",
        ((3, 15), (7, 15)),
        optional=True,
    ),
    Stage(
        "SHS",
        "新梢停长期",
        "Shoot growth stop",
        6,
        "shoot",
        "shoot",
        "顶芽形成，连续两次观测无伸长",
        "Terminal bud formed, no gain over two visits",
        ((5, 15), (8, 31)),
        optional=True,
    ),
    Stage(
        "FBD",
        "花芽分化期",
        "Flower-bud differentiation",
        7,
        "flower",
        None,
        "解剖镜检首次见花原基",
        "Floral primordia first seen in dissection",
        ((4, 1), (8, 31)),
        optional=True,
    ),
    Stage(
        "FBV",
        "现蕾期",
        "Flower buds visible",
        8,
        "flower",
        "flower",
        "当年生枝叶腋可辨圆形花蕾",
        "Round flower buds distinguishable in leaf axils",
        ((6, 15), (10, 31)),
    ),
    Stage(
        "FBC",
        "花蕾露色期",
        "Bud colouring",
        9,
        "flower",
        "flower",
        "芽鳞分开，露出黄色花被片",
        "Bud scales part and yellow tepals show",
        ((10, 15), (1, 15)),
    ),
    Stage(
        "FLS",
        "始花期",
        "First flowering",
        10,
        "flower",
        "flower",
        "观测株出现完全开放的花朵",
        "At least one fully open flower on the plant",
        ((10, 15), (2, 15)),
        flower_ratio=5.0,
    ),
    Stage(
        "FLF",
        "盛花期",
        "Full bloom",
        11,
        "flower",
        "flower",
        "标记枝上半数以上花朵开放",
        "Half or more of the flowers on the sample branches open",
        ((11, 1), (3, 15)),
        flower_ratio=50.0,
    ),
    Stage(
        "FLE",
        "末花期",
        "End of flowering",
        12,
        "flower",
        "flower",
        "80%以上花朵凋谢或脱落",
        "80 % or more of the flowers withered or fallen",
        ((12, 1), (3, 31)),
        flower_ratio=80.0,
    ),
    Stage(
        "FLS2",
        "第二次开花期",
        "Second flowering",
        13,
        "flower",
        None,
        "主花期外再次开花",
        "Re-flowering outside the main window",
    ),
    Stage(
        "FRS",
        "坐果期",
        "Fruit set",
        14,
        "fruit",
        "fruit",
        "果托膨大呈绿色",
        "Swollen green receptacles",
        ((1, 15), (4, 30)),
        optional=True,
    ),
    Stage(
        "FRR",
        "果实成熟期",
        "Fruit ripe",
        15,
        "fruit",
        "fruit",
        "半数果托变褐干燥，瘦果褐色",
        "Half the receptacles brown and dry, achenes brown",
        ((6, 1), (10, 15)),
    ),
    Stage(
        "LCS",
        "叶开始变色期",
        "Leaf colouring start",
        16,
        "leaf",
        "colour",
        "秋季叶片开始变黄（非干旱所致）",
        "First autumn leaf yellowing, not from drought",
        ((9, 15), (12, 15)),
    ),
    Stage(
        "LCF",
        "叶全部变色期",
        "Leaves fully coloured",
        17,
        "leaf",
        "colour",
        "几乎全部叶片变色",
        "Nearly all leaves coloured",
        ((10, 15), (1, 15)),
    ),
    Stage(
        "LFS",
        "开始落叶期",
        "Leaf fall start",
        18,
        "leaf",
        "leaffall",
        "秋季开始落叶",
        "Autumn leaf fall begins",
        ((10, 1), (12, 31)),
    ),
    Stage(
        "LFE",
        "落叶末期",
        "Leaf fall end",
        19,
        "leaf",
        "leaffall",
        "叶片几乎全部脱落",
        "Almost all leaves fallen",
        ((10, 15), (1, 31)),
    ),
    Stage(
        "DRM",
        "休眠期",
        "Dormancy",
        20,
        "whole",
        None,
        "落叶末期至叶芽膨大期（推算，不直接观测）",
        "From LFE to LBS; derived, not observed",
        observed=False,
    ),
)

STAGES_BY_CODE: dict[str, Stage] = index(STAGES)

#: Flowering stages reported in the bloom timeline, in order.
BLOOM_STAGES: tuple[str, ...] = ("FBC", "FLS", "FLF", "FLE")

#: Soft limits of the bloom duration FLE − FLS [days].
BLOOM_DURATION_DAYS: tuple[int, int] = (10, 90)


def chain_of(code: str) -> tuple[Stage, ...]:
    """The stages of ``code``'s chain in order (empty when it belongs to none)."""
    chain = STAGES_BY_CODE[code].chain
    if chain is None:
        return ()
    return tuple(s for s in STAGES if s.chain == chain)


# --- derived stage dates (obs.stagedates) ------------------------------------------------------

#: How plot-level stage dates are derived: share of marked plants, or flower ratio on the
#: sample branches (domain specification §5, FLS "store both and make the choice a setting").
STAGE_DATE_METHODS: tuple[str, ...] = ("plants", "flower_ratio")

#: The flower measure each flower-ratio stage compares with its ``Stage.flower_ratio``:
#: the open share of the flowers on the sample branches, or the withered share (§5, FLE).
FLOWER_RATIO_MEASURES: dict[str, Literal["open", "withered"]] = {
    "FLS": "open",
    "FLF": "open",
    "FLE": "withered",
}

#: Origin (month, day) of the day count used for multi-year mean dates: day 1 = 1 October of the
#: season year, so a bloom spanning the new year counts on (§9.4).
SEASON_DAY_ORIGIN: tuple[int, int] = (10, 1)

#: Fewest earlier seasons with a date before an anomaly (距平) is given.
ANOMALY_MIN_SEASONS: int = 2

#: Fewest seasons with a date before a trend [days/decade] is given (§9.5).
TREND_MIN_SEASONS: int = 5
