"""Column labels (zh/en), printed precision and code vocabularies of report tables, as data.

Frames keep codes (``FLS``, ``FREEZE``, ``2``); :func:`cell_text` shows them with their label
in the chosen language, so one frame serves every language and JSON keeps the codes.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

from schemas.terms import Lang
from schemas.vocab_index import term

#: Column -> (zh, en) label.
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "plot": ("地段", "Plot"), "cultivar": ("品种", "Cultivar"), "season": ("年度", "Season"),
    "stage": ("发育期", "Stage"), "status": ("状态", "Status"),
    "start_date": ("始期", "Start"), "start_pct": ("始期%", "Start %"),
    "general_date": ("普遍期(盛期)", "General"), "general_pct": ("普遍期%", "General %"),
    "end_date": ("末期", "End"), "end_pct": ("末期%", "End %"),
    "duration_days": ("持续日数", "Duration (d)"), "anomaly_days": ("距平(天)", "Anomaly (d)"),
    "growth_class": ("生长状况", "Growth class"), "n_plants": ("观测株数", "Plants"),
    "month": ("月份", "Month"), "period": ("时段", "Period"), "from_stage": ("起", "From"),
    "to_stage": ("止", "To"), "start": ("开始", "Start"), "end": ("结束", "End"),
    "n_days": ("日数", "Days"), "days_present": ("有资料日数", "Days with data"),
    "t_mean": ("平均气温(℃)", "Mean T (°C)"), "t_max_mean": ("平均最高(℃)", "Mean Tmax (°C)"),
    "t_min_mean": ("平均最低(℃)", "Mean Tmin (°C)"),
    "t_max_extreme": ("极端最高(℃)", "Highest (°C)"),
    "t_max_extreme_date": ("出现日期", "on"), "t_min_extreme": ("极端最低(℃)", "Lowest (°C)"),
    "t_min_extreme_date": ("出现日期 ", "on "), "precip": ("降水量(mm)", "Precip (mm)"),
    "rain_days": ("降水日数", "Rain days"), "sunshine": ("日照(h)", "Sunshine (h)"),
    "sunshine_anomaly": ("日照距平(h)", "Sunshine anomaly (h)"),
    "active_ge0": ("≥0℃积温", "AT≥0 (°C·d)"), "active_ge5": ("≥5℃积温", "AT≥5 (°C·d)"),
    "active_ge10": ("≥10℃积温", "AT≥10 (°C·d)"),
    "effective_gt10": ("有效积温(>10℃)", "Effective accum. temp. >10 °C"),
    "gdd": ("生长度日 GDD ((Tmax+Tmin)/2−10)", "GDD ((Tmax+Tmin)/2 − 10)"),
    "frost_days": ("最低≤0℃日数", "Tmin≤0 days"), "hot_days": ("最高≥35℃日数", "Tmax≥35 days"),
    "dry_spell_days": ("最长连续少雨日数(日降水<1mm)", "Longest dry spell (days < 1 mm)"),
    "complete": ("资料完整", "Complete"), "index": ("指标", "Index"), "value": ("数值", "Value"),
    "unit": ("单位", "Unit"), "source": ("资料来源", "Source"),
    "hours_missing": ("缺测小时", "Hours missing"),
    "disaster": ("灾害名称", "Disaster"), "organs": ("受害器官", "Organs"),
    "plants_affected_pct": ("受害株率(%)", "Plants affected (%)"),
    "organ_damage_pct": ("器官受害(%)", "Organ damage (%)"), "severity": ("受害等级", "Severity"),
    "yield_impact": ("对产量影响", "Yield impact"),
    "yield_loss_tenths": ("减产成数", "Loss (tenths)"),
    "symptoms": ("受害征状", "Symptoms"), "date": ("日期", "Date"),
    "pest": ("病虫害", "Pest"), "pest_kind": ("类别", "Kind"), "part": ("危害部位", "Part"),
    "incidence_pct": ("发病率(%)", "Incidence (%)"), "severity_grade": ("严重度", "Grade"),
    "disease_index": ("病情指数", "Disease index"), "pest_density": ("虫口密度", "Density"),
    "damage_level": ("危害程度", "Damage"), "control": ("防治", "Control"),
    "basis": ("评定依据", "Basis"), "item": ("项目", "Item"), "n": ("株数", "n"),
    "mean": ("平均", "Mean"), "min": ("最小", "Min"), "max": ("最大", "Max"),
    "work": ("田间工作", "Field work"), "quality": ("质量", "Quality"),
    "method": ("方法和工具", "Method"), "element": ("要素", "Element"),
    "days_missing": ("缺测日数", "Days missing"), "pct_present": ("完整率(%)", "Present (%)"),
    "missing": ("缺测日期", "Missing days"), "field": ("项目", "Field"),
    "code": ("编号", "Code"), "name": ("名称", "Name"), "plot_type": ("地段类型", "Plot type"),
    "field_level": ("大田水平", "Field level"), "area_m2": ("面积(m²)", "Area (m²)"),
    "planting_year": ("种植年份", "Planted"), "terrain": ("地形", "Terrain"),
    "slope_aspect": ("坡向", "Aspect"), "soil_type": ("土壤", "Soil"),
    "management": ("管理水平", "Management"),
    "distance_to_station_m": ("距气象站(m)", "To station (m)"), "plants": ("观测株数", "Plants"),
    "normal": ("常年值", "Normal"), "anomaly": ("距平", "Anomaly"), "n_years": ("年数", "Years"),
    # the region report (obs.reports.region)
    "station": ("台站", "Station"), "start_anomaly": ("始期距平(天)", "Start anomaly (d)"),
    "general_anomaly": ("普遍期距平(天)", "General anomaly (d)"),
    "end_anomaly": ("末期距平(天)", "End anomaly (d)"),
    "duration_anomaly": ("持续日数距平(天)", "Duration anomaly (d)"),
}  # fmt: skip

#: Columns whose values are codes of a vocabulary (``schemas.vocab_index``); a tuple names
#: several vocabularies tried in turn.
CODE_COLUMNS: dict[str, str | tuple[str, ...]] = {
    "stage": "stages", "from_stage": "stages", "to_stage": "stages", "cultivar": "cultivars",
    "disaster": "disasters", "pest": "pests", "severity": "severity",
    "yield_impact": "yield_impact", "damage_level": "damage_level", "quality": "work_quality",
    "growth_class": "growth_classes", "work": "fieldwork", "pest_kind": "pest_kinds",
    "part": "organs", "plot_type": "plot_types", "field_level": "field_levels",
    "element": "elements", "item": ("growth_items", "yield_items"), "organs": "organs",
}  # fmt: skip

#: Decimals printed per column; float columns not listed print with ``DEFAULT_DECIMALS``.
DECIMALS: dict[str, int] = {
    "start_pct": 0, "general_pct": 0, "end_pct": 0, "pct_present": 0,
    "plants_affected_pct": 0, "organ_damage_pct": 0, "incidence_pct": 0,
    "area_m2": 0, "distance_to_station_m": 0,
}  # fmt: skip
DEFAULT_DECIMALS = 1

_NA = pd.NA

#: Placeholder printed for a missing value in human formats.
MISSING_MARK = "—"


def column_label(column: str, lang: Lang = "zh") -> str:
    """Label of ``column`` in ``lang`` (the column name when it has none).

    A column named by a stage code in lower case (``fls``, the 农气表-3 table) is labelled
    with the code and the stage name (``FLS 始花期``).
    """
    pair = COLUMN_LABELS.get(column)
    if pair is None:
        stage = term("stages", column.upper())
        return column if stage is None else f"{column.upper()} {stage.label(lang)}"
    return pair[0] if lang == "zh" else pair[1]


def is_missing(value: Any) -> bool:
    """True for None, NaN and pandas' missing markers."""
    if value is None or value is _NA:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):
        return False


def cell_text(column: str, value: Any, lang: Lang = "zh", missing: str = MISSING_MARK) -> str:
    """One cell for human formats: rounded numbers, ISO dates, codes with their label."""
    if is_missing(value):
        return missing
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.{DECIMALS.get(column, DEFAULT_DECIMALS)}f}"
    vocab = CODE_COLUMNS.get(column)
    if vocab is None:
        return str(value)
    sep = "、" if lang == "zh" else ", "
    return sep.join(_code_text(column, code, vocab, lang) for code in str(value).split(","))


def _code_text(column: str, code: str, vocab: str | tuple[str, ...], lang: Lang) -> str:
    for name in (vocab,) if isinstance(vocab, str) else vocab:
        entry = term(name, code)
        if entry is not None:
            return f"{code} {entry.label(lang)}" if column in _SHOW_CODE else entry.label(lang)
    return code


#: Code columns printed as "CODE label" rather than the label alone.
_SHOW_CODE = frozenset({"stage", "from_stage", "to_stage"})
