"""Controlled vocabularies of the standard other than stages and weather elements, as data.

Every entry has a code (stored), a Chinese and an English label. Items tagged [I] in the domain
specification are defaults to be re-aligned with the standard's text, not facts of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas.terms import Limits, Term, index


@dataclass(frozen=True, slots=True)
class GrowthClass(Term):
    """Growth-status class 1/2/3 (生长状况), with its wintersweet indicators."""

    indicators_zh: str = ""
    indicators_en: str = ""


GROWTH_CLASSES: tuple[GrowthClass, ...] = (
    GrowthClass(
        "1",
        "一类",
        "class 1 (good)",
        "枝梢健壮充实，花芽密度不低于多年平均，花大色正香浓，受害株<10%，树冠丰满",
        "Vigorous lignified shoots, bud density at or above the multi-year mean, "
        "full-sized flowers, < 10 % of plants damaged",
    ),
    GrowthClass(
        "2",
        "二类",
        "class 2 (medium)",
        "花芽密度为多年平均的70%～100%，或10%～30%植株轻度受害",
        "Bud density 70–100 % of the mean, or 10–30 % of plants lightly damaged",
    ),
    GrowthClass(
        "3",
        "三类",
        "class 3 (poor)",
        "花芽密度低于多年平均的70%，或>30%植株受害，或大量落蕾、花朵褐变、枝梢枯死",
        "Bud density < 70 % of the mean, or > 30 % of plants damaged, or widespread "
        "bud drop, flower browning or shoot dieback",
    ),
)


@dataclass(frozen=True, slots=True)
class SeverityLevel(Term):
    """Damage severity 轻/中/重/很重 = 1–4, with the default % cut-off (lower bound)."""

    min_pct: float = 0.0


#: Default mapping [I]: 轻 < 10 %, 中 10–30 %, 重 30–60 %, 很重 > 60 %.
SEVERITY: tuple[SeverityLevel, ...] = (
    SeverityLevel("1", "轻", "light", 0.0),
    SeverityLevel("2", "中", "moderate", 10.0),
    SeverityLevel("3", "重", "severe", 30.0),
    SeverityLevel("4", "很重", "very severe", 60.0),
)

#: Expected impact on yield (预计对产量的影响), CMA DISA-01 codes.
YIELD_IMPACT: tuple[Term, ...] = (
    Term("0", "无影响", "none"),
    Term("1", "轻微", "slight"),
    Term("2", "轻", "light"),
    Term("3", "中", "moderate"),
    Term("4", "重", "severe"),
)

#: Pest / disease damage level 轻/中/重 [I].
DAMAGE_LEVEL: tuple[SeverityLevel, ...] = (
    SeverityLevel("1", "轻", "light", 0.0),
    SeverityLevel("2", "中", "moderate", 10.0),
    SeverityLevel("3", "重", "severe", 30.0),
)

#: Field-work quality, CMA CROP-06 codes.
WORK_QUALITY: tuple[Term, ...] = (
    Term("1", "差", "poor"),
    Term("2", "中", "medium"),
    Term("3", "好", "good"),
)


@dataclass(frozen=True, slots=True)
class DisasterType(Term):
    """An agromet disaster type with its CMA category and default weather watch rule."""

    category_zh: str = ""
    watch_zh: str = ""
    watch_en: str = ""
    weather_driven: bool = True


DISASTERS: tuple[DisasterType, ...] = (
    DisasterType(
        "FREEZE",
        "低温冻害",
        "Freeze injury",
        "冻害",
        "花期最低气温≤-3℃；≤-10℃花朵受冻；≤-15℃植株受威胁",
        "t_min ≤ −3 °C during FBC–FLE; flowers damaged at ≤ −10 °C",
    ),
    DisasterType(
        "FROST",
        "霜冻",
        "Frost",
        "低温冷害",
        "11月—3月地面最低温度≤0℃或出现霜",
        "ground_min ≤ 0 °C or frost, Nov–Mar",
    ),
    DisasterType(
        "SNOWICE",
        "雨雪冰冻",
        "Snow, sleet and glaze",
        "雪灾",
        "出现雪、雨夹雪或雨凇",
        "snow, sleet or glaze observed",
    ),
    DisasterType(
        "CONTRAIN",
        "连阴雨（低温寡照）",
        "Continuous rain, low sunshine",
        "连阴雨",
        "花期连续≥5天降水≥0.1mm且日照<2h",
        "≥ 5 days rain ≥ 0.1 mm and sunshine < 2 h",
    ),
    DisasterType(
        "HEAT",
        "高温热害",
        "Heat",
        "高温热浪",
        "最高气温≥35℃；连续≥3天为热浪；≥40℃为重",
        "t_max ≥ 35 °C; ≥ 3 days heat wave",
    ),
    DisasterType(
        "DROUGHT",
        "干旱",
        "Drought",
        "干旱",
        "6—9月连续≥20天日降水<1mm",
        "≥ 20 days with precip < 1 mm, Jun–Sep",
    ),
    DisasterType(
        "WATERLOG",
        "暴雨洪涝（渍涝）",
        "Rainstorm and waterlogging",
        "暴雨洪涝",
        "日降水≥50mm或3日降水≥100mm",
        "precip ≥ 50 mm/day or ≥ 100 mm in 3 days",
    ),
    DisasterType("WIND", "大风", "Strong wind", "大风", "极大风速≥17.2m/s", "gust ≥ 17.2 m/s"),
    DisasterType("HAIL", "冰雹", "Hail", "冰雹", "出现冰雹", "hail observed"),
    DisasterType("OTHER", "其它", "Other", "其它", weather_driven=False),
)


@dataclass(frozen=True, slots=True)
class Pest(Term):
    """A disease or pest of wintersweet."""

    kind: str = "disease"
    organ: str = ""
    peak_zh: str = ""


PESTS: tuple[Pest, ...] = (
    Pest("ANTH", "炭疽病", "Anthracnose", "disease", "leaf", "梅雨季（5—6月）"),
    Pest("LEAFSPOT", "叶斑病", "Leaf spot", "disease", "leaf", "春末夏初"),
    Pest("BLACKSPOT", "黑斑病", "Black spot", "disease", "leaf", "多雨期"),
    Pest("ROOTROT", "根腐病", "Root rot", "disease", "root", "雨季"),
    Pest("SOOTY", "煤污病", "Sooty mould", "disease", "leaf", "夏季"),
    Pest("APHID", "蚜虫", "Aphids", "insect", "shoot", "春梢期"),
    Pest("SCALE", "介壳虫", "Scale insects", "insect", "branch", "夏季"),
    Pest("SLUGMOTH", "刺蛾", "Slug moths", "insect", "leaf", "6—9月"),
    Pest("BAGWORM", "蓑蛾", "Bagworms", "insect", "leaf", "5—6月、9—10月"),
    Pest("BORER", "天牛", "Longhorn borers", "insect", "trunk", "夏季"),
    Pest("MITE", "红蜘蛛（叶螨）", "Spider mites", "mite", "leaf", "高温干旱期"),
    Pest("OTHER", "其它", "Other", "other", ""),
)

PEST_KINDS: tuple[Term, ...] = (
    Term("disease", "病害", "disease"),
    Term("insect", "虫害", "insect"),
    Term("mite", "螨害", "mite"),
    Term("other", "其它", "other"),
)

ORGANS: tuple[Term, ...] = (
    Term("flower", "花", "flower"),
    Term("bud", "花蕾", "flower bud"),
    Term("leaf", "叶", "leaf"),
    Term("shoot", "新梢", "shoot"),
    Term("branch", "枝", "branch"),
    Term("trunk", "主干", "trunk"),
    Term("root", "根", "root"),
    Term("whole", "全株", "whole plant"),
)


@dataclass(frozen=True, slots=True)
class Cultivar(Term):
    """A wintersweet cultivar; ``bloom_class`` is its usual flowering-time class."""

    group: str = ""
    bloom_class: str = ""


CULTIVARS: tuple[Cultivar, ...] = (
    Cultivar("SUXIN", "素心蜡梅", "Concolor wintersweet", "素心", "middle"),
    Cultivar("QINGKOU", "磬口蜡梅", "Qingkou wintersweet", "荤心", "early"),
    Cultivar("HUTI", "虎蹄梅", "Tiger-paw wintersweet", "荤心", "early"),
    Cultivar("JINZHONG", "金钟梅", "Golden-bell wintersweet", "素心", "middle"),
    Cultivar("GOUYA", "狗牙蜡梅", "Dog-tooth wintersweet", "荤心", "middle"),
    Cultivar("XIAOHUA", "小花蜡梅", "Small-flowered wintersweet", "荤心", "middle"),
    Cultivar("HUANGLATUO", "黄蜡砣", "Huanglatuo wintersweet", "素心", "middle"),
    Cultivar("OTHER", "其它品种", "Other cultivar", "", ""),
)


FIELD_WORK_ITEMS: tuple[Term, ...] = (
    Term("PRUNE_WINTER", "冬季修剪", "Winter pruning"),
    Term("PRUNE_SUMMER", "夏季修剪（摘心）", "Summer pruning / topping"),
    Term("FERT_BASE", "施基肥", "Base fertiliser"),
    Term("FERT_TOP", "追肥", "Top-dressing"),
    Term("IRRIGATE", "灌溉", "Irrigation"),
    Term("DRAIN", "排水", "Drainage"),
    Term("WEED", "除草", "Weeding"),
    Term("PEST_CONTROL", "病虫害防治", "Pest control"),
    Term("HARVEST_BRANCH", "采收切花枝", "Cut-branch harvest"),
    Term("HARVEST_BUD", "采收干花蕾", "Dried-bud harvest"),
    Term("GRAFT", "移栽、嫁接", "Transplanting / grafting"),
    Term("PROTECT", "防冻、防雨保护", "Frost or rain protection"),
    Term("OTHER", "其它", "Other"),
)


@dataclass(frozen=True, slots=True)
class MeasuredItem(Term):
    """A numeric item measured on a plant or a plot, with unit and limits."""

    unit: str = ""
    limits: Limits = field(default_factory=Limits)
    integer: bool = False


GROWTH_ITEMS: tuple[MeasuredItem, ...] = (
    MeasuredItem("plant_height", "株高", "Plant height", "cm", Limits(0, 1300, 50, 500)),
    MeasuredItem(
        "crown_width_ew", "冠幅（东西）", "Crown width E–W", "cm", Limits(0, 1000, 50, 400)
    ),
    MeasuredItem(
        "crown_width_ns", "冠幅（南北）", "Crown width N–S", "cm", Limits(0, 1000, 50, 400)
    ),
    MeasuredItem("basal_diameter", "地径", "Basal diameter", "mm", Limits(0, 300, 10, 150)),
    MeasuredItem("stem_count", "丛生主干数", "Stem count", "count", Limits(1, 60, 3, 20), True),
    MeasuredItem(
        "new_shoot_count", "当年生枝数", "New shoot count", "count", Limits(0, None), True
    ),
    MeasuredItem("shoot_length", "新梢长", "Shoot length", "cm", Limits(0, 250, 5, 120)),
    MeasuredItem(
        "flower_bud_density", "花芽密度", "Flower-bud density", "buds/10 cm", Limits(0, 40)
    ),
    MeasuredItem(
        "flowering_branch_count", "开花枝数", "Flowering branches", "count", Limits(0, None), True
    ),
    MeasuredItem("plant_density", "植株密度", "Plant density", "plants/m²", Limits(0.05, 5)),
)

YIELD_ITEMS: tuple[MeasuredItem, ...] = (
    MeasuredItem(
        "marketable_branches",
        "可切花枝数",
        "Marketable branches per plant",
        "count",
        Limits(0, 500),
        True,
    ),
    MeasuredItem("branch_length", "花枝长", "Branch length", "cm", Limits(20, 200)),
    MeasuredItem(
        "flowering_nodes",
        "单枝着花节数",
        "Flowering nodes per branch",
        "count",
        Limits(0, 60),
        True,
    ),
    MeasuredItem(
        "flowers_per_branch",
        "单枝花朵（花蕾）数",
        "Flowers per branch",
        "count",
        Limits(0, 300),
        True,
    ),
    MeasuredItem("flower_diameter", "花径", "Flower diameter", "mm", Limits(9, 45, 15, 40)),
    MeasuredItem("tepal_count", "花被片数", "Tepal count", "count", Limits(10, 25, 15, 21), True),
    MeasuredItem(
        "fresh_weight_100", "百花鲜重", "Fresh weight of 100 flowers", "g", Limits(10, 200)
    ),
    MeasuredItem("dry_bud_yield", "干花蕾产量", "Dry-bud yield", "kg/mu", Limits(0, 200)),
    MeasuredItem(
        "cut_branch_stems",
        "切花枝产量（支）",
        "Cut-branch yield (stems)",
        "stems/mu",
        Limits(0, None),
    ),
    MeasuredItem(
        "cut_branch_bunches",
        "切花枝产量（束）",
        "Cut-branch yield (bunches)",
        "bunches/mu",
        Limits(0, None),
    ),
    MeasuredItem("grade1_share", "一级品比例", "Grade-1 share", "%", Limits(0, 100)),
    MeasuredItem("grade2_share", "二级品比例", "Grade-2 share", "%", Limits(0, 100)),
    MeasuredItem("grade3_share", "三级品比例", "Grade-3 share", "%", Limits(0, 100)),
    MeasuredItem(
        "scent_strength", "香气浓度（1-3）", "Scent strength (1–3)", "grade", Limits(1, 3), True
    ),
    MeasuredItem(
        "open_ratio_harvest", "采收时开放率", "Open ratio at harvest", "%", Limits(0, 100)
    ),
)

#: Yield items that are shares of one whole and must add up to 100 % when all are given.
GRADE_SHARE_ITEMS: tuple[str, ...] = ("grade1_share", "grade2_share", "grade3_share")

PLOT_TYPES: tuple[Term, ...] = (
    Term("0", "作物观测地段", "crop-observation plot"),
    Term("1", "固定观测地段", "fixed plot"),
    Term("2", "补充观测地段", "supplementary plot"),
    Term("3", "其它", "other"),
)

FIELD_LEVELS: tuple[Term, ...] = (
    Term("0", "上等田", "upper-grade land"),
    Term("1", "中等田", "middle-grade land"),
    Term("2", "下等田", "lower-grade land"),
)

GROWTH_CLASSES_BY_CODE = index(GROWTH_CLASSES)
SEVERITY_BY_CODE = index(SEVERITY)
YIELD_IMPACT_BY_CODE = index(YIELD_IMPACT)
DAMAGE_LEVEL_BY_CODE = index(DAMAGE_LEVEL)
WORK_QUALITY_BY_CODE = index(WORK_QUALITY)
DISASTERS_BY_CODE = index(DISASTERS)
PESTS_BY_CODE = index(PESTS)
PEST_KINDS_BY_CODE = index(PEST_KINDS)
ORGANS_BY_CODE = index(ORGANS)
CULTIVARS_BY_CODE = index(CULTIVARS)
FIELD_WORK_BY_CODE = index(FIELD_WORK_ITEMS)
GROWTH_ITEMS_BY_CODE = index(GROWTH_ITEMS)
YIELD_ITEMS_BY_CODE = index(YIELD_ITEMS)
PLOT_TYPES_BY_CODE = index(PLOT_TYPES)
FIELD_LEVELS_BY_CODE = index(FIELD_LEVELS)


def severity_for_pct(pct: float) -> str:
    """The default severity code for a damaged share [%] under the mapping table."""
    code = SEVERITY[0].code
    for level in SEVERITY:
        if pct >= level.min_pct:
            code = level.code
    return code
