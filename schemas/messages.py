"""The message catalogue: every human-facing string of reports and command tables, zh + en.

One table, :data:`CATALOGUE`, maps a dotted key to its ``(zh, en)`` pair. Keys are grouped by
their first part:

- ``column.<name>``: column labels of report sections and command tables;
- ``title.<name>``: table and sheet titles of commands;
- ``index.<code>``: indicator names (chilling, appraisal) whose codes frames and JSON keep;
- ``source.<code>``, ``unit.<code>``: values shown in the report language;
- ``note.<name>``, ``empty``, ``warn.<name>``, ``pdf.<name>``, ``cli.<name>``: sentences.

Sentences take named parameters in ``str.format`` style (``{n}``, ``{path}``): both languages
of one key use the same names (``tests/schemas/test_messages.py`` checks it, and that every
zh text is Chinese). :func:`message` looks one up. An error can later carry a key and its
parameters instead of English text (``ObsError(key="error.cannot_write", path=…)``) and the
CLI boundary translate it with :func:`message`; until then ObsError texts are English.

Declarations only: no I/O.
"""

from __future__ import annotations

from typing import Any, Literal

from schemas.indices import RAIN_CLASS_DAYS, TEMPERATURE_DAYS

Lang = Literal["zh", "en"]

#: Column name -> (zh, en) label (the ``column.`` group of the catalogue).
COLUMNS: dict[str, tuple[str, str]] = {
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
    "t_max_extreme_date": ("最高出现日期", "Highest on"),
    "t_min_extreme": ("极端最低(℃)", "Lowest (°C)"),
    "t_min_extreme_date": ("最低出现日期", "Lowest on"), "precip": ("降水量(mm)", "Precip (mm)"),
    "rain_days": ("降水日数", "Rain days"), "sunshine": ("日照(h)", "Sunshine (h)"),
    "sunshine_anomaly": ("日照距平(h)", "Sunshine anomaly (h)"),
    "active_ge0": ("≥0℃积温", "AT≥0 (°C·d)"), "active_ge5": ("≥5℃积温", "AT≥5 (°C·d)"),
    "active_ge10": ("≥10℃积温", "AT≥10 (°C·d)"),
    "effective_gt10": ("有效积温(>10℃)", "Effective accum. temp. >10 °C"),
    "gdd": ("生长度日 GDD ((Tmax+Tmin)/2−10)", "GDD ((Tmax+Tmin)/2 − 10)"),
    "frost_days": ("最低≤0℃日数", "Tmin≤0 days"), "hot_days": ("最高≥35℃日数", "Tmax≥35 days"),
    "dry_spell_days": ("最长连续少雨日数(日降水<1mm)", "Longest dry spell (days < 1 mm)"),
    "complete": ("资料完整", "Complete"),
    "incomplete_elements": ("不完整要素", "Incomplete elements"),
    "index": ("指标", "Index"), "value": ("数值", "Value"),
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
    # command tables (validate, history, listings, import, observers)
    "kind": ("类别", "Kind"), "record_id": ("记录号", "Record"), "station": ("台站", "Station"),
    "when": ("时间", "When"), "flag": ("标记", "Flag"), "check_name": ("检查项", "Check"),
    "reason": ("原因", "Reason"), "count": ("个数", "Count"), "elements": ("要素", "Elements"),
    "description": ("说明", "Description"), "version": ("版本", "Version"),
    "action": ("操作", "Action"), "at": ("时间", "Time"), "actor": ("操作人", "By"),
    "changes": ("修改内容", "Changes"), "id": ("序号", "ID"), "qc": ("质控", "QC"),
    "open_ratio": ("开放率(%)", "Open %"), "observer": ("观测员", "Observer"),
    "rows": ("行数", "Rows"), "file": ("文件", "File"), "line": ("行号", "Line"),
    "error": ("错误", "Error"), "inserted": ("新增", "Inserted"),
    "unchanged": ("未变", "Unchanged"), "rejected": ("拒绝", "Rejected"),
    "days_in_period": ("应有日数", "Days in period"), "records": ("记录数", "Records"),
    "amended": ("后改记录", "Amended"),
    "values": ("数值个数", "Values"), "qc_errors": ("质控错误", "QC errors"),
    "errors_per_1000": ("错情(‰)", "Errors per 1000"), "total": ("合计", "Total"),
    "01": ("1月", "Jan"), "02": ("2月", "Feb"), "03": ("3月", "Mar"), "04": ("4月", "Apr"),
    "05": ("5月", "May"), "06": ("6月", "Jun"), "07": ("7月", "Jul"), "08": ("8月", "Aug"),
    "09": ("9月", "Sep"), "10": ("10月", "Oct"), "11": ("11月", "Nov"), "12": ("12月", "Dec"),
    "hdd": ("采暖度日HDD(℃·d)", "HDD (°C·d)"), "cdd": ("降温度日CDD(℃·d)", "CDD (°C·d)"),
    "t_max_extreme_days": ("极端最高出现日数", "Days at highest"),
    "t_min_extreme_days": ("极端最低出现日数", "Days at lowest"),
    "precip_total": ("降水总量(mm)", "Precip total (mm)"),
    "precip_max": ("最大日降水量(mm)", "Wettest day (mm)"),
    "precip_max_date": ("最大日降水日期", "Wettest day on"),
    "precip_max_days": ("最大日降水出现日数", "Days at wettest"),
    # the region report (obs.reports.region)
    "start_anomaly": ("始期距平(天)", "Start anomaly (d)"),
    "general_anomaly": ("普遍期距平(天)", "General anomaly (d)"),
    "end_anomaly": ("末期距平(天)", "End anomaly (d)"),
    "duration_anomaly": ("持续日数距平(天)", "Duration anomaly (d)"),
}  # fmt: skip
#: The day counts of the climate-index section, labelled where their thresholds are declared.
COLUMNS.update({r.key: (r.zh, r.en) for r in (*TEMPERATURE_DAYS, *RAIN_CLASS_DAYS)})

#: Indicator code -> (zh, en) name (the ``index.`` group).
INDICATORS: dict[str, tuple[str, str]] = {
    "chilling_hours": ("冷温小时数(0–7.2℃)", "Chilling hours (0–7.2 °C)"),
    "chill_portions": ("冷量单位(动态模型)", "Chill portions (dynamic model)"),
    "utah_chill_units": ("犹他冷量单位", "Utah chill units"),
    "growing_degree_hours": ("生长度时(GDH)", "Growing degree hours"),
    "chill_days_tmean_le7": ("日平均气温≤7℃日数", "Days with mean T ≤ 7 °C"),
    "fls_anomaly": ("始花期距平", "First-flowering anomaly"),
    "bloom_days": ("花期长度", "Bloom length"),
    "bloom_t_mean": ("花期平均气温", "Bloom mean temperature"),
    "bloom_sunshine": ("花期日照", "Bloom sunshine"),
    "bloom_precip": ("花期降水量", "Bloom precipitation"),
    "freeze_days": ("低温冻害日数", "Freeze days"),
    "contrain_days": ("连阴雨日数", "Continuous-rain days"),
    "heat_days": ("高温日数(≥35℃)", "Hot days (≥ 35 °C)"),
    "dry_spell_days": ("最长连续少雨日数", "Longest dry spell"),
    "disasters": ("农业气象灾害次数", "Disasters recorded"),
}  # fmt: skip

#: Value code -> (zh, en) of the ``source`` and ``unit`` columns.
SOURCES: dict[str, tuple[str, str]] = {
    "observed hourly": ("逐时观测", "observed hourly"),
    "hourly from daily (Linvill)": ("逐日推算逐时(Linvill)", "hourly from daily (Linvill)"),
    "daily": ("逐日资料", "daily"),
}
UNITS: dict[str, tuple[str, str]] = {
    "d": ("天", "d"), "h": ("小时", "h"), "count": ("个", "count"),
    "buds/10 cm": ("个/10cm", "buds/10 cm"), "bunches/mu": ("束/亩", "bunches/mu"),
    "stems/mu": ("支/亩", "stems/mu"), "CP": ("CP", "CP"), "CU": ("CU", "CU"),
}  # fmt: skip

#: Titles, notes, warnings and words of commands and file formats.
TEXTS: dict[str, tuple[str, str]] = {
    "empty": ("（无记录）", "(no records)"),
    "empty.titled": ("{title}：（无记录）", "{title}: (no records)"),
    "yes": ("是", "Yes"), "no": ("否", "No"),
    # obs validate
    "title.qc_summary": ("质控汇总（已检查：{checked}）", "QC summary (rows checked: {checked})"),
    "title.qc_flags": ("被标记的数值", "Flagged values"),
    "title.qc_checks": ("质控检查项目", "QC checks"),
    "warn.qc_errors": ("发现{n}个错误值（标记2）", "{n} errors (flag 2) found"),
    "warn.qc_suspects": ("{n}个可疑值（标记1）；无错误", "{n} suspect values (flag 1); no errors"),
    # obs history
    "title.history": ("{kind} #{id} 修改记录", "{kind} #{id} history"),
    "zone.beijing": ("北京时", "Beijing time"),
    "action.create": ("新建", "create"), "action.amend": ("修改", "amend"),
    "action.delete": ("删除", "delete"), "action.restore": ("恢复", "restore"),
    "zone.offset": ("UTC{offset}", "UTC{offset}"),
    # import summary
    "title.import": ("导入 {file}（批次 {batch}）", "import of {file} (batch {batch})"),
    "import.rows_read": ("读取行数", "rows read"), "import.stored": ("新存入", "stored"),
    "import.updated": ("已更新", "updated"), "import.unchanged": ("未变", "unchanged"),
    "import.kept": ("保留原值", "kept"), "import.refused": ("拒绝", "refused"),
    "import.days_stored": ("新存入日数", "days stored"),
    "import.days_updated": ("更新日数", "days updated"),
    "import.days_unchanged": ("未变日数", "days unchanged"),
    "import.days_kept_manual": ("保留人工值日数", "days kept (manual)"),
    "import.qc_errors": ("质控错误", "QC errors"), "import.qc_suspects": ("质控可疑", "QC suspect"),
    # report observers / completeness
    "title.observers": ("观测员工作量", "Observers"),
    "title.observers_year": ("{year}年 观测员工作量", "Observers {year}"),
    "observer.automatic": ("（自动）", "(automatic)"),
    "title.completeness_weather": ("{year}年 逐月气象资料日数", "Weather days by month {year}"),
    "title.completeness_visits": ("{year}年 逐月观测次数", "Visits by month {year}"),
    "title.completeness_gaps": ("{year}年 缺测时段", "Gaps {year}"),
    # charts
    "chart.temp": ("气温 (℃)", "Air temperature (°C)"),
    "chart.precip": ("降水量 (mm)", "Precipitation (mm)"),
    "chart.tmax": ("最高气温", "Tmax"), "chart.tmin": ("最低气温", "Tmin"),
    "chart.history": ("历年花期", "Bloom dates by season"),
    "chart.mean": ("平均", "mean"), "chart.trend": ("趋势", "trend"),
    "chart.season": ("年度", "Season"),
    "chart.per_decade": ("天/10年", "d/10a"),
    "chart.no_weather": ("本时段无逐日气象资料", "No daily weather in this period"),
    "chart.no_history": ("无历年花期资料", "No bloom dates recorded"),
    "warn.no_cjk_font": (
        "未找到中文字体（Noto Sans CJK SC）：图表标注改用英文。修复：{fix}",
        "no CJK font (Noto Sans CJK SC) found: chart labels are in English. Fix: {fix}",
    ),
    "fix.cjk_font": (
        "pip install noto-cjk-sans-otc（随 obs 一起安装）",
        "pip install noto-cjk-sans-otc (installed with obs)",
    ),
    # PDF forms
    "pdf.form_year": ("农气表-1", "Form 1"),
    "pdf.page": ("第 {page} 页 共 {pages} 页", "Page {page} of {pages}"),
    "pdf.station": ("台站", "Station"),
    "pdf.period": ("时段", "Period"),
    "pdf.chart": ("气象条件与花期图", "Weather and bloom chart"),
    "pdf.signatures": ("签 章", "Signatures"),
    "pdf.sign_observer": ("观测员", "Observer"),
    "pdf.sign_checker": ("校对", "Checked by"),
    "pdf.sign_prereview": ("预审", "Pre-reviewed by"),
    "pdf.sign_reviewer": ("审核", "Reviewed by"),
    "pdf.sign_date": ("日期", "Date"),
    # CLI words
    "cli.error": ("错误:", "Error:"),
    "cli.hint": ("提示:", "Hint:"),
    "cli.warning": ("警告:", "Warning:"),
    "cli.wrote": ("已写入 {path}", "wrote {path}"),
    "cli.constant_columns": (
        "（各行相同，未列出：{columns}）", "(same in every row, not shown: {columns})"
    ),
    # completeness notes
    "note.completeness_all": (
        "逐日气象资料：{n}天中各要素至少有{present}天。",
        "Daily weather: at least {present} of {n} days for every element. ",
    ),
    "note.completeness_missing": ("{element}缺{k}天", "{element} misses {k} d"),
    "note.completeness_none": ("无缺测。", "Nothing missing."),
    "note.lower_bounds": (
        "“不完整要素”列出有资料日数不足80%的要素，仅这些要素的总量为下限值；"
        "其余要素的统计完整。无资料的时段记“—”。",
        "The column “Incomplete elements” names the elements present on fewer than 80 % of "
        "the days; "
        "only their totals are lower bounds, the other elements are complete. "
        "Periods without data show “—”.",
    ),
    # XLSX
    "xlsx.header": ("表头", "Header"),
    "xlsx.code": ("代码", "Code"),
    "xlsx.empty_cells": ("空白单元格：{text}", "Empty cells: {text}"),
    "xlsx.empty_means": ("无资料或不适用", "no data or not applicable"),
    "xlsx.blank": ("空白", "empty cell"),
    "xlsx.blank_quoted": ("空白单元格", "an empty cell"),
}  # fmt: skip

#: Every entry: ``column.*``, ``index.*``, ``source.*``, ``unit.*`` and the texts.
CATALOGUE: dict[str, tuple[str, str]] = {
    **{f"column.{k}": v for k, v in COLUMNS.items()},
    **{f"index.{k}": v for k, v in INDICATORS.items()},
    **{f"source.{k}": v for k, v in SOURCES.items()},
    **{f"unit.{k}": v for k, v in UNITS.items()},
    **TEXTS,
}


def message(key: str, lang: Lang | str = "zh", /, **params: Any) -> str:
    """The text of ``key`` in ``lang`` with ``params`` filled in (KeyError for an unknown key)."""
    zh, en = CATALOGUE[key]
    text = zh if lang == "zh" else en
    return text.format(**params) if params else text


def has(key: str) -> bool:
    """True when the catalogue has ``key``."""
    return key in CATALOGUE
