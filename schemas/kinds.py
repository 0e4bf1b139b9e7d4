"""The record kinds users enter, list, amend and import, with their fields as data.

One declaration serves CLI flags, interactive prompts, field-sheet columns, ``obs amend --set``
and the labels of listings, so a field is described once.
"""

from __future__ import annotations

from schemas.fields import (
    NONNEG,
    NOTE,
    OBS_DATE,
    OBSERVER,
    PCT,
    PLANT_REF,
    PLOT_REF,
    STATION_REF,
    FieldSpec,
    Kind,
    field_spec,
    ref_spec,
)
from schemas.terms import Limits
from schemas.weather import DAILY_ELEMENTS

__all__ = ["KINDS", "KINDS_LIST", "RECORD_KINDS", "FieldSpec", "Kind"]

STATION = Kind(
    "station",
    "观测站",
    "Station",
    "station",
    "station",
    (
        field_spec("code", "站号", "Station code", required=True, amendable=False),
        field_spec("name", "站名", "Name", required=True, prompt=True),
        field_spec(
            "latitude",
            "纬度",
            "Latitude",
            "float",
            required=True,
            prompt=True,
            limits=Limits(-90, 90, 3, 54),
        ),
        field_spec(
            "longitude",
            "经度",
            "Longitude",
            "float",
            required=True,
            prompt=True,
            limits=Limits(-180, 180, 73, 136),
        ),
        field_spec(
            "elevation", "海拔高度", "Elevation", "float", limits=Limits(-500, 9000, 0, 5000)
        ),
        field_spec("time_system", "观测时制", "Time system", "code", vocab="time_systems"),
        field_spec(
            "day_end_hour",
            "日界(时)",
            "Day ends at (hour)",
            "int",
            limits=Limits(1, 24),  # 20 = CMA climatological day (default), 24 = midnight
        ),
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
        field_spec("code", "地段编号", "Plot code", required=True, amendable=False),
        STATION_REF,
        field_spec(
            "cultivar",
            "品种",
            "Cultivar",
            "code",
            required=True,
            vocab="cultivars",
            prompt=True,
            amendable=False,
        ),
        field_spec("name", "地段名称", "Name"),
        field_spec("plot_type", "地段类型", "Plot type", "code", vocab="plot_types"),
        field_spec("field_level", "大田水平", "Field level", "code", vocab="field_levels"),
        field_spec("area_m2", "面积(m²)", "Area (m²)", "float", limits=Limits(0.01, None)),
        field_spec("planting_year", "种植年份", "Planting year", "int", limits=Limits(1500, 2200)),
        field_spec("terrain", "地形", "Terrain"),
        field_spec("slope_aspect", "坡向", "Slope aspect"),
        field_spec("soil_type", "土壤类型", "Soil type"),
        field_spec("management", "管理水平", "Management"),
        field_spec(
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
        field_spec("tag", "株号", "Plant tag", required=True, amendable=False),
        PLOT_REF,
        field_spec("cultivar", "品种", "Cultivar", "code", vocab="cultivars", amendable=False),
        field_spec("planting_year", "种植年份", "Planting year", "int", limits=Limits(1500, 2200)),
        field_spec("position", "位置", "Position"),
        field_spec("map_x", "图上X(m)", "Map x (m)", "float"),
        field_spec("map_y", "图上Y(m)", "Map y (m)", "float"),
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
        PLANT_REF,
        OBS_DATE,
        field_spec("obs_time", "观测时间", "Time", "time"),
        field_spec(
            "stage_code", "发育期", "Stage", "code", required=True, vocab="stages", prompt=True
        ),
        field_spec("reached", "已进入", "Reached", "bool"),
        field_spec("percent", "百分率(%)", "Percent", "float", limits=PCT),
        field_spec("flowers_open", "开放花数", "Open flowers", "int", limits=NONNEG),
        field_spec("buds_unopened", "未开花蕾数", "Unopened buds", "int", limits=NONNEG),
        field_spec("flowers_withered", "凋谢花数", "Withered flowers", "int", limits=NONNEG),
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
        PLOT_REF,
        OBS_DATE,
        field_spec(
            "stage_code", "发育期", "Stage", "code", required=True, vocab="stages", prompt=True
        ),
        field_spec(
            "growth_class",
            "生长状况",
            "Growth class",
            "code",
            required=True,
            vocab="growth_classes",
            prompt=True,
        ),
        field_spec("basis", "评定依据", "Basis"),
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
        PLANT_REF,
        OBS_DATE,
        field_spec(
            "item_code", "项目", "Item", "code", required=True, vocab="growth_items", prompt=True
        ),
        field_spec("value", "数值", "Value", "float", required=True, prompt=True),
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
        PLOT_REF,
        ref_spec("plant", "观测株", "Plant", required=False),
        OBS_DATE,
        field_spec(
            "item_code", "项目", "Item", "code", required=True, vocab="yield_items", prompt=True
        ),
        field_spec("value", "数值", "Value", "float", required=True, prompt=True),
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
        PLOT_REF,
        OBS_DATE,
        field_spec(
            "disaster_code",
            "灾害名称",
            "Disaster",
            "code",
            required=True,
            vocab="disasters",
            prompt=True,
        ),
        field_spec("start_date", "开始日期", "Start", "date", required=True, prompt=True),
        field_spec("end_date", "结束日期", "End", "date"),
        field_spec("stage_code", "受害期", "Stage at onset", "code", vocab="stages"),
        field_spec("affected_organs", "受害器官", "Affected organs", "codes", vocab="organs"),
        field_spec(
            "plants_affected_pct", "受害株率(%)", "Plants affected (%)", "float", limits=PCT
        ),
        field_spec("organ_damage_pct", "器官受害程度(%)", "Organ damage (%)", "float", limits=PCT),
        field_spec("severity", "受害等级", "Severity", "code", vocab="severity"),
        field_spec(
            "yield_impact",
            "预计对产量的影响",
            "Expected yield impact",
            "code",
            vocab="yield_impact",
        ),
        field_spec(
            "yield_loss_tenths", "减产成数", "Yield loss (tenths)", "float", limits=Limits(0, 10)
        ),
        field_spec(
            "disaster_area_ha", "成灾面积(ha)", "Disaster area (ha)", "float", limits=NONNEG
        ),
        field_spec("disaster_area_pct", "成灾比例(%)", "Disaster area (%)", "float", limits=PCT),
        field_spec("symptoms", "受害征状", "Symptoms"),
        field_spec("countermeasures", "防御措施", "Countermeasures"),
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
        PLOT_REF,
        OBS_DATE,
        field_spec(
            "pest_code",
            "病虫害名称",
            "Disease or pest",
            "code",
            required=True,
            vocab="pests",
            prompt=True,
        ),
        field_spec("stage_code", "发育期", "Stage", "code", vocab="stages"),
        field_spec("affected_part", "危害部位", "Affected part", "code", vocab="organs"),
        field_spec("incidence_pct", "发病率/有虫株率(%)", "Incidence (%)", "float", limits=PCT),
        field_spec(
            "severity_grade", "严重度(0-5)", "Severity grade (0–5)", "int", limits=Limits(0, 5)
        ),
        field_spec("disease_index", "病情指数", "Disease index", "float", limits=PCT),
        field_spec("pest_density", "虫口密度", "Pest density", "float", limits=NONNEG),
        field_spec("damage_level", "危害程度", "Damage level", "code", vocab="damage_level"),
        field_spec("control_measure", "防治措施", "Control measure"),
        field_spec("control_date", "防治日期", "Control date", "date"),
        field_spec("efficacy", "防治效果", "Efficacy"),
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
        PLOT_REF,
        field_spec(
            "item_code", "项目", "Work item", "code", required=True, vocab="fieldwork", prompt=True
        ),
        field_spec("start_date", "开始日期", "Start", "date", required=True, prompt=True),
        field_spec("end_date", "结束日期", "End", "date"),
        field_spec("quality", "质量", "Quality", "code", vocab="work_quality"),
        field_spec("method", "方法和工具", "Method and tools"),
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
        STATION_REF,
        OBS_DATE,
        *(field_spec(e.code, e.zh, e.en, "float", limits=e.limits) for e in DAILY_ELEMENTS),
        field_spec("precip_trace", "微量降水", "Trace precipitation", "bool"),
        field_spec("phenomena", "天气现象", "Weather phenomena", "codes", vocab="phenomena"),
        field_spec(
            "tmean_method", "日平均气温统计方法", "Daily-mean method", "code", vocab="tmean_methods"
        ),
        field_spec("source", "来源", "Source", "code", vocab="weather_sources"),
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
