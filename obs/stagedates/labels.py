"""Column and row labels (zh, en) of the stage-date tables: ``obs stages`` and its ``--bloom`` view.

Two different means sit side by side in the bloom timeline and are labelled apart (§9.4):

* ``{stage}_baseline`` — the mean date of the *earlier* seasons only, the reference of that row's
  anomaly (往年平均（不含本季）, CMA practice: the current season is left out of its own mean);
* ``{stage}_mean`` — the multi-year mean over *all* seasons (多年平均（全部年份）), the same on
  every row of a plot and cultivar.
"""

from __future__ import annotations

from schemas.stages import STAGES_BY_CODE

#: Fixed column labels (zh, en).
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "station": ("站号", "Station"),
    "plot": ("地段", "Plot"),
    "cultivar": ("品种", "Cultivar"),
    "season": ("季", "Season"),
    "season_label": ("季", "Season"),
    "stage_code": ("发育期", "Stage"),
    "status": ("状态", "Status"),
    "date": ("日期", "Date"),
    "percent": ("百分率(%)", "Percent"),
    "n_plants": ("株数", "Plants"),
    "anomaly_days": ("距平(天)", "Anomaly (d)"),
    "basis": ("依据", "Basis"),
    "duration_days": ("花期(天)", "Bloom (d)"),
    "duration_anomaly": ("花期距平(天)", "Bloom anomaly (d)"),
    "duration_baseline": ("花期往年平均（不含本季）", "Bloom, mean of earlier seasons"),
    "duration_baseline_n": ("花期往年数", "Bloom, earlier seasons"),
    "duration_mean": ("花期多年平均（全部年份）", "Bloom, mean of all seasons"),
    "duration_trend": ("花期趋势(天/10年)", "Bloom trend (d/10y)"),
    "plant": ("观测株", "Plant"),
    "stage": ("发育期", "Stage"),
    "first_date": ("首次进入日期", "First date"),
    "last_date": ("最后进入日期", "Last date"),
    "days_since_prior_no": ("距前次未进(天)", "Days since prior 'not reached'"),
    "days_until_next_no": ("距后次未进(天)", "Days until next 'not reached'"),
    "kept": ("计入(--max-gap)", "Kept (--max-gap)"),
    "n_excluded": ("未计株数", "Plants left out"),
}

#: Per-stage column suffixes: label after the stage name (zh, en).
STAGE_SUFFIX_LABELS: dict[str, tuple[str, str]] = {
    "date": ("", ""),
    "anomaly": ("距平(天)", "anomaly (d)"),
    "baseline": ("往年平均（不含本季）", "mean of earlier seasons"),
    "baseline_n": ("往年数", "earlier seasons"),
    "mean": ("多年平均（全部年份）", "mean of all seasons"),
    "trend": ("趋势(天/10年)", "trend (d/10y)"),
}

#: Names of the summary rows of the bloom table (value of ``season_label``), zh and en.
SUMMARY_ROW_LABELS: dict[str, tuple[str, str]] = {
    "mean": ("多年平均（全部年份）", "mean of all seasons"),
    "trend": ("趋势(天/10年)", "trend (d/10y)"),
}

#: Table titles.
TITLES: dict[str, tuple[str, str]] = {
    "dates": ("发育期", "Stage dates"),
    "bloom": ("花期", "Bloom timeline"),
    "plants": ("单株发育期", "Stage dates per plant"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def column_label(column: str, lang: str) -> str:
    """Label of a column of ``stage_dates_frame`` or ``bloom_table`` in ``lang`` (zh or en).

    ``fls_anomaly`` -> ``"始花期距平(天)"`` / ``"First flowering anomaly (d)"``; unknown
    columns are shown by name.
    """
    if column in COLUMN_LABELS:
        return _pick(COLUMN_LABELS[column], lang)
    code, _, suffix = column.partition("_")
    stage = STAGES_BY_CODE.get(code.upper())
    if stage is None or suffix not in STAGE_SUFFIX_LABELS:
        return column
    name = stage.label("zh" if lang == "zh" else "en")
    extra = _pick(STAGE_SUFFIX_LABELS[suffix], lang)
    if not extra:
        return name
    return f"{name}{extra}" if lang == "zh" else f"{name} {extra}"


def column_labels(columns: list[str], lang: str) -> dict[str, str]:
    """``{column: label}`` for the given columns."""
    return {c: column_label(c, lang) for c in columns}


def summary_row_label(kind: str, lang: str) -> str:
    """Label of a summary row: ``"mean"`` or ``"trend"``."""
    return _pick(SUMMARY_ROW_LABELS[kind], lang)


def title(view: str, lang: str) -> str:
    """Title of the ``"dates"`` or ``"bloom"`` table."""
    return _pick(TITLES[view], lang)
