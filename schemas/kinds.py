"""The record kinds users enter, list, amend and import, with their fields as data.

One declaration serves CLI flags, interactive prompts, field-sheet columns, ``obs amend --set``
and the labels of listings, so a field is described once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from schemas.terms import Lang, Limits
from schemas.weather import DAILY_ELEMENTS

FieldType = Literal["date", "time", "float", "int", "text", "bool", "code", "codes", "ref"]
Scope = Literal["station", "plot", "plant"]

PCT = Limits(0, 100)
NONNEG = Limits(0, None)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One input field of a record kind.

    ``vocab`` names a vocabulary in :data:`schemas.vocab_index.VOCABULARIES` (for ``code`` and
    ``codes``); ``ref`` names the kind whose code/tag the value is (for ``ref``); ``column`` is
    the table column when it differs from ``name`` (a ``ref`` field ``plant`` -> ``plant_id``).
    """

    name: str
    zh: str
    en: str
    type: FieldType = "text"
    required: bool = False
    vocab: str | None = None
    ref: str | None = None
    limits: Limits | None = None
    amendable: bool = True
    column: str | None = None
    prompt: bool = False

    @property
    def target(self) -> str:
        """The column this field is stored in."""
        return self.column or (f"{self.name}_id" if self.type == "ref" else self.name)

    def label(self, lang: Lang = "zh") -> str:
        """The label in ``lang``."""
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True, slots=True)
class Kind:
    """A record kind: its table, fields, natural key and the date used by --season/--year."""

    name: str
    zh: str
    en: str
    table: str
    scope: Scope
    fields: tuple[FieldSpec, ...]
    key: tuple[str, ...]
    date_field: str
    observation: bool = True
    extra_columns: tuple[str, ...] = field(default=())

    def field(self, name: str) -> FieldSpec:
        """The field called ``name`` (KeyError when there is none)."""
        for spec in self.fields:
            if spec.name == name or spec.target == name:
                return spec
        raise KeyError(name)

    def label(self, lang: Lang = "zh") -> str:
        """The label in ``lang``."""
        return self.zh if lang == "zh" else self.en


def _f(name: str, zh: str, en: str, type_: FieldType = "text", **kw: object) -> FieldSpec:
    return FieldSpec(name, zh, en, type_, **kw)  # type: ignore[arg-type]


OBSERVER = _f("observer", "观测员", "Observer")
NOTE = _f("note", "备注", "Note")
OBS_DATE = _f("obs_date", "观测日期", "Date", "date", required=True, prompt=True, amendable=True)

STATION = Kind(
    "station",
    "观测站",
    "Station",
    "station",
    "station",
    (
        _f("code", "站号", "Station code", required=True, amendable=False),
        _f("name", "站名", "Name", required=True, prompt=True),
        _f(
            "latitude",
            "纬度",
            "Latitude",
            "float",
            required=True,
            prompt=True,
            limits=Limits(-90, 90, 3, 54),
        ),
        _f(
            "longitude",
            "经度",
            "Longitude",
            "float",
            required=True,
            prompt=True,
            limits=Limits(-180, 180, 73, 136),
        ),
        _f("elevation", "海拔高度", "Elevation", "float", limits=Limits(-500, 9000, 0, 5000)),
        _f("time_system", "观测时制", "Time system", "code", vocab="time_systems"),
        NOTE,
    ),
    key=("code",),
    date_field="created_at",
    observation=False,
)

PLOT = Kind(
    "plot",
    "观测地段",
    "Plot",
    "plot",
    "station",
    (
        _f("code", "地段编号", "Plot code", required=True, amendable=False),
        _f(
            "station",
            "观测站",
            "Station",
            "ref",
            required=True,
            ref="station",
            prompt=True,
            amendable=False,
        ),
        _f(
            "cultivar",
            "品种",
            "Cultivar",
            "code",
            required=True,
            vocab="cultivars",
            prompt=True,
            amendable=False,
        ),
        _f("name", "地段名称", "Name"),
        _f("plot_type", "地段类型", "Plot type", "code", vocab="plot_types"),
        _f("field_level", "大田水平", "Field level", "code", vocab="field_levels"),
        _f("area_m2", "面积(m²)", "Area (m²)", "float", limits=Limits(0.01, None)),
        _f("planting_year", "种植年份", "Planting year", "int", limits=Limits(1500, 2200)),
        _f("terrain", "地形", "Terrain"),
        _f("slope_aspect", "坡向", "Slope aspect"),
        _f("soil_type", "土壤类型", "Soil type"),
        _f("management", "管理水平", "Management"),
        _f(
            "distance_to_station_m",
            "距气象站距离(m)",
            "Distance to station (m)",
            "float",
            limits=Limits(0, None, 0, 5000),
        ),
        NOTE,
    ),
    key=("code",),
    date_field="created_at",
    observation=False,
)

PLANT = Kind(
    "plant",
    "观测株",
    "Marked plant",
    "plant",
    "plot",
    (
        _f("tag", "株号", "Plant tag", required=True, amendable=False),
        _f(
            "plot",
            "观测地段",
            "Plot",
            "ref",
            required=True,
            ref="plot",
            prompt=True,
            amendable=False,
        ),
        _f("cultivar", "品种", "Cultivar", "code", vocab="cultivars", amendable=False),
        _f("planting_year", "种植年份", "Planting year", "int", limits=Limits(1500, 2200)),
        _f("position", "位置", "Position"),
        _f("map_x", "图上X(m)", "Map x (m)", "float"),
        _f("map_y", "图上Y(m)", "Map y (m)", "float"),
        NOTE,
    ),
    key=("tag",),
    date_field="created_at",
    observation=False,
)

PHENOLOGY = Kind(
    "phenology",
    "发育期观测",
    "Phenology",
    "phenology",
    "plant",
    (
        _f(
            "plant",
            "观测株",
            "Plant",
            "ref",
            required=True,
            ref="plant",
            prompt=True,
            amendable=False,
        ),
        OBS_DATE,
        _f("obs_time", "观测时间", "Time", "time"),
        _f("stage_code", "发育期", "Stage", "code", required=True, vocab="stages", prompt=True),
        _f("reached", "已进入", "Reached", "bool"),
        _f("percent", "百分率(%)", "Percent", "float", limits=PCT),
        _f("flowers_open", "开放花数", "Open flowers", "int", limits=NONNEG),
        _f("buds_unopened", "未开花蕾数", "Unopened buds", "int", limits=NONNEG),
        _f("flowers_withered", "凋谢花数", "Withered flowers", "int", limits=NONNEG),
        OBSERVER,
        NOTE,
    ),
    key=("plant", "stage_code", "obs_date"),
    date_field="obs_date",
    extra_columns=("open_ratio",),
)

STATUS = Kind(
    "status",
    "生长状况评定",
    "Growth status",
    "growth_status",
    "plot",
    (
        _f(
            "plot",
            "观测地段",
            "Plot",
            "ref",
            required=True,
            ref="plot",
            prompt=True,
            amendable=False,
        ),
        OBS_DATE,
        _f("stage_code", "发育期", "Stage", "code", required=True, vocab="stages", prompt=True),
        _f(
            "growth_class",
            "生长状况",
            "Growth class",
            "code",
            required=True,
            vocab="growth_classes",
            prompt=True,
        ),
        _f("basis", "评定依据", "Basis"),
        OBSERVER,
        NOTE,
    ),
    key=("plot", "obs_date", "stage_code"),
    date_field="obs_date",
)

GROWTH = Kind(
    "growth",
    "生长量测定",
    "Growth measurement",
    "growth",
    "plant",
    (
        _f(
            "plant",
            "观测株",
            "Plant",
            "ref",
            required=True,
            ref="plant",
            prompt=True,
            amendable=False,
        ),
        OBS_DATE,
        _f("item_code", "项目", "Item", "code", required=True, vocab="growth_items", prompt=True),
        _f("value", "数值", "Value", "float", required=True, prompt=True),
        OBSERVER,
        NOTE,
    ),
    key=("plant", "obs_date", "item_code"),
    date_field="obs_date",
    extra_columns=("unit",),
)

YIELD = Kind(
    "yield",
    "产量结构",
    "Yield structure",
    "yield_item",
    "plot",
    (
        _f(
            "plot",
            "观测地段",
            "Plot",
            "ref",
            required=True,
            ref="plot",
            prompt=True,
            amendable=False,
        ),
        _f("plant", "观测株", "Plant", "ref", ref="plant", amendable=False),
        OBS_DATE,
        _f("item_code", "项目", "Item", "code", required=True, vocab="yield_items", prompt=True),
        _f("value", "数值", "Value", "float", required=True, prompt=True),
        OBSERVER,
        NOTE,
    ),
    key=("plot", "plant", "obs_date", "item_code"),
    date_field="obs_date",
    extra_columns=("unit",),
)

DISASTER = Kind(
    "disaster",
    "农业气象灾害",
    "Agromet disaster",
    "disaster",
    "plot",
    (
        _f(
            "plot",
            "观测地段",
            "Plot",
            "ref",
            required=True,
            ref="plot",
            prompt=True,
            amendable=False,
        ),
        OBS_DATE,
        _f(
            "disaster_code",
            "灾害名称",
            "Disaster",
            "code",
            required=True,
            vocab="disasters",
            prompt=True,
        ),
        _f("start_date", "开始日期", "Start", "date", required=True, prompt=True),
        _f("end_date", "结束日期", "End", "date"),
        _f("stage_code", "受害期", "Stage at onset", "code", vocab="stages"),
        _f("affected_organs", "受害器官", "Affected organs", "codes", vocab="organs"),
        _f("plants_affected_pct", "受害株率(%)", "Plants affected (%)", "float", limits=PCT),
        _f("organ_damage_pct", "器官受害程度(%)", "Organ damage (%)", "float", limits=PCT),
        _f("severity", "受害等级", "Severity", "code", vocab="severity"),
        _f(
            "yield_impact",
            "预计对产量的影响",
            "Expected yield impact",
            "code",
            vocab="yield_impact",
        ),
        _f("yield_loss_tenths", "减产成数", "Yield loss (tenths)", "float", limits=Limits(0, 10)),
        _f("disaster_area_ha", "成灾面积(ha)", "Disaster area (ha)", "float", limits=NONNEG),
        _f("disaster_area_pct", "成灾比例(%)", "Disaster area (%)", "float", limits=PCT),
        _f("symptoms", "受害征状", "Symptoms"),
        _f("countermeasures", "防御措施", "Countermeasures"),
        OBSERVER,
        NOTE,
    ),
    key=("plot", "disaster_code", "start_date"),
    date_field="start_date",
)

PEST = Kind(
    "pest",
    "病虫害",
    "Disease or pest",
    "pest",
    "plot",
    (
        _f(
            "plot",
            "观测地段",
            "Plot",
            "ref",
            required=True,
            ref="plot",
            prompt=True,
            amendable=False,
        ),
        OBS_DATE,
        _f(
            "pest_code",
            "病虫害名称",
            "Disease or pest",
            "code",
            required=True,
            vocab="pests",
            prompt=True,
        ),
        _f("stage_code", "发育期", "Stage", "code", vocab="stages"),
        _f("affected_part", "危害部位", "Affected part", "code", vocab="organs"),
        _f("incidence_pct", "发病率/有虫株率(%)", "Incidence (%)", "float", limits=PCT),
        _f("severity_grade", "严重度(0-5)", "Severity grade (0–5)", "int", limits=Limits(0, 5)),
        _f("disease_index", "病情指数", "Disease index", "float", limits=PCT),
        _f("pest_density", "虫口密度", "Pest density", "float", limits=NONNEG),
        _f("damage_level", "危害程度", "Damage level", "code", vocab="damage_level"),
        _f("control_measure", "防治措施", "Control measure"),
        _f("control_date", "防治日期", "Control date", "date"),
        _f("efficacy", "防治效果", "Efficacy"),
        OBSERVER,
        NOTE,
    ),
    key=("plot", "pest_code", "obs_date"),
    date_field="obs_date",
    extra_columns=("pest_kind",),
)

FIELDWORK = Kind(
    "fieldwork",
    "田间工作",
    "Field work",
    "fieldwork",
    "plot",
    (
        _f(
            "plot",
            "观测地段",
            "Plot",
            "ref",
            required=True,
            ref="plot",
            prompt=True,
            amendable=False,
        ),
        _f("item_code", "项目", "Work item", "code", required=True, vocab="fieldwork", prompt=True),
        _f("start_date", "开始日期", "Start", "date", required=True, prompt=True),
        _f("end_date", "结束日期", "End", "date"),
        _f("quality", "质量", "Quality", "code", vocab="work_quality"),
        _f("method", "方法和工具", "Method and tools"),
        OBSERVER,
        NOTE,
    ),
    key=("plot", "item_code", "start_date"),
    date_field="start_date",
)

WEATHER = Kind(
    "weather",
    "逐日气象",
    "Daily weather",
    "daily_weather",
    "station",
    (
        _f(
            "station",
            "观测站",
            "Station",
            "ref",
            required=True,
            ref="station",
            prompt=True,
            amendable=False,
        ),
        OBS_DATE,
        *(_f(e.code, e.zh, e.en, "float", limits=e.limits) for e in DAILY_ELEMENTS),
        _f("precip_trace", "微量降水", "Trace precipitation", "bool"),
        _f("phenomena", "天气现象", "Weather phenomena", "codes", vocab="phenomena"),
        _f(
            "tmean_method", "日平均气温统计方法", "Daily-mean method", "code", vocab="tmean_methods"
        ),
        _f("source", "来源", "Source", "code", vocab="weather_sources"),
        OBSERVER,
        NOTE,
    ),
    key=("station", "obs_date"),
    date_field="obs_date",
)

KINDS_LIST: tuple[Kind, ...] = (
    STATION,
    PLOT,
    PLANT,
    PHENOLOGY,
    STATUS,
    GROWTH,
    YIELD,
    DISASTER,
    PEST,
    FIELDWORK,
    WEATHER,
)
KINDS: dict[str, Kind] = {k.name: k for k in KINDS_LIST}
#: The observation kinds ``obs record`` accepts, in the order of the standard.
RECORD_KINDS: tuple[str, ...] = (
    "phenology",
    "status",
    "growth",
    "yield",
    "disaster",
    "pest",
    "fieldwork",
    "weather",
)
